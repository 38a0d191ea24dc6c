"""Ratings in the store: the current rating per dossier, its history, invitations, 👍/👎.

Rows come back by column name. A follow-up answer names its column; only a
follow-up's column or the comment may be set that way.
"""

from __future__ import annotations

import json

from bot.store.sql import Conn, Row, Source, dialect, one, rows, run

RATING_COLUMNS = (
    "dossier_code", "channel", "user_id", "level", "first_rated_at", "rated_at",
    "agency_code", "procedure_code", "field", "contacts_count", "staff_attitude",
    "timeliness", "comment",
)  # fmt: skip
_SELECT = f"SELECT {', '.join(RATING_COLUMNS)} FROM ratings WHERE dossier_code = ?"
_CHANGEABLE = frozenset({"contacts_count", "staff_attitude", "timeliness", "comment"})


async def rating(src: Source, dossier_code: str) -> Row | None:
    return await one(src, _SELECT, (dossier_code,))


async def add_rating(conn: Conn, values: dict) -> None:
    """A first rating (RATING_COLUMNS; the ones missing are stored empty)."""
    await run(
        conn,
        f"INSERT INTO ratings({', '.join(RATING_COLUMNS)})"
        f" VALUES ({', '.join('?' * len(RATING_COLUMNS))})",
        tuple(values.get(c) for c in RATING_COLUMNS),
    )


async def change_level(
    conn: Conn, dossier_code: str, level: str, at: str, channel: str, user_id: str
) -> None:
    await run(
        conn,
        "UPDATE ratings SET level = ?, rated_at = ?, channel = ?, user_id = ?"
        " WHERE dossier_code = ?",
        (level, at, channel, user_id, dossier_code),
    )


async def set_answer(conn: Conn, dossier_code: str, column: str, value: str) -> None:
    """A follow-up answer or the comment."""
    if column not in _CHANGEABLE:
        raise ValueError(f"not a rating answer: {column!r}")
    await run(
        conn, f"UPDATE ratings SET {column} = ? WHERE dossier_code = ?", (value, dossier_code)
    )


async def add_history(
    conn: Conn,
    dossier_code: str,
    level: str,
    answers: dict,
    comment: str | None,
    at: str,
    channel: str,
    user_id: str | None,
) -> None:
    await run(
        conn,
        "INSERT INTO rating_history(dossier_code, level, answers, comment, rated_at, channel,"
        " user_id) VALUES (?,?,?,?,?,?,?)",
        (dossier_code, level, json.dumps(answers), comment, at, channel, user_id),
    )


async def history(src: Source, dossier_code: str) -> list[Row]:
    """level, answers (JSON), comment, rated_at, channel, user_id; oldest first."""
    return await rows(
        src,
        "SELECT level, answers, comment, rated_at, channel, user_id FROM rating_history"
        " WHERE dossier_code = ? ORDER BY id",
        (dossier_code,),
    )


async def field_of(src: Source, procedure_code: str) -> str | None:
    """The procedure's field (lĩnh vực) from the catalog, matched on the first 8 characters."""
    row = await one(
        src,
        "SELECT field FROM procedures WHERE code = ? OR code8 = ? ORDER BY code = ? DESC LIMIT 1",
        (procedure_code, procedure_code[:8], procedure_code),
    )
    return (row["field"] or None) if row else None


async def mark_invited(conn: Conn, dossier_code: str, channel: str, chat_id: str, at: str) -> bool:
    """False when this dossier was invited before."""
    added = await run(
        conn,
        "INSERT INTO rating_invitations(dossier_code, channel, chat_id, queued_at)"
        " VALUES (?,?,?,?) ON CONFLICT(dossier_code) DO NOTHING",
        (dossier_code, channel, chat_id, at),
    )
    return added == 1


async def recent_vote(
    conn: Conn, channel: str, user_id: str, since: str, procedure_code: str, query: str | None
) -> int | None:
    """The id of this person's latest 👍/👎 on the same question since `since`."""
    # `IS ?` (null-safe equality) is SQLite's; PostgreSQL spells it IS NOT DISTINCT FROM,
    # which SQLite learnt only in 3.39 (the store still opens 3.35).
    same = "IS NOT DISTINCT FROM" if dialect(conn) == "postgresql" else "IS"
    row = await one(
        conn,
        "SELECT id FROM answer_feedback WHERE channel = ? AND user_id = ? AND at >= ?"
        f" AND procedure_code = ? AND query {same} ? ORDER BY id DESC LIMIT 1",
        (channel, user_id, since, procedure_code, query),
    )
    return row["id"] if row else None


async def change_vote(conn: Conn, vote_id: int, helpful: bool, at: str) -> None:
    await run(
        conn,
        "UPDATE answer_feedback SET helpful = ?, at = ? WHERE id = ?",
        (int(bool(helpful)), at, vote_id),
    )


async def add_vote(
    conn: Conn,
    channel: str,
    user_id: str,
    procedure_code: str,
    query: str | None,
    helpful: bool,
    at: str,
) -> None:
    await run(
        conn,
        "INSERT INTO answer_feedback(channel, user_id, procedure_code, query, helpful, at)"
        " VALUES (?,?,?,?,?,?)",
        (channel, user_id, procedure_code, query, int(bool(helpful)), at),
    )


async def forget_user(conn: Conn, channel: str, user_id: str) -> int:
    """Drop the user id, comments and typed questions; counts stay. Rows touched."""
    changed = 0
    for sql in (
        "UPDATE ratings SET user_id = NULL, comment = NULL WHERE channel = ? AND user_id = ?",
        "UPDATE rating_history SET user_id = NULL, comment = NULL"
        " WHERE channel = ? AND user_id = ?",
        "UPDATE answer_feedback SET user_id = NULL, query = NULL WHERE channel = ? AND user_id = ?",
    ):
        changed += await run(conn, sql, (channel, user_id))
    return changed


# ---- agencies below the satisfaction target --------------------------------------------------


async def alert_states(src: Source) -> dict[str, bool]:
    """Per agency: whether it was below the target when last judged."""
    found = await rows(src, "SELECT agency_code, below FROM rate_alerts")
    return {r["agency_code"]: bool(r["below"]) for r in found}


async def set_alert_state(conn: Conn, agency_code: str, below: bool, at: str) -> None:
    await run(
        conn,
        "INSERT INTO rate_alerts(agency_code, below, changed_at) VALUES (?,?,?)"
        " ON CONFLICT(agency_code) DO UPDATE SET below = excluded.below,"
        " changed_at = excluded.changed_at",
        (agency_code, int(below), at),
    )


# ---- made-up data for the report's screenshot and the benchmark (bot/ratings/demo.py) -------


async def add_demo_rows(
    conn: Conn, dossiers: list[tuple], ratings: list[tuple], events: list[tuple]
) -> None:
    """Returned dossiers (code, procedure_code, agency_code, channel, received_at, due_at,
    status_at, updated_at), their ratings (dossier_code, channel, user_id, level,
    first_rated_at, rated_at, agency_code, procedure_code, field) and 'asked again' events
    (dossier_code, at, recorded_at), straight in: a million in seconds."""
    await conn.executemany(
        "INSERT INTO dossiers(code, procedure_code, agency_code, channel, received_at, due_at,"
        " status, status_at, updated_at) VALUES (?,?,?,?,?,?,10,?,?)",
        dossiers,
    )
    await conn.executemany(
        "INSERT INTO ratings(dossier_code, channel, user_id, level, first_rated_at, rated_at,"
        " agency_code, procedure_code, field) VALUES (?,?,?,?,?,?,?,?,?)",
        ratings,
    )
    await conn.executemany(
        "INSERT INTO dossier_events(dossier_code, kind, from_status, to_status, at, source,"
        " recorded_at) VALUES (?, 'status', 4, 5, ?, 'demo', ?)",
        events,
    )
