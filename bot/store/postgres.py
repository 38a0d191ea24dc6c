"""PostgreSQL through asyncpg, behind the same Database API as SQLite (issue 16, point 1).

Store modules keep one SQL text for both engines: `?` (and `?N`) placeholders become
`$n` here, once per text; rows read by column name on both (asyncpg's Record reads
like aiosqlite's Row); `rowcount` comes from asyncpg's status string ("UPDATE 3").
The connection a transaction yields offers the few aiosqlite calls the store modules
use (`execute`, `executemany`, `execute_fetchall`), so a store module never knows
which engine it has.

Until the read-then-write blocks carry row or advisory locks (issue 16, point 2),
transactions of one process run one at a time, as on SQLite; reads use the pool.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any

import asyncpg

from bot.store.db import Database, migration_gap, migrations, statements
from bot.store.errors import StoreError
from bot.store.pg_errors import is_pg_fatal, pg_store_error

log = logging.getLogger(__name__)

# Held while migrating, so workers that start together migrate once (pg_advisory_lock).
MIGRATION_LOCK = 0x6D6F7463756101  # "motcua" + 1
# Times are ISO text compared as strings: equal to SQLite's order only under C.
C_COLLATIONS = {"C", "POSIX", "C.UTF-8", "C.utf8"}

_TOKEN = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|--[^\n]*|\?(\d*)")
_ROWS = re.compile(r"^\s*(SELECT|WITH|VALUES|SHOW)\b|\bRETURNING\b", re.IGNORECASE)


@lru_cache(maxsize=2048)
def placeholders(sql: str) -> str:
    """`?` → `$1, $2…` and `?N` → `$N`, leaving string literals and comments alone."""
    count = 0

    def swap(m: re.Match) -> str:
        nonlocal count
        if not m.group(0).startswith("?"):
            return m.group(0)
        if m.group(1):
            return f"${m.group(1)}"
        count += 1
        return f"${count}"

    return _TOKEN.sub(swap, sql)


def rowcount(status: str | None) -> int:
    """Rows touched, from asyncpg's status ("INSERT 0 3", "UPDATE 3", "DELETE 0"); -1 if none."""
    last = (status or "").rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else -1


def masked(url: str) -> str:
    """The URL with its password hidden, fit for a log line or an error."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class Result:
    """What `execute` gives back: rows (when the statement returns any) and `rowcount`."""

    def __init__(self, records: list, count: int):
        self._rows = records
        self._next = 0
        self.rowcount = count

    async def fetchone(self):
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    async def fetchall(self) -> list:
        rest, self._next = self._rows[self._next :], len(self._rows)
        return rest

    async def close(self) -> None:
        return None


class _Pending:
    """Awaitable and `async with`-able, like aiosqlite's `conn.execute(...)`."""

    def __init__(self, coro):
        self._coro = coro

    def __await__(self):
        return self._coro.__await__()

    async def __aenter__(self) -> Result:
        return await self._coro

    async def __aexit__(self, *exc) -> bool:
        return False


class PgConn:
    """One pooled connection inside a transaction, spoken to like aiosqlite's."""

    dialect = "postgresql"

    def __init__(self, raw: asyncpg.Connection):
        self.raw = raw

    def execute(self, sql: str, params: Iterable = ()) -> _Pending:
        return _Pending(self._run(sql, tuple(_positional(params))))

    async def _run(self, sql: str, args: tuple) -> Result:
        text = placeholders(sql)
        if _ROWS.search(sql):
            records = await self.raw.fetch(text, *args)
            return Result(records, len(records))
        return Result([], rowcount(await self.raw.execute(text, *args)))

    async def executemany(self, sql: str, seq: Iterable) -> Result:
        await self.raw.executemany(placeholders(sql), [tuple(_positional(p)) for p in seq])
        return Result([], -1)

    async def execute_fetchall(self, sql: str, params: Iterable = ()) -> list:
        return await (await self._run(sql, tuple(_positional(params)))).fetchall()


def _positional(params: Any) -> Iterable:
    if isinstance(params, dict):
        raise TypeError("named parameters are SQLite-only; the store passes `?` and a tuple")
    return params


class PgDatabase(Database):
    """A pool of asyncpg connections behind the Database API the store modules use."""

    dialect = "postgresql"

    def __init__(self, pool: asyncpg.Pool, shown: str):
        super().__init__(None, shown)  # no single connection: `conn` is None here
        self.pool = pool

    def failed(self, exc: BaseException) -> BaseException:
        """A StoreError when the server is unreachable, full or read-only; else `exc`.

        Not kept in `problem` (SQLite's lasting damage): a server comes back by itself,
        and /healthz asks it again each time (`check`).
        """
        if not is_pg_fatal(exc):
            return exc
        error = pg_store_error(self.path, exc)
        if not self.opening:
            log.error("store failed: %s", error)
        return error

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgConn]:
        """BEGIN … COMMIT on one pooled connection (READ COMMITTED), rolled back on error."""
        async with self._lock:
            try:
                raw = await self.pool.acquire()
            except BaseException as exc:
                self._raise(exc)
            try:
                async with raw.transaction():
                    yield PgConn(raw)
            except BaseException as exc:
                self._raise(exc)
            finally:
                await asyncio.shield(self.pool.release(raw))

    async def _query(self, sql: str, params) -> list:
        try:
            async with self.pool.acquire() as raw:
                return await PgConn(raw).execute_fetchall(sql, params)
        except BaseException as exc:
            self._raise(exc)

    async def fetchone(self, sql: str, params: tuple | dict = ()):
        found = await self._query(sql, params)
        return found[0] if found else None

    async def fetchall(self, sql: str, params: tuple | dict = ()) -> list:
        return await self._query(sql, params)

    async def check(self, quick: bool = True) -> list[str]:
        """Reachable and answering: [] (page checks are the server's: amcheck, the DBA's)."""
        try:
            await self.fetchone("SELECT 1")
        except StoreError as exc:
            return [str(exc.cause or exc.problem)]
        return []

    async def close(self) -> None:
        await self.pool.close()


async def open_postgres(
    url: str, *, pool_size: int = 10, migrate: bool = True, write: bool = True
) -> PgDatabase:
    """Connect a pool, check collation and schema version, migrate (once across workers).

    Raises StoreError (one line: server, problem, what to do) and leaves no pool open.
    """
    shown = masked(url)
    try:
        pool = await asyncpg.create_pool(url, min_size=1, max_size=pool_size, timeout=10)
    except Exception as exc:
        raise pg_store_error(shown, exc) from exc
    db = PgDatabase(pool, shown)
    db.opening = True  # the StoreError raised says it all: no log line
    try:
        row = await db.fetchone(
            "SELECT datcollate, to_jsonb(d) ->> 'datlocprovider' AS provider"
            " FROM pg_database d WHERE datname = current_database()"
        )
        collation = "ICU" if row["provider"] == "i" else row["datcollate"]
        if collation not in C_COLLATIONS:
            raise StoreError(
                shown,
                f"its collation is {collation}, not C (times compare as text)",
                "create the database with LC_COLLATE 'C' (createdb --locale=C.UTF-8"
                " --template=template0), then start again",
            )
        if migrate:
            await _migrate(db)
        else:
            await _check_version(db)
        if write and (await db.fetchone("SHOW transaction_read_only"))[0] == "on":
            raise StoreError(
                shown,
                "the server is read-only (a standby)",
                "point MOTCUA_DATABASE_URL at the primary (target_session_attrs=read-write)",
            )
    except BaseException:
        await pool.close()
        raise
    db.opening = False
    return db


async def _applied(raw: asyncpg.Connection) -> set[int]:
    if await raw.fetchval("SELECT to_regclass('schema_migrations')") is None:
        return set()
    return {r[0] for r in await raw.fetch("SELECT version FROM schema_migrations")}


async def _check_version(db: PgDatabase) -> None:
    async with db.pool.acquire() as raw:
        applied = await _applied(raw)
    bundled = [v for v, _n, _s in migrations("bot.store.migrations_pg")]
    if refusal := migration_gap(applied, bundled):
        raise StoreError(db.path, *refusal)


async def _migrate(db: PgDatabase) -> None:
    """Apply the PostgreSQL migrations under a session advisory lock, one transaction each."""
    bundled = migrations("bot.store.migrations_pg")
    try:
        async with db.pool.acquire() as raw:
            await raw.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
            try:
                await raw.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version BIGINT PRIMARY KEY, name TEXT NOT NULL,"
                    " applied_at TEXT NOT NULL DEFAULT"
                    " (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')))"
                )
                applied = await _applied(raw)
                if refusal := migration_gap(applied, [v for v, _n, _s in bundled]):
                    raise StoreError(db.path, *refusal)
                current = max(applied, default=0)
                for version, name, sql in bundled:
                    if version <= current:
                        continue
                    async with raw.transaction():
                        for statement in statements(sql):
                            await raw.execute(statement)
                        await raw.execute(
                            "INSERT INTO schema_migrations(version, name) VALUES ($1, $2)",
                            version,
                            name,
                        )
            finally:
                await raw.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
    except StoreError:
        raise
    except Exception as exc:
        db._raise(exc)
