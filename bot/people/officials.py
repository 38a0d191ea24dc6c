"""The officials' roster: who may change dossiers and see overdue lists, for which agency."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store import Database

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
        row = await self.db.fetchone(
            "SELECT channel, user_id, name, role, agency_code FROM officials"
            " WHERE channel = ? AND user_id = ?",
            (channel, user_id),
        )
        return Official(*row) if row else None

    async def add(
        self, channel: str, user_id: str, role: str, agency_code: str | None, name: str = ""
    ) -> None:
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        if role == "official" and not agency_code:
            raise ValueError("an official needs an agency code")
        await self.db.execute(
            "INSERT INTO officials(channel, user_id, name, role, agency_code) VALUES (?,?,?,?,?)"
            " ON CONFLICT(channel, user_id) DO UPDATE SET name = excluded.name,"
            " role = excluded.role, agency_code = excluded.agency_code",
            (channel, user_id, name, role, agency_code if role == "official" else None),
        )

    async def remove(self, channel: str, user_id: str) -> bool:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "DELETE FROM officials WHERE channel = ? AND user_id = ?", (channel, user_id)
            )
            return cur.rowcount == 1

    async def all(self) -> list[Official]:
        rows = await self.db.fetchall(
            "SELECT channel, user_id, name, role, agency_code FROM officials ORDER BY role, user_id"
        )
        return [Official(*r) for r in rows]
