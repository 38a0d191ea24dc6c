"""What a dossier is: its fields, the portal's status codes, and what happens to it.

Times are aware datetimes in UTC; the store keeps them as "YYYY-MM-DDTHH:MM:SSZ".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# The status codes synchronised with the national portal (dichvucong.gov.vn).
STATUS_NAMES: dict[int, str] = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}
# No longer running: no due-date warnings, no apology.
FINISHED = frozenset({3, 7, 8, 10})

CHANNELS = ("truc_tiep", "truc_tuyen", "buu_chinh")
EVENT_KINDS = ("created", "status", "due_changed", "apology")


@dataclass(slots=True)
class Dossier:
    code: str
    procedure_code: str
    agency_code: str
    received_at: datetime
    status: int
    applicant_name: str | None = None
    applicant_phone: str | None = None
    channel: str | None = None
    due_at: datetime | None = None
    status_at: datetime | None = None
    result_place: str | None = None
    note: str | None = None
    updated_at: datetime | None = None  # when this store last changed it
    apologized_due_at: datetime | None = None

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, str(self.status))

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def is_overdue(self, now: datetime) -> bool:
        return not self.finished and self.due_at is not None and self.due_at < now


@dataclass(slots=True)
class DossierEvent:
    """One thing that happened to a dossier; notifications are built from these."""

    id: int
    dossier_code: str
    kind: str  # created | status | due_changed | apology
    at: datetime
    source: str  # import:<file> | sync | official:<telegram id>
    from_status: int | None = None
    to_status: int | None = None
    old_due_at: datetime | None = None
    new_due_at: datetime | None = None
    actor: str | None = None
    note: str | None = None
    reason: str | None = None
    recorded_at: datetime | None = None
    dossier: Dossier | None = None  # the dossier as it is after the change


@dataclass(slots=True)
class Apology:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả: the reason and the new date."""

    id: int
    dossier_code: str
    reason: str
    new_due_at: datetime
    recorded_at: datetime
    recorded_by: str | None = None
    event_id: int | None = None
    old_due_at: datetime | None = None
