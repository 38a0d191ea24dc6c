"""Parse one record of the National Public Service Portal (as crawled) into a Procedure.

Structured where the crawl allows (fields.py rebuilds the run-together tables);
the original text of a section is kept only when its parse was partial, so the
display can fall back to it.
"""

from __future__ import annotations

from bot.catalog import fields, quirks
from bot.catalog.fields import clean
from bot.catalog.model import (
    LEVEL_COMMUNE,
    LEVEL_MINISTRY,
    LEVEL_OTHER,
    LEVEL_PROVINCE,
    LEVELS,
    Procedure,
    is_valid_code,
    normalize_code,
)
from bot.text import fold

NO_INFO = fields.NO_INFO
REQUIRED = ("ma_thu_tuc", "ten_thu_tuc")
# Fields read below; only these are checked for type, so extra crawl fields do not hurt.
USED = (
    *REQUIRED,
    "so_quyet_dinh",
    "cap_thuc_hien",
    "loai_thu_tuc",
    "linh_vuc",
    "doi_tuong_thuc_hien",
    "co_quan_thuc_hien",
    "co_quan_co_tham_quyen",
    "trinh_tu_thuc_hien",
    "cach_thuc_thuc_hien",
    "thanh_phan_ho_so",
    "can_cu_phap_ly",
    "yeu_cau_dieu_kien",
    "ket_qua_xu_ly",
    "detail_url",
)
# Where a record states its online level; raw_text repeats these and is 2x slower to scan.
ONLINE_LEVEL_FIELDS = ("cach_thuc_thuc_hien", "yeu_cau_dieu_kien", "trinh_tu_thuc_hien")


class RejectedRecord(ValueError):
    """A record that cannot become a procedure; the message is the reason."""


def parse_levels(raw: str) -> list[str]:
    """Levels from "Cấp bộ, Cấp tỉnh, Cơ quan khác" → ["tinh", "bo", "khac"]."""
    levels = set()
    for part in fold(raw).split(","):
        words = part.split()
        if "xa" in words:
            levels.add(LEVEL_COMMUNE)
        elif "tinh" in words:
            levels.add(LEVEL_PROVINCE)
        elif "bo" in words:
            levels.add(LEVEL_MINISTRY)
        elif words:
            levels.add(LEVEL_OTHER)
    return sorted(levels, key=LEVELS.index)


def is_test_name(name: str) -> bool:
    """Portal exports carry test rows ("Thủ tục test", "Test nộp hồ sơ ...")."""
    return "test" in fold(name).split()


def _check(record: object) -> dict:
    if not isinstance(record, dict):
        raise RejectedRecord(f"not a JSON object ({type(record).__name__})")
    for key in REQUIRED:
        if key not in record:
            raise RejectedRecord(f"missing field {key!r}")
    bad = [k for k in USED if record.get(k) is not None and not isinstance(record[k], str | int)]
    if bad:
        raise RejectedRecord(f"field {bad[0]!r} is not text")
    return record


def _texts(record: dict, keys: tuple[str, ...]) -> list[str]:
    return [str(record.get(key) or "") for key in keys]


def parse_national_record(record: dict) -> Procedure:
    """Map a crawled record to a Procedure, or raise RejectedRecord with the reason."""
    record = _check(record)
    code = normalize_code(record.get("ma_thu_tuc", ""))
    if not is_valid_code(code):
        raise RejectedRecord(f"invalid procedure code {record.get('ma_thu_tuc')!r}")
    name = clean(record.get("ten_thu_tuc"))
    if not name:
        raise RejectedRecord(f"{code}: no procedure name")
    if is_test_name(name):
        raise RejectedRecord(f"{code}: test record ({name!r})")
    filings_raw = str(record.get("cach_thuc_thuc_hien") or "")
    filings, filings_ok = fields.parse_filings(filings_raw)
    documents_raw = str(record.get("thanh_phan_ho_so") or "")
    documents, documents_ok = fields.parse_documents(documents_raw)
    documents, notes = quirks.split_notes(documents)
    steps_raw, requirements_raw = _texts(record, ("trinh_tu_thuc_hien", "yeu_cau_dieu_kien"))
    quirks.infer_time_units(filings, steps_raw, requirements_raw)
    for filing in filings:
        quirks.tidy_fee_text(filing)
    levels = parse_levels(clean(record.get("cap_thuc_hien")))
    agency = clean(record.get("co_quan_thuc_hien")) or clean(record.get("co_quan_co_tham_quyen"))
    legal_raw = str(record.get("can_cu_phap_ly") or "")
    legal, legal_ok = fields.parse_legal(legal_raw)
    return Procedure(
        code=code,
        name=name,
        levels=levels,
        field=clean(record.get("linh_vuc")),
        agency=quirks.local_agency(agency) or quirks.place_from_levels(levels),
        decision=clean(record.get("so_quyet_dinh")),
        kind=clean(record.get("loai_thu_tuc")),
        subjects=clean(record.get("doi_tuong_thuc_hien")),
        filings=filings,
        filings_text="" if filings_ok else fields.filings_body(filings_raw),
        documents=documents,
        documents_text="" if documents_ok else fields.documents_body(documents_raw),
        notes=notes,
        steps=fields.split_steps(steps_raw),
        legal_basis=legal,
        legal_text="" if legal_ok else fields.legal_body(legal_raw),
        requirements=fields.strip_chrome(requirements_raw),
        result=fields.clean_result(str(record.get("ket_qua_xu_ly") or "")),
        online_level=fields.online_level(name, *_texts(record, ONLINE_LEVEL_FIELDS)),
        portal_url=str(record.get("detail_url") or "").strip(),
        source="national",
    )
