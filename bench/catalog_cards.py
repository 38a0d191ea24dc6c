"""How many bundled cards read worse after importing the national file, then the provincial lists.

    .venv/bin/python bench/catalog_cards.py /tmp/cards.sqlite3   (a new file; it is written)

"Worse": a line of a section (card, papers, fee, time, place) as the dialog renders it before
the imports is missing after them; lines may be added. Runs on any revision of the project.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.catalog.default import load_default_catalog
from bot.catalog.importer import import_procedures
from bot.catalog.repository import CatalogRepository, upsert
from bot.i18n import Translator
from bot.store import open_database
from handlers.card_facts import fee_section, place_section, time_section
from handlers.cards import documents_section, procedure_card

DATA = Path(__file__).resolve().parents[2] / "shared/data/procedures"
PORTAL = "https://dichvucong.gov.vn"


def cards(t: Translator, proc) -> dict[str, str]:
    return {
        "card": procedure_card(t, proc, PORTAL),
        "documents": documents_section(t, proc),
        "fee": fee_section(t, proc),
        "time": time_section(t, proc),
        "place": place_section(t, proc, PORTAL),
    }


def reads_as_well(before: str, after: str) -> bool:
    lines = iter(after.splitlines())
    return all(any(line == other for other in lines) for line in before.splitlines())


async def main(path: str) -> None:
    db = await open_database(path)
    procs = load_default_catalog()
    async with db.transaction() as conn:
        for proc in procs:
            await upsert(conn, proc)
    catalog, t = CatalogRepository(db), Translator("vi")

    async def rendered():
        return {p.code: cards(t, await catalog.get(p.code)) for p in procs}

    before = await rendered()
    steps = (
        ("after national", [DATA / "national-2026.jsonl.gz"]),
        ("after national + CSV", [DATA / "lamdong-2025.csv", DATA / "langson-2025.csv"]),
    )
    for label, paths in steps:
        await import_procedures(db, paths)
        got = await rendered()
        worse = [
            (c, k) for c in before for k in before[c] if not reads_as_well(before[c][k], got[c][k])
        ]
        parts = ", ".join(f"{k} {sum(1 for _, x in worse if x == k)}" for k in cards(t, procs[0]))
        renamed = sum(
            got[c]["card"].split("\n")[0] != before[c]["card"].split("\n")[0] for c in got
        )
        print(
            f"{label}: {len({c for c, _ in worse})} of {len(before)} bundled cards read worse"
            f" ({len(worse)} sections: {parts}); renamed {renamed}"
        )
    await db.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
