"""Dossier happenings other features and the reminder job tell people about, as events.

The dossier history's own events (`model.DossierEvent`) reach `notices.DossierNotifier`
through every writer's `on_events`; these are recorded with `bot.notify.events.record`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.dossiers.model import Dossier
from bot.notify.events import Event


@dataclass(frozen=True)
class DueSoon(Event):
    """A running dossier's appointment is near: each follower is warned once per date."""

    dossier: Dossier


@dataclass(frozen=True)
class DeskOverdue(Event):
    """Dossiers newly overdue without an apology (each claimed once per date): one digest
    for the desk chat they belong to."""

    chat: str | int
    dossiers: tuple[Dossier, ...]


@dataclass(frozen=True)
class DossierReturned(Event):
    """Status 10 was just written: the ratings feature invites the verified owner to rate."""

    dossier: Dossier
    procedure_name: str | None = None
