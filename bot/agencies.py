"""Agencies of a deployment (communes, provincial centre), configured as data.

Districts were abolished in 2025, so nothing here assumes one: a deployment
lists the agencies it serves and the chat where each one's officials work.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

LEVELS = ("xa", "tinh")


class AgencyConfigError(ValueError):
    """The agencies file is missing or malformed."""


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    level: str  # "xa" (commune/ward) or "tinh" (province)
    officials_chat_id: int | None = None
    address: str = ""


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
    seen: set[str] = set()
    for i, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise AgencyConfigError(f"{path}: agency #{i} is not an object")
        code = str(row.get("code", "")).strip()
        name = str(row.get("name", "")).strip()
        level = str(row.get("level", "")).strip()
        chat = row.get("officials_chat_id")
        if not code or not name:
            raise AgencyConfigError(f"{path}: agency #{i} needs a code and a name")
        if code in seen:
            raise AgencyConfigError(f"{path}: agency code {code!r} is listed twice")
        if level not in LEVELS:
            raise AgencyConfigError(f"{path}: agency {code}: level must be one of {LEVELS}")
        if chat is not None and not isinstance(chat, int):
            raise AgencyConfigError(f"{path}: agency {code}: officials_chat_id must be an integer")
        seen.add(code)
        agencies.append(Agency(code, name, level, chat, str(row.get("address", "")).strip()))
    return agencies
