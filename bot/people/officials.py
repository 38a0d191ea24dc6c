"""The officials' roster: who may change dossiers and see overdue lists, for which agency."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store import Database
from bot.store import people as store

ROLES = ("official", "leader")


@dataclass(frozen=True)
class Official:
    channel: str
    user_id: str
    name: str
    role: str
    agency_code: str | None

    @property
    def is_leader(self) -> bool:
        return self.role == "leader"

    def may_act_for(self, agency_code: str) -> bool:
        return self.is_leader or self.agency_code == agency_code


class Officials:
    def __init__(self, db: Database):
        self.db = db

    async def get(self, channel: str, user_id: str) -> Official | None:
        row = await store.official(self.db, channel, user_id)
        return Official(**dict(row)) if row else None

    async def add(
        self, channel: str, user_id: str, role: str, agency_code: str | None, name: str = ""
    ) -> None:
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        if role == "official" and not agency_code:
            raise ValueError("an official needs an agency code")
        agency = agency_code if role == "official" else None
        await store.put_official(self.db, channel, user_id, name, role, agency)

    async def remove(self, channel: str, user_id: str) -> bool:
        return await store.remove_official(self.db, channel, user_id) == 1

    async def all(self) -> list[Official]:
        return [Official(**dict(r)) for r in await store.officials(self.db)]

    async def leaders(self) -> list[tuple[str, str]]:
        """(channel, user_id) of each leader on the roster, in a stable order."""
        return [(r["channel"], str(r["user_id"])) for r in await store.leaders(self.db)]
