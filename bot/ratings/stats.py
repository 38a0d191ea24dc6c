"""Satisfaction and Decision-766 figures per agency and month, as SQL aggregates.

Months are local calendar months (the deployment's time zone), each turned
into a UTC [lo, hi) range. Rather than GROUP BY (which sorts every row), each
(key, month) cell is an index range count — the keys are found by hopping
from one distinct value to the next on the same index — so a year over a
million ratings takes a few tenths of a second (bench/stats.py); the
migration's indexes are what make the counts covering.

- A rating counts in the month of its `rated_at` (the latest choice of level).
- A dossier counts as returned in the month it reached status 10: its
  `status_at` while status = 10. (Not the events: an import of an already
  returned dossier writes a 'created' event dated at receipt.)
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from math import sqrt
from zoneinfo import ZoneInfo

from bot.clock import stamp
from bot.ratings.model import LEVELS, SATISFIED
from bot.store import Database

DEFAULT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TARGET = 0.90
MIN_RATINGS = 20  # below this, a rate is "too few ratings", not a figure to judge by
MAX_POINTS_766 = 18.0  # the satisfaction criterion of Decision 766's 100-point index
# Rating key → its column (each leads an index of the migration); returned dossiers have no
# field of their own: they are counted per procedure and mapped through the catalog.
_RATING_KEY = {"agency": "agency_code", "procedure": "procedure_code", "field": "field"}
_DOSSIER_KEY = {"agency": "agency_code", "procedure": "procedure_code", "field": "procedure_code"}
_UNSATISFIED_SQL = ", ".join(f"'{level}'" for level in LEVELS if level not in SATISFIED)
_SATISFIED_SQL = ", ".join(f"'{level}'" for level in LEVELS if level in SATISFIED)
# Every (key, month) cell: keys k(v) and months m(month, lo, hi), both passed as JSON.
_CELLS = (
    "WITH k(v) AS (SELECT value FROM json_each(?)),"
    " m(month, lo, hi) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),"
    " json_extract(value, '$[2]') FROM json_each(?))"
)
_LATE_SQL = "(d.status_at > d.due_at OR d.apologized_due_at IS NOT NULL)"  # as in the index


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson score interval for k successes in n (95% with z=1.96); None when n = 0.

    None rather than (0, 0): with no ratings there is no estimate, and a
    (0, 0) would read as "certainly nobody satisfied".
    """
    if n <= 0:
        return None
    p = k / n
    z2 = z * z
    denominator = 1 + z2 / n
    center = (p + z2 / (2 * n)) / denominator
    margin = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, center - margin), min(1.0, center + margin)


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


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


@dataclass(frozen=True, slots=True)
class SatisfactionRow:
    """Ratings of one agency (or field, or procedure) in one month."""

    key: str  # agency code, field name ('' when unknown) or 8-character procedure code
    month: str  # YYYY-MM, local
    ratings: int
    satisfied: int
    returned: int  # dossiers returned (status 10) that month
    rate: float | None
    low: float | None  # 95% Wilson interval of the rate
    high: float | None
    response_rate: float | None  # ratings / returned (can exceed 1: ratings lag returns)

    @classmethod
    def build(cls, key: str, month: str, ratings: int, satisfied: int, returned: int):
        interval = wilson(satisfied, ratings)
        low, high = interval if interval else (None, None)
        return cls(
            key, month, ratings, satisfied, returned, _ratio(satisfied, ratings), low, high,
            _ratio(ratings, returned),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Row766:
    """Decision 766's handling-satisfaction rate of one agency in one month.

    rate = 100% − (late share + complaint/unsatisfied share), floored at 0,
    both shares over the dossiers returned that month (a dossier late *and*
    unsatisfied counts in both, as the portal's formula reads). Late: returned
    after its appointment, or given an apology (a new appointment because the
    first was missed), or asked for more documents more than once.
    points = min(rate, 90%) × max_points / 90%.
    """

    agency_code: str
    month: str
    returned: int
    overdue: int  # after the appointment, or with an apology
    asked_again: int  # more than one request for more documents
    late: int  # overdue or asked_again (each dossier once)
    complaint_or_unsatisfied: int
    rate: float | None
    points: float | None
    max_points: float
    # (returned on time) / (returned + still open past their appointment): a dossier
    # left unfinished past its date is late too, not merely absent from the count.
    on_time_share: float | None
    open_overdue: int = 0  # still running, appointment (in this month) passed

    @classmethod
    def build(
        cls, agency, month, returned, overdue, asked, late, unsat, target, max_points,
        open_overdue=0,
    ):  # fmt: skip
        rate = points = on_time = None
        if returned:
            rate = max(0.0, 1.0 - late / returned - unsat / returned)
            points = min(rate, target) * max_points / target
        if returned or open_overdue:
            on_time = (returned - overdue) / (returned + open_overdue)
        return cls(
            agency, month, returned, overdue, asked, late, unsat, rate, points, max_points,
            on_time, open_overdue,
        )  # fmt: skip


async def _distinct(db: Database, table: str, column: str, where: str = "1") -> list:
    """The distinct values of an indexed column, one index seek each (NULL last, if any)."""
    rows = await db.fetchall(
        f"WITH RECURSIVE k(v) AS (SELECT MIN({column}) FROM {table} WHERE {where}"
        f" UNION ALL SELECT (SELECT MIN({column}) FROM {table} WHERE {where} AND {column} > k.v)"
        f" FROM k WHERE k.v IS NOT NULL) SELECT v FROM k WHERE v IS NOT NULL"
    )
    values = [r[0] for r in rows]
    if await db.fetchone(f"SELECT 1 FROM {table} WHERE {where} AND {column} IS NULL LIMIT 1"):
        values.append(None)
    return values


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
    keys = [agency] if agency is not None and key == "agency" else await _distinct(
        db, "ratings", column
    )  # fmt: skip
    where = "" if agency is None or key == "agency" else " AND r.agency_code = ?"
    cell = (
        f"(SELECT COUNT(*) FROM ratings r WHERE r.{column} IS k.v AND r.level IN ({{levels}})"
        f" AND r.rated_at >= m.lo AND r.rated_at < m.hi{where})"
    )
    rows = await db.fetchall(
        f"{_CELLS} SELECT k.v, m.month, {cell.format(levels=_UNSATISFIED_SQL)},"
        f" {cell.format(levels=_SATISFIED_SQL)} FROM k CROSS JOIN m",
        (json.dumps(keys), json.dumps(list(ranges)), *([agency] * 2 if where else [])),
    )
    return {(r[0], r[1]): (r[2] + r[3], r[3]) for r in rows if r[2] or r[3]}


async def _returned_counts(
    db: Database, ranges: Sequence, key: str, agency: str | None, late: bool = False
) -> dict[tuple[str, str], tuple[int, int]]:
    """(key value, month) → (returned, late) for dossiers returned in the ranges.

    `late` (after the appointment, or apologised for) is counted per agency only.
    """
    if late and key != "agency":
        raise ValueError("late returns are counted per agency")
    column = _DOSSIER_KEY[key]
    keys = [agency] if agency is not None and key == "agency" else await _distinct(
        db, "dossiers", column, "status = 10"
    )  # fmt: skip
    where = "" if agency is None or key == "agency" else " AND d.agency_code = ?"
    cell = (
        "(SELECT COUNT(*) FROM dossiers d {index} WHERE d.{column} = k.v AND d.status = 10"
        "{extra} AND d.status_at >= m.lo AND d.status_at < m.hi{where})"
    )
    returned = cell.format(index="", column=column, extra="", where=where)
    # The partial index of late returns: SQLite cannot tell it is the smaller one by itself.
    late_cell = "0"
    if late:
        late_cell = cell.format(
            index="INDEXED BY dossiers_returned_late", column=column, extra=f" AND {_LATE_SQL}",
            where=where,
        )  # fmt: skip
    filters = [agency] * ((2 if late else 1) if where else 0)
    rows = await db.fetchall(
        f"{_CELLS} SELECT k.v, m.month, {returned}, {late_cell} FROM k CROSS JOIN m",
        (json.dumps(keys), json.dumps(list(ranges)), *filters),
    )
    return {(r[0], r[1]): (r[2], r[3]) for r in rows if r[2]}


async def _fields_by_code8(db: Database) -> dict[str, str]:
    rows = await db.fetchall(
        "SELECT code8, MAX(field) FROM procedures WHERE field != '' GROUP BY code8"
    )
    return {r[0]: r[1] for r in rows}


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
    to_field = await _fields_by_code8(db) if kind == "field" else None
    for (value, month), (n, _late) in (await _returned_counts(db, ranges, kind, agency)).items():
        key = to_field.get(value[:8], "") if to_field is not None else group(value)
        counts.setdefault((key, month), [0, 0, 0])[2] += n
    return [
        SatisfactionRow.build(key, month, n, k, ret)
        for (key, month), (n, k, ret) in sorted(counts.items())
    ]


async def _has_feedback_table(db: Database) -> bool:
    """The feedback feature may not have landed yet: count its tickets only if it has."""
    row = await db.fetchone(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'feedback'"
    )
    if row is None:
        return False
    columns = await db.fetchall("SELECT name FROM pragma_table_info('feedback')")
    return "dossier_code" in {c[0] for c in columns}


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
    # The month of return as a CASE over the boundaries: cheaper than joining each row to them.
    month = " ".join(f"WHEN d.status_at < '{hi}' THEN '{label}'" for label, _lo, hi in ranges)
    where = " AND d.agency_code = ?" if agency is not None else ""
    params = (ranges[0][1], ranges[-1][2], *([agency] if agency is not None else []))
    join = (
        " CROSS JOIN dossiers d ON d.code = x.dossier_code"
        f" WHERE d.status = 10 AND d.status_at >= ? AND d.status_at < ?{where} GROUP BY 1, 2"
    )
    select = f"SELECT d.agency_code, CASE {month} END"
    asked = await db.fetchall(
        "WITH x AS (SELECT dossier_code FROM dossier_events"
        " WHERE to_status = 5 GROUP BY dossier_code HAVING COUNT(*) > 1)"
        f" {select}, COUNT(*), SUM({_LATE_SQL}) FROM x{join}",
        params,
    )
    complaints = "SELECT dossier_code FROM ratings WHERE level = 'khong_hai_long'"
    if await _has_feedback_table(db):
        complaints += " UNION SELECT dossier_code FROM feedback WHERE dossier_code IS NOT NULL"
    unsatisfied = await db.fetchall(
        f"WITH x AS ({complaints}) {select}, COUNT(*) FROM x{join}", params
    )
    extra = {(r[0], r[1]): [r[2], r[3], 0] for r in asked}
    for a, month, n in unsatisfied:
        extra.setdefault((a, month), [0, 0, 0])[2] = n
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


# Open and the office's to act on: processed (9) and finished dossiers are not "open late".
# Written as the running-dossiers index's own condition, so SQLite uses that small index.
_OPEN_SQL = "status IN (1, 2, 4, 5, 6, 9) AND status != 9"


async def _open_overdue(
    db: Database, ranges: Sequence, agency: str | None, now: datetime
) -> dict[tuple[str, str], int]:
    """(agency, month of the appointment) → dossiers still open after it (before `now`)."""
    high = min(ranges[-1][2], stamp(now))
    month = " ".join(f"WHEN due_at < '{hi}' THEN '{label}'" for label, _lo, hi in ranges)
    where = " AND agency_code = ?" if agency is not None else ""
    rows = await db.fetchall(
        f"SELECT agency_code, CASE {month} END, COUNT(*) FROM dossiers"
        f" WHERE {_OPEN_SQL} AND due_at >= ? AND due_at < ?{where} GROUP BY 1, 2",
        (ranges[0][1], high, *([agency] if agency is not None else [])),
    )
    return {(r[0], r[1]): r[2] for r in rows}


async def answer_feedback(
    db: Database, start: date, end: date, tz: tzinfo | None = None
) -> list[tuple[str, int, int]]:
    """👍/👎 on the bot's procedure answers: (procedure code8, votes, helpful), most votes first."""
    ranges = month_ranges(start, end, tz)
    return [
        (r[0], r[1], r[2])
        for r in await db.fetchall(
            "SELECT substr(procedure_code, 1, 8), COUNT(*), SUM(helpful) FROM answer_feedback"
            " WHERE at >= ? AND at < ? GROUP BY 1 ORDER BY 2 DESC, 1",
            (ranges[0][1], ranges[-1][2]),
        )
    ]


# -- printing, for `motcua stats` ------------------------------------------------------------

_HEADERS = {
    "key": "Mã", "agency_code": "Cơ quan", "month": "Tháng", "ratings": "Đánh giá",
    "satisfied": "Hài lòng", "returned": "Đã trả", "rate": "Tỷ lệ", "low": "KTC95 thấp",
    "high": "KTC95 cao", "response_rate": "Phản hồi", "overdue": "Quá hạn",
    "asked_again": "Bổ sung >1", "late": "Trễ (766)", "complaint_or_unsatisfied": "KHL/PA",
    "points": "Điểm", "max_points": "Tối đa", "on_time_share": "Đúng hạn",
    "open_overdue": "Đang quá hạn",
}  # fmt: skip


def N_(message: str) -> str:  # noqa: N802 - the gettext marker: extracted, translated later
    return message


def _header_ids() -> dict[str, str]:
    """English ids of the headers, for a translator (the Vietnamese catalog gives _HEADERS)."""
    return {
        "key": N_("Agency"), "agency_code": N_("Agency"), "month": N_("Month"),
        "ratings": N_("Ratings"), "satisfied": N_("Satisfied"), "returned": N_("Returned"),
        "rate": N_("Rate"), "low": N_("CI95 low"), "high": N_("CI95 high"),
        "response_rate": N_("Response"), "overdue": N_("Overdue"),
        "asked_again": N_("Asked again"), "late": N_("Late (766)"),
        "complaint_or_unsatisfied": N_("Complaints"), "points": N_("Points"),
        "max_points": N_("Max"), "on_time_share": N_("On time"),
        "open_overdue": N_("Open overdue"),
    }  # fmt: skip


_PERCENT = {"rate", "low", "high", "response_rate", "on_time_share"}


def _cell(name: str, value: object) -> str:
    if value is None:
        return "—"
    if name in _PERCENT:
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def format_table(
    rows: list[SatisfactionRow] | list[Row766],
    t=None,
    names: Mapping[str, str] | None = None,
    min_ratings: int = 0,
) -> str:
    """Plain aligned text, numbers right-aligned; '(không có số liệu)' when empty.

    `t` (a Translator): headers and words in its language (default: Vietnamese headers,
    agency codes). `names`: agency code → name shown instead of the code. `min_ratings`:
    a satisfaction rate from fewer ratings reads "too few" in words.
    """
    gettext = t.gettext if t is not None else None
    if not rows:
        return gettext("(no data)") if gettext else "(không có số liệu)"
    names = names or {}
    columns = [f.name for f in fields(rows[0]) if f.name != "max_points"]
    if gettext:
        ids = _header_ids()
        headers = [gettext(ids.get(n, n)) for n in columns]
        few = gettext("too few")
    else:
        headers = [_HEADERS.get(n, n) for n in columns]
        few = "quá ít"

    def cell(row, name: str) -> str:
        value = getattr(row, name)
        if name in ("key", "agency_code") and value in names:
            return names[value]
        if name == "rate" and isinstance(row, SatisfactionRow) and row.ratings < min_ratings:
            return few
        return _cell(name, value)

    table = [headers] + [[cell(r, n) for n in columns] for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    text_columns = {0, 1}  # key/agency and month
    return "\n".join(
        "  ".join(
            c.ljust(w) if i in text_columns else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in table
    )


def to_json(rows: list[SatisfactionRow] | list[Row766]) -> list[dict]:
    """Plain dicts (rates as fractions 0..1, None when undefined) for `--json`."""
    return [asdict(r) for r in rows]
