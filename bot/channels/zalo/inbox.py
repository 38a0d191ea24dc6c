"""Webhook events written to the store before Zalo gets its 200 (group commit).

Zalo does not send an acknowledged event again, so the 200 waits for the commit. Under
a burst of posts one transaction stores every event that arrived meanwhile, which keeps
the acknowledgement fast (one commit for many posts instead of one each).
"""

from __future__ import annotations

import asyncio
import logging

from bot.clock import stamp, utcnow
from bot.store import Database
from bot.store import zalo as store

log = logging.getLogger(__name__)


class Inbox:
    def __init__(self, db: Database):
        self.db = db
        self._pending: list[tuple[str, str, str, asyncio.Future]] = []
        self._writer: asyncio.Task | None = None
        self._done: list[str] = []  # handled, not yet marked
        self._marker: asyncio.Task | None = None

    async def put(self, key: str, name: str, payload: str) -> bool:
        """Stored (committed) when this returns; False: the key was stored before."""
        future = asyncio.get_running_loop().create_future()
        self._pending.append((key, name, payload, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="zalo-inbox")
        return await asyncio.shield(future)

    async def quiet(self, longest: float = 0.5) -> None:
        """Until the posts waiting now are committed (at most `longest` s): in a burst the
        acknowledgements go first (Zalo wants each within 2 s), yet work keeps moving."""
        if self._writer is not None and not self._writer.done():
            await asyncio.wait({self._writer}, timeout=longest)

    async def _write(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                new = await self._store(batch)
            except Exception as exc:  # the store failed: every post in the batch gets a 5xx
                log.error("Zalo: webhook events not stored: %s", exc)
                for *_, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (*_, future), fresh in zip(batch, new, strict=True):
                if not future.done():
                    future.set_result(fresh)

    async def _store(self, batch) -> list[bool]:
        """One transaction, a few statements whatever the batch size (each statement is a
        round trip to the store's thread, paid while posts wait)."""
        now = stamp(utcnow())
        keys = [key for key, *_ in batch]
        async with self.db.transaction() as conn:
            seen = await store.seen_events(conn, keys)
            new = []
            for key, *_ in batch:
                new.append(key not in seen)
                seen.add(key)  # the same event twice in one batch: the first one counts
            rows = [(k, n, now, p) for (k, n, p, _), fresh in zip(batch, new, strict=True) if fresh]
            if rows:
                await store.add_events(conn, rows)
        return new

    def handled(self, key: str) -> None:
        """Marked in the next batch (one UPDATE for the events handled meanwhile): a crash
        before it means those few are handled again, never that one is lost."""
        self._done.append(key)
        if self._marker is None or self._marker.done():
            self._marker = asyncio.create_task(self._mark(), name="zalo-inbox-handled")

    async def _mark(self) -> None:
        while self._done:
            keys, self._done = self._done, []
            try:
                await store.mark_handled(self.db, keys, stamp(utcnow()))
            except Exception as exc:  # handled again after a restart: logged, not fatal
                log.error("Zalo: handled events not marked: %s", exc)

    async def flush(self) -> None:
        """Before stopping: the marks still queued are written."""
        while self._marker is not None and not self._marker.done():
            await self._marker

    async def unhandled(self) -> list[tuple[str, str]]:
        """(key, payload) of events stored but never handled (the bot stopped first)."""
        return await store.unhandled_events(self.db)
