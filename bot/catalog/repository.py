"""Reading and writing procedures in the store."""

from __future__ import annotations

from typing import Literal

import aiosqlite

from bot.catalog.model import Procedure
from bot.store import Database

UpsertResult = Literal["added", "updated", "unchanged"]


async def upsert(conn: aiosqlite.Connection, proc: Procedure) -> UpsertResult:
    """Insert or update one procedure by code, inside the caller's transaction."""
    digest = proc.content_hash()
    async with conn.execute(
        "SELECT content_hash FROM procedures WHERE code = ?", (proc.code,)
    ) as cur:
        row = await cur.fetchone()
    if row is not None and row[0] == digest:
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
            proc.to_json(),
            digest,
        ),
    )
    return "added" if row is None else "updated"


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
