"""Parsers for the messy fields of crawled national portal records (pure functions).

The crawl runs table cells together with no separator, so each parser rebuilds
the table from what it knows about the cells (channel names, units, currency,
document counts, document numbers). Each returns whether it used all the text,
so the caller can keep the original for display when it did not.
"""

from __future__ import annotations

import re

from bot.catalog.model import (
    IN_PERSON,
    ONLINE,
    ONLINE_FULL,
    ONLINE_PARTIAL,
    POSTAL,
    Document,
    Filing,
    LegalDoc,
)
from bot.text import clean as clean_controls
from bot.text import fold, nfc

NO_INFO = "không có thông tin"


def _letters(upper: bool) -> str:
    """Vietnamese-capable letter class body: `re` has no \\p{Lu}."""
    codes = [*range(0x41, 0x250), *range(0x1E00, 0x1F00)]
    chars = (chr(c) for c in codes)
    return "".join(re.escape(ch) for ch in chars if (ch.isupper() if upper else ch.islower()))


UP = _letters(True)
LOW = _letters(False)


def squash(text: str) -> str:
    """bot.text.squash without a regex: this runs on every cell of every record."""
    return " ".join(text.split())


def _is_no_info(text: str) -> bool:
    return len(text) <= 19 and text.lower().rstrip(".") == NO_INFO


def _cell(text: str) -> str:
    """One line of already-NFC text; the portal's empty ("Không có thông tin") is ""."""
    text = squash(text)
    return "" if _is_no_info(text) else text


def clean(value: object) -> str:
    """One line of text, NFC; "Không có thông tin" (the portal's empty) becomes ""."""
    return _cell(nfc(clean_controls(str(value or ""))))


def tidy(value: object) -> str:
    """Like clean() but keeps line breaks, which carry structure in long texts."""
    lines = (squash(line) for line in nfc(clean_controls(str(value or ""))).splitlines())
    text = "\n".join(line for line in lines if line)
    return "" if _is_no_info(text) else text


def _balanced(text: str, start: int) -> int:
    """End of the parenthesised run opening at text[start] (or the text's end)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


# --- fees -----------------------------------------------------------------

_AMOUNT = r"\d{1,3}(?:[.,]\d{3})+(?!\d)|\d+"
_CURRENCY = r"Việt Nam Đồng|VNĐ|VND|Đồng|đồng|USD"
_AMOUNT_RE = re.compile(rf"({_AMOUNT})\s*({_CURRENCY}|đ\b)")
_FREE_NOTES = {
    "",
    "khong",
    "khong co",
    "khong quy dinh",
    "khong thu phi",
    "khong thu le phi",
    "khong thu phi, le phi",
    "mien phi",
    "mien le phi",
    "a",
}


def _int(amount: str) -> int:
    return int(re.sub(r"[.,]", "", amount))


def _is_free_note(note: str) -> bool:
    return len(note) < 40 and re.sub(r"[\s().;:-]+", " ", fold(note)).strip() in _FREE_NOTES


def _mentions(note: str, amount: int) -> bool:
    """Whether the note spells out this amount (e.g. "40.000 đồng", "50.000đ/giấy")."""
    return any(_int(m) == amount for m in re.findall(_AMOUNT, note))


def parse_fee(cell: str, note: str = "") -> int | None:
    """Fee in đồng: 0 for "Miễn phí" with no qualifying note, None when unsure.

    The portal sometimes stores fees in thousands ("40 VNĐ" noted as "40.000
    đồng"); an amount under 1,000 is trusted only when the note confirms it.
    """
    text = nfc(cell).strip()
    if text[:8].lower() == "miễn phí":
        return 0 if _is_free_note(note) else None
    m = _AMOUNT_RE.search(text)
    if not m or m.group(2) == "USD":
        return None
    amount = _int(m.group(1))
    if 0 < amount < 1000:
        return amount * 1000 if _mentions(note, amount * 1000) else None
    return amount


# --- ways of filing -------------------------------------------------------

CHANNEL_NAMES = {"Trực tiếp": IN_PERSON, "Trực tuyến": ONLINE, "Dịch vụ bưu chính": POSTAL}
UNITS = {
    "Ngày làm việc": "ngay_lam_viec",
    "Ngày": "ngay",
    "Giờ": "gio",
    "Tháng": "thang",
    "Năm": "nam",
}
_FILINGS_HEADER = re.compile(r"^\s*Hình thức nộp\s*Thời gian\s*Phí, lệ phí\s*Mô tả\s*")
_ROW = re.compile(rf"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?=\t?\d|[{UP}])")
_TIME = re.compile(r"\t?(\d+(?:[.,]\d+)?)[ \t]*(Ngày làm việc|Ngày|Giờ|Tháng|Năm)?[ \t]*")
_FEE = re.compile(rf"Miễn phí|Không có thông tin|Phí\s*:[^\n(]*|(?:{_AMOUNT})\s*(?:{_CURRENCY})")
_NUM_FEE = re.compile(rf"(\d[\d.,]*)\s*({_CURRENCY})")


def parse_time(text: str) -> tuple[float | None, str | None]:
    """Time cell: "60 Ngày làm việc" → (60, "ngay_lam_viec"); "1" → (1, None); else Nones."""
    m = _TIME.fullmatch(nfc(text).strip())
    if not m:
        return None, None
    value = float(m.group(1).replace(",", "."))
    return value, UNITS.get(m.group(2) or "")


def _split_digits(digits: str, rest: str) -> tuple[str, str] | None:
    """Time without a unit glued to a numeric fee ("1100 VNĐ"): split time | fee.

    The fee is the split the note confirms; else the shortest time (most such
    rows are "1"), never a fee with a leading zero.
    """
    options = [
        (digits[:k], digits[k:])
        for k in range(1, len(digits))
        if digits[k] != "0" and re.fullmatch(_AMOUNT, digits[k:])
    ]
    for time, fee in options:
        amount = _int(fee)
        if _mentions(rest, amount) or _mentions(rest, amount * 1000):
            return time, fee
    return options[0] if options else None


def _parse_row(channel: str, seg: str) -> tuple[Filing, bool]:
    """One row: time cell, fee cell (with its parenthesised note), description."""
    filing = Filing(channel=CHANNEL_NAMES[channel])
    t = _TIME.match(seg)
    fee = _FEE.match(seg, t.end()) if t else None
    if t and not t.group(2) and not fee:
        n = _NUM_FEE.match(seg, t.start(1))
        split = _split_digits(n.group(1), seg[n.end() :]) if n else None
        if split:
            filing.time_text, filing.time_value = split[0], float(split[0])
            fee = _FEE.match(seg, t.start(1) + len(split[0]))
            t = None
        elif n:  # an amount with no time before it: found again below
            t = None
    if t:
        filing.time_text = squash(t.group(0))
        filing.time_value, filing.time_unit = parse_time(t.group(0))
    elif not filing.time_text:
        if seg.startswith("Không có thông tin") and _FEE.match(seg, 18):
            fee = _FEE.match(seg, 18)
        else:
            fee = _FEE.search(seg)  # a time in words ("Không phải trả kết quả ...")
        filing.time_text = _cell(seg[: fee.start()]) if fee else ""
    if fee is None:
        filing.description = _cell(seg[t.end() if t else 0 :])
        return filing, False
    pos = fee.end()
    note_end = _balanced(seg, pos) if seg[pos : pos + 1] == "(" else pos
    note = seg[pos:note_end]
    if fee.group(0) == "Không có thông tin":  # notes like "(1)" under no info are noise
        filing.fee_text = _cell(note) if len(note.strip("() ")) > 3 else ""
    else:
        filing.fee_text = _cell(fee.group(0) + (" " + note if note else ""))
    filing.fee_amount = parse_fee(fee.group(0), note)
    filing.description = _cell(seg[note_end:])
    return filing, True


def parse_filings(text: str) -> tuple[list[Filing], bool]:
    """Parse "Cách thức thực hiện": one Filing per table row, and whether all was used."""
    body = _FILINGS_HEADER.sub("", nfc(text or ""), count=1)
    rows = list(_ROW.finditer(body))
    if not rows:
        return [], not _cell(body)
    complete = not _cell(body[: rows[0].start()])
    filings = []
    for row, nxt in zip(rows, [*rows[1:], None], strict=True):
        seg = body[row.end() : nxt.start() if nxt else len(body)]
        filing, ok = _parse_row(row.group(1), seg)
        filings.append(filing)
        complete = complete and ok
    return filings, complete


# --- documents ------------------------------------------------------------

_DOCS_HEADER = re.compile(r"Tên giấy tờ\s*Mẫu đơn, tờ khai\s*Số lượng")
# A count cell is one digit (the name before it may end in digits: "Mẫu số 18" +
# "1 bản chính"); counts written inside a name are followed by a space and a
# lower-case word or by punctuation ("01 bản chính hoặc ...", "01 bản sao;").
_COUNT = re.compile(
    rf"(?:(\d) bản chính(?:,\s*(\d) bản sao)?|Bản chính:\s*(\d+)\s*-\s*Bản sao:\s*(\d+))"
    rf"(?![;.,:]|\s+[{LOW}\d]|\d+ bản)"
)
_FILE_EXT = re.compile(r"\.(?:docx?|pdf|xlsx?|rar|zip|odt)(?![A-Za-z])", re.IGNORECASE)
# Where a glued file name may start: after ;.) with no space, at a lower→upper
# case change ("theo mẫuMau01"), or after a run of capitals ("NĐ-CPMẫu số 01").
_GLUE = re.compile(
    rf"(?<=[;)])(?=\S)|(?<=\.)(?=[{UP}{LOW}])|(?<=[{LOW}])(?=[{UP}])"
    rf"|(?<=[{UP}\d])(?<!-T)(?=[{UP}][{LOW}])"  # not inside the issuer "QĐ-TTg"
)


def _split_forms(cell: str) -> tuple[str, str]:
    """Split a glued template file name off: "Tờ khaiMau01.docx" → ("Tờ khai", "Mau01.docx").

    The crawl glues the template's file name to the document name; the file
    name starts at the leftmost glue point close before the extension that
    leaves no ";" in it.
    """
    ends = list(_FILE_EXT.finditer(cell))
    if not ends:
        return cell, ""
    head = cell[: ends[0].start()]
    starts = [
        g.start()
        for g in _GLUE.finditer(head, max(0, len(head) - 100))
        if ";" not in head[g.start() :] and g.start() > 0
    ]
    start = starts[0] if starts else head.rfind(" ") + 1
    files = re.split(
        r"(?<=\.docx)|(?<=\.doc)(?!x)|(?<=\.pdf)|(?<=\.xlsx)|(?<=\.xls)(?!x)",
        cell[start : ends[-1].end()],
        flags=re.IGNORECASE,
    )
    return cell[:start], "; ".join(f.strip(" .") for f in files if f.strip(" ."))


def _count_text(m: re.Match) -> str:
    if m.group(3) is not None:
        return f"Bản chính: {m.group(3)} - Bản sao: {m.group(4)}"
    if m.group(2) is None:
        return f"{m.group(1)} bản chính"
    if m.group(1) == "0":
        return f"{m.group(2)} bản sao"
    return f"{m.group(1)} bản chính, {m.group(2)} bản sao"


def _group_title(text: str) -> str:
    return _cell(text).strip("-*: ")


def parse_documents(text: str) -> tuple[list[Document], bool]:
    """Parse "Thành phần hồ sơ": documents (name, template, count, case), and whether all was used.

    The portal splits the list into cases ("Trường hợp ủy quyền ...") each with
    its own table; the case title sits between one table and the next header.
    """
    body = nfc(text or "")
    if _is_no_info(body.strip(" -\t\r\n")) or not body.strip(" -\t\r\n"):
        return [], True
    parts = _DOCS_HEADER.split(body)
    if len(parts) == 1:
        return [], False
    group, docs, complete = _group_title(parts[0]), [], True
    for i, part in enumerate(parts[1:], start=2):
        pos = 0
        for m in _COUNT.finditer(part):
            cell = part[pos : m.start()]
            if not re.search(r"[^\W\d_]", cell):
                continue  # "01 bản chính ..." opening a name, not a count cell
            name, form = _split_forms(cell)
            docs.append(
                Document(
                    name=_cell(name).lstrip("-+*• ").rstrip(" ;,"),
                    form=_cell(form),
                    count=_count_text(m),
                    group=group,
                )
            )
            pos = m.end()
        if i == len(parts):
            complete = not _cell(part[pos:]).strip("-* ")
        else:
            group = _group_title(part[pos:])
    return docs, complete and bool(docs)


# --- steps ----------------------------------------------------------------

_STEP = re.compile(rf"Bước[ \t]*\d+(?:[ \t]*[:.\-–]|[ \t]+(?=[{UP}\d]))")
_BULLET = re.compile(r"(?:[-+•*][ \t]*|[a-zđ]\)[ \t]*)?[ \t]*$")
_NUMBERED = re.compile(r"(?m)^[ \t]*(\d{1,2})\.[ \t]+(?=\S)")


def split_steps(text: str) -> list[str]:
    """Split "Trình tự thực hiện" at "Bước N:" when present, else at "1." "2." lines.

    Text before the first step (a case title, an intro) stays as its own item.
    """
    body = tidy(text)
    if not body:
        return []
    cuts = [
        _BULLET.search(body, max(0, m.start() - 4), m.start()).start() for m in _STEP.finditer(body)
    ]
    if not cuts:
        numbered = list(_NUMBERED.finditer(body))
        if [int(m.group(1)) for m in numbered[:2]] == [1, 2]:
            cuts = [m.start() for m in numbered]
    if not cuts:
        return [body]
    pieces = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]
    return [p.strip().lstrip("-+•* \t") for p in pieces if p.strip()]


# --- legal basis ----------------------------------------------------------

_LEGAL_HEADER = re.compile(r"^\s*Tên văn bản pháp lý\s*Mã văn bản\s*")
_VOWELS = "".join(ch for ch in LOW.replace("\\", "") if fold(ch) in "aeiouy")
# A capital that starts a glued title: a vowel, or a consonant followed by a vowel
# or by the second letter of a Vietnamese onset (Ph, Th, Tr, Ng, Gi, Qu...).
_WORD_START = rf"(?:[{_VOWELS}]|(?<=[CGKNPT])h|(?<=T)r|(?<=N)g|(?<=G)i|(?<=Q)u)"
# "68/2013/TT-BCA", "02/2011/QH13", "53/2010/QĐ-TTg", "01/VBHN-BTC". The issuer
# stops before a capital that starts the next, glued title ("TT-BCALuật ...");
# only the Assembly's "QH13" carries digits.
_ISSUER = rf"(?:TTg|(?:UBTV)?QH\d{{2}}|(?:[{UP}](?!{_WORD_START}))+)"
_NUMBER_START = r"(?=\d)(?:(?<!\d)|(?<=QH\d{2})|(?<=/\d{4})|(?<=[\s\-–](?:19|20)\d\d))"
DOC_NUMBER = re.compile(rf"{_NUMBER_START}\d{{1,4}}(?:/\s?\d{{4}})?/{_ISSUER}(?:-{_ISSUER})*")
_KIND = (
    r"(?:Bộ luật|Luật|Nghị định|Nghị quyết|Thông tư(?: liên tịch)?|Quyết định|Pháp lệnh|Chỉ thị)"
)
_ENDS_WITH_KIND = re.compile(rf"(?:{_KIND}|[Ss]ố)\s*$")
# A number cell written "Luật số 32/2024/QH15" or "Số 73/...": the words glued
# to the end of the title belong to the number, not the title.
_GLUED_KIND = re.compile(
    rf"(?:(?<=[{LOW}\d.)])(?:{_KIND}\s*)?(?:[Ss]ố\s*)?|(?<=\S)\s+{_KIND}\s+số\s*)$"
)
_ONLY_KIND = re.compile(rf"^\s*(?:{_KIND}\s*)?(?:[Ss]ố\s*)?$")


def _closes_pair(body: str, m: re.Match) -> bool:
    """A number ends a (title, number) row when the next title is glued on."""
    after = body[m.end() : m.end() + 1]
    return not after or not (after.isspace() or after in ",;:.)]")


def parse_legal(text: str) -> tuple[list[LegalDoc], bool]:
    """Parse "Căn cứ pháp lý" into (title, number) pairs, and whether all the text was used.

    A number followed by a space or punctuation belongs to the title ("Nghị
    định số 53/2026/NĐ-CP ngày ..."); a title ending in its own number is
    followed by the same number again ("Nghị định 05/2012/NĐ-CP05/2012/NĐ-CP").
    """
    body = _LEGAL_HEADER.sub("", clean(text), count=1)
    if not body:
        return [], True
    ends = [m for m in DOC_NUMBER.finditer(body) if _closes_pair(body, m)]
    docs: list[LegalDoc] = []
    pos = i = 0
    while i < len(ends):
        m = ends[i]
        head = body[pos : m.start()]
        nxt = ends[i + 1] if i + 1 < len(ends) else None
        if nxt and nxt.start() == m.end() and _ENDS_WITH_KIND.search(head):
            head, m, i = body[pos : m.end()], nxt, i + 1
        number = re.sub(r"\s+", "", m.group(0))
        title = _GLUED_KIND.sub("", head).strip(" ,;:-")
        if _ONLY_KIND.match(title):
            if docs and docs[-1].number == number:
                pos, i = m.end(), i + 1
                continue  # the title cell was the number itself ("Số 73/2025/TT-NHNN")
            title = _cell(f"{title} {number}")
        docs.append(LegalDoc(title, number))
        pos, i = m.end(), i + 1
    rest = body[pos:].strip(" ,;.")
    return docs, not rest or bool(docs and docs[-1].number.startswith(rest))


# --- result and online level ----------------------------------------------

# "Mã: KQ.G01.000262" glued to the next name ("...000262Thông báo"): the code is
# tokens joined by . or -, each letters+digits, or a few capitals ("VBTT").
_CODE_TOKEN = rf"(?:[A-Za-z]{{0,6}}\d+|[A-Z]{{2,6}}(?![{LOW}]))"
_RESULT_CODE = re.compile(
    rf"\s*Mã\s*:\s*(?:{_CODE_TOKEN}(?:[.\-]{_CODE_TOKEN})*|\w+?(?=[{UP}][{LOW}]|\s*$))\s*"
)
_RESULT_CHROME = re.compile(r"Từ khóa.*$|Chọn cơ quan thực hiện.*$", re.DOTALL)
_PAGE_CHROME = re.compile(
    r"(?:Không có thông tin)?\s*(?:Từ khóa.{0,300}?Mô tả|Chọn cơ quan thực hiện).*$", re.DOTALL
)


def strip_chrome(text: str) -> str:
    """Long text with the page's keyword/agency picker (crawled into some fields) cut off."""
    return tidy(_PAGE_CHROME.sub("", nfc(text or "")))


def clean_result(text: str) -> str:
    """Result names without page chrome: "Giấy phépMã: KQ.G01.00262Từ khóa..." → "Giấy phép".

    Each result is followed by its code ("Mã: KQ...."); several are joined by "; ".
    """
    body = _RESULT_CHROME.sub("", nfc(clean_controls(text or "")))
    names = [_cell(part).strip(" ;") for part in _RESULT_CODE.split(body)]
    return "; ".join(n for n in names if n)


_ONLINE = re.compile(r"(?:dịch vụ công|trực tuyến)\s+(?:trực\s+tuyến\s+)?(toàn trình|một phần)")


def online_level(name: str, *texts: str) -> str | None:
    """Decree 42/2022 level when the record states it ("... dịch vụ công trực tuyến toàn trình").

    The name decides; other text only when it names a single level (some
    records describe both ways).
    """
    for source in (name, " ".join(texts)):
        text = nfc(source).lower()
        if "trình" not in text and "phần" not in text:
            continue
        found = {m.group(1) for m in _ONLINE.finditer(squash(text))}
        if len(found) == 1 or (found and source is name):
            return ONLINE_PARTIAL if "một phần" in found else ONLINE_FULL
    return None


# --- original text kept for display when a parse was partial ---------------


def filings_body(text: str) -> str:
    return tidy(_FILINGS_HEADER.sub("", nfc(text or ""), count=1))


def documents_body(text: str) -> str:
    return tidy(_DOCS_HEADER.sub("\n", nfc(text or ""))).strip("- \n")


def legal_body(text: str) -> str:
    return tidy(_LEGAL_HEADER.sub("", nfc(text or ""), count=1))
