"""Satisfaction and Decision-766 figures per agency and month, as SQL aggregates.

Months are local calendar months (the deployment's time zone): each is turned
into a UTC [lo, hi) range and the tables are range-scanned on their indexes
(`months CROSS JOIN …` makes SQLite loop over the dozen months outside), so a
year over a million ratings stays well under a second.

- A rating counts in the month of its `rated_at` (the latest choice of level).
- A dossier counts as returned in the month it reached status 10: its
  `status_at` while status = 10. (Not the events: an import of an already
  returned dossier writes a 'created' event dated at receipt.)
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta, tzinfo
from math import sqrt
from zoneinfo import ZoneInfo

from bot.dossiers.model import stamp
from bot.ratings.model import SATISFIED
from bot.store import Database

DEFAULT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TARGET = 0.90
MAX_POINTS_766 = 18.0  # the satisfaction criterion of Decision 766's 100-point index
_KEYS = {"agency": "agency_code", "field": "field", "procedure": "procedure"}
_SATISFIED_SQL = ", ".join(f"'{level}'" for level in sorted(SATISFIED))
_MONTHS_CTE = (
    "m(month, lo, hi) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),"
    " json_extract(value, '$[2]') FROM json_each(?))"
)


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
    on_time_share: float | None  # 1 − overdue / returned

    @classmethod
    def build(cls, agency, month, returned, overdue, asked, late, unsat, target, max_points):
        rate = points = on_time = None
        if returned:
            rate = max(0.0, 1.0 - late / returned - unsat / returned)
            points = min(rate, target) * max_points / target
            on_time = 1.0 - overdue / returned
        return cls(
            agency, month, returned, overdue, asked, late, unsat, rate, points, max_points,
            on_time,
        )  # fmt: skip


def _key_sql(by: tuple[str, str], table: str) -> str:
    if len(by) != 2 or by[1] != "month" or by[0] not in _KEYS:
        raise ValueError(f"by must be (agency|field|procedure, 'month'), not {by!r}")
    kind = by[0]
    if kind == "agency":
        return f"{table}.agency_code"
    if kind == "procedure" or table == "d":  # dossiers: field is mapped from the procedure
        return f"substr({table}.procedure_code, 1, 8)"
    return "COALESCE(r.field, '')"


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

    Only keys and months with a rating or a returned dossier appear.
    """
    months = json.dumps(month_ranges(start, end, tz))
    where, params = ("", [months]) if agency is None else (" AND {t}.agency_code = ?", [months])
    if agency is not None:
        params.append(agency)
    counts: dict[tuple[str, str], list[int]] = {}
    rated = await db.fetchall(
        f"WITH {_MONTHS_CTE} SELECT {_key_sql(by, 'r')}, m.month, COUNT(*),"
        f" SUM(r.level IN ({_SATISFIED_SQL})) FROM m CROSS JOIN ratings r"
        f" WHERE r.rated_at >= m.lo AND r.rated_at < m.hi{where.format(t='r')} GROUP BY 1, 2",
        tuple(params),
    )
    for key, month, n, k in rated:
        counts[(key, month)] = [n, k, 0]
    returned = await db.fetchall(
        f"WITH {_MONTHS_CTE} SELECT {_key_sql(by, 'd')}, m.month, COUNT(*)"
        " FROM m CROSS JOIN dossiers d WHERE d.status = 10"
        f" AND d.status_at >= m.lo AND d.status_at < m.hi{where.format(t='d')} GROUP BY 1, 2",
        tuple(params),
    )
    to_field = await _fields_by_code8(db) if by[0] == "field" else None
    for key, month, n in returned:
        if to_field is not None:
            key = to_field.get(key, "")
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
) -> list[Row766]:
    """Decision 766 satisfaction rate and points per agency and month of return."""
    months = json.dumps(month_ranges(start, end, tz))
    complaints = "SELECT dossier_code FROM ratings WHERE level = 'khong_hai_long'"
    if await _has_feedback_table(db):
        complaints += " UNION SELECT dossier_code FROM feedback WHERE dossier_code IS NOT NULL"
    params: list = [months]
    where = ""
    if agency is not None:
        where, params = " AND d.agency_code = ?", [months, agency]
    overdue = "(d.status_at > COALESCE(d.due_at, d.status_at) OR d.apologized_due_at IS NOT NULL)"
    asked = "d.code IN asked"
    rows = await db.fetchall(
        f"WITH {_MONTHS_CTE},"
        " asked AS (SELECT dossier_code FROM dossier_events WHERE to_status = 5"
        "  GROUP BY dossier_code HAVING COUNT(*) > 1),"
        f" unsat AS ({complaints})"
        f" SELECT d.agency_code, m.month, COUNT(*), SUM({overdue}), SUM({asked}),"
        f" SUM({overdue} OR {asked}), SUM(d.code IN unsat)"
        " FROM m CROSS JOIN dossiers d WHERE d.status = 10"
        f" AND d.status_at >= m.lo AND d.status_at < m.hi{where}"
        " GROUP BY 1, 2 ORDER BY 1, 2",
        tuple(params),
    )
    return [Row766.build(*r, target=target, max_points=max_points) for r in rows]


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


def format_table(rows: list[SatisfactionRow] | list[Row766]) -> str:
    """Plain aligned text (numbers right-aligned), one line per row; '(không có số liệu)' if none."""
    if not rows:
        return "(không có số liệu)"
    names = [f.name for f in fields(rows[0]) if f.name != "max_points"]
    table = [[_HEADERS.get(n, n) for n in names]]
    table += [[_cell(n, getattr(r, n)) for n in names] for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(names))]
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
