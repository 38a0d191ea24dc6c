"""Vietnamese procedure search (interface; the method is being built)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.catalog.model import Procedure


@dataclass
class Match:
    code: str
    name: str
    score: float


@dataclass
class SearchResult:
    query: str
    abstained: bool
    matches: list[Match] = field(default_factory=list)


class SearchIndex:
    """Built once from the catalog; `search` is pure CPU, no I/O."""

    def __init__(self, procedures: Iterable[Procedure]):
        self.procedures = {p.code: p for p in procedures}

    def search(self, query: str, limit: int = 5) -> SearchResult:
        raise NotImplementedError
