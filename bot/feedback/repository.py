"""The feedback service: tickets in, officials' actions, citizens' updates.

Each change, its event (who, when) and the domain event it records commit in one
transaction; `notices` turns that event into outbox messages in the same transaction,
so a crash never leaves a ticket changed and its citizen or desk untold, nor tells
anyone twice. No text is rendered here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import aiosqlite

from bot.clock import stamp, unstamp
from bot.dossiers.codes import normalize_dossier_code
from bot.dossiers.phones import normalize_phone
from bot.feedback import deadlines as dl
from bot.feedback import events as ev
from bot.feedback.model import (
    CATEGORIES,
    DAILY_LIMIT,
    HARASSMENT,
    MAX_ATTACHMENTS,
    OPEN,
    TEXT_MAX,
    TEXT_MIN,
    TICKET_COLUMNS,
    Attachment,
    Draft,
    FeedbackRefused,
    Ticket,
    clean_text,
    text_hash,
    ticket_from_row,
    ticket_number,
)
from bot.feedback.routing import route
from bot.notify import events
from bot.people.officials import Official, Officials
from bot.settings import Settings
from bot.store import Database
from bot.text import nfc, squash
from bot.workdays.calendar import WorkCalendar, default_calendar

__all__ = ["CATEGORIES", "FeedbackRefused", "FeedbackService", "Pending", "Published"]

PENDING_ACTIONS = ("answer", "need_info", "reject")
# Where each official action may start from.
_FROM = {
    "assign": OPEN,
    "need_info": OPEN,
    "answer": OPEN,
    "forward": OPEN,
    "reject": OPEN,
    "close": frozenset({"received", "assigned", "need_info", "forwarded", "answered", "rejected"}),
}


@dataclass(frozen=True)
class Event:
    action: str
    actor: str
    at: datetime
    note: str | None


@dataclass(frozen=True)
class Pending:
    feedback_id: int
    action: str  # answer | need_info | reject
    at: datetime


@dataclass(frozen=True)
class Published:
    """An answer fit for the public: no name, phone, account or dossier code."""

    number: str
    category: str  # the label
    agency: str  # the commune's name
    question: str
    answer: str
    received: date
    answered: date
    published: date


class FeedbackService:
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

    # ---- citizens ---------------------------------------------------------------------

    async def submit(self, draft: Draft, now: datetime) -> Ticket:
        """Validate, store with attachments, and queue the receipt and the desk's alert."""
        text, name, phone, dossier = self._validate(draft)
        anonymous = not (name and phone)
        digest = text_hash(text)
        at = stamp(now)
        async with self.db.transaction() as conn:
            first = await _one(
                conn,
                "SELECT number FROM feedback WHERE channel = ? AND user_id = ? AND text_hash = ?"
                " AND created_at > ? ORDER BY id LIMIT 1",
                (draft.channel, str(draft.user_id), digest, stamp(now - timedelta(hours=24))),
            )
            if first:
                raise FeedbackRefused("duplicate", first[0])
            start, end = self._day_bounds(now)
            count = await _one(
                conn,
                "SELECT COUNT(*) FROM feedback WHERE channel = ? AND user_id = ?"
                " AND created_at >= ? AND created_at < ?",
                (draft.channel, str(draft.user_id), start, end),
            )
            if count[0] >= DAILY_LIMIT:
                raise FeedbackRefused("daily_limit")
            way = await route(conn, self.settings, draft.category, draft.agency_code)
            cur = await conn.execute(
                "INSERT INTO feedback(number, channel, user_id, chat_id, category, agency_code,"
                " dossier_code, text, name, phone, anonymous, consent_at, consent_wording,"
                " publish_consent, status, routed_chat_id, created_at, updated_at, text_hash)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,'received',?,?,?,?)",
                (
                    await self._next_number(conn, now),
                    draft.channel,
                    str(draft.user_id),
                    str(draft.chat_id),
                    draft.category,
                    draft.agency_code,
                    dossier,
                    text,
                    name,
                    phone,
                    int(anonymous),
                    stamp(draft.consent_at) if draft.consent_at and (name or phone) else None,
                    draft.consent_wording if name or phone else None,
                    int(draft.publish_consent),
                    way.chat_id,
                    at,
                    at,
                    digest,
                ),
            )
            fid = cur.lastrowid
            for a in draft.attachments:
                await _attach(conn, fid, a, at)
            await self.record(conn, fid, "created", "citizen", now, None if way.ok else way.reason)
            t = await self._load(conn, fid)
            links = tuple(_links(draft.attachments))
            await self._tell(conn, ev.FeedbackReceived(t, way, links))
        return t

    async def awaiting_info(self, channel: str, user_id: str) -> Ticket | None:
        """The citizen's ticket an official asked about: their next message answers it."""
        row = await self.db.fetchone(
            f"SELECT {TICKET_COLUMNS} FROM feedback WHERE channel = ? AND user_id = ?"
            " AND status = 'need_info' ORDER BY updated_at DESC, id DESC LIMIT 1",
            (channel, user_id),
        )
        return self._with_deadlines(ticket_from_row(row)) if row else None

    async def add_info(
        self,
        feedback_id: int,
        channel: str,
        user_id: str,
        text: str,
        now: datetime,
        attachments: tuple[Attachment, ...] = (),
    ) -> Ticket:
        """The citizen's reply to "need info": kept as an event, passed on to the official."""
        text = clean_text(text)
        if not text:
            raise FeedbackRefused("empty")
        if len(text) > TEXT_MAX:
            raise FeedbackRefused("too_long")
        async with self.db.transaction() as conn:
            t = await self._load(conn, feedback_id)
            if t.channel != channel or t.user_id != str(user_id):
                raise FeedbackRefused("not_owner")
            if t.status != "need_info":
                raise FeedbackRefused("bad_state")
            for a in attachments[: MAX_ATTACHMENTS - t.attachments]:
                await _attach(conn, t.id, a, stamp(now))
            status = "assigned" if t.assignee else "received"
            await self._set(conn, t.id, now, status=status)
            eid = await self.record(conn, t.id, "info_added", "citizen", now, text)
            t = await self._load(conn, t.id)
            links = tuple(_links(attachments))
            info = ev.FeedbackInfoAdded(t, eid, text, self.staff_channel, links)
            await self._tell(conn, info)
        return t

    async def rate_answer(
        self, feedback_id: int, channel: str, user_id: str, satisfied: bool, now: datetime
    ) -> Ticket:
        """Once per ticket; "not satisfied" alerts the leaders to review the answer."""
        async with self.db.transaction() as conn:
            t = await self._load(conn, feedback_id)
            if t.channel != channel or t.user_id != str(user_id):
                raise FeedbackRefused("not_owner")
            if t.answer is None:
                raise FeedbackRefused("bad_state")
            if t.satisfied is not None:
                raise FeedbackRefused("already_rated")
            await conn.execute(
                "UPDATE feedback SET satisfied = ?, rated_at = ?, updated_at = ? WHERE id = ?",
                (int(satisfied), stamp(now), stamp(now), t.id),
            )
            note = "satisfied" if satisfied else "not_satisfied"
            await self.record(conn, t.id, "rated", "citizen", now, note)
            t = await self._load(conn, t.id)
            await self._tell(conn, ev.FeedbackRated(t, satisfied, self.staff_channel))
        return t

    @staticmethod
    async def forget_user(conn: aiosqlite.Connection, channel: str, user_id: str) -> int:
        """The citizen asked to be deleted: tickets stay for the record, without who sent them."""
        cur = await conn.execute(
            "UPDATE feedback SET user_id = NULL, chat_id = NULL, name = NULL, phone = NULL,"
            " consent_at = NULL, consent_wording = NULL WHERE channel = ? AND user_id = ?",
            (channel, str(user_id)),
        )
        return cur.rowcount

    # ---- officials --------------------------------------------------------------------

    async def assign(self, feedback_id: int, official, now: datetime) -> Ticket:
        """ "Nhận xử lý": the official takes the ticket (a leader may take it over)."""
        who = await self._official(official)
        async with self.db.transaction() as conn:
            t = await self._checked(conn, feedback_id, who, "assign")
            if t.assignee == who.user_id:
                return t
            status = "need_info" if t.status == "need_info" else "assigned"
            await self._set(conn, t.id, now, status=status, assignee=who.user_id)
            eid = await self.record(conn, t.id, "assigned", _actor(who), now)
            t = await self._load(conn, t.id)
            if status == "assigned" and not await self._told(conn, t.id, "assigned", eid):
                await self._tell(conn, ev.FeedbackStep(t, eid, "assigned"))
        return t

    async def ask_info(self, feedback_id: int, official, question: str, now: datetime) -> Ticket:
        question = clean_text(question)
        if not question:
            raise FeedbackRefused("empty")
        who = await self._official(official)
        async with self.db.transaction() as conn:
            t = await self._checked(conn, feedback_id, who, "need_info")
            if dl.local_day(now, self.settings.timezone) > t.deadlines.ask_info_by:
                raise FeedbackRefused("too_late")
            await self._set(conn, t.id, now, status="need_info", assignee=t.assignee or who.user_id)
            eid = await self.record(conn, t.id, "need_info", _actor(who), now, question)
            t = await self._load(conn, t.id)
            await self._tell(conn, ev.FeedbackStep(t, eid, "need_info", question))
        self.on_waiting(t.channel, t.user_id or "")
        return t

    async def answer(self, feedback_id: int, official, text: str, now: datetime) -> Ticket:
        """The answer goes to the citizen with "Bạn có hài lòng…?" (f:ok / f:ko)."""
        text = clean_text(text)
        if not text:
            raise FeedbackRefused("empty")
        if len(text) > TEXT_MAX:
            raise FeedbackRefused("too_long")
        who = await self._official(official)
        async with self.db.transaction() as conn:
            t = await self._checked(conn, feedback_id, who, "answer")
            await self._set(
                conn,
                t.id,
                now,
                status="answered",
                assignee=t.assignee or who.user_id,
                answer=text,
                answered_at=stamp(now),
            )
            eid = await self.record(conn, t.id, "answered", _actor(who), now)
            t = await self._load(conn, t.id)
            await self._tell(conn, ev.FeedbackAnswered(t, eid))
        return t

    async def forward(self, feedback_id: int, official, agency_code: str, now: datetime) -> Ticket:
        """Not this agency's matter: re-route to the other agency's chat."""
        target = self.settings.agency(agency_code)
        if target is None:
            raise FeedbackRefused("bad_agency")
        who = await self._official(official)
        async with self.db.transaction() as conn:
            t = await self._checked(conn, feedback_id, who, "forward")
            if agency_code == t.agency_code:
                raise FeedbackRefused("bad_state")
            old = self._agency_name(t.agency_code)
            way = await route(conn, self.settings, t.category, agency_code)
            await self._set(
                conn,
                t.id,
                now,
                status="forwarded",
                assignee=None,
                agency_code=agency_code,
                routed_chat_id=way.chat_id,
            )
            note = f"{t.agency_code}->{agency_code}" + ("" if way.ok else f" ({way.reason})")
            eid = await self.record(conn, t.id, "forwarded", _actor(who), now, note)
            t = await self._load(conn, t.id)
            moved = ev.FeedbackForwarded(t, eid, way, old, target.name)
            await self._tell(conn, moved)
        return t

    async def reject(self, feedback_id: int, official, reason: str, now: datetime) -> Ticket:
        reason = clean_text(reason)
        if not reason:
            raise FeedbackRefused("empty")
        who = await self._official(official)
        async with self.db.transaction() as conn:
            t = await self._checked(conn, feedback_id, who, "reject")
            await self._set(conn, t.id, now, status="rejected")
            eid = await self.record(conn, t.id, "rejected", _actor(who), now, reason)
            t = await self._load(conn, t.id)
            await self._tell(conn, ev.FeedbackStep(t, eid, "rejected", reason))
        return t

    async def close(self, feedback_id: int, official, now: datetime) -> Ticket:
        who = await self._official(official)
        async with self.db.transaction() as conn:
            t = await self._checked(conn, feedback_id, who, "close")
            await self._set(conn, t.id, now, status="closed")
            eid = await self.record(conn, t.id, "closed", _actor(who), now)
            t = await self._load(conn, t.id)
            await self._tell(conn, ev.FeedbackStep(t, eid, "closed"))
        return t

    async def publish(
        self, feedback_id: int, official, now: datetime, public_text: str | None = None
    ) -> Ticket:
        """Make an answer public (the sender agreed); `public_text` may redact the question."""
        who = await self._official(official)
        async with self.db.transaction() as conn:
            t = await self._load(conn, feedback_id)
            self._may(who, t)
            if t.answer is None or t.published_at is not None:
                raise FeedbackRefused("bad_state")
            if not t.publish_consent:
                raise FeedbackRefused("no_publish_consent")
            await self._set(
                conn,
                t.id,
                now,
                published_at=stamp(now),
                public_text=clean_text(public_text) or None,
            )
            eid = await self.record(conn, t.id, "published", _actor(who), now)
            t = await self._load(conn, t.id)
            await self._tell(conn, ev.FeedbackStep(t, eid, "published"))
        return t

    async def check(self, official, feedback_id: int, action: str) -> Ticket:
        """Refuse at the first press what `action` would refuse at the last (a chooser shown
        to someone who may not forward, say); the ticket when the official may go on."""
        who = await self._official(official)
        async with self.db.transaction() as conn:
            return await self._checked(conn, feedback_id, who, action)

    async def set_pending(
        self, channel: str, user_id: str, feedback_id: int, action: str, now: datetime
    ) -> Ticket:
        """The official pressed answer / need info / reject: their next message is the text."""
        if action not in PENDING_ACTIONS:
            raise ValueError(f"action must be one of {PENDING_ACTIONS}")
        who = await self._official((channel, user_id))
        async with self.db.transaction() as conn:
            t = await self._checked(conn, feedback_id, who, action)
            await conn.execute(
                "INSERT INTO feedback_pending(channel, user_id, feedback_id, action, at)"
                " VALUES (?,?,?,?,?) ON CONFLICT(channel, user_id) DO UPDATE SET"
                " feedback_id = excluded.feedback_id, action = excluded.action, at = excluded.at",
                (channel, str(user_id), t.id, action, stamp(now)),
            )
        self.on_waiting(channel, str(user_id))
        return t

    async def pending_answer_for(self, channel: str, user_id: str) -> Pending | None:
        row = await self.db.fetchone(
            "SELECT feedback_id, action, at FROM feedback_pending"
            " WHERE channel = ? AND user_id = ?",
            (channel, str(user_id)),
        )
        return Pending(row[0], row[1], unstamp(row[2])) if row else None

    async def pop_pending(self, channel: str, user_id: str) -> Pending | None:
        key = (channel, str(user_id))
        async with self.db.transaction() as conn:
            row = await _one(
                conn,
                "SELECT feedback_id, action, at FROM feedback_pending"
                " WHERE channel = ? AND user_id = ?",
                key,
            )
            await conn.execute(
                "DELETE FROM feedback_pending WHERE channel = ? AND user_id = ?", key
            )
        return Pending(row[0], row[1], unstamp(row[2])) if row else None

    # ---- queries ----------------------------------------------------------------------

    async def get(self, feedback_id: int) -> Ticket | None:
        row = await self.db.fetchone(
            f"SELECT {TICKET_COLUMNS} FROM feedback WHERE id = ?", (feedback_id,)
        )
        return self._with_deadlines(ticket_from_row(row)) if row else None

    async def by_number(self, number: str) -> Ticket | None:
        row = await self.db.fetchone(
            f"SELECT {TICKET_COLUMNS} FROM feedback WHERE number = ?", (number.strip().upper(),)
        )
        return self._with_deadlines(ticket_from_row(row)) if row else None

    async def mine(self, channel: str, user_id: str, limit: int = 20) -> list[Ticket]:
        rows = await self.db.fetchall(
            f"SELECT {TICKET_COLUMNS} FROM feedback WHERE channel = ? AND user_id = ?"
            " ORDER BY id DESC LIMIT ?",
            (channel, str(user_id), limit),
        )
        return [self._with_deadlines(ticket_from_row(r)) for r in rows]

    async def attachments(self, feedback_id: int) -> list[Attachment]:
        rows = await self.db.fetchall(
            "SELECT kind, file_id, lat, lon, size FROM feedback_attachments"
            " WHERE feedback_id = ? ORDER BY id",
            (feedback_id,),
        )
        return [Attachment(*r) for r in rows]

    async def events(self, feedback_id: int) -> list[Event]:
        rows = await self.db.fetchall(
            "SELECT action, actor, at, note FROM feedback_events WHERE feedback_id = ? ORDER BY id",
            (feedback_id,),
        )
        return [Event(r[0], r[1], unstamp(r[2]), r[3]) for r in rows]

    async def open_tickets(self, agency: str | None = None) -> list[Ticket]:
        """Tickets with a deadline still running: open ones and answers waiting to be public."""
        where = " AND agency_code = ?" if agency else ""
        rows = await self.db.fetchall(
            f"SELECT {TICKET_COLUMNS} FROM feedback WHERE (status IN"
            " ('received', 'assigned', 'need_info', 'forwarded') OR (status = 'answered'"
            f" AND publish_consent = 1 AND published_at IS NULL)){where} ORDER BY id",
            (agency,) if agency else (),
        )
        return [self._with_deadlines(ticket_from_row(r)) for r in rows]

    async def overdue(self, now: datetime, agency: str | None = None) -> list[Ticket]:
        """Tickets late against any running deadline, oldest first."""
        tz = self.settings.timezone
        today = dl.local_day(now, tz)
        return [
            t
            for t in await self.open_tickets(agency)
            if any(today > due for _k, _s, due in dl.running(t, t.deadlines, tz))
        ]

    async def published(self, start: date | datetime, end: date | datetime) -> list[Published]:
        """Answers made public in [start, end): no personal data."""
        rows = await self.db.fetchall(
            "SELECT number, category, agency_code, COALESCE(public_text, text), answer,"
            " created_at, answered_at, published_at FROM feedback"
            " WHERE published_at >= ? AND published_at < ? AND answer IS NOT NULL"
            " AND publish_consent = 1 ORDER BY published_at, id",
            (self._bound(start), self._bound(end)),
        )
        tz = self.settings.timezone
        return [
            Published(
                number=r[0],
                category=CATEGORIES.get(r[1], r[1]),
                agency=self._agency_name(r[2]),
                question=r[3],
                answer=r[4],
                received=dl.local_day(unstamp(r[5]), tz),
                answered=dl.local_day(unstamp(r[6]), tz),
                published=dl.local_day(unstamp(r[7]), tz),
            )
            for r in rows
        ]

    # ---- used by deadlines.run_deadlines ----------------------------------------------

    async def escalate(self, t: Ticket, kind: str, due: date, now: datetime) -> bool:
        """A missed deadline goes to the leaders once (an 'escalated' event marks it)."""
        note = f"{kind}:{due.isoformat()}"
        async with self.db.transaction() as conn:
            seen = await _one(
                conn,
                "SELECT 1 FROM feedback_events WHERE feedback_id = ? AND action = 'escalated'"
                " AND (note = ? OR note LIKE ?)",
                (t.id, note, note + " %"),
            )
            if seen:
                return False
            holder = await _roster_name(conn, self.staff_channel, t.assignee)
            missed = ev.FeedbackOverdue(t, kind, due, note, holder, self.staff_channel)
            told = await self._tell(conn, missed)
            where = "" if told else " no_chat"
            await self.record(conn, t.id, "escalated", "system", now, note + where)
        return True

    async def record(
        self,
        conn: aiosqlite.Connection,
        feedback_id: int,
        action: str,
        actor: str,
        now: datetime,
        note: str | None = None,
    ) -> int:
        cur = await conn.execute(
            "INSERT INTO feedback_events(feedback_id, action, actor, at, note) VALUES (?,?,?,?,?)",
            (feedback_id, action, actor, stamp(now), note),
        )
        return cur.lastrowid

    # ---- internals --------------------------------------------------------------------

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
        sql = f"SELECT {TICKET_COLUMNS} FROM feedback WHERE id = ?"
        row = await _one(conn, sql, (feedback_id,))
        if row is None:
            raise FeedbackRefused("not_found")
        return self._with_deadlines(ticket_from_row(row))

    def _with_deadlines(self, t: Ticket) -> Ticket:
        t.deadlines = dl.compute(t, self.calendar, self.settings.timezone)
        return t

    async def _set(self, conn, feedback_id: int, now: datetime, **values) -> None:
        cols = ", ".join(f"{k} = ?" for k in values)
        await conn.execute(
            f"UPDATE feedback SET {cols}, updated_at = ? WHERE id = ?",
            (*values.values(), stamp(now), feedback_id),
        )

    async def _told(self, conn, feedback_id: int, action: str, before_event: int) -> bool:
        row = await _one(
            conn,
            "SELECT 1 FROM feedback_events WHERE feedback_id = ? AND action = ? AND id < ?",
            (feedback_id, action, before_event),
        )
        return row is not None

    async def _tell(self, conn, event: events.Event) -> int:
        """Record the domain event; `notices` queues its messages in this transaction."""
        return await events.record(conn, event, self.settings)

    async def _next_number(self, conn, now: datetime) -> str:
        year = now.astimezone(self.settings.timezone).year
        prefix = f"PAKN-{year:04d}-"
        row = await _one(
            conn,
            "SELECT number FROM feedback WHERE number >= ? AND number < ?"
            " ORDER BY number DESC LIMIT 1",
            (prefix, prefix + "~"),
        )
        return ticket_number(year, int(row[0][-6:]) + 1 if row else 1)

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


def _actor(who: Official) -> str:
    return f"official:{who.channel}:{who.user_id}"


async def _one(conn: aiosqlite.Connection, sql: str, params: tuple = ()):
    async with conn.execute(sql, params) as cur:
        return await cur.fetchone()


def _is_link(value: str | None) -> bool:
    """A photo a platform keeps behind a URL (Zalo): an http(s) link officials can open."""
    return bool(value) and value.startswith(("https://", "http://")) and len(value) <= 1000


def _links(attachments) -> list[str]:
    return [a.file_id for a in attachments if a.kind == "url"]


async def _attach(conn: aiosqlite.Connection, feedback_id: int, a: Attachment, at: str) -> None:
    if a.kind not in ("photo", "location", "url"):
        raise FeedbackRefused("bad_attachment")
    if a.kind == "url" and not _is_link(a.file_id):
        raise FeedbackRefused("bad_attachment")
    await conn.execute(
        "INSERT INTO feedback_attachments(feedback_id, kind, file_id, lat, lon, size, added_at)"
        " VALUES (?,?,?,?,?,?,?)",
        (feedback_id, a.kind, a.file_id, a.lat, a.lon, a.size, at),
    )


async def _roster_name(conn: aiosqlite.Connection, channel: str, user_id: str | None) -> str:
    """An official as colleagues know them: the roster name, else the account id."""
    if not user_id:
        return ""
    row = await _one(
        conn,
        "SELECT name FROM officials WHERE channel = ? AND user_id = ?",
        (channel, str(user_id)),
    )
    return (row[0] if row and row[0] else "") or str(user_id)
