"""What a citizen sees in the bot's replies, read the way a person reads them.

The understanding benches score the dialog by what it shows, not by what search
returned inside: the card's code, the procedures offered as buttons, a section's
heading, a question back, "not found", "not at the commune". Shared by
`bench/understanding.py` and the tests that check the bench itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.reply import Reply

_CODE_LINE = re.compile(r"(?:Mã|Code): (\d\.\d{6})")
_CARD_ACTION = re.compile(r"^p:[cdslftwnk]:(\d\.\d{6})")
_OTHERS_ACTION = re.compile(r"^p:o:([\d.,]+)")
_EVENT_STEP = re.compile(r"^e:[\w-]+:(\d\.\d{6})")
# A section's heading opens with its sign (handlers/cards.py, card_facts.py).
SECTION_SIGNS = {
    "💰": "fee",
    "⏱": "time",
    "📍": "place",
    "🌐": "online",
    "📄": "documents",
    "📝": "steps",
    "⚖": "legal",
    "👤": "who",
    "⏳": "deadline",
}
_VIETNAMESE = re.compile("[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")


@dataclass
class Seen:
    """One turn's replies as the citizen reads them."""

    text: str
    first_line: str
    card: str | None = None  # the code of the procedure the reply is about
    section: str | None = None  # the part of it shown first, when a section leads
    offered: list[str] = field(default_factory=list)  # codes shown or one tap away, in order
    actions: list[str] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        """The procedures the citizen sees, the main one first, each once."""
        out = [self.card] if self.card else []
        for code in self.offered:
            if code not in out:
                out.append(code)
        return out

    def has_action(self, prefix: str) -> bool:
        return any(a.startswith(prefix) for a in self.actions)

    @property
    def kind(self) -> str:
        """A coarse reading of what the reply does."""
        sign = self.first_line[:2]
        if self.section and self.card:
            return "section"
        if self.card:
            return "card"
        if self.has_action("e:") and self.offered:
            return "event"
        if "🏛" in self.text:  # where to go instead, when no procedure here fits
            return "elsewhere"
        if sign.startswith("🤔") and self.has_action("q:send:"):
            return "not_found"  # perhaps offering procedures to choose from
        if sign.startswith("🤔") and self.offered:
            return "clarify"
        if sign.startswith("🤔"):
            return "ask_which"
        if sign.startswith("🧑"):
            return "human"
        if sign.startswith("👋"):
            return "greeting" if self.has_action("m:") else "goodbye"
        if sign.startswith("😊"):
            return "thanks"
        if sign.startswith("🙂"):
            return "smalltalk"
        if sign.startswith("🙏"):
            return "abuse"
        if sign.startswith("✉") or self.has_action("fb:"):
            return "complaint"
        if sign.startswith(("📂", "📋")) or self.has_action("d:"):
            return "dossier"
        if sign.startswith(("👉", "🔎")) or "MotCua" in self.first_line:
            return "menu"
        return "other"

    def english(self) -> bool:
        """The bot's own words are English: its 'what next' line, else its first line."""
        hint = next((ln for ln in self.text.splitlines() if ln.startswith("👉")), "")
        return not _VIETNAMESE.search((hint or self.first_line).lower())


def read(replies: list[Reply]) -> Seen:
    text = "\n\n".join(r.plain() for r in replies)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    seen = Seen(text, lines[0].strip() if lines else "")
    seen.actions = [b.action for r in replies for row in r.buttons for b in row]
    code = _CODE_LINE.search(text)
    sign = next((s for s in SECTION_SIGNS if seen.first_line.startswith(s)), None)
    for action in seen.actions:
        if m := _CARD_ACTION.match(action) or _EVENT_STEP.match(action):
            seen.offered.append(m.group(1))
        elif m := _OTHERS_ACTION.match(action):
            seen.offered.extend(c for c in m.group(1).split(",") if c)
    if code:
        seen.card = code.group(1)
    elif sign and seen.offered:  # a section leads; its procedure is one tap away
        seen.card = seen.offered[0]
    if sign:
        seen.section = SECTION_SIGNS[sign]
    return seen
