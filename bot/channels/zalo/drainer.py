"""Deliver the Zalo outbox: RetryLater backs off, GiveUp records, Hold keeps the message.

The runtime's own drainer does the same for every channel; this one lets the Zalo
channel run (and be tested) on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging

from bot.channels.base import GiveUp, Hold, RetryLater
from bot.channels.zalo import held
from bot.notify.outbox import Outbox

log = logging.getLogger(__name__)


class ZaloDrainer:
    def __init__(self, core, channel, idle_seconds: float = 1.0):
        self.db = core.db
        self.outbox = Outbox(core.db)
        self.channel = channel
        self.idle_seconds = idle_seconds
        self.wakeup = asyncio.Event()
        self._stop = asyncio.Event()

    def wake(self) -> None:
        self.wakeup.set()

    def stop(self) -> None:
        self._stop.set()
        self.wakeup.set()

    async def run(self) -> None:
        while not self._stop.is_set():
            try:
                sent = await self.drain_once()
            except Exception:
                log.exception("Zalo outbox drain failed")
                sent = 0
            if not sent:
                self.wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wakeup.wait(), timeout=self.idle_seconds)

    async def drain_once(self, limit: int = 100) -> int:
        sent = 0
        for message in await self.outbox.due(self.channel.name, limit):
            if self._stop.is_set():
                break
            try:
                await self.channel.deliver(
                    message.chat_id,
                    message.reply,
                    skip=message.parts_sent,
                    on_part=functools.partial(self.outbox.mark_parts_sent, message.id),
                )
            except RetryLater as exc:
                await self.outbox.retry_later(message.id, exc.delay, exc.reason)
            except Hold as exc:
                await held.hold(self.db, message.id, exc.reason)
            except GiveUp as exc:
                log.warning("Zalo outbox message %s given up: %s", message.id, exc.reason)
                await self.outbox.give_up(message.id, exc.reason)
            else:
                await self.outbox.mark_sent(message.id)
                sent += 1
        return sent
