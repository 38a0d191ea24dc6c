"""Messages kept for a citizen who cannot be reached now (no window, no ZNS): the
runtime's drainer holds them on `Hold`; the citizen's next message releases them."""

from __future__ import annotations

from bot.notify.outbox import Outbox
from bot.store import Database


async def release(db: Database, channel: str, chat_id: str) -> int:
    """The citizen wrote: their held messages are due now; returns how many."""
    return await Outbox(db).release(channel, chat_id)


async def held_count(db: Database, channel: str = "zalo") -> int:
    """For /healthz and /metrics: notifications waiting for their citizen to write."""
    return await Outbox(db).held_count(channel)
