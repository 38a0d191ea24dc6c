"""The citizens' side of a ticket: sending it, answering an official's question, rating.

Each change, its event (who, when) and the domain event it records commit in one
transaction; `notices` turns that event into outbox messages in the same
transaction, so a crash never leaves a ticket changed and its citizen or desk
untold, nor tells anyone twice. No text is rendered here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.clock import stamp
from bot.feedback import events as ev
from bot.feedback.desk import TicketDesk, attach, links_of
from bot.feedback.model import (
    DAILY_LIMIT,
    MAX_ATTACHMENTS,
    TEXT_MAX,
    Attachment,
    Draft,
    FeedbackRefused,
    Ticket,
    clean_text,
    text_hash,
    ticket_from_row,
)
from bot.feedback.routing import route
from bot.store import feedback as store
from bot.store.sql import Conn


class CitizenActions(TicketDesk):
    async def submit(self, draft: Draft, now: datetime) -> Ticket:
        """Validate, store with attachments, and queue the receipt and the desk's alert."""
        text, name, phone, dossier = self._validate(draft)
        anonymous = not (name and phone)
        digest = text_hash(text)
        at = stamp(now)
        async with self.db.transaction() as conn:
            user = str(draft.user_id)
            since = stamp(now - timedelta(hours=24))
            first = await store.first_duplicate(conn, draft.channel, user, digest, since)
            if first:
                raise FeedbackRefused("duplicate", first)
            start, end = self._day_bounds(now)
            if await store.count_sent(conn, draft.channel, user, start, end) >= DAILY_LIMIT:
                raise FeedbackRefused("daily_limit")
            way = await route(conn, self.settings, draft.category, draft.agency_code)
            consented = name or phone
            fid = await store.add_ticket(
                conn,
                {
                    "number": await self._next_number(conn, now),
                    "channel": draft.channel,
                    "user_id": user,
                    "chat_id": str(draft.chat_id),
                    "category": draft.category,
                    "agency_code": draft.agency_code,
                    "dossier_code": dossier,
                    "text": text,
                    "name": name,
                    "phone": phone,
                    "anonymous": int(anonymous),
                    "consent_at": stamp(draft.consent_at)
                    if draft.consent_at and consented
                    else None,
                    "consent_wording": draft.consent_wording if consented else None,
                    "publish_consent": int(draft.publish_consent),
                    "routed_chat_id": way.chat_id,
                    "created_at": at,
                    "updated_at": at,
                    "text_hash": digest,
                },
            )
            for a in draft.attachments:
                await attach(conn, fid, a, at)
            await self.record(conn, fid, "created", "citizen", now, None if way.ok else way.reason)
            t = await self._load(conn, fid)
            links = tuple(links_of(draft.attachments))
            await self._tell(conn, ev.FeedbackReceived(t, way, links))
        return t

    async def awaiting_info(self, channel: str, user_id: str) -> Ticket | None:
        """The citizen's ticket an official asked about: their next message answers it."""
        row = await store.waiting_for_info(self.db, channel, user_id)
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
                await attach(conn, t.id, a, stamp(now))
            status = "assigned" if t.assignee else "received"
            await self._set(conn, t.id, now, status=status)
            eid = await self.record(conn, t.id, "info_added", "citizen", now, text)
            t = await self._load(conn, t.id)
            links = tuple(links_of(attachments))
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
            await store.rate(conn, t.id, satisfied, stamp(now))
            note = "satisfied" if satisfied else "not_satisfied"
            await self.record(conn, t.id, "rated", "citizen", now, note)
            t = await self._load(conn, t.id)
            await self._tell(conn, ev.FeedbackRated(t, satisfied, self.staff_channel))
        return t

    @staticmethod
    async def forget_user(conn: Conn, channel: str, user_id: str) -> int:
        """The citizen asked to be deleted: tickets stay for the record, without who sent them."""
        return await store.forget_sender(conn, channel, str(user_id))
