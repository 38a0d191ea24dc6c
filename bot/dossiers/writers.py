"""Every change to a dossier, inside the caller's transaction, with its events.

Writers run inside the caller's transaction (`async with db.transaction() as
conn`) and, after writing, call `on_events(conn, events)` in that same
transaction, so an outbox message built from an event commits with the change
or not at all. The rules for a record arriving are in merge.py; the SQL in
bot/store/dossiers.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.clock import unstamp, utcnow
from bot.dossiers.codes import normalize_dossier_code
from bot.dossiers.merge import (
    APOLOGIZED,
    CODE,
    DUE,
    NOTE,
    RESULT_PLACE,
    STATUS,
    DossierNotFound,
    OnEvents,
    Outcome,
    _merge,
    _s,
    new_event,
    to_dossier,
)
from bot.dossiers.model import FINISHED, Apology, Dossier, DossierEvent
from bot.dossiers.records import Row, dossier_to_row
from bot.store import dossiers as store
from bot.store.sql import Conn


async def apply_rows(
    conn: Conn,
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
    existing = await store.rows_by_code(conn, list(dict.fromkeys(r[CODE] for r in incoming)))
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
    updates = [state[c] for c in ordered if c in existing]
    if inserts:
        await store.insert_rows(conn, inserts)
    if updates:
        await store.update_rows(conn, updates)
    if not pending:
        return outcomes, []
    pending.sort(key=lambda item: item[0][0])  # stable: a dossier's events keep their order
    values = [(*e, source, actor, note, None, now_s) for e, _row in pending]
    ids = await store.add_events(conn, values)
    if on_events is None and not collect:
        return outcomes, []
    snapshots: dict[int, Dossier] = {}
    written: list[DossierEvent] = []
    for event_id, v, (_e, row) in zip(ids, values, pending, strict=True):
        dossier = snapshots.get(id(row))
        if dossier is None:
            dossier = snapshots[id(row)] = to_dossier(row)
        written.append(new_event(event_id, v, dossier))
    if on_events is not None:
        await on_events(conn, written)
    return outcomes, written


async def apply_many(
    conn: Conn,
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
    conn: Conn,
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


async def _load(conn: Conn, code: str) -> Row:
    canonical = normalize_dossier_code(code)
    row = await store.row_by_code(conn, canonical or code)
    if row is None:
        raise DossierNotFound(code)
    return row


async def set_status(
    conn: Conn,
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
    await store.update_rows(conn, [row])
    values = (
        row[CODE], "status", old[STATUS], status, None, None, now_s,
        f"official:{actor}", str(actor), note, None, now_s,
    )  # fmt: skip
    event_id = await store.add_event(conn, values)
    event = new_event(event_id, values, to_dossier(row))
    if on_events is not None:
        await on_events(conn, [event])
    return event


async def set_note(conn: Conn, code: str, note: str) -> Dossier | None:
    """The official corrects the note (which papers to add) without a status change;
    None when it already says that. No event: the status did not change."""
    old = await _load(conn, code)
    if (old[NOTE] or "") == note:
        return None
    now_s = _s(utcnow())
    row = (*old[:NOTE], note, old[APOLOGIZED], now_s)
    await store.update_rows(conn, [row])
    return to_dossier(row)


async def record_apology(
    conn: Conn,
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
    await store.update_rows(conn, [row])
    source = f"official:{actor}"
    common = (None, None, old[DUE], new_due, now_s, source, str(actor), None, reason, now_s)
    due_values = (row[CODE], "due_changed", *common)
    apology_values = (row[CODE], "apology", *common)
    dossier = to_dossier(row)
    events = []
    for values in (due_values, apology_values):
        event_id = await store.add_event(conn, values)
        events.append(new_event(event_id, values, dossier))
    apology_id = await store.add_apology(
        conn, row[CODE], reason, old[DUE], new_due, now_s, str(actor), events[1].id
    )
    apology = Apology(
        id=apology_id,
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
