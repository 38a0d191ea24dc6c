"""What the feedback service records when a ticket changes; `notices` says who hears of it.

Each event carries the ticket as it is after the change (read in the same transaction)
and the few facts the change itself decided (the route, the event id that keys the
message), never a rendered text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.feedback.model import Ticket
from bot.feedback.routing import Route
from bot.notify.events import Event


@dataclass(frozen=True)
class FeedbackReceived(Event):
    """A citizen's new ticket: their receipt, the desk's (or leaders') alert."""

    ticket: Ticket
    route: Route
    links: tuple[str, ...] = ()  # photos a platform keeps behind a URL


@dataclass(frozen=True)
class FeedbackInfoAdded(Event):
    """The citizen answered "need info": the official handling it reads the answer."""

    ticket: Ticket
    event_id: int
    text: str
    staff_channel: str
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeedbackRated(Event):
    """The citizen rated the answer; "not satisfied" sends the leaders to review it."""

    ticket: Ticket
    satisfied: bool
    staff_channel: str


@dataclass(frozen=True)
class FeedbackStep(Event):
    """An official's step the citizen is told of: assigned, need_info, rejected, closed,
    published; `detail` is the question asked or the reason given."""

    ticket: Ticket
    event_id: int
    step: str
    detail: str | None = None


@dataclass(frozen=True)
class FeedbackAnswered(Event):
    """The answer goes to the citizen with "are you satisfied?"."""

    ticket: Ticket
    event_id: int


@dataclass(frozen=True)
class FeedbackForwarded(Event):
    """Re-routed to another agency: its desk is alerted, the citizen told where it went."""

    ticket: Ticket
    event_id: int
    route: Route
    from_agency: str  # names, as the messages show them
    to_agency: str


@dataclass(frozen=True)
class FeedbackOverdue(Event):
    """A deadline was missed: the leaders hear of it once."""

    ticket: Ticket
    kind: str  # reject | answer | publish
    due: date
    note: str  # "<kind>:<due>", the escalation's key
    assignee: str  # the roster name of who holds it, "" if nobody
    staff_channel: str


@dataclass(frozen=True)
class FeedbackDeadlineNear(Event):
    """A deadline is `left` working days away: the official or desk holding it is reminded."""

    ticket: Ticket
    kind: str
    due: date
    left: int
    chat: str
    staff_channel: str
