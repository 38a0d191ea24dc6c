"""Render a procedure for a citizen: a short card first, details on request.

Every value from the catalog is escaped; markup is limited to <b>, <i> and
<a href> on a single line, as `bot.reply` promises channels.
"""

from __future__ import annotations

import re

from bot.catalog.english import english_name
from bot.catalog.model import (
    IN_PERSON,
    LEVEL_COMMUNE,
    LEVEL_MINISTRY,
    LEVEL_OTHER,
    LEVEL_PROVINCE,
    ONLINE,
    ONLINE_FULL,
    ONLINE_PARTIAL,
    POSTAL,
    Filing,
    Procedure,
)
from bot.i18n import Translator
from bot.reply import esc


def in_vietnamese(t: Translator, text: str) -> str:
    """Catalog text (Vietnamese) as shown: marked as such in English mode. Escaped."""
    if t.locale != "en":
        return esc(text)
    return esc(text) + " " + esc(t.gettext("(in Vietnamese)"))


def display_name(t: Translator, proc: Procedure) -> str:
    """The procedure's name as the reader should see it: its English name in English mode
    when the English layer has one, else the catalog's (marked in English mode). Not escaped."""
    if t.locale == "en":
        return english_name(proc.code) or proc.name + " " + t.gettext("(in Vietnamese)")
    return proc.name


def title(t: Translator, proc: Procedure) -> str:
    """The procedure's name for headings (display_name), escaped."""
    return esc(display_name(t, proc))


def _catalog_note(t: Translator) -> list[str]:
    """In English mode, a section's catalog text is Vietnamese: say so once, up front."""
    if t.locale != "en":
        return []
    return ["<i>" + esc(t.gettext("The catalog's text below is in Vietnamese.")) + "</i>"]


def level_names(t: Translator, proc: Procedure) -> str:
    _ = t.gettext
    names = {
        LEVEL_COMMUNE: _("Commune level"),
        LEVEL_PROVINCE: _("Provincial level"),
        LEVEL_MINISTRY: _("Ministry level"),
        LEVEL_OTHER: _("Other agency"),
    }
    return ", ".join(names[lv] for lv in proc.levels if lv in names)


def channel_name(t: Translator, channel: str) -> str:
    _ = t.gettext
    return {
        IN_PERSON: _("In person"),
        ONLINE: _("Online"),
        POSTAL: _("By post"),
    }.get(channel, _("Filing"))


def time_text(t: Translator, filing: Filing) -> str:
    _ = t.gettext
    if filing.time_value is not None and filing.time_unit:
        n = filing.time_value
        shown = t.number(n)
        units = {
            "ngay_lam_viec": t.ngettext("%s working day", "%s working days", int(n)),
            "ngay": t.ngettext("%s day", "%s days", int(n)),
            "gio": t.ngettext("%s hour", "%s hours", int(n)),
            "thang": t.ngettext("%s month", "%s months", int(n)),
            "nam": t.ngettext("%s year", "%s years", int(n)),
        }
        if filing.time_unit in units:
            return units[filing.time_unit] % shown
    if filing.time_text and t.locale == "en":
        return _("(in Vietnamese: %s)") % filing.time_text
    return filing.time_text or _("not stated")


def fee_text(t: Translator, filing: Filing) -> str:
    """The amount formatted for the locale, with the source's words when they say more."""
    _ = t.gettext
    if filing.fee_amount is None:
        if filing.fee_text and t.locale == "en":
            return _("(in Vietnamese: %s)") % filing.fee_text
        return filing.fee_text or _("not stated")
    shown = _("free of charge") if filing.fee_amount == 0 else t.money(filing.fee_amount)
    if _says_more(filing.fee_text):
        if t.locale == "en":
            shown += " " + _("(in Vietnamese: %s)") % filing.fee_text
        else:
            shown += f" ({filing.fee_text})"
    return shown


def filing_lines(t: Translator, proc: Procedure) -> list[str]:
    """Time and fee per way of filing, each value said once: ways that share both share a
    line, and a fee (or a time) the same for all is on a line of its own. The same long fee
    note three times over would push the card off a phone screen."""
    _ = t.gettext
    times = [time_text(t, f) for f in proc.filings]
    fees = [fee_text(t, f) for f in proc.filings]
    names = [channel_name(t, f.channel) for f in proc.filings]
    if len(proc.filings) > 1 and len(set(zip(times, fees, strict=True))) > 1:
        if len(set(fees)) == 1:
            return [*grouped_lines(names, times), "• " + _("Fee: %s") % esc(fees[0])]
        if len(set(times)) == 1:
            return ["• " + _("Time: %s") % esc(times[0]), *grouped_lines(names, fees)]
    both = [f"{time} · {fee}" for time, fee in zip(times, fees, strict=True)]
    return grouped_lines(names, both)


def grouped_lines(names: list[str], values: list[str]) -> list[str]:
    """One line per distinct value, naming the ways of filing it holds for."""
    ways: dict[str, list[str]] = {}
    for name, value in zip(names, values, strict=True):
        ways.setdefault(value, []).append(name)
    return [f"• {esc(', '.join(n))}: {esc(value)}" for value, n in ways.items()]


_FEE_WORDS = re.compile(r"(?i)\b(lệ phí|phí|miễn|không|thu|đồng|vnđ|vnd|đ)\b|[\d.,:;()\s-]+")


def _says_more(fee_text: str) -> bool:
    """'Lệ phí 8.000 đồng' adds nothing to 8.000 ₫; 'giảm 50% đến 31/12/2026' does."""
    return bool(fee_text) and len(_FEE_WORDS.sub("", fee_text).strip()) > 3


def code_line(t: Translator, proc: Procedure) -> str:
    """ "Mã: 1.001193 · Cấp xã": which procedure this is, under its heading."""
    meta = [t.gettext("Code: %s") % esc(proc.code)]
    if proc.levels:
        meta.append(esc(level_names(t, proc)))
    return " · ".join(meta)


def procedure_card(t: Translator, proc: Procedure, portal_url: str) -> str:
    """The first answer: what it is, where, how long, how much, and what to do next."""
    _ = t.gettext
    lines = [f"📋 <b>{title(t, proc)}</b>"]
    if t.locale == "en" and english_name(proc.code):
        lines.append(f"🇻🇳 <i>{in_vietnamese(t, proc.name)}</i>")
    lines.append(code_line(t, proc))
    if proc.field:
        lines.append(_("Field: %s") % in_vietnamese(t, proc.field))
    if proc.agency:
        lines.append(_("Where: %s") % in_vietnamese(t, proc.agency))
    if proc.filings:
        lines.append("")
        lines.append("<b>" + _("Time and fee") + "</b>")
        lines += filing_lines(t, proc)
    elif proc.filings_text:
        lines.append("")
        lines.append("<b>" + _("Time and fee") + "</b>")
        lines.append(in_vietnamese(t, _shorten(proc.filings_text, 600)))
    link = proc.portal_url or portal_url
    if proc.online_level in (ONLINE_FULL, ONLINE_PARTIAL):
        lines.append("")
        label = (
            _("You can do this fully online")
            if proc.online_level == ONLINE_FULL
            else _("You can start this online")
        )
        portal = _("National Public Service Portal")
        lines.append(f'🌐 {label}: <a href="{esc_attr(link)}">{portal}</a>')
    lines.append("")
    lines.append("👉 " + _("Press a button below to see the documents to bring or the steps."))
    return "\n".join(lines)


def documents_section(t: Translator, proc: Procedure) -> str:
    _ = t.gettext
    lines = ["📄 <b>" + _("Documents for: %s") % title(t, proc) + "</b>"]
    if proc.documents or proc.documents_text:
        lines += _catalog_note(t)
    if proc.documents:
        group = ""
        for i, doc in enumerate(proc.documents, 1):
            if doc.group and doc.group != group:  # documents of one case, under its heading
                group = doc.group
                lines.append(f"<i>{esc(group)}</i>")
            line = f"{i}. {esc(doc.name)}"
            if doc.form:
                line += " (" + _("form: %s") % esc(doc.form) + ")"
            if doc.count:
                line += f" — {esc(doc.count)}"
            lines.append(line)
    elif proc.documents_text:
        lines.append(esc(proc.documents_text))
    else:
        lines.append(_("The catalog does not list the documents. Please ask the one-stop desk."))
    if proc.notes:  # remarks the portal lists among the papers, kept apart from them
        lines += ["", "<b>" + _("Notes") + "</b>", *(f"– {esc(note)}" for note in proc.notes)]
    lines.append("")
    lines.append("👉 " + _("Bring the originals to compare, or file online with scanned copies."))
    return "\n".join(lines)


def steps_section(t: Translator, proc: Procedure) -> str:
    _ = t.gettext
    lines = ["📝 <b>" + _("Steps for: %s") % title(t, proc) + "</b>"]
    if proc.steps or proc.requirements or proc.result:
        lines += _catalog_note(t)
    if proc.steps:
        for i, step in enumerate(proc.steps, 1):
            body = step if len(proc.steps) == 1 else f"{i}. {step}"
            lines.extend(esc(part) for part in body.split("\n") if part.strip())
    else:
        lines.append(_("The catalog does not list the steps. Please ask the one-stop desk."))
    if proc.requirements:
        lines.append("")
        lines.append("<b>" + _("Conditions") + "</b>")
        lines.extend(esc(part) for part in proc.requirements.split("\n") if part.strip())
    if proc.result:
        lines.append("")
        lines.append("<b>" + _("You receive") + "</b>: " + esc(proc.result))
    return "\n".join(lines)


def legal_section(t: Translator, proc: Procedure) -> str:
    _ = t.gettext
    lines = ["⚖️ <b>" + _("Legal basis for: %s") % title(t, proc) + "</b>"]
    if proc.legal_basis or proc.legal_text:
        lines += _catalog_note(t)
    if proc.legal_basis:
        for doc in proc.legal_basis:
            lines.append(f"• {esc(doc.title)}" + (f" ({esc(doc.number)})" if doc.number else ""))
    elif proc.legal_text:
        lines.append(esc(proc.legal_text))
    else:
        lines.append(_("The catalog does not list the legal basis."))
    return "\n".join(lines)


def esc_attr(value: str) -> str:
    return esc(value).replace('"', "&quot;")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
