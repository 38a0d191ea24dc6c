"""The outbox table: messages written with the change that causes them, marked as they go.

Rows come back by column name. A message's text, buttons and ZNS data are stored
as given (bot/notify/outbox.py turns a Reply into them and back).
"""

from __future__ import annotations

from bot.store.sql import Conn, Row, Source, new_id, one, rows, run

_LIVE = "sent_at IS NULL AND failed_at IS NULL"


async def add(
    conn: Conn,
    channel: str,
    chat_id: str,
    text: str,
    buttons: str,
    dedupe_key: str | None,
    not_before: str,
    priority: int,
    zns: str | None,
) -> bool:
    """False when a message with this dedupe key was written before."""
    added = await run(
        conn,
        "INSERT INTO outbox(channel, chat_id, text, buttons, dedupe_key, not_before, priority,"
        " zns) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(dedupe_key) DO NOTHING",
        (channel, chat_id, text, buttons, dedupe_key, not_before, priority, zns),
    )
    return added == 1


async def add_new(
    conn: Conn,
    channel: str,
    chat_id: str,
    text: str,
    buttons: str,
    not_before: str,
    priority: int,
) -> int:
    """A message without a dedupe key (it cannot collide); the id it was given."""
    return await new_id(
        conn,
        "INSERT INTO outbox(channel, chat_id, text, buttons, not_before, priority)"
        " VALUES (?,?,?,?,?,?) RETURNING id",
        (channel, chat_id, text, buttons, not_before, priority),
    )


async def due(src: Source, channel: str, now: str, limit: int) -> list[Row]:
    """id, channel, chat_id, text, buttons, attempts, parts_sent, zns of the due messages,
    urgent first; a chat whose earlier message waits for a retry gives none."""
    return await rows(
        src,
        "SELECT id, channel, chat_id, text, buttons, attempts, parts_sent, zns FROM outbox o"
        " WHERE sent_at IS NULL AND failed_at IS NULL AND held_at IS NULL AND channel = ?"
        " AND not_before <= ? AND NOT EXISTS (SELECT 1 FROM outbox e"
        "  WHERE e.channel = o.channel AND e.chat_id = o.chat_id AND e.id < o.id"
        "  AND e.sent_at IS NULL AND e.failed_at IS NULL AND e.held_at IS NULL"
        "  AND e.attempts > 0 AND e.not_before > ?)"
        " ORDER BY priority, id LIMIT ?",
        (channel, now, now, limit),
    )


async def count_pending(src: Source, channel: str | None) -> int:
    """Not sent and not given up (held messages included)."""
    where = f"{_LIVE} AND channel = ?" if channel else _LIVE
    row = await one(src, f"SELECT COUNT(*) AS n FROM outbox WHERE {where}", _only(channel))
    return int(row["n"])


async def count_held(src: Source, channel: str | None) -> int:
    where = f"held_at IS NOT NULL AND {_LIVE}" + (" AND channel = ?" if channel else "")
    row = await one(src, f"SELECT COUNT(*) AS n FROM outbox WHERE {where}", _only(channel))
    return int(row["n"])


def _only(channel: str | None) -> tuple:
    return (channel,) if channel else ()


async def backlog(src: Source, now: str) -> list[Row]:
    """Per channel with live messages: due, later, oldest (not_before), held."""
    return await rows(
        src,
        "SELECT channel,"
        " SUM(CASE WHEN held_at IS NULL AND not_before <= ? THEN 1 ELSE 0 END) AS due,"
        " SUM(CASE WHEN held_at IS NULL AND not_before > ? THEN 1 ELSE 0 END) AS later,"
        " MIN(CASE WHEN held_at IS NULL AND not_before <= ? THEN not_before END) AS oldest,"
        " SUM(CASE WHEN held_at IS NOT NULL THEN 1 ELSE 0 END) AS held"
        f" FROM outbox WHERE {_LIVE} GROUP BY channel",
        (now, now, now),
    )


async def failed_counts(src: Source) -> list[Row]:
    """channel, failed: messages given up on, per channel."""
    return await rows(
        src,
        "SELECT channel, COUNT(*) AS failed FROM outbox WHERE failed_at IS NOT NULL"
        " GROUP BY channel",
    )


async def hold(src: Source, message_id: int, at: str, reason: str | None) -> None:
    await run(
        src, "UPDATE outbox SET held_at = ?, last_error = ? WHERE id = ?", (at, reason, message_id)
    )


async def release(src: Source, channel: str, chat_id: str, at: str) -> int:
    """The chat's held messages become due at `at`; how many."""
    return await run(
        src,
        "UPDATE outbox SET held_at = NULL, not_before = ?"
        f" WHERE channel = ? AND chat_id = ? AND held_at IS NOT NULL AND {_LIVE}",
        (at, channel, chat_id),
    )


async def mark_sent(src: Source, message_id: int, at: str) -> None:
    await run(
        src,
        "UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ?",
        (at, message_id),
    )


async def mark_parts_sent(src: Source, message_id: int, parts: int) -> None:
    await run(src, "UPDATE outbox SET parts_sent = ? WHERE id = ?", (parts, message_id))


async def retry_later(
    src: Source, message_id: int, when: str, error: str, max_attempts: int, at: str
) -> None:
    """One more attempt counted, due again at `when`; failed once it reaches `max_attempts`."""
    await run(
        src,
        "UPDATE outbox SET attempts = attempts + 1, not_before = ?, last_error = ?,"
        " failed_at = CASE WHEN attempts + 1 >= ? THEN ? END WHERE id = ?",
        (when, error, max_attempts, at, message_id),
    )


async def give_up(src: Source, message_id: int, error: str, at: str) -> None:
    await run(
        src,
        "UPDATE outbox SET attempts = attempts + 1, failed_at = ?, last_error = ? WHERE id = ?",
        (at, error, message_id),
    )


async def clear(src: Source) -> None:
    """Drop every message (the demo's store has no one to send them to)."""
    await run(src, "DELETE FROM outbox")
