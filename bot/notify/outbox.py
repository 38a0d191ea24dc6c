"""The outbox: messages are written in the same transaction as the change that
causes them, and a sender delivers them later, so nothing is lost or sent twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from bot.clock import stamp, utcnow
from bot.reply import Button, Reply
from bot.store import Database

MAX_ATTEMPTS = 8


@dataclass
class OutboxMessage:
    id: int
    channel: str
    chat_id: str
    reply: Reply
    attempts: int
    parts_sent: int = 0  # parts of a long message already delivered


async def enqueue(
    conn: aiosqlite.Connection,
    channel: str,
    chat_id: str | int,
    reply: Reply,
    dedupe_key: str | None = None,
    not_before: datetime | None = None,
) -> bool:
    """Add a message inside the caller's transaction; False if its dedupe key was seen."""
    buttons = [
        [{"label": b.label, "action": b.action, "url": b.url} for b in row] for row in reply.buttons
    ]
    cur = await conn.execute(
        "INSERT INTO outbox(channel, chat_id, text, buttons, dedupe_key, not_before)"
        " VALUES (?,?,?,?,?,?) ON CONFLICT(dedupe_key) DO NOTHING",
        (
            channel,
            str(chat_id),
            reply.text,
            json.dumps(buttons, ensure_ascii=False),
            dedupe_key,
            stamp(not_before or utcnow()),
        ),
    )
    return cur.rowcount == 1


class Outbox:
    """The sender's side: claim due messages, then mark each sent, retried or failed."""

    def __init__(self, db: Database):
        self.db = db

    async def due(self, channel: str, limit: int = 100) -> list[OutboxMessage]:
        rows = await self.db.fetchall(
            "SELECT id, channel, chat_id, text, buttons, attempts, parts_sent FROM outbox"
            " WHERE sent_at IS NULL AND failed_at IS NULL AND channel = ? AND not_before <= ?"
            " ORDER BY id LIMIT ?",
            (channel, stamp(utcnow()), limit),
        )
        return [
            OutboxMessage(r[0], r[1], r[2], Reply(r[3], _buttons(r[4])), r[5], r[6]) for r in rows
        ]

    async def pending_count(self, channel: str | None = None) -> int:
        sql = "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
        row = await self.db.fetchone(
            sql + (" AND channel = ?" if channel else ""), (channel,) if channel else ()
        )
        return int(row[0])

    async def mark_sent(self, message_id: int) -> None:
        await self.db.execute(
            "UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ?",
            (stamp(utcnow()), message_id),
        )

    async def mark_parts_sent(self, message_id: int, parts: int) -> None:
        """The first `parts` parts of a long message went out: a retry starts after them."""
        await self.db.execute("UPDATE outbox SET parts_sent = ? WHERE id = ?", (parts, message_id))

    async def retry_later(self, message_id: int, delay: float, error: str) -> None:
        """Back off; give up after MAX_ATTEMPTS so one bad message cannot block forever."""
        when = stamp(utcnow() + timedelta(seconds=delay))
        await self.db.execute(
            "UPDATE outbox SET attempts = attempts + 1, not_before = ?, last_error = ?,"
            " failed_at = CASE WHEN attempts + 1 >= ? THEN ? END WHERE id = ?",
            (when, error[:500], MAX_ATTEMPTS, stamp(utcnow()), message_id),
        )

    async def give_up(self, message_id: int, error: str) -> None:
        await self.db.execute(
            "UPDATE outbox SET attempts = attempts + 1, failed_at = ?, last_error = ? WHERE id = ?",
            (stamp(utcnow()), error[:500], message_id),
        )


def _buttons(raw: str) -> list[list[Button]]:
    return [[Button(b["label"], b["action"], b.get("url")) for b in row] for row in json.loads(raw)]
