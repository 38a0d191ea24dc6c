"""The one-line StoreError for a PostgreSQL server that cannot do the store's job.

The same shape as SQLite's (bot/store/errors.py): where (the URL, password hidden),
what is wrong, what to do; a constraint or a conflict stays the caller's to handle.
"""

from __future__ import annotations

import asyncpg

from bot.store.errors import StoreError

# SQLSTATEs that no retry of the same statement will cure.
_FATAL = {
    "53100": ("the server's disk is full", "free disk space on the database server"),
    "25006": ("the server is read-only", "point MOTCUA_DATABASE_URL at the primary"),
    "53300": (
        "the server refuses more connections",
        "lower MOTCUA_DB_POOL_SIZE or raise the server's max_connections",
    ),
    "3D000": ("no such database", "create it (createdb --locale=C.UTF-8 --template=template0)"),
    "28P01": ("the password was refused", "check the user and password in MOTCUA_DATABASE_URL"),
    "28000": ("the server refused this user", "check pg_hba.conf and MOTCUA_DATABASE_URL"),
}
_GONE = (OSError, TimeoutError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError)


def is_pg_fatal(exc: BaseException) -> bool:
    """The server is unreachable, full, read-only or refuses us: the store cannot work."""
    return isinstance(exc, _GONE) or getattr(exc, "sqlstate", None) in _FATAL


def pg_store_error(shown: str, exc: BaseException) -> StoreError:
    """The StoreError for an error met on the server at `shown` (a masked URL)."""
    code = getattr(exc, "sqlstate", None)
    if code in _FATAL:
        problem, advice = _FATAL[code]
    elif isinstance(exc, _GONE):
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        problem = f"cannot reach the server ({reason})"
        advice = "check MOTCUA_DATABASE_URL and that PostgreSQL is running and reachable"
    else:
        problem = str(exc) or type(exc).__name__
        advice = "check MOTCUA_DATABASE_URL and the server's log"
    return StoreError(shown, problem, advice, cause=exc)
