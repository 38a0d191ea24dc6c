"""One fact of a procedure on its own: the fee, the time, where to file, whether online.

A follow-up ("còn phí thì sao?", "nộp ở đâu") is answered with just that part of the
card, so the citizen does not have to find it in the whole card again.
"""

from __future__ import annotations

from bot.catalog.model import ONLINE, ONLINE_FULL, ONLINE_PARTIAL, Procedure
from bot.i18n import Translator
from bot.reply import esc
from handlers.cards import (
    channel_name,
    esc_attr,
    fee_text,
    grouped_lines,
    in_vietnamese,
    level_names,
    time_text,
    title,
)

SHORT = 600  # an unparsed "Cách thức thực hiện" is cut here


def fee_section(t: Translator, proc: Procedure) -> str:
    _ = t.gettext
    return _per_filing(
        t,
        proc,
        "💰 <b>" + _("Fee for: %s") % title(t, proc) + "</b>",
        lambda f: fee_text(t, f),
        _("The catalog does not state the fee. Please ask the one-stop desk."),
    )


def time_section(t: Translator, proc: Procedure) -> str:
    _ = t.gettext
    return _per_filing(
        t,
        proc,
        "⏱ <b>" + _("Processing time for: %s") % title(t, proc) + "</b>",
        lambda f: time_text(t, f),
        _("The catalog does not state the time. Please ask the one-stop desk."),
    )


def _per_filing(t: Translator, proc: Procedure, heading: str, value, unknown: str) -> str:
    """A fact given per way of filing; the catalog's unparsed text, or `unknown`, else."""
    lines = [heading]
    if proc.filings:
        lines += _by_value(t, proc, value)
    elif proc.filings_text:
        lines.append(in_vietnamese(t, _shorten(proc.filings_text)))
    else:
        lines.append(unknown)
    return "\n".join(lines)


def place_section(t: Translator, proc: Procedure, portal_url: str) -> str:
    _ = t.gettext
    lines = ["📍 <b>" + _("Where to file: %s") % title(t, proc) + "</b>"]
    if proc.agency:
        lines.append(_("Where: %s") % in_vietnamese(t, proc.agency))
    elif proc.levels:  # "Cấp xã" under "Nơi làm: UBND cấp xã" says nothing more
        lines.append(esc(level_names(t, proc)))
    if not proc.agency and not proc.levels:
        lines.append(_("The catalog does not say where. Please ask the one-stop desk."))
    if _online(proc):
        lines.append("")
        lines.append(_online_line(t, proc, portal_url))
    return "\n".join(lines)


def online_section(t: Translator, proc: Procedure, portal_url: str) -> str:
    _ = t.gettext
    lines = ["🌐 <b>" + _("Filing online: %s") % title(t, proc) + "</b>"]
    if _online(proc):  # under the 🌐 heading: the line without its own 🌐
        lines.append(_online_line(t, proc, portal_url).removeprefix("🌐 "))
    else:
        lines.append(_("This procedure is not offered online. Please file it in person."))
        if proc.agency:
            lines.append(_("Where: %s") % in_vietnamese(t, proc.agency))
    return "\n".join(lines)


def _by_value(t: Translator, proc: Procedure, value) -> list[str]:
    """One line per distinct value, naming the ways of filing it holds for: the same fee
    three times over would push the answer off a phone screen."""
    names = [channel_name(t, f.channel) for f in proc.filings]
    return grouped_lines(names, [value(f) for f in proc.filings])


def _online(proc: Procedure) -> bool:
    return proc.online_level in (ONLINE_FULL, ONLINE_PARTIAL) or any(
        f.channel == ONLINE for f in proc.filings
    )


def _online_line(t: Translator, proc: Procedure, portal_url: str) -> str:
    _ = t.gettext
    label = (
        _("You can do this fully online")
        if proc.online_level == ONLINE_FULL
        else _("You can start this online")
        if proc.online_level == ONLINE_PARTIAL
        else _("You can file this online")
    )
    link = proc.portal_url or portal_url
    portal = _("National Public Service Portal")
    return f'🌐 {label}: <a href="{esc_attr(link)}">{portal}</a>'


def _shorten(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"
