"""English over a Vietnamese catalog: a glossary, not a translator.

A question typed in English ("how do I register a birth") is recognised by its words,
and rewritten into the catalog's own Vietnamese search vocabulary ("đăng ký khai sinh")
phrase by phrase, longest first, from `bot/data/english.json`; the Vietnamese search then
ranks it as usual. Words the glossary does not know stay as typed, so a code or a
Vietnamese name still counts. The same file gives procedures English names for cards.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from bot.text import fold

PACKAGE = "bot"
RESOURCE = "data/english.json"
LONGEST = 6  # words in the longest glossary phrase looked for
ENGLISH_SHARE = 0.6  # share of a question's words that must be known English words

_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
_CODE = re.compile(r"\b\d\.\d{6}(?:\.[0-9A-Za-z]+)*\b")
# A Vietnamese syllable typed without accents: onset, vowels, final consonant.
_VI_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?$"
)


@dataclass(frozen=True)
class Glossary:
    names: dict[str, str]  # procedure code (8 characters) -> English name
    phrases: dict[tuple[str, ...], str]  # English words -> Vietnamese wording
    known: frozenset[str]  # every English word the glossary and the function words hold


def _words(text: str) -> list[str]:
    """Lower-case English words; a possessive 's is dropped ("child's" -> "child")."""
    found = _WORD.findall(text.lower().replace("’", "'"))
    return [w[:-2] if w.endswith("'s") else w.rstrip("'") for w in found]


def parse_glossary(text: str) -> Glossary:
    data = json.loads(text)
    phrases = {tuple(_words(k)): v for k, v in data["phrases"].items() if _words(k)}
    too_long = [k for k in phrases if len(k) > LONGEST]
    if too_long:
        raise ValueError(f"glossary phrases longer than {LONGEST} words: {too_long}")
    known = {w for key in phrases for w in key} | set(data.get("function_words", []))
    return Glossary({k[:8]: v for k, v in data["names"].items()}, phrases, frozenset(known))


@cache
def glossary() -> Glossary:
    text = resources.files(PACKAGE).joinpath(RESOURCE).read_text(encoding="utf-8")
    return parse_glossary(text)


def english_name(code: str) -> str | None:
    return glossary().names.get(code[:8])


@lru_cache(maxsize=4096)  # asked for every message of a few words, often the same ones
def is_english(text: str) -> bool:
    """Typed in English: no Vietnamese marks, most words known English words, and at
    least one of them impossible as a Vietnamese syllable ("lam giay khai sinh" is not)."""
    if fold(text) != text.lower():  # any accent or đ: Vietnamese
        return False
    words = [w for w in _words(text) if not w.isdigit()]
    if not words:
        return False
    known = [w for w in words if w in glossary().known]
    if len(known) < ENGLISH_SHARE * len(words):
        return False
    return any(not _VI_SYLLABLE.match(w.replace("-", "")) for w in known)


def to_vietnamese(text: str) -> str:
    """The question in the catalog's words: glossary phrases, longest first; English
    function words dropped; anything else (numbers, codes, names) kept as typed."""
    g = glossary()
    codes = _CODE.findall(text)
    words = _words(_CODE.sub(" ", text))
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(LONGEST, len(words) - i), 0, -1):
            meant = g.phrases.get(tuple(words[i : i + n]))
            if meant is not None:
                out.append(meant)
                i += n
                break
        else:
            if words[i] not in g.known:
                out.append(words[i])
            i += 1
    return " ".join(codes + out)


def search_query(text: str) -> tuple[str, bool]:
    """(what to search, whether the question was English)."""
    if is_english(text):
        return to_vietnamese(text), True
    return text, False
