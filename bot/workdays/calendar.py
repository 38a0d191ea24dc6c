"""Working days (ngày làm việc) for dossier due dates and "còn / quá hạn N ngày".

Weekends and public holidays (``holidays.py``) are off; the government's yearly
swaps come from a JSON file so they can be updated without code:

    {"extra_days_off": ["2025-05-02"], "make_up_working_days": ["2025-04-26"],
     "national_day_adjacent": "before"}

``national_day_adjacent`` may also be {"default": "before", "2024": "after"}.
An extra day off may be {"date": "...", "name": "..."} to name it. A make-up
working day is a working day whatever else says (a Saturday worked in a swap,
or a model day off that the government placed elsewhere).

Counting rule: a time limit of n working days starts on the working day after
the day the dossier is received (Civil Code 2015 art. 147: the first day of a
period counted in days is not counted), so the time of receipt never matters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from .holidays import SIDES, public_holidays

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "workdays.json"
EXTRA_DAY_OFF = "Ngày nghỉ theo thông báo của Chính phủ"


class WorkdaysConfigError(ValueError):
    """The workdays file is missing or malformed."""


@dataclass(frozen=True)
class WorkdaysConfig:
    extra_days_off: dict[date, str] = field(default_factory=dict)
    make_up_working_days: frozenset[date] = frozenset()
    national_day_adjacent: dict[str, str] = field(default_factory=lambda: {"default": "before"})

    def adjacent_side(self, year: int) -> str:
        sides = self.national_day_adjacent
        return sides.get(str(year), sides.get("default", "before"))


def _parse_day(value: object, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise WorkdaysConfigError(f"{where}: not a YYYY-MM-DD date: {value!r}") from None


def load_config(path: str | Path = DEFAULT_PATH) -> WorkdaysConfig:
    """Read and validate a workdays JSON file (keys starting with "_" are comments)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WorkdaysConfigError(f"cannot read {path}: {exc}") from None
    if not isinstance(data, dict):
        raise WorkdaysConfigError(f"{path}: expected a JSON object")
    extra: dict[date, str] = {}
    for item in data.get("extra_days_off", []):
        if isinstance(item, dict):
            extra[_parse_day(item.get("date"), str(path))] = str(item.get("name") or EXTRA_DAY_OFF)
        else:
            extra[_parse_day(item, str(path))] = EXTRA_DAY_OFF
    make_up = frozenset(_parse_day(v, str(path)) for v in data.get("make_up_working_days", []))
    if both := sorted(make_up & extra.keys()):
        raise WorkdaysConfigError(f"{path}: {both[0]} is both a day off and a working day")
    sides = data.get("national_day_adjacent", "before")
    sides = {"default": sides} if isinstance(sides, str) else sides
    if not isinstance(sides, dict) or any(v not in SIDES for v in sides.values()):
        raise WorkdaysConfigError(f"{path}: national_day_adjacent must be one of {SIDES}")
    return WorkdaysConfig(extra, make_up, {str(k): v for k, v in sides.items()})


def _as_date(d: date | datetime) -> date:
    return d.date() if isinstance(d, datetime) else d


class WorkCalendar:
    """Vietnam's working days under one configuration; holidays cached per year."""

    def __init__(self, path: str | Path | None = None, config: WorkdaysConfig | None = None):
        self.config = config if config is not None else load_config(path or DEFAULT_PATH)
        self._years: dict[int, dict[date, str]] = {}

    def holidays(self, year: int) -> dict[date, str]:
        """Named days off of `year` other than plain weekends, after the configured swaps."""
        if year not in self._years:
            days = public_holidays(year, self.config.adjacent_side(year))
            days.update((d, n) for d, n in self.config.extra_days_off.items() if d.year == year)
            for d in self.config.make_up_working_days:
                days.pop(d, None)
            self._years[year] = dict(sorted(days.items()))
        return dict(self._years[year])

    def is_working_day(self, d: date | datetime) -> bool:
        d = _as_date(d)
        if d in self.config.make_up_working_days:
            return True
        if d.year not in self._years:
            self.holidays(d.year)
        return d.weekday() < 5 and d not in self._years[d.year]

    def add_working_days(self, start: date | datetime, n: int) -> date:
        """Due date of an n-working-day procedure received on `start` (n < 0: go back)."""
        d = _as_date(start)
        step = timedelta(days=1 if n >= 0 else -1)
        for _ in range(abs(n)):
            d += step
            while not self.is_working_day(d):
                d += step
        return d

    def working_days_between(self, a: date | datetime, b: date | datetime) -> int:
        """Working days after `a` up to and including `b`; negative when b < a.

        ``between(today, due)`` is "còn N ngày"; ``between(due, today)`` is "quá hạn N ngày".
        """
        a, b = _as_date(a), _as_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


@cache
def default_calendar() -> WorkCalendar:
    """The calendar configured by bot/data/workdays.json, built once."""
    return WorkCalendar()
