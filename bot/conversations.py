"""Multi-step flows remember where each user is, in the store (a restart loses nothing)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import stamp, utcnow
from bot.store import Database
from bot.store import conversations as store
from bot.store.conversations import ENDED


@dataclass
class State:
    flow: str
    data: dict
    updated_at: datetime


class Conversations:
    IDLE_CACHE = 200_000

    def __init__(self, db: Database):
        self.db = db
        # Users known to have nothing waiting for their text: most messages skip the store.
        self._idle: set[tuple[str, str]] = set()

    def forget_idle(self, channel: str, user_id: str) -> None:
        """Something now waits for this user's next text (a form, an answer, more info)."""
        self._idle.discard((channel, user_id))

    async def get(
        self, channel: str, user_id: str, max_idle: timedelta | None = None
    ) -> State | None:
        """The user's flow, or None; a flow idle longer than `max_idle` counts as ended."""
        row = await store.state(self.db, channel, user_id)
        if row is None:
            return None
        updated = datetime.fromisoformat(row["updated_at"].replace("Z", "+00:00"))
        state = State(row["flow"], json.loads(row["data"]), updated)
        if max_idle is not None and utcnow() - updated > max_idle:
            return State(state.flow, state.data | {"expired": True}, updated)
        return state

    async def set(self, channel: str, user_id: str, flow: str, data: dict) -> None:
        self.forget_idle(channel, user_id)
        text = json.dumps(data, ensure_ascii=False)
        await store.put(self.db, channel, user_id, flow, text, stamp(utcnow()))

    async def end(self, channel: str, user_id: str, flow: str, how: str, **data) -> None:
        """The flow is over: remember how (sent, cancelled, idle) so a button of it pressed
        later is answered rightly. An ended flow waits for nothing."""
        await self.set(channel, user_id, flow + ENDED, {"how": how, **data})

    async def ended(self, channel: str, user_id: str, flow: str) -> dict | None:
        """How the user's last `flow` ended ({"how": ...}), if that is what is remembered."""
        state = await self.get(channel, user_id)
        return state.data if state is not None and state.flow == flow + ENDED else None

    async def clear(self, channel: str, user_id: str) -> None:
        await store.clear(self.db, channel, user_id)

    async def waiting_kinds(self, channel: str, user_id: str) -> set[str]:
        """In one query, what may be waiting for this user's next text: a flow ('flow'), an
        official's pending action ('pending'), a ticket asking for more ('need_info').

        Most messages have none: after one empty answer the user is remembered as idle
        until something sets a wait for them (`forget_idle`), so most cost no round trip.
        """
        key = (channel, user_id)
        if key in self._idle:
            return set()
        kinds = await store.waiting(self.db, channel, user_id)
        if not kinds:
            if len(self._idle) >= self.IDLE_CACHE:
                self._idle.clear()
            self._idle.add(key)
        return kinds
