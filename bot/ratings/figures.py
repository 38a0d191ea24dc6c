"""One row of the satisfaction and Decision-766 figures, and the interval around a rate."""

from __future__ import annotations

from dataclasses import dataclass
from math import sqrt


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
