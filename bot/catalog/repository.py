"""Reading and writing procedures in the store: per-source layers and their merge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.catalog.layers import Merged, merge
from bot.catalog.model import Procedure, json_hash
from bot.store import Database
from bot.store import catalog as store
from bot.store.sql import Conn

UpsertResult = Literal["added", "updated", "unchanged"]
CSV = "csv"


@dataclass
class LayerWrite:
    """What writing one source's record did to the effective procedure."""

    result: UpsertResult
    code: str  # the procedure the layer went into (a province's suffixed code may join 1.001193)
    merged: Merged
    joined: int = 0  # provincial-only procedures folded into this one


async def upsert(conn: Conn, proc: Procedure) -> UpsertResult:
    """Store `proc` as its source's layer and recompute the procedure, in the caller's
    transaction."""
    return (await store_layer(conn, proc)).result


async def store_layer(conn: Conn, proc: Procedure) -> LayerWrite:
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
        await store.put_layer(conn, code, proc.source, proc.code, text, digest)
    merged = merge(code, [*others, proc])
    alone = not others and code == proc.code  # the merge is the record itself
    result = await _write_merged(conn, merged.procedure, stored, text if alone else None)
    return LayerWrite(result, code, merged, joined)


async def _around(conn, code: str, proc: Procedure):
    """In one trip: the procedure's other layers, the hash of this source's layer and of the
    stored merge (None when absent), and provincial-only procedures it should absorb."""
    rows = await store.around(conn, code, proc.source, proc.code, CSV)
    others, own, stored, joinable = [], None, None, []
    for r in rows:
        kind, source, source_code = r["kind"], r["source"], r["source_code"]
        data, digest = r["data"], r["content_hash"]
        if kind == "merged":
            stored = digest
        elif kind == "join":
            joinable.append(source_code)
        elif (source, source_code) == (proc.source, proc.code):
            own = digest
        else:
            others.append(Procedure.from_json(data))
    return others, own, stored, joinable


async def drop_layer(conn: Conn, source: str, source_code: str) -> None:
    """Remove one source's version of a procedure: re-merge the rest, or drop the procedure
    when nothing is left of it."""
    for code in await store.layer_codes(conn, source, source_code):
        await store.drop_layer(conn, code, source, source_code)
        layers, stored = await _layers(conn, code)
        if layers:
            await _write_merged(conn, merge(code, layers).procedure, stored)
        else:
            await store.drop_procedure(conn, code)


async def _target(conn, proc: Procedure) -> str:
    """The procedure a layer belongs to: its code, but for a provincial row where it went
    before, else the curated or national procedure with the same first 8 characters."""
    if proc.source != CSV:
        return proc.code
    before = await store.layer_codes(conn, proc.source, proc.code, limit=1)
    if before:
        return before[0]
    return await store.national_or_curated(conn, proc.code8, proc.code, CSV) or proc.code


async def _join_provincial(conn, code: str, others: list[str]) -> int:
    """Fold procedures known only from provincial lists (same first 8 characters) into
    `code`, so a province's suffixed copy does not stand beside the national record."""
    for other in others:
        await store.move_layers(conn, other, code)
    return len(others)


async def _layers(conn, code: str) -> tuple[list[Procedure], str | None]:
    """The procedure's layers and the hash of its merge as stored (None when new)."""
    rows = await store.layers(conn, code)
    found = [Procedure.from_json(r["data"]) for r in rows]
    return found, (rows[0]["content_hash"] if rows else None)


async def _write_merged(
    conn, proc: Procedure, stored: str | None, text: str | None = None
) -> UpsertResult:
    """Store the merged procedure (`text`: its JSON when already made) unless unchanged."""
    text = text or proc.to_json()
    digest = json_hash(text)
    if stored == digest:
        return "unchanged"
    await store.put_procedure(
        conn,
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
        return await store.count(self.db)

    async def get(self, code: str) -> Procedure | None:
        """By full code, else by its first 8 characters (the national part)."""
        data = await store.procedure_data(self.db, code)
        return Procedure.from_json(data) if data else None

    async def all(self) -> list[Procedure]:
        return [Procedure.from_json(data) for data in await store.all_data(self.db)]
