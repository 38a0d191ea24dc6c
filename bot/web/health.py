"""GET /healthz: small probes, each reading one thing, put together into one answer.

A probe is an async callable returning a Reading (JSON-able data, and the problems it
found). Adding what another part of the bot knows (the Zalo token's expiry) is one
`health.add(name, probe)` line. No personal data: counts and
times only, since anyone who can reach the port can read it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.clock import unstamp, utcnow
from bot.store import Database
from bot.store.health import ping

log = logging.getLogger(__name__)

# A due outbox message waiting longer than this means delivery is stuck (the drainer
# picks due messages up within seconds; 30 messages a second clear 18,000 in 10 minutes).
STALE_OUTBOX_SECONDS = 600.0
PROBE_TIMEOUT = 2.0  # a store that does not answer a SELECT in 2 s is not reachable


@dataclass
class Reading:
    data: Any = None
    problems: list[str] = field(default_factory=list)


Probe = Callable[[], Awaitable[Reading | None]]  # None: nothing to report, not listed


class Health:
    def __init__(self, timeout: float = PROBE_TIMEOUT):
        self.timeout = timeout
        self.probes: dict[str, Probe] = {}

    def add(self, name: str, probe: Probe) -> None:
        self.probes[name] = probe

    async def check(self) -> tuple[bool, dict]:
        """(healthy, the report); a probe that fails or hangs is a problem, not a crash."""
        names = list(self.probes)
        readings = await asyncio.gather(*(self._read(n) for n in names))
        report: dict[str, Any] = {}
        problems: list[str] = []
        for name, reading in zip(names, readings, strict=True):
            if reading is None:  # a probe with nothing to report (a channel without state)
                continue
            report[name] = reading.data
            problems += [f"{name}: {p}" for p in reading.problems]
        return not problems, {"status": "unhealthy" if problems else "ok", "problems": problems} | {
            "checks": report
        }

    async def _read(self, name: str) -> Reading | None:
        try:
            return await asyncio.wait_for(self.probes[name](), self.timeout)
        except TimeoutError:
            return Reading(None, [f"no answer within {self.timeout:g} s"])
        except Exception as exc:  # the store closed, a bug in a probe: report, do not raise
            log.warning("health probe %s failed: %s", name, exc)
            return Reading(None, [f"failed ({type(exc).__name__})"])


def store_probe(db: Database) -> Probe:
    async def probe() -> Reading:
        await ping(db)
        damage = getattr(db, "problem", None)  # damage the store met while running
        return Reading({"reachable": True, "damaged": bool(damage)}, [damage] if damage else [])

    return probe


def outbox_probe(outbox, stale_after: float = STALE_OUTBOX_SECONDS) -> Probe:
    """Per channel: due, scheduled, the oldest due one's wait, failed, held."""

    async def probe() -> Reading:
        backlog = await outbox.backlog()
        data, problems = {}, []
        for channel, b in sorted(backlog.items()):
            data[channel] = {
                "pending": b.due,
                "scheduled": b.scheduled,
                "oldest_pending_seconds": round(b.oldest_due_seconds),
                "failed": b.failed,
                "held": b.held,
            }
            if b.oldest_due_seconds > stale_after:
                problems.append(
                    f"{channel}: a message has waited {b.oldest_due_seconds:.0f} s"
                    f" (more than {stale_after:.0f} s)"
                )
        return Reading(data, problems)

    return probe


def sync_probe(last_syncs: Callable[[], Awaitable[dict[str, str]]]) -> Probe:
    """When each upstream sync's cursor last moved (a quiet upstream is not a fault)."""

    async def probe() -> Reading:
        now = utcnow()
        return Reading(
            {
                name: {"at": at, "age_seconds": round((now - unstamp(at)).total_seconds())}
                for name, at in (await last_syncs()).items()
            }
        )

    return probe


def routes_probe(core) -> Probe:
    """Per agency, whether a complaint and a report about staff reach someone here."""
    from bot.feedback.reach import NETWORK_CHANNELS, health_data, live_channels, route_states

    async def probe() -> Reading:
        states = await route_states(core.db, core.settings)
        serving = live_channels(core.settings) & set(NETWORK_CHANNELS)
        lost = sorted({f"{s.kind} {s.agency}" for s in states if not s.reachable})
        problems = [f"reaches no one: {', '.join(lost)}"] if lost and serving else []
        return Reading(health_data(states), problems)

    return probe


def core_health(core) -> Health:
    """The probes every runtime has; channels and the lease add theirs with `add`."""
    from bot.dossiers.sync import last_syncs
    from bot.notify.outbox import Outbox

    health = Health()
    health.add("store", store_probe(core.db))
    health.add("outbox", outbox_probe(Outbox(core.db)))
    health.add("dossier_sync", sync_probe(lambda: last_syncs(core.db)))
    health.add("routes", routes_probe(core))
    return health
