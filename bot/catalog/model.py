"""The procedure as MotCua keeps it: parsed where the source allowed, raw text kept otherwise.

Every importer (national portal records, provincial CSV lists, the bundled
default catalog) produces these, and the store keeps them as JSON.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from dataclasses import field as _field

# Ways of filing, as the portal names them.
IN_PERSON = "truc_tiep"
ONLINE = "truc_tuyen"
POSTAL = "buu_chinh"
CHANNELS = (IN_PERSON, ONLINE, POSTAL)

# Levels of government that carry out a procedure.
LEVEL_COMMUNE = "xa"
LEVEL_PROVINCE = "tinh"
LEVEL_MINISTRY = "bo"
LEVEL_OTHER = "khac"
LEVELS = (LEVEL_COMMUNE, LEVEL_PROVINCE, LEVEL_MINISTRY, LEVEL_OTHER)

# Online service level (Decree 42/2022).
ONLINE_FULL = "toan_trinh"
ONLINE_PARTIAL = "mot_phan"

_CODE_RE = re.compile(r"^\d\.\d{6}(?:\.[0-9A-Z]+)*$")


@dataclass
class Filing:
    """One way of filing with its processing time and fee."""

    channel: str  # IN_PERSON / ONLINE / POSTAL, or "" when the source does not say
    time_text: str = ""  # the original wording, always kept for display
    time_value: float | None = None
    time_unit: str | None = None  # ngay_lam_viec | ngay | gio | thang | nam
    fee_text: str = ""
    fee_amount: int | None = None  # in đồng; 0 means free; None when not parsed
    description: str = ""


@dataclass
class Document:
    name: str
    form: str = ""  # name of the template (mẫu đơn, tờ khai), if any
    count: str = ""  # e.g. "1 bản chính", "Bản chính: 1 - Bản sao: 0"
    group: str = ""  # the case this document belongs to ("Trường hợp ủy quyền"), if any


@dataclass
class LegalDoc:
    title: str
    number: str = ""


@dataclass
class Procedure:
    code: str
    name: str
    levels: list[str] = _field(default_factory=list)
    field: str = ""
    agency: str = ""
    decision: str = ""
    kind: str = ""
    subjects: str = ""
    filings: list[Filing] = _field(default_factory=list)
    filings_text: str = ""  # original "Cách thức thực hiện" when it could not be parsed
    documents: list[Document] = _field(default_factory=list)
    documents_text: str = ""  # original "Thành phần hồ sơ" when it could not be parsed
    notes: list[str] = _field(default_factory=list)  # remarks crawled among the documents
    steps: list[str] = _field(default_factory=list)
    legal_basis: list[LegalDoc] = _field(default_factory=list)
    legal_text: str = ""
    requirements: str = ""
    result: str = ""
    online_level: str | None = None
    portal_url: str = ""
    source: str = ""
    keywords: list[str] = _field(default_factory=list)  # everyday words citizens use for it

    @property
    def code8(self) -> str:
        return self.code[:8]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    def content_hash(self) -> str:
        return json_hash(self.to_json())

    @classmethod
    def from_dict(cls, data: dict) -> Procedure:
        data = dict(data)
        data["filings"] = [Filing(**f) for f in data.get("filings", [])]
        data["documents"] = [Document(**d) for d in data.get("documents", [])]
        data["legal_basis"] = [LegalDoc(**d) for d in data.get("legal_basis", [])]
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def from_json(cls, text: str) -> Procedure:
        return cls.from_dict(json.loads(text))


def json_hash(text: str) -> str:
    """Procedure.content_hash of a procedure whose to_json() is `text` (serialise once)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def normalize_code(raw: str) -> str:
    """Canonical form of a procedure code: trimmed, upper-case suffix, no spaces."""
    return re.sub(r"\s+", "", str(raw or "")).strip(".").upper()


def is_valid_code(code: str) -> bool:
    """`1.001193`, optionally with an agency suffix (`1.005461.000.00.00.H36`)."""
    return bool(_CODE_RE.match(code))
