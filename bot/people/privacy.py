"""Personal data a citizen gives us: a verified phone, only after explicit, provable consent.

Decree 13/2023 and Law 91/2025: consent per purpose, by an action (a button),
kept with when and what was agreed; the citizen may withdraw and have the data deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import stamp, utcnow
from bot.feedback.service import FeedbackService
from bot.ratings.repository import Ratings
from bot.store import Database, people

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
        return await people.has_consent(self.db, channel, user_id, purpose)

    async def grant(self, channel: str, user_id: str, purpose: str, wording: str) -> None:
        if await self.has_consent(channel, user_id, purpose):
            return
        await people.add_consent(self.db, channel, user_id, purpose, wording, stamp(utcnow()))

    async def verified_phone(self, channel: str, user_id: str) -> str | None:
        return await people.phone(self.db, channel, user_id)

    async def save_phone(self, channel: str, user_id: str, phone: str) -> None:
        """Only with consent on record: the caller checks, this double-checks."""
        if not await self.has_consent(channel, user_id, DOSSIER_TRACKING):
            raise PermissionError("no consent to store a phone number")
        await people.set_phone(self.db, channel, user_id, phone, stamp(utcnow()))

    async def delete_all(self, channel: str, user_id: str) -> Deleted:
        """The phone, the consents and the subscriptions of this user, in one transaction."""
        async with self.db.transaction() as conn:
            phones, consents, subs = await people.forget(conn, channel, user_id)
            await Ratings.forget_user(conn, channel, user_id)  # counts stay, anonymous
            await FeedbackService.forget_user(conn, channel, user_id)  # tickets stay, unnamed
            return Deleted(phones > 0, consents, subs)
