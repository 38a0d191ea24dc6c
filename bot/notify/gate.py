"""How many deliveries may be in flight: one, unless the ones in flight are hanging.

A delivery the platform accepted but the store has not yet marked is the one thing a
kill -9 can repeat. Keeping a single delivery in flight while the platform answers
quickly bounds that to one message per crash; a delivery that hangs longer than
`patience` (a chat's timeout, a slow upstream) no longer holds the others up: the
next may start beside it, up to `limit` at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools


class DeliveryGate:
    def __init__(self, limit: int = 8, patience: float = 1.0):
        self.limit = limit
        self.patience = patience
        self._started: dict[int, float] = {}  # delivery token -> loop time it began
        self._tokens = itertools.count()
        self._changed = asyncio.Condition()

    @property
    def in_flight(self) -> int:
        return len(self._started)

    @contextlib.asynccontextmanager
    async def slot(self):
        token = await self._acquire()
        try:
            yield
        finally:
            async with self._changed:
                del self._started[token]
                self._changed.notify(1)  # one waiter can take the freed place

    async def _acquire(self) -> int:
        loop = asyncio.get_running_loop()
        async with self._changed:
            while True:
                now = loop.time()
                youngest = max(self._started.values(), default=None)
                hung = youngest is None or now - youngest >= self.patience
                if hung and len(self._started) < self.limit:
                    token = next(self._tokens)
                    self._started[token] = now
                    return token
                wait = None if youngest is None else max(self.patience - (now - youngest), 0.01)
                if len(self._started) >= self.limit:
                    wait = None  # full: only a finished delivery frees a place
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), wait)
