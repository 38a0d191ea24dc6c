"""Dossier codes: `<agency electronic id>-<yyMMdd>-<4-digit daily number>`.

E.g. `000.00.06.H56-231027-0361` (agency ids per Decision 20/2020/QĐ-TTg; ids
like `H30.22.10` exist too, so the agency part is any dot-separated alphanumeric
groups). Citizens type codes with spaces, lower case, en dashes and words
around them; these helpers find the canonical code, or say what is wrong
with an almost-code so the dialog can give a precise hint.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from bot.text import nfc

_DASHES = r"\-" + "\u2010\u2011\u2012\u2013\u2014\u2212"  # dash look-alikes
_DASH = f"[{_DASHES}]"
_AGENCY = r"[A-Z0-9]{1,8}(?:\s*\.\s*[A-Z0-9]{1,8})+"
_SEP = rf"(?:\s*{_DASH}\s*|\s+)"
_CODE_RE = re.compile(
    rf"(?<![\w.])(?P<agency>{_AGENCY}){_SEP}(?P<date>\d{{6}})(?:{_SEP})?(?P<num>\d{{4}})(?!\w)"
)
_NEAR_RE = re.compile(
    rf"(?<![\w.])(?P<agency>{_AGENCY}){_SEP}(?P<tail>\d(?:[\d\s{_DASHES}]*\d)?)(?!\w)"
)
_NO_AGENCY_RE = re.compile(rf"(?<![\w.])(?P<date>\d{{6}})\s*{_DASH}\s*(?P<num>\d{{4}})(?!\w)")
_SPLIT_RE = re.compile(rf"[\s{_DASHES}]+")
_SPACES_RE = re.compile(r"\s+")
_CANONICAL_RE = re.compile(r"^[A-Z0-9]{1,8}(?:\.[A-Z0-9]{1,8})+-\d{6}-\d{4}$")

# What is wrong with an almost-code (see dossier_code_problem).
BAD_DATE = "bad_date"
BAD_NUMBER = "bad_number"
MISSING_NUMBER = "missing_number"
MISSING_AGENCY = "missing_agency"


@cache
def _valid_date(yymmdd: str) -> bool:
    """yyMMdd is a real day (cached: an import checks a million codes over a few hundred days)."""
    try:
        date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return False
    return True


def _canonical(m: re.Match[str]) -> str | None:
    if not _valid_date(m["date"]):
        return None
    return f"{_SPACES_RE.sub('', m['agency'])}-{m['date']}-{m['num']}"


def is_canonical(code: str) -> bool:
    """Already in the stored form (cheap check, the date included)."""
    return bool(_CANONICAL_RE.match(code)) and _valid_date(code[-11:-5])


def normalize_dossier_code(text: str | None) -> str | None:
    """The canonical code if `text` is one code (any case, spaces, dash style), else None."""
    if not text:
        return None
    s = text.strip().upper() if text.isascii() else nfc(text).strip().upper()
    if _CANONICAL_RE.match(s):  # the common case, e.g. every row of an import
        return s if _valid_date(s[-11:-5]) else None
    m = _CODE_RE.fullmatch(s)
    return _canonical(m) if m else None


def find_dossier_codes(message: str | None) -> list[str]:
    """Every valid code in a message, in order, without repeats."""
    found: list[str] = []
    for m in _CODE_RE.finditer(nfc(message or "").upper()):
        code = _canonical(m)
        if code and code not in found:
            found.append(code)
    return found


def find_dossier_code(message: str | None) -> str | None:
    """The first valid code in a message ("cho hỏi hồ sơ 000.00.06.h56 - 231027 - 0361 ...")."""
    for m in _CODE_RE.finditer(nfc(message or "").upper()):
        code = _canonical(m)
        if code:
            return code
    return None


def dossier_code_problem(message: str | None) -> str | None:
    """Why the almost-code in `message` is not a code, or None (no almost-code, or a valid one).

    One of BAD_DATE (the yyMMdd part is not a date or not 6 digits), BAD_NUMBER
    (the daily number is not 4 digits), MISSING_NUMBER (agency and date only),
    MISSING_AGENCY (only `yyMMdd-NNNN`).
    """
    text = nfc(message or "").upper()
    if find_dossier_code(text):
        return None
    for m in _NEAR_RE.finditer(text):
        if not re.search(r"[A-Z]", m["agency"]):  # "1.000.000 - 200000 đồng" is money
            continue
        groups = [g for g in _SPLIT_RE.split(m["tail"]) if g]
        day = groups[0]
        if len(groups) == 1:
            if len(day) == 6:
                return MISSING_NUMBER if _valid_date(day) else BAD_DATE
            if len(day) > 6 and _valid_date(day[:6]):
                return BAD_NUMBER
            return BAD_DATE
        if len(day) != 6 or not _valid_date(day):
            return BAD_DATE
        return BAD_NUMBER
    for m in _NO_AGENCY_RE.finditer(text):
        if _valid_date(m["date"]):
            return MISSING_AGENCY
    return None


def looks_like_dossier_code(message: str | None) -> bool:
    """True when the message holds something close to a code that is not a valid one."""
    return dossier_code_problem(message) is not None
