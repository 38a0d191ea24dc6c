"""The Bot API 10.1 spec file, read so the fake refuses what Telegram documents it refuses.

Limits ("1-4096 characters after entities parsing", "1-64 bytes", "At most 100"), required
parameters, parameter types and the list of entity and update types all come from
``shared/data/telegram/bot-api-10.1.json`` instead of being copied into the fake by hand.
"""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

SPEC_PATH = Path(
    os.environ.get(
        "FAKEBOTAPI_SPEC",
        Path(__file__).resolve().parents[3] / "shared/data/telegram/bot-api-10.1.json",
    )
)

_RANGE = re.compile(r"(\d+)-(\d+) (characters|bytes)")
_AT_MOST = re.compile(r"At most (\d+)")
_QUOTED = re.compile(r'"([a-z_]+)"')
_OTHER_THAN = re.compile(r"fields other than ([a-z_, ]+?) must be used")


class Limit(NamedTuple):
    """A documented size range of a string field, in ``unit`` (characters or bytes)."""

    low: int
    high: int
    unit: str


@dataclass(frozen=True)
class Field:
    name: str
    types: tuple[str, ...]
    required: bool
    description: str


@dataclass(frozen=True)
class Entry:
    """A method or a type: its exact name, fields by name and description."""

    name: str
    fields: dict[str, Field]
    description: str


class Spec:
    """Look-ups into the spec; method names are case-insensitive as on Telegram."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data["version"]
        self.methods = {k.lower(): _entry(v) for k, v in data["methods"].items()}
        self.types = {k: _entry(v) for k, v in data["types"].items()}

    def method(self, name: str) -> Entry | None:
        return self.methods.get(name.lower())

    def field(self, owner: str, name: str) -> Field:
        entry = self.types.get(owner) or self.methods[owner.lower()]
        return entry.fields[name]

    def limit(self, owner: str, name: str) -> Limit:
        """The "A-B characters|bytes" range stated for a field of a method or type."""
        match = _RANGE.search(self.field(owner, name).description)
        if match is None:
            raise LookupError(f"spec states no size range for {owner}.{name}")
        return Limit(int(match[1]), int(match[2]), match[3])

    def at_most(self, owner: str, name: str) -> int:
        match = _AT_MOST.search(self.field(owner, name).description)
        if match is None:
            raise LookupError(f"spec states no 'At most' for {owner}.{name}")
        return int(match[1])

    @functools.cached_property
    def entity_types(self) -> frozenset[str]:
        return frozenset(_QUOTED.findall(self.field("MessageEntity", "type").description))

    @functools.cached_property
    def update_types(self) -> tuple[str, ...]:
        return tuple(f for f in self.types["Update"].fields if f != "update_id")

    @functools.cached_property
    def default_update_types(self) -> frozenset[str]:
        """Types sent when allowed_updates is empty: all but those the spec names as excluded."""
        text = self.field("getUpdates", "allowed_updates").description
        excluded = re.search(r"all update types except ([a-z_, ]+?) \(default\)", text)
        names = set(re.findall(r"[a-z_]+", excluded[1])) - {"and"} if excluded else set()
        return frozenset(self.update_types) - names

    def button_kinds(self, type_name: str) -> tuple[str, ...]:
        """Fields that choose a button's kind: all but those named "other than" in its doc."""
        entry = self.types[type_name]
        match = _OTHER_THAN.search(entry.description)
        plain = set(re.findall(r"[a-z_]+", match[1])) - {"and"} if match else {"text"}
        return tuple(f for f in entry.fields if f not in plain)


def _entry(raw: dict[str, Any]) -> Entry:
    fields = {
        f["name"]: Field(f["name"], tuple(f["types"]), bool(f["required"]), f["description"])
        for f in raw.get("fields", [])
    }
    return Entry(raw["name"], fields, " ".join(raw.get("description", [])))


@functools.cache
def load(path: Path = SPEC_PATH) -> Spec:
    with open(path, encoding="utf-8") as fh:
        return Spec(json.load(fh))
