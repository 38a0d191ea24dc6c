"""Shared fixtures: real settings, a real SQLite file under tmp_path, the core opened on it,
and the fake Bot API server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import load_settings

SHARED = Path(__file__).resolve().parents[2] / "shared"
NATIONAL = SHARED / "data" / "procedures" / "national-2026.jsonl.gz"
TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuv"


def working_day(calendar, days: int = 10) -> str:
    """DD/MM/YYYY of the first working day `days` or more from today (/xinloi refuses
    days off, issue 18)."""
    from datetime import UTC, datetime, timedelta

    day = datetime.now(UTC).date() + timedelta(days=days)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return f"{day:%d/%m/%Y}"


def make_settings(tmp_path: Path, **env: str):
    base = {"MOTCUA_DB": str(tmp_path / "motcua.sqlite3")}
    base.update(env)
    return load_settings(environ=base, dotenv=None)


# Every test on the `settings` (and so `core`) fixture runs on PostgreSQL too under
# `make test-pg`, but these: SQLite's own file and backup API, by design.
SQLITE_ONLY = {"test_backup"}


def pytest_generate_tests(metafunc):
    """Parametrise `engine` over both engines (the PostgreSQL case marked `pg`)."""
    if "engine" in metafunc.fixturenames and metafunc.module.__name__ not in SQLITE_ONLY:
        both = ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)]
        metafunc.parametrize("engine", both, indirect=True)


@pytest.fixture
def engine(request):
    return getattr(request, "param", "sqlite")


@pytest.fixture
def store_target(tmp_path, engine, request):
    """What a store test opens: a SQLite file, or a fresh migrated PostgreSQL database."""
    if engine == "postgresql":
        return request.getfixturevalue("pg_url")
    return tmp_path / "store.sqlite3"


@pytest.fixture
def settings(tmp_path, engine, request):
    if engine == "postgresql":
        return make_settings(tmp_path, MOTCUA_DATABASE_URL=request.getfixturevalue("pg_url"))
    return make_settings(tmp_path)


@pytest.fixture
async def core(settings):
    from bot.core import open_core

    core = await open_core(settings)
    yield core
    await core.close()


@pytest.fixture
async def api():
    """The fake Bot API, one per test (a file that needs chats set up overrides it)."""
    from fakebotapi import FakeBotApi

    async with FakeBotApi() as server:
        yield server


# PostgreSQL (issue 16): `make test-pg` runs the tests marked `pg` on a throwaway cluster.


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server URL (…/postgres) for the session, or a skip that says why."""
    import os

    from pgcluster import Cluster, binaries

    if url := os.environ.get("MOTCUA_TEST_DATABASE_URL"):
        yield url
        return
    bin_dir = binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql; see make test-pg)")
    cluster = Cluster(bin_dir)
    try:
        yield cluster.url()
    finally:
        cluster.stop()


def _db_url(server: str, name: str) -> str:
    return server.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def pg_template(pg_server):
    """A database migrated once per session; each test copies it (CREATE … TEMPLATE)."""
    import asyncio

    from pgcluster import psql

    from bot.store import open_database

    psql(pg_server, "DROP DATABASE IF EXISTS motcua_tmpl")
    psql(pg_server, "CREATE DATABASE motcua_tmpl TEMPLATE template0 LOCALE 'C.UTF-8'")

    async def migrate():
        await (await open_database(_db_url(pg_server, "motcua_tmpl"))).close()

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:  # its own loop: the test's may be running already
        pool.submit(asyncio.run, migrate()).result()
    return "motcua_tmpl"


_pg_count = iter(range(1, 1_000_000))


@pytest.fixture
def pg_url(pg_server, pg_template):
    """A fresh, migrated database of its own for one test, dropped after."""
    import os

    from pgcluster import psql

    name = f"t_{os.getpid()}_{next(_pg_count)}"
    psql(pg_server, f"CREATE DATABASE {name} TEMPLATE {pg_template}")
    yield _db_url(pg_server, name)
    psql(pg_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_empty_url(pg_server):
    """An empty database (C collation), nothing migrated, dropped after."""
    import os

    from pgcluster import psql

    name = f"e_{os.getpid()}_{next(_pg_count)}"
    psql(pg_server, f"CREATE DATABASE {name} TEMPLATE template0 LOCALE 'C.UTF-8'")
    yield _db_url(pg_server, name)
    psql(pg_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
