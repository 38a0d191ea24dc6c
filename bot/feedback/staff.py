"""The officials' side of a ticket: take it, ask, answer, forward, reject, close, publish.

Each action reads the roster afresh and checks the ticket's state in the same
transaction that changes it; its event and the domain event it records (which
`notices` turns into the citizen's message) commit with it.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.clock import stamp, unstamp
from bot.feedback import deadlines as dl
from bot.feedback import events as ev
from bot.feedback.desk import TicketDesk, actor_of, roster_name_of
from bot.feedback.model import (
    PENDING_ACTIONS,
    TEXT_MAX,
    FeedbackRefused,
    Pending,
    Ticket,
    clean_text,
)
from bot.feedback.routing import route
from bot.store import feedback as store


class StaffActions(TicketDesk):
    async def assign(self, feedback_id: int, official, now: datetime) -> Ticket:
        """ "Nhận xử lý": the official takes the ticket (a leader may take it over)."""
        who = await self._official(official)
        async with self.db.transaction() as conn:
            t = await self._checked(conn, feedback_id, who, "assign")
            if t.assignee == who.user_id:
                return t
            status = "need_info" if t.status == "need_info" else "assigned"
            await self._set(conn, t.id, now, status=status, assignee=who.user_id)
            eid = await self.record(conn, t.id, "assigned", actor_of(who), now)
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
            eid = await self.record(conn, t.id, "need_info", actor_of(who), now, question)
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
            eid = await self.record(conn, t.id, "answered", actor_of(who), now)
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
            eid = await self.record(conn, t.id, "forwarded", actor_of(who), now, note)
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
            eid = await self.record(conn, t.id, "rejected", actor_of(who), now, reason)
            t = await self._load(conn, t.id)
            await self._tell(conn, ev.FeedbackStep(t, eid, "rejected", reason))
        return t

    async def close(self, feedback_id: int, official, now: datetime) -> Ticket:
        who = await self._official(official)
        async with self.db.transaction() as conn:
            t = await self._checked(conn, feedback_id, who, "close")
            await self._set(conn, t.id, now, status="closed")
            eid = await self.record(conn, t.id, "closed", actor_of(who), now)
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
            eid = await self.record(conn, t.id, "published", actor_of(who), now)
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
            await store.set_pending(conn, channel, str(user_id), t.id, action, stamp(now))
        self.on_waiting(channel, str(user_id))
        return t

    async def pending_answer_for(self, channel: str, user_id: str) -> Pending | None:
        return _pending(await store.pending(self.db, channel, str(user_id)))

    async def pop_pending(self, channel: str, user_id: str) -> Pending | None:
        async with self.db.transaction() as conn:
            row = await store.pending(conn, channel, str(user_id))
            await store.drop_pending(conn, channel, str(user_id))
        return _pending(row)

    async def escalate(self, t: Ticket, kind: str, due: date, now: datetime) -> bool:
        """A missed deadline goes to the leaders once (an 'escalated' event marks it)."""
        note = f"{kind}:{due.isoformat()}"
        async with self.db.transaction() as conn:
            if await store.escalated(conn, t.id, note):
                return False
            holder = await roster_name_of(conn, self.staff_channel, t.assignee)
            missed = ev.FeedbackOverdue(t, kind, due, note, holder, self.staff_channel)
            told = await self._tell(conn, missed)
            where = "" if told else " no_chat"
            await self.record(conn, t.id, "escalated", "system", now, note + where)
        return True


def _pending(row) -> Pending | None:
    return Pending(row["feedback_id"], row["action"], unstamp(row["at"])) if row else None
