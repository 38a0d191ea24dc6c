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
