"""Messages kept for a citizen who cannot be reached now (no window, no ZNS).

The runtime's Outbox.hold/release are used when present; until then a held row is
one whose `not_before` is the far future, which every drainer already skips.
"""

from __future__ import annotations

from bot.clock import stamp, utcnow
from bot.notify.outbox import Outbox
from bot.store import Database

HELD = "9999-12-31T00:00:00Z"


async def hold(db: Database, message_id: int, reason: str = "held") -> None:
    outbox = Outbox(db)
    if hasattr(outbox, "hold"):
        await outbox.hold(message_id, reason)
        return
    await db.execute(
        "UPDATE outbox SET not_before = ?, last_error = ? WHERE id = ?",
        (HELD, reason[:500], message_id),
    )


async def release(db: Database, channel: str, chat_id: str) -> int:
    """The citizen wrote: their held messages are due now; returns how many."""
    outbox = Outbox(db)
    if hasattr(outbox, "release"):
        return await outbox.release(channel, chat_id)
    async with db.transaction() as conn:
        cur = await conn.execute(
            "UPDATE outbox SET not_before = ? WHERE channel = ? AND chat_id = ?"
            " AND not_before = ? AND sent_at IS NULL AND failed_at IS NULL",
            (stamp(utcnow()), channel, str(chat_id), HELD),
        )
        return cur.rowcount


async def held_count(db: Database, channel: str = "zalo") -> int:
    outbox = Outbox(db)
    if hasattr(outbox, "held_count"):
        return await outbox.held_count(channel)
    row = await db.fetchone(
        "SELECT COUNT(*) FROM outbox WHERE channel = ? AND not_before = ?"
        " AND sent_at IS NULL AND failed_at IS NULL",
        (channel, HELD),
    )
    return int(row[0])
