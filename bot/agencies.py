"""Agencies of a deployment (communes, provincial centre), configured as data.

Districts were abolished in 2025, so nothing here assumes one: a deployment
lists the agencies it serves, where each one's desk is (address, phone,
opening hours), the chat where its officials work, and the other ids the
tracking systems use for it (aliases such as `000.11.32.H23`, or the codes of
the old communes merged into it). Contact fields stay empty until a public
source gives them: a card then names the desk without inventing a number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LEVELS = ("xa", "tinh")
CONTACT_FIELDS = ("address", "phone", "hours")


class AgencyConfigError(ValueError):
    """The agencies file is missing or malformed."""


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    level: str  # "xa" (commune/ward) or "tinh" (province)
    officials_chat_id: int | None = None
    address: str = ""
    phone: str = ""
    hours: str = ""  # opening hours as the desk publishes them
    aliases: tuple[str, ...] = ()  # other ids of this agency in tracking systems

    def missing(self) -> list[str]:
        """What the file does not say about this agency yet (for `motcua agencies check`)."""
        gaps = [name for name in CONTACT_FIELDS if not getattr(self, name)]
        if self.officials_chat_id is None:
            gaps.append("officials_chat_id")
        if not self.aliases:
            gaps.append("aliases")
        return gaps


def alias_key(code: str) -> str:
    """Ids compare without case or spaces: `000.11.32.h23 ` is `000.11.32.H23`."""
    return "".join(str(code).split()).upper()


def agency_index(agencies: Iterable[Agency]) -> dict[str, Agency]:
    """Every code and alias (as alias_key) → its agency."""
    index: dict[str, Agency] = {}
    for agency in agencies:
        for key in (agency.code, *agency.aliases):
            index[alias_key(key)] = agency
    return index


def load_agencies(path: Path) -> list[Agency]:
    """Read and validate the agencies JSON file: {"agencies": [{...}, ...]}."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AgencyConfigError(f"file not found: {path}") from None
    except (OSError, ValueError) as exc:
        raise AgencyConfigError(f"cannot read {path}: {exc}") from None
    rows = data.get("agencies") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise AgencyConfigError(f"{path}: expected a non-empty 'agencies' list")
    agencies: list[Agency] = []
    seen: dict[str, str] = {}  # alias_key → the agency code that claimed it
    for i, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise AgencyConfigError(f"{path}: agency #{i} is not an object")
        code = str(row.get("code", "")).strip()
        name = str(row.get("name", "")).strip()
        level = str(row.get("level", "")).strip()
        chat = row.get("officials_chat_id")
        if not code or not name:
            raise AgencyConfigError(f"{path}: agency #{i} needs a code and a name")
        if level not in LEVELS:
            raise AgencyConfigError(f"{path}: agency {code}: level must be one of {LEVELS}")
        if chat is not None and not isinstance(chat, int):
            raise AgencyConfigError(f"{path}: agency {code}: officials_chat_id must be an integer")
        aliases = row.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise AgencyConfigError(f"{path}: agency {code}: aliases must be a list of strings")
        aliases = tuple(a.strip() for a in aliases if a.strip())
        for key in (code, *aliases):
            other = seen.get(alias_key(key))
            if other is not None:
                what = "code" if key == code and other == code else "id"
                raise AgencyConfigError(
                    f"{path}: agency {what} {key!r} is listed twice ({other} and {code})"
                )
            seen[alias_key(key)] = code
        contact = {}
        for name_ in CONTACT_FIELDS:
            value = row.get(name_, "")
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise AgencyConfigError(f"{path}: agency {code}: {name_} must be text")
            contact[name_] = " ".join(value.split())
        agencies.append(Agency(code, name, level, chat, aliases=aliases, **contact))
    return agencies
