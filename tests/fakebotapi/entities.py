"""Telegram's HTML formatting, parsed like TDLib so bad markup fails here as in production.

A port of TDLib's ``parse_html``: the error details ("Unsupported start tag \\"br\\" at byte
offset 5", "Can't find end tag corresponding to start tag \\"b\\"", ...) are TDLib's own. One
deliberate difference: TDLib keeps a bare ``&`` that starts no entity as text, but the Bot API
documentation says it must be escaped; with ``strict_amp`` (the default) the fake refuses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .markdown import parse_markdown, parse_markdown_v2
from .textutil import (
    SPACES,
    EntityParseError,
    FormatError,
    Out,
    byte_offset,
    char_at,
    check_link,
    entity,
    trim,
    utf16_len,
)

__all__ = ["FormatError", "check_entities", "format_text", "parse_html", "utf16_len"]

_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_TAGS = frozenset(_SIMPLE) | {"a", "code", "pre", "blockquote", "tg-emoji"}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    """``&lt;``, ``&#62;``, ``&#x3E;``... at ``pos``: (character, end) or None (TDLib rules)."""
    end = pos + 1
    if char_at(text, end) == "#":
        end += 1
        base, digits = 10, "0123456789"
        if char_at(text, end) == "x":
            end += 1
            base, digits = 16, "0123456789abcdefABCDEF"
        code = 0
        while char_at(text, end) in digits:
            code = code * base + int(text[end], 16)
            end += 1
            if code >= 0x10FFFF:
                return None
        if code == 0 or end - pos >= 10 or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        while char_at(text, end).isascii() and char_at(text, end).isalpha():
            end += 1
        named = _NAMED.get(text[pos + 1 : end])
        if named is None:
            return None
        char = named
    if char_at(text, end) == ";":
        end += 1
    return char, end


@dataclass
class _Open:
    tag: str
    argument: str
    expandable: bool
    utf16: int
    mark: int


def parse_html(text: str, *, strict_amp: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities of Telegram-HTML ``text``; raises EntityParseError."""
    out, stack, entities = Out(), list[_Open](), list[dict[str, Any]]()
    i, size = 0, len(text)
    while i < size:
        char = text[i]
        if char == "&":
            decoded = decode_html_entity(text, i)
            if decoded is not None:
                out.add(decoded[0])
                i = decoded[1]
                continue
            if strict_amp:
                raise EntityParseError(
                    f"Character '&' at byte offset {byte_offset(text, i)} must be escaped as &amp;"
                )
        if char != "<":
            out.add(char)
            i += 1
        elif char_at(text, i + 1) != "/":
            opened, i = _start_tag(text, i, strict_amp)
            stack.append(_Open(*opened, out.utf16, len(out.parts)))
        else:
            i = _end_tag(text, i, stack, out, entities)
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return out.text(), entities


def _start_tag(text: str, begin: int, strict_amp: bool) -> tuple[tuple[str, str, bool], int]:
    i = begin + 1
    while char_at(text, i) not in SPACES and text[i] != ">":
        i += 1
    if i >= len(text):
        raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(text, begin)}")
    tag = text[begin + 1 : i].lower()
    at = byte_offset(text, begin)
    if tag not in _TAGS:
        raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {at}')
    argument, expandable = "", False
    while char_at(text, i) != ">":
        while i < len(text) and text[i] in SPACES:
            i += 1
        if char_at(text, i) == ">":
            break
        name_start = i
        while char_at(text, i) not in SPACES and text[i] not in "=>":
            i += 1
        name = text[name_start:i]
        if not name:
            raise EntityParseError(f'Empty attribute name in the tag "{tag}" at byte offset {at}')
        while i < len(text) and text[i] in SPACES:
            i += 1
        if char_at(text, i) != "=":
            if tag == "blockquote" and name == "expandable":
                expandable = True
                continue
            raise EntityParseError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{tag}" at byte offset {at}'
            )
        i += 1
        while i < len(text) and text[i] in SPACES:
            i += 1
        if i >= len(text):
            raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {at}')
        value, i = _attribute_value(text, i, strict_amp)
        if i >= len(text):
            raise EntityParseError(f"Unclosed start tag at byte offset {at}")
        if tag == "a" and name == "href":
            argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value[9:]
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value[3:]
        elif tag == "tg-emoji" and name == "emoji-id":
            argument = value
        elif tag == "blockquote" and name == "expandable":
            expandable = True
    if tag == "span" and argument != "spoiler":
        raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
    return (tag, argument, expandable), i + 1


def _attribute_value(text: str, i: int, strict_amp: bool) -> tuple[str, int]:
    quote = text[i]
    if quote not in "'\"":
        start = i
        while char_at(text, i).isascii() and (text[i].isalnum() or text[i] in ".-"):
            i += 1
        if char_at(text, i) not in SPACES and text[i] != ">":
            raise EntityParseError(
                f"Unexpected end of name token at byte offset {byte_offset(text, start)}"
            )
        return text[start:i].lower(), i
    i += 1
    value: list[str] = []
    while i < len(text) and text[i] != quote:
        if text[i] == "&":
            decoded = decode_html_entity(text, i)
            if decoded is not None:
                value.append(decoded[0])
                i = decoded[1]
                continue
            if strict_amp:
                raise EntityParseError(
                    f"Character '&' at byte offset {byte_offset(text, i)} must be escaped as &amp;"
                )
        value.append(text[i])
        i += 1
    return "".join(value), i + 1 if char_at(text, i) == quote else i


def _end_tag(
    text: str, begin: int, stack: list[_Open], out: Out, entities: list[dict[str, Any]]
) -> int:
    at = byte_offset(text, begin)
    if not stack:
        raise EntityParseError(f"Unexpected end tag at byte offset {at}")
    i = begin + 1
    while char_at(text, i) not in SPACES and text[i] != ">":
        i += 1
    end_name = text[begin + 2 : i]
    while i < len(text) and text[i] in SPACES:
        i += 1
    if char_at(text, i) != ">":
        raise EntityParseError(f"Unclosed end tag at byte offset {at}")
    opened = stack.pop()
    if end_name and end_name.lower() != opened.tag:
        raise EntityParseError(
            f'Unmatched end tag at byte offset {at}, expected "</{opened.tag}>", '
            f'found "</{end_name}>"'
        )
    length = out.utf16 - opened.utf16
    if length > 0:
        _add_entity(opened, length, out, stack, entities)
    return i + 1


def _add_entity(
    opened: _Open, length: int, out: Out, stack: list[_Open], entities: list[dict[str, Any]]
) -> None:
    tag, offset = opened.tag, opened.utf16
    if tag in _SIMPLE:
        entities.append(entity(_SIMPLE[tag], offset, length))
    elif tag == "a":
        url = opened.argument or out.since(opened.mark)
        if check_link(url) is None:  # TDLib drops a link it cannot use, silently
            entities.append(entity("text_link", offset, length, url=url))
    elif tag == "code":
        in_pre = bool(stack) and stack[-1].tag == "pre" and bool(opened.argument)
        extra = {"language": opened.argument} if in_pre else {}
        entities.append(entity("code", offset, length, **extra))
    elif tag == "pre":
        last = entities[-1] if entities else {}
        same_span = (last.get("offset"), last.get("length")) == (offset, length)
        if same_span and last["type"] == "code" and "language" in last:
            entities[-1] = entity("pre", offset, length, language=last["language"])
        else:
            entities.append(entity("pre", offset, length))
    elif tag == "blockquote":
        kind = "expandable_blockquote" if opened.expandable else "blockquote"
        entities.append(entity(kind, offset, length))
    else:  # tg-emoji
        emoji_id = opened.argument
        if not (emoji_id.isdigit() and 0 < int(emoji_id) < 2**63):
            raise EntityParseError("Invalid custom emoji identifier specified")
        entities.append(entity("custom_emoji", offset, length, custom_emoji_id=emoji_id))


def format_text(
    text: str,
    parse_mode: str | None,
    entities: Any = None,
    *,
    entity_types: frozenset[str] = frozenset(),
    strict_amp: bool = True,
) -> tuple[str, list[dict[str, Any]]]:
    """Text as Telegram stores it: markup parsed (or ``entities`` checked), white space trimmed.

    Raises FormatError with the description Telegram would give after "Bad Request: ".
    """
    if entities:
        found = check_entities(entities, text, entity_types)
    else:
        mode = (parse_mode or "").lower()
        if mode == "html":
            text, found = parse_html(text, strict_amp=strict_amp)
        elif mode == "markdownv2":
            text, found = parse_markdown_v2(text)
        elif mode == "markdown":
            text, found = parse_markdown(text)
        elif mode == "":
            found = []
        else:
            raise FormatError("unsupported parse_mode")
    return trim(text, found)


def check_entities(raw: Any, text: str, types: frozenset[str]) -> list[dict[str, Any]]:
    """Entities given explicitly, refused with the Bot API's descriptions."""
    if not isinstance(raw, list):
        raise FormatError("can't parse entities JSON object")
    size, checked = utf16_len(text), []
    for ent in raw:
        if not isinstance(ent, dict):
            raise FormatError("can't parse MessageEntity: expected an Object")
        for key in ("type", "offset", "length"):
            if key not in ent:
                raise FormatError(f"can't parse MessageEntity: Can't find field \"{key}\"")
        kind, offset, length = ent["type"], ent["offset"], ent["length"]
        if kind not in types:
            raise FormatError("can't parse MessageEntity: Unsupported type specified")
        if not isinstance(offset, int) or offset < 0:
            raise FormatError(f"receive an entity with incorrect offset {offset}")
        if not isinstance(length, int) or length < 0:
            raise FormatError(f"receive an entity with incorrect length {length}")
        if offset > size:
            raise FormatError(f"entity begins after the end of the text at UTF-16 offset {offset}")
        if offset + length > size:
            raise FormatError(
                f"entity beginning at UTF-16 offset {offset} ends after the end of the text "
                f"at UTF-16 offset {offset + length}"
            )
        needs = {"text_link": "url", "text_mention": "user", "custom_emoji": "custom_emoji_id"}
        if kind in needs and needs[kind] not in ent:
            raise FormatError(f"can't parse MessageEntity: Can't find field \"{needs[kind]}\"")
        if kind == "text_link" and (why := check_link(ent["url"])) is not None:
            raise FormatError(f"entity URL '{ent['url']}' is invalid: {why}")
        if kind == "custom_emoji" and not _valid_id(ent["custom_emoji_id"]):
            raise FormatError(
                'can\'t parse MessageEntity: Field "custom_emoji_id" must be a valid Number'
            )
        if length:
            checked.append(dict(ent))
    return checked


def _valid_id(value: Any) -> bool:
    return str(value).isdigit() and 0 < int(value) < 2**63
