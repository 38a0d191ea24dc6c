"""Multi-step flows remember where each user is, in the store (a restart loses nothing)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import stamp, utcnow
from bot.store import Database


@dataclass
class State:
    flow: str
    data: dict
    updated_at: datetime


class Conversations:
    def __init__(self, db: Database):
        self.db = db

    async def get(
        self, channel: str, user_id: str, max_idle: timedelta | None = None
    ) -> State | None:
        """The user's flow, or None; a flow idle longer than `max_idle` counts as ended."""
        row = await self.db.fetchone(
            "SELECT flow, data, updated_at FROM conversation_state"
            " WHERE channel = ? AND user_id = ?",
            (channel, user_id),
        )
        if row is None:
            return None
        updated = datetime.fromisoformat(row[2].replace("Z", "+00:00"))
        state = State(row[0], json.loads(row[1]), updated)
        if max_idle is not None and utcnow() - updated > max_idle:
            return State(state.flow, state.data | {"expired": True}, updated)
        return state

    async def set(self, channel: str, user_id: str, flow: str, data: dict) -> None:
        await self.db.execute(
            "INSERT INTO conversation_state(channel, user_id, flow, data, updated_at)"
            " VALUES (?,?,?,?,?) ON CONFLICT(channel, user_id) DO UPDATE SET flow = excluded.flow,"
            " data = excluded.data, updated_at = excluded.updated_at",
            (channel, user_id, flow, json.dumps(data, ensure_ascii=False), stamp(utcnow())),
        )

    async def clear(self, channel: str, user_id: str) -> None:
        await self.db.execute(
            "DELETE FROM conversation_state WHERE channel = ? AND user_id = ?", (channel, user_id)
        )

    async def waiting_kinds(self, channel: str, user_id: str) -> set[str]:
        """In one query, what may be waiting for this user's next text: a flow ('flow'), an
        official's pending action ('pending'), a ticket asking for more ('need_info').

        Most messages have none, so the common path costs one round trip, not three.
        """
        rows = await self.db.fetchall(
            "SELECT 'flow' FROM conversation_state WHERE channel = ?1 AND user_id = ?2"
            " UNION ALL SELECT 'pending' FROM feedback_pending WHERE channel = ?1 AND user_id = ?2"
            " UNION ALL SELECT 'need_info' FROM feedback"
            " WHERE channel = ?1 AND user_id = ?2 AND status = 'need_info'",
            (channel, user_id),
        )
        return {r[0] for r in rows}
