"""The running bot, transport-free: the core, the runner lease, the jobs, one outbox
drainer per channel, and the channels themselves.

    runtime = Runtime(settings, [TelegramChannel.from_settings(settings)])
    runtime.on_start.append(start_web)   # async callables taking the runtime,
    runtime.on_stop.append(stop_web)     # awaited after start / before stop
    exit_code = await runtime.run()      # until SIGINT/SIGTERM or a channel ends

Start: open the store (refused when it is damaged, read-only or unreadable: StoreError)
and take the runner lease (a second runner on the same store
stops here with one line, before the search index is built), finish opening the
core, freeze the start-up objects out of GC passes, start the channels (each gets
the core through `bind(core)` first), the periodic jobs, one drainer per channel (its
`drain` and `on_release` set to that drainer's),
then the `on_start` hooks. Stop runs in reverse: `on_stop` hooks, the drainers
finish what they hold, jobs are cancelled, channels stop, the lease is freed, the
core closes. Only the lease holder runs jobs and drainers; losing the lease (the
process stalled past its expiry and another took over) stops this one with exit 1.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Awaitable, Callable, Iterable

from bot.channels.base import Channel
from bot.core import Core, open_core
from bot.jobs import Jobs
from bot.notify.drainer import Drainer
from bot.settings import Settings
from bot.store import open_store
from bot.store.lease import HEARTBEAT, TTL, LeaseLost, RunnerLease

log = logging.getLogger(__name__)

Hook = Callable[["Runtime"], Awaitable[None]]


class Runtime:
    def __init__(
        self,
        settings: Settings,
        channels: Iterable[Channel],
        *,
        lease_ttl: float = TTL,
        heartbeat: float = HEARTBEAT,
        run_jobs: bool = True,
        drain_idle: float = 1.0,
    ):
        self.settings = settings
        self.channels: dict[str, Channel] = {c.name: c for c in channels}
        self.on_start: list[Hook] = []
        self.on_stop: list[Hook] = []
        self.core: Core | None = None
        self.lease: RunnerLease | None = None
        self.drainers: dict[str, Drainer] = {}
        self.jobs: Jobs | None = None
        self.exit_code = 0
        self.failure: str | None = None  # why it stopped on its own (one line)
        self._lease_ttl, self._heartbeat = lease_ttl, heartbeat
        self._run_jobs, self._drain_idle = run_jobs, drain_idle
        self._tasks: list[asyncio.Task] = []
        self._started: list[Channel] = []
        self._stopping: asyncio.Event | None = None
        self._stopped = False

    async def start(self) -> None:
        """Raises LeaseTaken when another runner holds the store, StoreError when the store is
        damaged or unusable (nothing is started then)."""
        self._stopping = asyncio.Event()
        # A store that cannot be opened or written, or fails SQLite's quick check: StoreError.
        db = await open_store(self.settings, check=True)
        lease = RunnerLease(db, ttl=self._lease_ttl, heartbeat=self._heartbeat)
        try:
            await lease.acquire()
        except BaseException:
            await db.close()
            raise
        self.lease = lease
        try:
            self._tasks.append(asyncio.create_task(self._keep_lease(), name="runner-lease"))
            self.core = await open_core(self.settings, db)
            gc.freeze()  # the catalog and its index live as long as the bot: out of GC passes
            for channel in self.channels.values():
                channel.bind(self.core)
                await channel.start()
                self._started.append(channel)
            if self._run_jobs:
                self.jobs = Jobs(self.core)
                self.jobs.start()
            for channel in self.channels.values():
                drainer = Drainer(self.core.db, channel, idle_seconds=self._drain_idle)
                self.drainers[channel.name] = drainer
                channel.drain = drainer.drain_once  # a channel may ask for a round itself
                channel.on_release = drainer.wake  # held messages became due (Zalo)
                self._tasks.append(
                    asyncio.create_task(drainer.run(), name=f"outbox-{channel.name}")
                )
            for hook in self.on_start:
                await hook(self)
        except BaseException:
            await self.stop()
            raise

    def request_stop(self, exit_code: int = 0) -> None:
        """Ask `run` to stop (signals, a channel that ended, a lost lease)."""
        self.exit_code = self.exit_code or exit_code
        if self._stopping is not None:
            self._stopping.set()

    async def wait(self) -> None:
        """Until a stop is requested or a channel that can end (the terminal chat) ended."""
        waits = [asyncio.create_task(self._stopping.wait())]
        for channel in self.channels.values():
            if channel.ended is not None:
                waits.append(asyncio.create_task(channel.ended.wait()))
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waits:
                task.cancel()
        for channel in self.channels.values():
            if channel.failure:
                self.failure = self.failure or f"{channel.name}: {channel.failure}"
                self.exit_code = self.exit_code or 1

    async def run(self) -> int:
        """Start, serve until SIGINT/SIGTERM (or a channel ends), stop; the exit code."""
        await self.start()
        loop = asyncio.get_running_loop()
        installed = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, self.request_stop)
                installed.append(sig)
        try:
            await self.wait()
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)
            await self.stop()
        return self.exit_code

    async def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        for hook in reversed(self.on_stop):
            try:
                await hook(self)
            except Exception:
                log.exception("a stop hook failed")
        for drainer in self.drainers.values():
            drainer.stop()
        drains = [t for t in self._tasks if t.get_name().startswith("outbox-")]
        if drains:
            _done, pending = await asyncio.wait(drains, timeout=15)
            for task in pending:
                task.cancel()
        if self.jobs is not None:
            await self.jobs.stop()
        for channel in reversed(self._started):
            try:
                await channel.stop()
            except Exception:
                log.exception("channel %s did not stop cleanly", channel.name)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.lease is not None:
            try:
                await self.lease.release()
            except Exception:
                log.exception("could not free the runner lease (it expires by itself)")
        if self.core is not None:
            await self.core.close()
        elif self.lease is not None:
            await self.lease.db.close()

    async def _keep_lease(self) -> None:
        try:
            await self.lease.keep()
        except LeaseLost as exc:
            self.failure = f"{exc}: stopped, so that only one runner delivers"
            self.request_stop(1)

    async def __aenter__(self) -> Runtime:
        await self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.stop()
