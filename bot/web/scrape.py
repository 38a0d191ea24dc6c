"""Gauges read from the store at scrape time (outbox pending / failed per channel ...).

prometheus_client collects synchronously, while the store is async: `GET /metrics`
first awaits `refresh()` (every reader, with a timeout), then renders the registry, whose
`collect()` yields the readings just taken. A reader answers several gauges from one
query; adding one (the Zalo token's expiry) is one `add(...)` line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)

Gauge = tuple[str, str, str | None]  # name, help text, label name (None: one number)
# values by gauge name: {label value: number} for a labelled gauge, else a number
Reader = Callable[[], Awaitable[dict[str, dict[str, float] | float]]]


class StoreCollector:
    def __init__(self, timeout: float = 2.0):
        self.timeout = timeout
        self._readers: list[tuple[Reader, list[Gauge]]] = []
        self._values: dict[str, dict[str, float] | float] = {}

    def add(self, reader: Reader, *gauges: Gauge) -> None:
        self._readers.append((reader, list(gauges)))

    async def refresh(self) -> None:
        """Read every gauge now; a reader that fails is left out of this scrape (and logged)."""
        results = await asyncio.gather(
            *(asyncio.wait_for(reader(), self.timeout) for reader, _ in self._readers),
            return_exceptions=True,
        )
        values: dict[str, dict[str, float] | float] = {}
        for (_, gauges), result in zip(self._readers, results, strict=True):
            if isinstance(result, BaseException):
                log.warning("metrics %s not read: %r", [g[0] for g in gauges], result)
            else:
                values.update(result)
        self._values = values

    def collect(self):
        for _, gauges in self._readers:
            for name, documentation, label in gauges:
                value = self._values.get(name)
                if value is None:
                    continue
                if label is None:
                    yield GaugeMetricFamily(name, documentation, value=float(value))
                    continue
                family = GaugeMetricFamily(name, documentation, labels=[label])
                for key, number in sorted(value.items()):
                    family.add_metric([key], float(number))
                yield family

    def describe(self):
        return []  # read at scrape time only: registering must not touch the store


OUTBOX_GAUGES: list[Gauge] = [
    ("motcua_outbox_pending", "Outbox messages due and not yet delivered", "channel"),
    ("motcua_outbox_scheduled", "Outbox messages due later (quiet hours, back-off)", "channel"),
    ("motcua_outbox_failed", "Outbox messages given up on (undeliverable)", "channel"),
    ("motcua_outbox_oldest_pending_seconds", "Wait of the oldest due outbox message", "channel"),
    ("motcua_outbox_held", "Outbox messages kept until their user writes again", "channel"),
]


def outbox_reader(outbox) -> Reader:
    """One query for all the outbox gauges, per channel."""

    async def read() -> dict[str, dict[str, float]]:
        backlog = await outbox.backlog()
        attrs = ("due", "scheduled", "failed", "oldest_due_seconds", "held")
        return {
            gauge[0]: {ch: getattr(b, attr) for ch, b in backlog.items()}
            for gauge, attr in zip(OUTBOX_GAUGES, attrs, strict=True)
        }

    return read


def core_collector(core) -> StoreCollector:
    """The store gauges every runtime has; channels add theirs with `add`."""
    from bot.notify.outbox import Outbox

    collector = StoreCollector()
    collector.add(outbox_reader(Outbox(core.db)), *OUTBOX_GAUGES)
    return collector
