"""Consistent copies of the store while the bot runs, and the daily rotation.

SQLite's online backup API reads one snapshot through its own connection (in WAL
mode readers never block the bot's writes, nor the other way round), into a temporary
file beside the target; the copy is then checked with `PRAGMA integrity_check`,
switched to a single self-contained file (no -wal beside it), synced and renamed
into place, so a file with the target's name is always a whole, checked copy.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.store.db import Database
from bot.store.errors import StoreError

log = logging.getLogger(__name__)

DAILY_RE = re.compile(r"^motcua-(\d{4}-\d{2}-\d{2})\.sqlite3$")


class BackupError(StoreError):
    """The copy could not be made or failed its check; nothing was left at the target."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size_bytes: int
    seconds: float


def _copy(source: str, target: Path) -> list[str]:
    """In a worker thread: the backup, the copy's integrity check ([] when ok)."""
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # one step: one read snapshot of the whole file
            dst.execute("PRAGMA journal_mode=DELETE")
            found = [str(r[0]) for r in dst.execute("PRAGMA integrity_check(20)")]
        finally:
            dst.close()
    finally:
        src.close()
    with open(target, "rb+") as f:
        os.fsync(f.fileno())
    return [] if found == ["ok"] else found


async def backup_to(db: Database, path: Path | str) -> Backup:
    """Copy the store to `path` (a new file); BackupError says why when it cannot."""
    path = Path(path)
    started = time.perf_counter()
    if path.exists():
        raise BackupError(path, "already exists", "give a new file name, or remove the old copy")
    if not path.parent.is_dir():
        raise BackupError(path, "its folder does not exist", "create the folder first")
    tmp = path.with_name(f".{path.name}.part-{os.getpid()}")
    try:
        problems = await asyncio.to_thread(_copy, str(db.path), tmp)
        if problems:
            raise BackupError(
                db.path,
                f"the copy failed its integrity check ({problems[0]})",
                "run `motcua check` on the store; restore an older backup if it is damaged",
            )
        os.replace(tmp, path)
        _sync_folder(path.parent)
    except BackupError:
        raise
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(
            path, f"could not write the copy ({exc})", "check free disk space and permissions"
        ) from exc
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)
    return Backup(path, path.stat().st_size, time.perf_counter() - started)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


async def rotate_backups(db: Database, folder: Path, keep: int, now: datetime) -> Path | None:
    """Today's copy `motcua-YYYY-MM-DD.sqlite3` (once a day), then keep only the `keep` newest.

    Returns the copy written, or None when today's is already there. Run it as
    often as you like (hourly): a restart never makes a second copy the same day.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"motcua-{now.date().isoformat()}.sqlite3"
    written = None
    if not target.exists():
        result = await backup_to(db, target)
        log.info("daily backup %s: %d bytes in %.1f s", target, result.size_bytes, result.seconds)
        written = target
    daily = sorted(p for p in folder.iterdir() if DAILY_RE.match(p.name))
    for old in daily[: max(0, len(daily) - keep)]:
        old.unlink(missing_ok=True)
        log.info("daily backup %s removed (keeping %d)", old, keep)
    return written
