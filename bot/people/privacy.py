"""Personal data a citizen gives us: a verified phone, only after explicit, provable consent.

Decree 13/2023 and Law 91/2025: consent per purpose, by an action (a button),
kept with when and what was agreed; the citizen may withdraw and have the data deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import stamp, utcnow
from bot.feedback.service import FeedbackService
from bot.ratings.repository import Ratings
from bot.store import Database

DOSSIER_TRACKING = "dossier_tracking"


@dataclass
class Deleted:
    phone: bool
    consents: int
    subscriptions: int


class Privacy:
    def __init__(self, db: Database):
        self.db = db

    async def has_consent(self, channel: str, user_id: str, purpose: str) -> bool:
        row = await self.db.fetchone(
            "SELECT 1 FROM consents WHERE channel = ? AND user_id = ? AND purpose = ?"
            " AND withdrawn_at IS NULL",
            (channel, user_id, purpose),
        )
        return row is not None

    async def grant(self, channel: str, user_id: str, purpose: str, wording: str) -> None:
        if await self.has_consent(channel, user_id, purpose):
            return
        await self.db.execute(
            "INSERT INTO consents(channel, user_id, purpose, wording, granted_at)"
            " VALUES (?,?,?,?,?)",
            (channel, user_id, purpose, wording, stamp(utcnow())),
        )

    async def verified_phone(self, channel: str, user_id: str) -> str | None:
        row = await self.db.fetchone(
            "SELECT phone FROM contacts WHERE channel = ? AND user_id = ?", (channel, user_id)
        )
        return row[0] if row else None

    async def save_phone(self, channel: str, user_id: str, phone: str) -> None:
        """Only with consent on record: the caller checks, this double-checks."""
        if not await self.has_consent(channel, user_id, DOSSIER_TRACKING):
            raise PermissionError("no consent to store a phone number")
        await self.db.execute(
            "INSERT INTO contacts(channel, user_id, phone, verified_at) VALUES (?,?,?,?)"
            " ON CONFLICT(channel, user_id) DO UPDATE SET phone = excluded.phone,"
            " verified_at = excluded.verified_at",
            (channel, user_id, phone, stamp(utcnow())),
        )

    async def delete_all(self, channel: str, user_id: str) -> Deleted:
        """The phone, the consents and the subscriptions of this user, in one transaction."""
        async with self.db.transaction() as conn:
            phone = await conn.execute(
                "DELETE FROM contacts WHERE channel = ? AND user_id = ?", (channel, user_id)
            )
            consents = await conn.execute(
                "DELETE FROM consents WHERE channel = ? AND user_id = ?", (channel, user_id)
            )
            subs = await conn.execute(
                "DELETE FROM subscriptions WHERE channel = ? AND user_id = ?", (channel, user_id)
            )
            await Ratings.forget_user(conn, channel, user_id)  # counts stay, anonymous
            await FeedbackService.forget_user(conn, channel, user_id)  # tickets stay, unnamed
            return Deleted(phone.rowcount > 0, consents.rowcount, subs.rowcount)
