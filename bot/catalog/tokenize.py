"""Turn Vietnamese text into search terms: folded syllables and their bigrams.

Citizens type with or without diacritics, so everything is compared folded
(`đ` → `d`, no tone marks), with the y/i spelling variants merged. Vietnamese
words are mostly two syllables, so a bigram of adjacent syllables is the
strong term; a single syllable ("cấp", "giấy") says little on its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from bot.text import fold, nfc

# Runs of letters/digits; punctuation ends a phrase, so bigrams never cross it.
_WORD = re.compile(r"[^\W_]+")
_PHRASE_BREAK = re.compile(r"[^\w\s]+|_")
# `kí`/`ký`, `lí`/`lý`, `quí`/`quý`: a final y after a consonant (or qu) is an i.
_FINAL_Y = re.compile(r"(?<=[bcdfghklmnpqrstvx])y$|(?<=qu)y$")


@lru_cache(maxsize=1 << 16)
def fold_syllable(syllable: str) -> str:
    """The folded form used everywhere in search (`Ký` → `ki`, `Đất` → `dat`).
    Cached: a language has few syllables and every question repeats them."""
    return _FINAL_Y.sub("i", fold(syllable))


@lru_cache(maxsize=1 << 16)
def _has_marks(word: str) -> bool:
    return fold(word) != word


def accent_key(syllable: str) -> tuple[str, str]:
    """Folded form plus the marks in order: `ký` and `kí` agree, `sổ` and `sơ` do not."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    marks = "".join(ch for ch in decomposed if unicodedata.category(ch) == "Mn")
    return fold_syllable(syllable), marks + ("đ" if "đ" in syllable.lower() else "")


# Share of syllables with marks above which a text is taken as typed with
# diacritics: then a bare "thi" means thi (exam), not an unmarked "thì".
MARKED_TEXT = 0.25


def marked_form(token: Token | str) -> str:
    """A syllable with its marks, as a term: `ký`/`kí` → "ki|́"."""
    folded, marks = accent_key(token.text if isinstance(token, Token) else token)
    return f"{folded}|{marks}"


@dataclass(frozen=True)
class Token:
    """One syllable as typed (lower-case, NFC) and folded, with its phrase number.

    `marked`: its marks (or their absence) were typed on purpose and can be trusted.
    """

    text: str
    folded: str
    phrase: int
    marked: bool


def tokens(text: str) -> list[Token]:
    """Syllables of `text` in order; `phrase` changes at punctuation."""
    found = [
        (number, word)
        for number, phrase in enumerate(_PHRASE_BREAK.split(nfc(text).lower()))
        for word in _WORD.findall(phrase)
    ]
    accented = [_has_marks(word) for _, word in found]
    with_marks = sum(accented) >= MARKED_TEXT * len(found)
    return [
        Token(word, fold_syllable(word), number, with_marks or has_marks)
        for (number, word), has_marks in zip(found, accented, strict=True)
    ]


def _fold_table() -> dict[int, str]:
    letters = [chr(c) for c in range(0xC0, 0x250)] + [chr(c) for c in range(0x1E00, 0x1F00)]
    table = {ord(ch): fold(ch) for ch in letters if len(fold(ch)) == 1}
    table.update({c: "" for c in range(0x300, 0x370)})
    return table


_FOLD = _fold_table()
_FINAL_Y_IN_TEXT = re.compile(r"(?<=[bcdfghklmnpqrstvx])y\b|(?<=qu)y\b")


def fast_fold(text: str) -> str:
    """`fold` then `fold_syllable` on a whole text at once (indexing is thousands of pages)."""
    return _FINAL_Y_IN_TEXT.sub("i", nfc(text).lower().translate(_FOLD))


def folded_phrases(text: str) -> list[list[str]]:
    """Folded syllables of `text`, grouped by phrase (the fast path used to index)."""
    out = []
    for phrase in _PHRASE_BREAK.split(fast_fold(text)):
        words = _WORD.findall(phrase)
        if words:
            out.append(words)
    return out


def bigram(first: str, second: str) -> str:
    return f"{first} {second}"


def terms(phrases: list[list[str]]) -> list[str]:
    """Syllables and, within each phrase, bigrams of adjacent syllables."""
    out: list[str] = []
    for words in phrases:
        out += words
        out += map(" ".join, zip(words, words[1:], strict=False))
    return out


def same_word(typed: Token, entry: Token) -> bool:
    """A typed syllable matches an entry's: folded equal, and marks equal if it has any."""
    if typed.folded != entry.folded:
        return False
    return not typed.marked or accent_key(typed.text) == accent_key(entry.text)


class PhraseBook:
    """Longest-match lookup of known phrases (written with diacritics) in a question."""

    def __init__(self, entries: dict[str, object]):
        self._by_folded: dict[tuple[str, ...], list[tuple[list[Token], object]]] = {}
        for text, value in entries.items():
            words = tokens(text)
            self._by_folded.setdefault(tuple(t.folded for t in words), []).append((words, value))
        # Entry lengths by first syllable, longest first: most words start no entry.
        lengths: dict[str, set[int]] = {}
        for key in filter(None, self._by_folded):
            lengths.setdefault(key[0], set()).add(len(key))
        self._lengths = {first: sorted(n, reverse=True) for first, n in lengths.items()}

    def match(self, words: list[Token], start: int) -> tuple[int, object] | None:
        """(length, value) of the longest entry starting at `start`, or None."""
        for length in self._lengths.get(words[start].folded, ()):
            if start + length > len(words):
                continue
            span = words[start : start + length]
            if span[0].phrase != span[-1].phrase:
                continue
            for entry, value in self._by_folded.get(tuple(t.folded for t in span), ()):
                if all(same_word(t, e) for t, e in zip(span, entry, strict=True)):
                    return length, value
        return None


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def edits1(word: str) -> set[str]:
    """Strings one deletion, swap, replacement or insertion away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    return out


# Typos are guessed for words of this many letters: shorter ones have too many
# neighbours, longer ones are not Vietnamese syllables (at most two run together).
TYPO_LENGTHS = range(4, 15)


def correct(word: str, vocabulary: dict[str, int]) -> list[str]:
    """A typo's most likely reading: the commonest known word one edit away, or a
    run-together pair of known words (`khaisinh`); `[word]` when nothing fits."""
    if word in vocabulary or len(word) not in TYPO_LENGTHS or word.isdigit():
        return [word]
    near = [w for w in edits1(word) if w in vocabulary]
    if near:
        return [max(near, key=lambda w: (vocabulary[w], w))]
    pairs = [
        (word[:i], word[i:])
        for i in range(2, len(word) - 1)
        if bigram(word[:i], word[i:]) in vocabulary
    ]
    if pairs:
        return list(max(pairs, key=lambda p: vocabulary[bigram(*p)]))
    return [word]


@dataclass
class Slot:
    """One thing the question is about: a typed word, or an everyday phrase with
    the catalog's wordings for it (the typed wording first)."""

    wordings: list[tuple[str, ...]]
    marks: tuple[str, ...] | None = None  # `marked_form`s of the typed wording, if typed so
    at: int = -1  # position of a single-word slot in the question
    left: str | None = None  # the typed syllables next to a single-word slot
    right: str | None = None
    _plans: list | None = field(default=None, repr=False, compare=False)
    _words: frozenset[str] | None = field(default=None, repr=False, compare=False)

    def weight(self, idf) -> float:
        """Informative weight: that of its weightiest wording ("bhyt" weighs as much as
        "bảo hiểm y tế")."""
        return max(sum(idf(w) for w in wording) for wording in self.wordings)

    def covered_by(self, have: frozenset[str]) -> float:
        """How much of the slot a name (its syllables and bigrams) carries.

        A syllable counts in full when the name has it next to the same neighbour
        as the question (or it has no neighbour), half when found elsewhere: "thời
        tiết" is not carried by a name with "thời hạn" and "chi tiết". Typed with
        marks, it counts half when the name has it with other marks ("vàng", "vắng").
        """
        if self._plans is None:  # the same for every name: worked out once per question
            self._plans = self._plan()
        best = 0.0
        for plan in self._plans:
            total = 0.0
            for word, pairs, mark in plan:
                if word not in have:
                    continue
                share = 1.0 if not pairs or any(p in have for p in pairs) else 0.5
                total += share if mark is None or mark in have else share / 2
            best = max(best, total / len(plan))
        return best

    def words(self) -> frozenset[str]:
        """Every word of every wording: a name with none of them does not cover the slot."""
        if self._words is None:
            self._words = frozenset(word for wording in self.wordings for word in wording)
        return self._words

    def _plan(self) -> list[list[tuple[str, tuple[str, ...], str | None]]]:
        """Per wording: each word with the bigrams that would place it as typed, and
        its marked form when the question's marks are trusted (the typed wording only)."""
        plans = []
        for k, wording in enumerate(self.wordings):
            marks = self.marks if k == 0 else None
            single = len(wording) == 1
            plan = []
            for i, word in enumerate(wording):
                before = wording[i - 1] if i else (self.left if single else None)
                after = wording[i + 1] if i + 1 < len(wording) else (self.right if single else None)
                pairs = tuple(
                    bigram(*pair) for pair in ((before, word), (word, after)) if all(pair)
                )
                plan.append((word, pairs, None if marks is None else marks[i]))
            plans.append(plan)
        return plans


@dataclass
class Query:
    """A question as search sees it."""

    slots: list[Slot]
    terms: dict[str, float]  # syllables and bigrams outside everyday phrases, weighted
    groups: list[list[dict[str, float]]]  # per everyday phrase, the terms of each wording
    words: set[str]  # every syllable the question is about, wordings included
    quoted: list[str] = field(default_factory=list)  # titles typed in quotes, folded
    pool: frozenset[int] = frozenset()  # the procedures ranking found for it (set by search)


# A title in quotes ("danh hiệu “Chiến sĩ thi đua toàn quốc”") names one exact thing.
_QUOTED = re.compile(r"[“\"«„]([^”“\"»«„]+)[”\"»“]")
QUOTED_WORDS = range(2, 13)


def quoted_phrases(text: str) -> list[str]:
    """Folded phrases of 2 to 12 syllables the text puts in quotes."""
    out = []
    for inner in _QUOTED.findall(nfc(text)):
        words = [w for phrase in folded_phrases(inner) for w in phrase]
        if len(words) in QUOTED_WORDS:
            out.append(" ".join(words))
    return out


def _term_weights(found: Counter) -> dict[str, float]:
    """A repeated term counts more, but not much: long questions repeat themselves."""
    return {t: min(1.0 + 0.5 * (c - 1), 2.0) for t, c in found.items()}


def _wording_terms(wordings: list[tuple[str, ...]], idf) -> list[dict[str, float]]:
    """Terms of each wording, weighted so that each weighs as much as the typed one:
    "bhxh" (one rare term) must count as much as "bảo hiểm xã hội" (seven)."""
    found = [Counter(terms([list(w)])) for w in wordings]
    mass = [sum(idf(t) for t in f) or 1.0 for f in found]
    return [{t: mass[0] / m for t in f} for f, m in zip(found, mass, strict=True)]


def _add_neighbours(slots: list[Slot], sequence: list[tuple[str, int, bool, int]]) -> None:
    """Note the typed neighbours of single-word slots."""
    for slot in slots:
        if slot.at < 0:
            continue
        word, phrase = sequence[slot.at][0], sequence[slot.at][1]
        for side, other in (("left", slot.at - 1), ("right", slot.at + 1)):
            if 0 <= other < len(sequence):
                near, near_phrase, stop, _ = sequence[other]
                if near_phrase == phrase and not stop and near != word:
                    setattr(slot, side, near)


# A pair of words this common in the catalog is a name's, not a way of asking.
NAME_PAIR = 20
_LEVEL_WORDS = frozenset(["xa", "phuong", "huyen", "tinh"])  # "lên tỉnh", "ở xã"


def _holds_on(words: list[Token], end: int, vocabulary: dict[str, int]) -> bool:
    """Whether the last word of an asking phrase ending at `end` goes on into a common
    pair of the catalog's words with the next one ("ở xã" + "hội")."""
    if end >= len(words) or words[end].phrase != words[end - 1].phrase:
        return False
    if words[end - 1].folded not in _LEVEL_WORDS:
        return False
    return vocabulary.get(bigram(words[end - 1].folded, words[end].folded), 0) >= NAME_PAIR


def _initials_at(
    word: Token, initials: dict[str, tuple[str, ...]], vocabulary: dict[str, int]
) -> tuple[int, tuple[str, ...]] | None:
    """Initials the catalog does not have as a word ("dkkh") read as an everyday phrase is:
    both it and what it stands for ("dang ki ket hon") are searched."""
    run = initials.get(word.folded)
    if run is None or word.folded in vocabulary:
        return None
    return 1, (" ".join(run),)


def analyse(
    text: str,
    asking: PhraseBook,
    alternatives: PhraseBook,
    vocabulary: dict[str, int],
    idf,
    initials: dict[str, tuple[str, ...]] | None = None,
) -> Query:
    """Split a question into what it is about (slots) and weighted search terms.

    Words of asking ("tôi muốn hỏi", "gồm những gì") are dropped, everyday phrases
    gain the catalog's wordings, unknown words are corrected against `vocabulary`
    (syllables and bigrams with their document frequency); `idf(term)` is a term's rarity.
    `initials`: abbreviations of the catalog's names, read for words it does not have.
    """
    initials = initials or {}
    words = tokens(text)
    # (folded syllable, phrase, is a word of asking, everyday phrase number or -1)
    sequence: list[tuple[str, int, bool, int]] = []
    slots: list[Slot] = []
    groups: list[list[dict[str, float]]] = []
    i = 0
    while i < len(words):
        ask = asking.match(words, i)
        if ask and _holds_on(words, i + ask[0], vocabulary):
            ask = None  # "ở xã" asks where, but in "nhà ở xã hội" it is part of a name
        alt = alternatives.match(words, i) or _initials_at(words[i], initials, vocabulary)
        if alt and (not ask or alt[0] > ask[0]):
            length, meant = alt
            typed = tuple(t.folded for t in words[i : i + length])
            wordings = [typed] + [tuple(t.folded for t in tokens(m)) for m in meant]
            span = words[i : i + length]
            marks = tuple(map(marked_form, span)) if all(t.marked for t in span) else None
            slots.append(Slot(wordings, marks))
            sequence.extend((w, words[i].phrase, False, len(groups)) for w in typed)
            groups.append(_wording_terms(wordings, idf))
            i += length
        elif ask:
            sequence.extend((t.folded, t.phrase, True, -1) for t in words[i : i + ask[0]])
            i += ask[0]
        else:
            read = correct(words[i].folded, vocabulary)
            marks = (marked_form(words[i]),) if words[i].marked and len(read) == 1 else None
            for w in read:
                if not w.isdigit():
                    slots.append(
                        Slot([(w,)], marks if w == words[i].folded else None, len(sequence))
                    )
                sequence.append((w, words[i].phrase, False, -1))
            i += 1
    _add_neighbours(slots, sequence)
    found: Counter = Counter(w for w, _, stop, group in sequence if not stop and group < 0)
    for (a, pa, sa, ga), (b, pb, sb, gb) in zip(sequence, sequence[1:], strict=False):
        if pa == pb and not (sa and sb) and (ga < 0 or ga != gb):
            found[bigram(a, b)] += 1
    mentioned = {w for slot in slots for wording in slot.wordings for w in wording}
    return Query(slots, _term_weights(found), groups, mentioned, quoted_phrases(text))
