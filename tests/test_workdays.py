"""Working-day calendar: lunar conversion, holidays, nghỉ bù, swaps and counting."""

import json
import time
from datetime import date, datetime, timedelta

import pytest

from bot.workdays import (
    WorkCalendar,
    WorkdaysConfig,
    WorkdaysConfigError,
    default_calendar,
    load_config,
    lunar_to_solar,
    solar_to_lunar,
)
from bot.workdays.holidays import public_holidays

PLAIN = WorkCalendar(config=WorkdaysConfig())  # the law alone, no government swaps


@pytest.mark.parametrize(
    ("year", "tet"),
    [
        (2024, date(2024, 2, 10)),
        (2025, date(2025, 1, 29)),
        (2026, date(2026, 2, 17)),
        (2027, date(2027, 2, 6)),
        (1985, date(1985, 1, 21)),
        (2007, date(2007, 2, 17)),
    ],
)
def test_tet_nguyen_dan(year, tet):
    # 1985 and 2007 are years where Vietnam's (UTC+7) Tết differs from China's
    assert lunar_to_solar(1, 1, year) == tet
    assert solar_to_lunar(tet) == (1, 1, year, False)


def test_gio_to_hung_vuong():
    assert lunar_to_solar(10, 3, 2025) == date(2025, 4, 7)
    assert lunar_to_solar(10, 3, 2026) == date(2026, 4, 26)


def test_leap_months():
    assert solar_to_lunar(date(2023, 3, 22)) == (1, 2, 2023, True)
    assert lunar_to_solar(1, 6, 2025, leap=True) == date(2025, 7, 25)
    with pytest.raises(ValueError):
        lunar_to_solar(1, 5, 2025, leap=True)  # 2025's leap month is the 6th
    with pytest.raises(ValueError):
        lunar_to_solar(1, 1, 2026, leap=True)  # 2026 has no leap month


def test_lunar_round_trip_2000_2100_is_fast():
    started = time.perf_counter()
    d, end = date(2000, 1, 1), date(2100, 12, 31)
    while d <= end:
        assert lunar_to_solar(*solar_to_lunar(d)) == d
        d += timedelta(days=7)
    assert time.perf_counter() - started < 2


def test_every_lunar_month_has_29_or_30_days():
    d, prev = date(2000, 1, 1), None
    starts = []
    while d < date(2101, 1, 1):
        day = solar_to_lunar(d)[0]
        if day == 1:
            starts.append(d)
        assert prev is None or day in (prev + 1, 1)
        prev, d = day, d + timedelta(days=1)
    assert {(b - a).days for a, b in zip(starts, starts[1:], strict=False)} == {29, 30}


def test_tet_2026_span():
    tet = {d for d, n in PLAIN.holidays(2026).items() if n == "Tết Nguyên đán"}
    assert tet == {date(2026, 2, 16) + timedelta(days=i) for i in range(5)}
    assert not any(PLAIN.is_working_day(d) for d in tet)
    assert PLAIN.is_working_day(date(2026, 2, 13)) and PLAIN.is_working_day(date(2026, 2, 23))


def test_solar_holidays_2026():
    cal = default_calendar()
    for d in (date(2026, 1, 1), date(2026, 4, 30), date(2026, 5, 1), date(2026, 9, 2)):
        assert not cal.is_working_day(d)
    assert cal.holidays(2026)[date(2026, 4, 30)] == "Ngày Giải phóng miền Nam"
    assert cal.holidays(2026)[date(2026, 5, 1)] == "Quốc tế Lao động"
    assert cal.holidays(2026)[date(2026, 1, 1)] == "Tết Dương lịch"
    assert cal.holidays(2026)[date(2026, 4, 26)] == "Giỗ Tổ Hùng Vương"


def test_national_day_adjacent(tmp_path):
    assert PLAIN.holidays(2026)[date(2026, 9, 1)] == "Quốc khánh"  # default: the day before
    assert PLAIN.is_working_day(date(2026, 9, 3))
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"national_day_adjacent": {"default": "after", "2025": "before"}}))
    cal = WorkCalendar(path)
    assert cal.is_working_day(date(2026, 9, 1)) and not cal.is_working_day(date(2026, 9, 3))
    assert not cal.is_working_day(date(2025, 9, 1)) and cal.is_working_day(date(2025, 9, 3))


def test_nghi_bu():
    h = PLAIN.holidays(2028)
    assert date(2028, 1, 1).weekday() == 5 and h[date(2028, 1, 1)] == "Tết Dương lịch"
    assert h[date(2028, 1, 3)] == "Nghỉ bù Tết Dương lịch"
    assert not PLAIN.is_working_day(date(2028, 1, 3))
    # 30/4/2028 is a Sunday and 1/5 a holiday already: the day off moves to Tuesday 2/5
    assert h[date(2028, 5, 2)] == "Nghỉ bù Ngày Giải phóng miền Nam"
    # Giỗ Tổ 2026 is a Sunday
    assert PLAIN.holidays(2026)[date(2026, 4, 27)] == "Nghỉ bù Giỗ Tổ Hùng Vương"
    # Tết 2024: mùng 1 and 2 on the weekend, compensated after the five days
    assert {d for d, n in public_holidays(2024).items() if n == "Nghỉ bù Tết Nguyên đán"} == {
        date(2024, 2, 14),
        date(2024, 2, 15),
    }


def test_add_working_days():
    friday = date(2026, 3, 6)
    assert PLAIN.add_working_days(friday, 1) == date(2026, 3, 9)  # over the weekend
    assert PLAIN.add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)  # received Saturday
    assert PLAIN.add_working_days(datetime(2026, 3, 9, 16, 30), 5) == date(2026, 3, 16)
    assert PLAIN.add_working_days(friday, 0) == friday
    assert PLAIN.add_working_days(date(2026, 3, 9), -1) == friday
    # received the Thursday before Tết 2026: Fri 13/2, then Mon 23/2 and Tue 24/2
    assert PLAIN.add_working_days(date(2026, 2, 12), 3) == date(2026, 2, 24)


def test_working_days_between():
    a = date(2026, 2, 12)
    assert PLAIN.working_days_between(a, a) == 0
    assert PLAIN.working_days_between(a, date(2026, 2, 24)) == 3
    assert PLAIN.working_days_between(date(2026, 2, 24), a) == -3
    assert PLAIN.working_days_between(date(2026, 3, 6), date(2026, 3, 8)) == 0  # weekend only
    for n in range(0, 40):
        assert PLAIN.working_days_between(a, PLAIN.add_working_days(a, n)) == n


def test_config_swaps(tmp_path):
    path = tmp_path / "workdays.json"
    path.write_text(
        json.dumps(
            {
                "_note": "test",
                "extra_days_off": ["2026-05-04", {"date": "2026-11-24", "name": "Ngày Văn hóa"}],
                "make_up_working_days": ["2026-05-09", "2026-04-27"],
            }
        )
    )
    cal = WorkCalendar(path)
    assert not cal.is_working_day(date(2026, 5, 4))
    assert cal.holidays(2026)[date(2026, 11, 24)] == "Ngày Văn hóa"
    assert cal.is_working_day(date(2026, 5, 9))  # a Saturday worked
    assert cal.is_working_day(date(2026, 4, 27)) and date(2026, 4, 27) not in cal.holidays(2026)
    assert cal.add_working_days(date(2026, 5, 1), 1) == date(2026, 5, 5)


def test_default_file_2025_swaps():
    cal = default_calendar()
    assert cal is default_calendar()
    assert not cal.is_working_day(date(2025, 5, 2))
    assert cal.is_working_day(date(2025, 4, 26))  # Saturday worked for 2/5
    off = [d for d in (date(2025, 1, 27) + timedelta(days=i) for i in range(5))]
    assert not any(cal.is_working_day(d) for d in off) and cal.is_working_day(date(2025, 2, 3))


@pytest.mark.parametrize(
    "body",
    [
        '{"extra_days_off": ["2026-13-01"]}',
        '{"national_day_adjacent": "both"}',
        "[]",
        "{",
        '{"extra_days_off": ["2026-05-04"], "make_up_working_days": ["2026-05-04"]}',
    ],
)
def test_bad_config(tmp_path, body):
    path = tmp_path / "w.json"
    path.write_text(body)
    with pytest.raises(WorkdaysConfigError):
        load_config(path)


def test_missing_config(tmp_path):
    with pytest.raises(WorkdaysConfigError):
        WorkCalendar(tmp_path / "nope.json")
