"""Feedback tickets as the dialog and the officials see them, and the rules on their text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.clock import unstamp
from bot.text import clean, nfc, squash

# Category code -> the label citizens choose from (the order of the menu).
CATEGORIES: dict[str, str] = {
    "thu_tuc": "Thủ tục hành chính",
    "cham_tre": "Hồ sơ chậm, quá hạn",
    "nhung_nhieu": "Thái độ, nhũng nhiễu của cán bộ",
    "de_xuat": "Đề xuất, kiến nghị",
    "khac": "Khác",
}
HARASSMENT = "nhung_nhieu"  # goes to the leaders only, never the desk concerned
STATUSES = ("received", "assigned", "need_info", "answered", "rejected", "closed", "forwarded")
OPEN = frozenset({"received", "assigned", "need_info", "forwarded"})
TEXT_MIN, TEXT_MAX = 15, 4000
DAILY_LIMIT = 5
MAX_ATTACHMENTS = 10


class FeedbackRefused(Exception):
    """An action was not allowed; `reason` is a code the dialog turns into words."""

    def __init__(self, reason: str, detail: str | None = None):
        super().__init__(reason if detail is None else f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail  # e.g. the number of the first ticket for 'duplicate'


@dataclass(frozen=True)
class Attachment:
    kind: str  # photo | location
    file_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    size: int | None = None


@dataclass
class Draft:
    """What the citizen filled in; consent_at is when they pressed the consent button."""

    channel: str
    user_id: str
    chat_id: str | int
    category: str
    agency_code: str
    text: str
    dossier_code: str | None = None
    name: str | None = None
    phone: str | None = None
    consent_at: datetime | None = None
    consent_wording: str | None = None
    publish_consent: bool = False
    attachments: list[Attachment] = field(default_factory=list)


@dataclass(frozen=True)
class Deadlines:
    """Working-day limits from receipt (national system): reject 2, ask 5, answer 15."""

    reject_by: date
    ask_info_by: date
    answer_by: date
    publish_by: date | None  # 2 working days after the answer, when publishing was agreed


@dataclass
class Ticket:
    id: int
    number: str
    channel: str
    user_id: str | None
    chat_id: str | None
    category: str
    agency_code: str
    dossier_code: str | None
    text: str
    name: str | None
    phone: str | None
    anonymous: bool
    publish_consent: bool
    status: str
    assignee: str | None
    routed_chat_id: str | None
    answer: str | None
    answered_at: datetime | None
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    satisfied: bool | None
    attachments: int = 0
    deadlines: Deadlines | None = None

    @property
    def routed(self) -> bool:
        """False: no chat is set up for it; the dialog should tell the citizen."""
        return self.routed_chat_id is not None

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


def ticket_from_row(row) -> Ticket:
    """A ticket row of bot/store/feedback.py, read by column name."""
    return Ticket(
        id=row["id"],
        number=row["number"],
        channel=row["channel"],
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        category=row["category"],
        agency_code=row["agency_code"],
        dossier_code=row["dossier_code"],
        text=row["text"],
        name=row["name"],
        phone=row["phone"],
        anonymous=bool(row["anonymous"]),
        publish_consent=bool(row["publish_consent"]),
        status=row["status"],
        assignee=row["assignee"],
        routed_chat_id=row["routed_chat_id"],
        answer=row["answer"],
        answered_at=unstamp(row["answered_at"]),
        published_at=unstamp(row["published_at"]),
        created_at=unstamp(row["created_at"]),
        updated_at=unstamp(row["updated_at"]),
        satisfied=None if row["satisfied"] is None else bool(row["satisfied"]),
        attachments=row["attachments"],
    )


@dataclass(frozen=True)
class Event:
    action: str
    actor: str
    at: datetime
    note: str | None


PENDING_ACTIONS = ("answer", "need_info", "reject")


@dataclass(frozen=True)
class Pending:
    feedback_id: int
    action: str  # answer | need_info | reject
    at: datetime


@dataclass(frozen=True)
class Published:
    """An answer fit for the public: no name, phone, account or dossier code."""

    number: str
    category: str  # the label
    agency: str  # the commune's name
    question: str
    answer: str
    received: date
    answered: date
    published: date


def clean_text(text: str | None) -> str:
    """NFC and trimmed; inner line breaks kept (the officials read it as written)."""
    return nfc(clean(text or "")).strip()


def text_hash(text: str) -> str:
    """Same complaint sent twice: NFC, case-folded, white space squashed."""
    return hashlib.sha256(squash(nfc(text).casefold()).encode("utf-8")).hexdigest()


def ticket_number(year: int, seq: int) -> str:
    return f"PAKN-{year:04d}-{seq:06d}"
