"""The dossier store and `import_dossiers`: real CSV / JSONL files into a real SQLite file."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import gzip
import json
import multiprocessing
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.dossiers.batches import batches
from bot.dossiers.importer import DossierImportReport, UnsupportedFile, import_dossiers
from bot.dossiers.records import FIELDS, RecordError, parse_record, parse_row
from bot.dossiers.repository import (
    DossierNotFound,
    DossierRepository,
    apply,
    record_apology,
    set_status,
)
from bot.notify.outbox import enqueue
from bot.reply import Reply
from bot.store import open_database
from bot.workdays.calendar import WorkCalendar, WorkdaysConfig

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AGENCY_ID = "000.21.32.H42"


def code(n: int, day: str = "250303") -> str:
    return f"{AGENCY_ID}-{day}-{n:04d}"


def row(n: int, **over) -> dict:
    base = {
        "code": code(n),
        "procedure_code": "1.001193",
        "agency_code": "18496",
        "applicant_name": "Nguyễn Văn An",
        "applicant_phone": "0912345623",
        "channel": "truc_tiep",
        "received_at": "2025-03-03T08:15:00",
        "due_at": "2025-03-05T16:30:00",
        "status": "2",
        "status_at": "2025-03-03T08:20:00",
        "result_place": "Bộ phận Một cửa xã Hương Khê",
        "note": "",
    }
    base.update(over)
    return base


def write_csv(path: Path, rows: list[dict | list], bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(FIELDS)
        for r in rows:
            out.writerow([r.get(k, "") for k in FIELDS] if isinstance(r, dict) else r)
    return path


def write_jsonl(path: Path, lines: list[dict | str]) -> Path:
    text = "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
    if path.name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        path.write_text(text + "\n", encoding="utf-8")
    return path


def counts(report: DossierImportReport) -> tuple[int, int, int, int]:
    return report.added, report.updated, report.unchanged, len(report.rejected)


@pytest.fixture
async def db(tmp_path):
    db = await open_database(tmp_path / "motcua.sqlite3")
    yield db
    await db.close()


async def scalar(db, sql: str, params: tuple = ()):
    return (await db.fetchone(sql, params))[0]


BAD_ROWS = [
    (row(3, code="000.00.06.H56-231327-0361"), "code"),
    (row(4, status="11"), "status"),
    (row(5, status="đang xử lý"), "status"),
    (row(6, received_at="03/13/2025"), "received_at"),
    (row(7, due_at="2025-03-01T08:00:00"), "before received_at"),
    (row(8, procedure_code=""), "missing procedure_code"),
    (row(9, applicant_phone="12345"), "applicant_phone"),
    (row(10, channel="fax"), "channel"),
]


@pytest.mark.parametrize("process", [False, True], ids=["inline", "helper-process"])
async def test_csv_import_reports_bad_rows_by_line_and_keeps_good_ones(db, tmp_path, process):
    rows = [row(1), row(2)] + [r for r, _ in BAD_ROWS] + [["only", "three", "fields"], row(11)]
    path = write_csv(tmp_path / "export.csv", rows, bom=True)
    report = await import_dossiers(db, path, TZ, batch_size=2, process=process)
    assert counts(report) == (3, 0, 0, len(BAD_ROWS) + 1)
    assert report.summary() == f"added 3, updated 0, unchanged 0, rejected {len(BAD_ROWS) + 1}"
    # header is line 1, so the k-th data row is line k + 1
    for (line, reason), (_bad, expected) in zip(report.rejected, BAD_ROWS, strict=False):
        assert expected in reason, (line, reason)
    assert [line for line, _ in report.rejected] == list(range(4, 4 + len(BAD_ROWS) + 1))
    assert "expected 12 fields, got 3" in report.rejected[-1][1]
    stored = await scalar(db, "SELECT group_concat(code, ' ') FROM dossiers ORDER BY code")
    assert stored.split() == [code(1), code(2), code(11)]
    assert await scalar(db, "SELECT COUNT(*) FROM dossier_events WHERE kind = 'created'") == 3


async def test_stored_times_are_utc_and_fields_normalised(db, tmp_path):
    path = write_csv(
        tmp_path / "x.csv",
        [
            row(
                1,
                code=" 000.21.32.h42 - 250303 - 0001 ",
                applicant_phone="+84 912 345 623",
                applicant_name="  Nguye\u0302\u0303n  Văn An ",
                channel="Trực tuyến",
                due_at="2025-03-05",  # a date only: the end of that day
                status_at="2025-03-03T09:00:00+00:00",
            )
        ],
    )
    await import_dossiers(db, path, TZ)
    d = await DossierRepository(db).get("000.21.32.H42-250303-0001")
    assert d.received_at == datetime(2025, 3, 3, 1, 15, tzinfo=UTC)
    assert d.due_at == datetime(2025, 3, 5, 16, 59, 59, tzinfo=UTC)
    assert d.status_at == datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    assert (d.applicant_phone, d.applicant_name, d.channel) == (
        "0912345623",
        "Nguyễn Văn An",
        "truc_tuyen",
    )
    assert d.note is None
    raw = await db.fetchone("SELECT received_at, due_at FROM dossiers")
    assert tuple(raw) == ("2025-03-03T01:15:00Z", "2025-03-05T16:59:59Z")


async def test_jsonl_and_gzip_with_broken_lines(db, tmp_path):
    lines = [
        row(1, status=4),
        "",
        "{not json",
        "[1, 2]",
        row(2, status=True),
        row(3, applicant_phone=912345623, agency_code=18496),
    ]
    for name in ("d.jsonl", "d.json.gz"):
        report = await import_dossiers(db, write_jsonl(tmp_path / name, lines), TZ)
        assert [line for line, _ in report.rejected] == [3, 4, 5]
        assert "not JSON" in report.rejected[0][1]
        assert "one JSON object per line" in report.rejected[1][1]
    assert await scalar(db, "SELECT COUNT(*) FROM dossiers") == 2
    d = await DossierRepository(db).get(code(3))
    assert (d.applicant_phone, d.agency_code, d.status) == ("0912345623", "18496", 2)


async def test_invalid_utf8_multiline_fields_and_missing_header(db, tmp_path):
    path = tmp_path / "x.csv"
    write_csv(path, [row(1, note="dòng một\ndòng hai"), row(2), row(3)])
    path.write_bytes(path.read_bytes().replace("Nguyễn".encode(), b"Nguy\xff", 1))
    report = await import_dossiers(db, path, TZ)
    # row 1 spans lines 2-3 and carries the bad byte; row 2 is line 4
    assert report.rejected == [(2, "not valid UTF-8")]
    assert counts(report)[:3] == (2, 0, 0)
    huge = tmp_path / "huge.csv"
    write_csv(huge, [row(1), row(2, note="x" * 200_000), row(3)])
    report = await import_dossiers(db, huge, TZ)
    assert [(line, "not CSV" in reason) for line, reason in report.rejected] == [(3, True)]
    assert report.unchanged == 1 and report.added == 1
    bad_header = tmp_path / "h.csv"
    bad_header.write_text("code,status\n" + code(9) + ",2\n", encoding="utf-8")
    report = await import_dossiers(db, bad_header, TZ)
    assert report.rejected == [
        (1, "header: missing column(s) procedure_code, agency_code, received_at")
    ]
    with pytest.raises(UnsupportedFile):
        await import_dossiers(db, tmp_path / "x.xlsx", TZ)


async def test_corrupt_gzip_rolls_the_whole_file_back(db, tmp_path):
    """Issue 11: a file that breaks part-way is never half imported."""
    path = tmp_path / "d.jsonl.gz"
    write_jsonl(path, [row(n) for n in range(1, 400)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # truncated
    report = await import_dossiers(db, path, TZ, batch_size=50)
    assert report.added == 0 and report.exit_code() == 1
    assert len(report.rejected) == 1 and "unreadable" in report.rejected[0][1]
    assert "nothing imported from this file" in report.rejected[0][1]
    assert await scalar(db, "SELECT COUNT(*) FROM dossiers") == 0


async def test_helper_process_stops_with_the_import(tmp_path):
    path = write_csv(tmp_path / "x.csv", [row(n) for n in range(1, 200)])
    async with contextlib.aclosing(batches(path, TZ, 1, process=True)) as parsed:
        first = await anext(parsed)
    assert first == ([parse_row(row(1), TZ)], [2], [])
    assert multiprocessing.active_children() == []  # killed and joined, not left behind
    with pytest.raises(FileNotFoundError):
        async with contextlib.aclosing(batches(tmp_path / "no.csv", TZ, 1, True)) as parsed:
            await anext(parsed)


async def test_reimport_is_idempotent(db, tmp_path):
    path = write_csv(tmp_path / "x.csv", [row(n) for n in range(1, 30)])
    first = await import_dossiers(db, path, TZ, batch_size=7)
    events = await scalar(db, "SELECT COUNT(*) FROM dossier_events")
    second = await import_dossiers(db, path, TZ, batch_size=7)
    assert counts(first) == (29, 0, 0, 0)
    assert counts(second) == (0, 0, 29, 0)
    assert await scalar(db, "SELECT COUNT(*) FROM dossier_events") == events == 29


async def test_status_change_makes_exactly_one_status_event(db, tmp_path):
    await import_dossiers(db, write_csv(tmp_path / "a.csv", [row(1), row(2)]), TZ)
    changed = [
        row(1, status="4", status_at="2025-03-04T10:00:00"),
        row(2, note="Đã nhận đủ giấy tờ"),
    ]
    report = await import_dossiers(db, write_csv(tmp_path / "b.csv", changed), TZ)
    assert counts(report) == (0, 2, 0, 0)
    events = await DossierRepository(db).history(code(1))
    assert [e.kind for e in events] == ["created", "status"]
    status = events[1]
    assert (status.from_status, status.to_status, status.source) == (2, 4, "import:b.csv")
    assert status.at == datetime(2025, 3, 4, 3, 0, tzinfo=UTC)
    assert [e.kind for e in await DossierRepository(db).history(code(2))] == ["created"]
    # the same file again changes nothing; an older record does not turn the status back
    again = await import_dossiers(db, write_csv(tmp_path / "b.csv", changed), TZ)
    assert counts(again) == (0, 0, 2, 0)
    stale = [row(1, status="2", status_at="2025-03-03T08:20:00")]
    await import_dossiers(db, write_csv(tmp_path / "c.csv", stale), TZ)
    assert (await DossierRepository(db).get(code(1))).status == 4
    assert await scalar(db, "SELECT COUNT(*) FROM dossier_events WHERE kind = 'status'") == 1


async def test_repeated_code_in_one_file_applies_in_order(db, tmp_path):
    later = row(1, status="4", status_at="2025-03-03T09:00:00")
    rows = [row(1), later, dict(later)]
    report = await import_dossiers(db, write_csv(tmp_path / "x.csv", rows), TZ)
    assert counts(report) == (1, 1, 1, 0)
    kinds = [e.kind for e in await DossierRepository(db).history(code(1))]
    assert kinds == ["created", "status"]


async def test_on_events_runs_inside_the_batch_transaction(db, tmp_path):
    seen = []

    async def notify(conn, events):
        assert conn.in_transaction
        for e in events:
            seen.append(e)
            await enqueue(conn, "telegram", 42, Reply(f"{e.kind} {e.dossier_code}"), f"ev:{e.id}")

    path = write_csv(tmp_path / "x.csv", [row(n) for n in range(1, 11)])
    report = await import_dossiers(db, path, TZ, on_events=notify, batch_size=4)
    assert counts(report) == (10, 0, 0, 0)
    assert await scalar(db, "SELECT COUNT(*) FROM outbox") == 10
    assert {e.kind for e in seen} == {"created"}
    assert seen[0].dossier.code == seen[0].dossier_code and seen[0].dossier.status == 2
    assert seen[0].recorded_at is not None


@pytest.mark.parametrize("process", [False, True], ids=["inline", "helper-process"])
async def test_failing_on_events_rolls_back_only_its_batch(db, tmp_path, process):
    calls = 0

    async def flaky(conn, events):
        nonlocal calls
        calls += 1
        for e in events:
            await enqueue(conn, "telegram", 42, Reply(e.kind), f"ev:{e.id}")
        if calls == 2:
            raise RuntimeError("outbox full")

    rows = [row(n) for n in range(1, 11)]
    rows.insert(5, row(99, status="0"))  # a bad row inside the failing batch: line 7
    path = write_csv(tmp_path / "x.csv", rows)
    report = await import_dossiers(db, path, TZ, flaky, 4, process=process)
    assert counts(report) == (6, 0, 0, 5)
    lines = [line for line, _ in report.rejected]
    assert lines == [6, 7, 8, 9, 10]  # the batch of rows 5-8 (lines 6, 8, 9, 10) and line 7
    assert "rolled back" in report.rejected[0][1] and "outbox full" in report.rejected[0][1]
    assert "status" in report.rejected[1][1]
    stored = await db.fetchall("SELECT code FROM dossiers ORDER BY code")
    assert [r[0] for r in stored] == [code(n) for n in (1, 2, 3, 4, 9, 10)]
    assert await scalar(db, "SELECT COUNT(*) FROM outbox") == 6
    assert await scalar(db, "SELECT COUNT(*) FROM dossier_events") == 6
    # once it works again, a re-run brings in exactly what was rolled back
    calls = 10
    again = await import_dossiers(db, write_csv(tmp_path / "x.csv", rows), TZ, flaky, 4)
    assert counts(again) == (4, 0, 6, 1)


async def test_apply_set_status_and_apology_for_officials(db):
    repo = DossierRepository(db)
    written = []

    async def collect(conn, events):
        assert conn.in_transaction
        written.extend(events)

    dossier = parse_record(row(1), TZ)
    async with db.transaction() as conn:
        outcome, events = await apply(conn, dossier, "sync", on_events=collect)
    assert outcome == "added" and [e.kind for e in events] == ["created"]
    async with db.transaction() as conn:
        assert await apply(conn, dossier, "sync", on_events=collect) == ("unchanged", [])
    assert len(written) == 1

    async with db.transaction() as conn:
        event = await set_status(conn, code(1), 5, "777", "Bổ sung bản sao CCCD", collect)
    assert (event.kind, event.from_status, event.to_status) == ("status", 2, 5)
    assert (event.source, event.actor, event.note) == (
        "official:777",
        "777",
        "Bổ sung bản sao CCCD",
    )
    assert event.dossier.note == "Bổ sung bản sao CCCD"
    async with db.transaction() as conn:
        assert await set_status(conn, code(1), 5, "777") is None
    with pytest.raises(DossierNotFound):
        async with db.transaction() as conn:
            await set_status(conn, code(2), 4, "777")

    new_due = datetime(2025, 3, 10, 16, 30, tzinfo=TZ)
    async with db.transaction() as conn:
        apology = await record_apology(conn, code(1), "Chờ xác minh", new_due, "777", collect)
    assert apology.new_due_at == new_due and apology.old_due_at == dossier.due_at
    assert [e.kind for e in written[-2:]] == ["due_changed", "apology"]
    assert apology.event_id == written[-1].id
    assert (await repo.get(code(1))).due_at == new_due
    assert [a.reason for a in await repo.apologies(code(1))] == ["Chờ xác minh"]
    with pytest.raises(ValueError, match="later"):
        async with db.transaction() as conn:
            await record_apology(conn, code(1), "lại", new_due, "777")

    # the portal still carrying the old appointment does not undo the apology
    async with db.transaction() as conn:
        outcome, events = await apply(conn, parse_record(row(1, status="5"), TZ), "sync")
    assert (await repo.get(code(1))).due_at == new_due
    kinds = [e.kind for e in await repo.history(code(1))]
    assert kinds == ["created", "status", "due_changed", "apology"]

    with pytest.raises(RecordError):
        async with db.transaction() as conn:
            await apply(conn, dataclasses.replace(dossier, code="000.21.32.h42-250303-1"), "sync")
    with pytest.raises(RecordError):
        async with db.transaction() as conn:
            await apply(conn, dataclasses.replace(dossier, status=0), "sync")


async def test_lookups_overdue_and_due_soon(db, tmp_path):
    rows = [
        row(1, due_at="2025-03-05T16:30:00", status="4"),  # overdue at `now`
        row(2, due_at="2025-03-05T16:30:00", status="10"),  # finished: never overdue
        row(3, due_at="2025-03-07T16:30:00", status="4"),  # due Friday = next working day
        row(4, due_at="2025-03-10T16:30:00", status="4"),  # Monday: not yet
        row(5, due_at="2025-03-06T17:00:00", status="2", agency_code="18502"),  # due today
        row(6, applicant_phone="0987654321", status="10"),
    ]
    await import_dossiers(db, write_csv(tmp_path / "x.csv", rows), TZ)
    repo = DossierRepository(db, TZ)
    now = datetime(2025, 3, 6, 9, 0, tzinfo=TZ)  # a Thursday
    calendar = WorkCalendar(config=WorkdaysConfig())
    assert [d.code for d in await repo.overdue(None, now, calendar)] == [code(1)]
    assert await repo.overdue(["18502"], now, calendar) == []
    soon = await repo.due_soon(None, now, calendar)
    assert [d.code for d in soon] == [code(5), code(3)]
    assert [d.code for d in await repo.due_soon(["18496"], now, calendar)] == [code(3)]
    assert await repo.due_soon([], now, calendar) == []
    assert [d.code for d in await repo.by_phone("+84 987 654 321")] == [code(6)]
    assert await repo.by_phone("not a phone") == []
    assert (await repo.get("000.21.32.h42 - 250303 - 0003")).code == code(3)
    assert await repo.get("000.21.32.H42-250303-0077") is None
    assert await repo.count() == 6
    plan = await db.fetchall(
        "EXPLAIN QUERY PLAN SELECT code FROM dossiers WHERE agency_code IN ('18496')"
        " AND status IN (1, 2, 4, 5, 6, 9) AND due_at < '2026'"
    )
    assert "dossiers_agency_status_due" in " ".join(str(r[-1]) for r in plan)
