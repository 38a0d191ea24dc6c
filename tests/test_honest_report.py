"""The report and stats that do not mislead: open overdue dossiers count against the on-time
share, a rate from fewer than 20 ratings says so in words, agencies with no data share a line,
`motcua stats` speaks MOTCUA_LOCALE, and `motcua demo` fills a database to try it all."""

from __future__ import annotations

import sqlite3

from test_cli import run
from test_ratings_stats import MARCH, add_returned, at, code, db, rate_all  # noqa: F401

from bot.dossiers.model import Dossier
from bot.dossiers.repository import apply_many
from bot.ratings.report import write_report
from bot.ratings.stats import decision_766


async def add_open(db, agency, n, due, start=500):  # noqa: F811
    dossiers = [
        Dossier(code(agency, start + i), "1.001193", agency, at(1), 4, due_at=due) for i in range(n)
    ]
    async with db.transaction() as conn:
        await apply_many(conn, dossiers, "test")


async def test_on_time_share_counts_dossiers_still_open_past_their_date(db):  # noqa: F811
    await add_returned(db, "18496", 3)  # on time
    await add_open(db, "18496", 1, due=at(20))  # still open, due 20 March
    await add_open(
        db, "18496", 1, due=at(30, month=4), start=600
    )  # not due yet (not in March anyway)
    [row] = await decision_766(db, *MARCH, now=at(25))
    assert (row.returned, row.overdue, row.open_overdue) == (3, 0, 1)
    assert row.on_time_share == 0.75  # 3 on time of 3 returned + 1 open and late
    [before] = await decision_766(db, *MARCH, now=at(19))  # not late yet on the 19th
    assert before.on_time_share == 1.0 and before.open_overdue == 0
    # A month with only an open, late dossier still shows: 0% on time, no 766 rate.
    await add_open(db, "18502", 1, due=at(5))
    rows = {r.agency_code: r for r in await decision_766(db, *MARCH, now=at(25))}
    assert rows["18502"].on_time_share == 0.0 and rows["18502"].rate is None


async def test_report_says_too_few_ratings_in_words_and_collapses_empty_agencies(db, tmp_path):  # noqa: F811
    ds = await add_returned(db, "18496", 5)
    await rate_all(db, ds, ["khong_hai_long"] * 5, at(12))
    await add_open(db, "18496", 1, due=at(20))
    agencies = {
        "18496": "UBND xã Hương Khê",
        "18502": "UBND xã Hà Linh",
        "18523": "UBND xã Hương Bình",
    }  # noqa: E501
    path = await write_report(
        db, tmp_path / "r.html", "html", *MARCH, agencies, chart=False, now=at(31, 12)
    )
    page = path.read_text(encoding="utf-8")
    card = page.split("UBND xã Hương Khê", 1)[1].split('<div class="card', 1)[0]
    assert "Quá ít đánh giá" in card and "0,0%" not in card and "low" not in card
    assert "cần ít nhất 20 để kết luận" in card
    assert "Chưa có đánh giá trong kỳ: UBND xã Hà Linh, UBND xã Hương Bình" in page
    assert page.count("UBND xã Hà Linh") == 2  # the one line among the cards, one under tables
    assert "<h3>UBND xã Hà Linh</h3>" not in page
    # 5 returned on time + 1 open and late: 5/6 on time.
    assert "83,3%" in page.split("<h3>UBND xã Hương Khê</h3>")[1]


def seed_cli_db(path):
    """Four ratings for Hương Khê in March 2026, straight into the CLI's database."""
    import asyncio

    from bot.store import open_database

    async def go():
        database = await open_database(path)
        try:
            ds = await add_returned(database, "18496", 4)
            await rate_all(database, ds, ["hai_long"] * 3 + ["khong_hai_long"], at(12))
        finally:
            await database.close()

    asyncio.run(go())


def test_stats_speaks_english_and_vietnamese(monkeypatch, tmp_path, capsys):
    seed_cli_db(tmp_path / "cli.sqlite3")
    argv = ["stats", "--from", "2026-03-01", "--to", "2026-03-31"]
    code_, out, _err = run(monkeypatch, tmp_path, capsys, argv, MOTCUA_LOCALE="en")
    assert code_ == 0
    assert "Satisfaction 2026-03-01 – 2026-03-31 (target 90%)" in out
    header = out.splitlines()[1]
    assert header.split()[:3] == ["Agency", "Month", "Ratings"]
    satisfaction = out.split("Decision 766")[0]
    assert "UBND xã Hương Khê" in satisfaction and "too few" in satisfaction
    assert "75.0%" not in satisfaction  # 3 of 4 ratings: not a rate to judge by
    assert "No data in this period: UBND xã Hà Linh" in out
    assert "Mức độ" not in out and "Cơ quan" not in out
    code_, out, _err = run(monkeypatch, tmp_path, capsys, argv, MOTCUA_LOCALE="vi")
    assert "Mức độ hài lòng 2026-03-01 – 2026-03-31 (mục tiêu 90%)" in out
    assert out.splitlines()[1].split()[:2] == ["Cơ", "quan"]
    assert "quá ít" in out and "Chưa có số liệu trong kỳ: UBND xã Hà Linh" in out
    assert "Satisfaction" not in out and "too few" not in out


def test_demo_then_officials_commands_in_the_terminal(monkeypatch, tmp_path, capsys):
    demo = tmp_path / "demo.sqlite3"
    code_, out, err = run(monkeypatch, tmp_path, capsys, ["demo", "--db", str(demo)])
    assert code_ == 0, err
    assert "Demo database ready" in out and "DEMO." in out
    with sqlite3.connect(demo) as conn:
        codes = [r[0] for r in conn.execute("SELECT code FROM dossiers")]
        tickets = conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0]
        roster = conn.execute("SELECT channel, user_id, role FROM officials").fetchall()
    assert codes and all(c.startswith("DEMO.") for c in codes) and tickets == 2
    assert roster == [("terminal", "local", "leader")]
    # The demo lands in its own file, never in MOTCUA_DB; and it is not built twice.
    assert not (tmp_path / "cli.sqlite3").exists()
    code_, _out, err = run(monkeypatch, tmp_path, capsys, ["demo", "--db", str(demo)])
    assert code_ == 2 and "already holds the demo" in err
    stdin = "/thongke\n/quahan\n/phananhquahan\n/quit\n"
    code_, out, _err = run(
        monkeypatch, tmp_path, capsys, ["chat"], stdin=stdin, MOTCUA_DB=str(demo)
    )
    assert code_ == 0
    assert "Tỷ lệ hài lòng, mục tiêu 90%" in out and "UBND xã Hương Khê" in out
    assert "quá ít đánh giá để kết luận" in out  # the commune with a handful of ratings
    assert "Chưa có đánh giá: Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh" in out
    # issue 18: the apologised dossier stays on /quahan, with its new date
    assert "Quá hạn: 2" in out and "quá hạn 28 ngày làm việc" in out
    assert "chưa xin lỗi" in out and "đã xin lỗi, hẹn mới" in out
    assert "PAKN-" in out
    assert "chỉ cán bộ" not in out.lower()  # never refused


def test_demo_refuses_a_database_with_real_data(monkeypatch, tmp_path, capsys):
    real = tmp_path / "real.sqlite3"
    seed_cli_db(real)
    code_, _out, err = run(monkeypatch, tmp_path, capsys, ["demo", "--db", str(real)])
    assert code_ == 2 and "not demo ones" in err
    with sqlite3.connect(real) as conn:
        assert conn.execute(
            "SELECT COUNT(*) FROM dossiers WHERE code LIKE 'DEMO.%'"
        ).fetchone() == (0,)  # noqa: E501
