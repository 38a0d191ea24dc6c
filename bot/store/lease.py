"""The runner lease: one process per store runs the jobs and delivers the outbox.

A row in the store, not a PID file: it works across hosts sharing the store, and a
runner that died (kill -9, power cut) stops renewing it, so the next one takes it
over once it expired. The holder renews it every few seconds; a clean stop frees it.

A runner restarted after a kill -9 on the same machine need not wait for the expiry:
the holder id carries where its process ran (the kernel's boot id and the process-id
namespace), and when that is here and the process is gone, the lease is taken over at
once. Another container or machine never matches, so it still waits.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.backoff import backoff
from bot.clock import stamp, unstamp, utcnow
from bot.store.db import Database

log = logging.getLogger(__name__)

TTL = 30.0  # seconds a lease lives without a heartbeat
HEARTBEAT = 5.0  # seconds between heartbeats


@dataclass(frozen=True)
class Holder:
    holder: str
    host: str
    pid: int
    acquired_at: datetime
    heartbeat_at: datetime
    expires_at: datetime


class LeaseTaken(RuntimeError):
    """Another live runner holds the lease; the message is one line saying what to do."""

    def __init__(self, holder: Holder, now: datetime):
        self.holder = holder
        seen = max(0, int((now - holder.heartbeat_at).total_seconds()))
        wait = max(0, int((holder.expires_at - now).total_seconds()))
        super().__init__(
            f"another runner holds this store: pid {holder.pid} on {holder.host}, running since "
            f"{holder.acquired_at:%Y-%m-%d %H:%M:%S} UTC, last heartbeat {seen}s ago. Stop that "
            f"one first (only one `motcua run` per database), or if it died, try again in {wait}s."
        )


class LeaseLost(RuntimeError):
    """Someone else took the lease while we held it (we stalled past its expiry)."""


class RunnerLease:
    def __init__(self, db: Database, *, ttl: float = TTL, heartbeat: float = HEARTBEAT):
        self.db = db
        self.ttl = ttl
        self.heartbeat = heartbeat
        self.holder = f"{uuid.uuid4().hex}@{PLACE}" if PLACE else uuid.uuid4().hex
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.held = False

    async def acquire(self) -> None:
        """Take the lease when free or expired; raise LeaseTaken when another runner lives."""
        now = utcnow()
        expires = stamp(now + timedelta(seconds=self.ttl))
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT holder, host, pid, acquired_at, heartbeat_at, expires_at"
                " FROM runner_lease WHERE id = 1"
            ) as cur:
                row = await cur.fetchone()
            if row is not None and row[0] != self.holder and row[5] > stamp(now):
                if not _gone_from_here(row[0], int(row[2])):
                    raise LeaseTaken(_holder(row), now)
                log.warning("the runner that held the lease (pid %s) is gone: taking over", row[2])
            if row is not None and row[0] != self.holder:
                log.warning(
                    "taking over the runner lease of pid %s on %s (expired %s)", row[2], row[1],
                    row[5],
                )  # fmt: skip
            await conn.execute(
                "INSERT INTO runner_lease(id, holder, host, pid, acquired_at, heartbeat_at,"
                " expires_at) VALUES (1,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
                " holder = excluded.holder, host = excluded.host, pid = excluded.pid,"
                " acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at,"
                " expires_at = excluded.expires_at",
                (self.holder, self.host, self.pid, stamp(now), stamp(now), expires),
            )
        self.held = True

    async def renew(self) -> None:
        """Push the expiry on; LeaseLost when the row is no longer ours."""
        now = utcnow()
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE runner_lease SET heartbeat_at = ?, expires_at = ?"
                " WHERE id = 1 AND holder = ?",
                (stamp(now), stamp(now + timedelta(seconds=self.ttl)), self.holder),
            )
            if cur.rowcount != 1:
                self.held = False
                raise LeaseLost("the runner lease was taken over by another process")

    async def keep(self) -> None:
        """Heartbeat until cancelled; a busy store is retried, a lost lease raises."""
        failures = 0
        while True:
            await asyncio.sleep(self.heartbeat)
            try:
                await self.renew()
                failures = 0
            except LeaseLost:
                raise
            except Exception as exc:  # busy store: try again soon, well before the expiry
                failures += 1
                log.warning("runner lease heartbeat failed (%s), retrying", exc)
                await asyncio.sleep(min(self.heartbeat, backoff(failures, base=0.2)))

    async def release(self) -> None:
        if not self.held:
            return
        self.held = False
        async with self.db.transaction() as conn:
            await conn.execute(
                "DELETE FROM runner_lease WHERE id = 1 AND holder = ?", (self.holder,)
            )


def _place() -> str | None:
    """This machine's boot and process-id namespace (Linux); None elsewhere."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as fh:
            boot = fh.read().strip()
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        return None
    return f"{boot}/{namespace}"


PLACE = _place()


def _gone_from_here(holder: str, pid: int) -> bool:
    """The holder ran in this machine's boot and pid namespace, and its process is gone."""
    if not PLACE or holder.partition("@")[2] != PLACE or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists (another user's process): not ours to judge
        return False
    return False


async def current_holder(db: Database) -> Holder | None:
    row = await db.fetchone(
        "SELECT holder, host, pid, acquired_at, heartbeat_at, expires_at"
        " FROM runner_lease WHERE id = 1"
    )
    return _holder(row) if row else None


def _holder(row) -> Holder:
    return Holder(row[0], row[1], int(row[2]), unstamp(row[3]), unstamp(row[4]), unstamp(row[5]))
