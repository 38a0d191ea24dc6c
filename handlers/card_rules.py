"""Who may file (and whether someone may go instead), and by when: two questions citizens
ask right after a card ("bà nội đi khai được không", "trễ hạn có sao không").

Both are read from the catalog's own text (conditions, who files, the documents, the
fee notes), never from rules written here: where the catalog is silent, the reply says
so and points to the desk rather than guess.
"""

from __future__ import annotations

import re

from bot.catalog.model import Procedure
from bot.i18n import Translator
from handlers.cards import in_vietnamese, title

SHORT = 500
# A duty with a time limit: "trong 60 ngày kể từ ngày sinh", "chậm nhất 3 ngày làm việc
# trước", "quá hạn: 10.000 đồng", "Phải đăng ký trong 10 ngày".
_LIMIT = re.compile(
    r"[^.;\n()]*(?:\btrong (?:thời hạn |vòng )?\d+ (?:ngày|tháng)|\bchậm nhất\b|\bquá hạn\b"
    r"|\btrễ hạn\b|\bkể từ (?:ngày|khi)\b)[^.;\n()]*",
    re.IGNORECASE,
)
_PROXY = re.compile(r"ủy quyền|uỷ quyền|người đại diện|đại diện hộ|người được", re.IGNORECASE)


def _limits(proc: Procedure) -> list[str]:
    """Sentences of the catalog's text that set a time limit on the citizen, each once."""
    texts = [proc.requirements, *(f.fee_text for f in proc.filings), *proc.steps]
    found: list[str] = []
    for text in texts:
        for m in _LIMIT.finditer(text or ""):
            sentence = m.group().strip(" ,:-")
            if sentence and sentence.lower() not in (f.lower() for f in found):
                found.append(sentence)
    return found[:4]


def _shorten(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"


def who_section(t: Translator, proc: Procedure) -> str:
    _ = t.gettext
    lines = ["👤 <b>" + _("Who may file: %s") % title(t, proc) + "</b>"]
    if proc.subjects:
        lines.append(_("Who files: %s") % in_vietnamese(t, _shorten(proc.subjects)))
    if proc.requirements:
        lines.append("<b>" + _("Conditions") + "</b>")
        lines += [in_vietnamese(t, p) for p in _shorten(proc.requirements).split("\n") if p]
    proxy = [d.name for d in proc.documents if _PROXY.search(d.name)]
    if proxy:
        lines.append("")
        lines.append(
            "🤝 "
            + _("Someone else may file for you with: %s")
            % in_vietnamese(t, _shorten("; ".join(proxy)))
        )
    if len(lines) == 1:
        lines.append(
            _("The catalog does not say who may file or go instead. Please ask the one-stop desk.")
        )
    lines.append("")
    lines.append("👉 " + _('Ask more, for example "what documents", or press a button.'))
    return "\n".join(lines)


def deadline_section(t: Translator, proc: Procedure) -> str:
    _ = t.gettext
    lines = ["⏳ <b>" + _("Time limits: %s") % title(t, proc) + "</b>"]
    limits = _limits(proc)
    if limits:
        lines += ["• " + in_vietnamese(t, _shorten(s)) for s in limits]
    else:
        lines.append(
            _(
                "The catalog sets no time limit for filing this. If you are late, ask the"
                " one-stop desk whether anything changes."
            )
        )
    lines.append("")
    lines.append("👉 " + _('Ask more, for example "what documents", or press a button.'))
    return "\n".join(lines)
