"""How a dossier is told to a citizen: status, dates, timeliness and what to do next.

Shared by lookups (the dialog's card, handlers/dossier_text.py) and notices
(bot/dossiers/notices.py), so a citizen reads the same words either way.
A late dossier says so plainly: the office's recorded apology with its new date,
or, when none is recorded, that it is late and what the citizen may expect; with
the desk's contact. Officials' notes (which papers to add, why it stopped) are
shown only where `may_see_notes` allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.agencies import Agency
from bot.dossiers.lateness import Verdict
from bot.dossiers.model import Apology, Dossier
from bot.i18n import Translator
from bot.reply import esc
from bot.workdays.calendar import WorkCalendar

MORE_PAPERS = 5
RETURNED = 10
# Statuses where the citizen has to reach the desk: the card gives its contact.
_CONTACT_STATUSES = frozenset({3, 5, 6, 8, 9})
LATE, APOLOGISED, RETURNED_LATE = "late", "apologised", "returned_late"
RESULT_STATUSES = frozenset({9, 10})


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


# The office's turn: registered, received, being processed. Waiting for the citizen's papers
# or payment (5, 6) is not the office being late; a finished or ready dossier is not late.
_OFFICE_TURN = frozenset({1, 2, 4})


def lateness(dossier: Dossier, now: datetime, verdict: Verdict | None = None) -> str | None:
    """LATE: past the appointment; APOLOGISED: waiting for an apology's new date;
    RETURNED_LATE: the result came after it. With the history's `verdict`
    (bot/dossiers/lateness.py) a dossier stays late whatever its status now;
    without one, only the office's turn past the appointment counts."""
    if verdict is not None:
        if not verdict.late:
            return None
        if dossier.status in RESULT_STATUSES:
            return RETURNED_LATE if verdict.returned_late else None
        if dossier.finished:
            return None
        on_new_date = dossier.apologized_due_at is not None and dossier.due_at is not None
        if on_new_date and dossier.apologized_due_at == dossier.due_at and dossier.due_at >= now:
            return APOLOGISED
        return LATE
    if dossier.status not in _OFFICE_TURN or dossier.due_at is None:
        return None
    if dossier.due_at < now:
        return LATE
    if dossier.apologized_due_at is not None and dossier.apologized_due_at == dossier.due_at:
        return APOLOGISED
    return None


def next_step(
    t: Translator, dossier: Dossier, due: str, *, notes: bool = False, late: str | None = None
) -> str:
    """What the citizen should do now, in plain words; `notes` from may_see_notes."""
    _ = t.gettext
    if late == LATE and dossier.status != MORE_PAPERS:  # papers: bringing them comes first
        return _(
            "Your dossier is late. Ask the desk for the reason and the new date,"
            " or complain about the delay with the button below."
        )
    if late == APOLOGISED:
        return _("Nothing to do now: wait for the new appointment date, %s.") % due
    place = dossier.result_place or _("the one-stop desk where you filed")
    note = (" " + _("Note from the office: %s.") % dossier.note) if dossier.note and notes else ""
    steps = {
        1: _("Wait for the one-stop desk to receive your dossier; you will hear from us."),
        2: _("Nothing to do now. The appointment date is %s.") % due,
        3: _("Your dossier was not accepted. Contact the one-stop desk for the reason.") + note,
        4: _("Nothing to do now. Wait for the result; the appointment date is %s.") % due,
        5: _("Bring or send the missing documents to the one-stop desk."),
        6: _("Pay the fees or taxes stated by the office, then keep the receipt.") + note,
        7: _("Your dossier was withdrawn as you asked. Nothing more to do."),
        8: _("Processing was stopped. Contact the one-stop desk to learn why.") + note,
        9: _("Your result is ready: collect it at %s. Bring your ID card and the receipt.") % place,
        10: _("Your result was returned. Thank you for using our services."),
    }
    return steps.get(dossier.status, "")


def papers_lines(t: Translator, dossier: Dossier, *, notes: bool) -> list[str]:
    """Status 5: which papers, from the official's note (owner only)."""
    _ = t.gettext
    if dossier.status != MORE_PAPERS:
        return []
    if not dossier.note:
        return ["📄 " + esc(_("The office did not write which papers; ask the desk."))]
    if not notes:
        return [
            "📄 "
            + esc(
                _("The office wrote which papers to add; verify the dossier is yours to read it.")
            )
        ]
    return ["📄 " + _("Papers to add: %s") % ("<b>" + esc(dossier.note) + "</b>")]


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
        return _("due today") if dossier.due_at >= now else _("overdue since today")
    if due > today:
        n = calendar.working_days_between(today, due)
        return t.ngettext("%s working day left", "%s working days left", n) % n
    n = max(calendar.working_days_between(due, today), 1)
    return t.ngettext("overdue by %s working day", "overdue by %s working days", n) % n


def delay_lines(
    t: Translator,
    dossier: Dossier,
    apology: Apology | None,
    now: datetime,
    calendar: WorkCalendar,
    tz: ZoneInfo,
    notes: bool = False,
    verdict: Verdict | None = None,
) -> list[str]:
    """The plain statement of a delay: the recorded apology, or that there is none yet.
    The apology's reason is an official's free text: only with `notes` (may_see_notes)."""
    _ = t.gettext
    late = lateness(dossier, now, verdict)
    day = t.day
    if late is None and verdict is not None and verdict.waiting_papers:
        return ["⏸ " + esc(_("Waiting for your papers: the count stops until you bring them."))]
    if late is None:
        return []
    if late == RETURNED_LATE:
        first = day(verdict.appointment.astimezone(tz))
        return [
            "⚠️ <b>"
            + esc(_("The result came after the appointment (%s): it was late.") % first)
            + "</b>",
            esc(_("If the office has not apologised, you may complain about the delay.")),
        ]
    if late == LATE and dossier.status == MORE_PAPERS:
        first = day(verdict.appointment.astimezone(tz)) if verdict else ""
        lines = [
            "⚠️ <b>"
            + esc(
                _(
                    "Your dossier was already late (appointment %s) when the"
                    " office asked for more papers."
                )
                % first
            )
            + "</b>"
        ]
        return lines + [
            esc(
                _(
                    "Your right: when a result is late, the office must send you an"
                    " apology with the reason and a new appointment date."
                )
            )
        ]
    if late == APOLOGISED and apology is not None:
        return [
            "🙏 <b>" + esc(_("Your dossier is late. The office apologised.")) + "</b>",
            *([_("Reason: %s") % esc(apology.reason)] if notes else []),
            _("New appointment date: %s")
            % ("<b>" + esc(day(dossier.due_at.astimezone(tz))) + "</b>"),
        ]
    if late == APOLOGISED:
        return []
    when = timeliness(t, dossier, now, calendar, tz)
    lines = [
        "⚠️ <b>"
        + esc(
            _("Your dossier is late: %(when)s (appointment %(day)s).")
            % {
                "when": when,
                "day": day(dossier.due_at.astimezone(tz)),
            }
        )
        + "</b>"
    ]
    if apology is not None and apology.new_due_at == dossier.due_at:
        promised = day(apology.new_due_at.astimezone(tz))
        if notes:
            text = _(
                "The office apologised before (%(reason)s) and promised %(day)s;"
                " that date has passed too."
            ) % {"reason": apology.reason, "day": promised}
        else:
            text = _("The office apologised before and promised %s; that date has passed too.")
            text %= promised
        lines.append(esc(text))
    else:
        lines.append(esc(_("The office has not sent you an apology yet.")))
    lines.append(
        esc(
            _(
                "Your right: when a result is late, the office must send you an apology"
                " with the reason and a new appointment date."
            )
        )
    )
    return lines


def contact_lines(t: Translator, agency: Agency | None, agency_code: str) -> list[str]:
    """Where to reach the desk; only what the agencies file says, nothing made up."""
    _ = t.gettext
    name = agency.name if agency else agency_code
    lines = ["🏛 " + _("One-stop desk: %s") % esc(name)]
    if agency is None:
        return lines
    if agency.address:
        lines.append("📍 " + _("Address: %s") % esc(agency.address))
    if agency.phone:
        lines.append("☎️ " + _("Phone: %s") % esc(agency.phone))
    if agency.hours:
        lines.append("🕗 " + _("Opening hours: %s") % esc(agency.hours))
    return lines


def needs_contact(dossier: Dossier, now: datetime) -> bool:
    return dossier.status in _CONTACT_STATUSES or lateness(dossier, now) is not None


@dataclass(frozen=True)
class CardContext:
    """What the card needs besides the dossier; the same for lookups and notifications."""

    now: datetime
    calendar: WorkCalendar
    tz: ZoneInfo
    agency: Agency | None = None
    apology: Apology | None = None  # the latest recorded one
    verdict: Verdict | None = None  # from the history: late stays late (lookups)


def status_body(t: Translator, dossier: Dossier, ctx: CardContext, *, verified: bool) -> list[str]:
    """Delay, papers, return date, contact and the next step: the part every message shares."""
    _ = t.gettext
    notes = may_see_notes(verified)
    due = t.day(dossier.due_at.astimezone(ctx.tz)) if dossier.due_at else _("not set")
    lines = delay_lines(
        t, dossier, ctx.apology, ctx.now, ctx.calendar, ctx.tz, notes=notes, verdict=ctx.verdict
    )
    lines += papers_lines(t, dossier, notes=notes)
    if dossier.status == RETURNED and dossier.status_at:
        returned = t.day(dossier.status_at.astimezone(ctx.tz))
        lines.append("📦 " + _("Result returned on %s.") % esc(returned))
    late = lateness(dossier, ctx.now, ctx.verdict)
    if needs_contact(dossier, ctx.now) or late is not None:
        lines += contact_lines(t, ctx.agency, dossier.agency_code)
    lines.append("👉 " + esc(next_step(t, dossier, due, notes=notes, late=late)))
    return lines
