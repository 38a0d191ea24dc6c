"""Reading and changing dossiers in the store; every change yields its events.

Writers run inside the caller's transaction (`async with db.transaction() as
conn`) and, after writing, call `on_events(conn, events)` in that same
transaction, so an outbox message built from an event commits with the change
or not at all. Rules when a record arrives (import, sync):

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

import json
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, time, timedelta, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

import aiosqlite

from bot.clock import stamp, unstamp, utcnow
from bot.dossiers.codes import normalize_dossier_code
from bot.dossiers.model import (
    FINISHED,
    Apology,
    Dossier,
    DossierEvent,
)
from bot.dossiers.phones import normalize_phone
from bot.dossiers.records import FIELDS, Row, dossier_to_row
from bot.store import Database
from bot.workdays.calendar import WorkCalendar, default_calendar

Outcome = Literal["added", "updated", "unchanged"]
OnEvents = Callable[[aiosqlite.Connection, list[DossierEvent]], Awaitable[None]]

COLUMNS = (*FIELDS, "apologized_due_at", "updated_at")
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM dossiers"
_INSERT = f"INSERT INTO dossiers({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
_UPDATE = f"UPDATE dossiers SET {', '.join(f'{c} = ?' for c in COLUMNS[1:])} WHERE code = ?"
EVENT_COLUMNS = (
    "id",
    "dossier_code",
    "kind",
    "from_status",
    "to_status",
    "old_due_at",
    "new_due_at",
    "at",
    "source",
    "actor",
    "note",
    "reason",
    "recorded_at",
)
_INSERT_EVENT = (
    f"INSERT INTO dossier_events({', '.join(EVENT_COLUMNS)})"
    f" VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
)
RUNNING = tuple(sorted(set(range(1, 11)) - FINISHED))
_RUNNING_SQL = ", ".join(map(str, RUNNING))
_LOOKUP_CHUNK = 10_000

# Row positions (COLUMNS order).
CODE, PROC, AGENCY, NAME, PHONE, CHANNEL, RECEIVED, DUE, STATUS, STATUS_AT = range(10)
RESULT_PLACE, NOTE, APOLOGIZED, UPDATED = range(10, 14)


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


def to_event(row: Sequence, dossier: Dossier | None = None) -> DossierEvent:
    return DossierEvent(
        id=row[0],
        dossier_code=row[1],
        kind=row[2],
        from_status=row[3],
        to_status=row[4],
        old_due_at=unstamp(row[5]),
        new_due_at=unstamp(row[6]),
        at=unstamp(row[7]),
        source=row[8],
        actor=row[9],
        note=row[10],
        reason=row[11],
        recorded_at=unstamp(row[12]),
        dossier=dossier,
    )


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


async def _fetch_rows(conn: aiosqlite.Connection, codes: list[str]) -> dict[str, Row]:
    found: dict[str, Row] = {}
    for i in range(0, len(codes), _LOOKUP_CHUNK):
        chunk = json.dumps(codes[i : i + _LOOKUP_CHUNK])
        async with conn.execute(
            f"{_SELECT} WHERE code IN (SELECT value FROM json_each(?))", (chunk,)
        ) as cur:
            for r in await cur.fetchall():
                found[r[0]] = tuple(r)
    return found


async def _next_event_id(conn: aiosqlite.Connection) -> int:
    async with conn.execute("SELECT COALESCE(MAX(id), 0) FROM dossier_events") as cur:
        row = await cur.fetchone()
    return int(row[0]) + 1


async def apply_rows(
    conn: aiosqlite.Connection,
    incoming: Sequence[Row],
    source: str,
    actor: str | None = None,
    note: str | None = None,
    on_events: OnEvents | None = None,
    now: datetime | None = None,
    collect: bool = True,
) -> tuple[list[Outcome], list[DossierEvent]]:
    """Upsert validated records (`records.parse_row`) by code in the caller's transaction.

    Returns one outcome per record, in order (a code repeated in `incoming` is
    applied in order: "added" then "updated"/"unchanged"), and the events
    written, each with the dossier as it was right after that event. With
    collect=False and no on_events the events are written but not built
    (a million of them is a good part of a fresh import's time).
    """
    now_s = _s(now or utcnow())
    existing = await _fetch_rows(conn, list(dict.fromkeys(r[CODE] for r in incoming)))
    state = dict(existing)
    changed: dict[str, None] = {}
    outcomes: list[Outcome] = []
    pending: list[tuple[tuple, Row]] = []
    for inc in incoming:
        code = inc[CODE]
        old = state.get(code)
        row, events = _merge(old, inc, now_s)
        if row is old:
            outcomes.append("unchanged")
            continue
        outcomes.append("added" if old is None else "updated")
        state[code] = row
        changed[code] = None
        pending.extend((e, row) for e in events)
    if not changed:
        return outcomes, []
    # Sorted by code: neighbouring keys share index pages, a third faster on big batches.
    ordered = sorted(changed)
    inserts = [state[c] for c in ordered if c not in existing]
    updates = [(*state[c][1:], c) for c in ordered if c in existing]
    if inserts:
        await conn.executemany(_INSERT, inserts)
    if updates:
        await conn.executemany(_UPDATE, updates)
    if not pending:
        return outcomes, []
    pending.sort(key=lambda item: item[0][0])  # stable: a dossier's events keep their order
    first = await _next_event_id(conn)
    rows = [
        (first + i, *e, source, actor, note, None, now_s) for i, (e, _row) in enumerate(pending)
    ]
    await conn.executemany(_INSERT_EVENT, rows)
    if on_events is None and not collect:
        return outcomes, []
    snapshots: dict[int, Dossier] = {}
    written: list[DossierEvent] = []
    for r, (_e, row) in zip(rows, pending, strict=True):
        dossier = snapshots.get(id(row))
        if dossier is None:
            dossier = snapshots[id(row)] = to_dossier(row)
        written.append(to_event(r, dossier))
    if on_events is not None:
        await on_events(conn, written)
    return outcomes, written


async def apply_many(
    conn: aiosqlite.Connection,
    incoming: Sequence[Dossier],
    source: str,
    actor: str | None = None,
    note: str | None = None,
    on_events: OnEvents | None = None,
    now: datetime | None = None,
) -> tuple[list[Outcome], list[DossierEvent]]:
    """apply() for many dossiers in one go; RecordError if one is malformed (nothing written)."""
    rows = [dossier_to_row(d) for d in incoming]
    return await apply_rows(conn, rows, source, actor, note, on_events, now)


async def apply(
    conn: aiosqlite.Connection,
    incoming: Dossier,
    source: str,
    actor: str | None = None,
    note: str | None = None,
    on_events: OnEvents | None = None,
    now: datetime | None = None,
) -> tuple[Outcome, list[DossierEvent]]:
    """Upsert one dossier by code in the caller's transaction: ("added"|..., events).

    Its fields are checked like an imported record's (RecordError); unchanged
    rows write nothing and call no on_events.
    """
    outcomes, events = await apply_many(conn, [incoming], source, actor, note, on_events, now)
    return outcomes[0], events


async def _load(conn: aiosqlite.Connection, code: str) -> Row:
    canonical = normalize_dossier_code(code)
    async with conn.execute(f"{_SELECT} WHERE code = ?", (canonical or code,)) as cur:
        row = await cur.fetchone()
    if row is None:
        raise DossierNotFound(code)
    return tuple(row)


async def _insert_event(conn: aiosqlite.Connection, values: tuple) -> int:
    cur = await conn.execute(_INSERT_EVENT, (None, *values))
    return int(cur.lastrowid)


async def set_status(
    conn: aiosqlite.Connection,
    code: str,
    status: int,
    actor: str,
    note: str | None = None,
    on_events: OnEvents | None = None,
    now: datetime | None = None,
) -> DossierEvent | None:
    """An official changes the status (source 'official:<actor>'); None if it already was.

    The note (e.g. which papers to add) becomes the dossier's note and the event's.
    """
    if isinstance(status, bool) or not isinstance(status, int) or not 1 <= status <= 10:
        raise ValueError(f"status must be 1-10, not {status!r}")
    old = await _load(conn, code)
    if old[STATUS] == status:
        return None
    now_s = _s(now or utcnow())
    new_note = note if note else old[NOTE]
    row = (*old[:STATUS], status, now_s, old[RESULT_PLACE], new_note, old[APOLOGIZED], now_s)
    await conn.execute(_UPDATE, (*row[1:], row[CODE]))
    values = (
        row[CODE], "status", old[STATUS], status, None, None, now_s,
        f"official:{actor}", str(actor), note, None, now_s,
    )  # fmt: skip
    event_id = await _insert_event(conn, values)
    event = to_event((event_id, *values), to_dossier(row))
    if on_events is not None:
        await on_events(conn, [event])
    return event


async def set_note(conn: aiosqlite.Connection, code: str, note: str) -> Dossier | None:
    """The official corrects the note (which papers to add) without a status change;
    None when it already says that. No event: the status did not change."""
    old = await _load(conn, code)
    if (old[NOTE] or "") == note:
        return None
    now_s = _s(utcnow())
    row = (*old[:NOTE], note, old[APOLOGIZED], now_s)
    await conn.execute(_UPDATE, (*row[1:], row[CODE]))
    return to_dossier(row)


async def record_apology(
    conn: aiosqlite.Connection,
    code: str,
    reason: str,
    new_due_at: datetime,
    actor: str,
    on_events: OnEvents | None = None,
    now: datetime | None = None,
) -> Apology:
    """Phiếu xin lỗi: move the appointment, write 'due_changed' + 'apology' events and the row.

    The new date must be later than the current one and the dossier still running.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("an apology needs a reason")
    if new_due_at.tzinfo is None:
        raise ValueError("new_due_at must carry its time zone")
    old = await _load(conn, code)
    if old[STATUS] in FINISHED:
        raise ValueError(f"dossier {old[CODE]} is finished (status {old[STATUS]})")
    new_due = _s(new_due_at.replace(microsecond=0))
    if old[DUE] is not None and new_due <= old[DUE]:
        raise ValueError("the new appointment must be later than the current one")
    now_s = _s(now or utcnow())
    row = (*old[:DUE], new_due, *old[STATUS:APOLOGIZED], new_due, now_s)
    await conn.execute(_UPDATE, (*row[1:], row[CODE]))
    source = f"official:{actor}"
    common = (None, None, old[DUE], new_due, now_s, source, str(actor), None, reason, now_s)
    due_values = (row[CODE], "due_changed", *common)
    apology_values = (row[CODE], "apology", *common)
    dossier = to_dossier(row)
    events = []
    for values in (due_values, apology_values):
        event_id = await _insert_event(conn, values)
        events.append(to_event((event_id, *values), dossier))
    cur = await conn.execute(
        "INSERT INTO apologies(dossier_code, reason, old_due_at, new_due_at, recorded_at,"
        " recorded_by, event_id) VALUES (?,?,?,?,?,?,?)",
        (row[CODE], reason, old[DUE], new_due, now_s, str(actor), events[1].id),
    )
    apology = Apology(
        id=int(cur.lastrowid),
        dossier_code=row[CODE],
        reason=reason,
        new_due_at=unstamp(new_due),
        recorded_at=unstamp(now_s),
        recorded_by=str(actor),
        event_id=events[1].id,
        old_due_at=unstamp(old[DUE]),
    )
    if on_events is not None:
        await on_events(conn, events)
    return apology


class DossierRepository:
    """Lookups for the dialog and the daily lists; the writers above, as methods too."""

    def __init__(self, db: Database, tz: tzinfo | None = None):
        self.db = db
        self.tz = tz or ZoneInfo("Asia/Ho_Chi_Minh")

    apply = staticmethod(apply)
    apply_many = staticmethod(apply_many)
    set_status = staticmethod(set_status)
    record_apology = staticmethod(record_apology)

    async def change_status(
        self,
        code: str,
        status: int,
        actor: str,
        note: str | None = None,
        on_events: OnEvents | None = None,
    ) -> DossierEvent | None:
        """An official's status change in its own transaction (followers told in it)."""
        async with self.db.transaction() as conn:
            return await set_status(conn, code, status, actor, note, on_events=on_events)

    async def change_note(self, code: str, note: str, on_note=None) -> Dossier | None:
        """set_note in its own transaction; `on_note(conn, dossier)` tells the owner in it."""
        async with self.db.transaction() as conn:
            dossier = await set_note(conn, code, note)
            if dossier is not None and on_note is not None:
                await on_note(conn, dossier)
            return dossier

    async def apologise(
        self,
        code: str,
        reason: str,
        new_due_at: datetime,
        actor: str,
        on_events: OnEvents | None = None,
    ) -> Apology:
        """An official's apology with the new date, in its own transaction (ValueError: refused)."""
        async with self.db.transaction() as conn:
            return await record_apology(conn, code, reason, new_due_at, actor, on_events=on_events)

    async def get(self, code: str) -> Dossier | None:
        """By code, in any form a citizen types it."""
        canonical = normalize_dossier_code(code)
        if canonical is None:
            return None
        row = await self.db.fetchone(f"{_SELECT} WHERE code = ?", (canonical,))
        return to_dossier(row) if row else None

    async def by_phone(self, phone: str, limit: int = 20) -> list[Dossier]:
        """The applicant's dossiers, newest first."""
        normalized = normalize_phone(phone)
        if normalized is None:
            return []
        rows = await self.db.fetchall(
            f"{_SELECT} WHERE applicant_phone = ? ORDER BY received_at DESC LIMIT ?",
            (normalized, limit),
        )
        return [to_dossier(r) for r in rows]

    async def counts_by_procedure(self) -> dict[str, int]:
        """Dossiers per national procedure code (its first 8 characters): what is filed here."""
        rows = await self.db.fetchall(
            "SELECT substr(procedure_code, 1, 8), COUNT(*) FROM dossiers GROUP BY 1"
        )
        return {code: int(n) for code, n in rows}

    async def count(self) -> int:
        row = await self.db.fetchone("SELECT COUNT(*) FROM dossiers")
        return int(row[0])

    async def _running(
        self, agency_codes: list[str] | None, low: str | None, high: str, limit: int | None
    ) -> list[Dossier]:
        where = [f"status IN ({_RUNNING_SQL})", "due_at < ?"]
        params: list = [high]
        if low is not None:
            where.append("due_at >= ?")
            params.append(low)
        if agency_codes is not None:
            if not agency_codes:
                return []
            where.insert(0, f"agency_code IN ({', '.join('?' * len(agency_codes))})")
            params[:0] = list(agency_codes)
        sql = f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY due_at, code"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [to_dossier(r) for r in await self.db.fetchall(sql, tuple(params))]

    async def overdue(
        self,
        agency_codes: list[str] | None = None,
        now: datetime | None = None,
        calendar: WorkCalendar | None = None,
        limit: int | None = None,
    ) -> list[Dossier]:
        """Still running and past the appointment, most overdue first.

        `calendar` is unused (overdue needs no working days); it keeps the
        signature the same as due_soon's. None means every agency.
        """
        return await self._running(agency_codes, None, _s(now or utcnow()), limit)

    async def late_candidates(
        self, agency_codes: list[str] | None, now: datetime, limit: int = 500
    ) -> list[Dossier]:
        """Still running and past the appointment, or moved on by an apology (it was late
        then); bot/dossiers/lateness.py judges each from its history."""
        where = f"status IN ({_RUNNING_SQL}) AND (due_at < ? OR apologized_due_at IS NOT NULL)"
        params: list = [_s(now)]
        if agency_codes is not None:
            if not agency_codes:
                return []
            where += f" AND agency_code IN ({', '.join('?' * len(agency_codes))})"
            params += list(agency_codes)
        sql = f"{_SELECT} WHERE {where} ORDER BY due_at, code LIMIT ?"
        rows = await self.db.fetchall(sql, (*params, limit))
        return [to_dossier(r) for r in rows]

    async def due_soon(
        self,
        agency_codes: list[str] | None = None,
        now: datetime | None = None,
        calendar: WorkCalendar | None = None,
        limit: int | None = None,
    ) -> list[Dossier]:
        """Still running, not yet late, due before the end of the next working day (local)."""
        now = now or utcnow()
        calendar = calendar or default_calendar()
        local_today = now.astimezone(self.tz).date()
        next_day = calendar.add_working_days(local_today, 1)
        end = datetime.combine(next_day + timedelta(days=1), time(), self.tz)
        return await self._running(agency_codes, _s(now), _s(end), limit)

    async def history(self, code: str) -> list[DossierEvent]:
        """The dossier's events, oldest first."""
        canonical = normalize_dossier_code(code) or code
        rows = await self.db.fetchall(
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM dossier_events"
            " WHERE dossier_code = ? ORDER BY id",
            (canonical,),
        )
        return [to_event(r) for r in rows]

    async def apologies(self, code: str) -> list[Apology]:
        canonical = normalize_dossier_code(code) or code
        rows = await self.db.fetchall(
            "SELECT id, dossier_code, reason, new_due_at, recorded_at, recorded_by, event_id,"
            " old_due_at FROM apologies WHERE dossier_code = ? ORDER BY id",
            (canonical,),
        )
        return [
            Apology(r[0], r[1], r[2], unstamp(r[3]), unstamp(r[4]), r[5], r[6], unstamp(r[7]))
            for r in rows
        ]
