"""The few ways a store module runs SQL, on the Database or inside a transaction.

Feature code never sees the driver: it asks a store module (bot/store/<feature>.py),
which runs its SQL through these helpers and hands back rows read by column name
(`row["number"]`), never by position. Reads given the Database go through its
error mapping (a damaged file becomes a StoreError); given the connection of an
open transaction, they run inside it.
"""

from __future__ import annotations

from typing import Any

import aiosqlite

from bot.store.db import Database

# The connection `Database.transaction()` yields: aiosqlite's, or on PostgreSQL a PgConn
# (bot/store/postgres.py) that answers the same calls with `?` turned into `$n`.
Conn = aiosqlite.Connection
Row = aiosqlite.Row  # columns by name: row["id"]; asyncpg's Record reads the same way
Source = Database | Conn


def dialect(src: Source) -> str:
    """ "sqlite" or "postgresql": for the few statements with a named per-dialect text."""
    return getattr(src, "dialect", "sqlite")  # aiosqlite's connection has no such name


async def one(src: Source, sql: str, params: tuple | dict = ()) -> Row | None:
    """The first row, or None."""
    if isinstance(src, Database):
        return await src.fetchone(sql, params)
    async with src.execute(sql, params) as cur:
        return await cur.fetchone()


async def rows(src: Source, sql: str, params: tuple | dict = ()) -> list[Row]:
    if isinstance(src, Database):
        return await src.fetchall(sql, params)
    async with src.execute(sql, params) as cur:
        return list(await cur.fetchall())


async def value(src: Source, sql: str, params: tuple | dict = ()) -> Any:
    """The first column of the first row (None when there is no row)."""
    row = await one(src, sql, params)
    return None if row is None else row[0]


async def run(src: Source, sql: str, params: tuple | dict = ()) -> int:
    """Run one change; the number of rows it touched. On the Database: its own transaction."""
    if isinstance(src, Database):
        async with src.transaction() as conn:
            return await run(conn, sql, params)
    cur = await src.execute(sql, params)
    return cur.rowcount


async def new_id(conn: Conn, sql: str, params: tuple | dict = ()) -> int:
    """An INSERT ending in `RETURNING id`: the id the database gave the new row."""
    async with conn.execute(sql, params) as cur:
        row = await cur.fetchone()
    return int(row[0])
