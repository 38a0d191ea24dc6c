"""The parts of a long message that may each name a procedure.

Citizens write with context: "Dạ em chào anh chị, tháng sau tụi em cưới rồi, muốn đăng
ký kết hôn trước đám cưới thì cần mang những giấy tờ gì ạ? Em cảm ơn". Searched whole,
the greeting, the wedding plans and the thanks dilute what it asks; one clause of it
names the procedure plainly. Search tries the clauses, and pairs of neighbouring
clauses, beside the whole message and keeps the surest answer.
"""

from __future__ import annotations

import re

from bot.text import nfc

# Where a clause ends: sentence and list punctuation, a line break, and the words that
# join a situation to a request ("…, thì…", "… nhưng …", "… vì …").
_BREAK = re.compile(
    r"[.?!;:\n]+|,|\s(?:thì|thi|nhưng|nhung|vì|vi|do|nên|nen|mà|ma|hay là|hoặc là)\s",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+")
# Below this many words a message is one clause: nothing to split.
LONG = 9
# A clause of fewer words than this says too little on its own ("em chào anh chị").
SHORT = 2
# Longer messages are cut to their first clauses: the request comes early.
MOST = 5


def clauses(text: str) -> list[str]:
    """The message's clauses, in order, each at least SHORT words long."""
    parts = [p.strip() for p in _BREAK.split(nfc(text))]
    return [p for p in parts if len(_WORD.findall(p)) >= SHORT][:MOST]


# A citizen telling their own situation: the person, their family, their home. Formal
# questions about the law ("Những đối tượng nào được cấp …") are searched whole: their
# clauses name rules, not what the writer wants done.
_PERSONAL = frozenset(
    """tôi toi em mình minh tụi chúng bố mẹ ba má vợ chồng chong cháu chau nhà nha
    ông bà anh chị con""".split()  # noqa: SIM905 (a word list reads better as words)
)


def personal(text: str) -> bool:
    """Whether the message speaks of the writer or their family."""
    return any(w in _PERSONAL for w in _WORD.findall(nfc(text).lower()))


def windows(text: str) -> list[str]:
    """Each clause and each pair of neighbours, for a message of LONG words or more that
    tells a personal situation; none otherwise (it is searched whole only)."""
    words = _WORD.findall(nfc(text))
    if len(words) < LONG or not personal(text):
        return []
    parts = clauses(text)
    if len(parts) < 2:
        return []
    return parts
