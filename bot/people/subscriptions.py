"""Which chats hear about which dossier."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.store import Database


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
        row = await self.db.fetchone(
            "SELECT 1 FROM subscriptions WHERE channel = ? AND chat_id = ? AND dossier_code = ?",
            (channel, chat_id, code),
        )
        return row is not None


async def add(
    conn: aiosqlite.Connection, channel: str, chat_id: str, user_id: str, code: str, reason: str
) -> bool:
    cur = await conn.execute(
        "INSERT INTO subscriptions(channel, chat_id, user_id, dossier_code, reason)"
        " VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
        (channel, chat_id, user_id, code, reason),
    )
    return cur.rowcount == 1


async def subscribers(conn: aiosqlite.Connection, code: str) -> list[Subscriber]:
    """Read inside the change's transaction, so the outbox matches who was subscribed then."""
    async with conn.execute(
        "SELECT channel, chat_id, user_id FROM subscriptions WHERE dossier_code = ?", (code,)
    ) as cur:
        return [Subscriber(*r) for r in await cur.fetchall()]
