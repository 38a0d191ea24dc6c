"""What each user was last shown (recent_topics): the context a follow-up refers to.

Written many at a time by bot/recent.py's write-behind; columns in DO UPDATE are
qualified with the table (an unqualified one is ambiguous on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.store.sql import Conn, Row, Source, one, run

COLUMNS = ("procedure_code", "others", "procedure_at", "dossier_code", "dossier_at")
_UPSERT = (
    "INSERT INTO recent_topics(channel, user_id, procedure_code, others, procedure_at,"
    " dossier_code, dossier_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT(channel, user_id) DO UPDATE"
    " SET procedure_code = coalesce(excluded.procedure_code, recent_topics.procedure_code),"
    " others = CASE WHEN excluded.procedure_code IS NULL THEN recent_topics.others"
    " ELSE excluded.others END,"
    " procedure_at = coalesce(excluded.procedure_at, recent_topics.procedure_at),"
    " dossier_code = coalesce(excluded.dossier_code, recent_topics.dossier_code),"
    " dossier_at = coalesce(excluded.dossier_at, recent_topics.dossier_at)"
)


async def recent(src: Source, channel: str, user_id: str) -> Row | None:
    """The COLUMNS of what this user was last shown."""
    return await one(
        src,
        f"SELECT {', '.join(COLUMNS)} FROM recent_topics WHERE channel = ? AND user_id = ?",
        (channel, user_id),
    )


async def put_many(conn: Conn, changes: Sequence[tuple]) -> None:
    """(channel, user_id, *COLUMNS) each; a None keeps what is stored (others goes with the
    procedure)."""
    await conn.executemany(_UPSERT, changes)


async def purge(src: Source, before: str) -> None:
    """Delete what was shown before `before`, both procedure and dossier."""
    await run(
        src,
        "DELETE FROM recent_topics WHERE coalesce(procedure_at, '') < ?"
        " AND coalesce(dossier_at, '') < ?",
        (before, before),
    )


async def forget(src: Source, channel: str, user_id: str) -> None:
    await run(
        src, "DELETE FROM recent_topics WHERE channel = ? AND user_id = ?", (channel, user_id)
    )
