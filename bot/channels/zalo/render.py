"""A dialog Reply as Zalo CS messages: plain text in parts of ≤ 2,000 characters (NFC),
at most 5 buttons as `oa.query.hide` payloads (past 5, the 4 most important and one
"More choices" that shows the rest next), and the contact request as a
`request_user_info` template. Numbered choices only when MOTCUA_ZALO_BUTTONS=numbers.
The fallbacks are the shared renderer's (bot/channels/render.py); the shapes are Zalo's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from bot.channels.base import PHONE_SHARED_INFO, Capabilities
from bot.channels.render import lay_out
from bot.reply import Button, Reply
from bot.settings import ZaloSettings
from bot.text import nfc

TEXT_LIMIT = 2000
MAX_BUTTONS = 5
CAPABILITIES = Capabilities(
    edit_in_place=False,
    buttons_per_message=MAX_BUTTONS,
    text_limit=TEXT_LIMIT,
    markup="plain",
    phone_proof=PHONE_SHARED_INFO,
)
TITLE_MAX = 100  # [U] button titles and request_user_info titles
PAYLOAD_MAX = 1000  # [U] query payloads
SUBTITLE_MAX = 500  # [U]
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
    """Laid out by the shared renderer (bot/channels/render.py), then in Zalo's shapes."""
    layout = lay_out(
        reply,
        CAPABILITIES,
        numbers=settings.buttons != "template",
        numbering_from=numbering_from,
        choose_hint=choose_hint,
        usable=lambda b: bool(b.url) or len(b.action) <= PAYLOAD_MAX,
    )
    out = Rendered(choices=layout.choices, more=layout.folded)
    if layout.contact is not None:
        text = nfc(reply.plain()).strip() or "…"
        out.messages.append(_user_info(nfc(layout.contact.label), text, settings))
        return out
    out.messages = [{"text": part} for part in layout.parts]
    shown = layout.buttons
    if out.more:
        out.more_key = _fold_key(out.more)
        shown = [*shown, Button(more_label, MORE_ACTION + out.more_key)]
    if shown:
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


def _user_info(title: str, text: str, settings: ZaloSettings) -> dict:
    element = {"title": _cut(title, TITLE_MAX), "subtitle": _cut(text, SUBTITLE_MAX)}
    if settings.info_image_url:
        element["image_url"] = settings.info_image_url
    payload = {"template_type": "request_user_info", "elements": [element]}
    return {"attachment": {"type": "template", "payload": payload}}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
