"""Which chats hear about which dossier."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store import Database, people
from bot.store.sql import Conn


@dataclass(frozen=True)
class Subscriber:
    channel: str
    chat_id: str
    user_id: str


class Subscriptions:
    def __init__(self, db: Database):
        self.db = db

    async def add(self, channel: str, chat_id: str, user_id: str, code: str, reason: str) -> bool:
        async with self.db.transaction() as conn:
            return await add(conn, channel, chat_id, user_id, code, reason)

    async def is_subscribed(self, channel: str, chat_id: str, code: str) -> bool:
        return await people.is_subscribed(self.db, channel, chat_id, code)


async def add(conn: Conn, channel: str, chat_id: str, user_id: str, code: str, reason: str) -> bool:
    return await people.subscribe(conn, channel, chat_id, user_id, code, reason)


async def subscribers(conn: Conn, code: str) -> list[Subscriber]:
    """Read inside the change's transaction, so the outbox matches who was subscribed then."""
    return [Subscriber(**dict(r)) for r in await people.subscribers(conn, code)]
