"""Drain the outbox to Telegram: retry what can be retried, give up on blocked chats.

Runs as one task beside polling; a restart resumes from the store, so a
message is sent once it is due and marked sent once it went out. A long message
goes in parts, each counted as it goes, so a retry never repeats a delivered part.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.telegram_io import send
from bot.core import Core
from bot.notify.outbox import Outbox

log = logging.getLogger(__name__)


class TelegramSender:
    PER_CHAT_SECONDS = 1.0  # Telegram: about one message a second in one chat

    def __init__(self, core: Core, bot, idle_seconds: float = 1.0):
        self.outbox = Outbox(core.db)
        self.bot = bot
        self.idle_seconds = idle_seconds
        self._last_sent: dict[str, float] = {}
        self._stop = asyncio.Event()
        self.wakeup = asyncio.Event()

    def stop(self) -> None:
        self._stop.set()
        self.wakeup.set()

    async def run(self) -> None:
        while not self._stop.is_set():
            try:
                sent = await self.drain_once()
            except Exception:
                log.exception("outbox drain failed")
                sent = 0
            if not sent:
                self.wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wakeup.wait(), timeout=self.idle_seconds)

    async def drain_once(self, limit: int = 100) -> int:
        """Send what is due now; returns how many went out.

        The overall rate (30/s) is python-telegram-bot's AIORateLimiter's job; it does not
        space messages within one private chat, so that is done here.
        """
        sent = 0
        loop = asyncio.get_running_loop()
        for message in await self.outbox.due("telegram", limit):
            if self._stop.is_set():
                break
            if loop.time() - self._last_sent.get(message.chat_id, -1e9) < self.PER_CHAT_SECONDS:
                continue  # this chat had a message just now: the next round takes it
            self._last_sent[message.chat_id] = loop.time()
            try:
                await send(
                    self.bot,
                    message.chat_id,
                    message.reply,
                    skip=message.parts_sent,
                    on_part=functools.partial(self.outbox.mark_parts_sent, message.id),
                )
            except RetryAfter as exc:
                delay = exc.retry_after
                seconds = delay.total_seconds() if hasattr(delay, "total_seconds") else delay
                await self.outbox.retry_later(message.id, float(seconds), str(exc))
            except Forbidden as exc:  # blocked by the user, kicked from the group
                await self.outbox.give_up(message.id, str(exc))
            except BadRequest as exc:  # chat not found, bad markup: retrying will not help
                log.warning("outbox message %s refused: %s", message.id, exc)
                await self.outbox.give_up(message.id, str(exc))
            except (TimedOut, NetworkError) as exc:
                await self.outbox.retry_later(message.id, 2.0 ** min(message.attempts, 6), str(exc))
            else:
                await self.outbox.mark_sent(message.id)
                sent += 1
        return sent
