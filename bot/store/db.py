"""Open the SQLite file, apply versioned migrations, and hand out transactions.

One connection serves the whole bot: aiosqlite runs it on its own thread, so
writes are serialised and a transaction is the unit of change (an outbox row
and the change that caused it commit together).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

_MIGRATION_RE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """The bundled migrations as (version, name, sql), in order."""
    found = []
    for entry in resources.files("bot.store.migrations").iterdir():
        m = _MIGRATION_RE.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Database:
    """A thin owner of the connection; services run their SQL through it."""

    def __init__(self, conn: aiosqlite.Connection, path: Path | str):
        self.conn = conn
        self.path = path
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
        async with self._lock:
            try:
                await self.conn.execute("BEGIN IMMEDIATE")
            except BaseException:
                # Cancelled while waiting: the BEGIN may still run on the connection's
                # thread, which serves calls in order, so a rollback queued now undoes it.
                await asyncio.shield(self._rollback())
                raise
            try:
                yield self.conn
            except BaseException:
                await asyncio.shield(self._rollback())
                raise
            try:
                await self.conn.commit()
            except BaseException:
                await asyncio.shield(self._rollback())  # cancelled or failed: never left open
                raise

    async def _rollback(self) -> None:
        """Roll back whatever is open (a no-op when nothing is)."""
        await self.conn.rollback()

    async def fetchone(self, sql: str, params: tuple | dict = ()) -> aiosqlite.Row | None:
        async with self.conn.execute(sql, params) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: tuple | dict = ()) -> list[aiosqlite.Row]:
        async with self.conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def execute(self, sql: str, params: tuple | dict = ()) -> None:
        """Run one statement in its own transaction."""
        async with self.transaction() as conn:
            await conn.execute(sql, params)

    async def schema_version(self) -> int:
        row = await self.fetchone("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        return int(row[0]) if row else 0

    async def close(self) -> None:
        await self.conn.close()


async def open_database(path: Path | str) -> Database:
    """Open (creating if needed) the SQLite file and bring its schema up to date."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = aiosqlite.Row
    await conn.execute("PRAGMA journal_mode=WAL")
    await conn.execute("PRAGMA foreign_keys=ON")
    await conn.execute("PRAGMA synchronous=NORMAL")
    await conn.execute("PRAGMA busy_timeout=5000")
    db = Database(conn, path)
    await _migrate(db)
    return db


async def _migrate(db: Database) -> None:
    await db.conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))"
    )
    current = await db.schema_version()
    for version, name, sql in migrations():
        if version <= current:
            continue
        async with db.transaction() as conn:
            for statement in _statements(sql):
                await conn.execute(statement)
            await conn.execute(
                "INSERT INTO schema_migrations(version, name) VALUES (?, ?)", (version, name)
            )


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (no triggers with inner ';' are used)."""
    lines = [ln for ln in sql.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
