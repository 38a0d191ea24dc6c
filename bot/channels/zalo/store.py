"""The Zalo channel's SQL: token pairs, handled events, the users' window and choices."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import stamp, unstamp, utcnow
from bot.reply import Button
from bot.store import Database

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
        row = await self.db.fetchone(
            "SELECT id, access_token, refresh_token, expires_at FROM zalo_tokens"
            " ORDER BY id DESC LIMIT 1"
        )
        return TokenPair(row[0], row[1], row[2], unstamp(row[3])) if row else None

    async def seed_pair(self, access: str, refresh: str, expires_at: datetime) -> TokenPair:
        """The settings' first pair, only when the store holds none (newer pairs win)."""
        async with self.db.transaction() as conn:
            async with conn.execute("SELECT COUNT(*) FROM zalo_tokens") as cur:
                (count,) = await cur.fetchone()
            if not count:
                await conn.execute(
                    "INSERT INTO zalo_tokens(access_token, refresh_token, expires_at, source)"
                    " VALUES (?,?,?,'settings')",
                    (access, refresh, stamp(expires_at)),
                )
        pair = await self.newest_pair()
        assert pair is not None
        return pair

    async def save_pair(
        self, access: str, refresh: str, expires_at: datetime, source: str = "refresh"
    ) -> TokenPair:
        """One transaction: once it commits, a restart uses this pair."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO zalo_tokens(access_token, refresh_token, expires_at, source)"
                " VALUES (?,?,?,?)",
                (access, refresh, stamp(expires_at), source),
            )
            new_id = cur.lastrowid
        return TokenPair(new_id, access, refresh, expires_at.replace(microsecond=0))

    async def forget_pairs(self) -> int:
        """`motcua zalo tokens --reset`: the settings' pair seeds the store again."""
        async with self.db.transaction() as conn:
            cur = await conn.execute("DELETE FROM zalo_tokens")
            return cur.rowcount

    # ---- users ----------------------------------------------------------------

    async def touch(
        self, user_id: str, user_id_by_app: str | None, following: bool | None = None
    ) -> None:
        """A user event: the 7-day window restarts; follow/unfollow is recorded."""
        await self.db.execute(
            "INSERT INTO zalo_users(user_id, user_id_by_app, following, last_interaction_at)"
            " VALUES (?,?,?,?) ON CONFLICT(user_id) DO UPDATE SET"
            " user_id_by_app = COALESCE(excluded.user_id_by_app, zalo_users.user_id_by_app),"
            " following = COALESCE(excluded.following, zalo_users.following),"
            " last_interaction_at = excluded.last_interaction_at",
            (user_id, user_id_by_app, None if following is None else int(following),
             stamp(utcnow())),
        )  # fmt: skip

    async def unfollowed(self, user_id: str, user_id_by_app: str | None) -> None:
        """Unfollowing is not an interaction: the window does not restart."""
        await self.db.execute(
            "INSERT INTO zalo_users(user_id, user_id_by_app, following) VALUES (?,?,0)"
            " ON CONFLICT(user_id) DO UPDATE SET following = 0",
            (user_id, user_id_by_app),
        )

    async def user(self, user_id: str) -> ZaloUser | None:
        row = await self.db.fetchone(
            "SELECT user_id, following, last_interaction_at, actions, choices, more"
            " FROM zalo_users"
            " WHERE user_id = ?",
            (user_id,),
        )
        if row is None:
            return None
        following = None if row[1] is None else bool(row[1])
        folds = json.loads(row[5]) if row[5] else {}
        more = {
            key: [Button(b["label"], b["action"], b.get("url")) for b in buttons]
            for key, buttons in (folds.items() if isinstance(folds, dict) else ())
        }
        return ZaloUser(
            row[0], following, unstamp(row[2]), json.loads(row[3]), json.loads(row[4]), more
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
        params = [json.dumps(known[-MAX_ACTIONS:], ensure_ascii=False)]
        sql = "UPDATE zalo_users SET actions = ?"
        if choices is not None:
            sql += ", choices = ?"
            params.append(json.dumps(choices, ensure_ascii=False))
        if more:
            folds = {k: v for k, v in (user.more if user else {}).items() if k not in more}
            folds.update(more)
            kept = dict(list(folds.items())[-MAX_FOLDS:])
            sql += ", more = ?"
            params.append(json.dumps({
                key: [{"label": b.label, "action": b.action, "url": b.url} for b in buttons]
                for key, buttons in kept.items()
            }, ensure_ascii=False))  # fmt: skip
        await self.db.execute(sql + " WHERE user_id = ?", (*params, user_id))
