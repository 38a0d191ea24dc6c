"""Open the SQLite file, apply versioned migrations, and hand out transactions.

One connection serves the whole bot: aiosqlite runs it on its own thread, so
writes are serialised and a transaction is the unit of change (an outbox row
and the change that caused it commit together).

A store that cannot be opened, read or written raises StoreError (the file, the
problem, what to do) and never leaves aiosqlite's thread running, so a process
that cannot do its job exits at once instead of hanging. Damage met while running
is logged once with its cause and kept in `Database.problem` for the health check.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.store.errors import StoreError, is_damage, is_fatal, store_error

log = logging.getLogger(__name__)

_MIGRATION_RE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations(package: str = "bot.store.migrations") -> list[tuple[int, str, str]]:
    """The bundled migrations as (version, name, sql), in order (PostgreSQL's: migrations_pg)."""
    found = []
    for entry in resources.files(package).iterdir():
        m = _MIGRATION_RE.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Database:
    """A thin owner of the connection; services run their SQL through it."""

    dialect = "sqlite"  # PgDatabase (bot/store/postgres.py): "postgresql"

    def __init__(self, conn: aiosqlite.Connection, path: Path | str):
        self.conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        # Damage found while running ("database disk image is malformed"), for /healthz.
        self.problem: str | None = None
        self.opening = False  # while opening, the StoreError raised says it all: no log line

    def failed(self, exc: BaseException) -> BaseException:
        """The error to raise for `exc`: a StoreError when the store itself failed.

        Damage is logged once with its cause and kept in `problem`; a read-only
        file, a full disk or an I/O error become StoreError too. Anything else
        (a constraint, a busy lock) is the caller's to handle and is returned as is.
        """
        if not isinstance(exc, sqlite3.Error) or not is_fatal(exc):
            return exc
        error = store_error(self.path, exc)
        if is_damage(exc) and self.problem is None:
            self.problem = error.problem
            if not self.opening:
                log.error("store damaged: %s", error)
        return error

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
        async with self._lock:
            try:
                await self.conn.execute("BEGIN IMMEDIATE")
            except BaseException as exc:
                # Cancelled while waiting: the BEGIN may still run on the connection's
                # thread, which serves calls in order, so a rollback queued now undoes it.
                await asyncio.shield(self._rollback())
                self._raise(exc)
            try:
                yield self.conn
            except BaseException as exc:
                await asyncio.shield(self._rollback())
                self._raise(exc)
            try:
                await self.conn.commit()
            except BaseException as exc:
                await asyncio.shield(self._rollback())  # cancelled or failed: never left open
                self._raise(exc)

    def _raise(self, exc: BaseException) -> None:
        """Re-raise `exc`, as a StoreError when the store itself failed."""
        error = self.failed(exc)
        if error is exc:
            raise exc
        raise error from exc

    async def _rollback(self) -> None:
        """Roll back whatever is open (a no-op when nothing is)."""
        try:
            await self.conn.rollback()
        except sqlite3.Error as exc:  # the store is failing: the original error says why
            log.debug("rollback failed: %s", exc)

    @asynccontextmanager
    async def savepoint(self, conn: aiosqlite.Connection) -> AsyncIterator[None]:
        """Inside a transaction: undo only this part when it fails."""
        await conn.execute("SAVEPOINT part")
        try:
            yield
        except BaseException:
            await conn.execute("ROLLBACK TO part")
            await conn.execute("RELEASE part")
            raise
        else:
            await conn.execute("RELEASE part")

    async def fetchone(self, sql: str, params: tuple | dict = ()) -> aiosqlite.Row | None:
        try:
            async with self.conn.execute(sql, params) as cur:
                return await cur.fetchone()
        except sqlite3.Error as exc:
            error = self.failed(exc)
            if error is exc:
                raise
            raise error from exc

    async def fetchall(self, sql: str, params: tuple | dict = ()) -> list[aiosqlite.Row]:
        try:
            async with self.conn.execute(sql, params) as cur:
                return list(await cur.fetchall())
        except sqlite3.Error as exc:
            error = self.failed(exc)
            if error is exc:
                raise
            raise error from exc

    async def execute(self, sql: str, params: tuple | dict = ()) -> None:
        """Run one statement in its own transaction."""
        async with self.transaction() as conn:
            await conn.execute(sql, params)

    async def schema_version(self) -> int:
        row = await self.fetchone("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        return int(row[0]) if row else 0

    async def check(self, quick: bool = True) -> list[str]:
        """SQLite's own check: [] when healthy, else what it found (at most 20 lines).

        quick_check reads every page but skips matching indexes to their tables;
        integrity_check does both (slower, for `motcua check`).
        """
        pragma = "quick_check(20)" if quick else "integrity_check(20)"
        try:
            rows = await self.fetchall(f"PRAGMA {pragma}")
        except StoreError as exc:
            return [str(exc.cause or exc.problem)]
        found = [str(row[0]) for row in rows]
        if found == ["ok"]:
            return []
        # One line each ("*** in database main ***\nOn tree page 17 …" is one row).
        problems = [" ".join(p.replace("*** in database main ***", "").split()) for p in found]
        problems = [p for p in problems if p]
        if problems and self.problem is None:
            self.problem = f"integrity check: {problems[0]}"
        return problems

    async def close(self) -> None:
        await _close(self.conn)


async def _close(conn: aiosqlite.Connection) -> None:
    """Close the connection; if closing fails, still stop its thread (it is not a daemon)."""
    try:
        await conn.close()
    except Exception as exc:
        log.debug("closing the store failed: %s", exc)
        conn.stop()


async def open_sqlite(
    path: Path | str,
    *,
    check: bool = False,
    migrate: bool = True,
    write: bool = True,
) -> Database:
    """Open (creating if needed) the SQLite file and bring its schema up to date
    (bot/store/engine.py chooses between this and PostgreSQL).

    Raises StoreError when the file cannot be opened, read or written (`check`:
    or when SQLite's quick check finds damage); the connection is closed then.
    `migrate=False` leaves the schema as it is (`motcua check` looks, never changes);
    `write=False` skips the write-lock probe (a backup only reads).
    """
    conn: aiosqlite.Connection | None = None
    if refusal := sqlite_too_old(sqlite3.sqlite_version_info):
        raise StoreError(path, *refusal)
    try:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA busy_timeout=5000")
        if migrate:  # the bot's store is WAL (kept in the file); a look leaves it as it is
            await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA synchronous=NORMAL")
        db = Database(conn, path)
        db.opening = True
        await conn.execute("SELECT COUNT(*) FROM sqlite_schema")  # reads the header and schema
        if migrate:
            await _migrate(db)
        if write:
            await _can_write(db)
        if check and (problems := await db.check(quick=True)):
            raise StoreError(
                path,
                f"the database is damaged ({problems[0]})",
                "run `motcua check`, then restore the latest backup (see README: Backups)",
            )
    except StoreError:
        if conn is not None:
            await _close(conn)
        raise
    except (sqlite3.Error, OSError) as exc:
        if conn is not None:
            await _close(conn)
        raise store_error(path, exc) from exc
    except BaseException:
        if conn is not None:
            await _close(conn)
        raise
    db.opening = False
    return db


@asynccontextmanager
async def bulk_settings(db: Database, cache_kib: int, checkpoint_pages: int) -> AsyncIterator[None]:
    """A page cache of `cache_kib` and a WAL checkpoint every `checkpoint_pages` while a
    bulk load runs, the connection's own values restored after (SQLite's PRAGMAs).
    PostgreSQL: nothing to set (its server's settings are the DBA's)."""
    if db.dialect != "sqlite":
        yield
        return
    cache = (await db.fetchone("PRAGMA cache_size"))[0]
    checkpoint = (await db.fetchone("PRAGMA wal_autocheckpoint"))[0]
    await db.conn.execute(f"PRAGMA cache_size = {-int(cache_kib)}")
    await db.conn.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint_pages)}")
    try:
        yield
    finally:
        await db.conn.execute(f"PRAGMA cache_size = {int(cache)}")
        await db.conn.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint)}")


async def _can_write(db: Database) -> None:
    """Take the write lock and let it go: a read-only file fails here, at start.

    A read-only file opens and reads fine and would fail only at the first
    write, in front of a citizen.
    """
    async with db.transaction():
        pass


async def _migrate(db: Database) -> None:
    await db.conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))"
    )
    applied = {int(r[0]) for r in await db.fetchall("SELECT version FROM schema_migrations")}
    bundled = migrations()
    refusal = migration_gap(applied, [v for v, _n, _s in bundled])
    if refusal:
        raise StoreError(db.path, *refusal)
    current = max(applied, default=0)
    for version, name, sql in bundled:
        if version <= current:
            continue
        async with db.transaction() as conn:
            for statement in statements(sql):
                await conn.execute(statement)
            await conn.execute(
                "INSERT INTO schema_migrations(version, name) VALUES (?, ?)", (version, name)
            )


# INSERT … RETURNING (ids from the database, counters taken atomically) came in 3.35.
OLDEST_SQLITE = (3, 35, 0)


def sqlite_too_old(version: tuple[int, ...]) -> tuple[str, str] | None:
    """(problem, advice) when Python's SQLite library lacks what the store uses."""
    if tuple(version) >= OLDEST_SQLITE:
        return None
    have = ".".join(map(str, version))
    need = ".".join(map(str, OLDEST_SQLITE))
    return (
        f"this Python's SQLite library is {have}, older than {need}",
        "run the bot with a Python whose sqlite3 module is newer (Debian 12 and later have it)",
    )


def migration_gap(applied: set[int], bundled: list[int]) -> tuple[str, str] | None:
    """(problem, advice) when the store's applied migrations do not fit this code, else None.

    Migrations apply in order, so every bundled version below the newest applied
    one must be applied too; a hole means the store went through other code (a
    branch, a hand edit) and applying the missing file now could run it on a schema
    it was never written for. A store newer than the code is refused likewise.
    """
    newest = max(applied, default=0)
    if newest > max(bundled, default=0):
        return (
            f"its schema (version {newest}) is newer than this program's"
            f" ({max(bundled, default=0)})",
            "run the MotCua version that wrote it, or restore a backup made by this one",
        )
    skipped = sorted(v for v in bundled if v < newest and v not in applied)
    if skipped:
        return (
            f"its applied migrations skip version {', '.join(f'{v:04d}' for v in skipped)}"
            f" (applied up to {newest:04d})",
            "restore a backup made by this MotCua version, or run the version that wrote it",
        )
    return None


def is_postgres_url(target: Path | str) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def statements(sql: str) -> list[str]:
    """Split a migration into statements (no triggers with inner ';' are used)."""
    lines = [ln for ln in sql.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


_statements = statements  # the name the migration tests import
