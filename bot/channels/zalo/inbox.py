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

log = logging.getLogger(__name__)

INSERT = (
    "INSERT INTO zalo_events(event_key, event_name, received_at, payload) VALUES (?,?,?,?)"
    " ON CONFLICT(event_key) DO NOTHING"
)


class Inbox:
    def __init__(self, db: Database):
        self.db = db
        self._pending: list[tuple[str, str, str, asyncio.Future]] = []
        self._writer: asyncio.Task | None = None

    async def put(self, key: str, name: str, payload: str) -> bool:
        """Stored (committed) when this returns; False: the key was stored before."""
        future = asyncio.get_running_loop().create_future()
        self._pending.append((key, name, payload, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="zalo-inbox")
        return await asyncio.shield(future)

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
        now = stamp(utcnow())
        new = []
        async with self.db.transaction() as conn:
            for key, name, payload, _ in batch:
                cur = await conn.execute(INSERT, (key, name, now, payload))
                new.append(cur.rowcount == 1)
        return new

    async def handled(self, key: str) -> None:
        await self.db.execute(
            "UPDATE zalo_events SET handled_at = ? WHERE event_key = ?", (stamp(utcnow()), key)
        )

    async def unhandled(self) -> list[tuple[str, str]]:
        """(key, payload) of events stored but never handled (the bot stopped first)."""
        rows = await self.db.fetchall(
            "SELECT event_key, payload FROM zalo_events WHERE handled_at IS NULL"
            " AND payload IS NOT NULL ORDER BY received_at, rowid"
        )
        return [(r[0], r[1]) for r in rows]
