"""Which engine a store target names: a `postgresql://` URL is PostgreSQL (postgres.py,
imported only then, so a SQLite deployment never loads asyncpg), anything else the
SQLite file (db.py)."""

from __future__ import annotations

from pathlib import Path

from bot.store.db import Database, is_postgres_url, open_sqlite


async def open_database(
    path: Path | str,
    *,
    check: bool = False,
    migrate: bool = True,
    write: bool = True,
    pool_size: int = 10,
) -> Database:
    """Open the store at `path` and bring its schema up to date.

    On PostgreSQL, a pool of `pool_size` connections, checked at start (reachable,
    collation, schema version); on SQLite, `check` also runs SQLite's quick check.
    Raises StoreError with one line that says why when it cannot be used.
    """
    if is_postgres_url(path):
        from bot.store.postgres import open_postgres  # asyncpg only when asked for

        return await open_postgres(str(path), pool_size=pool_size, migrate=migrate, write=write)
    return await open_sqlite(path, check=check, migrate=migrate, write=write)
