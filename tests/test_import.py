"""`import_procedures`: real national and provincial files into a real SQLite store."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import pytest

from bot.catalog import importer
from bot.catalog.importer import ImportReport, import_procedures
from bot.catalog.model import LEVEL_COMMUNE, ONLINE_PARTIAL
from bot.catalog.repository import CatalogRepository
from bot.store import open_database

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "procedures"
NATIONAL = DATA / "national-2026.jsonl.gz"
LAMDONG = DATA / "lamdong-2025.csv"
LANGSON = DATA / "langson-2025.csv"
needs_data = pytest.mark.skipif(not NATIONAL.exists(), reason="shared data missing")

FILINGS = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việcMiễn phí"


def record(code: str, name: str = "Thủ tục mẫu") -> dict:
    return {
        "ma_thu_tuc": code,
        "ten_thu_tuc": name,
        "cap_thuc_hien": "Cấp xã",
        "cach_thuc_thuc_hien": FILINGS,
    }


def counts(report: ImportReport) -> tuple[int, int, int, int]:
    return report.added, report.updated, report.unchanged, len(report.rejected)


@pytest.fixture
async def db(tmp_path):
    database = await open_database(tmp_path / "catalog.sqlite3")
    yield database
    await database.close()


@needs_data
async def test_national_file_imports_once_then_is_unchanged(db, tmp_path):
    report = await import_procedures(db, [NATIONAL])
    assert report.summary() == "added 2642, updated 0, unchanged 0, rejected 0"
    assert counts(await import_procedures(db, [NATIONAL])) == (0, 0, 2642, 0)

    with gzip.open(NATIONAL, "rt", encoding="utf-8") as handle:
        changed = json.loads(handle.readline())
    changed["ten_thu_tuc"] += " (sửa đổi)"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    assert counts(await import_procedures(db, [path])) == (0, 1, 0, 0)

    catalog = CatalogRepository(db)
    assert await catalog.count() == 2642
    stored = await catalog.get(changed["ma_thu_tuc"])
    assert stored.name.endswith("(sửa đổi)")
    assert (stored.filings[0].time_value, stored.filings[0].time_unit) == (60, "ngay_lam_viec")


@needs_data
async def test_provincial_csv_lists(db, tmp_path):
    national = tmp_path / "one.json"
    national.write_text(json.dumps(record("1.013460", "Đăng ký tách thửa")), encoding="utf-8")
    await import_procedures(db, [national])

    report = await import_procedures(db, [LAMDONG, LANGSON])
    # LAMDONG:905 (1.013460) is layered under the national record: it fills the online
    # level the record lacks and renames nothing
    assert counts(report) == (1293 + 1717, 1, 0, 6 + 124)
    reasons = dict(report.rejected)
    assert reasons[f"{LANGSON}:2"] == "2.000815: test record ('Thủ tục test')"
    assert reasons[f"{LANGSON}:3"] == "invalid procedure code 'TEST_MOT_CAP'"
    assert f"{LAMDONG}:905" not in reasons
    assert reasons[f"{LAMDONG}:253"].startswith("duplicate of 1.005132.000.00.00.H36 at ")
    assert report.layering()[0].startswith("kept national fields for 1 procedures (name 1, ")

    catalog = CatalogRepository(db)
    commune = await catalog.get("1.005461")  # matched on the first 8 characters
    assert commune.code == "1.005461.000.00.00.H36" and commune.source == "csv"
    assert (commune.levels, commune.online_level) == ([LEVEL_COMMUNE], ONLINE_PARTIAL)
    assert (await catalog.get("1.003695.000.00.00.H36")).online_level is None  # "Còn lại"
    split = await catalog.get("1.013460")
    assert (split.source, split.name, split.online_level) == (
        "national",
        "Đăng ký tách thửa",
        ONLINE_PARTIAL,
    )


async def test_bad_lines_are_reported_and_the_rest_imported(db, tmp_path):
    lines = [
        json.dumps(record("1.000001")).encode(),
        b'{"ma_thu_tuc": "1.000002", "ten_thu',
        b"[1, 2]",
        '{"ten_thu_tuc": "Thiếu mã"}'.encode(),
        json.dumps({"ma_thu_tuc": "1.000003", "ten_thu_tuc": {"vi": "x"}}).encode(),
        b"",
        json.dumps(record("1.000004")).encode(),
        b'{"ma_thu_tuc": "1.000005", "ten_thu_tuc": "\xff"}',
        json.dumps(record("1.000001", "Lần hai")).encode(),
    ]
    path = tmp_path / "records.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    report = await import_procedures(db, [path, tmp_path / "missing.jsonl"])
    assert counts(report) == (2, 0, 0, 7)
    where = [
        w.rsplit(":", 1)[-1] if w.endswith(tuple("0123456789")) else w for w, _ in report.rejected
    ]
    assert where == ["2", "3", "4", "5", "8", "9", str(tmp_path / "missing.jsonl")]
    reasons = [reason for _, reason in report.rejected]
    assert reasons[0].startswith("invalid JSON line")
    assert reasons[1] == "not a JSON object (list)"
    assert reasons[2] == "missing field 'ma_thu_tuc'"
    assert reasons[3] == "field 'ten_thu_tuc' is not text"
    assert reasons[4].startswith("invalid JSON line")
    assert reasons[5].startswith("duplicate of 1.000001 at ")
    assert reasons[6] == "file not found"
    assert await CatalogRepository(db).count() == 2


async def test_corrupt_gzip_member_rolls_the_whole_file_back(db, tmp_path):
    """Issue 11: a file is never half imported; it is refused whole, with where it broke."""
    good = gzip.compress(json.dumps(record("1.000001")).encode() + b"\n")
    good += gzip.compress(json.dumps(record("1.000002")).encode() + b"\n")
    path = tmp_path / "records.jsonl.gz"
    path.write_bytes(good + b"\x1f\x8b\x08\x00broken member")
    report = await import_procedures(db, [path])
    assert counts(report) == (0, 0, 0, 1)
    assert report.rejected[0][0] == f"{path}:3"
    assert "nothing imported from this file" in report.rejected[0][1]
    assert report.unreadable == [str(path)] and report.exit_code() == 1
    assert await CatalogRepository(db).count() == 0


async def test_folder_of_json_files(db, tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    many = [record("1.000001"), record("TEST_MOT_CAP")]
    (folder / "a.json").write_text(json.dumps(many), encoding="utf-8")
    (folder / "b.json").write_text(json.dumps(record("1.000002")), encoding="utf-8")
    (folder / "README.md").write_text("not a record", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    report = await import_procedures(db, [folder, tmp_path / "notes.txt"])
    assert counts(report) == (2, 0, 0, 2)
    assert report.rejected == [
        (f"{folder / 'a.json'}#2", "invalid procedure code 'TEST_MOT_CAP'"),
        (str(tmp_path / "notes.txt"), "unsupported file type"),
    ]


async def test_a_row_the_store_refuses_is_rejected_alone(db, tmp_path, monkeypatch):
    real_store = importer.store_layer

    async def refusing(conn, proc):
        if proc.code == "1.000002":
            raise sqlite3.IntegrityError("refused")
        return await real_store(conn, proc)

    monkeypatch.setattr(importer, "store_layer", refusing)
    path = tmp_path / "three.json"
    path.write_text(json.dumps([record(f"1.00000{i}") for i in (1, 2, 3)]), encoding="utf-8")
    report = await import_procedures(db, [path])
    assert counts(report) == (2, 0, 0, 1)
    assert report.rejected == [(f"{path}#2", "could not store: refused")]
    assert [p.code for p in await CatalogRepository(db).all()] == ["1.000001", "1.000003"]
