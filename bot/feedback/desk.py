"""The ticket desk's shared machinery: loading a ticket, checking who may act, recording events.

The citizens' side (citizens.py), the officials' side (staff.py) and the queries
(queries.py) build on it; FeedbackService (service.py) is all three. SQL lives in
bot/store/feedback.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from bot.clock import stamp
from bot.dossiers.codes import normalize_dossier_code
from bot.dossiers.phones import normalize_phone
from bot.feedback import deadlines as dl
from bot.feedback.model import (
    CATEGORIES,
    HARASSMENT,
    MAX_ATTACHMENTS,
    OPEN,
    TEXT_MAX,
    TEXT_MIN,
    Attachment,
    Draft,
    FeedbackRefused,
    Ticket,
    clean_text,
    ticket_from_row,
    ticket_number,
)
from bot.notify import events
from bot.people.officials import Official, Officials
from bot.settings import Settings
from bot.store import Database, people
from bot.store import feedback as store
from bot.store.sql import Conn
from bot.text import nfc, squash
from bot.workdays.calendar import WorkCalendar, default_calendar

# Where each official action may start from.
_FROM = {
    "assign": OPEN,
    "need_info": OPEN,
    "answer": OPEN,
    "forward": OPEN,
    "reject": OPEN,
    "close": frozenset({"received", "assigned", "need_info", "forwarded", "answered", "rejected"}),
}


class TicketDesk:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        calendar: WorkCalendar | None = None,
        staff_channel: str = "telegram",
    ):
        self.db = db
        self.settings = settings
        # Told whenever a user's next text becomes awaited (the dialog caches "nothing waits").
        self.on_waiting: Callable[[str, str], None] = lambda channel, user_id: None
        self.calendar = calendar or default_calendar()
        self.staff_channel = staff_channel  # where officials' and leaders' chats live
        self.officials = Officials(db)

    async def record(
        self,
        conn: Conn,
        feedback_id: int,
        action: str,
        actor: str,
        now: datetime,
        note: str | None = None,
    ) -> int:
        """Keep who did what to the ticket, and when; the event's id."""
        return await store.add_event(conn, feedback_id, action, actor, stamp(now), note)

    def _validate(self, d: Draft) -> tuple[str, str | None, str | None, str | None]:
        if d.category not in CATEGORIES:
            raise FeedbackRefused("bad_category")
        if self.settings.agency(d.agency_code) is None:
            raise FeedbackRefused("bad_agency")
        text = clean_text(d.text)
        if len(text) < TEXT_MIN:
            raise FeedbackRefused("too_short")
        if len(text) > TEXT_MAX:
            raise FeedbackRefused("too_long")
        dossier = None
        if d.dossier_code and d.dossier_code.strip():
            dossier = normalize_dossier_code(d.dossier_code)
            if dossier is None:
                raise FeedbackRefused("bad_dossier_code")
        name = squash(nfc(d.name or ""))[:100] or None
        phone = None
        if d.phone and d.phone.strip():
            phone = normalize_phone(d.phone)
            if phone is None:
                raise FeedbackRefused("bad_phone")
        if (name or phone) and d.consent_at is None:
            raise FeedbackRefused("no_consent")
        if len(d.attachments) > MAX_ATTACHMENTS:
            raise FeedbackRefused("too_many_attachments")
        return text, name, phone, dossier

    async def _official(self, official) -> Official:
        """Read the roster afresh: someone removed since pressing a button may not act."""
        channel, user_id = (
            (official.channel, official.user_id) if isinstance(official, Official) else official
        )
        who = await self.officials.get(channel, str(user_id))
        if who is None:
            raise FeedbackRefused("not_official")
        return who

    def _may(self, who: Official, t: Ticket) -> None:
        if t.category == HARASSMENT and not who.is_leader:
            raise FeedbackRefused("leaders_only")
        if not who.may_act_for(t.agency_code):
            raise FeedbackRefused("other_agency")

    async def _checked(self, conn, feedback_id: int, who: Official, action: str) -> Ticket:
        t = await self._load(conn, feedback_id)
        self._may(who, t)
        if t.status not in _FROM[action]:
            raise FeedbackRefused("bad_state", t.status)
        return t

    async def _load(self, conn, feedback_id: int) -> Ticket:
        row = await store.ticket(conn, feedback_id)
        if row is None:
            raise FeedbackRefused("not_found")
        return self._with_deadlines(ticket_from_row(row))

    def _with_deadlines(self, t: Ticket) -> Ticket:
        t.deadlines = dl.compute(t, self.calendar, self.settings.timezone)
        return t

    async def _set(self, conn, feedback_id: int, now: datetime, **values) -> None:
        await store.update(conn, feedback_id, stamp(now), **values)

    async def _told(self, conn, feedback_id: int, action: str, before_event: int) -> bool:
        return await store.had_event(conn, feedback_id, action, before_event)

    async def _tell(self, conn, event: events.Event) -> int:
        """Record the domain event; `notices` queues its messages in this transaction."""
        return await events.record(conn, event, self.settings)

    async def _next_number(self, conn, now: datetime) -> str:
        year = now.astimezone(self.settings.timezone).year
        return ticket_number(year, await store.next_number(conn, year))

    def _day_bounds(self, now: datetime) -> tuple[str, str]:
        day = dl.local_day(now, self.settings.timezone)
        return self._bound(day), self._bound(day + timedelta(days=1))

    def _bound(self, value: date | datetime) -> str:
        if not isinstance(value, datetime):
            value = datetime.combine(value, time(), self.settings.timezone)
        return stamp(value)

    def _agency_name(self, code: str) -> str:
        agency = self.settings.agency(code)
        return agency.name if agency else code


def actor_of(who: Official) -> str:
    return f"official:{who.channel}:{who.user_id}"


def is_link(value: str | None) -> bool:
    """A photo a platform keeps behind a URL (Zalo): an http(s) link officials can open."""
    return bool(value) and value.startswith(("https://", "http://")) and len(value) <= 1000


def links_of(attachments) -> list[str]:
    return [a.file_id for a in attachments if a.kind == "url"]


async def attach(conn: Conn, feedback_id: int, a: Attachment, at: str) -> None:
    if a.kind not in ("photo", "location", "url"):
        raise FeedbackRefused("bad_attachment")
    if a.kind == "url" and not is_link(a.file_id):
        raise FeedbackRefused("bad_attachment")
    await store.add_attachment(conn, feedback_id, a.kind, a.file_id, a.lat, a.lon, a.size, at)


async def roster_name_of(conn: Conn, channel: str, user_id: str | None) -> str:
    """An official as colleagues know them: the roster name, else the account id."""
    if not user_id:
        return ""
    return await people.roster_name(conn, channel, str(user_id)) or str(user_id)
