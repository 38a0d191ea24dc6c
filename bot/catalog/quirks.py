"""The national crawl's quirks, read instead of shown to a citizen.

fields.py rebuilds the crawled tables; this turns what they still carry into
what a card can say: a bare time ("1") gets the unit the record's own text
gives it, or says honestly that the unit is missing; a fee note is not preceded
by the portal's default "Miễn phí" or by the cell's amount in thousands; notes
crawled as papers ("... 0 bản chính", the "Lưu ý" table) are kept apart from the
papers to bring; and the place is this province's body, or what the levels imply
when the record names none. bench/catalog_quirks.py counts each on the crawl.
"""

from __future__ import annotations

import re

from bot.catalog.fields import LOW, UP
from bot.catalog.model import (
    LEVEL_COMMUNE,
    LEVEL_MINISTRY,
    LEVEL_PROVINCE,
    Document,
    Filing,
)
from bot.text import fold

# "05 ngày làm việc", "48 giờ", "03 tháng": a number with its unit in running text. Not
# years: "01 năm" in a record is how long a paper stays valid, not how long it takes.
_UNIT_WORDS = (
    ("ngày làm việc", "ngay_lam_viec"),
    ("giờ làm việc", "gio"),
    ("ngày", "ngay"),
    ("giờ", "gio"),
    ("tháng", "thang"),
)
_IN_TEXT = re.compile(
    r"(?<![\d.,/])0*(\d{1,3})\s*(" + "|".join(w for w, _ in _UNIT_WORDS) + r")(?![\w])",
    re.IGNORECASE,
)
_SAME_DAY = re.compile(r"\btrong ngay(?: lam viec)?\b(?! (?:lam viec|tiep theo|ke tu))")
NO_UNIT = "{n} (Cổng Dịch vụ công không ghi đơn vị thời gian)"


def _units_in(text: str) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for m in _IN_TEXT.finditer(text or ""):
        unit = dict(_UNIT_WORDS)[m.group(2).lower()]
        found.setdefault(int(m.group(1)), set()).add(unit)
    return found


def infer_time_units(filings: list[Filing], *texts: str) -> int:
    """Give each unit-less time the unit the record says for the same number; count them.

    The row's own description is read first, then the record's other texts (steps,
    conditions). A number said with two different units stays unresolved; a "1" with
    "trong ngày" is one working day. What stays unresolved says the unit is missing,
    so a card never shows a bare "1".
    """
    whole = _units_in(" ".join(texts))
    same_day = any(_SAME_DAY.search(fold(t)) for t in texts)
    inferred = 0
    for filing in filings:
        if filing.time_value is None or filing.time_unit:
            continue
        n = int(filing.time_value) if filing.time_value == int(filing.time_value) else None
        units = _units_in(filing.description).get(n) or whole.get(n) or set()
        if len(units) == 1:
            filing.time_unit = next(iter(units))
            inferred += 1
        elif n == 1 and (same_day or _SAME_DAY.search(fold(filing.description))):
            filing.time_unit = "ngay_lam_viec"
            inferred += 1
        elif re.fullmatch(r"[\d.,]+", filing.time_text or ""):
            filing.time_text = NO_UNIT.format(n=filing.time_text)
    return inferred


# "135 VNĐ (Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.)": the cell's amount (here in
# thousands) before the note that explains it.
_FEE_LEAD = re.compile(r"^([\d.,]+)\s*(?:VNĐ|VND|Việt Nam Đồng|đồng|Đồng|đ)\s*\((.+)\)$", re.DOTALL)


# "20 VNĐ" with no note to confirm it: the portal's fee in thousands, or a typo; say so.
_THOUSANDS = re.compile(r"([1-9]\d{0,2})\s*(?:VNĐ|VND|đồng)\s*\(?")
SMALL_FEE = "{n} VNĐ theo Cổng Dịch vụ công (có lẽ là {n}.000 đồng; hỏi Bộ phận Một cửa)"
_FREE_LEAD = re.compile(r"^Miễn phí\s*\((.+)\)$", re.DOTALL)
_SAYS_FREE = re.compile(r"[\s(\-–+]*(?:mien|khong (?:thu|phai nop|mat))")
_MONEY = re.compile(r"\d[\d.,]*\s*(?:đồng|đ\b|VNĐ|VND)")


def tidy_fee_text(filing: Filing) -> bool:
    """Drop the cell's amount before its note when the parsed fee already says it: a card
    shows "135.000 ₫ (Lệ phí ...)", not "135.000 ₫ (135 VNĐ (Lệ phí ...))"; and the portal's
    default "Miễn phí" before a note that says otherwise ("Mức lệ phí cụ thể do Hội đồng nhân
    dân tỉnh quyết định", a list of amounts), or twice ("miễn phí (Miễn phí (...))"). Whether
    it did."""
    free = _FREE_LEAD.match(filing.fee_text or "")
    if free and (filing.fee_amount == 0 or not _SAYS_FREE.match(fold(free.group(1)))):
        filing.fee_text = free.group(1).strip()  # the note alone: the amount is said apart
        return True
    small = _THOUSANDS.fullmatch(filing.fee_text or "")
    if small and filing.fee_amount is None:
        filing.fee_text = SMALL_FEE.format(n=small.group(1))
        return True
    m = _FEE_LEAD.match(filing.fee_text or "")
    if not m or not filing.fee_amount:
        return False
    amount = int(re.sub(r"[.,]", "", m.group(1)) or 0)
    if filing.fee_amount not in (amount, amount * 1000):
        return False
    filing.fee_text = m.group(2).strip()
    return True


# Notes crawled into the document table: rows under a notes heading, lead-ins ("...:"),
# and rows with no copy to bring ("0 bản chính") unless they name a paper.
_NOTE_GROUPS = ("luu y", "ghi chu", "chu y")
_ZERO = re.compile(r"^(?:0 bản chính|0 bản sao|Bản chính: 0 - Bản sao: 0)$")
_PAPER = re.compile(
    r"^[-+*•(\s]*(?:[a-zđ]\)\s*)?(?:giay|van ban|ban (?:sao|chinh|chup|ke|ve|do)|to khai|to trinh"
    r"|don|so (?!luong)|ho chieu|chung tu|chung chi|bao cao|quyet dinh|hop dong|phieu|the "
    r"|danh sach|bien ban|ke hoach|de an|du an|anh|tai lieu|hoa don|mau |ho so (?!co |phai |duoc ))"
)


def _names_paper(name: str) -> bool:
    return len(name) < 300 and bool(_PAPER.match(fold(name)))


def _in_notes(doc: Document) -> bool:
    return fold(doc.group).strip(" *-:").startswith(_NOTE_GROUPS)


def _lead_in(doc: Document) -> bool:
    return doc.name.rstrip().endswith(":")


def is_note(doc: Document) -> bool:
    """A row that is a remark, not a paper to bring (a lead-in "...:" is neither)."""
    if _in_notes(doc):
        return True
    if _lead_in(doc):
        return False
    return bool(_ZERO.match(doc.count or "")) and not _names_paper(doc.name)


def split_notes(docs: list[Document]) -> tuple[list[Document], list[str]]:
    """(papers to bring, notes): notes keep their order; a lead-in ("Giấy tờ phải nộp ...:")
    heads the papers after it in its case; a paper with "0 bản chính" loses the count,
    which says nothing to bring."""
    papers, notes, heading = [], [], ("", "")  # (the case it opened in, its title)
    for doc in docs:
        if is_note(doc):
            notes.append(doc.name)
        elif _lead_in(doc):
            heading = (doc.group, doc.name.rstrip(" :"))
        else:
            group = heading[1] if heading[1] and heading[0] == doc.group else doc.group
            count = "" if _ZERO.match(doc.count or "") else doc.count
            papers.append(Document(doc.name, doc.form, count, group))
    # a lead-in among the notes ("Đối với giấy tờ ... trực tuyến:") has lost its items: the
    # crawl scrambles the notes table, so it would head the wrong ones
    return papers, [n for n in notes if n and not n.rstrip().endswith(":")]


# "Sở Tư pháp Thành phố Hà Nội", "Sở Xây dựng - tỉnh Quảng Ninh": a province's own body,
# crawled from the province that published the record; here it is this province's.
_ELSEWHERE = re.compile(
    r"^((?:Sở\b|(?:UBND|Ủy ban nhân dân) cấp (?:xã|tỉnh)\b).*?)"
    rf"(?:\s*-\s*|\s+)(?:[Tt]hành phố|TP\.?|[Tt]ỉnh)\s*[{UP}][{LOW}]*(?:\s+[{UP}][{LOW}]*)*$"
)


def local_agency(agency: str) -> str:
    """The agency without another province's name: "Sở Tư pháp Thành phố Hà Nội" → "Sở Tư pháp"."""
    parts = [_ELSEWHERE.sub(r"\1", part.strip()) for part in agency.split(",")]
    return ", ".join(dict.fromkeys(p for p in parts if p))


# Where to go when the record names no agency: what its levels imply.
_PLACES = {
    (LEVEL_COMMUNE,): "UBND cấp xã (Bộ phận Một cửa)",
    (LEVEL_PROVINCE,): "Cơ quan cấp tỉnh (nộp tại Trung tâm Phục vụ hành chính công tỉnh)",
    (LEVEL_COMMUNE, LEVEL_PROVINCE): "UBND cấp xã hoặc cơ quan cấp tỉnh, tùy trường hợp",
    (LEVEL_MINISTRY,): "Cơ quan cấp bộ",
}


def place_from_levels(levels: list[str]) -> str:
    """The place a record's levels imply ("" when they say nothing a citizen can use)."""
    here = [lv for lv in (LEVEL_COMMUNE, LEVEL_PROVINCE) if lv in levels]
    key = tuple(here) or ((LEVEL_MINISTRY,) if LEVEL_MINISTRY in levels else ())
    return _PLACES.get(key, "")
