"""A dialog Reply as Zalo CS messages: plain text in parts of ≤ 2,000 characters (NFC),
at most 5 buttons as `oa.query.hide` payloads (past 5, the 4 most important and one
"More choices" that shows the rest next), and the contact request as a
`request_user_info` template. Numbered choices only when MOTCUA_ZALO_BUTTONS=numbers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from bot.reply import Button, Reply, fold, split_text
from bot.settings import ZaloSettings
from bot.text import nfc

TEXT_LIMIT = 2000
MAX_BUTTONS = 5
TITLE_MAX = 100  # [U] button titles and request_user_info titles
PAYLOAD_MAX = 1000  # [U] query payloads
SUBTITLE_MAX = 500  # [U]
CONTACT_ACTION = "contact"
MORE_ACTION = "zalo:more:"  # + a fold's key: the "More choices" button of one card


@dataclass
class Rendered:
    messages: list[dict] = field(default_factory=list)  # each is one CS `message`
    actions: list[str] = field(default_factory=list)  # sent as buttons: typed back = pressed
    choices: list[str] = field(default_factory=list)  # numbered: "1" means choices[0]
    more: list[Button] = field(default_factory=list)  # folded behind "More choices"
    more_key: str = ""  # which card's folded buttons (a tap on an older card shows its own)


def render(
    reply: Reply,
    settings: ZaloSettings,
    choose_hint: str,
    numbering_from: int = 1,
    more_label: str = "Thêm lựa chọn",
) -> Rendered:
    out = Rendered()
    text = nfc(reply.plain()).strip() or "…"
    buttons = reply.ordered()
    contact = reply.request_contact and any(b.action == CONTACT_ACTION for b in buttons)
    buttons = [b for b in buttons if b.action != CONTACT_ACTION or b.url]
    if contact:
        label = next(b.label for b in reply.ordered() if b.action == CONTACT_ACTION)
        out.messages.append(_user_info(nfc(label), text, settings))
        return out
    usable = [b for b in buttons if b.url or len(b.action) <= PAYLOAD_MAX]
    as_buttons = settings.buttons == "template" and bool(usable)
    if usable and not as_buttons:  # MOTCUA_ZALO_BUTTONS=numbers: an OA that refuses buttons
        text = f"{text}\n\n{_numbered(usable, numbering_from, out.choices)}\n👉 {choose_hint}"
    parts = split_paragraphs(text, TEXT_LIMIT)
    out.messages = [{"text": part} for part in parts]
    if as_buttons:
        shown, out.more = fold(usable, MAX_BUTTONS)
        if out.more:
            out.more_key = _fold_key(out.more)
            shown = [*shown, Button(more_label, MORE_ACTION + out.more_key)]
        out.messages[-1]["attachment"] = {
            "type": "template",
            "payload": {"buttons": [_button(b) for b in shown]},
        }
        out.actions = [b.action for b in shown if not b.url]
    return out


def _fold_key(buttons: list[Button]) -> str:
    seen = "\n".join(f"{b.label}\t{b.action}\t{b.url or ''}" for b in buttons)
    return hashlib.sha256(seen.encode()).hexdigest()[:10]


def _button(b: Button) -> dict:
    title = _cut(nfc(b.label), TITLE_MAX)
    if b.url:
        return {"title": title, "type": "oa.open.url", "payload": {"url": b.url}}
    return {"title": title, "type": "oa.query.hide", "payload": b.action}


def _numbered(buttons: list[Button], start: int, choices: list[str]) -> str:
    lines = []
    for b in buttons:
        if b.url:
            lines.append(f"• {nfc(b.label)}: {b.url}")
        else:
            choices.append(b.action)
            lines.append(f"{start + len(choices) - 1}. {nfc(b.label)}")
    return "\n".join(lines)


def _user_info(title: str, text: str, settings: ZaloSettings) -> dict:
    element = {"title": _cut(title, TITLE_MAX), "subtitle": _cut(text, SUBTITLE_MAX)}
    if settings.info_image_url:
        element["image_url"] = settings.info_image_url
    payload = {"template_type": "request_user_info", "elements": [element]}
    return {"attachment": {"type": "template", "payload": payload}}


def split_paragraphs(text: str, limit: int) -> list[str]:
    """Parts of at most `limit` characters, cut at paragraph breaks first, then lines."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for para in text.split("\n\n"):
        pieces = split_text(para, limit) if len(para) > limit else [para]
        for piece in pieces:
            candidate = f"{current}\n\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                if current.strip():
                    parts.append(current)
                current = piece
    if current.strip():
        parts.append(current)
    return parts or [text[:limit]]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
