"""Satisfaction and Decision-766 figures per agency and month, from the store's counts.

Months are local calendar months (the deployment's time zone), each turned
into a UTC [lo, hi) range; bot/store/stats.py counts each (key, month) cell as
an index range, so a year over a million ratings takes a few tenths of a
second (bench/stats.py). Printing is in stats_table.py.

- A rating counts in the month of its `rated_at` (the latest choice of level).
- A dossier counts as returned in the month it reached status 10: its
  `status_at` while status = 10. (Not the events: an import of an already
  returned dossier writes a 'created' event dated at receipt.)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from bot.clock import stamp
from bot.ratings.figures import Row766, SatisfactionRow, wilson
from bot.ratings.model import LEVELS, SATISFIED
from bot.ratings.stats_table import format_table, to_json
from bot.store import Database
from bot.store import stats as store

__all__ = [
    "DEFAULT_TZ",
    "MAX_POINTS_766",
    "MIN_RATINGS",
    "TARGET",
    "Row766",
    "SatisfactionRow",
    "answer_feedback",
    "decision_766",
    "format_table",
    "month_ranges",
    "rating_counts",
    "satisfaction",
    "to_json",
    "wilson",
]

DEFAULT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TARGET = 0.90
MIN_RATINGS = 20  # below this, a rate is "too few ratings", not a figure to judge by
MAX_POINTS_766 = 18.0  # the satisfaction criterion of Decision 766's 100-point index
# Rating key → its column (each leads an index of the migration); returned dossiers have no
# field of their own: they are counted per procedure and mapped through the catalog.
_RATING_KEY = {"agency": "agency_code", "procedure": "procedure_code", "field": "field"}
_DOSSIER_KEY = {"agency": "agency_code", "procedure": "procedure_code", "field": "procedure_code"}
_UNSATISFIED = tuple(level for level in LEVELS if level not in SATISFIED)
_SATISFIED = tuple(level for level in LEVELS if level in SATISFIED)


def month_ranges(start: date, end: date, tz: tzinfo | None = None) -> list[tuple[str, str, str]]:
    """("YYYY-MM", lo, hi) per local month meeting [start, end] (both days included).

    lo/hi are UTC stamps; the first and last months are cut to the period.
    """
    tz = tz or DEFAULT_TZ
    out = []
    stop = end + timedelta(days=1)
    day = start
    while day < stop:
        next_month = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        hi = min(next_month, stop)
        out.append(
            (
                f"{day:%Y-%m}",
                stamp(datetime.combine(day, time(), tzinfo=tz)),
                stamp(datetime.combine(hi, time(), tzinfo=tz)),
            )
        )
        day = hi
    return out


async def rating_counts(
    db: Database,
    ranges: Sequence[tuple[str, str, str]],
    key: str = "agency",
    agency: str | None = None,
) -> dict[tuple[str | None, str], tuple[int, int]]:
    """(key value, range label) → (ratings, satisfied) for ratings with lo <= rated_at < hi.

    Cells with no rating are left out.
    """
    column = _RATING_KEY[key]
    by_agency = agency is not None and key == "agency"
    keys = [agency] if by_agency else await store.distinct(db, "ratings", column)
    rows = await store.rating_cells(
        db, column, keys, ranges, _UNSATISFIED, _SATISFIED, None if by_agency else agency
    )
    return {
        (r["key"], r["month"]): (r["unsatisfied"] + r["satisfied"], r["satisfied"])
        for r in rows
        if r["unsatisfied"] or r["satisfied"]
    }


async def _returned_counts(
    db: Database, ranges: Sequence, key: str, agency: str | None, late: bool = False
) -> dict[tuple[str, str], tuple[int, int]]:
    """(key value, month) → (returned, late) for dossiers returned in the ranges.

    `late` (after the appointment, or apologised for) is counted per agency only.
    """
    if late and key != "agency":
        raise ValueError("late returns are counted per agency")
    column = _DOSSIER_KEY[key]
    by_agency = agency is not None and key == "agency"
    keys = [agency] if by_agency else await store.distinct(db, "dossiers", column, "status = 10")
    rows = await store.returned_cells(db, column, keys, ranges, None if by_agency else agency, late)
    return {(r["key"], r["month"]): (r["returned"], r["late"]) for r in rows if r["returned"]}


async def satisfaction(
    db: Database,
    start: date,
    end: date,
    agency: str | None = None,
    tz: tzinfo | None = None,
    by: tuple[str, str] = ("agency", "month"),
) -> list[SatisfactionRow]:
    """Ratings, satisfied, rate (95% interval), returned and response rate per key and month.

    by = ("agency" | "field" | "procedure", "month"). Procedures are grouped on
    their first 8 characters; a rating without a known field has key ''.
    Only keys and months with a rating or a returned dossier appear.
    """
    if len(by) != 2 or by[1] != "month" or by[0] not in _RATING_KEY:
        raise ValueError(f"by must be (agency|field|procedure, 'month'), not {by!r}")
    kind = by[0]
    ranges = month_ranges(start, end, tz)
    counts: dict[tuple[str, str], list[int]] = {}

    def group(value: str | None) -> str:
        if kind == "procedure":
            return value[:8]
        return value or ""

    for (value, month), (n, k) in (await rating_counts(db, ranges, kind, agency)).items():
        cell = counts.setdefault((group(value), month), [0, 0, 0])
        cell[0] += n
        cell[1] += k
    to_field = await store.fields_by_code8(db) if kind == "field" else None
    for (value, month), (n, _late) in (await _returned_counts(db, ranges, kind, agency)).items():
        key = to_field.get(value[:8], "") if to_field is not None else group(value)
        counts.setdefault((key, month), [0, 0, 0])[2] += n
    return [
        SatisfactionRow.build(key, month, n, k, ret)
        for (key, month), (n, k, ret) in sorted(counts.items())
    ]


async def _has_feedback_table(db: Database) -> bool:
    """The feedback feature may not have landed yet: count its tickets only if it has."""
    return await store.has_feedback_table(db)


async def decision_766(
    db: Database,
    start: date,
    end: date,
    agency: str | None = None,
    tz: tzinfo | None = None,
    target: float = TARGET,
    max_points: float = MAX_POINTS_766,
    now: datetime | None = None,
) -> list[Row766]:
    """Decision 766 satisfaction rate and points per agency and month of return.

    Returned and late-returned dossiers are index range counts; the dossiers
    asked for more documents more than once, and the unsatisfied or
    complained-about ones (a minority), are looked up one by one. Dossiers still
    open past their appointment (before `now`) count against the on-time share of
    the month their appointment fell in.
    """
    ranges = month_ranges(start, end, tz)
    cells = await _returned_counts(db, ranges, "agency", agency, late=True)
    still_open = await _open_overdue(db, ranges, agency, now or datetime.now(UTC))
    asked = await store.asked_again(db, ranges, agency)
    unsatisfied = await store.complained(db, ranges, agency, await _has_feedback_table(db))
    extra = {(r["agency_code"], r["month"]): [r["n"], r["late"], 0] for r in asked}
    for r in unsatisfied:
        extra.setdefault((r["agency_code"], r["month"]), [0, 0, 0])[2] = r["n"]
    rows = []
    for key in sorted(set(cells) | set(still_open)):
        a, month = key
        returned, overdue = cells.get(key, (0, 0))
        asked_again, asked_and_overdue, unsat = extra.get(key, (0, 0, 0))
        late = overdue + asked_again - asked_and_overdue
        rows.append(
            Row766.build(
                a,
                month,
                returned,
                overdue,
                asked_again,
                late,
                unsat,
                target,
                max_points,
                still_open.get(key, 0),
            )  # fmt: skip
        )
    return rows


async def _open_overdue(
    db: Database, ranges: Sequence, agency: str | None, now: datetime
) -> dict[tuple[str, str], int]:
    """(agency, month of the appointment) → dossiers still open after it (before `now`)."""
    high = min(ranges[-1][2], stamp(now))
    rows = await store.open_overdue(db, ranges, agency, high)
    return {(r["agency_code"], r["month"]): r["n"] for r in rows}


async def answer_feedback(
    db: Database, start: date, end: date, tz: tzinfo | None = None
) -> list[tuple[str, int, int]]:
    """👍/👎 on the bot's procedure answers: (procedure code8, votes, helpful), most votes first."""
    ranges = month_ranges(start, end, tz)
    return [
        (r["code8"], r["votes"], r["helpful"])
        for r in await store.answer_votes(db, ranges[0][1], ranges[-1][2])
    ]


# Printing, for `motcua stats` (kept importable from here).
