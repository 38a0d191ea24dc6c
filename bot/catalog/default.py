"""The bundled default catalog, so the bot answers on a fresh machine before any import.

The data is `bot/data/default_catalog.json`, written by the project (not copied from a
crawl). It is loaded strictly: a mistake in the file is a bug, so every problem raises
ValueError naming the entry, and the tests run the loader on every change.
"""

from __future__ import annotations

import json
from dataclasses import fields
from importlib import resources

from bot.catalog.model import (
    CHANNELS,
    LEVELS,
    ONLINE_FULL,
    ONLINE_PARTIAL,
    Document,
    Filing,
    LegalDoc,
    Procedure,
    is_valid_code,
)

PACKAGE = "bot"
RESOURCE = "data/default_catalog.json"

TIME_UNITS = ("ngay_lam_viec", "ngay", "gio", "thang", "nam")
ONLINE_LEVELS = (None, ONLINE_FULL, ONLINE_PARTIAL)

_FIELDS = {f.name for f in fields(Procedure)}
_NESTED = {
    "filings": {f.name for f in fields(Filing)},
    "documents": {f.name for f in fields(Document)},
    "legal_basis": {f.name for f in fields(LegalDoc)},
}


def load_default_catalog() -> list[Procedure]:
    """The bundled procedures, validated; ValueError naming the entry on any problem."""
    text = resources.files(PACKAGE).joinpath(RESOURCE).read_text(encoding="utf-8")
    return parse_default_catalog(text, origin=f"{PACKAGE}/{RESOURCE}")


def parse_default_catalog(text: str, origin: str = "default catalog") -> list[Procedure]:
    """Parse and validate the catalog JSON (`{"_about": ..., "procedures": [...]}`)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{origin}: not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("procedures"), list):
        raise ValueError(f'{origin}: expected an object with a "procedures" list')
    procedures: list[Procedure] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(data["procedures"]):
        label = _label(index, entry)
        try:
            proc = _parse_entry(entry)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{origin}: {label}: {exc}") from exc
        if proc.code8 in seen:
            raise ValueError(
                f"{origin}: {label}: code {proc.code} repeats {seen[proc.code8]} "
                "(codes must be unique on their first 8 characters)"
            )
        seen[proc.code8] = proc.code
        procedures.append(proc)
    return procedures


def _label(index: int, entry: object) -> str:
    code = entry.get("code") if isinstance(entry, dict) else None
    return f"entry #{index} ({code})" if code else f"entry #{index}"


def _parse_entry(entry: object) -> Procedure:
    if not isinstance(entry, dict):
        raise ValueError("not a JSON object")
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)}")
    for key, allowed in _NESTED.items():
        items = entry.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ValueError(f"{key} must be a list of objects")
        for item in items:
            extra = sorted(set(item) - allowed)
            if extra:
                raise ValueError(f"{key}: unknown field(s) {', '.join(extra)}")
    proc = Procedure.from_dict(entry)
    if not isinstance(proc.code, str) or not is_valid_code(proc.code):
        raise ValueError(f"invalid procedure code {proc.code!r}")
    if not isinstance(proc.name, str) or not proc.name.strip():
        raise ValueError("no name")
    if not proc.levels or any(level not in LEVELS for level in proc.levels):
        raise ValueError(f"levels must be a non-empty subset of {LEVELS}, got {proc.levels!r}")
    if proc.online_level not in ONLINE_LEVELS:
        raise ValueError(f"online_level must be one of {ONLINE_LEVELS}, got {proc.online_level!r}")
    for filing in proc.filings:
        _check_filing(filing)
    for doc in proc.documents:
        if not isinstance(doc.name, str) or not doc.name.strip():
            raise ValueError("a document has no name")
    if not all(isinstance(step, str) and step.strip() for step in proc.steps):
        raise ValueError("steps must be non-empty strings")
    if not all(isinstance(word, str) and word.strip() for word in proc.keywords):
        raise ValueError("keywords must be non-empty strings")
    return proc


def _check_filing(filing: Filing) -> None:
    if filing.channel not in (*CHANNELS, ""):
        raise ValueError(f"filing channel must be one of {CHANNELS}, got {filing.channel!r}")
    if filing.time_unit is not None and filing.time_unit not in TIME_UNITS:
        raise ValueError(f"filing time_unit must be one of {TIME_UNITS}, got {filing.time_unit!r}")
    value = filing.time_value
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ValueError(f"filing time_value must be a number, got {value!r}")
    if (value is None) != (filing.time_unit is None):
        raise ValueError("filing time_value and time_unit go together")
    fee = filing.fee_amount
    if fee is not None and (isinstance(fee, bool) or not isinstance(fee, int) or fee < 0):
        raise ValueError(f"filing fee_amount must be a whole number of đồng >= 0, got {fee!r}")
