"""What `motcua check` reports: SQLite's integrity check, schema version, size, disk, backlog.

Also what a health endpoint can show: `examine(db, quick=True)` is cheap enough
for a start-up check; the full check reads every page and every index.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from bot.store.db import Database, migrations


@dataclass
class StoreReport:
    path: str
    problems: list[str] = field(default_factory=list)
    schema_version: int = 0
    latest_version: int = 0
    size_bytes: int = 0
    wal_bytes: int = 0
    free_bytes: int = 0
    outbox_pending: int = 0

    @property
    def healthy(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        schema = f"schema version {self.schema_version}"
        if self.schema_version != self.latest_version:
            schema += f" (this program's: {self.latest_version})"
        state = "ok" if self.healthy else f"DAMAGED ({len(self.problems)} problem(s) found)"
        out = [
            f"store {self.path}: {state}",
            schema,
            f"size {_size(self.size_bytes)} (+ {_size(self.wal_bytes)} WAL),"
            f" free disk {_size(self.free_bytes)}",
            f"outbox: {self.outbox_pending} message(s) waiting",
        ]
        return out + [f"  {problem}" for problem in self.problems]


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


async def examine(db: Database, quick: bool = False) -> StoreReport:
    """Check the store; a damaged one still reports what could be read."""
    from bot.store.errors import StoreError
    from bot.store.outbox import count_pending

    path = Path(str(db.path))
    report = StoreReport(str(db.path), latest_version=max((m[0] for m in migrations()), default=0))
    report.problems = await db.check(quick=quick)
    try:
        report.schema_version = await db.schema_version()
        report.outbox_pending = await count_pending(db, None)
    except StoreError as exc:
        if not report.problems:
            report.problems = [exc.problem]
    if path.exists():
        report.size_bytes = path.stat().st_size
        wal = path.with_name(path.name + "-wal")
        report.wal_bytes = wal.stat().st_size if wal.exists() else 0
        report.free_bytes = shutil.disk_usage(path.parent).free
    return report


async def ping(db: Database) -> None:
    """One trivial read: raises when the store cannot answer."""
    await db.fetchone("SELECT 1")
