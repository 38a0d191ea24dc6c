"""The Zalo channel in the store: token pairs, webhook events, users' window, refusals.

Rows come back by column name; a new token pair's id comes from the database
(RETURNING id). bot/channels/zalo/store.py and inbox.py turn these into the
channel's objects.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from bot.store.sql import Conn, Row, Source, new_id, one, rows, run

# ---- token pairs ----------------------------------------------------------------------------


async def newest_pair(src: Source) -> Row | None:
    """id, access_token, refresh_token, expires_at, source, created_at of the newest pair."""
    return await one(
        src,
        "SELECT id, access_token, refresh_token, expires_at, source, created_at FROM zalo_tokens"
        " ORDER BY id DESC LIMIT 1",
    )


async def pair_count(src: Source) -> int:
    return int((await one(src, "SELECT COUNT(*) AS n FROM zalo_tokens"))["n"])


async def add_pair(conn: Conn, access: str, refresh: str, expires_at: str, source: str) -> int:
    return await new_id(
        conn,
        "INSERT INTO zalo_tokens(access_token, refresh_token, expires_at, source)"
        " VALUES (?,?,?,?) RETURNING id",
        (access, refresh, expires_at, source),
    )


async def forget_pairs(src: Source) -> int:
    return await run(src, "DELETE FROM zalo_tokens")


def has_pair(db_path: Path) -> bool:
    """A token pair in the store, read without opening it for the bot (read-only, no
    migration); a store that cannot be read says yes and leaves the verdict to the
    store's own checks at start."""
    if not Path(db_path).is_file():
        return False
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT COUNT(*) FROM zalo_tokens").fetchone()[0] > 0
        finally:
            con.close()
    except sqlite3.Error:
        return True


# ---- users ----------------------------------------------------------------------------------


async def touch_user(
    src: Source, user_id: str, user_id_by_app: str | None, following: int | None, at: str
) -> None:
    await run(
        src,
        "INSERT INTO zalo_users(user_id, user_id_by_app, following, last_interaction_at)"
        " VALUES (?,?,?,?) ON CONFLICT(user_id) DO UPDATE SET"
        " user_id_by_app = COALESCE(excluded.user_id_by_app, zalo_users.user_id_by_app),"
        " following = COALESCE(excluded.following, zalo_users.following),"
        " last_interaction_at = excluded.last_interaction_at",
        (user_id, user_id_by_app, following, at),
    )


async def unfollowed(src: Source, user_id: str, user_id_by_app: str | None) -> None:
    await run(
        src,
        "INSERT INTO zalo_users(user_id, user_id_by_app, following) VALUES (?,?,0)"
        " ON CONFLICT(user_id) DO UPDATE SET following = 0",
        (user_id, user_id_by_app),
    )


async def user(src: Source, user_id: str) -> Row | None:
    """user_id, following, last_interaction_at, actions, choices, more (JSON)."""
    return await one(
        src,
        "SELECT user_id, following, last_interaction_at, actions, choices, more"
        " FROM zalo_users WHERE user_id = ?",
        (user_id,),
    )


async def set_user_buttons(
    src: Source, user_id: str, actions: str, choices: str | None, more: str | None
) -> None:
    """The actions, choices and folded buttons (JSON); a None leaves that one as it is."""
    sql, params = "UPDATE zalo_users SET actions = ?", [actions]
    if choices is not None:
        sql += ", choices = ?"
        params.append(choices)
    if more is not None:
        sql += ", more = ?"
        params.append(more)
    await run(src, sql + " WHERE user_id = ?", (*params, user_id))


# ---- webhook events -------------------------------------------------------------------------

CHUNK = 500  # keys per IN (...) (SQLite's limit on parameters is far above)


async def seen_events(conn: Conn, keys: Sequence[str]) -> set[str]:
    """Which of these event keys are stored already."""
    seen: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        part = list(keys[start : start + CHUNK])
        marks = ",".join("?" * len(part))
        found = await rows(
            conn, f"SELECT event_key FROM zalo_events WHERE event_key IN ({marks})", part
        )
        seen.update(r["event_key"] for r in found)
    return seen


async def add_events(conn: Conn, events: Sequence[tuple[str, str, str, str]]) -> None:
    """(event_key, event_name, received_at, payload) each; a key stored before is skipped."""
    await conn.executemany(
        "INSERT INTO zalo_events(event_key, event_name, received_at, payload) VALUES (?,?,?,?)"
        " ON CONFLICT(event_key) DO NOTHING",
        events,
    )


async def mark_handled(src: Source, keys: Sequence[str], at: str) -> None:
    marks = ",".join("?" * len(keys))
    await run(
        src, f"UPDATE zalo_events SET handled_at = ? WHERE event_key IN ({marks})", (at, *keys)
    )


async def unhandled_events(src: Source) -> list[tuple[str, str]]:
    """(event_key, payload) of events stored but never handled, in the order they came."""
    found = await rows(
        src,
        "SELECT event_key, payload FROM zalo_events WHERE handled_at IS NULL"
        " AND payload IS NOT NULL ORDER BY received_at, rowid",
    )
    return [(r["event_key"], r["payload"]) for r in found]


# ---- refusals (error codes the API answered with, per day) ----------------------------------


async def count_refusal(conn: Conn, code: int, day: str, api: str, at: str) -> None:
    await run(
        conn,
        "INSERT INTO zalo_refusals(code, day, api, last_at) VALUES (?,?,?,?)"
        " ON CONFLICT(code, day) DO UPDATE SET count = zalo_refusals.count + 1,"
        " last_at = excluded.last_at",
        (code, day, api, at),
    )


async def refusals(src: Source, day: str) -> list[Row]:
    """code, count, last_at of each refusal on `day`."""
    return await rows(src, "SELECT code, count, last_at FROM zalo_refusals WHERE day = ?", (day,))
