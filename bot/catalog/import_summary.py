"""What an import kept and filled, so the operator sees why a card did not change."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.catalog.layers import GROUPS, is_curated, rank
from bot.catalog.model import Procedure
from bot.catalog.repository import LayerWrite

SHOWN = 8  # field groups named per line before "…"


@dataclass
class LayerStats:
    kept_curated: dict[str, set[str]] = field(default_factory=dict)  # group → procedure codes
    kept_national: dict[str, set[str]] = field(default_factory=dict)
    filled: Counter = field(default_factory=Counter)  # group → fields filled
    joined: int = 0  # provincial-only procedures folded into a national or curated one
    under: int = 0  # rows whose code (with a province's suffix) joined another procedure

    def record(self, write: LayerWrite, proc: Procedure) -> None:
        """Account the layer written for `proc`."""
        merged, source = write.merged, proc.source
        self.joined += write.joined
        self.under += write.code != proc.code
        for group, losers in merged.kept_over.items():
            if source not in losers:
                continue
            winner = merged.taken[group]
            kept = self.kept_curated if is_curated(winner) else self.kept_national
            kept.setdefault(group, set()).add(write.code)
        if rank(merged.procedure.source) < rank(source):  # a richer record had gaps
            self.filled.update(g for g, s in merged.taken.items() if s == source)

    def merge(self, other: LayerStats) -> None:
        for mine, theirs in (
            (self.kept_curated, other.kept_curated),
            (self.kept_national, other.kept_national),
        ):
            for group, codes in theirs.items():
                mine.setdefault(group, set()).update(codes)
        self.filled.update(other.filled)
        self.joined += other.joined
        self.under += other.under

    def lines(self) -> list[str]:
        lines = []
        for kept, what, why in (
            (self.kept_curated, "curated", "an import never replaces curated text"),
            (self.kept_national, "national", "a provincial list never overrides the portal"),
        ):
            if kept:
                codes = set().union(*kept.values())
                lines.append(
                    f"kept {what} fields for {len(codes)} procedures ({_groups(kept)}): {why}"
                )
        if self.filled:
            total = sum(self.filled.values())
            named = _groups({g: range(n) for g, n in self.filled.items()})
            lines.append(f"filled {total} empty fields of richer records ({named})")
        joined = self.joined + self.under
        if joined:
            lines.append(
                f"joined {joined} provincial entries to the procedure with the same national"
                " code (first 8 characters) instead of listing them twice"
            )
        return lines


def _groups(counts: dict) -> str:
    ordered = [g for g in GROUPS if g in counts]  # the card's order: name, time and fee, ...
    shown = ", ".join(f"{g} {len(counts[g])}" for g in ordered[:SHOWN])
    return shown + (", …" if len(ordered) > SHOWN else "")
