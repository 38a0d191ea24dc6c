"""The outbox: messages are written in the same transaction as the change that
causes them, and a sender delivers them later, so nothing is lost or sent twice.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from bot.clock import stamp, unstamp, utcnow
from bot.reply import Button, Reply
from bot.store import Database
from bot.store import outbox as store
from bot.store.sql import Conn

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
    conn: Conn,
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
    return await store.add(
        conn,
        channel,
        str(chat_id),
        reply.text,
        _buttons_json(reply),
        dedupe_key,
        stamp(not_before or utcnow()),
        int(priority),
        json.dumps(zns, ensure_ascii=False) if zns is not None else None,
    )


async def enqueue_with_id(
    conn: Conn, channel: str, chat_id: str | int, reply: Reply, priority: Priority
) -> int:
    """Add a message without a dedupe key inside the caller's transaction; its id, for a
    caller that marks or schedules it next (a reply's deferred rest, bot/unsent.py)."""
    return await store.add_new(
        conn,
        channel,
        str(chat_id),
        reply.text,
        _buttons_json(reply),
        stamp(utcnow()),
        int(priority),
    )


def _buttons_json(reply: Reply) -> str:
    buttons = [
        [{"label": b.label, "action": b.action, "url": b.url} for b in row] for row in reply.buttons
    ]
    return json.dumps(buttons, ensure_ascii=False)


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
        rows = await store.due(self.db, channel, stamp(utcnow()), limit)
        return [
            OutboxMessage(
                r["id"],
                r["channel"],
                r["chat_id"],
                Reply(
                    r["text"],
                    _buttons(r["buttons"]),
                    zns=json.loads(r["zns"]) if r["zns"] else None,
                ),
                r["attempts"],
                r["parts_sent"],
            )
            for r in rows
        ]

    async def pending_count(self, channel: str | None = None) -> int:
        """Not sent and not given up (held messages included)."""
        return await store.count_pending(self.db, channel)

    async def held_count(self, channel: str | None = None) -> int:
        """Messages waiting for their user to write again."""
        return await store.count_held(self.db, channel)

    async def hold(self, message_id: int, reason: str = "") -> None:
        """Keep the message until its user writes again (see `release`)."""
        await store.hold(self.db, message_id, stamp(utcnow()), reason[:500] or None)

    async def release(self, channel: str, chat_id: str | int) -> int:
        """The user of this chat wrote again: their held messages are due now."""
        return await store.release(self.db, channel, str(chat_id), stamp(utcnow()))

    async def backlog(self) -> dict[str, ChannelBacklog]:
        """Per channel: messages due now, scheduled later, the oldest due one's wait, failed,
        held.

        Counts only, no chat or text: /healthz and /metrics show this to anyone who asks.
        The oldest wait runs from a message's `not_before` (when it became due; a retry
        moves it), so a quiet-hours message is not late while it waits for morning.
        """
        now = stamp(utcnow())
        found: dict[str, ChannelBacklog] = {}
        for r in await store.backlog(self.db, now):
            oldest = r["oldest"]
            wait = (unstamp(now) - unstamp(oldest)).total_seconds() if oldest else 0.0
            found[r["channel"]] = ChannelBacklog(
                int(r["due"] or 0), int(r["later"] or 0), wait, 0, int(r["held"])
            )
        for r in await store.failed_counts(self.db):
            found.setdefault(r["channel"], ChannelBacklog()).failed = int(r["failed"])
        return found

    async def mark_sent(self, message_id: int) -> None:
        await store.mark_sent(self.db, message_id, stamp(utcnow()))

    async def mark_parts_sent(self, message_id: int, parts: int) -> None:
        """The first `parts` parts of a long message went out: a retry starts after them."""
        await store.mark_parts_sent(self.db, message_id, parts)

    async def retry_later(self, message_id: int, delay: float, error: str) -> None:
        """Back off; give up after MAX_ATTEMPTS so one bad message cannot block forever."""
        when = stamp(utcnow() + timedelta(seconds=delay))
        await store.retry_later(
            self.db, message_id, when, error[:500], MAX_ATTEMPTS, stamp(utcnow())
        )

    async def give_up(self, message_id: int, error: str) -> None:
        await store.give_up(self.db, message_id, error[:500], stamp(utcnow()))


def _buttons(raw: str) -> list[list[Button]]:
    return [[Button(b["label"], b["action"], b.get("url")) for b in row] for row in json.loads(raw)]
