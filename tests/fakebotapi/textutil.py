"""Shared pieces of the text parsers: UTF-16 counting, output buffer, links, errors.

Telegram measures text and entity offsets in UTF-16 code units and reports parse errors at
UTF-8 byte offsets; both are reproduced so limits and messages match production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SPACES = " \t\r\n\v\f\0"


class FormatError(Exception):
    """Refused text; ``description`` follows "Bad Request: " in Telegram's answer."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    @property
    def description(self) -> str:
        return self.detail


class EntityParseError(FormatError):
    """HTML/Markdown that TDLib cannot parse: "can't parse entities: <detail>"."""

    @property
    def description(self) -> str:
        return f"can't parse entities: {self.detail}"


def utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


def char_at(text: str, index: int) -> str:
    """The character at ``index`` or NUL past the end, like TDLib's NUL-terminated CSlice."""
    return text[index] if 0 <= index < len(text) else "\0"


@dataclass
class Out:
    """Parsed plain text being built, with its length in UTF-16 code units."""

    parts: list[str] = field(default_factory=list)
    utf16: int = 0

    def add(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.utf16 += utf16_len(chunk)

    def since(self, mark: int) -> str:
        return "".join(self.parts[mark:])

    def text(self) -> str:
        return "".join(self.parts)


def entity(kind: str, offset: int, length: int, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "offset": offset, "length": length, **extra}


_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$|^[\d.]+$")


def check_link(url: str) -> str | None:
    """Why Telegram would refuse ``url`` as a link ("Wrong HTTP URL", ...), or None if fine."""
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "http", url
    scheme = scheme.lower()
    if scheme == "tg":
        return None if re.match(r"^[A-Za-z0-9_]+", rest) else "Wrong tg URL"
    if scheme in ("ton", "tonsite"):
        return None if rest else "URL host is empty"
    if scheme not in ("http", "https"):
        return "Unsupported URL protocol"
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rpartition("@")[2]
    host = re.sub(r":\d{1,5}$", "", host).lower()
    if not host:
        return "URL host is empty"
    return None if _HOST.match(host) else "Wrong HTTP URL"


def trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip leading and trailing white space as Telegram does, moving entities with the text."""
    stripped = text.strip(SPACES)
    if stripped == text:
        return text, entities
    head = utf16_len(text[: len(text) - len(text.lstrip(SPACES))])
    size = utf16_len(stripped)
    kept = []
    for ent in entities:
        start = max(ent["offset"] - head, 0)
        end = min(ent["offset"] + ent["length"] - head, size)
        if end > start:
            kept.append({**ent, "offset": start, "length": end - start})
    return stripped, kept
