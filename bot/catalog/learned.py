"""Phrasings officials linked to procedures: how the bot learns from the desk.

When the search could not answer a citizen and an official says "this is procedure
X", the citizen's wording is kept. A later question close enough to a kept wording
is answered with that procedure first. Closeness is a weighted overlap of folded
syllables and their pairs, each weighed by its rarity in the catalog, so shared
everyday words ("tôi", "nhà", "làm") count for little and the telling ones decide.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.catalog.synonyms import QUESTION_WORDS
from bot.catalog.tokenize import folded_phrases, terms
from bot.clock import stamp, utcnow
from bot.store import Database
from bot.store import questions as store

# How close a question must be to a learned wording (weighted Jaccard of its terms).
CLOSE_ENOUGH = 0.42
# One-word asking words ("tôi", "làm", "gì"); the words of longer ones ("thời hạn giải
# quyết") still tell what a question is about.
_ASKING_SYLLABLES = frozenset(
    phrase[0] for phrase in folded_phrases(", ".join(QUESTION_WORDS)) if len(phrase) == 1
)


@dataclass(frozen=True)
class Learned:
    id: int
    text: str
    procedure_code: str
    question_id: int | None
    linked_by: str
    created_at: str


def wording_terms(text: str) -> frozenset[str]:
    """Folded syllables and neighbour pairs, without the words every question has."""
    phrases = [[w for w in p if w not in _ASKING_SYLLABLES] for p in folded_phrases(text)]
    return frozenset(terms([p for p in phrases if p]))


class LearnedPhrasings:
    """The kept wordings in memory, matched against a question (pure CPU)."""

    def __init__(self, entries: Iterable[Learned], rarity: Callable[[str], float]):
        self.rarity = rarity
        self._entries = [(e, wording_terms(e.text)) for e in entries]

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, question: str) -> tuple[Learned, float] | None:
        """The closest kept wording if it is close enough, with its closeness."""
        if not self._entries:
            return None
        asked = wording_terms(question)
        if not asked:
            return None
        best: tuple[Learned, float] | None = None
        for entry, kept in self._entries:
            shared = asked & kept
            if not shared:
                continue
            score = self._weight(shared) / self._weight(asked | kept)
            if score >= CLOSE_ENOUGH and (best is None or score > best[1]):
                best = (entry, score)
        return best

    def _weight(self, words: frozenset[str]) -> float:
        # log-damped so one unseen word (the rarest possible) cannot outweigh the rest
        return sum(math.log1p(self.rarity(w)) for w in words)


async def load(db: Database) -> list[Learned]:
    return [Learned(**dict(r)) for r in await store.learned(db)]


async def add(conn, text: str, code: str, question_id: int | None, who: tuple[str, str]) -> int:
    """Keep a wording inside the caller's transaction (the question's link commits with it)."""
    return await store.add_learned(conn, text, code, question_id, who[0], who[1], stamp(utcnow()))


async def remove(db: Database, learned_id: int) -> bool:
    return await store.remove_learned(db, learned_id)


async def linked_codes(db: Database) -> list[str]:
    """The procedure of each linked wording (a prior on ranking: what people ask for)."""
    return await store.learned_codes(db)


async def version(db: Database) -> tuple[int, int]:
    """Changes when a wording is added or removed (how a running bot notices the CLI)."""
    return await store.learned_version(db)
