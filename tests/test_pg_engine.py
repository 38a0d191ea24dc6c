"""One setting chooses the engine (issue 16, point 1): the same helpers, migrations and
start-up refusals on PostgreSQL as on SQLite, against a real server (marked `pg`)."""

from __future__ import annotations

import asyncio
import subprocess

import asyncpg
import pytest
from pgcluster import psql
from test_complaint_routes import motcua

from bot.settings import SettingsError, load_settings
from bot.store import StoreError, open_database, sql
from bot.store.db import migrations
from bot.store.postgres import masked, placeholders, rowcount


def test_placeholders_become_numbered_outside_literals_and_comments():
    assert placeholders("SELECT a FROM t WHERE b = ? AND c > ?") == (
        "SELECT a FROM t WHERE b = $1 AND c > $2"
    )
    assert placeholders("UPDATE t SET a = ?2 WHERE b = ?1") == "UPDATE t SET a = $2 WHERE b = $1"
    assert placeholders("SELECT '?', \"q?\" -- what?\n, ?") == "SELECT '?', \"q?\" -- what?\n, $1"
    assert placeholders("SELECT 'it''s ?' , ?") == "SELECT 'it''s ?' , $1"


def test_rowcount_from_the_status_string():
    assert rowcount("UPDATE 3") == 3 and rowcount("DELETE 0") == 0
    assert rowcount("INSERT 0 2") == 2 and rowcount("CREATE TABLE") == -1 and rowcount(None) == -1


def test_the_setting_chooses_the_engine(tmp_path):
    def load(**env):
        return load_settings(environ={"MOTCUA_DB": str(tmp_path / "a.sqlite3"), **env}, dotenv=None)

    assert load().db_path == tmp_path / "a.sqlite3" and not load().database_url
    assert str(load(MOTCUA_DATABASE_URL="sqlite:///var/b.sqlite3").db_path) == "var/b.sqlite3"
    assert str(load(MOTCUA_DATABASE_URL="sqlite:////srv/c.sqlite3").db_path) == "/srv/c.sqlite3"
    pg = load(MOTCUA_DATABASE_URL="postgresql://u:pw@h/m", MOTCUA_DB_POOL_SIZE="4")
    assert pg.database_url == "postgresql://u:pw@h/m" and pg.db_pool_size == 4
    assert "pw" not in repr(pg.database_url)
    with pytest.raises(SettingsError, match="neither sqlite") as bad:
        load(MOTCUA_DATABASE_URL="mysql://u:secret@h/m")
    assert "secret" not in str(bad.value)
    assert masked("postgresql://u:secret@h:5/m") == "postgresql://u:***@h:5/m"


# The same helper calls on both engines: the store modules' whole vocabulary.
@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
async def db(request, tmp_path):
    target = tmp_path / "s.sqlite3"
    if request.param == "postgresql":
        target = request.getfixturevalue("pg_url")
    db = await open_database(target)
    yield db
    await db.close()


async def test_helpers_read_by_name_count_rows_and_return_ids(db):
    async with db.transaction() as conn:
        first = await sql.new_id(
            conn, "INSERT INTO outbox(channel, chat_id, text) VALUES (?, ?, ?) RETURNING id",
            ("telegram", "1", "hỏi ?"),
        )  # fmt: skip
        second = await sql.new_id(
            conn, "INSERT INTO outbox(channel, chat_id, text) VALUES (?, ?, ?) RETURNING id",
            ("zalo", "2", "hỏi 2"),
        )  # fmt: skip
    assert second == first + 1
    row = await sql.one(db, "SELECT id, text FROM outbox WHERE id = ?", (first,))
    assert row["text"] == "hỏi ?" and row["id"] == first and dict(row)["id"] == first
    assert len(await sql.rows(db, "SELECT * FROM outbox ORDER BY id")) == 2
    assert await sql.value(db, "SELECT COUNT(*) FROM outbox WHERE channel = ?", ("zalo",)) == 1
    assert await sql.run(db, "UPDATE outbox SET text = ? WHERE id >= ?", ("x", first)) == 2
    assert await sql.run(db, "DELETE FROM outbox WHERE id = ?", (first + 99,)) == 0
    assert await sql.one(db, "SELECT id FROM outbox WHERE id = ?", (first + 99,)) is None


async def test_a_failed_transaction_leaves_nothing_and_a_savepoint_only_its_part(db):
    insert = "INSERT INTO outbox(channel, chat_id, text) VALUES (?, ?, ?)"
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute(insert, ("telegram", "1", "gone"))
            raise RuntimeError("undo")
    async with db.transaction() as conn:
        await conn.execute(insert, ("telegram", "1", "kept"))
        with pytest.raises(RuntimeError):
            async with db.savepoint(conn):
                await conn.execute(insert, ("telegram", "1", "undone"))
                raise RuntimeError("undo part")
    texts = [r["text"] for r in await sql.rows(db, "SELECT text FROM outbox")]
    assert texts == ["kept"]
    assert await db.schema_version() == max(v for v, _n, _s in migrations())


@pytest.mark.pg
async def test_workers_starting_together_migrate_once(pg_empty_url):
    opened = await asyncio.gather(*(open_database(pg_empty_url, pool_size=2) for _ in range(4)))
    try:
        versions = await sql.rows(opened[0], "SELECT version FROM schema_migrations")
        names = [n for _v, n, _s in migrations("bot.store.migrations_pg")]
        assert len(versions) == len(names)  # each once (the primary key would refuse twice)
    finally:
        for db in opened:
            await db.close()


@pytest.mark.pg
async def test_a_database_without_the_c_collation_is_refused(pg_server):
    name = "not_c"
    try:
        psql(
            pg_server,
            f"CREATE DATABASE {name} TEMPLATE template0 LOCALE 'C.UTF-8'"
            " LOCALE_PROVIDER icu ICU_LOCALE 'en-US'",
        )
    except subprocess.CalledProcessError:
        pytest.skip("this PostgreSQL has no ICU to make a non-C database with")
    try:
        with pytest.raises(StoreError, match="collation is ICU, not C"):
            await open_database(pg_server.rsplit("/", 1)[0] + f"/{name}")
    finally:
        psql(pg_server, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.mark.pg
async def test_a_schema_newer_than_the_code_is_refused(pg_url):
    conn = await asyncpg.connect(pg_url)
    await conn.execute("INSERT INTO schema_migrations(version, name) VALUES (9999, '9999_x.sql')")
    await conn.close()
    with pytest.raises(StoreError, match="newer than this program's"):
        await open_database(pg_url)


async def test_an_unreachable_server_is_refused_in_one_line():
    with pytest.raises(StoreError) as refused:
        await open_database("postgresql://motcua:secret@127.0.0.1:1/motcua")
    text = str(refused.value)
    assert "cannot reach the server" in text and "secret" not in text and "\n" not in text


def test_the_command_stops_with_one_line_and_exit_1(tmp_path):
    url = "postgresql://m:secret@127.0.0.1:1/m"
    done = motcua(tmp_path, "officials", "list", MOTCUA_DATABASE_URL=url)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 1 and len(lines) == 1, done.stderr
    assert lines[0].startswith("motcua: store postgresql://m:***@127.0.0.1:1/m: cannot reach")


@pytest.mark.pg
def test_check_looks_at_the_server_and_backup_points_at_pg_dump(tmp_path, pg_url):
    checked = motcua(tmp_path, "check", MOTCUA_DATABASE_URL=pg_url)
    assert checked.returncode == 0, checked.stderr
    assert "schema" in checked.stdout.lower()
    backup = motcua(tmp_path, "backup", str(tmp_path / "copy"), MOTCUA_DATABASE_URL=pg_url)
    lines = [line for line in backup.stderr.splitlines() if line.strip()]
    assert backup.returncode == 1 and len(lines) == 1 and "pg_dump" in lines[0]
