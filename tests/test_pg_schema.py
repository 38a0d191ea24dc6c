"""The two migration folders build the same schema (issue 16): same versions, and after
migrating each, the same tables, columns, primary keys and unique constraints/indexes."""

from __future__ import annotations

import asyncpg
import pytest

from bot.store import open_database
from bot.store.db import migrations


def test_both_folders_have_the_same_versions_and_names():
    sqlite = [(v, n) for v, n, _s in migrations()]
    postgres = [(v, n) for v, n, _s in migrations("bot.store.migrations_pg")]
    assert sqlite == postgres


async def _sqlite_schema(path) -> dict:
    db = await open_database(path)
    try:
        schema = {}
        names = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        for (table,) in await db.fetchall(names):
            cols = await db.fetchall(f"PRAGMA table_info({table})")
            uniques = set()
            for index in await db.fetchall(f"PRAGMA index_list({table})"):
                if index["unique"] and index["origin"] != "pk" and not index["partial"]:
                    info = await db.fetchall(f"PRAGMA index_info({index['name']})")
                    uniques.add(tuple(sorted(r["name"] for r in info)))
            pk = tuple(sorted(c["name"] for c in cols if c["pk"]))
            schema[table] = (sorted(c["name"] for c in cols), pk, uniques)
        return schema
    finally:
        await db.close()


async def _pg_schema(url) -> dict:
    conn = await asyncpg.connect(url)
    try:
        schema = {}
        tables = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        for (table,) in await conn.fetch(tables):
            cols = await conn.fetch(
                "SELECT column_name FROM information_schema.columns WHERE table_name = $1", table
            )
            indexes = await conn.fetch(
                "SELECT i.indisprimary, array_agg(a.attname::text) AS cols"
                " FROM pg_index i JOIN pg_attribute a"
                " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                " WHERE i.indrelid = $1::regclass AND i.indisunique AND i.indpred IS NULL"
                " GROUP BY i.indexrelid, i.indisprimary",
                table,
            )
            pk = next((tuple(sorted(r["cols"])) for r in indexes if r["indisprimary"]), ())
            uniques = {tuple(sorted(r["cols"])) for r in indexes if not r["indisprimary"]}
            schema[table] = (sorted(r["column_name"] for r in cols), pk, uniques)
        return schema
    finally:
        await conn.close()


@pytest.mark.pg
async def test_both_engines_build_the_same_tables_columns_and_keys(tmp_path, pg_url):
    sqlite = await _sqlite_schema(tmp_path / "s.sqlite3")
    postgres = await _pg_schema(pg_url)
    assert sorted(sqlite) == sorted(postgres)
    for table in sqlite:
        assert sqlite[table] == postgres[table], table
