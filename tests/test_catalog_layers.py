"""Importing more never makes a bundled card worse: the national file, then provincial lists,
into a real store, and every bundled card compared before and after, as the dialog renders it."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from conftest import NATIONAL

from bot.catalog.default import load_default_catalog
from bot.catalog.importer import import_procedures
from bot.catalog.model import Document, Filing, Procedure
from bot.catalog.repository import CatalogRepository, upsert
from bot.core import seed_default_catalog
from bot.i18n import Translator
from bot.store import open_database
from bot.store.db import _statements, migrations
from handlers.card_facts import fee_section, place_section, time_section
from handlers.cards import documents_section, procedure_card

LAMDONG = NATIONAL.with_name("lamdong-2025.csv")
LANGSON = NATIONAL.with_name("langson-2025.csv")
PORTAL = "https://dichvucong.gov.vn"
needs_data = pytest.mark.skipif(not NATIONAL.exists(), reason="../shared data missing")


@pytest.fixture
async def db(tmp_path):
    database = await open_database(tmp_path / "layers.sqlite3")
    yield database
    await database.close()


def cards(t: Translator, proc: Procedure) -> dict[str, str]:
    return {
        "card": procedure_card(t, proc, PORTAL),
        "documents": documents_section(t, proc),
        "fee": fee_section(t, proc),
        "time": time_section(t, proc),
        "place": place_section(t, proc, PORTAL),
    }


def reads_as_well(before: str, after: str) -> bool:
    """Every line of the card before is still there, in order; lines may be added."""
    lines = iter(after.splitlines())
    return all(any(line == other for other in lines) for line in before.splitlines())


async def rendered(db, codes) -> dict[str, dict[str, str]]:
    catalog, t = CatalogRepository(db), Translator("vi")
    return {code: cards(t, await catalog.get(code)) for code in codes}


@needs_data
async def test_bundled_cards_read_at_least_as_well_after_national_then_provincial(db):
    codes = [p.code for p in load_default_catalog()]
    await seed_default_catalog(db)
    before = await rendered(db, codes)
    national = await import_procedures(db, [NATIONAL])
    provincial = await import_procedures(db, [LAMDONG, LANGSON])
    after = await rendered(db, codes)
    worse = [
        (code, part)
        for code in codes
        for part in before[code]
        if not reads_as_well(before[code][part], after[code][part])
    ]
    assert worse == []
    for code in codes:  # the curated name, time, fee, place and papers exactly
        for part in ("documents", "fee", "time"):
            assert after[code][part] == before[code][part], (code, part)
        assert after[code]["card"].splitlines()[0] == before[code]["card"].splitlines()[0]
    assert "kept curated fields for 45 procedures" in national.layering()[0]
    assert any(line.startswith("kept curated fields") for line in provincial.layering())
    again = await import_procedures(db, [NATIONAL, LAMDONG, LANGSON])
    assert (again.added, again.updated) == (0, 0)  # a re-import changes nothing
    assert await rendered(db, codes) == after


async def test_layers_merge_per_field_whatever_the_order(db):
    curated = Procedure(
        "1.000001", "Tên đã biên soạn", levels=["xa"], agency="UBND cấp xã", source="default"
    )
    national = Procedure(
        "1.000001",
        "Thủ tục tên theo Cổng",
        levels=["xa", "tinh"],
        decision="QĐ 1/2026",
        filings=[Filing("truc_tiep", "5 Ngày làm việc", 5, "ngay_lam_viec")],
        documents=[Document("Tờ khai", count="1 bản chính")],
        source="national",
    )
    row = Procedure(
        "1.000001.000.00.00.H36", "Tên tỉnh", agency="Sở", online_level="mot_phan", source="csv"
    )
    for order in ([row, national, curated], [curated, national, row]):
        async with db.transaction() as conn:
            await conn.execute("DELETE FROM procedure_layers")
            await conn.execute("DELETE FROM procedures")
            for proc in order:
                await upsert(conn, proc)
        catalog = CatalogRepository(db)
        assert await catalog.count() == 1  # the province's suffixed copy joined the procedure
        got = await catalog.get("1.000001.000.00.00.H36")
        assert (got.code, got.name, got.agency, got.levels) == (
            "1.000001",
            "Tên đã biên soạn",
            "UBND cấp xã",
            ["xa"],
        )
        assert (got.decision, got.online_level, got.source) == ("QĐ 1/2026", "mot_phan", "default")
        assert got.filings[0].time_value == 5 and got.documents[0].name == "Tờ khai"


async def test_a_store_imported_before_layers_gets_its_curated_text_back(tmp_path):
    """Upgrade: the old import had overwritten 1.001193 with the crawl; migration 0017 keeps
    that as the national layer and the start-up writes the bundled layer over it."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT)")
    for version, name, sql in migrations():
        if version < 17:
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (version, name))
    crawled = Procedure(
        "1.001193",
        "Thủ tục đăng ký khai sinh",
        levels=["xa"],
        decision="QĐ 2026",
        filings=[Filing("truc_tiep", "1", 1.0, None)],
        source="national",
    )
    conn.execute(
        "INSERT INTO procedures(code, code8, name, source, data, content_hash)"
        " VALUES (?,?,?,?,?,?)",
        (crawled.code, crawled.code8, crawled.name, "national", crawled.to_json(), "old"),
    )
    conn.commit()
    conn.close()
    database = await open_database(path)
    try:
        await seed_default_catalog(database)
        birth = await CatalogRepository(database).get("1.001193")
    finally:
        await database.close()
    assert (birth.name, birth.agency, birth.source) == (
        "Đăng ký khai sinh",
        "UBND cấp xã",
        "default",
    )
    assert birth.filings[0].time_unit == "ngay_lam_viec" and birth.decision == "QĐ 2026"


async def test_a_national_record_and_a_csv_row_of_one_code_in_one_import_are_two_layers(
    db, tmp_path
):
    national = tmp_path / "one.json"
    national.write_text(
        '{"ma_thu_tuc": "1.013460", "ten_thu_tuc": "Đăng ký tách thửa", "cap_thuc_hien": "Cấp xã"}',
        encoding="utf-8",
    )
    rows = tmp_path / "list.csv"
    rows.write_text(
        'code,name,field,org,level\n1.013460,Tên khác của tỉnh,Đất đai,"Sở, ban ngành",Một phần\n',
        encoding="utf-8",
    )
    report = await import_procedures(db, [national, rows])
    assert (report.added, report.updated, report.rejected) == (1, 1, [])
    split = await CatalogRepository(db).get("1.013460")
    assert (split.name, split.field, split.online_level) == (
        "Đăng ký tách thửa",
        "Đất đai",
        "mot_phan",
    )


async def test_a_procedure_no_longer_bundled_keeps_only_what_was_imported(db):
    await seed_default_catalog(db)
    gone = Procedure("9.000001", "Bỏ khỏi danh mục", levels=["xa"], source="default")
    imported = Procedure("9.000002", "Có cả bản Cổng", levels=["xa"], source="default")
    async with db.transaction() as conn:
        for proc in (
            gone,
            imported,
            dataclasses.replace(imported, name="Tên Cổng", source="national"),
        ):
            await upsert(conn, proc)
    assert await seed_default_catalog(db) == 2  # neither is in this release's bundle
    catalog = CatalogRepository(db)
    assert await catalog.get("9.000001") is None
    assert (await catalog.get("9.000002")).name == "Tên Cổng"
    assert await seed_default_catalog(db) == 0
