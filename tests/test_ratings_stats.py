"""Satisfaction and Decision-766 figures, the below-target alert, the public report, the chart."""

from __future__ import annotations

import csv
import struct
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest

from bot.dossiers.model import Dossier
from bot.dossiers.repository import apply_many, record_apology, set_status
from bot.feedback import Draft, FeedbackService
from bot.ratings import Ratings
from bot.ratings.alerts import check_rate_alerts
from bot.ratings.report import CSV_COLUMNS, write_report
from bot.ratings.stats import (
    Row766,
    decision_766,
    format_table,
    month_ranges,
    satisfaction,
    to_json,
    wilson,
)
from bot.settings import load_settings
from bot.store import open_database

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
PHONE = "0912345623"
NAME = "Nguyễn Văn An"
COMMENT = "Chị Lan ở bộ phận một cửa rất nhiệt tình"


@pytest.fixture
async def db(tmp_path):
    db = await open_database(tmp_path / "stats.sqlite3")
    yield db
    await db.close()


def code(agency: str, n: int) -> str:
    return f"000.00.{agency[-2:]}.H42-260301-{n:04d}"


def at(day: int, hour: int = 3, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


async def add_returned(db, agency, count, start=0, returned=None, due=None, proc="1.001193"):
    """`count` dossiers of `agency` returned (status 10) at `returned`, due at `due`."""
    returned = returned or at(10)
    dossiers = [
        Dossier(
            code=code(agency, start + i),
            procedure_code=proc,
            agency_code=agency,
            received_at=at(1),
            status=10,
            applicant_name=NAME,
            applicant_phone=PHONE,
            due_at=due or returned + timedelta(days=1),
            status_at=returned,
        )
        for i in range(count)
    ]
    async with db.transaction() as conn:
        await apply_many(conn, dossiers, "test")
    return dossiers


async def rate_all(db, dossiers, levels, when):
    ratings = Ratings(db)
    async with db.transaction() as conn:
        for dossier, level in zip(dossiers, levels, strict=True):
            await ratings.rate(conn, dossier, "telegram", "u", level, now=when)


# -- Wilson --------------------------------------------------------------------------------


def test_wilson_interval_by_hand():
    # k=17, n=20, z=1.96: p = 0.85, z² = 3.8416, denominator = 1 + z²/n = 1.19208,
    # center = (p + z²/2n) / denominator = 0.94604 / 1.19208 = 0.79360,
    # margin = z·√(p(1−p)/n + z²/4n²) / denominator = 1.96·√0.008776 / 1.19208
    #        = 1.96 · 0.093680 / 1.19208 = 0.15403  →  (0.63958, 0.94763).
    low, high = wilson(17, 20)
    assert low == pytest.approx(0.79360 - 0.15403, abs=1e-3)
    assert high == pytest.approx(0.79360 + 0.15403, abs=1e-3)
    assert (low, high) == pytest.approx((0.6396, 0.9476), abs=1e-3)
    assert wilson(0, 0) is None
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == 1.0
    assert wilson(10, 10)[0] == pytest.approx(0.7225, abs=1e-3)  # 10/10 is not "certainly 100%"


def test_months_are_local_calendar_months():
    ranges = month_ranges(date(2026, 2, 15), date(2026, 4, 30))
    assert ranges == [
        ("2026-02", "2026-02-14T17:00:00Z", "2026-02-28T17:00:00Z"),
        ("2026-03", "2026-02-28T17:00:00Z", "2026-03-31T17:00:00Z"),
        ("2026-04", "2026-03-31T17:00:00Z", "2026-04-30T17:00:00Z"),
    ]


# -- satisfaction --------------------------------------------------------------------------


async def test_satisfaction_per_agency_and_month(db):
    a = await add_returned(db, "18496", 25)
    # Returned 23:00 local on 31 March, rated at 01:00 local on 1 April.
    late_night = await add_returned(db, "18496", 1, start=25, returned=at(31, 16))
    b = await add_returned(db, "18502", 2, proc="2.000815.000.00.00.H42")
    await rate_all(db, a[:20], ["hai_long"] * 9 + ["rat_hai_long"] * 8 + ["khong_hai_long"] * 3,
                   at(15))  # fmt: skip
    await rate_all(db, late_night, ["rat_hai_long"], at(31, 18))
    await rate_all(db, b[:1], ["hai_long"], at(12))

    rows = await satisfaction(db, date(2026, 3, 1), date(2026, 4, 30))
    by_key = {(r.key, r.month): r for r in rows}
    march = by_key[("18496", "2026-03")]
    assert (march.ratings, march.satisfied, march.returned) == (20, 17, 26)
    assert march.rate == pytest.approx(0.85)
    assert (march.low, march.high) == pytest.approx((0.6396, 0.9476), abs=1e-3)
    assert march.response_rate == pytest.approx(20 / 26)
    april = by_key[("18496", "2026-04")]
    assert (april.ratings, april.returned, april.response_rate) == (1, 0, None)
    assert by_key[("18502", "2026-03")].rate == 1.0
    assert [r.key for r in await satisfaction(db, *MARCH, agency="18502")] == ["18502"]

    by_proc = await satisfaction(db, *MARCH, by=("procedure", "month"))
    assert {(r.key, r.ratings, r.returned) for r in by_proc} == {
        ("1.001193", 20, 26), ("2.000815", 1, 2),
    }  # fmt: skip
    b_only = await satisfaction(db, *MARCH, agency="18502", by=("procedure", "month"))
    assert [(r.key, r.ratings, r.returned) for r in b_only] == [("2.000815", 1, 2)]
    await db.execute(
        "INSERT INTO procedures(code, code8, name, field, data, content_hash)"
        " VALUES ('1.001193', '1.001193', 'Đăng ký khai sinh', 'Hộ tịch', '{}', 'x')"
    )
    await rate_all(db, a[20:21], ["hai_long"], at(16))
    a_fields = await satisfaction(db, *MARCH, agency="18496", by=("field", "month"))
    assert {(r.key, r.ratings, r.returned) for r in a_fields} == {("", 20, 0), ("Hộ tịch", 1, 26)}
    by_field = {r.key: r for r in await satisfaction(db, *MARCH, by=("field", "month"))}
    assert by_field["Hộ tịch"].ratings == 1 and by_field["Hộ tịch"].returned == 26
    assert by_field[""].ratings == 21  # rated before the catalog knew the field
    with pytest.raises(ValueError):
        await satisfaction(db, *MARCH, by=("month", "agency"))


# -- Decision 766 --------------------------------------------------------------------------


async def test_decision_766_on_a_small_dataset(db):
    agency = "18523"
    ds = await add_returned(db, agency, 10)
    async with db.transaction() as conn:
        # d0 returned a day after its appointment.
        await conn.execute(
            "UPDATE dossiers SET due_at = ? WHERE code = ?", ("2026-03-09T03:00:00Z", ds[0].code)
        )
        # d1 asked for more documents twice, d2 once (the second is not late).
        for d, rounds in ((ds[1], 2), (ds[2], 1)):
            await conn.execute("UPDATE dossiers SET status = 4 WHERE code = ?", (d.code,))
            hour = 0
            for _ in range(rounds):
                for status in (5, 4):
                    hour += 1
                    await set_status(conn, d.code, status, actor="7", now=at(5, hour))
            await set_status(conn, d.code, 10, actor="7", now=at(10))
    await rate_all(db, ds[3:5], ["khong_hai_long", "hai_long"], at(12))

    [row] = await decision_766(db, *MARCH)
    assert (row.agency_code, row.month, row.returned) == (agency, "2026-03", 10)
    assert (row.overdue, row.asked_again, row.late, row.complaint_or_unsatisfied) == (1, 1, 2, 1)
    # 100% − (2/10 late + 1/10 unsatisfied) = 70%; points = 0.70 × 18 / 0.90 = 14.
    assert row.rate == pytest.approx(0.70)
    assert row.points == pytest.approx(14.0)
    assert row.on_time_share == pytest.approx(0.9)
    [twenty] = await decision_766(db, *MARCH, max_points=20)
    assert twenty.points == pytest.approx(0.70 * 20 / 0.9)

    # Once the feedback feature exists, a ticket about a dossier counts like "not satisfied".
    service = FeedbackService(db, load_settings(environ={}, dotenv=None))
    text = "Hồ sơ trả chậm mà không được báo trước."
    draft = Draft("telegram", "u9", "u9", "cham_tre", agency, text, dossier_code=ds[5].code)
    await service.submit(draft, at(13))
    [row] = await decision_766(db, *MARCH)
    assert row.complaint_or_unsatisfied == 2
    assert (row.rate, row.points) == pytest.approx((0.60, 12.0))
    assert await decision_766(db, *MARCH, agency="18496") == []
    assert await decision_766(db, *MARCH, agency=agency) == [row]


async def test_an_apology_counts_as_late(db):
    [d] = await add_returned(db, "18532", 1)
    async with db.transaction() as conn:
        await conn.execute("UPDATE dossiers SET status = 4 WHERE code = ?", (d.code,))
        await record_apology(conn, d.code, "Chờ xác minh", at(20), actor="7", now=at(8))
        await set_status(conn, d.code, 10, actor="7", now=at(12))
    [row] = await decision_766(db, *MARCH)
    assert (row.overdue, row.late, row.on_time_share, row.rate) == (1, 1, 0.0, 0.0)


def test_766_rate_is_floored_and_points_capped():
    full = Row766.build("x", "2026-03", 10, 0, 0, 0, 0, target=0.9, max_points=18)
    assert (full.rate, full.points) == (1.0, 18.0)
    at_target = Row766.build("x", "2026-03", 10, 1, 0, 1, 0, target=0.9, max_points=18)
    assert at_target.points == pytest.approx(18.0)
    worst = Row766.build("x", "2026-03", 10, 8, 0, 8, 5, target=0.9, max_points=18)
    assert (worst.rate, worst.points) == (0.0, 0.0)
    assert Row766.build("x", "2026-03", 0, 0, 0, 0, 0, 0.9, 18).rate is None


async def test_table_and_json(db):
    ds = await add_returned(db, "18496", 4)
    await rate_all(db, ds, ["hai_long", "hai_long", "hai_long", "khong_hai_long"], at(12))
    rows = await satisfaction(db, *MARCH)
    text = format_table(rows)
    header, line = text.splitlines()
    assert header.split()[:3] == ["Mã", "Tháng", "Đánh"]
    assert "18496" in line and "75.0%" in line and len(header) == len(line)
    assert to_json(rows)[0]["rate"] == 0.75 and to_json(rows)[0]["month"] == "2026-03"
    assert "Tỷ lệ" in format_table(await decision_766(db, *MARCH))
    assert format_table([]) == "(không có số liệu)"


# -- alerts --------------------------------------------------------------------------------


async def test_alert_fires_once_per_crossing(db):
    names = {"18496": "UBND xã Hương Khê"}
    first = await add_returned(db, "18496", 20, returned=at(18, month=2))
    await rate_all(db, first, ["hai_long"] * 17 + ["khong_hai_long"] * 3, at(20, month=2))
    few = await add_returned(db, "18502", 19, returned=at(18, month=2))
    await rate_all(db, few, ["khong_hai_long"] * 19, at(20, month=2))

    async def check(day):
        return await check_rate_alerts(
            db, at(day, 1), leaders_chat_id=-100123, names=names, min_ratings=20
        )

    assert await check(1) == ["18496"]  # 17/20 = 85%: below
    assert await check(1) == []  # run twice the same day
    assert await check(2) == []  # still below: nothing new
    more = await add_returned(db, "18496", 20, start=20, returned=at(1, 12))
    await rate_all(db, more, ["rat_hai_long"] * 20, at(2, 12))
    assert await check(3) == []  # 37/40 = 92.5%: recovered
    worse = await add_returned(db, "18496", 10, start=40, returned=at(2, 12))
    await rate_all(db, worse, ["khong_hai_long"] * 10, at(3, 12))
    assert await check(4) == ["18496"]  # 37/50 = 74%: below again

    rows = await db.fetchall("SELECT chat_id, text, dedupe_key FROM outbox ORDER BY id")
    keys = [r[2] for r in rows]
    assert keys == [
        "rate-below:18496:2026-03-01",
        "rate-recovered:18496:2026-03-03",
        "rate-below:18496:2026-03-04",
    ]
    assert all(r[0] == "-100123" for r in rows)
    assert "UBND xã Hương Khê" in rows[0][1] and "85,0%" in rows[0][1] and "17/20" in rows[0][1]
    assert "90%" in rows[0][1]


# -- report --------------------------------------------------------------------------------


class StrictParser(HTMLParser):
    """Fails on a closing tag that does not match the open one; collects the text."""

    VOID = {"meta", "br", "img", "link", "hr", "input"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


async def seed_report(db):
    ds = await add_returned(db, "18496", 20)
    await rate_all(db, ds, ["hai_long"] * 17 + ["khong_hai_long"] * 3, at(15))
    async with db.transaction() as conn:
        await Ratings(db).comment(conn, ds[0].code, COMMENT, now=at(15))
    return ds


async def test_report_html_has_no_personal_data_and_parses(db, tmp_path):
    ds = await seed_report(db)
    agencies = {"18496": "UBND xã Hương Khê", "18502": 'Xã <b>"Thử"</b> & Co'}
    extra = "<section><h2>Trả lời phản ánh</h2><p>Đã công khai 3 trả lời.</p></section>"
    path = await write_report(
        db, tmp_path / "out" / "report.html", "html", *MARCH, agencies,
        extra_sections=[extra], chart=False, now=at(31, 12),
    )  # fmt: skip
    page = path.read_text(encoding="utf-8")
    for secret in (PHONE, NAME, COMMENT, "0912", *(d.code for d in ds), "H42-260301"):
        assert secret not in page
    parser = StrictParser()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    assert ("html", {"lang": "vi"}) in parser.tags
    assert any(t == "meta" and a.get("name") == "viewport" for t, a in parser.tags)
    assert not any(t in ("script", "link") for t, _ in parser.tags)
    assert not any((a.get("src") or "").startswith("http") for _, a in parser.tags)
    text = " ".join(parser.text)
    assert "UBND xã Hương Khê" in text and "85,0%" in text and "64,0–94,8%" in text
    assert "Chưa đạt" in text and 'Xã <b>"Thử"</b> & Co' in text  # escaped: shown as text
    assert "&lt;b&gt;" in page and "Đã công khai 3 trả lời." in page
    assert "Chưa có đánh giá trong kỳ" in text


async def test_report_embeds_the_chart_when_matplotlib_is_there(db, tmp_path):
    pytest.importorskip("matplotlib")
    await seed_report(db)
    path = await write_report(db, tmp_path / "r.html", "html", *MARCH, {"18496": "Hương Khê"},
                              now=at(31, 12))  # fmt: skip
    assert 'src="data:image/png;base64,iVBORw0KGgo' in path.read_text(encoding="utf-8")


async def test_report_csv_columns(db, tmp_path):
    await seed_report(db)
    path = await write_report(db, tmp_path / "r.csv", "csv", *MARCH, {"18496": "Hương Khê"},
                              now=at(31, 12))  # fmt: skip
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames) == CSV_COLUMNS
        [row] = list(reader)
    assert row["agency_name"] == "Hương Khê" and row["month"] == "2026-03"
    assert (row["ratings"], row["satisfied"], row["returned"]) == ("20", "17", "20")
    assert row["satisfaction_rate"] == "0.8500" and row["ci95_low"] == "0.6396"
    # 3 unsatisfied of 20 returned, none late: 85%, 85/90 × 18 = 17 points.
    assert row["rate_766"] == "0.8500" and row["points_766"] == "17.0000"
    assert PHONE not in path.read_text(encoding="utf-8-sig")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_chart_png():
    pytest.importorskip("matplotlib")
    from bot.ratings.chart import monthly_chart_png
    from bot.ratings.stats import SatisfactionRow

    rows = [
        SatisfactionRow.build(code, f"2026-{m:02d}", 40, 40 - m - i, 50)
        for i, code in enumerate(("18496", "18502"))
        for m in range(1, 7)
    ]
    png = monthly_chart_png(rows, {"18496": "UBND xã Hương Khê", "18502": "UBND xã Hà Linh"})
    assert png_size(png) == (900, 600) and len(png) > 10_000
