"""Vietnamese text helpers shared by import, search and the dialog."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Compose combining marks: crawled pages mix NFD (`ạ` as a + dot) with NFC."""
    return unicodedata.normalize("NFC", text or "")


def fold(text: str) -> str:
    """Lower-case and strip diacritics, folding đ to d (FTS5's remove_diacritics does not)."""
    decomposed = unicodedata.normalize("NFD", (text or "").lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d")


def squash(text: str) -> str:
    """Collapse runs of white space to one space and trim."""
    return _SPACES.sub(" ", text or "").strip()


# C0 controls but tab and line feed, DEL, C1 controls, and lone surrogates (which SQLite's
# UTF-8 cannot store): nothing a person types, often what a fuzzer or a broken export sends.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_NEWLINES = re.compile(r"\r\n?")
MAX_ID = 2**63 - 1  # the largest integer the store (SQLite, PostgreSQL bigint) holds


def clean(text: str) -> str:
    """Text from outside as it may be stored: no NUL or other control characters.

    Line breaks (\\r\\n and \\r become \\n) and tabs stay; everything else is unchanged.
    """
    if not text or (text.isprintable() and "\r" not in text):
        return text or ""
    return _CONTROLS.sub("", _NEWLINES.sub("\n", text))


def parse_id(text: str) -> int | None:
    """A positive record number typed or sent by someone, or None when it cannot be one.

    Plain ASCII digits only, and no larger than the store can hold: a 20-digit number is
    "not found", never an integer overflow.
    """
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
