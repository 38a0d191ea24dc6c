"""Telegram's MarkdownV2 and legacy Markdown, parsed like TDLib so errors match production.

Ports of TDLib's ``parse_markdown_v2`` and ``parse_markdown``: an unescaped reserved
character fails with "Character '.' is reserved and must be escaped with the preceding '\\'",
an unclosed entity with "Can't find end of Bold entity at byte offset 0", and so on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .textutil import SPACES, EntityParseError, Out, byte_offset, char_at, check_link, entity

RESERVED = "_*[]()~`>#+-=|{}.!"
_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


@dataclass
class _Open:
    kind: str
    language: str
    utf16: int
    byte: int
    mark: int


def _reserved(char: str) -> EntityParseError:
    return EntityParseError(
        f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
    )


def _is_end(kind: str, text: str, i: int) -> bool:
    char = text[i]
    return {
        "bold": char == "*",
        "italic": char == "_" and char_at(text, i + 1) != "_",
        "code": char == "`",
        "pre": text.startswith("```", i),
        "text_link": char == "]",
        "custom_emoji": char == "]",
        "underline": text.startswith("__", i),
        "strikethrough": char == "~",
        "spoiler": text.startswith("||", i),
    }[kind]


class _Quote:
    """Block quotation lines ("> ..." / "**> ..." expandable) of MarkdownV2."""

    def __init__(self) -> None:
        self.start: int | None = None
        self.expandable = False

    def close(self, out: Out, entities: list[dict[str, Any]], end: int) -> None:
        if self.start is not None and end > self.start:
            kind = "expandable_blockquote" if self.expandable else "blockquote"
            entities.append(entity(kind, self.start, end - self.start))
        self.start, self.expandable = None, False


def parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    out, stack, entities, quote = Out(), list[_Open](), list[dict[str, Any]](), _Quote()
    i, size = 0, len(text)
    while i < size:
        char = text[i]
        in_code = bool(stack) and stack[-1].kind in ("code", "pre")
        if (i == 0 or text[i - 1] == "\n") and not in_code:
            i = _line_start(text, i, out, entities, quote)
            if i >= size:
                break
            char = text[i]
        if char == "\\" and 0 < ord(char_at(text, i + 1)) <= 126:
            out.add(text[i + 1])
            i += 2
            continue
        if quote.expandable and text.startswith("||", i) and char_at(text, i + 2) in "\n\0":
            quote.close(out, entities, out.utf16)
            i += 2
            continue
        if char not in ("`" if in_code else RESERVED):
            out.add(char)
            i += 1
            continue
        if stack and _is_end(stack[-1].kind, text, i):
            i = _close(text, i, stack.pop(), out, entities)
        else:
            i = _open(text, i, stack, out)
    if stack:
        opened = stack[-1]
        name = "PreCode" if opened.kind == "pre" and opened.language else _NAMES[opened.kind]
        raise EntityParseError(f"Can't find end of {name} entity at byte offset {opened.byte}")
    quote.close(out, entities, out.utf16)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return out.text(), entities


def _line_start(text: str, i: int, out: Out, entities: list[dict[str, Any]], quote: _Quote) -> int:
    expandable = text.startswith("**>", i)
    if expandable or char_at(text, i) == ">":
        if quote.start is None:
            quote.start, quote.expandable = out.utf16, expandable
        return i + (3 if expandable else 1)
    if quote.start is not None:
        quote.close(out, entities, out.utf16 - 1)  # the quotation ends before the newline
    return i


def _open(text: str, i: int, stack: list[_Open], out: Out) -> int:
    char, start, language = text[i], i, ""
    if char == "_":
        kind = "underline" if char_at(text, i + 1) == "_" else "italic"
        i += kind == "underline"
    elif char == "*":
        kind = "bold"
    elif char == "~":
        kind = "strikethrough"
    elif char == "|" and char_at(text, i + 1) == "|":
        kind, i = "spoiler", i + 1
    elif char == "[":
        kind = "text_link"
    elif char == "!" and char_at(text, i + 1) == "[":
        kind, i = "custom_emoji", i + 1
    elif char == "`" and text.startswith("```", i):
        kind, i = "pre", i + 3
        end = i
        while char_at(text, end) not in SPACES and text[end] != "`":
            end += 1
        if end != i and end < len(text) and text[end] != "`":
            language, i = text[i:end], end
        if char_at(text, i) in "\r\n":
            pair = char_at(text, i + 1) in "\r\n" and text[i] != char_at(text, i + 1)
            i += 2 if pair else 1
        i -= 1
    elif char == "`":
        kind = "code"
    else:
        raise _reserved(char)
    stack.append(_Open(kind, language, out.utf16, byte_offset(text, start), len(out.parts)))
    return i + 1


def _close(text: str, i: int, opened: _Open, out: Out, entities: list[dict[str, Any]]) -> int:
    kind, extra = opened.kind, dict[str, Any]()
    keep = out.utf16 > opened.utf16
    if kind in ("underline", "spoiler"):
        i += 1
    elif kind == "pre":
        i += 2
        if opened.language:
            extra["language"] = opened.language
    elif kind == "text_link":
        if char_at(text, i + 1) == "(":
            url, i = _url(text, i + 2)
        else:
            url = out.since(opened.mark)
        keep = keep and check_link(url) is None
        extra["url"] = url
    elif kind == "custom_emoji":
        if char_at(text, i + 1) != "(":
            raise EntityParseError("Custom emoji entity must contain a tg://emoji URL")
        url, i = _url(text, i + 2)
        emoji_id = url.removeprefix("tg://emoji?id=")
        if emoji_id == url or not emoji_id.isdigit():
            raise EntityParseError("Custom emoji URL must have an emoji identifier")
        extra["custom_emoji_id"] = emoji_id
    if keep:
        entities.append(entity(kind, opened.utf16, out.utf16 - opened.utf16, **extra))
    return i + 1


def _url(text: str, i: int) -> tuple[str, int]:
    start, url = i, []
    while i < len(text) and text[i] != ")":
        if text[i] == "\\" and 0 < ord(char_at(text, i + 1)) <= 126:
            url.append(text[i + 1])
            i += 2
            continue
        url.append(text[i])
        i += 1
    if char_at(text, i) != ")":
        raise EntityParseError(f"Can't find end of a URL at byte offset {byte_offset(text, start)}")
    return "".join(url), i


def parse_markdown(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting."""
    out, entities = Out(), list[dict[str, Any]]()
    i, size = 0, len(text)
    while i < size:
        char = text[i]
        if char == "\\" and char_at(text, i + 1) in "_*`[":
            out.add(text[i + 1])
            i += 2
            continue
        if char not in "_*`[":
            out.add(char)
            i += 1
            continue
        begin, end_char, is_pre, language = i, "]" if char == "[" else char, False, ""
        i += 1
        if char == "`" and text.startswith("``", i):
            i, is_pre = i + 2, True
            end = i
            while char_at(text, end) not in SPACES and text[end] != "`":
                end += 1
            if end != i and end < size and text[end] != "`":
                language, i = text[i:end], end
            if char_at(text, i) in "\r\n":
                pair = char_at(text, i + 1) in "\r\n" and text[i] != char_at(text, i + 1)
                i += 2 if pair else 1
        start, mark = out.utf16, len(out.parts)
        while i < size and (text[i] != end_char or (is_pre and not text.startswith("```", i))):
            out.add(text[i])
            i += 1
        if i == size:
            raise EntityParseError(
                f"Can't find end of the entity starting at byte offset {byte_offset(text, begin)}"
            )
        length = out.utf16 - start
        if char == "[":
            url = out.since(mark)
            if char_at(text, i + 1) == "(":
                close = text.find(")", i + 2)
                close = size if close < 0 else close
                url, i = text[i + 2 : close], close
            if length and check_link(url) is None:
                entities.append(entity("text_link", start, length, url=url))
        elif length:
            kind = {"_": "italic", "*": "bold", "`": "pre" if is_pre else "code"}[char]
            extra = {"language": language} if is_pre and language else {}
            entities.append(entity(kind, start, length, **extra))
        i += 3 if is_pre else 1
    return out.text(), entities
