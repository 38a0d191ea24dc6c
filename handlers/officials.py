"""Officials act from their chat: set a status, record an apology, list what is late.

Only people on the roster may act, and only for their own agency (leaders: all).
Every change goes through the repository with the notifier, so citizens hear of it.
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime, time

from bot.dossiers.codes import find_dossier_code
from bot.dossiers.lateness import load_verdict
from bot.dossiers.wording import status_name, timeliness
from bot.people.officials import Official
from bot.ratings.chart import monthly_chart_png
from bot.ratings.model import percent
from bot.ratings.stats import MIN_RATINGS, satisfaction
from bot.reply import Reply, esc
from bot.text import parse_id
from handlers.context import Turn

_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_CODE_TAIL = re.compile(r"\d{6}\s*-\s*\d{4}(?!\d)")  # a code ends with yyMMdd-NNNN
MAX_LISTED = 30


async def _official(turn: Turn) -> Official | None:
    return await turn.core.officials.get(turn.msg.channel, turn.msg.user_id)


def _may_act(turn: Turn, official: Official, agency_code: str) -> bool:
    """The roster's agency against the dossier's, both resolved through the aliases."""
    settings = turn.core.settings
    return official.may_act_for(settings.agency_code(agency_code) or agency_code)


def _agency_ids(turn: Turn, code: str | None) -> list[str]:
    """An agency's code and aliases: dossiers stored before an alias was known still count."""
    agency = turn.core.settings.agency(code)
    if agency is None:
        return [code] if code else []
    return [agency.code, *agency.aliases]


def refusal(turn: Turn, hint: bool = True) -> list[Reply]:
    """To someone not on the roster: a private notice to them alone (never a message in the
    desk's group), and nothing once they were told a few times in a minute."""
    _ = turn.t.gettext
    if not turn.core.notice_guard.allow(turn.msg.channel, turn.msg.user_id):
        return []
    text = "🔒 " + _("Sorry, only one-stop desk officials on the roster can do this.")
    if hint:
        text += "\n👉 " + _("To look up a dossier, just type its code.")
    return [Reply(text, notice=True)]


async def set_status_command(turn: Turn, args: str) -> list[Reply]:
    """/hoso CODE STATUS [note] — anyone else gets a polite refusal."""
    _ = turn.t.gettext
    official = await _official(turn)
    if official is None:
        return refusal(turn)
    code = find_dossier_code(args)
    rest = _after_code(args)
    head, _sep, note = rest.strip().partition(" ")
    status = parse_id(head)
    if code is None or status is None or not 1 <= status <= 10:
        return [
            Reply(
                _("Usage: /hoso CODE STATUS [note], STATUS 1-10. Example:")
                + "\n/hoso 000.00.06.H56-231027-0361 5 "
                + _("Add the birth certificate")
            )
        ]
    dossier = await turn.core.dossiers.get(code)
    if dossier is None:
        return [Reply(_("Dossier %s is not in the store.") % esc(code))]
    if not _may_act(turn, official, dossier.agency_code):
        return [Reply("🔒 " + _("Dossier %s belongs to another agency.") % esc(code))]
    note = note.strip()
    if dossier.status == status and note:  # the same status: the note is what changes
        return await _change_note(turn, dossier, note)
    event = await turn.core.dossiers.change_status(
        code, status, turn.msg.user_id, note or None, on_events=turn.core.notifier
    )
    if event is None:
        return [Reply(_("Dossier %s already has that status.") % esc(code))]
    text = _("Dossier %(code)s is now: %(status)s. Its followers are being notified.") % {
        "code": esc(code),
        "status": esc(status_name(turn.t, status)),
    }
    return [Reply("✅ " + text)]


async def _change_note(turn: Turn, dossier, note: str) -> list[Reply]:
    _ = turn.t.gettext
    changed = await turn.core.dossiers.change_note(
        dossier.code, note, on_note=turn.core.notifier.note_changed
    )
    if changed is None:
        return [Reply(_("Dossier %s already has that status and note.") % esc(dossier.code))]
    text = _("Note of dossier %(code)s updated: %(note)s. The verified applicant is told.")
    return [Reply("✅ " + text % {"code": esc(dossier.code), "note": esc(note)})]


def has_status_argument(args: str) -> bool:
    """`CODE 5 …`: a status after the code means a change, not a lookup."""
    head = _after_code(args).strip().split(" ", 1)[0]
    return head.isdigit()  # any digits, even "²": the change then says how to write it


def _after_code(args: str) -> str:
    """What follows the code in `/hoso CODE STATUS note` (codes may contain spaces)."""
    m = _CODE_TAIL.search(args)
    return args[m.end() :] if m else ""


async def apology_command(turn: Turn, args: str) -> list[Reply]:
    """/xinloi CODE DD/MM/YYYY reason — the apology form with the new appointment date."""
    _ = turn.t.gettext
    official = turn.official  # the route is the officials' (router.Command)
    code = find_dossier_code(args)
    parts = _after_code(args).strip().split(" ", 1)
    m = _DATE.match(parts[0]) if parts and parts[0] else None
    reason = parts[1].strip() if len(parts) > 1 else ""
    usage = _("Usage: /xinloi CODE DD/MM/YYYY reason. Example:") + (
        "\n/xinloi 000.00.06.H56-231027-0361 07/12/2026 " + _("Waiting for the land office")
    )
    if code is None or m is None or not reason:
        return [Reply(usage)]
    try:
        day = datetime(int(m.group(3)), int(m.group(2)), int(m.group(1))).date()
    except ValueError:
        text = _("%s is not a valid date. Write the new date as DD/MM/YYYY.") % esc(m.group(0))
        return [Reply("✋ " + text)]
    dossier = await turn.core.dossiers.get(code)
    if dossier is None:
        return [Reply(_("Dossier %s is not in the store.") % esc(code))]
    if not _may_act(turn, official, dossier.agency_code):
        return [Reply("🔒 " + _("Dossier %s belongs to another agency.") % esc(code))]
    new_due = datetime.combine(day, time(17, 0), turn.core.settings.timezone)
    # said in the official's language here; the store's own checks stay as the last word
    if dossier.finished:
        text = _("Dossier %s is finished: there is no appointment to move.") % esc(code)
        return [Reply("✋ " + text)]
    if dossier.due_at is not None and new_due <= dossier.due_at:
        current = turn.t.day(dossier.due_at.astimezone(turn.core.settings.timezone))
        text = _("The new date must be after the current appointment, %s.") % esc(current)
        return [Reply("✋ " + text + "\n" + usage)]
    calendar = turn.core.calendar
    if not calendar.is_working_day(day):  # refused before anything reaches the citizen
        suggested = turn.t.day(calendar.add_working_days(day, 1))
        text = _(
            "%(day)s is not a working day: the citizen would find the desk closed."
            " Nothing was sent. Choose a working day, e.g. %(next)s."
        ) % {"day": esc(turn.t.day(day)), "next": esc(suggested)}
        return [Reply("✋ " + text)]
    try:
        await turn.core.dossiers.apologise(
            code, reason, new_due, turn.msg.user_id, on_events=turn.core.notifier
        )
    except ValueError:
        return [Reply("✋ " + _("The apology could not be recorded. Check the code and the date."))]
    text = _("Apology recorded; the new appointment date is %s. The citizen is notified.")
    return [Reply("✅ " + text % esc(turn.t.day(day)))]


async def overdue_command(turn: Turn) -> list[Reply]:
    """/quahan: overdue and due-tomorrow dossiers of the official's agency (leaders: all)."""
    _ = turn.t.gettext
    official = turn.official  # the route is the officials' (router.Command)
    core = turn.core
    agencies = None if official.is_leader else _agency_ids(turn, official.agency_code)
    now = datetime.now(UTC)
    tz = core.settings.timezone
    late = []  # late as the decree counts it: an apology or a request for papers keeps it here
    for d in await core.dossiers.late_candidates(agencies, now):
        if (await load_verdict(core.db.fetchall, d, now, core.calendar, tz)).late:
            late.append(d)
    soon = await core.dossiers.due_soon(agencies, now, core.calendar, limit=MAX_LISTED)
    soon = [d for d in soon if d not in late]
    lines = ["⏰ <b>" + _("Overdue: %s") % len(late) + "</b>"]
    for d in late[:MAX_LISTED]:
        apologised = d.apologized_due_at is not None and d.due_at == d.apologized_due_at
        if apologised:
            mark = _("apologised, new date %s") % turn.t.day(d.due_at.astimezone(tz))
        else:
            mark = _("no apology yet")
        when = timeliness(turn.t, d, now, core.calendar, tz)
        where = f" — {esc(core.settings.agency_name(d.agency_code))}" if official.is_leader else ""
        lines.append(f"• {esc(d.code)}{where} — {esc(when)} — {esc(mark)}")
    lines.append("")
    lines.append("📅 <b>" + _("Due by the next working day: %s") % len(soon) + "</b>")
    for d in soon:
        lines.append(f"• {esc(d.code)} — {esc(turn.t.day(d.due_at.astimezone(tz)))}")
    if late:
        lines.append("")
        lines.append("👉 " + _("For each late dossier: /xinloi CODE DD/MM/YYYY reason"))
    return [Reply("\n".join(lines))]


async def stats_command(turn: Turn) -> list[Reply]:
    """/thongke: six months of satisfaction against 90%, a short table and a chart."""
    _ = turn.t.gettext
    official = turn.official  # the route is the officials' (router.Command)
    core = turn.core

    def pct(value: float | None) -> str:
        """85,0% in Vietnamese, 85.0% in English: numbers as the reader writes them."""
        text = percent(value)
        return text.replace(",", ".") if turn.t.locale == "en" else text

    end = datetime.now(core.settings.timezone).date()
    months = end.year * 12 + end.month - 1 - 5  # the last six months, this one included
    start = date(months // 12, months % 12 + 1, 1)
    agency = None if official.is_leader else official.agency_code
    rows = await satisfaction(core.db, start, end, agency, core.settings.timezone)
    names = {a.code: a.name for a in core.settings.agencies}
    lines = [
        "📊 <b>"
        + _("Satisfaction, target 90%%: %(start)s – %(end)s")
        % {"start": start.strftime("%m/%Y"), "end": end.strftime("%m/%Y")}
        + "</b>"
    ]
    totals: dict[str, list[int]] = {}  # the header's period, not one month: they agree
    for row in rows:
        if row.ratings:
            total = totals.setdefault(row.key, [0, 0])
            total[0] += row.satisfied
            total[1] += row.ratings
    if not totals:
        return [Reply("\n".join([*lines, _("No ratings in this period yet.")]))]
    for code, (satisfied, ratings) in sorted(totals.items()):
        name = esc(core.settings.agency_name(code))
        rate = satisfied / ratings
        if ratings < MIN_RATINGS:
            few = _("too few ratings to judge")
            detail = f"{satisfied}/{ratings} = {pct(rate)}"
            lines.append(f"▫️ {name}: {esc(few)} — {esc(detail)}")
            continue
        mark = "✅" if rate >= 0.9 else "⚠️"
        lines.append(f"{mark} {name}: {esc(pct(rate))} ({satisfied}/{ratings})")
    if official.is_leader:
        silent = [a.name for a in core.settings.agencies if a.code not in totals]
        if silent:
            lines.append("▫️ " + _("No ratings yet: %s") % esc(", ".join(silent)))
    if any(n < MIN_RATINGS for _k, n in totals.values()):  # said where it explains
        note = _("A rate needs at least %s ratings to mean something.") % MIN_RATINGS
        lines.append("<i>" + esc(note) + "</i>")
    png = await asyncio.to_thread(  # matplotlib is slow: not on the event loop
        monthly_chart_png, [r for r in rows if r.key in totals], names, min_ratings=MIN_RATINGS
    )
    return [Reply("\n".join(lines), photo=png)]
