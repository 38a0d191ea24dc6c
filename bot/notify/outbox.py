"""The outbox: messages are written in the same transaction as the change that
causes them, and a sender delivers them later, so nothing is lost or sent twice.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

import aiosqlite

from bot.clock import stamp, unstamp, utcnow
from bot.reply import Button, Reply
from bot.store import Database

MAX_ATTEMPTS = 8


class Priority(IntEnum):
    """Which messages go first when many are due; lower first, then oldest first."""

    URGENT = 0  # complaints, harassment, "Không hài lòng", a failed token refresh
    REPLY = 10  # an answer to something the citizen just wrote
    NORMAL = 50  # status changes, invitations
    BULK = 90  # reminders and digests


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
    priority: Priority = Priority.NORMAL,
    zns: dict | None = None,
) -> bool:
    """Add a message inside the caller's transaction; False if its dedupe key was seen.

    `zns` is the notification's template data ({"kind", "params"}) for channels that
    must notify outside a conversation; its `tracking_id` is derived from the dedupe key,
    so a retry of the same notification carries the same one.
    """
    if zns is not None:
        zns = {**zns, "tracking_id": tracking_id(dedupe_key or f"{channel}:{chat_id}:{zns}")}
    buttons = [
        [{"label": b.label, "action": b.action, "url": b.url} for b in row] for row in reply.buttons
    ]
    cur = await conn.execute(
        "INSERT INTO outbox(channel, chat_id, text, buttons, dedupe_key, not_before, priority,"
        " zns)"
        " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(dedupe_key) DO NOTHING",
        (
            channel,
            str(chat_id),
            reply.text,
            json.dumps(buttons, ensure_ascii=False),
            dedupe_key,
            stamp(not_before or utcnow()),
            int(priority),
            json.dumps(zns, ensure_ascii=False) if zns is not None else None,
        ),
    )
    return cur.rowcount == 1


@dataclass
class ChannelBacklog:
    due: int = 0  # pending and due now
    scheduled: int = 0  # pending, due later (quiet hours, reminders, a retry's back-off)
    oldest_due_seconds: float = 0.0  # how long the oldest due message has been waiting
    failed: int = 0  # given up on (blocked, chat gone, too many tries)
    held: int = 0  # kept until the user writes again (no way to reach the chat now)


def tracking_id(key: str) -> str:
    """A short id (ZNS takes at most 48 characters) that is the same for the same key."""
    return "mc-" + hashlib.sha256(key.encode()).hexdigest()[:40]


class Outbox:
    """The sender's side: claim due messages, then mark each sent, retried or failed."""

    def __init__(self, db: Database):
        self.db = db

    async def due(self, channel: str, limit: int = 100) -> list[OutboxMessage]:
        """Due messages, urgent first; a chat whose earlier message waits for a retry gives
        none, so one chat's messages never overtake each other."""
        now = stamp(utcnow())
        rows = await self.db.fetchall(
            "SELECT id, channel, chat_id, text, buttons, attempts, parts_sent, zns FROM outbox o"
            " WHERE sent_at IS NULL AND failed_at IS NULL AND held_at IS NULL AND channel = ?"
            " AND not_before <= ? AND NOT EXISTS (SELECT 1 FROM outbox e"
            "  WHERE e.channel = o.channel AND e.chat_id = o.chat_id AND e.id < o.id"
            "  AND e.sent_at IS NULL AND e.failed_at IS NULL AND e.held_at IS NULL"
            "  AND e.attempts > 0 AND e.not_before > ?)"
            " ORDER BY priority, id LIMIT ?",
            (channel, now, now, limit),
        )
        return [
            OutboxMessage(
                r[0],
                r[1],
                r[2],
                Reply(r[3], _buttons(r[4]), zns=json.loads(r[7]) if r[7] else None),
                r[5],
                r[6],
            )
            for r in rows
        ]

    async def pending_count(self, channel: str | None = None) -> int:
        """Not sent and not given up (held messages included)."""
        sql = "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
        row = await self.db.fetchone(
            sql + (" AND channel = ?" if channel else ""), (channel,) if channel else ()
        )
        return int(row[0])

    async def held_count(self, channel: str | None = None) -> int:
        """Messages waiting for their user to write again."""
        sql = (
            "SELECT COUNT(*) FROM outbox"
            " WHERE held_at IS NOT NULL AND sent_at IS NULL AND failed_at IS NULL"
        )
        row = await self.db.fetchone(
            sql + (" AND channel = ?" if channel else ""), (channel,) if channel else ()
        )
        return int(row[0])

    async def hold(self, message_id: int, reason: str = "") -> None:
        """Keep the message until its user writes again (see `release`)."""
        await self.db.execute(
            "UPDATE outbox SET held_at = ?, last_error = ? WHERE id = ?",
            (stamp(utcnow()), reason[:500] or None, message_id),
        )

    async def release(self, channel: str, chat_id: str | int) -> int:
        """The user of this chat wrote again: their held messages are due now."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE outbox SET held_at = NULL, not_before = ?"
                " WHERE channel = ? AND chat_id = ? AND held_at IS NOT NULL"
                " AND sent_at IS NULL AND failed_at IS NULL",
                (stamp(utcnow()), channel, str(chat_id)),
            )
            return cur.rowcount

    async def backlog(self) -> dict[str, ChannelBacklog]:
        """Per channel: messages due now, scheduled later, the oldest due one's wait, failed,
        held.

        Counts only, no chat or text: /healthz and /metrics show this to anyone who asks.
        The oldest wait runs from a message's `not_before` (when it became due; a retry
        moves it), so a quiet-hours message is not late while it waits for morning.
        """
        now = stamp(utcnow())
        found: dict[str, ChannelBacklog] = {}
        for channel, due, later, oldest, held in await self.db.fetchall(
            "SELECT channel,"
            " SUM(CASE WHEN held_at IS NULL AND not_before <= ? THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN held_at IS NULL AND not_before > ? THEN 1 ELSE 0 END),"
            " MIN(CASE WHEN held_at IS NULL AND not_before <= ? THEN not_before END),"
            " SUM(CASE WHEN held_at IS NOT NULL THEN 1 ELSE 0 END)"
            " FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL GROUP BY channel",
            (now, now, now),
        ):
            wait = (unstamp(now) - unstamp(oldest)).total_seconds() if oldest else 0.0
            found[channel] = ChannelBacklog(int(due or 0), int(later or 0), wait, 0, int(held))
        for channel, failed in await self.db.fetchall(
            "SELECT channel, COUNT(*) FROM outbox WHERE failed_at IS NOT NULL GROUP BY channel"
        ):
            found.setdefault(channel, ChannelBacklog()).failed = int(failed)
        return found

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
