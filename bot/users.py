"""People who talk to the bot, per channel: their chosen language and when last seen."""

from __future__ import annotations

from collections import OrderedDict

from bot.store import Database, people
from bot.store.sql import Conn


async def stored_locale(conn: Conn, channel: str, user_id: str) -> str | None:
    """The language a user chose, read on the caller's connection (inside its transaction)."""
    return await people.locale(conn, channel, user_id)


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
        locale = await people.locale(self.db, channel, user_id)
        self._remember(key, locale)
        return locale or self.default_locale

    async def set_locale(self, channel: str, user_id: str, locale: str) -> None:
        await people.set_locale(self.db, channel, user_id, locale)
        self._remember((channel, user_id), locale)

    def _remember(self, key: tuple[str, str], locale: str | None) -> None:
        self._locales[key] = locale
        self._locales.move_to_end(key)
        if len(self._locales) > self.CACHE_SIZE:
            self._locales.popitem(last=False)
