"""What each user was last shown, for a while: the context a follow-up refers to.

"Còn phí thì sao?" right after the birth-registration card means that card's fee.
Kept in the store (not per process), so a restart or a second worker agrees, and
read only within `TTL`: an hour later the same words start afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.clock import stamp, unstamp, utcnow
from bot.store import Database

TTL = timedelta(minutes=30)


@dataclass(frozen=True)
class Recent:
    procedure_code: str | None
    others: list[str]
    dossier_code: str | None


class RecentTopics:
    def __init__(self, db: Database, ttl: timedelta = TTL):
        self.db = db
        self.ttl = ttl
        self.now = utcnow  # replaced in tests to let time pass

    async def procedure_shown(
        self, channel: str, user_id: str, code: str, others: list[str]
    ) -> None:
        await self.db.execute(
            "INSERT INTO recent_topics(channel, user_id, procedure_code, others, procedure_at)"
            " VALUES (?,?,?,?,?) ON CONFLICT(channel, user_id) DO UPDATE SET"
            " procedure_code = excluded.procedure_code, others = excluded.others,"
            " procedure_at = excluded.procedure_at",
            (channel, user_id, code, ",".join(others), stamp(self.now())),
        )

    async def dossier_shown(self, channel: str, user_id: str, code: str) -> None:
        await self.db.execute(
            "INSERT INTO recent_topics(channel, user_id, dossier_code, dossier_at)"
            " VALUES (?,?,?,?) ON CONFLICT(channel, user_id) DO UPDATE SET"
            " dossier_code = excluded.dossier_code, dossier_at = excluded.dossier_at",
            (channel, user_id, code, stamp(self.now())),
        )

    async def get(self, channel: str, user_id: str) -> Recent:
        """The procedure and dossier shown within the time-to-live (None when older)."""
        row = await self.db.fetchone(
            "SELECT procedure_code, others, procedure_at, dossier_code, dossier_at"
            " FROM recent_topics WHERE channel = ? AND user_id = ?",
            (channel, user_id),
        )
        if row is None:
            return Recent(None, [], None)
        fresh_proc = self._fresh(row[2])
        return Recent(
            row[0] if fresh_proc else None,
            [c for c in (row[1] or "").split(",") if c] if fresh_proc else [],
            row[3] if self._fresh(row[4]) else None,
        )

    async def forget(self, channel: str, user_id: str) -> None:
        await self.db.execute(
            "DELETE FROM recent_topics WHERE channel = ? AND user_id = ?", (channel, user_id)
        )

    def _fresh(self, at: str | None) -> bool:
        moment = unstamp(at)
        return moment is not None and self.now() - moment <= self.ttl
