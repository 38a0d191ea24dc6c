"""The migration runner refuses a store whose applied migrations do not fit the code.

A hole below the newest applied version (a store that went through another branch)
or a schema newer than the program stops every command with one line and exit 1,
like any other broken store, and changes nothing in the file.
"""

from __future__ import annotations

import sqlite3

import pytest
from test_complaint_routes import motcua

from bot.store import StoreError, open_database
from bot.store.db import migration_gap, migrations, sqlite_too_old

BUNDLED = [v for v, _n, _s in migrations()]


def test_the_rule_on_applied_versions():
    assert migration_gap(set(BUNDLED), BUNDLED) is None
    assert migration_gap(set(), BUNDLED) is None  # a new store
    assert migration_gap(set(BUNDLED[:3]), BUNDLED) is None  # an old store, to be brought up
    problem, _advice = migration_gap(set(BUNDLED) - {BUNDLED[2]}, BUNDLED)
    assert f"skip version {BUNDLED[2]:04d}" in problem
    problem, _advice = migration_gap({*BUNDLED, BUNDLED[-1] + 1}, BUNDLED)
    assert "newer than this program's" in problem


def _forget(path, version: int) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM schema_migrations WHERE version = ?", (version,))


def _applied(path) -> list[int]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY 1")]


async def test_a_store_that_skipped_a_migration_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "s.sqlite3"
    await (await open_database(path)).close()
    _forget(path, BUNDLED[4])
    before = _applied(path)
    with pytest.raises(StoreError) as refused:
        await open_database(path)
    assert f"skip version {BUNDLED[4]:04d}" in str(refused.value)
    assert _applied(path) == before  # nothing applied over the hole


async def test_a_store_newer_than_the_code_is_refused(tmp_path):
    path = tmp_path / "s.sqlite3"
    await (await open_database(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_migrations(version, name) VALUES (9999, '9999_x.sql')")
    with pytest.raises(StoreError, match="newer than this program's"):
        await open_database(path)


def test_the_command_stops_with_one_line_and_exit_1(tmp_path):
    assert motcua(tmp_path, "officials", "list").returncode == 0  # makes r.sqlite3
    _forget(tmp_path / "r.sqlite3", BUNDLED[-2])
    done = motcua(tmp_path, "officials", "list")
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(lines) == 1 and lines[0].startswith(f"motcua: store {tmp_path / 'r.sqlite3'}: ")
    assert f"skip version {BUNDLED[-2]:04d}" in lines[0] and "backup" in lines[0]


def test_a_sqlite_without_returning_is_refused():
    assert sqlite_too_old((3, 40, 1)) is None and sqlite_too_old((3, 35, 0)) is None
    problem, advice = sqlite_too_old((3, 34, 1))
    assert "3.34.1, older than 3.35.0" in problem and "Python" in advice
