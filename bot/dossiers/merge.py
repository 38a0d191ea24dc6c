"""The rules for a dossier record arriving on top of the stored one, and rows as Dossiers.

Pure functions, no store: a record (bot/dossiers/records.py) merged into the
stored row gives the new row and its events. Rows are tuples in the store's
COLUMNS order (bot/store/dossiers.py), read through the named positions below.

- a new code: inserted, one 'created' event;
- a different status: a 'status' event (from, to, at=status_at or now) unless
  the record's status_at is older than the stored one (a stale record does not
  turn a dossier back);
- a different due date: a 'due_changed' event, except that a date earlier than
  one an official promised in an apology is ignored (the portal often still
  carries the old appointment);
- empty due_at / status_at keep what is stored; other fields are replaced;
- nothing different: nothing written ("unchanged").
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Literal

from bot.clock import stamp, unstamp
from bot.dossiers.model import FINISHED, Dossier, DossierEvent
from bot.dossiers.records import FIELDS, Row
from bot.store.dossiers import COLUMNS, EVENT_COLUMNS
from bot.store.sql import Conn

assert COLUMNS[: len(FIELDS)] == FIELDS, "the store's dossier columns start with the record's"

Outcome = Literal["added", "updated", "unchanged"]
OnEvents = Callable[[Conn, list[DossierEvent]], Awaitable[None]]
RUNNING = tuple(sorted(set(range(1, 11)) - FINISHED))

# Row positions, by column name.
CODE, PROC, AGENCY, NAME, PHONE, CHANNEL, RECEIVED, DUE, STATUS, STATUS_AT = (
    COLUMNS.index(c) for c in COLUMNS[:10]
)
RESULT_PLACE, NOTE, APOLOGIZED, UPDATED = (COLUMNS.index(c) for c in COLUMNS[10:])


class DossierNotFound(LookupError):
    """No dossier with that code in the store."""


def _s(moment: datetime | None) -> str | None:
    return stamp(moment) if moment is not None else None


def to_dossier(row: Sequence) -> Dossier:
    return Dossier(
        code=row[CODE],
        procedure_code=row[PROC],
        agency_code=row[AGENCY],
        received_at=unstamp(row[RECEIVED]),
        status=row[STATUS],
        applicant_name=row[NAME],
        applicant_phone=row[PHONE],
        channel=row[CHANNEL],
        due_at=unstamp(row[DUE]),
        status_at=unstamp(row[STATUS_AT]),
        result_place=row[RESULT_PLACE],
        note=row[NOTE],
        apologized_due_at=unstamp(row[APOLOGIZED]),
        updated_at=unstamp(row[UPDATED]),
    )


def to_event(row: Mapping, dossier: Dossier | None = None) -> DossierEvent:
    """An event row (EVENT_COLUMNS, by name) as a DossierEvent."""
    return DossierEvent(
        id=row["id"],
        dossier_code=row["dossier_code"],
        kind=row["kind"],
        from_status=row["from_status"],
        to_status=row["to_status"],
        old_due_at=unstamp(row["old_due_at"]),
        new_due_at=unstamp(row["new_due_at"]),
        at=unstamp(row["at"]),
        source=row["source"],
        actor=row["actor"],
        note=row["note"],
        reason=row["reason"],
        recorded_at=unstamp(row["recorded_at"]),
        dossier=dossier,
    )


def new_event(event_id: int, values: Sequence, dossier: Dossier | None = None) -> DossierEvent:
    """The event just written with `values` (the columns after id) and given `event_id`."""
    return to_event(dict(zip(EVENT_COLUMNS, (event_id, *values), strict=True)), dossier)


def _merge(old: Row | None, inc: Row, now: str) -> tuple[Row, list[tuple]]:
    """The stored row after record `inc` arrives on top of `old`, and its events (no ids yet)."""
    code, received, due, status, status_at = (
        inc[CODE], inc[RECEIVED], inc[DUE], inc[STATUS], inc[STATUS_AT]
    )  # fmt: skip
    if old is None:
        row = (*inc[:STATUS_AT], status_at or received, inc[RESULT_PLACE], inc[NOTE], None, now)
        return row, [(code, "created", None, status, None, due, received)]
    events: list[tuple] = []
    old_status = old[STATUS]
    new_status, new_status_at = old_status, old[STATUS_AT]
    if status != old_status:
        if status_at is None or status_at >= new_status_at:
            new_status, new_status_at = status, status_at or now
            events.append((code, "status", old_status, status, None, None, new_status_at))
    elif status_at is not None:
        new_status_at = status_at
    new_due = old[DUE]
    if due is not None and due != new_due:
        apologized = old[APOLOGIZED]
        if apologized is None or due >= apologized:
            events.append((code, "due_changed", None, None, new_due, due, now))
            new_due = due
    row = (
        *inc[:DUE], new_due, new_status, new_status_at, inc[RESULT_PLACE], inc[NOTE],
        old[APOLOGIZED], old[UPDATED],
    )  # fmt: skip
    if row == old:
        return old, []
    return (*row[:UPDATED], now), events
