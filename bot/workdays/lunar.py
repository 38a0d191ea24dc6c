"""Vietnamese lunar calendar (âm lịch), computed rather than tabulated.

Hồ Ngọc Đức's algorithm: astronomical new moons and solar terms (after Meeus),
evaluated in Vietnam's time zone (UTC+7). The time zone matters: Vietnam's and
China's calendars differ in a few years (e.g. Tết 1985). Accurate for 1800–2199,
so well beyond the 2000–2100 the bot needs; no table to keep up to date.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import lru_cache

TIMEZONE = 7.0  # hours east of UTC: Vietnam
_JD_OFFSET = 1721425  # Julian day number minus date.toordinal()
_EPOCH = 2415021.076998695  # a new moon (1900-01-01) used to number lunations
_SYNODIC = 29.530588853  # mean length of a lunation in days
_RAD = math.pi / 180


def _jdn(d: date) -> int:
    return d.toordinal() + _JD_OFFSET


def _from_jdn(jdn: int) -> date:
    return date.fromordinal(jdn - _JD_OFFSET)


def _new_moon(k: int) -> float:
    """Julian date (UTC) of the k-th new moon after 1900-01-01."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * _RAD)
    m = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * _RAD
    mpr = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * _RAD
    f = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * _RAD
    c1 = (0.1734 - 0.000393 * t) * math.sin(m) + 0.0021 * math.sin(2 * m)
    c1 += -0.4068 * math.sin(mpr) + 0.0161 * math.sin(2 * mpr) - 0.0004 * math.sin(3 * mpr)
    c1 += 0.0104 * math.sin(2 * f) - 0.0051 * math.sin(m + mpr)
    c1 += -0.0074 * math.sin(m - mpr) + 0.0004 * math.sin(2 * f + m)
    c1 += -0.0004 * math.sin(2 * f - m) - 0.0006 * math.sin(2 * f + mpr)
    c1 += 0.0010 * math.sin(2 * f - mpr) + 0.0005 * math.sin(2 * mpr + m)
    if t < -11:
        deltat = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        deltat = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - deltat


@lru_cache(maxsize=4096)
def _new_moon_day(k: int) -> int:
    """Julian day number of the local (UTC+7) day holding the k-th new moon."""
    return math.floor(_new_moon(k) + 0.5 + TIMEZONE / 24)


def _sun_sector(jdn: int) -> int:
    """Which 30° sector (0–11) of ecliptic longitude the sun is in at local midnight."""
    t = (jdn - 0.5 - TIMEZONE / 24 - 2451545.0) / 36525
    t2 = t * t
    m = (357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2) * _RAD
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(m)
    dl += (0.019993 - 0.000101 * t) * math.sin(2 * m) + 0.000290 * math.sin(3 * m)
    lon = (l0 + dl) * _RAD
    lon -= 2 * math.pi * math.floor(lon / (2 * math.pi))
    return math.floor(lon / math.pi * 6)


@lru_cache(maxsize=512)
def _month11_start(year: int) -> int:
    """JDN of the first day of lunar month 11 (the one holding the winter solstice)."""
    off = _jdn(date(year, 12, 31)) - 2415021
    k = math.floor(off / _SYNODIC)
    start = _new_moon_day(k)
    if _sun_sector(start) >= 9:
        start = _new_moon_day(k - 1)
    return start


@lru_cache(maxsize=512)
def _leap_month_offset(a11: int) -> int:
    """Offset after month 11 of the first month with no solar term (the leap month)."""
    k = math.floor((a11 - _EPOCH) / _SYNODIC + 0.5)
    i = 1
    arc = _sun_sector(_new_moon_day(k + i))
    while True:
        last = arc
        i += 1
        arc = _sun_sector(_new_moon_day(k + i))
        if arc == last or i >= 14:
            return i - 1


def solar_to_lunar(d: date) -> tuple[int, int, int, bool]:
    """Gregorian date -> (lunar day, lunar month, lunar year, is leap month)."""
    day_number = _jdn(d)
    # the mean lunation only estimates k: the true new moon can be a day off it
    # (the published algorithm checks one step only, giving "day 0" on 2054-05-07)
    k = math.floor((day_number - _EPOCH) / _SYNODIC) + 1
    while _new_moon_day(k) > day_number:
        k -= 1
    while _new_moon_day(k + 1) <= day_number:
        k += 1
    month_start = _new_moon_day(k)
    a11 = _month11_start(d.year)
    b11 = a11
    if a11 >= month_start:
        lunar_year = d.year
        a11 = _month11_start(d.year - 1)
    else:
        lunar_year = d.year + 1
        b11 = _month11_start(d.year + 1)
    lunar_day = day_number - month_start + 1
    diff = (month_start - a11) // 29
    leap = False
    lunar_month = diff + 11
    if b11 - a11 > 365:  # 13-month year: months after the leap one shift by one
        leap_diff = _leap_month_offset(a11)
        if diff >= leap_diff:
            lunar_month = diff + 10
            leap = diff == leap_diff
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return lunar_day, lunar_month, lunar_year, leap


def lunar_to_solar(day: int, month: int, year: int, leap: bool = False) -> date:
    """Lunar date -> Gregorian date; ValueError if that lunar date does not exist."""
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"invalid lunar date {day}/{month}/{year}")
    if month < 11:
        a11, b11 = _month11_start(year - 1), _month11_start(year)
    else:
        a11, b11 = _month11_start(year), _month11_start(year + 1)
    k = math.floor(0.5 + (a11 - _EPOCH) / _SYNODIC)
    off = (month - 11) % 12
    if b11 - a11 > 365:
        leap_off = _leap_month_offset(a11)
        leap_month = (leap_off - 2) % 12
        if leap and month != leap_month:
            raise ValueError(f"lunar year {year} has no leap month {month}")
        if leap or off >= leap_off:
            off += 1
    elif leap:
        raise ValueError(f"lunar year {year} has no leap month")
    start = _new_moon_day(k + off)
    if day > _new_moon_day(k + off + 1) - start:
        raise ValueError(f"lunar month {month}/{year} has fewer than {day} days")
    return _from_jdn(start + day - 1)


def lunar_new_year(year: int) -> date:
    """Mùng 1 Tết of the lunar year that starts in Gregorian `year`."""
    return lunar_to_solar(1, 1, year)


def lunar_year_end(year: int) -> date:
    """Last day (29 or 30 tháng Chạp) of the lunar year ending in Gregorian `year`."""
    return lunar_new_year(year) - timedelta(days=1)
