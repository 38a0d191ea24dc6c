"""Vietnam's statutory public holidays and their compensatory days (nghỉ bù).

Labour Code 2019 art. 112(1): 11 days a year. What the law fixes is modelled; what
the government decides each year (swaps, which day joins 2/9, the exact Tết
placement) is corrected by the config file read in ``calendar.py``.

Tết: the legal 5 days are modelled as the last day of the old lunar year
(29 or 30 tháng Chạp) plus mùng 1–4, the usual Prime Minister's placement.

Nghỉ bù: art. 111(3) — a holiday falling on the weekly rest day (Sat/Sun) is
compensated on the next working day. Every statutory holiday (solar, Tết and
Giỗ Tổ) on a weekend gets one, in date order, on the next weekday that is
neither a holiday nor already a compensatory day.
"""

from __future__ import annotations

from datetime import date, timedelta

from .lunar import lunar_to_solar, lunar_year_end

NEW_YEAR = "Tết Dương lịch"
TET = "Tết Nguyên đán"
HUNG_KINGS = "Giỗ Tổ Hùng Vương"
REUNIFICATION = "Ngày Giải phóng miền Nam"
LABOUR = "Quốc tế Lao động"
NATIONAL_DAY = "Quốc khánh"
COMPENSATORY = "Nghỉ bù"  # names are "Nghỉ bù <holiday>"

SIDES = ("before", "after")  # which day joins 2/9 (since 2021: 2/9 and 1/9 or 3/9)


def statutory_holidays(year: int, national_day_adjacent: str = "before") -> dict[date, str]:
    """The 11 legal holiday days of `year`, weekends included, by name."""
    if national_day_adjacent not in SIDES:
        raise ValueError(f"national_day_adjacent must be one of {SIDES}")
    days = {date(year, 1, 1): NEW_YEAR}
    tet_eve = lunar_year_end(year)
    for i in range(5):
        days[tet_eve + timedelta(days=i)] = TET
    days[lunar_to_solar(10, 3, year)] = HUNG_KINGS
    days[date(year, 4, 30)] = REUNIFICATION
    days[date(year, 5, 1)] = LABOUR
    days[date(year, 9, 2)] = NATIONAL_DAY
    days[date(year, 9, 1 if national_day_adjacent == "before" else 3)] = NATIONAL_DAY
    return dict(sorted(days.items()))


def compensatory_days(holidays: dict[date, str]) -> dict[date, str]:
    """Nghỉ bù for each holiday on a weekend (art. 111(3)), by holiday name."""
    taken: dict[date, str] = {}
    for day, name in sorted(holidays.items()):
        if day.weekday() < 5:
            continue
        d = day + timedelta(days=1)
        while d.weekday() >= 5 or d in holidays or d in taken:
            d += timedelta(days=1)
        taken[d] = f"{COMPENSATORY} {name}"
    return taken


def public_holidays(year: int, national_day_adjacent: str = "before") -> dict[date, str]:
    """Statutory holidays plus their compensatory days, in date order."""
    days = statutory_holidays(year, national_day_adjacent)
    days.update(compensatory_days(days))
    return dict(sorted(days.items()))
