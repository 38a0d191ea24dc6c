"""Dossiers in the store: the rows, their events, apologies and the sync cursors.

A dossier row travels as a tuple in COLUMNS order (the validated import record,
bot/dossiers/records.py, plus two columns): the import merges a million of them
and a tuple is what it compares. Events come back by column name. Ids come
from the database (RETURNING id), never from MAX(id)+1.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.store.sql import Conn, Row, Source, dialect, new_id, one, rows, run

# The record's fields (bot/dossiers/records.FIELDS, in that order), then the store's own two.
COLUMNS = (
    "code", "procedure_code", "agency_code", "applicant_name", "applicant_phone", "channel",
    "received_at", "due_at", "status", "status_at", "result_place", "note",
    "apologized_due_at", "updated_at",
)  # fmt: skip
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM dossiers"
_INSERT = f"INSERT INTO dossiers({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
_UPDATE = f"UPDATE dossiers SET {', '.join(f'{c} = ?' for c in COLUMNS[1:])} WHERE code = ?"
EVENT_COLUMNS = (
    "id", "dossier_code", "kind", "from_status", "to_status", "old_due_at", "new_due_at", "at",
    "source", "actor", "note", "reason", "recorded_at",
)  # fmt: skip
NEW_EVENT = EVENT_COLUMNS[1:]  # what a new event is written with: the store gives the id
_EVENTS = f"SELECT {', '.join(EVENT_COLUMNS)} FROM dossier_events"
_LOOKUP_CHUNK = 10_000
# Rows per multi-row INSERT … RETURNING id: 12 values each, under SQLite's 32,766 parameters.
_EVENT_CHUNK = 2_000


def _tuples(found: list[Row]) -> list[tuple]:
    return [tuple(r) for r in found]


# ---- dossier rows ---------------------------------------------------------------------------


async def row_by_code(src: Source, code: str) -> tuple | None:
    found = await one(src, f"{_SELECT} WHERE code = ?", (code,))
    return tuple(found) if found else None


async def rows_by_code(conn: Conn, codes: list[str]) -> dict[str, tuple]:
    """The stored rows of these codes (absent ones left out), read in chunks."""
    found: dict[str, tuple] = {}
    postgres = dialect(conn) == "postgresql"  # an array parameter there; JSON on SQLite
    for i in range(0, len(codes), _LOOKUP_CHUNK):
        chunk = codes[i : i + _LOOKUP_CHUNK]
        if postgres:
            text, param = f"{_SELECT} WHERE code = ANY(?::text[])", chunk
        else:
            text, param = (
                f"{_SELECT} WHERE code IN (SELECT value FROM json_each(?))",
                json.dumps(chunk),
            )
        for r in await rows(conn, text, (param,)):
            found[r[0]] = tuple(r)
    return found


async def insert_rows(conn: Conn, new: Sequence[tuple]) -> None:
    await conn.executemany(_INSERT, new)


async def update_rows(conn: Conn, changed: Sequence[tuple]) -> None:
    """Rows in COLUMNS order; each replaces the stored row of its code."""
    await conn.executemany(_UPDATE, [(*r[1:], r[0]) for r in changed])


async def rows_by_phone(src: Source, phone: str, limit: int) -> list[tuple]:
    return _tuples(
        await rows(
            src,
            f"{_SELECT} WHERE applicant_phone = ? ORDER BY received_at DESC LIMIT ?",
            (phone, limit),
        )
    )


async def running_rows(
    src: Source,
    running: Sequence[int],
    agency_codes: list[str] | None,
    low: str | None,
    high: str,
    limit: int | None,
) -> list[tuple]:
    """Dossiers in a running status due in [low, high), soonest first."""
    where = [f"status IN ({', '.join(map(str, running))})", "due_at < ?"]
    params: list = [high]
    if low is not None:
        where.append("due_at >= ?")
        params.append(low)
    if agency_codes is not None:
        where.insert(0, f"agency_code IN ({', '.join('?' * len(agency_codes))})")
        params[:0] = list(agency_codes)
    sql = f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY due_at, code"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return _tuples(await rows(src, sql, tuple(params)))


async def late_candidate_rows(
    src: Source, running: Sequence[int], agency_codes: list[str] | None, now: str, limit: int
) -> list[tuple]:
    """Running and past the appointment, or moved on by an apology (it was late then)."""
    where = (
        f"status IN ({', '.join(map(str, running))})"
        " AND (due_at < ? OR apologized_due_at IS NOT NULL)"
    )
    params: list = [now]
    if agency_codes is not None:
        where += f" AND agency_code IN ({', '.join('?' * len(agency_codes))})"
        params += list(agency_codes)
    sql = f"{_SELECT} WHERE {where} ORDER BY due_at, code LIMIT ?"
    return _tuples(await rows(src, sql, (*params, limit)))


async def counts_by_procedure(src: Source) -> dict[str, int]:
    """Dossiers per national procedure code (its first 8 characters)."""
    found = await rows(
        src, "SELECT substr(procedure_code, 1, 8) AS code, COUNT(*) AS n FROM dossiers GROUP BY 1"
    )
    return {r["code"]: int(r["n"]) for r in found}


async def count(src: Source) -> int:
    return int((await one(src, "SELECT COUNT(*) AS n FROM dossiers"))["n"])


async def count_with_prefix(src: Source, prefix: str) -> tuple[int, int]:
    """(all dossiers, those whose code starts with `prefix`, which holds no % or _)."""
    row = await one(
        src,
        "SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE code LIKE ?) AS matching FROM dossiers",
        (prefix + "%",),
    )
    return int(row["n"]), int(row["matching"])


# ---- events and apologies ------------------------------------------------------------------


async def add_event(conn: Conn, values: Sequence) -> int:
    """One event (NEW_EVENT order); its id."""
    marks = ", ".join("?" * len(NEW_EVENT))
    return await new_id(
        conn,
        f"INSERT INTO dossier_events({', '.join(NEW_EVENT)}) VALUES ({marks}) RETURNING id",
        tuple(values),
    )


async def add_events(conn: Conn, values: Sequence[Sequence]) -> list[int]:
    """Many events (NEW_EVENT order) in a few statements; their ids, in the same order.

    The database numbers the rows of one INSERT in the order written, so the ids
    given back, sorted, pair with the rows (RETURNING's own order is not promised).
    """
    ids: list[int] = []
    one_row = f"({', '.join('?' * len(NEW_EVENT))})"
    for i in range(0, len(values), _EVENT_CHUNK):
        chunk = values[i : i + _EVENT_CHUNK]
        sql = (
            f"INSERT INTO dossier_events({', '.join(NEW_EVENT)})"
            f" VALUES {', '.join([one_row] * len(chunk))} RETURNING id"
        )
        params = tuple(v for event in chunk for v in event)
        ids += sorted(int(r[0]) for r in await rows(conn, sql, params))
    return ids


async def events_of(src: Source, code: str, kinds: Sequence[str] = ()) -> list[Row]:
    """The dossier's events (EVENT_COLUMNS), oldest first; only `kinds` when given."""
    where = " AND kind IN ({})".format(", ".join("?" * len(kinds))) if kinds else ""
    return await rows(src, f"{_EVENTS} WHERE dossier_code = ?{where} ORDER BY id", (code, *kinds))


async def add_apology(
    conn: Conn,
    code: str,
    reason: str,
    old_due_at: str | None,
    new_due_at: str,
    at: str,
    by: str,
    event_id: int,
) -> int:
    return await new_id(
        conn,
        "INSERT INTO apologies(dossier_code, reason, old_due_at, new_due_at, recorded_at,"
        " recorded_by, event_id) VALUES (?,?,?,?,?,?,?) RETURNING id",
        (code, reason, old_due_at, new_due_at, at, by, event_id),
    )


async def apologies_of(src: Source, code: str) -> list[Row]:
    """id, dossier_code, reason, new_due_at, recorded_at, recorded_by, event_id, old_due_at."""
    return await rows(
        src,
        "SELECT id, dossier_code, reason, new_due_at, recorded_at, recorded_by, event_id,"
        " old_due_at FROM apologies WHERE dossier_code = ? ORDER BY id",
        (code,),
    )


async def first_old_due(src: Source, code: str) -> list[str | None]:
    """The appointment before the first apology ([] when none was made)."""
    found = await rows(
        src,
        "SELECT old_due_at FROM apologies WHERE dossier_code = ? ORDER BY id LIMIT 1",
        (code,),
    )
    return [r["old_due_at"] for r in found]


async def latest_apology(src: Source, code: str) -> Row | None:
    """The dossier's latest apology (the columns of apologies_of), or None."""
    return await one(
        src,
        "SELECT id, dossier_code, reason, new_due_at, recorded_at, recorded_by, event_id,"
        " old_due_at FROM apologies WHERE dossier_code = ? ORDER BY id DESC LIMIT 1",
        (code,),
    )


async def last_official(src: Source, code: str, staff_channel: str) -> tuple[str, str | None]:
    """(actor, roster name or None) of the official who last changed the dossier, or
    ("", None) when none did."""
    row = await one(
        src,
        "SELECT e.actor, o.name FROM dossier_events e LEFT JOIN officials o"
        " ON o.user_id = e.actor AND o.channel = ?"
        " WHERE e.dossier_code = ? AND e.source LIKE 'official:%' ORDER BY e.id DESC LIMIT 1",
        (staff_channel, code),
    )
    return (row["actor"] or "", row["name"]) if row else ("", None)


async def claim_reminder(conn: Conn, key: str) -> bool:
    """True the first time a reminder with this key is claimed (reminders_sent)."""
    added = await run(
        conn,
        "INSERT INTO reminders_sent(reminder_key) VALUES (?) ON CONFLICT(reminder_key) DO NOTHING",
        (key,),
    )
    return added == 1


# ---- sync cursors ----------------------------------------------------------------------------


async def sync_cursor(src: Source, name: str) -> str | None:
    row = await one(src, "SELECT cursor FROM sync_state WHERE name = ?", (name,))
    return row["cursor"] if row else None


async def set_sync_cursor(conn: Conn, name: str, cursor: str, at: str) -> None:
    await run(
        conn,
        "INSERT INTO sync_state(name, cursor, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT(name) DO UPDATE SET cursor = excluded.cursor,"
        " updated_at = excluded.updated_at",
        (name, cursor, at),
    )


async def sync_times(src: Source) -> dict[str, str]:
    """When each sync's cursor last moved: name -> store time."""
    found = await rows(src, "SELECT name, updated_at FROM sync_state ORDER BY name")
    return {r["name"]: r["updated_at"] for r in found}
