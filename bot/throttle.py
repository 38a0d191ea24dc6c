"""Slow down someone who tries many dossier codes that do not exist (no enumeration)."""

from __future__ import annotations

import time
from collections import deque

MAX_FAILURES = 5
WINDOW_SECONDS = 600.0


class LookupGuard:
    """In memory: a restart forgives, which is fine for a brake (not a lock)."""

    def __init__(
        self, max_failures: int = MAX_FAILURES, window: float = WINDOW_SECONDS, clock=time.monotonic
    ):
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}

    def failed(self, channel: str, user_id: str) -> None:
        times = self._failures.setdefault((channel, user_id), deque())
        times.append(self.clock())
        self._trim(times)

    def wait_seconds(self, channel: str, user_id: str) -> float:
        """0 when the user may look up now; otherwise how long until they may."""
        times = self._failures.get((channel, user_id))
        if not times:
            return 0.0
        self._trim(times)
        if len(times) < self.max_failures:
            return 0.0
        return max(0.0, times[0] + self.window - self.clock())

    def _trim(self, times: deque[float]) -> None:
        cutoff = self.clock() - self.window
        while times and times[0] < cutoff:
            times.popleft()


class NoticeGuard:
    """At most `limit` refusal notices per user in `window` seconds; the rest get nothing.

    A stranger pressing an officials' button over and over costs one popup each, so
    repeating does not turn into a flood of calls (the popups never reach the group).
    """

    def __init__(self, limit: int = 3, window: float = 60.0, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        self._shown: dict[tuple[str, str], deque[float]] = {}

    def allow(self, channel: str, user_id: str) -> bool:
        now = self.clock()
        if len(self._shown) > 10_000:  # a brake, not a record: forget everyone
            self._shown.clear()
        times = self._shown.setdefault((channel, user_id), deque())
        while times and times[0] < now - self.window:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        return True
