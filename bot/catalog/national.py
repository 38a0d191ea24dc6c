"""Parse one record of the National Public Service Portal (as crawled) into a Procedure.

FIRST DRAFT: only the clean fields are parsed; filings, documents, steps and
legal basis are kept as raw text. The importer work refines this module.
"""

from __future__ import annotations

from bot.catalog.model import (
    LEVEL_COMMUNE,
    LEVEL_MINISTRY,
    LEVEL_OTHER,
    LEVEL_PROVINCE,
    Procedure,
    is_valid_code,
    normalize_code,
)
from bot.text import fold, nfc, squash

NO_INFO = "không có thông tin"


class RejectedRecord(ValueError):
    """A record that cannot become a procedure; the message is the reason."""


def clean(value: object) -> str:
    text = squash(nfc(str(value or "")))
    return "" if text.lower() == NO_INFO else text


def parse_levels(raw: str) -> list[str]:
    levels = []
    for part in fold(raw).split(","):
        part = part.strip()
        if "xa" in part.split():
            levels.append(LEVEL_COMMUNE)
        elif "tinh" in part.split():
            levels.append(LEVEL_PROVINCE)
        elif "bo" in part.split():
            levels.append(LEVEL_MINISTRY)
        elif part:
            levels.append(LEVEL_OTHER)
    return sorted(set(levels), key=[LEVEL_COMMUNE, LEVEL_PROVINCE, LEVEL_MINISTRY, LEVEL_OTHER].index)


def parse_national_record(record: dict) -> Procedure:
    """Map a crawled record to a Procedure, or raise RejectedRecord with the reason."""
    if not isinstance(record, dict):
        raise RejectedRecord("not a JSON object")
    code = normalize_code(record.get("ma_thu_tuc", ""))
    if not is_valid_code(code):
        raise RejectedRecord(f"invalid procedure code {record.get('ma_thu_tuc')!r}")
    name = clean(record.get("ten_thu_tuc"))
    if not name:
        raise RejectedRecord(f"{code}: no procedure name")
    if "test" in fold(name).split():
        raise RejectedRecord(f"{code}: test record ({name!r})")
    steps_raw = nfc(str(record.get("trinh_tu_thuc_hien") or "")).strip()
    return Procedure(
        code=code,
        name=name,
        levels=parse_levels(clean(record.get("cap_thuc_hien"))),
        field=clean(record.get("linh_vuc")),
        agency=clean(record.get("co_quan_thuc_hien")) or clean(record.get("co_quan_co_tham_quyen")),
        decision=clean(record.get("so_quyet_dinh")),
        kind=clean(record.get("loai_thu_tuc")),
        subjects=clean(record.get("doi_tuong_thuc_hien")),
        filings_text=clean(record.get("cach_thuc_thuc_hien")),
        documents_text=clean(record.get("thanh_phan_ho_so")),
        steps=[steps_raw] if steps_raw and steps_raw.lower() != NO_INFO else [],
        legal_text=clean(record.get("can_cu_phap_ly")),
        requirements=clean(record.get("yeu_cau_dieu_kien")),
        result=clean(record.get("ket_qua_xu_ly")),
        portal_url=str(record.get("detail_url") or "").strip(),
        source="national",
    )
