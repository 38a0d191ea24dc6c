"""The Zalo OA channel: webhook events into the dialog, replies and notifications out.

Citizens talk to the same dialog as on Telegram; officials stay on Telegram. A
notification goes as a CS message inside the 7-day window, else as a ZNS template to
the verified phone, else it is held until the citizen writes again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import re
import weakref

import httpx

from bot.channels.base import (
    PHONE_SHARED_INFO,
    Capabilities,
    GiveUp,
    Hold,
    PartDone,
    RetryLater,
)
from bot.channels.zalo import errors, held
from bot.channels.zalo.api import ZaloApi
from bot.channels.zalo.errors import TokenRefreshFailed, ZaloError, ZaloUnavailable
from bot.channels.zalo.events import FOLLOW, SUBMIT_INFO, UNFOLLOW, ZaloEvent
from bot.channels.zalo.render import render, split_paragraphs
from bot.channels.zalo.store import ZaloStore
from bot.channels.zalo.tokens import TokenKeeper
from bot.channels.zalo.webhook import make_handler
from bot.clock import utcnow
from bot.core import Core
from bot.dialog import router
from bot.dialog.incoming import ACTION, CONTACT, MEDIA, TEXT, Incoming
from bot.i18n import translator
from bot.notify.outbox import Outbox, Priority, enqueue
from bot.reply import Reply
from bot.settings import Settings
from bot.text import nfc

log = logging.getLogger(__name__)

NAME = "zalo"
WEBHOOK_PATH = "/zalo/webhook"
TOKEN_CHECK_SECONDS = 900.0  # how often the pair is checked for a refresh ahead of expiry
GROUP_PREFIX = "group:"  # outbox chat ids of OA group chats (GMF)
MENTION = re.compile(r"\[@[^\]]*\]")  # a mention inside group text: never relayed
WORKING = 8  # events handled at once; the rest wait, so webhook acks stay fast under bursts


class ZaloChannel:
    name = NAME
    capabilities = Capabilities(
        edit_in_place=False,
        buttons_per_message=5,
        text_limit=2000,
        markup="plain",
        phone_proof=PHONE_SHARED_INFO,
    )

    def __init__(
        self,
        settings: Settings,
        *,
        client: httpx.AsyncClient | None = None,
        retry_base: float = 2.0,
        on_release=None,
    ):
        if settings.zalo is None:
            raise ValueError("the Zalo channel is not configured (MOTCUA_ZALO_*)")
        self.settings = settings
        self.zalo = settings.zalo
        self._own_client = client is None
        self.client = client or httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0))
        self.retry_base = retry_base
        self.on_release = on_release  # called when held messages became due (wake a drainer)
        self.core: Core | None = None
        self._tasks: set[asyncio.Task] = set()
        self._working = asyncio.Semaphore(WORKING)
        # One lock per user with events in flight (they go in order); idle ones vanish.
        self._user_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._failures: dict[str, int] = {}
        self._keeper: asyncio.Task | None = None
        self.handler = make_handler(self.zalo.app_id, str(self.zalo.oa_secret), self.accept)

    @classmethod
    def from_settings(cls, settings: Settings) -> ZaloChannel:
        return cls(settings)

    def bind(self, core: Core) -> None:
        """The runtime opened the core: the store, the tokens and the API client use it."""
        self.core = core
        self.store = ZaloStore(core.db)
        self.tokens = TokenKeeper(self.store, self.settings)
        self.api = ZaloApi(self.zalo, self.tokens, self.client)
        self.tokens.api = self.api

    # ---- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        await self.tokens.start()
        self._keeper = asyncio.create_task(self._keep_tokens_fresh(), name="zalo-tokens")

    async def stop(self) -> None:
        if self._keeper:
            self._keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keeper
        await self.drain_events()
        if self._own_client:
            await self.client.aclose()

    async def drain_events(self) -> None:
        """Wait for the webhook work in flight (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def health(self) -> dict:
        """For /healthz and /metrics: when the access token expires, how many are held."""
        expires = await self.tokens.expires_at()
        return {
            "token_expires_at": expires.isoformat() if expires else None,
            "held": await held.held_count(self.core.db, NAME),
        }

    def routes(self) -> list[tuple[str, str, object]]:
        """What the HTTP server mounts: (method, path, aiohttp handler)."""
        return [("POST", WEBHOOK_PATH, self.handler)]

    async def _keep_tokens_fresh(self) -> None:
        while True:
            try:
                await self.tokens.access_token()  # refreshes when within the margin
            except (TokenRefreshFailed, ZaloUnavailable) as exc:
                log.warning("Zalo: token check failed: %s", exc)
            except Exception:
                log.exception("Zalo: token check failed")
            await asyncio.sleep(TOKEN_CHECK_SECONDS)

    # ---- incoming ------------------------------------------------------------------------

    def accept(self, event: ZaloEvent) -> None:
        """Called by the webhook after the signature check: schedule, never wait."""
        if not event.from_user:
            return  # the OA's echoes and receipts: never answered
        task = asyncio.create_task(self._handle(event))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, event: ZaloEvent) -> None:
        lock = self._user_locks.get(event.user_id)
        if lock is None:
            lock = self._user_locks[event.user_id] = asyncio.Lock()
        try:
            async with lock, self._working:
                if not await self.store.first_time(event.key, event.name):
                    log.info("Zalo: %s re-delivered, already handled", event.key)
                    return
                await self._on_event(event)
        except Exception:
            log.exception("Zalo: event %s failed", event.name)

    async def _on_event(self, event: ZaloEvent) -> None:
        uid = event.user_id
        if event.name == UNFOLLOW:
            await self.store.unfollowed(uid, event.user_id_by_app)
            return
        await self.store.touch(uid, event.user_id_by_app, True if event.name == FOLLOW else None)
        released = await held.release(self.core.db, NAME, uid)
        msg = await self._incoming(event)
        replies = await router.handle(self.core, msg)
        if released:
            t = translator(await self.core.users.locale(NAME, uid))
            note = t.ngettext(
                "You have %s new notification.", "You have %s new notifications.", released
            )
            replies.insert(0, Reply("🔔 " + note % released))
        await self.reply(uid, replies)
        if released and self.on_release:
            self.on_release()

    async def _incoming(self, event: ZaloEvent) -> Incoming:
        base = {"channel": NAME, "user_id": event.user_id, "chat_id": event.user_id}
        if event.name == FOLLOW:
            return Incoming(kind=TEXT, text="/start", **base)
        if event.name == SUBMIT_INFO:
            return Incoming(
                kind=CONTACT,
                contact_phone=local_phone(event.phone),
                contact_user_id=event.user_id,  # the sender's own info: Zalo vouches for it
                **base,
            )
        if event.name == "user_send_text":
            text = event.text or ""
            action = await self._action_for(event.user_id, text.strip())
            if action:
                return Incoming(kind=ACTION, text=action, **base)
            return Incoming(kind=TEXT, text=text, **base)
        if event.image_url:
            return Incoming(kind=MEDIA, file_url=event.image_url, **base)
        if event.latitude is not None:
            return Incoming(kind=MEDIA, latitude=event.latitude, longitude=event.longitude, **base)
        return Incoming(kind=MEDIA, **base)

    async def _action_for(self, uid: str, text: str) -> str | None:
        """A button's payload typed back, or the number of a listed choice.

        Only actions we sent to this user map; the dialog re-checks every action as it
        does on Telegram, so typing a payload by hand grants nothing more.
        """
        user = await self.store.user(uid)
        if user is None or not text:
            return None
        if text.isdigit() and 1 <= int(text) <= len(user.choices):
            return user.choices[int(text) - 1]
        return text if text in user.actions else None

    async def reply(self, uid: str, replies: list[Reply]) -> None:
        """The answer to a citizen who just wrote; what cannot go now goes to the outbox."""
        t = translator(await self.core.users.locale(NAME, uid))
        choices: list[str] = []
        actions: list[str] = []
        for n, reply in enumerate(replies):
            rendered = render(reply, self.zalo, _choose_hint(t), len(choices) + 1)
            choices += rendered.choices
            actions += rendered.actions
            sent = 0
            try:
                for message in rendered.messages:
                    await self._send_cs(uid, message)
                    sent += 1
            except RetryLater as exc:
                await self._queue_rest(uid, replies[n:], sent, exc)
                break
            except (GiveUp, Hold) as exc:
                log.warning("Zalo: reply to %s not delivered: %s", uid, exc)
                break
        await self.store.remember(uid, actions, choices)

    async def _queue_rest(self, uid: str, rest: list[Reply], sent: int, exc: RetryLater) -> None:
        outbox = Outbox(self.core.db)
        for i, reply in enumerate(rest):
            async with self.core.db.transaction() as conn:
                await enqueue(conn, NAME, uid, reply, priority=Priority.REPLY)
                async with conn.execute("SELECT last_insert_rowid()") as cur:
                    (row_id,) = await cur.fetchone()
            if i == 0 and sent:
                await outbox.mark_parts_sent(row_id, sent)
            await outbox.retry_later(row_id, exc.delay, exc.reason)

    # ---- outgoing ------------------------------------------------------------------------

    async def deliver(
        self, chat_id: str, reply: Reply, *, skip: int = 0, on_part: PartDone | None = None
    ) -> None:
        """A notification: CS inside the window, else ZNS, else Hold."""
        uid = str(chat_id)
        if uid.startswith(GROUP_PREFIX):
            await self._send_group(uid.removeprefix(GROUP_PREFIX), reply)
            return
        user = await self.store.user(uid)
        if user is not None and user.in_window(utcnow()):
            t = translator(await self.core.users.locale(NAME, uid))
            rendered = render(reply, self.zalo, _choose_hint(t))
            try:
                for i, message in enumerate(rendered.messages):
                    if i < skip:
                        continue
                    await self._send_cs(uid, message)
                    if on_part:
                        await on_part(i + 1)
                await self.store.remember(uid, rendered.actions, rendered.choices or None)
                return
            except OutsideWindow as exc:
                log.info("Zalo: %s outside the window (%s): ZNS instead", uid, exc)
        await self._send_zns(uid, reply)

    async def _send_cs(self, uid: str, message: dict) -> None:
        try:
            await self.api.send_cs(uid, message)
        except ZaloError as exc:
            raise self._classify(uid, exc) from None
        except (ZaloUnavailable, TokenRefreshFailed) as exc:
            raise self._retry(uid, str(exc), slow=isinstance(exc, TokenRefreshFailed)) from None
        self._failures.pop(uid, None)

    async def _send_group(self, group_id: str, reply: Reply) -> None:
        """An alert copied to the officials' OA group (GMF): text to read, no buttons."""
        text = MENTION.sub("", nfc(reply.plain()))
        for part in split_paragraphs(text, 2000):
            try:
                await self.api.send_group(group_id, part)
            except ZaloError as exc:
                if exc.code in errors.RETRY:
                    raise self._retry(GROUP_PREFIX, str(exc)) from None
                raise GiveUp(str(exc)) from None  # -237 package expired, -403 not the OA's
            except (ZaloUnavailable, TokenRefreshFailed) as exc:
                raise self._retry(GROUP_PREFIX, str(exc)) from None

    async def _send_zns(self, uid: str, reply: Reply) -> None:
        notice = reply.zns or {}
        template = {
            "dossier": self.zalo.zns_template_dossier,
            "feedback": self.zalo.zns_template_feedback,
        }.get(notice.get("kind", ""), "")
        phone = await self.core.privacy.verified_phone(NAME, uid)
        if not template or not phone or not notice.get("params"):
            raise Hold("outside the 7-day window; no ZNS template or verified phone")
        try:
            await self.api.send_zns(
                international_phone(phone), template, notice["params"], notice["tracking_id"]
            )
        except ZaloError as exc:
            if exc.code in errors.RETRY:
                raise self._retry(uid, str(exc)) from None
            if exc.code in errors.ZNS_LATER:
                raise RetryLater(str(exc), 3600.0) from None
            if exc.code in errors.ZNS_DEFECT:
                log.error("Zalo: ZNS refused our payload (a defect) %s: %s", exc, exc.payload)
            raise Hold(f"ZNS not possible: {exc}") from None
        except (ZaloUnavailable, TokenRefreshFailed) as exc:
            raise self._retry(uid, str(exc), slow=isinstance(exc, TokenRefreshFailed)) from None
        self._failures.pop(uid, None)

    def _classify(self, uid: str, exc: ZaloError) -> Exception:
        if exc.code in errors.RETRY or exc.code in errors.TOKEN:
            return self._retry(uid, str(exc), slow=exc.code in errors.TOKEN)
        if exc.code in errors.UNREACHABLE:
            return OutsideWindow(str(exc))
        if exc.code in errors.STOP:
            return GiveUp(str(exc))
        if exc.code in errors.DEFECT:
            log.error("Zalo: refused payload (a defect) %s: %s", exc, exc.payload)
            return GiveUp(str(exc))
        log.error("Zalo: unexpected error %s for %s", exc, exc.payload)
        return GiveUp(str(exc))

    def _retry(self, uid: str, reason: str, slow: bool = False) -> RetryLater:
        """Exponential backoff per chat, with jitter so retries do not come in a wave."""
        n = self._failures[uid] = self._failures.get(uid, 0) + 1
        delay = 300.0 if slow else self.retry_base * 2 ** min(n - 1, 6)
        return RetryLater(reason, delay * random.uniform(0.5, 1.5))


class OutsideWindow(GiveUp):
    """-213/-230/-232: CS is not possible now; the ZNS path decides."""


def local_phone(phone: str | None) -> str | None:
    """Zalo gives 84xxxxxxxxx; dossiers keep 0xxxxxxxxx."""
    if not phone:
        return phone
    digits = phone.strip().lstrip("+")
    return "0" + digits[2:] if digits.startswith("84") and digits.isdigit() else phone


def international_phone(phone: str) -> str:
    """ZNS wants 84… (never 0…)."""
    return "84" + phone[1:] if phone.startswith("0") else phone


def _choose_hint(t) -> str:
    return t.gettext("Type the number of your choice.")
