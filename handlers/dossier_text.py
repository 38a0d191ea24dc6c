"""The answer to "where is my dossier?" on screen: the card a lookup shows.

Its parts (status names, delay, next step, contact) are the dossier's own wording in
bot/dossiers/wording.py, which the notices share, so a citizen reads the same words
in a lookup and in a notice.
"""

from __future__ import annotations

from bot.dossiers.model import Dossier
from bot.dossiers.phones import mask_name, mask_phone
from bot.dossiers.wording import CardContext, status_body, status_name, timeliness
from bot.i18n import Translator
from bot.reply import esc


def dossier_card(
    t: Translator,
    dossier: Dossier,
    procedure_name: str | None,
    *,
    verified: bool,
    ctx: CardContext,
) -> str:
    """The answer to 'where is my dossier?'; personal data masked unless verified."""
    _ = t.gettext
    tz = ctx.tz
    due = t.day(dossier.due_at.astimezone(tz)) if dossier.due_at else _("not set")
    lines = [
        "📂 <b>" + _("Dossier %s") % esc(dossier.code) + "</b>",
        _("Status: %s") % ("<b>" + esc(status_name(t, dossier.status)) + "</b>"),
    ]
    if procedure_name:
        lines.append(_("Procedure: %s") % esc(procedure_name))
    lines.append(_("Received: %s") % esc(t.day(dossier.received_at.astimezone(tz))))
    when = timeliness(t, dossier, ctx.now, ctx.calendar, tz)
    lines.append(_("Appointment: %s") % esc(due) + (f" ({esc(when)})" if when else ""))
    if dossier.applicant_name or dossier.applicant_phone:
        name = dossier.applicant_name if verified else mask_name(dossier.applicant_name)
        phone = dossier.applicant_phone if verified else mask_phone(dossier.applicant_phone)
        who = ", ".join(esc(x) for x in (name, phone) if x)
        lines.append(_("Applicant: %s") % who)
    lines.append("")
    lines += status_body(t, dossier, ctx, verified=verified)
    return "\n".join(lines)
