"""The store: WAL and foreign keys on, migrations idempotent, transactions atomic."""

import pytest

from bot.store import open_database
from bot.store.db import migrations


async def test_migrations_apply_once_and_rerun_safely(tmp_path):
    path = tmp_path / "s.sqlite3"
    db = await open_database(path)
    latest = max(v for v, _n, _s in migrations())
    assert await db.schema_version() == latest
    assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
    await db.execute("INSERT INTO users(channel, user_id, locale) VALUES ('t', '1', 'en')")
    await db.close()
    db = await open_database(path)  # rerun: nothing applied twice, data kept
    assert await db.schema_version() == latest
    rows = await db.fetchall("SELECT COUNT(*) FROM schema_migrations")
    assert rows[0][0] == len(migrations())
    assert (await db.fetchone("SELECT locale FROM users"))[0] == "en"
    await db.close()


async def test_failed_transaction_leaves_nothing(tmp_path):
    db = await open_database(tmp_path / "s.sqlite3")
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO users(channel, user_id) VALUES ('t', '2')")
            raise RuntimeError("boom")
    assert (await db.fetchone("SELECT COUNT(*) FROM users"))[0] == 0
    await db.close()
