"""What the reminder job finds about appointment dates; `notices` words it for each reader."""

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
