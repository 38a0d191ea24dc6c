"""Deliver one channel's outbox: urgent first, chats side by side, each chat in order.

One drainer runs per channel, in the process that holds the runner lease. Each
round takes the due messages (a few per chat), and every chat gets its own lane,
while one chat's messages go strictly one after the other, spaced by the channel's
`per_chat_interval`. Lanes take turns through a DeliveryGate: one delivery in
flight while the platform answers quickly, more (up to `concurrency`) only beside
deliveries hanging longer than `patience`. A chat that must wait (a 429, a
timeout) stops only its own lane; the store keeps its later messages behind the
one waiting (`Outbox.due`).

A message is marked sent as soon as the platform accepted it. If the store refuses
the mark (busy, "database is locked"), the MARK is retried with backoff, never the
send; until it succeeds the message is remembered here and not sent again. The one
window left is a crash between the platform's acceptance and the mark: after a
restart that message goes out once more. With one delivery in flight that is at
most one duplicate per crash (more only if deliveries were hanging at the time:
one per hanging delivery, never more than one per chat).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random

from bot.backoff import backoff
from bot.notify.delivery import GiveUp, Hold, RetryLater, Sender
from bot.notify.gate import DeliveryGate
from bot.notify.outbox import Outbox, OutboxMessage
from bot.store import Database, StoreError

log = logging.getLogger(__name__)

MARK_TRIES = 12  # about a minute of backoff before the mark is left to the next round


class Drainer:
    def __init__(
        self,
        db: Database,
        channel: Sender,
        *,
        idle_seconds: float = 1.0,
        concurrency: int = 8,
        patience: float = 1.0,
        per_chat: int = 5,
    ):
        self.outbox = Outbox(db)
        self.channel = channel
        self.idle_seconds = idle_seconds
        self.per_chat = per_chat  # messages of one chat taken in one round
        self.spacing = float(getattr(channel.capabilities, "per_chat_interval", 0.0) or 0.0)
        self._gate = DeliveryGate(concurrency, patience)
        self._lanes: dict[str, asyncio.Task] = {}
        self._next_free: dict[str, float] = {}  # loop time a chat may receive again
        self._unmarked: set[int] = set()  # delivered, not yet marked: never send again
        self._watching: list[set[str]] = []  # chats whose lane ended, per query running
        self._stop = asyncio.Event()
        self.wakeup = asyncio.Event()

    @property
    def name(self) -> str:
        return self.channel.name

    def stop(self) -> None:
        self._stop.set()
        self.wakeup.set()

    def wake(self) -> None:
        """Something was queued: look now instead of after the idle pause."""
        self.wakeup.set()

    async def run(self) -> None:
        """Until `stop`: start lanes for due messages, rest when there is nothing new."""
        while not self._stop.is_set():
            try:
                started = await self._start_lanes()
            except StoreError as exc:  # the store logged the cause once; health shows it
                log.warning("%s outbox: reading due messages failed: %s", self.name, exc.problem)
                started = []
            except Exception:
                log.exception("%s outbox: reading due messages failed", self.name)
                started = []
            if not started:
                self.wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wakeup.wait(), timeout=self.idle_seconds)
        await self.finish()

    async def finish(self, timeout: float = 10.0) -> None:
        """Let the lanes deliver what they hold now (a stop waits for them, then cancels)."""
        lanes = list(self._lanes.values())
        if not lanes:
            return
        done, pending = await asyncio.wait(lanes, timeout=timeout)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def drain_once(self, limit: int = 100) -> int:
        """One round, waited for: how many messages were delivered (benchmarks, the terminal)."""
        lanes = await self._start_lanes(limit)
        results = await asyncio.gather(*lanes, return_exceptions=True)
        return sum(r for r in results if isinstance(r, int))

    async def _start_lanes(self, limit: int = 100) -> list[asyncio.Task]:
        await self._retry_marks()
        # A chat whose lane was busy or ended while the query ran is skipped this round: the
        # rows read may predate that lane's marks (a stale read would send twice).
        busy, ended = set(self._lanes), set()
        self._watching.append(ended)
        try:
            messages = await self.outbox.due(self.name, limit)
        finally:
            self._watching.remove(ended)
        by_chat: dict[str, list[OutboxMessage]] = {}
        for message in messages:
            chat = message.chat_id
            if message.id in self._unmarked or chat in busy or chat in ended:
                continue
            if chat in self._lanes:
                continue
            queue = by_chat.setdefault(message.chat_id, [])
            if len(queue) < self.per_chat:
                queue.append(message)
        started = []
        for chat_id, queue in by_chat.items():
            task = asyncio.create_task(self._lane(chat_id, queue), name=f"{self.name}:{chat_id}")
            self._lanes[chat_id] = task
            task.add_done_callback(functools.partial(self._lane_done, chat_id))
            started.append(task)
        return started

    def _lane_done(self, chat_id: str, task: asyncio.Task) -> None:
        if self._lanes.get(chat_id) is task:
            del self._lanes[chat_id]
        for ended in self._watching:
            ended.add(chat_id)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s outbox lane for chat %s failed", self.name, chat_id,
                      exc_info=task.exception())  # fmt: skip
        self.wakeup.set()

    async def _lane(self, chat_id: str, queue: list[OutboxMessage]) -> int:
        """One chat's messages in order; stop at the first that has to wait."""
        loop = asyncio.get_running_loop()
        sent = 0
        for message in queue:
            if self._stop.is_set():
                break
            wait = self._next_free.get(chat_id, 0.0) - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            async with self._gate.slot():
                outcome = await self._deliver(message)
            self._next_free[chat_id] = loop.time() + self.spacing
            if outcome == "sent":
                sent += 1
            elif outcome == "wait":
                break
        if self.spacing and len(self._next_free) > 10_000:
            now = loop.time()
            self._next_free = {c: t for c, t in self._next_free.items() if t > now}
        return sent

    async def _deliver(self, message: OutboxMessage) -> str:
        """'sent', 'wait' (this chat stops for now) or 'next' (given up or held: go on)."""
        try:
            await self.channel.deliver(
                message.chat_id,
                message.reply,
                skip=message.parts_sent,
                on_part=functools.partial(self.outbox.mark_parts_sent, message.id),
            )
        except RetryLater as exc:
            # the platform's own delay (429 retry_after) plus a little jitter, else backoff
            delay = exc.delay * random.uniform(1.0, 1.1) if exc.delay > 0 else None
            delay = delay or backoff(message.attempts)
            log.info("%s outbox %s: retry in %.1fs: %s", self.name, message.id, delay, exc.reason)
            await self.outbox.retry_later(message.id, delay, exc.reason)
            return "wait"
        except GiveUp as exc:
            log.warning("%s outbox %s given up: %s", self.name, message.id, exc.reason)
            await self.outbox.give_up(message.id, exc.reason)
            return "next"
        except Hold as exc:
            await self.outbox.hold(message.id, exc.reason)
            return "next"
        except Exception as exc:  # a bug or an unmapped error: retry later, never loop hot
            log.exception("%s outbox %s: delivery failed", self.name, message.id)
            await self.outbox.retry_later(message.id, backoff(message.attempts), repr(exc))
            return "wait"
        await self._mark_sent(message.id)
        return "sent"

    async def _mark_sent(self, message_id: int) -> None:
        """The platform accepted it: record that, retrying the record, never the send."""
        for attempt in range(MARK_TRIES):
            try:
                await self.outbox.mark_sent(message_id)
            except Exception as exc:
                delay = backoff(attempt, base=0.05, cap=10.0)
                log.warning("outbox %s sent but not marked (%s); again in %.2fs",
                            message_id, exc, delay)  # fmt: skip
                await asyncio.sleep(delay)
            else:
                return
        self._unmarked.add(message_id)  # its chat's lane ends: keep it out of later rounds
        log.error("outbox %s sent but not marked yet: the next round tries again", message_id)

    async def _retry_marks(self) -> None:
        for message_id in list(self._unmarked):
            try:
                await self.outbox.mark_sent(message_id)
            except Exception:
                return
            self._unmarked.discard(message_id)
