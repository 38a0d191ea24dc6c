"""The SQLite store: one aiosqlite connection, WAL, foreign keys, migrations."""

from bot.store.db import Database, open_database

__all__ = ["Database", "open_database"]
