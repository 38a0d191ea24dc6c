"""A procedure as layers, one per source, merged field by field (pure functions).

Curated text (the bundled catalog, an official's edits) was written for citizens;
an import only adds what it lacks, so importing more never makes a card worse.
Rank, best first: official, default, national, csv. A field is taken from the
best layer that has it; fields that belong together (time and fee, the papers
and their notes, the legal basis) come from one layer as a unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

from bot.catalog.model import Procedure

RANK = {"official": 0, "default": 1, "national": 2, "csv": 3}
CURATED = ("official", "default")
UNKNOWN_RANK = 0  # a layer written by hand (tests, a future editor) counts as curated

# Field groups as the summary names them; each group is taken from one layer.
GROUPS = {
    "name": ("name",),
    "time and fee": ("filings", "filings_text"),
    "documents": ("documents", "documents_text", "notes"),
    "place": ("agency",),
    "levels": ("levels",),
    "field": ("field",),
    "steps": ("steps",),
    "conditions": ("requirements",),
    "result": ("result",),
    "legal basis": ("legal_basis", "legal_text"),
    "decision": ("decision",),
    "kind": ("kind",),
    "subjects": ("subjects",),
    "online level": ("online_level",),
    "portal link": ("portal_url",),
    "keywords": ("keywords",),
}
_GROUPED = {name for names in GROUPS.values() for name in names}
_OTHER = [f.name for f in fields(Procedure) if f.name not in _GROUPED | {"code", "source"}]


def rank(source: str) -> int:
    return RANK.get(source, UNKNOWN_RANK)


def is_curated(source: str) -> bool:
    return rank(source) <= RANK["default"]


def _has(proc: Procedure, names: tuple[str, ...]) -> bool:
    return any(getattr(proc, n) not in ("", None, []) for n in names)


@dataclass
class Merged:
    """The effective procedure and, per group, the layer it came from and those passed over."""

    procedure: Procedure
    taken: dict[str, str] = field(default_factory=dict)  # group → source it came from
    kept_over: dict[str, list[str]] = field(default_factory=dict)  # group → sources not used


def order(layers: list[Procedure]) -> list[Procedure]:
    """Best first; same-rank layers by code so the merge never depends on import order."""
    return sorted(layers, key=lambda p: (rank(p.source), p.source, len(p.code), p.code))


def merge(code: str, layers: list[Procedure]) -> Merged:
    """The effective procedure `code` from its layers (at least one)."""
    ranked = order(layers)
    top = ranked[0]
    values = {n: getattr(top, n) for n in _OTHER}
    taken, kept_over = {}, {}
    for group, names in GROUPS.items():
        having = [p for p in ranked if _has(p, names)]
        source = having[0] if having else top
        values.update({n: getattr(source, n) for n in names})
        if having:
            taken[group] = source.source
            differ = [p.source for p in having[1:] if _part(p, names) != _part(source, names)]
            if differ:
                kept_over[group] = differ
    proc = replace(top, code=code, source=top.source, **values)
    return Merged(proc, taken, kept_over)


def _part(proc: Procedure, names: tuple[str, ...]) -> tuple:
    return tuple(repr(getattr(proc, n)) for n in names)
