"""The store: the only code that talks to the database.

db.py opens the SQLite file (one aiosqlite connection, WAL, foreign keys) and runs
the migrations; sql.py is how every store module runs a statement; one module per
feature holds that feature's SQL and hands back rows read by column name:
catalog, counters, dossiers, feedback, outbox, people, questions, ratings, recent,
stats, zalo (plus backup, health, lease). tests/test_store_contract.py fails when
code outside this package imports the driver or runs SQL itself.
"""

from bot.store.db import Database, open_database
from bot.store.errors import StoreError, store_error

__all__ = ["Database", "StoreError", "open_database", "store_error"]
