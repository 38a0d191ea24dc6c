"""The drainer's gate: one delivery in flight while the platform answers quickly (so a
crash can repeat at most one message), more only beside a delivery that hangs."""

from __future__ import annotations

import asyncio

from conftest import make_settings

from bot.channels.base import Capabilities
from bot.core import open_core
from bot.notify.drainer import Drainer
from bot.notify.outbox import enqueue
from bot.reply import Reply

HUNG = "7001"


class RecordingChannel:
    """A channel in this process: records deliveries and how many overlapped."""

    name = "telegram"
    capabilities = Capabilities(False, None, 4096, "html", "contact")

    def __init__(self, hang: float):
        self.hang = hang
        self.quick_in_flight = 0  # deliveries to chats that answer at once
        self.most_quick_in_flight = 0
        self.order: list[str] = []

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def deliver(self, chat_id, reply, *, skip=0, on_part=None) -> None:
        if chat_id == HUNG:
            await asyncio.sleep(self.hang)  # a send that times out
        else:
            self.quick_in_flight += 1
            self.most_quick_in_flight = max(self.most_quick_in_flight, self.quick_in_flight)
            await asyncio.sleep(0.01)
            self.quick_in_flight -= 1
        self.order.append(chat_id)


async def test_one_in_flight_while_quick_and_a_hung_chat_holds_no_one_up(tmp_path):
    core = await open_core(make_settings(tmp_path))
    try:
        async with core.db.transaction() as conn:
            await enqueue(conn, "telegram", HUNG, Reply("hangs"), "h")
            for chat in range(7002, 7012):
                await enqueue(conn, "telegram", chat, Reply(f"to {chat}"), f"m{chat}")
        channel = RecordingChannel(hang=1.5)
        drainer = Drainer(core.db, channel, concurrency=8, patience=0.2)
        assert await drainer.drain_once() == 11
        assert channel.order[-1] == HUNG  # queued first, delivered last: nobody waited for it
        assert len(channel.order) == 11
        assert channel.most_quick_in_flight == 1  # besides the hung one, one at a time
    finally:
        await core.close()
