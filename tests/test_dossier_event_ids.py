"""Dossier event ids come from the database (RETURNING id), not MAX(id)+1 (issue 15).

Events written in bulk (an import) are inserted a few thousand per statement; the
ids handed back must pair with the right events across those statements, and an
official's change written after them gets the next id from the database.
"""

from __future__ import annotations

from test_dossier_import import TZ, code, row

from bot.dossiers.records import parse_row
from bot.dossiers.repository import DossierRepository, apply_rows, set_status
from bot.store import open_database


async def test_bulk_event_ids_pair_with_their_dossiers(store_target):
    db = await open_database(store_target)
    try:
        records = [parse_row(row(n), TZ) for n in range(1, 4501)]  # three statements' worth
        async with db.transaction() as conn:
            outcomes, events = await apply_rows(conn, records, "import:test")
        stored = {
            r["id"]: r["dossier_code"]
            for r in await db.fetchall("SELECT id, dossier_code FROM dossier_events")
        }
        async with db.transaction() as conn:
            later = await set_status(conn, code(7), 4, "501")
        history = await DossierRepository(db).history(code(7))
    finally:
        await db.close()
    assert outcomes == ["added"] * 4500 and len(events) == 4500
    assert len({e.id for e in events}) == 4500
    assert all(stored[e.id] == e.dossier_code == e.dossier.code for e in events)
    assert later.id == max(stored) + 1
    assert [(e.id, e.kind) for e in history] == [(stored_id(stored, code(7)), "created"),
                                                  (later.id, "status")]  # fmt: skip


def stored_id(stored: dict[int, str], dossier_code: str) -> int:
    return next(i for i, c in stored.items() if c == dossier_code)
