"""StoreError: the store cannot be opened, read or written, said in one line.

The message names the file, the problem and what to do, so an operator (or a
supervisor's log) knows the next step without a traceback.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import asyncpg

# What the database drivers raise (a constraint, a busy lock, damage): code outside
# bot/store catches this name, never a driver's own.
DriverError = (sqlite3.Error, asyncpg.PostgresError)

RESTORE = "restore the latest backup (see README: Backups) or move the file aside to start empty"
CHECK_RESTORE = "run `motcua check`, then restore the latest backup (see README: Backups)"


class StoreError(RuntimeError):
    """The store failed; `str()` is one line: file, problem, what to do."""

    def __init__(
        self, path: Path | str, problem: str, advice: str, cause: BaseException | None = None
    ):
        self.path = str(path)
        self.problem = problem
        self.advice = advice
        self.cause = cause
        super().__init__(f"store {self.path}: {problem}; {advice}")


def _text(exc: BaseException) -> str:
    return str(exc).lower()


def is_damage(exc: BaseException) -> bool:
    """SQLITE_CORRUPT / SQLITE_NOTADB: the file's pages are not what SQLite wrote."""
    text = _text(exc)
    return isinstance(exc, sqlite3.DatabaseError) and (
        "malformed" in text or "corrupt" in text or "not a database" in text
    )


def is_fatal(exc: BaseException) -> bool:
    """The store itself failed (damage, read-only, full disk, I/O): no retry will help."""
    text = _text(exc)
    return is_damage(exc) or any(
        word in text for word in ("readonly", "read-only", "disk is full", "disk i/o error")
    )


def store_error(path: Path | str, exc: BaseException) -> StoreError:
    """The StoreError for an sqlite3 or OS error met on `path`."""
    text = _text(exc)
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        problem = f"cannot create its folder or reach the file ({reason})"
        advice = "check MOTCUA_DB and that the bot's user may write that folder"
    elif "not a database" in text:
        problem = "not a SQLite database (its header is damaged, or it is another kind of file)"
        advice = RESTORE
    elif "malformed" in text or "corrupt" in text:
        problem = f"the database is damaged ({exc})"
        advice = CHECK_RESTORE
    elif "readonly" in text or "read-only" in text:
        problem = "the file or its folder is read-only"
        advice = "let the bot's user write both (chown/chmod), then start again"
    elif "unable to open" in text:
        problem = "cannot open the file"
        advice = "check that its folder exists and the bot's user may read and write it"
    elif "locked" in text or "busy" in text:
        problem = "another process holds its write lock"
        advice = "wait for it (an import, a backup) to finish or stop it, then try again"
    elif "disk is full" in text:
        problem = "the disk is full"
        advice = "free disk space (old backups, logs), then start again"
    elif "disk i/o error" in text:
        problem = "a disk I/O error"
        advice = "check the disk, then " + CHECK_RESTORE
    else:
        problem = str(exc) or type(exc).__name__
        advice = "run `motcua check`"
    return StoreError(path, problem, advice, cause=exc)
