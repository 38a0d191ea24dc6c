"""Reading and writing procedures in the store: per-source layers and their merge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import aiosqlite

from bot.catalog.layers import Merged, merge
from bot.catalog.model import Procedure, json_hash
from bot.store import Database

UpsertResult = Literal["added", "updated", "unchanged"]
CSV = "csv"


@dataclass
class LayerWrite:
    """What writing one source's record did to the effective procedure."""

    result: UpsertResult
    code: str  # the procedure the layer went into (a province's suffixed code may join 1.001193)
    merged: Merged
    joined: int = 0  # provincial-only procedures folded into this one


async def upsert(conn: aiosqlite.Connection, proc: Procedure) -> UpsertResult:
    """Store `proc` as its source's layer and recompute the procedure, in the caller's
    transaction."""
    return (await store_layer(conn, proc)).result


async def store_layer(conn: aiosqlite.Connection, proc: Procedure) -> LayerWrite:
    """Write one source's version of a procedure and re-merge that procedure."""
    code = await _target(conn, proc)
    others, own, stored, joinable = await _around(conn, code, proc)
    joined = 0
    if joinable:  # provincial-only copies of this national or curated procedure
        joined = await _join_provincial(conn, code, joinable)
        others, own, stored, _ = await _around(conn, code, proc)
    text = proc.to_json()
    digest = json_hash(text)
    if own != digest:
        await conn.execute(
            "INSERT INTO procedure_layers(code, source, source_code, data, content_hash)"
            " VALUES (?,?,?,?,?) ON CONFLICT(code, source, source_code) DO UPDATE SET"
            " data=excluded.data, content_hash=excluded.content_hash,"
            " updated_at=strftime('%Y-%m-%dT%H:%M:%SZ','now')",
            (code, proc.source, proc.code, text, digest),
        )
    merged = merge(code, [*others, proc])
    alone = not others and code == proc.code  # the merge is the record itself
    result = await _write_merged(conn, merged.procedure, stored, text if alone else None)
    return LayerWrite(result, code, merged, joined)


async def _around(conn, code: str, proc: Procedure):
    """In one trip: the procedure's other layers, the hash of this source's layer and of the
    stored merge (None when absent), and provincial-only procedures it should absorb."""
    rows = await _fetch(
        conn,
        "SELECT 'layer', source, source_code, data, content_hash FROM procedure_layers"
        " WHERE code = ?1"
        " UNION ALL SELECT 'merged', NULL, NULL, NULL, content_hash FROM procedures"
        " WHERE code = ?1"
        " UNION ALL SELECT 'join', NULL, p.code, NULL, NULL FROM procedures p"
        " WHERE ?2 != ?3 AND p.code8 = ?4 AND p.code != ?1 AND NOT EXISTS"
        " (SELECT 1 FROM procedure_layers l WHERE l.code = p.code AND l.source != ?3)",
        (code, proc.source, CSV, code[:8]),
    )
    others, own, stored, joinable = [], None, None, []
    for kind, source, source_code, data, digest in rows:
        if kind == "merged":
            stored = digest
        elif kind == "join":
            joinable.append(source_code)
        elif (source, source_code) == (proc.source, proc.code):
            own = digest
        else:
            others.append(Procedure.from_json(data))
    return others, own, stored, joinable


async def drop_layer(conn: aiosqlite.Connection, source: str, source_code: str) -> None:
    """Remove one source's version of a procedure: re-merge the rest, or drop the procedure
    when nothing is left of it."""
    rows = await _fetch(
        conn,
        "SELECT code FROM procedure_layers WHERE source = ? AND source_code = ?",
        (source, source_code),
    )
    for (code,) in rows:
        await conn.execute(
            "DELETE FROM procedure_layers WHERE code = ? AND source = ? AND source_code = ?",
            (code, source, source_code),
        )
        layers, stored = await _layers(conn, code)
        if layers:
            await _write_merged(conn, merge(code, layers).procedure, stored)
        else:
            await conn.execute("DELETE FROM procedures WHERE code = ?", (code,))


async def _fetch(conn, sql: str, args: tuple) -> list:
    return list(await conn.execute_fetchall(sql, args))  # one trip to the store's thread


async def _target(conn, proc: Procedure) -> str:
    """The procedure a layer belongs to: its code, but for a provincial row where it went
    before, else the curated or national procedure with the same first 8 characters."""
    if proc.source != CSV:
        return proc.code
    rows = await _fetch(
        conn,
        "SELECT code FROM procedure_layers WHERE source = ? AND source_code = ? LIMIT 1",
        (proc.source, proc.code),
    )
    if rows:
        return rows[0][0]
    rows = await _fetch(
        conn,
        "SELECT DISTINCT l.code FROM procedures p JOIN procedure_layers l ON l.code = p.code"
        " WHERE p.code8 = ? AND (p.code = ? OR l.source != ?) ORDER BY p.code = ? DESC,"
        " length(l.code), l.code LIMIT 1",
        (proc.code8, proc.code, CSV, proc.code),
    )
    return rows[0][0] if rows else proc.code


async def _join_provincial(conn, code: str, others: list[str]) -> int:
    """Fold procedures known only from provincial lists (same first 8 characters) into
    `code`, so a province's suffixed copy does not stand beside the national record."""
    for other in others:
        await conn.execute(
            "UPDATE OR REPLACE procedure_layers SET code = ? WHERE code = ?", (code, other)
        )
        await conn.execute("DELETE FROM procedures WHERE code = ?", (other,))
    return len(others)


async def _layers(conn, code: str) -> tuple[list[Procedure], str | None]:
    """The procedure's layers and the hash of its merge as stored (None when new)."""
    rows = await _fetch(
        conn,
        "SELECT l.data, p.content_hash FROM procedure_layers l"
        " LEFT JOIN procedures p ON p.code = l.code WHERE l.code = ?",
        (code,),
    )
    return [Procedure.from_json(r[0]) for r in rows], (rows[0][1] if rows else None)


async def _write_merged(
    conn, proc: Procedure, stored: str | None, text: str | None = None
) -> UpsertResult:
    """Store the merged procedure (`text`: its JSON when already made) unless unchanged."""
    text = text or proc.to_json()
    digest = json_hash(text)
    if stored == digest:
        return "unchanged"
    await conn.execute(
        "INSERT INTO procedures(code, code8, name, levels, field, agency, online_level, source,"
        " data, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(code) DO UPDATE SET code8=excluded.code8, name=excluded.name,"
        " levels=excluded.levels, field=excluded.field, agency=excluded.agency,"
        " online_level=excluded.online_level, source=excluded.source, data=excluded.data,"
        " content_hash=excluded.content_hash,"
        " updated_at=strftime('%Y-%m-%dT%H:%M:%SZ','now')",
        (
            proc.code,
            proc.code8,
            proc.name,
            ",".join(proc.levels),
            proc.field,
            proc.agency,
            proc.online_level,
            proc.source,
            text,
            digest,
        ),
    )
    return "updated" if stored is not None else "added"


class CatalogRepository:
    """Read side of the catalog, used by search and the dialog."""

    def __init__(self, db: Database):
        self.db = db

    async def count(self) -> int:
        row = await self.db.fetchone("SELECT COUNT(*) FROM procedures")
        return int(row[0]) if row else 0

    async def get(self, code: str) -> Procedure | None:
        """By full code, else by its first 8 characters (the national part)."""
        row = await self.db.fetchone("SELECT data FROM procedures WHERE code = ?", (code,))
        if row is None:
            row = await self.db.fetchone(
                "SELECT data FROM procedures WHERE code8 = ? ORDER BY length(code), code LIMIT 1",
                (code[:8],),
            )
        return Procedure.from_json(row[0]) if row else None

    async def all(self) -> list[Procedure]:
        rows = await self.db.fetchall("SELECT data FROM procedures ORDER BY code")
        return [Procedure.from_json(r[0]) for r in rows]
