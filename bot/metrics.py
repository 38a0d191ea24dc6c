"""The counters the channels and the dialog bump, kept in one registry per runtime.

Not prometheus_client's global registry: each Core gets its own, so tests (and benches)
can run several bots in one process without their numbers mixing. The hooks are one
line each and cheap: they add to plain numbers (the bot runs in one event loop, so no
lock is needed), and prometheus_client only sees them when `/metrics` is scraped, through
`collect()`. `GET /metrics` (bot/web) renders this registry plus the store readings.
"""

from __future__ import annotations

from bisect import bisect_left
from time import perf_counter

from prometheus_client import CollectorRegistry
from prometheus_client.core import (
    CounterMetricFamily,
    HistogramMetricFamily,
)

# Seconds from an update's arrival to its last reply sent; Telegram and Zalo want an
# answer well within seconds, so the buckets are finest below one second.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)


class _Channel:
    __slots__ = ("updates", "replies", "buckets", "seconds")

    def __init__(self) -> None:
        self.updates = 0
        self.replies = 0
        self.buckets = [0] * (len(LATENCY_BUCKETS) + 1)  # the last one: above every bound
        self.seconds = 0.0


class Metrics:
    """What happened in this process since it started (the store's state is read apart)."""

    def __init__(self, registry: CollectorRegistry | None = None):
        self._channels: dict[str, _Channel] = {}
        self._abstentions = 0
        self.registry = registry or CollectorRegistry()
        self.registry.register(self)

    def _of(self, channel: str) -> _Channel:
        found = self._channels.get(channel)
        if found is None:
            found = self._channels[channel] = _Channel()
        return found

    # The hooks ----------------------------------------------------------------------------
    def received(self, channel: str) -> float:
        """Count an update in; returns the start time to give `answered`."""
        self._of(channel).updates += 1
        return perf_counter()

    def answered(self, channel: str, started: float, replies: int) -> None:
        """Count the replies sent for one update and how long it took."""
        seconds = perf_counter() - started
        c = self._of(channel)
        c.replies += replies
        c.buckets[bisect_left(LATENCY_BUCKETS, seconds)] += 1
        c.seconds += seconds

    def abstained(self) -> None:
        self._abstentions += 1

    # prometheus_client's side ---------------------------------------------------------------
    def collect(self):
        updates = CounterMetricFamily(
            "motcua_updates", "Updates received (messages, button presses)", labels=["channel"]
        )
        replies = CounterMetricFamily(
            "motcua_replies", "Replies sent in answer to updates", labels=["channel"]
        )
        latency = HistogramMetricFamily(
            "motcua_handling_seconds",
            "Time from an update's arrival to its replies sent",
            labels=["channel"],
        )
        for name, c in sorted(self._channels.items()):
            updates.add_metric([name], c.updates)
            replies.add_metric([name], c.replies)
            running, cumulative = 0, []
            for bound, count in zip((*LATENCY_BUCKETS, float("inf")), c.buckets, strict=True):
                running += count
                cumulative.append((_bound(bound), running))
            latency.add_metric([name], cumulative, sum_value=c.seconds)
        yield updates
        yield replies
        yield CounterMetricFamily(
            "motcua_search_abstentions",
            "Questions the catalog search could not answer (the citizen was offered a human)",
            value=self._abstentions,
        )
        yield latency

    def describe(self):
        return []  # names are fixed; nothing to check against other collectors


def _bound(bound: float) -> str:
    return "+Inf" if bound == float("inf") else repr(bound)
