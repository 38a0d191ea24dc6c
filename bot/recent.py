"""What each user was last shown, for a while: the context a follow-up refers to.

"Còn phí thì sao?" right after the birth-registration card means that card's fee.
Kept in the store (not per process), so a restart or a second process agrees, and
read only within `TTL`: an hour later the same words start afresh.

Every card shown updates it, and a commit per card would cost the busy path more than
the card itself, so changes are written together, at most once every `FLUSH_EVERY`
seconds (at once when the bot is quiet) and on close; this process reads its own
unwritten changes first. A crash loses at most that second of context.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from bot.clock import stamp, unstamp, utcnow
from bot.store import Database
from bot.store import recent as store

log = logging.getLogger(__name__)

TTL = timedelta(minutes=30)
FLUSH_EVERY = 1.0  # seconds
PURGE_EVERY = 3600.0  # seconds between deleting what has expired: kept no longer than needed

EVENT = "e:"  # a life event's group shown: stored where a card's code goes, with this prefix


@dataclass(frozen=True)
class Recent:
    procedure_code: str | None
    others: list[str]
    dossier_code: str | None
    event: str | None = None  # the life event whose procedures were shown last, if that was last


class RecentTopics:
    def __init__(self, db: Database, ttl: timedelta = TTL):
        self.db = db
        self.ttl = ttl
        self.now = utcnow  # replaced in tests to let time pass
        # (channel, user) -> the store's COLUMNS: [procedure_code, others, procedure_at,
        # dossier_code, dossier_at]
        self._pending: dict[tuple[str, str], list] = {}
        self._writing: dict[tuple[str, str], list] = {}  # being written now
        self._flushed = 0.0
        self._purged = 0.0

    async def procedure_shown(
        self, channel: str, user_id: str, code: str, others: list[str]
    ) -> None:
        row = self._pending.setdefault((channel, user_id), [None, "", None, None, None])
        row[0:3] = [code, ",".join(others), stamp(self.now())]
        await self._maybe_flush()

    async def event_shown(self, channel: str, user_id: str, event_id: str) -> None:
        """A life event's group was shown: a follow-up then asks which of its procedures."""
        await self.procedure_shown(channel, user_id, EVENT + event_id, [])

    async def dossier_shown(self, channel: str, user_id: str, code: str) -> None:
        row = self._pending.setdefault((channel, user_id), [None, "", None, None, None])
        row[3:5] = [code, stamp(self.now())]
        await self._maybe_flush()

    async def get(self, channel: str, user_id: str) -> Recent:
        """The procedure and dossier shown within the time-to-live (None when older)."""
        stored = await store.recent(self.db, channel, user_id)
        row = [stored[c] for c in store.COLUMNS] if stored else [None, "", None, None, None]
        for unwritten in (self._writing, self._pending):
            pending = unwritten.get((channel, user_id))
            if pending and pending[0] is not None:
                row[0:3] = pending[0:3]
            if pending and pending[3] is not None:
                row[3:5] = pending[3:5]
        fresh_proc = self._fresh(row[2])
        shown = row[0] if fresh_proc else None
        event = shown[len(EVENT) :] if shown and shown.startswith(EVENT) else None
        return Recent(
            None if event else shown,
            [c for c in (row[1] or "").split(",") if c] if fresh_proc else [],
            row[3] if self._fresh(row[4]) else None,
            event,
        )

    async def flush(self) -> None:
        """Write the changes kept in memory, in one transaction."""
        self._flushed = time.monotonic()
        if self._flushed - self._purged >= PURGE_EVERY:
            self._purged = self._flushed
            old = stamp(self.now() - self.ttl)
            await store.purge(self.db, old)
        if not self._pending:
            return
        self._writing, self._pending = self._pending, {}
        try:
            async with self.db.transaction() as conn:
                rows = [(c, u, *r) for (c, u), r in self._writing.items()]
                await store.put_many(conn, rows)
        finally:
            self._writing = {}

    async def forget(self, channel: str, user_id: str) -> None:
        """The citizen asked to delete their data (/xoadulieu)."""
        self._pending.pop((channel, user_id), None)
        await store.forget(self.db, channel, user_id)

    async def _maybe_flush(self) -> None:
        """Context is a convenience: failing to store it must not cost the citizen the answer."""
        if time.monotonic() - self._flushed >= FLUSH_EVERY:
            try:
                await self.flush()
            except Exception:
                log.exception("could not store the recent topics")

    def _fresh(self, at: str | None) -> bool:
        moment = unstamp(at)
        return moment is not None and self.now() - moment <= self.ttl
