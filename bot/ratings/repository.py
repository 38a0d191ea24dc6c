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
from collections.abc import Sequence
from datetime import datetime, timedelta

import aiosqlite

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
from bot.text import clean, nfc

__all__ = ["CHANGE_WINDOW", "FOLLOW_UPS", "LEVELS", "SATISFIED", "Ratings"]

COLUMNS = (
    "dossier_code", "channel", "user_id", "level", "first_rated_at", "rated_at",
    "agency_code", "procedure_code", "field", "contacts_count", "staff_attitude",
    "timeliness", "comment",
)  # fmt: skip
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM ratings WHERE dossier_code = ?"
MAX_QUERY = 500
# A second 👍/👎 by the same person on the same question within this time replaces the first.
FEEDBACK_SAME_VOTE = timedelta(hours=24)


def _to_rating(row: Sequence) -> Rating:
    return Rating(
        dossier_code=row[0],
        channel=row[1],
        user_id=row[2],
        level=row[3],
        first_rated_at=unstamp(row[4]),
        rated_at=unstamp(row[5]),
        agency_code=row[6],
        procedure_code=row[7],
        field=row[8],
        contacts_count=row[9],
        staff_attitude=row[10],
        timeliness=row[11],
        comment=row[12],
    )


async def _load(conn: aiosqlite.Connection, dossier_code: str) -> Rating | None:
    async with conn.execute(_SELECT, (dossier_code,)) as cur:
        row = await cur.fetchone()
    return _to_rating(row) if row else None


async def _log(conn: aiosqlite.Connection, r: Rating, now: str) -> None:
    """Append the rating as it is after a change."""
    answers = {k: v for k, v in r.answers().items() if v is not None}
    await conn.execute(
        "INSERT INTO rating_history(dossier_code, level, answers, comment, rated_at, channel,"
        " user_id) VALUES (?,?,?,?,?,?,?)",
        (r.dossier_code, r.level, json.dumps(answers), r.comment, now, r.channel, r.user_id),
    )


async def _field_of(conn: aiosqlite.Connection, procedure_code: str) -> str | None:
    """The procedure's field (lĩnh vực) from the catalog, matched on the first 8 characters."""
    async with conn.execute(
        "SELECT field FROM procedures WHERE code = ? OR code8 = ? ORDER BY code = ? DESC LIMIT 1",
        (procedure_code, procedure_code[:8], procedure_code),
    ) as cur:
        row = await cur.fetchone()
    return (row[0] or None) if row else None


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
        row = await self.db.fetchone(_SELECT, (dossier_code,))
        return _to_rating(row) if row else None

    async def rate(
        self,
        conn: aiosqlite.Connection,
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
                field=await _field_of(conn, dossier.procedure_code),
            )
            await conn.execute(
                f"INSERT INTO ratings({', '.join(COLUMNS)})"
                f" VALUES ({', '.join('?' * len(COLUMNS))})",
                (
                    rating.dossier_code, channel, rating.user_id, level, now_s, now_s,
                    rating.agency_code, rating.procedure_code, rating.field,
                    None, None, None, None,
                ),
            )  # fmt: skip
            await _log(conn, rating, now_s)
            return rating, True
        _open(existing, now)
        if existing.level == level:
            return existing, False
        existing.level, existing.rated_at = level, unstamp(now_s)
        existing.channel, existing.user_id = channel, str(user_id)
        await conn.execute(
            "UPDATE ratings SET level = ?, rated_at = ?, channel = ?, user_id = ?"
            " WHERE dossier_code = ?",
            (level, now_s, channel, existing.user_id, dossier.code),
        )
        await _log(conn, existing, now_s)
        return existing, False

    async def answer(
        self,
        conn: aiosqlite.Connection,
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
        conn: aiosqlite.Connection,
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
        self, conn: aiosqlite.Connection, code: str, column: str, value: str, now: datetime | None
    ) -> bool:
        now = now or utcnow()
        rating = await _load(conn, code)
        if rating is None:
            raise RatingRefused("not_rated", code)
        _open(rating, now)
        if getattr(rating, column) == value:
            return False
        setattr(rating, column, value)
        # column is one of FOLLOW_UPS or 'comment', checked by the callers: safe to format.
        await conn.execute(f"UPDATE ratings SET {column} = ? WHERE dossier_code = ?", (value, code))
        await _log(conn, rating, stamp(now))
        return True

    async def history(self, dossier_code: str) -> list[dict]:
        """The changes, oldest first: level, answers, comment, rated_at, channel, user_id."""
        rows = await self.db.fetchall(
            "SELECT level, answers, comment, rated_at, channel, user_id FROM rating_history"
            " WHERE dossier_code = ? ORDER BY id",
            (dossier_code,),
        )
        return [
            {
                "level": r[0],
                "answers": json.loads(r[1]),
                "comment": r[2],
                "rated_at": unstamp(r[3]),
                "channel": r[4],
                "user_id": r[5],
            }
            for r in rows
        ]

    @staticmethod
    async def mark_invited(
        conn: aiosqlite.Connection,
        dossier_code: str,
        channel: str,
        chat_id: str | int,
        now: datetime | None = None,
    ) -> bool:
        """Record that an invitation was queued; False if this dossier was invited before."""
        cur = await conn.execute(
            "INSERT INTO rating_invitations(dossier_code, channel, chat_id, queued_at)"
            " VALUES (?,?,?,?) ON CONFLICT(dossier_code) DO NOTHING",
            (dossier_code, channel, str(chat_id), stamp(now or utcnow())),
        )
        return cur.rowcount == 1

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
            async with conn.execute(
                "SELECT id FROM answer_feedback WHERE channel = ? AND user_id = ? AND at >= ?"
                " AND procedure_code = ? AND query IS ? ORDER BY id DESC LIMIT 1",
                (channel, str(user_id), stamp(now - FEEDBACK_SAME_VOTE), procedure_code, query),
            ) as cur:
                row = await cur.fetchone()
            if row is not None:
                await conn.execute(
                    "UPDATE answer_feedback SET helpful = ?, at = ? WHERE id = ?",
                    (int(bool(helpful)), stamp(now), row[0]),
                )
                return False
            await conn.execute(
                "INSERT INTO answer_feedback(channel, user_id, procedure_code, query, helpful, at)"
                " VALUES (?,?,?,?,?,?)",
                (channel, str(user_id), procedure_code, query, int(bool(helpful)), stamp(now)),
            )
            return True

    @staticmethod
    async def forget_user(conn: aiosqlite.Connection, channel: str, user_id: str) -> int:
        """Right to deletion: drop the user id (and their typed questions), keep the counts.

        Comments are free text that may name people, so they go too.
        """
        changed = 0
        for sql in (
            "UPDATE ratings SET user_id = NULL, comment = NULL WHERE channel = ? AND user_id = ?",
            "UPDATE rating_history SET user_id = NULL, comment = NULL"
            " WHERE channel = ? AND user_id = ?",
            "UPDATE answer_feedback SET user_id = NULL, query = NULL"
            " WHERE channel = ? AND user_id = ?",
        ):
            cur = await conn.execute(sql, (channel, str(user_id)))
            changed += cur.rowcount
        return changed
