"""The SQLite store: one aiosqlite connection, WAL, foreign keys, migrations."""

from bot.store.db import Database, open_database
from bot.store.errors import StoreError, store_error

__all__ = ["Database", "StoreError", "open_database", "store_error"]
