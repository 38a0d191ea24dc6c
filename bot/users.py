"""People who talk to the bot, per channel: their chosen language and when last seen."""

from __future__ import annotations

from collections import OrderedDict

import aiosqlite

from bot.store import Database


async def stored_locale(conn: aiosqlite.Connection, channel: str, user_id: str) -> str | None:
    """The language a user chose, read on the caller's connection (inside its transaction)."""
    async with conn.execute(
        "SELECT locale FROM users WHERE channel = ? AND user_id = ?", (channel, user_id)
    ) as cur:
        row = await cur.fetchone()
    return row[0] if row and row[0] else None


class Users:
    """Locales are read on every message, so they are cached; writes go through to the store."""

    CACHE_SIZE = 100_000

    def __init__(self, db: Database, default_locale: str):
        self.db = db
        self.default_locale = default_locale
        self._locales: OrderedDict[tuple[str, str], str | None] = OrderedDict()

    async def locale(self, channel: str, user_id: str) -> str:
        key = (channel, user_id)
        if key in self._locales:
            self._locales.move_to_end(key)
            return self._locales[key] or self.default_locale
        locale = await stored_locale(self.db.conn, channel, user_id)
        self._remember(key, locale)
        return locale or self.default_locale

    async def set_locale(self, channel: str, user_id: str, locale: str) -> None:
        await self.db.execute(
            "INSERT INTO users(channel, user_id, locale) VALUES (?, ?, ?)"
            " ON CONFLICT(channel, user_id) DO UPDATE SET locale = excluded.locale",
            (channel, user_id, locale),
        )
        self._remember((channel, user_id), locale)

    def _remember(self, key: tuple[str, str], locale: str | None) -> None:
        self._locales[key] = locale
        self._locales.move_to_end(key)
        if len(self._locales) > self.CACHE_SIZE:
            self._locales.popitem(last=False)
