"""The OA's token pair: seeded once, refreshed ahead of expiry, never twice at once.

A refresh token works once, so the new pair is committed before anything uses it,
and a restart reads the newest stored pair (the settings only seed an empty store).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import timedelta

from bot.channels.zalo.alert_events import TokenRenewalRefused
from bot.channels.zalo.errors import NoTokenPair, TokenRefreshFailed, ZaloError
from bot.channels.zalo.store import TokenPair, ZaloStore
from bot.clock import utcnow
from bot.notify import events
from bot.settings import Settings

log = logging.getLogger(__name__)

AHEAD = timedelta(hours=1)  # refresh this long before the access token expires
SEEDED_LIFETIME = timedelta(hours=2)  # a pair from the settings: its age is unknown


class TokenKeeper:
    def __init__(self, store: ZaloStore, settings: Settings):
        self.store = store
        self.settings = settings
        self.zalo = settings.zalo
        self.api = None  # set by the channel (ZaloApi), which does the HTTP
        self._lock = asyncio.Lock()

    async def start(self) -> TokenPair:
        pair = await self.store.newest_pair()
        if pair is None and not self.zalo.refresh_token:
            raise NoTokenPair(
                "Zalo: no token pair stored and MOTCUA_ZALO_REFRESH_TOKEN is empty:"
                " run motcua zalo connect"
            )
        if pair is None:
            z = self.zalo
            # Only a refresh token: the access token counts as expired, so the first use refreshes.
            lifetime = SEEDED_LIFETIME if z.access_token else -AHEAD
            pair = await self.store.seed_pair(
                str(z.access_token) or "-", str(z.refresh_token), utcnow() + lifetime
            )
        return pair

    async def access_token(self) -> str:
        pair = await self.store.newest_pair() or await self.start()
        if pair.expires_at - AHEAD <= utcnow():
            return await self.refresh(stale=pair.access_token)
        return pair.access_token

    async def expires_at(self):
        pair = await self.store.newest_pair()
        return pair.expires_at if pair else None

    async def refresh(self, stale: str) -> str:
        """Refresh unless someone else did while we waited for the lock."""
        async with self._lock:
            pair = await self.store.newest_pair() or await self.start()
            if pair.access_token != stale and pair.expires_at - AHEAD > utcnow():
                return pair.access_token
            try:
                access, refresh, lifetime = await self.api.refresh_grant(pair.refresh_token)
            except ZaloError as exc:
                await self._alert(pair, exc)
                raise TokenRefreshFailed(str(exc)) from None
            saved = await self.store.save_pair(access, refresh, utcnow() + lifetime)
            log.info("Zalo: new token pair stored, expires %s", saved.expires_at.isoformat())
            return saved.access_token

    async def _alert(self, pair: TokenPair, exc: ZaloError) -> None:
        """Page the leaders once per dead refresh token: only an admin's re-consent helps."""
        log.error("Zalo: token refresh refused: %s", exc)
        token_hash = hashlib.sha256(pair.refresh_token.encode()).hexdigest()[:24]
        refused = TokenRenewalRefused(exc.code, exc.message, token_hash)
        async with self.store.db.transaction() as conn:
            await events.record(conn, refused, self.settings)
