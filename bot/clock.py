"""Times as the store keeps them: aware UTC, whole seconds, "YYYY-MM-DDTHH:MM:SSZ".

One definition for every table, so text order is time order everywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime


def stamp(moment: datetime) -> str:
    """The store's form of a time (a naive time is refused: its zone would be a guess)."""
    if moment.tzinfo is None:
        raise ValueError("times must carry their time zone")
    if moment.utcoffset() or moment.microsecond:
        moment = moment.astimezone(UTC).replace(microsecond=0)
    return moment.isoformat()[:19] + "Z"  # several times faster than strftime


def unstamp(text: str | None) -> datetime | None:
    """Back from the store's form (None stays None)."""
    return datetime.fromisoformat(text) if text else None


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
