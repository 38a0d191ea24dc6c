"""Warnings before a delay and reminders when one happens, run periodically.

Each reminder is tied to the dossier's current appointment date, so running this
every few minutes reminds of each dossier once per date; a new date (an apology)
starts a new cycle. A follower gets one warning per dossier; a desk chat gets ONE
digest per run for all its newly overdue dossiers (grouped by agency, the first
few listed, /quahan for the rest), not one message per dossier. This job decides who is
due what; the words and recipients are bot/dossiers/notices.py's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.core import Core
from bot.dossiers.events import DeskOverdue, DueSoon
from bot.dossiers.model import Dossier
from bot.notify import events
from bot.store import dossiers as dossier_store

BATCH = 500


@dataclass
class ReminderReport:
    warnings: int = 0
    official_reminders: int = 0


async def run_reminders(core: Core, now: datetime | None = None) -> ReminderReport:
    now = now or datetime.now(UTC)
    report = ReminderReport()
    soon = await core.dossiers.due_soon(None, now, core.calendar)
    late = await core.dossiers.overdue(None, now, core.calendar)
    for i in range(0, len(soon), BATCH):
        async with core.db.transaction() as conn:
            for dossier in soon[i : i + BATCH]:
                report.warnings += await events.record(conn, DueSoon(dossier), core.settings)
    report.official_reminders = await _desk_digests(core, late)
    return report


async def _desk_digests(core: Core, late: list[Dossier]) -> int:
    """Claim each overdue dossier's reminder for its date; one digest per desk chat."""
    reminded = 0
    async with core.db.transaction() as conn:
        by_chat: dict[int, list[Dossier]] = defaultdict(list)
        for dossier in late:
            if _apologised(dossier):
                continue
            chat = core.settings.desk_chat(dossier.agency_code)
            if chat is None:
                continue
            key = f"overdue-reminder:{dossier.code}:{dossier.due_at.isoformat()}"
            if await dossier_store.claim_reminder(conn, key):
                by_chat[chat].append(dossier)
        for chat, dossiers in by_chat.items():
            await events.record(conn, DeskOverdue(chat, tuple(dossiers)), core.settings)
            reminded += len(dossiers)
    return reminded


def _apologised(dossier: Dossier) -> bool:
    return dossier.apologized_due_at is not None and dossier.due_at == dossier.apologized_due_at
