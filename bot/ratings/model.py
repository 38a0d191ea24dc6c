"""What a satisfaction rating is: the portal's three levels and the follow-up questions.

The levels are those of the national portal's form (Rất hài lòng / Hài lòng /
Không hài lòng); satisfied = the first two. The follow-ups are the indicators
of the Circular 01/2018 form (shared/data/ratings/satisfaction-form.json) that
a citizen can answer from their own experience — the others (publicity,
online-service share, …) are about the office and are not asked:

- Chỉ số 3, contacts needed to complete the dossier: no extra contact = 2
  points, one = 1, more = 0. Asked as visits in total ("1" = filed once and
  done), which is how people count.
- Chỉ số 7, staff attitude: 2 / 1 / 0, where 0 is harassment or bribe-seeking
  (nhũng nhiễu, gây phiền hà) — a case the dialog should route to the leaders.
- Chỉ số 1, time against the appointment: earlier 2, on the day 1, later 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

LEVELS = ("rat_hai_long", "hai_long", "khong_hai_long")
SATISFIED = frozenset({"rat_hai_long", "hai_long"})
LEVEL_LABELS = {
    "rat_hai_long": "Rất hài lòng",
    "hai_long": "Hài lòng",
    "khong_hai_long": "Không hài lòng",
}
CHANGE_WINDOW = timedelta(days=7)
MAX_COMMENT = 1000
RETURNED = 10  # Đã trả kết quả


@dataclass(frozen=True)
class FollowUp:
    """One follow-up question: its field, wording, options (value, label) and form points."""

    field: str
    indicator: str  # the form's indicator it comes from
    question: str
    options: tuple[tuple[str, str], ...]
    points: dict[str, int]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.options)

    def label(self, value: str) -> str:
        return dict(self.options)[value]


FOLLOW_UPS: dict[str, FollowUp] = {
    f.field: f
    for f in (
        FollowUp(
            "contacts_count",
            "Chỉ số 3",
            "Bạn phải đến hoặc liên hệ nơi tiếp nhận hồ sơ mấy lần để hoàn thiện hồ sơ?",
            (("1", "1 lần"), ("2", "2 lần"), ("3+", "3 lần trở lên")),
            {"1": 2, "2": 1, "3+": 0},
        ),
        FollowUp(
            "staff_attitude",
            "Chỉ số 7",
            "Thái độ của cán bộ khi hướng dẫn, tiếp nhận và giải quyết hồ sơ?",
            (
                ("tan_tinh", "Tận tình, chu đáo"),
                ("binh_thuong", "Bình thường, đúng quy định"),
                ("phien_ha", "Gây phiền hà, nhũng nhiễu"),
            ),
            {"tan_tinh": 2, "binh_thuong": 1, "phien_ha": 0},
        ),
        FollowUp(
            "timeliness",
            "Chỉ số 1",
            "Bạn nhận kết quả so với ngày hẹn trả như thế nào?",
            (("truoc_hen", "Trước hẹn"), ("dung_hen", "Đúng hẹn"), ("sau_hen", "Sau hẹn")),
            {"truoc_hen": 2, "dung_hen": 1, "sau_hen": 0},
        ),
    )
}


class RatingRefused(ValueError):
    """A rating or answer that cannot be stored; `reason` is a key the dialog translates.

    Reasons: not_returned, not_owner, window_closed, not_rated, bad_level,
    bad_field, bad_value, too_long.
    """

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(slots=True)
class Rating:
    dossier_code: str
    channel: str
    user_id: str | None
    level: str
    first_rated_at: datetime
    rated_at: datetime
    agency_code: str
    procedure_code: str
    field: str | None = None
    contacts_count: str | None = None
    staff_attitude: str | None = None
    timeliness: str | None = None
    comment: str | None = None

    @property
    def satisfied(self) -> bool:
        return self.level in SATISFIED

    @property
    def window_closes_at(self) -> datetime:
        return self.first_rated_at + CHANGE_WINDOW

    def answers(self) -> dict[str, str | None]:
        return {f: getattr(self, f) for f in FOLLOW_UPS}


def percent(value: float | None, digits: int = 1) -> str:
    """85,0% — Vietnamese decimal comma; an em dash when there is nothing to divide."""
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%".replace(".", ",")
