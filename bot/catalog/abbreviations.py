"""Abbreviations read off the catalog's own names: "dkkh" is "đăng ký kết hôn".

Citizens and officials write a procedure's name by its initials ("dkkh", "gcn qsdđ",
"hkd"). Rather than list them by hand, the index counts the runs of 2–5 words in the
catalog's names; a run that recurs gives its initials as an abbreviation, when no other
run with the same initials is nearly as common. Search uses one only for a word the
catalog itself does not have, so a real word is never read as initials.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from bot.catalog.tokenize import folded_phrases

MIN_COUNT = 3  # names holding the run
RIVAL = 2  # a run with the same initials in this many names makes it ambiguous
DOMINANT = 2.0  # times as common as the next run with the same initials
SHORTEST, LONGEST = 2, 5  # words in a run
MIN_LETTERS = 3  # "dk" could be anything
_VOWELS = frozenset("aeiou")  # initials have none ("bhyt" has y): "adc" is not one
# Chat spelling that would otherwise read as a catalog run ("tks" is thanks, not
# "thác khoáng sản"); the dialog spells these out itself.
CHAT = frozenset(
    ["tks", "thx", "ntn", "bnh", "sdt", "trc", "khg", "mk", "mik", "pls", "plz", "ib", "inb"]
)


def mine(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Initials -> the run of (folded) words they stand for."""
    counts: Counter[str] = Counter()  # runs as strings: tuples would cost more memory
    for name in names:
        for phrase in folded_phrases(name):
            for n in range(SHORTEST, min(LONGEST, len(phrase)) + 1):
                counts.update(" ".join(phrase[i : i + n]) for i in range(len(phrase) - n + 1))
    by_initials: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
    for run, count in counts.items():
        if count >= RIVAL:  # a run seen once is no rival; most runs are seen once
            words = tuple(run.split())
            by_initials["".join(w[0] for w in words)].append((count, words))
    del counts
    out = {}
    for key, runs in by_initials.items():
        if len(key) < MIN_LETTERS or key in CHAT or _VOWELS & set(key):
            continue
        runs.sort(reverse=True)
        if runs[0][0] >= MIN_COUNT and (len(runs) == 1 or runs[0][0] >= DOMINANT * runs[1][0]):
            out[key] = runs[0][1]
    return out
