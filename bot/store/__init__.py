"""The store: the only code that talks to the database.

engine.py chooses the engine: db.py opens the SQLite file (one aiosqlite connection,
WAL, foreign keys) and runs the migrations; postgres.py does the same on PostgreSQL
(asyncpg pool) when MOTCUA_DATABASE_URL says postgresql://. sql.py is how every store
module runs a statement; one module per feature holds that feature's SQL and hands back
rows read by column name: catalog, conversations, counters, dossiers, feedback, outbox,
people, questions, ratings, recent, stats, zalo (plus backup, health, lease).
tests/test_store_contract.py fails when code outside this package imports a driver
or runs SQL itself.
"""

from bot.store.db import Database
from bot.store.engine import open_database
from bot.store.errors import StoreError, store_error

__all__ = ["Database", "StoreError", "open_database", "open_store", "store_error"]


async def open_store(settings, **options) -> Database:
    """The store the settings name: PostgreSQL at MOTCUA_DATABASE_URL, else the SQLite file."""
    target = str(settings.database_url) or settings.db_path
    return await open_database(target, pool_size=settings.db_pool_size, **options)
