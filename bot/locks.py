"""One lock per (channel, person), so a person's messages are handled one at a time and in
order while different people run at once (aiogram's event isolation, without its leak).

A lock exists only while someone holds it or waits for it: the last one out drops it, so a
bot that met a million people keeps no million locks. asyncio.Lock wakes its waiters in
the order they came, which keeps the order the messages arrived in.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Hashable


class _Entry:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0  # holding or waiting


class PersonLocks:
    def __init__(self) -> None:
        self._entries: dict[Hashable, _Entry] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        """Until the block ends, nobody else holds `key`; waiters go in arrival order."""
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry()
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._entries[key]

    def __len__(self) -> int:
        """How many keys are held or waited for now (0 when everyone is idle)."""
        return len(self._entries)
