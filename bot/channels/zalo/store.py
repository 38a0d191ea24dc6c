"""The Zalo channel's state: token pairs, the users' window, choices (SQL: bot/store/zalo.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import stamp, unstamp, utcnow
from bot.reply import Button
from bot.store import Database
from bot.store import zalo as store

WINDOW = timedelta(days=7)  # a CS message needs an interaction in the last 7 days
MAX_ACTIONS = 60  # button actions remembered per user (a typed payload must match one)
MAX_FOLDS = 5  # cards whose "More choices" still works


@dataclass(frozen=True)
class TokenPair:
    id: int
    access_token: str
    refresh_token: str
    expires_at: datetime


@dataclass(frozen=True)
class ZaloUser:
    user_id: str
    following: bool | None
    last_interaction_at: datetime | None
    actions: list[str]
    choices: list[str]
    more: dict[str, list[Button]] = field(default_factory=dict)  # fold key -> buttons

    def in_window(self, now: datetime) -> bool:
        last = self.last_interaction_at
        return last is not None and now - last < WINDOW and self.following is not False


class ZaloStore:
    def __init__(self, db: Database):
        self.db = db

    # ---- tokens --------------------------------------------------------------------------

    async def newest_pair(self) -> TokenPair | None:
        row = await store.newest_pair(self.db)
        if row is None:
            return None
        expires = unstamp(row["expires_at"])
        return TokenPair(row["id"], row["access_token"], row["refresh_token"], expires)

    async def seed_pair(self, access: str, refresh: str, expires_at: datetime) -> TokenPair:
        """The settings' first pair, only when the store holds none (newer pairs win)."""
        async with self.db.transaction() as conn:
            if not await store.pair_count(conn):
                await store.add_pair(conn, access, refresh, stamp(expires_at), "settings")
        pair = await self.newest_pair()
        assert pair is not None
        return pair

    async def save_pair(
        self, access: str, refresh: str, expires_at: datetime, source: str = "refresh"
    ) -> TokenPair:
        """One transaction: once it commits, a restart uses this pair."""
        async with self.db.transaction() as conn:
            new_id = await store.add_pair(conn, access, refresh, stamp(expires_at), source)
        return TokenPair(new_id, access, refresh, expires_at.replace(microsecond=0))

    async def forget_pairs(self) -> int:
        """`motcua zalo tokens --reset`: the settings' pair seeds the store again."""
        return await store.forget_pairs(self.db)

    # ---- users ----------------------------------------------------------------

    async def touch(
        self, user_id: str, user_id_by_app: str | None, following: bool | None = None
    ) -> None:
        """A user event: the 7-day window restarts; follow/unfollow is recorded."""
        follows = None if following is None else int(following)
        await store.touch_user(self.db, user_id, user_id_by_app, follows, stamp(utcnow()))

    async def unfollowed(self, user_id: str, user_id_by_app: str | None) -> None:
        """Unfollowing is not an interaction: the window does not restart."""
        await store.unfollowed(self.db, user_id, user_id_by_app)

    async def user(self, user_id: str) -> ZaloUser | None:
        row = await store.user(self.db, user_id)
        if row is None:
            return None
        following = None if row["following"] is None else bool(row["following"])
        folds = json.loads(row["more"]) if row["more"] else {}
        more = {
            key: [Button(b["label"], b["action"], b.get("url")) for b in buttons]
            for key, buttons in (folds.items() if isinstance(folds, dict) else ())
        }
        return ZaloUser(
            row["user_id"],
            following,
            unstamp(row["last_interaction_at"]),
            json.loads(row["actions"]),
            json.loads(row["choices"]),
            more,
        )

    async def remember(
        self,
        user_id: str,
        actions: list[str],
        choices: list[str] | None,
        more: dict[str, list[Button]] | None = None,
    ) -> None:
        """Actions just sent as buttons (newest last), if any the numbered choices, and the
        buttons folded behind "More choices" (a new list replaces the old one)."""
        user = await self.user(user_id)
        known = [a for a in (user.actions if user else []) if a not in actions] + actions
        actions_json = json.dumps(known[-MAX_ACTIONS:], ensure_ascii=False)
        choices_json = None if choices is None else json.dumps(choices, ensure_ascii=False)
        more_json = None
        if more:
            folds = {k: v for k, v in (user.more if user else {}).items() if k not in more}
            folds.update(more)
            kept = dict(list(folds.items())[-MAX_FOLDS:])
            more_json = json.dumps({
                key: [{"label": b.label, "action": b.action, "url": b.url} for b in buttons]
                for key, buttons in kept.items()
            }, ensure_ascii=False)  # fmt: skip
        await store.set_user_buttons(self.db, user_id, actions_json, choices_json, more_json)
