"""Warnings before a delay and reminders when one happens, run periodically.

Each message carries a dedupe key tied to the dossier's current appointment
date, so running this every few minutes sends each warning once; a new date
(an apology) starts a new cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.core import Core
from bot.dialog.dossier_text import status_name
from bot.dossiers.model import Dossier
from bot.i18n import translator
from bot.notify.outbox import enqueue
from bot.people.subscriptions import subscribers
from bot.reply import Button, Reply, esc

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
                for sub in await subscribers(conn, dossier.code):
                    reply = _warning(
                        core, dossier, await core.users.locale(sub.channel, sub.user_id)
                    )
                    key = f"due-warning:{dossier.code}:{dossier.due_at.isoformat()}:{sub.chat_id}"
                    report.warnings += await enqueue(
                        conn, sub.channel, sub.chat_id, reply, dedupe_key=key
                    )
    for i in range(0, len(late), BATCH):
        async with core.db.transaction() as conn:
            for dossier in late[i : i + BATCH]:
                if _apologised(dossier):
                    continue
                chat = core.settings.desk_chat(dossier.agency_code)
                if chat is None:
                    continue
                key = f"overdue-reminder:{dossier.code}:{dossier.due_at.isoformat()}"
                report.official_reminders += await enqueue(
                    conn,
                    core.settings.staff_channel,
                    chat,
                    _officials_reminder(core, dossier, now),
                    dedupe_key=key,
                )
    return report


def _apologised(dossier: Dossier) -> bool:
    return dossier.apologized_due_at is not None and dossier.due_at == dossier.apologized_due_at


def _warning(core: Core, dossier: Dossier, locale: str) -> Reply:
    t = translator(locale)
    _ = t.gettext
    tz = core.settings.timezone
    lines = [
        "⏰ <b>" + _("Dossier %s") % esc(dossier.code) + "</b>",
        _("Its appointment date is %s and it is not finished yet.")
        % esc(t.day(dossier.due_at.astimezone(tz))),
        _("Status: %s") % esc(status_name(t, dossier.status)),
        "👉 " + _("If the office cannot make it, it will apologise and give you a new date."),
    ]
    return Reply(
        "\n".join(lines), [[Button("📂 " + _("See the dossier"), f"d:show:{dossier.code}")]]
    )


def _officials_reminder(core: Core, dossier: Dossier, now: datetime) -> Reply:
    t = translator(core.settings.locale)
    _ = t.gettext
    tz = core.settings.timezone
    lines = [
        "⚠️ <b>" + _("Overdue without an apology: %s") % esc(dossier.code) + "</b>",
        _("Appointment date: %s") % esc(t.day(dossier.due_at.astimezone(tz))),
        _("Status: %s") % esc(status_name(t, dossier.status)),
        "👉 " + _("Record the apology and the new date: /xinloi CODE DD/MM/YYYY reason"),
    ]
    return Reply("\n".join(lines))
