"""What only an OA admin can fix, told to the leaders once: a wrong OA secret key (a run
of failed webhook signatures) and the platform's configuration and money refusals.

Zalo switches a webhook off after about an hour of failed posts and answers every paid
message with -320 while no Zalo Cloud Account is linked: nobody notices from the chat.
"""

from __future__ import annotations

import time
from collections import deque
from datetime import timedelta

from bot.channels.zalo.alert_events import OaRefused, SignaturesFailing
from bot.clock import stamp, utcnow
from bot.notify import events
from bot.notify.events import Event
from bot.settings import Settings
from bot.store import Database
from bot.store import zalo as zalo_store

SIGNATURE_RUN = 5  # failed signatures ...
SIGNATURE_WINDOW = 600.0  # ... within 10 minutes: the OA secret key looks wrong
RECENT = timedelta(hours=1)  # a refusal this recent keeps /healthz unhealthy


def N_(text: str) -> str:
    """Marks a text for extraction; it is translated where it is shown."""
    return text


# Codes only an admin can fix (fact sheet §11), with what they mean.
OA_CODES = {
    -209: N_("the Zalo app is not activated"),
    -212: N_("the Official Account API is not registered for the app"),
    -221: N_("the OA is not verified"),
    -223: N_("the app lacks a permission for this message"),
    -224: N_("the OA's package tier does not allow this message"),
    -320: N_("messages after 48 hours are paid and no Zalo Cloud Account is linked to the OA"),
    -321: N_("the Zalo Cloud Account linked to the OA has no money left"),
}
ZNS_CODES = {
    -115: N_("the ZNS balance is used up"),
    -135: N_("the app has no ZNS permission"),
    -136: N_("no Zalo Cloud Account is linked for ZNS"),
    -137: N_("the Zalo Cloud Account could not be charged"),
    -1351: N_("the app has no ZNS permission"),
    -146: N_("the ZNS template was disabled for low quality"),
    -147: N_("the ZNS template reached its daily limit"),
}


async def alert_leaders(settings: Settings, db: Database, event: Event) -> bool:
    """Record what an admin must fix; its notice tells the leaders' chat once (False if
    none is set, or they were told before)."""
    async with db.transaction() as conn:
        return bool(await events.record(conn, event, settings))


class SignatureWatch:
    """Counts failed webhook signatures; a run of them alerts once and degrades /healthz
    until a correctly signed event arrives."""

    def __init__(self, settings: Settings, run: int = SIGNATURE_RUN, window=SIGNATURE_WINDOW):
        self.settings = settings
        self.run, self.window = run, window
        self.failures: deque[float] = deque()
        self.failing = False
        self.total = 0
        self.db: Database | None = None  # set when the channel is bound

    def passed(self) -> None:
        self.failures.clear()
        self.failing = False

    async def failed(self) -> None:
        now = time.monotonic()
        self.total += 1
        self.failures.append(now)
        while self.failures and now - self.failures[0] > self.window:
            self.failures.popleft()
        if len(self.failures) < self.run or self.failing:
            return
        self.failing = True
        if self.db is not None:
            minutes = round(self.window / 60)
            failing = SignaturesFailing(len(self.failures), minutes, stamp(utcnow()))
            await alert_leaders(self.settings, self.db, failing)

    def problems(self) -> list[str]:
        if not self.failing:
            return []
        return [f"webhook signatures failing ({len(self.failures)} recently):"
                " the OA secret key looks wrong"]  # fmt: skip


class Refusals:
    """Configuration and money codes: counted per code and day, the leaders told once."""

    def __init__(self, settings: Settings, db: Database):
        self.settings, self.db = settings, db

    @staticmethod
    def watched(code: int, api: str) -> bool:
        return code in (ZNS_CODES if api == "zns" else OA_CODES)

    async def seen(self, code: int, api: str) -> None:
        now = utcnow()
        day = now.date().isoformat()
        async with self.db.transaction() as conn:
            await zalo_store.count_refusal(conn, code, day, api, stamp(now))
        await alert_leaders(self.settings, self.db, OaRefused(code, api, day))

    async def today(self) -> dict[int, tuple[int, bool]]:
        """{code: (times today, seen in the last hour)}: only a recent one is a problem now,
        so /healthz turns healthy again soon after an admin fixed the cause."""
        now = utcnow()
        rows = await zalo_store.refusals(self.db, now.date().isoformat())
        recent = stamp(now - RECENT)
        return {int(r["code"]): (int(r["count"]), r["last_at"] >= recent) for r in rows}
