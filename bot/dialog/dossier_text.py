"""How a dossier is told to a citizen: status, dates, timeliness and what to do next.

Shared by lookups and notifications, so a citizen reads the same words either way.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.dossiers.model import Dossier
from bot.dossiers.phones import mask_name, mask_phone
from bot.i18n import Translator
from bot.reply import esc
from bot.workdays.calendar import WorkCalendar


def status_name(t: Translator, status: int) -> str:
    """The national status names (English ids, Vietnamese translations are the portal's)."""
    _ = t.gettext
    names = {
        1: _("Newly registered"),
        2: _("Received"),
        3: _("Not accepted"),
        4: _("Being processed"),
        5: _("More documents required"),
        6: _("Fees or taxes to pay"),
        7: _("Withdrawn at the citizen's request"),
        8: _("Processing stopped"),
        9: _("Processed, result ready"),
        10: _("Result returned"),
    }
    return names.get(status, str(status))


def may_see_notes(verified_owner: bool, own_chat: bool = True) -> bool:
    """Whether a viewer may read an official's free text about a dossier (its note, an
    apology's reason): it can name people and phone numbers, so only the verified owner, in
    a chat that is theirs alone. Anyone else who follows a code sees the status and the
    generic next step."""
    return verified_owner and own_chat


def next_step(t: Translator, dossier: Dossier, due: str, notes: bool = False) -> str:
    """What the citizen should do now, in plain words; the office's note only with `notes`
    (see may_see_notes)."""
    _ = t.gettext
    place = dossier.result_place or _("the one-stop desk where you filed")
    note = (" " + _("Note from the office: %s.") % dossier.note) if dossier.note and notes else ""
    steps = {
        1: _("Wait for the one-stop desk to receive your dossier; you will hear from us."),
        2: _("Nothing to do now. The appointment date is %s.") % due,
        3: _("Your dossier was not accepted. Contact the one-stop desk for the reason.") + note,
        4: _("Nothing to do now. Wait for the result; the appointment date is %s.") % due,
        5: _("Bring or send the missing documents to the one-stop desk.") + note,
        6: _("Pay the fees or taxes stated by the office, then keep the receipt.") + note,
        7: _("Your dossier was withdrawn as you asked. Nothing more to do."),
        8: _("Processing was stopped. Contact the one-stop desk to learn why.") + note,
        9: _("Your result is ready: collect it at %s. Bring your ID card and the receipt.") % place,
        10: _("Your result was returned. Thank you for using our services."),
    }
    return steps.get(dossier.status, "")


def timeliness(
    t: Translator, dossier: Dossier, now: datetime, calendar: WorkCalendar, tz: ZoneInfo
) -> str:
    """còn N ngày làm việc / đến hạn hôm nay / quá hạn N ngày (working days)."""
    _ = t.gettext
    if dossier.due_at is None or dossier.finished or dossier.status == 9:
        return ""
    today = now.astimezone(tz).date()
    due = dossier.due_at.astimezone(tz).date()
    if due == today:
        return _("due today")
    if due > today:
        n = calendar.working_days_between(today, due)
        return t.ngettext("%s working day left", "%s working days left", n) % n
    n = calendar.working_days_between(due, today)
    n = max(n, 1)
    return t.ngettext("overdue by %s working day", "overdue by %s working days", n) % n


def dossier_card(
    t: Translator,
    dossier: Dossier,
    procedure_name: str | None,
    *,
    verified: bool,
    now: datetime,
    calendar: WorkCalendar,
    tz: ZoneInfo,
) -> str:
    """The answer to 'where is my dossier?'; personal data masked unless verified."""
    _ = t.gettext
    due = t.day(dossier.due_at.astimezone(tz)) if dossier.due_at else _("not set")
    lines = [
        "📂 <b>" + _("Dossier %s") % esc(dossier.code) + "</b>",
        _("Status: %s") % ("<b>" + esc(status_name(t, dossier.status)) + "</b>"),
    ]
    if procedure_name:
        lines.append(_("Procedure: %s") % esc(procedure_name))
    lines.append(_("Received: %s") % esc(t.day(dossier.received_at.astimezone(tz))))
    when = timeliness(t, dossier, now, calendar, tz)
    lines.append(_("Appointment: %s") % esc(due) + (f" ({esc(when)})" if when else ""))
    if dossier.applicant_name or dossier.applicant_phone:
        name = dossier.applicant_name if verified else mask_name(dossier.applicant_name)
        phone = dossier.applicant_phone if verified else mask_phone(dossier.applicant_phone)
        who = ", ".join(esc(x) for x in (name, phone) if x)
        lines.append(_("Applicant: %s") % who)
    lines.append("")
    lines.append("👉 " + esc(next_step(t, dossier, due, notes=may_see_notes(verified))))
    return "\n".join(lines)
