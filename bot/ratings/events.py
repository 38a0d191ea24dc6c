"""What the ratings feature records when a citizen rates, and when an agency's rate crosses
the target; `notices` says who hears of it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.dossiers.model import Dossier
from bot.notify.events import Event
from bot.ratings.model import Rating


@dataclass(frozen=True)
class RatingLow(Event):
    """A "Không hài lòng", or a comment added to one: the agency's officials, at once."""

    dossier: Dossier
    rating: Rating
    procedure_name: str | None = None


@dataclass(frozen=True)
class HarassmentReported(Event):
    """A follow-up answer says staff caused trouble: the leaders, never the desk."""

    dossier: Dossier


@dataclass(frozen=True)
class RateCrossed(Event):
    """An agency's 30-day satisfaction fell below the target (`below`) or recovered."""

    agency: str  # code: keys the message, once per agency and local day
    name: str  # what the leaders read
    below: bool
    satisfied: int
    count: int
    target: float
    day: str  # local date, ISO
    chat: str | int  # the leaders' chat
    channel: str  # the staff channel
