"""What the dialog returns: text in a small HTML subset plus buttons.

The text uses only <b>, <i> and <a href> with everything else escaped, which
Telegram renders as is; channels without markup call `plain()`. A tag never
spans a line break, so a channel can split long text between lines safely.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_TAG = re.compile(r"<[^>]+>")
# The action of the button that asks for the user's own phone number (with
# Reply.request_contact): each channel asks in its own way (bot/channels/render.py).
CONTACT_ACTION = "contact"
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>')


@dataclass(frozen=True)
class Button:
    label: str
    action: str  # opaque, at most 64 bytes (Telegram callback_data)
    url: str | None = None  # a link button instead of an action


@dataclass
class Reply:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)  # rows, most important first
    edit: bool = False  # replace the message the pressed button belongs to
    request_contact: bool = False  # ask the channel for the user's own contact
    remove_keyboard: bool = False  # take away a contact keyboard shown before
    photo: bytes | None = None  # a PNG sent with the text (a chart)
    # A private, transient notice to the person who acted (a refusal): never posted where
    # others read it. Telegram shows it as the pressed button's popup and drops it for a
    # command typed in a group; a channel without popups shows it as a message.
    notice: bool = False
    # A notification's template data, for channels that must reach a citizen outside a
    # conversation (Zalo ZNS): {"kind": "dossier"|"feedback", "params": {...}, "tracking_id"}.
    zns: dict | None = None

    def ordered(self) -> list[Button]:
        """The buttons by importance: rows top to bottom, each left to right (the dialog
        puts what matters most first), so a channel with a budget keeps the first ones."""
        return [b for row in self.buttons for b in row]

    def plain(self) -> str:
        """Text for channels without markup; links keep their address."""
        text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", self.text)
        return html.unescape(_TAG.sub("", text))


def fold(buttons: list[Button], budget: int | None) -> tuple[list[Button], list[Button]]:
    """(shown, folded) for a channel with a button budget: past it, the last place goes to
    a "more" button that shows the folded ones next, so nothing becomes numbers only."""
    if budget is None or len(buttons) <= budget:
        return buttons, []
    return buttons[: budget - 1], buttons[budget - 1 :]


def esc(value: object) -> str:
    """Escape anything that came from a citizen or a data file."""
    return html.escape(str(value), quote=False)


def split_text(text: str, limit: int) -> list[str]:
    """Split between lines so each part fits `limit` characters (tags never span lines)."""
    if len(text) <= limit and text.strip() and text[0] != "\n":  # most replies: one part
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # a single overlong line: cut at a space, outside tags
            cut = _safe_cut(line, limit)
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        parts.append(current)
    return [p for p in parts if p.strip()] or [""]


def _safe_cut(line: str, limit: int) -> int:
    cut = line.rfind(" ", 0, limit)
    if cut <= limit // 2:
        cut = limit
    # never cut inside a tag or an entity
    lt, gt = line.rfind("<", 0, cut), line.rfind(">", 0, cut)
    if lt > gt:
        cut = lt
    amp = line.rfind("&", 0, cut)
    if amp != -1 and ";" not in line[amp:cut] and cut - amp < 10:
        cut = amp
    return max(cut, 1)
