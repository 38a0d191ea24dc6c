"""Feedback tickets in the store: tickets, attachments, their events, officials' pending text.

Rows come back by column name (`row["number"]`); bot/feedback/model.py turns a
ticket row into a Ticket. New ids come from the database (RETURNING id) and
ticket numbers from a counter row (bot/store/counters.py).
"""

from __future__ import annotations

from bot.store import counters
from bot.store.sql import Conn, Row, Source, new_id, one, rows, run

TICKET_COLUMNS = (
    "id, number, channel, user_id, chat_id, category, agency_code, dossier_code, text, name,"
    " phone, anonymous, publish_consent, status, assignee, routed_chat_id, answer, answered_at,"
    " published_at, created_at, updated_at, satisfied,"
    " (SELECT COUNT(*) FROM feedback_attachments a WHERE a.feedback_id = feedback.id)"
    " AS attachments"
)
_TICKET = f"SELECT {TICKET_COLUMNS} FROM feedback"
# Everything a new ticket is stored with; status starts as 'received'.
NEW_TICKET = (
    "number", "channel", "user_id", "chat_id", "category", "agency_code", "dossier_code", "text",
    "name", "phone", "anonymous", "consent_at", "consent_wording", "publish_consent",
    "routed_chat_id", "created_at", "updated_at", "text_hash",
)  # fmt: skip
# What an official's action may change on a ticket (`update` refuses other names).
UPDATABLE = frozenset(
    {"status", "assignee", "agency_code", "routed_chat_id", "answer", "answered_at"}
    | {"published_at", "public_text"}
)


# ---- tickets ---------------------------------------------------------------------------


async def ticket(src: Source, feedback_id: int) -> Row | None:
    return await one(src, _TICKET + " WHERE id = ?", (feedback_id,))


async def ticket_by_number(src: Source, number: str) -> Row | None:
    return await one(src, _TICKET + " WHERE number = ?", (number,))


async def tickets_of(src: Source, channel: str, user_id: str, limit: int) -> list[Row]:
    """A citizen's tickets, newest first."""
    return await rows(
        src,
        _TICKET + " WHERE channel = ? AND user_id = ? ORDER BY id DESC LIMIT ?",
        (channel, user_id, limit),
    )


async def waiting_for_info(src: Source, channel: str, user_id: str) -> Row | None:
    """The citizen's ticket an official last asked about."""
    return await one(
        src,
        _TICKET + " WHERE channel = ? AND user_id = ? AND status = 'need_info'"
        " ORDER BY updated_at DESC, id DESC LIMIT 1",
        (channel, user_id),
    )


async def running(src: Source, agency: str | None) -> list[Row]:
    """Tickets with a deadline still running: open ones and answers waiting to be public."""
    where = " AND agency_code = ?" if agency else ""
    return await rows(
        src,
        _TICKET + " WHERE (status IN ('received', 'assigned', 'need_info', 'forwarded')"
        f" OR (status = 'answered' AND publish_consent = 1 AND published_at IS NULL)){where}"
        " ORDER BY id",
        (agency,) if agency else (),
    )


async def published_between(src: Source, start: str, end: str) -> list[Row]:
    """Answers made public in [start, end): number, category, agency_code, question, answer,
    created_at, answered_at, published_at."""
    return await rows(
        src,
        "SELECT number, category, agency_code, COALESCE(public_text, text) AS question,"
        " answer, created_at, answered_at, published_at FROM feedback"
        " WHERE published_at >= ? AND published_at < ? AND answer IS NOT NULL"
        " AND publish_consent = 1 ORDER BY published_at, id",
        (start, end),
    )


async def first_duplicate(
    src: Source, channel: str, user_id: str, digest: str, since: str
) -> str | None:
    """The number of the citizen's first ticket with this text since `since`."""
    row = await one(
        src,
        "SELECT number FROM feedback WHERE channel = ? AND user_id = ? AND text_hash = ?"
        " AND created_at > ? ORDER BY id LIMIT 1",
        (channel, user_id, digest, since),
    )
    return row["number"] if row else None


async def count_sent(src: Source, channel: str, user_id: str, start: str, end: str) -> int:
    row = await one(
        src,
        "SELECT COUNT(*) AS n FROM feedback WHERE channel = ? AND user_id = ?"
        " AND created_at >= ? AND created_at < ?",
        (channel, user_id, start, end),
    )
    return row["n"]


async def next_number(conn: Conn, year: int) -> int:
    """The year's next ticket serial (PAKN-YYYY-NNNNNN), taken atomically."""
    return await counters.next_value(conn, f"pakn-{year:04d}")


async def add_ticket(conn: Conn, values: dict) -> int:
    """Store a new ticket (the NEW_TICKET columns); its id."""
    cols = ", ".join(NEW_TICKET)
    marks = ", ".join("?" for _ in NEW_TICKET)
    return await new_id(
        conn,
        f"INSERT INTO feedback({cols}, status) VALUES ({marks}, 'received') RETURNING id",
        tuple(values[c] for c in NEW_TICKET),
    )


async def update(conn: Conn, feedback_id: int, updated_at: str, **values) -> None:
    unknown = set(values) - UPDATABLE
    if unknown:
        raise ValueError(f"not a ticket column an action may set: {sorted(unknown)}")
    cols = ", ".join(f"{k} = ?" for k in values)
    await run(
        conn,
        f"UPDATE feedback SET {cols}, updated_at = ? WHERE id = ?",
        (*values.values(), updated_at, feedback_id),
    )


async def rate(conn: Conn, feedback_id: int, satisfied: bool, at: str) -> None:
    await run(
        conn,
        "UPDATE feedback SET satisfied = ?, rated_at = ?, updated_at = ? WHERE id = ?",
        (int(satisfied), at, at, feedback_id),
    )


async def forget_sender(conn: Conn, channel: str, user_id: str) -> int:
    """Tickets stay for the record, without who sent them; how many were touched."""
    return await run(
        conn,
        "UPDATE feedback SET user_id = NULL, chat_id = NULL, name = NULL, phone = NULL,"
        " consent_at = NULL, consent_wording = NULL WHERE channel = ? AND user_id = ?",
        (channel, user_id),
    )


# ---- attachments -------------------------------------------------------------------------


async def add_attachment(
    conn: Conn,
    feedback_id: int,
    kind: str,
    file_id: str | None,
    lat: float | None,
    lon: float | None,
    size: int | None,
    at: str,
) -> None:
    await run(
        conn,
        "INSERT INTO feedback_attachments(feedback_id, kind, file_id, lat, lon, size, added_at)"
        " VALUES (?,?,?,?,?,?,?)",
        (feedback_id, kind, file_id, lat, lon, size, at),
    )


async def attachments(src: Source, feedback_id: int) -> list[Row]:
    """kind, file_id, lat, lon, size, in the order they came."""
    return await rows(
        src,
        "SELECT kind, file_id, lat, lon, size FROM feedback_attachments"
        " WHERE feedback_id = ? ORDER BY id",
        (feedback_id,),
    )


# ---- events ------------------------------------------------------------------------------


async def add_event(
    conn: Conn, feedback_id: int, action: str, actor: str, at: str, note: str | None
) -> int:
    return await new_id(
        conn,
        "INSERT INTO feedback_events(feedback_id, action, actor, at, note) VALUES (?,?,?,?,?)"
        " RETURNING id",
        (feedback_id, action, actor, at, note),
    )


async def events(src: Source, feedback_id: int) -> list[Row]:
    """action, actor, at, note, in order."""
    return await rows(
        src,
        "SELECT action, actor, at, note FROM feedback_events WHERE feedback_id = ? ORDER BY id",
        (feedback_id,),
    )


async def had_event(src: Source, feedback_id: int, action: str, before_event: int) -> bool:
    """Whether `action` happened to the ticket before event `before_event`."""
    row = await one(
        src,
        "SELECT 1 FROM feedback_events WHERE feedback_id = ? AND action = ? AND id < ?",
        (feedback_id, action, before_event),
    )
    return row is not None


async def escalated(src: Source, feedback_id: int, note: str) -> bool:
    """Whether this missed deadline (`note`, maybe with a suffix) already went up."""
    row = await one(
        src,
        "SELECT 1 FROM feedback_events WHERE feedback_id = ? AND action = 'escalated'"
        " AND (note = ? OR note LIKE ?)",
        (feedback_id, note, note + " %"),
    )
    return row is not None


# ---- an official's pending action -------------------------------------------------------


async def set_pending(
    conn: Conn, channel: str, user_id: str, feedback_id: int, action: str, at: str
) -> None:
    await run(
        conn,
        "INSERT INTO feedback_pending(channel, user_id, feedback_id, action, at)"
        " VALUES (?,?,?,?,?) ON CONFLICT(channel, user_id) DO UPDATE SET"
        " feedback_id = excluded.feedback_id, action = excluded.action, at = excluded.at",
        (channel, user_id, feedback_id, action, at),
    )


async def pending(src: Source, channel: str, user_id: str) -> Row | None:
    """feedback_id, action, at."""
    return await one(
        src,
        "SELECT feedback_id, action, at FROM feedback_pending WHERE channel = ? AND user_id = ?",
        (channel, user_id),
    )


async def drop_pending(conn: Conn, channel: str, user_id: str) -> None:
    await run(
        conn, "DELETE FROM feedback_pending WHERE channel = ? AND user_id = ?", (channel, user_id)
    )
