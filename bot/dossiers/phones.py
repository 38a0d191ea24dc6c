"""Phone numbers and names: one stored form, and masks for what a chat may show.

A dossier is found by its code, or by the applicant's phone; both are personal
data (Decree 13/2023, Law 91/2025), so replies show only masked forms.
"""

from __future__ import annotations

import re

from bot.text import nfc, squash

_JUNK_RE = re.compile(r"[\s.\-()/\u00a0\u2010-\u2015]+")
_MOBILE_RE = re.compile(r"0[35789]\d{8}")
_LANDLINE_RE = re.compile(r"02\d{9}")
# 11-digit mobile prefixes renumbered in 2018 (old -> new), for old records.
_OLD_MOBILE = {
    **{f"016{d}": f"03{d}" for d in "23456789"},
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip


def normalize_phone(raw: str | int | None) -> str | None:
    """`0xxxxxxxxx` for a mobile (10 digits), `02xxxxxxxxx` for a landline, else None.

    Accepts +84 / 0084 / 84, spaces, dots, dashes, brackets, the leading zero
    that spreadsheets drop, and the pre-2018 11-digit mobile prefixes.
    """
    if raw is None or isinstance(raw, bool):
        return None
    s = raw if isinstance(raw, str) else str(raw)
    if len(s) == 10 and s[0] == "0" and s[1] in "35789" and s.isdigit() and s.isascii():
        return s  # already in the stored form: most rows of an import
    s = _JUNK_RE.sub("", s)
    if s.startswith("+84"):
        s = "0" + s[3:]
    elif s.startswith("0084"):
        s = "0" + s[4:]
    elif s.startswith("84") and len(s) in (11, 12):
        s = "0" + s[2:]
    elif (len(s) == 9 and s[0] in "35789") or (len(s) == 10 and s[0] == "2"):
        s = "0" + s  # a spreadsheet ate the zero
    if not s.isdigit() or not s.isascii():
        return None
    if len(s) == 11 and s[:4] in _OLD_MOBILE:
        s = _OLD_MOBILE[s[:4]] + s[4:]
    if _MOBILE_RE.fullmatch(s) or _LANDLINE_RE.fullmatch(s):
        return s
    return None


def mask_phone(phone: str | None) -> str:
    """`0912345623` -> `09******23`."""
    if not phone:
        return ""
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:2] + "*" * (len(phone) - 4) + phone[-2:]


def mask_name(name: str | None) -> str:
    """`Nguyễn Văn An` -> `Nguyễn V*** A`: family name, initials, no given name."""
    words = squash(nfc(name or "")).split(" ")
    words = [w for w in words if w]
    if not words:
        return ""
    if len(words) == 1:
        return words[0][0] + "***"
    middle = [w[0] + "***" for w in words[1:-1]]
    return " ".join([words[0], *middle, words[-1][0]])
