"""Where each user is in a multi-step flow (conversation_state), and what waits for their
next text: a flow, an official's pending action, a ticket asking for more."""

from __future__ import annotations

from bot.store.sql import Row, Source, one, rows, run

ENDED = ":ended"  # suffix of a flow that is over (bot/conversations.py)


async def state(src: Source, channel: str, user_id: str) -> Row | None:
    """flow, data, updated_at of the user's flow."""
    return await one(
        src,
        "SELECT flow, data, updated_at FROM conversation_state WHERE channel = ? AND user_id = ?",
        (channel, user_id),
    )


async def put(src: Source, channel: str, user_id: str, flow: str, data: str, at: str) -> None:
    await run(
        src,
        "INSERT INTO conversation_state(channel, user_id, flow, data, updated_at)"
        " VALUES (?,?,?,?,?) ON CONFLICT(channel, user_id) DO UPDATE SET flow = excluded.flow,"
        " data = excluded.data, updated_at = excluded.updated_at",
        (channel, user_id, flow, data, at),
    )


async def clear(src: Source, channel: str, user_id: str) -> None:
    await run(
        src, "DELETE FROM conversation_state WHERE channel = ? AND user_id = ?", (channel, user_id)
    )


async def waiting(src: Source, channel: str, user_id: str) -> set[str]:
    """In one query, the kinds of thing waiting for the user's next text."""
    found = await rows(
        src,
        "SELECT 'flow' AS kind FROM conversation_state WHERE channel = ? AND user_id = ?"
        f" AND flow NOT LIKE '%{ENDED}'"
        " UNION ALL SELECT 'pending' FROM feedback_pending WHERE channel = ? AND user_id = ?"
        " UNION ALL SELECT 'need_info' FROM feedback"
        " WHERE channel = ? AND user_id = ? AND status = 'need_info'",
        (channel, user_id) * 3,
    )
    return {r["kind"] for r in found}
