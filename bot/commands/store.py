"""`motcua check` and `motcua backup`: look at the store, copy it while the bot runs."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.store.errors import StoreError


async def check(settings) -> int:
    """SQLite's integrity check and the figures an operator wants; exit 1 when damaged."""
    from bot.feedback.reach import route_states
    from bot.store import open_database, open_store
    from bot.store.health import examine

    path = Path(settings.db_path)
    if settings.database_url:  # PostgreSQL: reachable, collation C, schema version
        db = await open_store(settings, migrate=False, write=False)
        path = db.path
    elif not path.is_file():
        raise StoreError(
            path, "no such file", "check MOTCUA_DB (the bot creates it on first start)"
        )
    else:
        db = await open_database(path, migrate=False)
    try:
        report = await examine(db, quick=False)
        routes = await route_states(db, settings) if report.healthy else []
    finally:
        await db.close()
    print("\n".join(report.lines()))
    names = {a.code: a.name for a in settings.agencies}
    print("\n".join(s.line(names) for s in routes))
    if report.healthy:
        return 0
    print(
        f"motcua: store {path}: damaged: {report.problems[0]};"
        " stop the bot and restore the latest backup (see README: Backups)",
        file=sys.stderr,
    )
    return 1


async def backup(settings, raw: str) -> int:
    """A consistent copy while the bot runs (it only reads the store)."""
    target = Path(raw)
    if raw.endswith(("/", "\\")) and not target.is_dir():  # meant a folder that is not there
        print(
            f"motcua: backup {raw}: no such folder; create it, or give a file name", file=sys.stderr
        )
        return 1
    from bot.store import open_database
    from bot.store.backup import backup_to

    if settings.database_url:
        print(
            "motcua: backup: the store is PostgreSQL; back it up with pg_dump or the"
            " server's own tools (pgBackRest, base backups)",
            file=sys.stderr,
        )
        return 1
    if not Path(settings.db_path).is_file():
        raise StoreError(settings.db_path, "no such file", "check MOTCUA_DB")
    db = await open_database(settings.db_path, migrate=False, write=False)
    try:
        written = await backup_to(db, target)
    finally:
        await db.close()
    print(
        f"backup {written.path}: {written.size_bytes} bytes in {written.seconds:.1f} s, checked ok"
    )
    return 0
