"""Storing ratings: one current rating per returned dossier, every change kept in history.

Writers take the caller's connection inside `db.transaction()`, and record their
domain events (`ratings.events`) there, so the messages `ratings.notices` makes of
them (an alert) commit with the change or not at all. Who may
rate is decided by `can_rate` (the verified owner of a returned dossier); the
writers re-check what they can see (status, the 7-day window) so a stale
button cannot slip past. Pressing the same button twice writes nothing.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from bot.clock import stamp, unstamp, utcnow
from bot.dossiers.model import Dossier
from bot.dossiers.phones import normalize_phone
from bot.notify import events
from bot.ratings.events import HarassmentReported, RatingLow
from bot.ratings.model import (
    CHANGE_WINDOW,
    FOLLOW_UPS,
    LEVELS,
    MAX_COMMENT,
    RETURNED,
    SATISFIED,
    Rating,
    RatingRefused,
)
from bot.store import Database
from bot.store import ratings as store
from bot.store.sql import Conn
from bot.text import clean, nfc

__all__ = ["CHANGE_WINDOW", "FOLLOW_UPS", "LEVELS", "SATISFIED", "Ratings"]

COLUMNS = store.RATING_COLUMNS
MAX_QUERY = 500
# A second 👍/👎 by the same person on the same question within this time replaces the first.
FEEDBACK_SAME_VOTE = timedelta(hours=24)


def _to_rating(row) -> Rating:
    """A rating row, by column name."""
    return Rating(
        dossier_code=row["dossier_code"],
        channel=row["channel"],
        user_id=row["user_id"],
        level=row["level"],
        first_rated_at=unstamp(row["first_rated_at"]),
        rated_at=unstamp(row["rated_at"]),
        agency_code=row["agency_code"],
        procedure_code=row["procedure_code"],
        field=row["field"],
        contacts_count=row["contacts_count"],
        staff_attitude=row["staff_attitude"],
        timeliness=row["timeliness"],
        comment=row["comment"],
    )


async def _load(conn: Conn, dossier_code: str) -> Rating | None:
    row = await store.rating(conn, dossier_code)
    return _to_rating(row) if row else None


async def _log(conn: Conn, r: Rating, now: str) -> None:
    """Append the rating as it is after a change."""
    answers = {k: v for k, v in r.answers().items() if v is not None}
    await store.add_history(
        conn, r.dossier_code, r.level, answers, r.comment, now, r.channel, r.user_id
    )


def _open(rating: Rating, now: datetime) -> None:
    if now > rating.window_closes_at:
        raise RatingRefused("window_closed", rating.dossier_code)


class Ratings:
    """The citizen's side: may I rate, rate, answer the follow-ups, comment."""

    def __init__(self, db: Database, settings=None):
        self.db = db
        self.settings = settings  # where alerts go; None: no alerts (tests of the store)

    async def rate_level(
        self, dossier: Dossier, channel: str, user_id: str, level: str, procedure_name: str | None
    ) -> tuple[Rating, bool]:
        """Rate, and alert the agency's officials in the same transaction when not satisfied;
        True when officials were alerted (the citizen is told so only then)."""
        alerted = False
        async with self.db.transaction() as conn:
            rating, _first = await self.rate(conn, dossier, channel, user_id, level)
            if level == "khong_hai_long" and self.settings is not None:
                low = RatingLow(dossier, rating, procedure_name)
                alerted = bool(await events.record(conn, low, self.settings))
        return rating, alerted

    async def answer_follow_up(self, dossier: Dossier, field: str, value: str) -> bool:
        """Store a follow-up answer; "staff caused trouble" alerts the leaders at once."""
        async with self.db.transaction() as conn:
            changed = await self.answer(conn, dossier.code, field, value)
            if (field, value) == ("staff_attitude", "phien_ha") and self.settings is not None:
                await events.record(conn, HarassmentReported(dossier), self.settings)
        return changed

    async def add_comment(self, dossier: Dossier, text: str, procedure_name: str | None) -> bool:
        """Store the comment; a "not satisfied" rating alerts again, now with the comment."""
        async with self.db.transaction() as conn:
            changed = await self.comment(conn, dossier.code, text)
            rating = await _load(conn, dossier.code)
            if rating and rating.level == "khong_hai_long" and self.settings is not None:
                low = RatingLow(dossier, rating, procedure_name)
                await events.record(conn, low, self.settings)
        return changed

    async def can_rate(
        self,
        dossier: Dossier,
        channel: str,
        user_id: str,
        verified_phone: str | None,
        now: datetime | None = None,
    ) -> str | None:
        """None when this user may rate (or change their rating); else the reason key.

        'not_returned' (status is not 10), 'not_owner' (no verified phone, or not
        the applicant's), 'window_closed' (rated more than 7 days ago).
        """
        if dossier.status != RETURNED:
            return "not_returned"
        owner = normalize_phone(dossier.applicant_phone)
        if owner is None or normalize_phone(verified_phone) != owner:
            return "not_owner"
        existing = await self.get(dossier.code)
        if existing is not None and (now or utcnow()) > existing.window_closes_at:
            return "window_closed"
        return None

    async def get(self, dossier_code: str) -> Rating | None:
        row = await store.rating(self.db, dossier_code)
        return _to_rating(row) if row else None

    async def rate(
        self,
        conn: Conn,
        dossier: Dossier,
        channel: str,
        user_id: str,
        level: str,
        now: datetime | None = None,
    ) -> tuple[Rating, bool]:
        """Insert, or change within the window (latest counts): (rating, is_first).

        The same level again writes nothing. Ownership is the caller's check
        (`can_rate`); status and window are checked here too.
        """
        if level not in LEVELS:
            raise RatingRefused("bad_level", repr(level))
        if dossier.status != RETURNED:
            raise RatingRefused("not_returned", dossier.code)
        now = now or utcnow()
        now_s = stamp(now)
        existing = await _load(conn, dossier.code)
        if existing is None:
            rating = Rating(
                dossier_code=dossier.code,
                channel=channel,
                user_id=str(user_id),
                level=level,
                first_rated_at=unstamp(now_s),
                rated_at=unstamp(now_s),
                agency_code=dossier.agency_code,
                procedure_code=dossier.procedure_code,
                field=await store.field_of(conn, dossier.procedure_code),
            )
            await store.add_rating(
                conn,
                {
                    "dossier_code": rating.dossier_code,
                    "channel": channel,
                    "user_id": rating.user_id,
                    "level": level,
                    "first_rated_at": now_s,
                    "rated_at": now_s,
                    "agency_code": rating.agency_code,
                    "procedure_code": rating.procedure_code,
                    "field": rating.field,
                },
            )
            await _log(conn, rating, now_s)
            return rating, True
        _open(existing, now)
        if existing.level == level:
            return existing, False
        existing.level, existing.rated_at = level, unstamp(now_s)
        existing.channel, existing.user_id = channel, str(user_id)
        await store.change_level(conn, dossier.code, level, now_s, channel, existing.user_id)
        await _log(conn, existing, now_s)
        return existing, False

    async def answer(
        self,
        conn: Conn,
        dossier_code: str,
        field: str,
        value: str,
        now: datetime | None = None,
    ) -> bool:
        """Store one follow-up answer (FOLLOW_UPS); False when it was already that value."""
        follow_up = FOLLOW_UPS.get(field)
        if follow_up is None:
            raise RatingRefused("bad_field", repr(field))
        if value not in follow_up.values:
            raise RatingRefused("bad_value", f"{field}={value!r}")
        return await self._change(conn, dossier_code, field, value, now)

    async def comment(
        self,
        conn: Conn,
        dossier_code: str,
        text: str,
        now: datetime | None = None,
    ) -> bool:
        """Store the free-text comment (at most 1000 characters); False when unchanged."""
        text = nfc(clean(text or "")).strip()
        if not text:
            raise RatingRefused("bad_value", "empty comment")
        if len(text) > MAX_COMMENT:
            raise RatingRefused("too_long", f"{len(text)} > {MAX_COMMENT} characters")
        return await self._change(conn, dossier_code, "comment", text, now)

    async def _change(
        self, conn: Conn, code: str, column: str, value: str, now: datetime | None
    ) -> bool:
        now = now or utcnow()
        rating = await _load(conn, code)
        if rating is None:
            raise RatingRefused("not_rated", code)
        _open(rating, now)
        if getattr(rating, column) == value:
            return False
        setattr(rating, column, value)
        await store.set_answer(conn, code, column, value)  # one of FOLLOW_UPS or 'comment'
        await _log(conn, rating, stamp(now))
        return True

    async def history(self, dossier_code: str) -> list[dict]:
        """The changes, oldest first: level, answers, comment, rated_at, channel, user_id."""
        return [
            {
                "level": r["level"],
                "answers": json.loads(r["answers"]),
                "comment": r["comment"],
                "rated_at": unstamp(r["rated_at"]),
                "channel": r["channel"],
                "user_id": r["user_id"],
            }
            for r in await store.history(self.db, dossier_code)
        ]

    @staticmethod
    async def mark_invited(
        conn: Conn,
        dossier_code: str,
        channel: str,
        chat_id: str | int,
        now: datetime | None = None,
    ) -> bool:
        """Record that an invitation was queued; False if this dossier was invited before."""
        return await store.mark_invited(
            conn, dossier_code, channel, str(chat_id), stamp(now or utcnow())
        )

    async def record_answer_feedback(
        self,
        channel: str,
        user_id: str,
        procedure_code: str,
        query: str | None,
        helpful: bool,
        now: datetime | None = None,
    ) -> bool:
        """👍/👎 under a procedure answer; True when new, False when it replaced a recent vote.

        The same person voting again on the same question within 24 h changes
        their vote instead of counting twice.
        """
        now = now or utcnow()
        query = nfc(query or "").strip()[:MAX_QUERY] or None
        async with self.db.transaction() as conn:
            since = stamp(now - FEEDBACK_SAME_VOTE)
            vote = await store.recent_vote(
                conn, channel, str(user_id), since, procedure_code, query
            )
            if vote is not None:
                await store.change_vote(conn, vote, helpful, stamp(now))
                return False
            await store.add_vote(
                conn, channel, str(user_id), procedure_code, query, helpful, stamp(now)
            )
            return True

    @staticmethod
    async def forget_user(conn: Conn, channel: str, user_id: str) -> int:
        """Right to deletion: drop the user id (and their typed questions), keep the counts.

        Comments are free text that may name people, so they go too.
        """
        return await store.forget_user(conn, channel, str(user_id))
