"""Life events: "bố em mới mất" names no procedure, but a death needs several, in order.

The events are data (`bot/data/life_events.json`); this module loads them and finds
the event a message describes, on folded text (`tokenize.fast_fold`), so a message
with or without accents matches alike. A cue is a few words in order:

- a word, matched folded ("mất" also matches "mat");
- `{set}`: any entry of a named set (entries may be several words);
- `*`: up to three other words ("bố em mới mất");
- `!{set}`: the next words must not be an entry of the set ("mất giấy" is a lost paper);
- `{num}`: a number ("mẹ em 82 tuổi").

A message that names one of the event's procedures itself ("bố em mất, làm giấy khai tử
thế nào") is a procedure question: `defer` phrases send it to search, and the match is
kept so the card can offer the whole group.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from bot.catalog.tokenize import fast_fold
from bot.text import nfc

PACKAGE = "bot"
RESOURCE = "data/life_events.json"
GAP = 3  # words a `*` may skip
_WORDS = re.compile(r"[^\W_]+")
_ELEMENT = re.compile(r"!?\{[^}]+\}|\*|[^\s{}*!]+")


def words_of(text: str) -> tuple[str, ...]:
    """Folded words, punctuation dropped: cues may cross a comma ("bố em mất, làm gì")."""
    return tuple(_WORDS.findall(fast_fold(text)))


def typed_words(text: str) -> tuple[str, ...]:
    """The words as typed (lower case, marks kept), one per folded word."""
    return tuple(_WORDS.findall(nfc(text).lower()))


def _same(folded: str, typed: str, cue: tuple[str, str]) -> bool:
    """A message word is a cue's word when their folds agree and, if the citizen typed
    marks, the marks agree too: typed "có" is not "cô" (a relative), "mặt" is not "mất";
    typed without marks, "co" may be either."""
    return folded == cue[0] and (typed.isascii() or typed == cue[1])


@dataclass(frozen=True)
class Text:
    """A sentence in both languages; the data carries both, the dialog picks one."""

    vi: str
    en: str

    def get(self, locale: str) -> str:
        return self.en if locale == "en" else self.vi


@dataclass(frozen=True)
class Step:
    code: str
    label: Text  # a short name for its button; the card shows the full one
    note: Text


@dataclass(frozen=True)
class Elsewhere:
    """A matter the commune does not handle, and where it is handled."""

    what: Text
    where: Text


@dataclass(eq=False)  # compared (and hashed) by identity: the data is loaded once
class LifeEvent:
    id: str
    title: Text
    steps: list[Step]
    notes: list[Text]
    elsewhere: list[Elsewhere]
    cues: list[list[tuple[str, object]]] = field(repr=False)
    defer: list[tuple[str, ...]] = field(repr=False)
    # The step the situation itself calls for ("Đăng ký khai tử" after a death), where
    # one does: shown with the group, and what a follow-up ("cần mang gì") is about
    # until the citizen picks another step. None where the situation leaves it open
    # (moving house: permanent or temporary residence?) or a cue may be only context.
    main: str | None = None


@dataclass(frozen=True)
class EventMatch:
    event: LifeEvent
    deferred: bool  # the message names a procedure of its own: search answers first
    at: int  # word position of the cue (the earliest cue wins)


def _text(value: object, where: str) -> Text:
    if not isinstance(value, dict) or not all(
        isinstance(value.get(k), str) and value[k].strip() for k in ("vi", "en")
    ):
        raise ValueError(f"{where}: expected {{'vi': ..., 'en': ...}} with both filled")
    return Text(value["vi"], value["en"])


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """(folded, as written) for each word of a cue or a set's entry."""
    folded, typed = words_of(text), typed_words(text)
    return tuple(zip(folded, typed if len(typed) == len(folded) else folded, strict=True))


def _by_first(entries: list[str]) -> dict[str, list[tuple[tuple[str, str], ...]]]:
    """A set's entries as (folded, written) word tuples, by folded first word, longest first."""
    out: dict[str, list[tuple[tuple[str, str], ...]]] = {}
    for entry in sorted({_pairs(e) for e in entries if words_of(e)}, key=len, reverse=True):
        out.setdefault(entry[0][0], []).append(entry)
    return out


def _compile(cue: str, sets: dict[str, list[tuple[str, ...]]], where: str):
    """A cue as (kind, value) elements: word, set, gap, not, num."""
    out: list[tuple[str, object]] = []
    for part in _ELEMENT.findall(cue):
        if part == "*":
            out.append(("gap", GAP))
        elif part == "{num}":
            out.append(("num", None))
        elif part.startswith(("{", "!{")):
            name = part.strip("!{}")
            if name not in sets:
                raise ValueError(f"{where}: unknown set {{{name}}} in cue {cue!r}")
            out.append(("not" if part.startswith("!") else "set", sets[name]))
        else:
            out.extend(("word", pair) for pair in _pairs(part))
    if not out or out[0][0] not in ("word", "set"):
        raise ValueError(f"{where}: cue {cue!r} has no words (or does not start with one)")
    return out


def parse_life_events(text: str, origin: str = "life events") -> list[LifeEvent]:
    """Parse and validate the data; ValueError naming the event on any problem."""
    data = json.loads(text)
    sets = {name: _by_first(entries) for name, entries in data.get("sets", {}).items()}
    events = []
    seen = set()
    for entry in data["events"]:
        where = f"{origin}: event {entry.get('id')!r}"
        if not entry.get("id") or entry["id"] in seen:
            raise ValueError(f"{where}: missing or repeated id")
        seen.add(entry["id"])
        events.append(
            LifeEvent(
                id=entry["id"],
                title=_text(entry.get("title"), where),
                steps=[
                    Step(s["code"], _text(s.get("label"), where), _text(s.get("note"), where))
                    for s in entry["steps"]
                ],
                notes=[_text(n, where) for n in entry.get("notes", [])],
                elsewhere=[
                    Elsewhere(_text(e.get("what"), where), _text(e.get("where"), where))
                    for e in entry.get("elsewhere", [])
                ],
                cues=[_compile(c, sets, where) for c in entry["cues"]],
                defer=[words_of(d) for d in entry.get("defer", []) if words_of(d)],
                main=entry.get("main"),
            )
        )
        if events[-1].main is not None and events[-1].main not in {
            s.code for s in events[-1].steps
        }:
            raise ValueError(f"{where}: main {events[-1].main!r} is not one of its steps")
        if not events[-1].steps and not events[-1].elsewhere:
            raise ValueError(f"{where}: no steps and nowhere else to send the citizen")
    return events


@cache
def load_life_events() -> tuple[LifeEvent, ...]:
    text = resources.files(PACKAGE).joinpath(RESOURCE).read_text(encoding="utf-8")
    return tuple(parse_life_events(text, origin=f"{PACKAGE}/{RESOURCE}"))


@cache
def _cues_by_first_word(events: tuple[LifeEvent, ...]) -> dict[str, list[tuple[LifeEvent, list]]]:
    """Every cue under each word it can start with: most words of a message start none."""
    index: dict[str, list[tuple[LifeEvent, list]]] = {}
    for event in events:
        for cue in event.cues:
            kind, value = cue[0]
            for first in [value[0]] if kind == "word" else value:
                index.setdefault(first, []).append((event, cue))
    return index


Words = tuple[tuple[str, ...], tuple[str, ...]]  # a message's folded and typed words


def _entry_at(words: Words, i: int, entries: dict) -> list[int]:
    """Lengths of the set's entries found at position i."""
    folded, typed = words
    if i >= len(folded):
        return []
    return [
        len(e)
        for e in entries.get(folded[i], ())
        if i + len(e) <= len(folded)
        and all(_same(folded[i + k], typed[i + k], pair) for k, pair in enumerate(e))
    ]


def _match_from(words: Words, i: int, cue: list, k: int = 0) -> bool:
    """Whether cue[k:] matches starting at word i (backtracking over gaps and set entries)."""
    if k == len(cue):
        return True
    kind, value = cue[k]
    folded, typed = words
    if kind == "not":
        return not _entry_at(words, i, value) and _match_from(words, i, cue, k + 1)
    if kind == "gap":
        return any(
            _match_from(words, j, cue, k + 1) for j in range(i, min(i + value, len(folded)) + 1)
        )
    if i >= len(folded):
        return False
    if kind == "word":
        return _same(folded[i], typed[i], value) and _match_from(words, i + 1, cue, k + 1)
    if kind == "num":
        return folded[i].isdigit() and _match_from(words, i + 1, cue, k + 1)
    return any(_match_from(words, i + n, cue, k + 1) for n in _entry_at(words, i, value))


def _has(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


def find_event(text: str, events: tuple[LifeEvent, ...] | None = None) -> EventMatch | None:
    """The life event the message describes (the earliest cue; ties: the data's order)."""
    folded, typed = words_of(text), typed_words(text)
    if len(typed) != len(folded):  # never expected; then read every word as unmarked
        typed = folded
    return _find((folded, typed), load_life_events() if events is None else tuple(events))


@lru_cache(maxsize=4096)  # citizens repeat themselves, as the search's answer cache assumes
def _find(words: Words, events: tuple[LifeEvent, ...]) -> EventMatch | None:
    index = _cues_by_first_word(events)
    folded = words[0]
    for at, word in enumerate(folded):
        for event, cue in index.get(word, ()):
            if _match_from(words, at, cue):
                deferred = any(_has(folded, phrase) for phrase in event.defer)
                return EventMatch(event, deferred, at)
    return None


def event_by_id(event_id: str) -> LifeEvent | None:
    return next((e for e in load_life_events() if e.id == event_id), None)
