"""People who talk to the bot, per channel: their chosen language and when last seen."""

from __future__ import annotations

from bot.store import Database


class Users:
    def __init__(self, db: Database, default_locale: str):
        self.db = db
        self.default_locale = default_locale

    async def locale(self, channel: str, user_id: str) -> str:
        row = await self.db.fetchone(
            "SELECT locale FROM users WHERE channel = ? AND user_id = ?", (channel, user_id)
        )
        return (row[0] if row and row[0] else None) or self.default_locale

    async def set_locale(self, channel: str, user_id: str, locale: str) -> None:
        await self.db.execute(
            "INSERT INTO users(channel, user_id, locale) VALUES (?, ?, ?)"
            " ON CONFLICT(channel, user_id) DO UPDATE SET locale = excluded.locale",
            (channel, user_id, locale),
        )
