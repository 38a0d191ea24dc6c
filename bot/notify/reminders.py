"""Warnings before a delay and reminders when one happens, run periodically.

Each reminder is tied to the dossier's current appointment date, so running this
every few minutes reminds of each dossier once per date; a new date (an apology)
starts a new cycle. A follower gets one warning per dossier; a desk chat gets ONE
digest per run for all its newly overdue dossiers (grouped by agency, the first
few listed, /quahan for the rest), not one message per dossier.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.core import Core
from bot.dialog.dossier_text import status_name
from bot.dossiers.model import Dossier
from bot.i18n import translator
from bot.notify.outbox import Priority, enqueue
from bot.notify.zns import dossier_notice
from bot.people.subscriptions import subscribers
from bot.reply import Button, Reply, esc
from bot.store import dossiers as dossier_store

BATCH = 500
DIGEST_LINES = 15  # dossiers listed in one desk digest; /quahan shows them all


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
                    notice = dossier_notice(dossier, core.settings.timezone, "Sắp đến hạn trả")
                    report.warnings += await enqueue(
                        conn,
                        sub.channel,
                        sub.chat_id,
                        reply,
                        dedupe_key=key,
                        priority=Priority.BULK,
                        zns=notice,
                    )
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
            await enqueue(
                conn,
                core.settings.staff_channel,
                chat,
                _desk_digest(core, dossiers),
                dedupe_key=f"overdue-digest:{chat}:{_digest_id(dossiers)}",
                priority=Priority.BULK,
            )
            reminded += len(dossiers)
    return reminded


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


def _digest_id(dossiers: list[Dossier]) -> str:
    """Names the digest by the reminders it carries (each claimed once ever), so two runs
    in the same second never collide."""
    keys = sorted(f"{d.code}:{d.due_at.isoformat()}" for d in dossiers)
    return hashlib.sha1("\n".join(keys).encode()).hexdigest()[:16]


def _share(groups: dict[str, list], lines: int) -> dict[str, int]:
    """How many of each group to list: in turns, so every agency shows some."""
    shown = dict.fromkeys(groups, 0)
    while lines > 0 and any(shown[k] < len(v) for k, v in groups.items()):
        for key in sorted(groups):
            if lines > 0 and shown[key] < len(groups[key]):
                shown[key] += 1
                lines -= 1
    return shown


def _desk_digest(core: Core, dossiers: list[Dossier]) -> Reply:
    """Overdue without an apology: by agency, most overdue first, at most DIGEST_LINES."""
    t = translator(core.settings.locale)
    _ = t.gettext
    tz = core.settings.timezone
    by_agency: dict[str, list[Dossier]] = defaultdict(list)
    for dossier in sorted(dossiers, key=lambda d: (d.due_at, d.code)):
        by_agency[dossier.agency_code].append(dossier)
    lines = ["⚠️ <b>" + _("Overdue without an apology: %s") % len(dossiers) + "</b>"]
    shown = _share(by_agency, DIGEST_LINES)
    listed = 0
    for code in sorted(by_agency):
        agency = core.settings.agency(code)
        name = esc(agency.name if agency else code)
        lines.append(f"🏢 <b>{name}</b> ({len(by_agency[code])})")
        for dossier in by_agency[code][: shown[code]]:
            day = esc(t.day(dossier.due_at.astimezone(tz)))
            status = esc(status_name(t, dossier.status))
            lines.append(f"• {esc(dossier.code)} — {day} — {status}")
            listed += 1
    if listed < len(dossiers):
        more = _("… and %(count)s more: send /quahan to see all")
        lines.append(more % {"count": len(dossiers) - listed})
    lines.append("👉 " + _("Record the apology and the new date: /xinloi CODE DD/MM/YYYY reason"))
    return Reply("\n".join(lines))
