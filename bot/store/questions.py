"""Questions passed to officials, and the wordings learned when an official links one.

A linked question's wording is kept (learned_phrasings) in the same transaction
as the link, so both live here. Ids come from the database (RETURNING id); a
change that may happen once returns whether it did (it is guarded in its WHERE).
"""

from __future__ import annotations

from bot.store.sql import Conn, Row, Source, new_id, one, rows, run

_QUESTION = (
    "SELECT id, channel, user_id, chat_id, text, sent_at, locale, answered_at, procedure_code"
    " FROM questions"
)


async def add_question(
    conn: Conn, channel: str, user_id: str, chat_id: str, text: str, locale: str
) -> int:
    return await new_id(
        conn,
        "INSERT INTO questions(channel, user_id, chat_id, text, locale) VALUES (?,?,?,?,?)"
        " RETURNING id",
        (channel, user_id, chat_id, text, locale),
    )


async def question(src: Source, question_id: int) -> Row | None:
    """id, channel, user_id, chat_id, text, sent_at, locale, answered_at, procedure_code."""
    return await one(src, _QUESTION + " WHERE id = ?", (question_id,))


async def mark_sent(conn: Conn, question_id: int, at: str) -> bool:
    """False when it was sent before."""
    changed = await run(
        conn,
        "UPDATE questions SET sent_at = ? WHERE id = ? AND sent_at IS NULL",
        (at, question_id),
    )
    return changed == 1


async def set_answer(conn: Conn, question_id: int, at: str, text: str, handled_by: str) -> bool:
    """False when it was answered before."""
    changed = await run(
        conn,
        "UPDATE questions SET answered_at = ?, answer = ?, handled_by = ?"
        " WHERE id = ? AND answered_at IS NULL",
        (at, text, handled_by, question_id),
    )
    return changed == 1


async def set_procedure(conn: Conn, question_id: int, code: str, handled_by: str) -> bool:
    """False when it was linked before."""
    changed = await run(
        conn,
        "UPDATE questions SET procedure_code = ?, handled_by = COALESCE(handled_by, ?)"
        " WHERE id = ? AND procedure_code IS NULL",
        (code, handled_by, question_id),
    )
    return changed == 1


# ---- learned wordings ---------------------------------------------------------------------


async def learned(src: Source) -> list[Row]:
    """id, text, procedure_code, question_id, linked_by (channel:user), created_at."""
    return await rows(
        src,
        "SELECT id, text, procedure_code, question_id, channel || ':' || user_id AS linked_by,"
        " created_at FROM learned_phrasings ORDER BY id",
    )


async def add_learned(
    conn: Conn,
    text: str,
    code: str,
    question_id: int | None,
    channel: str,
    user_id: str,
    at: str,
) -> int:
    return await new_id(
        conn,
        "INSERT INTO learned_phrasings(text, procedure_code, question_id, channel, user_id,"
        " created_at) VALUES (?,?,?,?,?,?) RETURNING id",
        (text, code, question_id, channel, user_id, at),
    )


async def remove_learned(src: Source, learned_id: int) -> bool:
    return await run(src, "DELETE FROM learned_phrasings WHERE id = ?", (learned_id,)) == 1


async def learned_codes(src: Source) -> list[str]:
    found = await rows(src, "SELECT procedure_code FROM learned_phrasings")
    return [r["procedure_code"] for r in found]


async def learned_version(src: Source) -> tuple[int, int]:
    """(count, highest id): changes whenever a wording is added or removed."""
    row = await one(src, "SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS top FROM learned_phrasings")
    return (int(row["n"]), int(row["top"]))
