"""Procedures in the store: each source's layer of a procedure, and their merge.

bot/catalog/repository.py decides what to write (which procedure a provincial
row joins, when a merge changed); this module holds the SQL. Procedures are kept
as JSON (`data`) with a hash, so an unchanged one is never written again.
"""

from __future__ import annotations

from bot.store.sql import Conn, Source, one, rows, run

# On conflict the row keeps the column's own default as its new time (excluded holds
# the defaults too): one text for both engines, no SQLite-only strftime('now').
_NOW = "excluded.updated_at"


async def _all(conn: Conn, sql: str, params: tuple) -> list:
    """All rows in one trip to the connection's thread (the catalog import's hot path)."""
    return list(await conn.execute_fetchall(sql, params))


async def around(conn: Conn, code: str, source: str, source_code: str, csv: str) -> list:
    """In one trip (kind, source, source_code, data, content_hash): the procedure's layers
    ('layer'), its stored merge ('merged', hash only) and the provincial-only procedures
    with its first 8 characters it should absorb ('join', their code as source_code)."""
    return await _all(
        conn,
        "SELECT 'layer' AS kind, source, source_code, data, content_hash"
        " FROM procedure_layers WHERE code = ?"
        " UNION ALL SELECT 'merged', NULL, NULL, NULL, content_hash FROM procedures"
        " WHERE code = ?"
        " UNION ALL SELECT 'join', NULL, p.code, NULL, NULL FROM procedures p"
        " WHERE ? != ? AND p.code8 = ? AND p.code != ? AND NOT EXISTS"
        " (SELECT 1 FROM procedure_layers l WHERE l.code = p.code AND l.source != ?)",
        (code, code, source, csv, code[:8], code, csv),
    )


async def put_layer(
    conn: Conn, code: str, source: str, source_code: str, data: str, digest: str
) -> None:
    await run(
        conn,
        "INSERT INTO procedure_layers(code, source, source_code, data, content_hash)"
        " VALUES (?,?,?,?,?) ON CONFLICT(code, source, source_code) DO UPDATE SET"
        f" data=excluded.data, content_hash=excluded.content_hash, updated_at={_NOW}",
        (code, source, source_code, data, digest),
    )


async def layer_codes(conn: Conn, source: str, source_code: str, limit: int | None = None) -> list:
    """The procedures holding this source's layer `source_code`."""
    sql = "SELECT code FROM procedure_layers WHERE source = ? AND source_code = ?"
    params: tuple = (source, source_code)
    if limit is not None:
        sql += " LIMIT ?"
        params += (limit,)
    return [r["code"] for r in await _all(conn, sql, params)]


async def drop_layer(conn: Conn, code: str, source: str, source_code: str) -> None:
    await run(
        conn,
        "DELETE FROM procedure_layers WHERE code = ? AND source = ? AND source_code = ?",
        (code, source, source_code),
    )


async def national_or_curated(conn: Conn, code8: str, code: str, csv: str) -> str | None:
    """The procedure a provincial row with this code joins: the one with its very code,
    else one with the same first 8 characters that has a non-provincial layer."""
    found = await _all(
        conn,
        "SELECT DISTINCT l.code FROM procedures p JOIN procedure_layers l ON l.code = p.code"
        " WHERE p.code8 = ? AND (p.code = ? OR l.source != ?) ORDER BY p.code = ? DESC,"
        " length(l.code), l.code LIMIT 1",
        (code8, code, csv, code),
    )
    return found[0]["code"] if found else None


async def move_layers(conn: Conn, from_code: str, to_code: str) -> None:
    """Fold procedure `from_code`'s layers into `to_code` and drop `from_code`."""
    await run(
        conn, "UPDATE OR REPLACE procedure_layers SET code = ? WHERE code = ?", (to_code, from_code)
    )
    await drop_procedure(conn, from_code)


async def layers(conn: Conn, code: str) -> list:
    """data (each layer's JSON) and content_hash (the stored merge's, None when new)."""
    return await _all(
        conn,
        "SELECT l.data, p.content_hash FROM procedure_layers l"
        " LEFT JOIN procedures p ON p.code = l.code WHERE l.code = ?",
        (code,),
    )


async def put_procedure(conn: Conn, values: tuple) -> None:
    """code, code8, name, levels, field, agency, online_level, source, data, content_hash."""
    await run(
        conn,
        "INSERT INTO procedures(code, code8, name, levels, field, agency, online_level, source,"
        " data, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(code) DO UPDATE SET code8=excluded.code8, name=excluded.name,"
        " levels=excluded.levels, field=excluded.field, agency=excluded.agency,"
        " online_level=excluded.online_level, source=excluded.source, data=excluded.data,"
        f" content_hash=excluded.content_hash, updated_at={_NOW}",
        values,
    )


async def drop_procedure(conn: Conn, code: str) -> None:
    await run(conn, "DELETE FROM procedures WHERE code = ?", (code,))


async def count(src: Source) -> int:
    row = await one(src, "SELECT COUNT(*) AS n FROM procedures")
    return int(row["n"]) if row else 0


async def procedure_data(src: Source, code: str) -> str | None:
    """The JSON of the procedure `code`, else of the one sharing its first 8 characters."""
    row = await one(src, "SELECT data FROM procedures WHERE code = ?", (code,))
    if row is None:
        row = await one(
            src,
            "SELECT data FROM procedures WHERE code8 = ? ORDER BY length(code), code LIMIT 1",
            (code[:8],),
        )
    return row["data"] if row else None


async def all_data(src: Source) -> list[str]:
    return [r["data"] for r in await rows(src, "SELECT data FROM procedures ORDER BY code")]


async def procedure_name(src: Source, code: str) -> str | None:
    """The name of the procedure `code` (else the shortest sharing its first 8 characters)."""
    row = await one(
        src,
        "SELECT name FROM procedures WHERE code = ? OR code8 = ? ORDER BY length(code) LIMIT 1",
        (code, code[:8]),
    )
    return row["name"] if row else None


async def layer_hashes(src: Source, source: str) -> dict[str, str]:
    """source_code -> content_hash of every layer from `source` (e.g. the bundled 'default')."""
    found = await rows(
        src,
        "SELECT source_code, content_hash FROM procedure_layers WHERE source = ?",
        (source,),
    )
    return {r["source_code"]: r["content_hash"] for r in found}
