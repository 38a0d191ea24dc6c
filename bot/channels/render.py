"""A reply laid out for one channel's capabilities, with the same fallbacks on every channel.

- The text in the channel's markup (HTML as is; plain text from `Reply.plain()`, NFC), split
  at the channel's limit: at paragraph breaks first, then between lines (a tag never spans a
  line), an overlong line at a space.
- The buttons within the channel's budget; past it, all but the last place are shown and the
  rest are folded behind a "more" button the channel shows next. A channel without buttons,
  or told to use none (Zalo's numbers mode), lists every choice as a numbered line instead,
  and the user types the number back.
- The contact request: the button that asks for the user's own phone number is taken out of
  the buttons, for the channel to ask its own way (Telegram's contact keyboard, Zalo's
  request_user_info, the terminal's typed number).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.channels.base import Capabilities
from bot.reply import CONTACT_ACTION, Button, Reply, fold, split_text
from bot.text import nfc


@dataclass
class Layout:
    parts: list[str]  # the text, one message each
    buttons: list[Button] = field(default_factory=list)  # shown as buttons, with the last part
    folded: list[Button] = field(default_factory=list)  # past the budget: behind "more"
    choices: list[str] = field(default_factory=list)  # numbered: "1" means choices[0]
    contact: Button | None = None  # the reply asks for the user's own phone number


def lay_out(
    reply: Reply,
    capabilities: Capabilities,
    *,
    numbers: bool = False,
    numbering_from: int = 1,
    choose_hint: str = "",
    usable=lambda button: True,
) -> Layout:
    """`numbers`: every choice as a numbered line even where buttons could show;
    `usable`: the buttons this channel can carry at all (Zalo: payloads it accepts)."""
    text = reply.text if capabilities.markup == "html" else nfc(reply.plain()).strip() or "…"
    contact = contact_button(reply)
    buttons = [b for b in reply.ordered() if (b.action != CONTACT_ACTION or b.url) and usable(b)]
    out = Layout(parts=[], contact=contact)
    if buttons and (numbers or capabilities.buttons_per_message == 0):
        text = f"{text}\n\n{numbered(buttons, numbering_from, out.choices)}"
        text += f"\n👉 {choose_hint}" if choose_hint else ""
    elif buttons:
        out.buttons, out.folded = fold(buttons, capabilities.buttons_per_message)
    out.parts = split_paragraphs(text, capabilities.text_limit)
    return out


def contact_button(reply: Reply) -> Button | None:
    """The button of a contact request, when the reply makes one."""
    if not reply.request_contact:
        return None
    return next((b for b in reply.ordered() if b.action == CONTACT_ACTION and not b.url), None)


def numbered(buttons: list[Button], start: int, choices: list[str]) -> str:
    """`1. label` lines (actions appended to `choices`); a link as `• label: address`."""
    lines = []
    for b in buttons:
        if b.url:
            lines.append(f"• {nfc(b.label)}: {b.url}")
        else:
            choices.append(b.action)
            lines.append(f"{start + len(choices) - 1}. {nfc(b.label)}")
    return "\n".join(lines)


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
