"""Only bot/store talks to the database: the import contract for SQL (issue 15).

A module outside bot/store that imports a driver (aiosqlite, sqlite3, asyncpg) or
calls execute/fetch on a connection fails this test. Modules not yet moved are
listed in PENDING; the list may only shrink: a listed module that no longer holds
SQL fails too, so it is struck off when its feature moves to bot/store.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("bot", "handlers")
DRIVERS = {"aiosqlite", "sqlite3", "asyncpg"}
CALLS = {"execute", "executemany", "executescript", "execute_fetchall", "fetchone", "fetchall"}
CALLS |= {"fetchmany", "execute_insert"}

# Modules whose SQL has not moved to bot/store yet (issue 15 continues).
PENDING: set[str] = set()


def offences(path: Path) -> list[str]:
    """What in `path` talks to the database driver, one line each."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name.split(".")[0] in DRIVERS]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in DRIVERS:
            found.append(f"from {node.module} import")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in CALLS
        ):
            found.append(f"line {node.lineno}: .{node.func.attr}(")
    return found


def outside_store() -> dict[str, list[str]]:
    modules = {}
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith("bot/store/"):
                continue
            if found := offences(path):
                modules[rel] = found
    return modules


def test_only_the_store_talks_to_the_database():
    talking = outside_store()
    new = {m: f for m, f in talking.items() if m not in PENDING}
    assert not new, f"SQL or the driver outside bot/store (move it to a bot/store module): {new}"


def test_the_pending_list_only_shrinks():
    moved = sorted(PENDING - set(outside_store()))
    assert not moved, f"no longer holds SQL, strike it off PENDING: {moved}"


def test_the_check_finds_what_it_should(tmp_path):
    """The check itself: a forbidden import and a call are found, a store-module call is not."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import aiosqlite\nasync def f(conn, store):\n"
        "    await conn.execute('SELECT 1')\n    await store.ticket(conn, 1)\n"
    )
    assert offences(bad) == ["import aiosqlite", "line 3: .execute("]
