"""The Zalo OA channel: webhook events into the dialog, replies and notifications out.

Citizens talk to the same dialog as on Telegram; officials stay on Telegram. Events are
stored before Zalo gets its 200 and handled afterwards (again after a restart when the
bot stopped first); notifications go down the ladder in `outgoing`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

import httpx
from aiohttp import web

from bot import dispatch
from bot.channels.base import Channel, GiveUp, Hold, RetryLater
from bot.channels.zalo import held, pages
from bot.channels.zalo.alerts import Refusals, SignatureWatch
from bot.channels.zalo.api import ZaloApi
from bot.channels.zalo.errors import TokenRefreshFailed, ZaloUnavailable
from bot.channels.zalo.events import FOLLOW, SUBMIT_INFO, UNFOLLOW, ZaloEvent, parse
from bot.channels.zalo.inbox import Inbox
from bot.channels.zalo.outgoing import Outgoing, choose_hint, more_label
from bot.channels.zalo.phones import international_phone as international_phone
from bot.channels.zalo.phones import local_phone
from bot.channels.zalo.render import CAPABILITIES, MORE_ACTION, render
from bot.channels.zalo.store import ZaloStore
from bot.channels.zalo.tokens import TokenKeeper
from bot.channels.zalo.webhook import make_handler
from bot.core import Core
from bot.i18n import translator
from bot.reply import Reply
from bot.settings import Settings
from bot.unsent import queue_rest
from handlers.incoming import ACTION, CONTACT, MEDIA, OTHER, TEXT, Incoming

log = logging.getLogger(__name__)

NAME = "zalo"
WEBHOOK_PATH = "/zalo/webhook"
TOKEN_CHECK_SECONDS = 900.0  # how often the pair is checked for a refresh ahead of expiry
WORKING = 8  # events handled at once; the rest wait, so webhook acks stay fast under bursts


class ZaloChannel(Outgoing, Channel):
    name = NAME
    capabilities = CAPABILITIES

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
        self._failures: dict[str, int] = {}
        self._keeper: asyncio.Task | None = None
        self.inbox: Inbox | None = None  # set by bind: until then posts get 503 (Zalo retries)
        self._scheduled: set[str] = set()  # keys of events whose work is under way here
        self.watch = SignatureWatch(settings)
        self.handler = make_handler(
            self.zalo.app_id, str(self.zalo.oa_secret), self.receive, self.watch
        )

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
        self.refusals = Refusals(self.settings, core.db)
        self.watch.db = core.db
        self.inbox = Inbox(core.db)

    # ---- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        await self.tokens.start()
        self._keeper = asyncio.create_task(self._keep_tokens_fresh(), name="zalo-tokens")
        # Posts may arrive since bind: those already scheduled here are not taken twice.
        left = [(k, p) for k, p in await self.inbox.unhandled() if k not in self._scheduled]
        if left:
            log.info("Zalo: %s stored events not handled before the stop: handling them", len(left))
        for key, payload in left:
            try:
                event = parse(json.loads(payload))
            except (ValueError, TypeError, AttributeError):
                log.error("Zalo: stored event %s unreadable, skipped", key)
                self.inbox.handled(key)
                continue
            self._schedule(event)

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
        if self.inbox is not None:
            await self.inbox.flush()

    async def health(self) -> dict | None:
        """For /healthz and /metrics: the token's expiry, how many are held, today's
        refusals only an admin can fix, and a wrong OA secret key (its `problems`)."""
        expires = await self.tokens.expires_at()
        refusals = await self.refusals.today()
        problems = self.watch.problems() + [
            f"Zalo refused with {code} within the hour ({n}x today): an OA admin must act"
            for code, (n, recent) in sorted(refusals.items())
            if recent
        ]
        return {
            "token_expires_at": expires.isoformat() if expires else None,
            "held": await held.held_count(self.core.db, NAME),
            "refusals_today": {str(code): n for code, (n, _) in refusals.items()},
            "signature_failures": self.watch.total,
            "problems": problems,
        }

    def routes(self) -> list[tuple[str, str, object]]:
        """What the HTTP server mounts: (method, path, aiohttp handler)."""
        found = [
            ("POST", WEBHOOK_PATH, self.handler),
            ("GET", pages.BANNER_PATH, pages.banner),
            ("GET", pages.CALLBACK_PATH, pages.callback),
        ]
        if self.zalo.verifier_file:  # the console's domain verification file
            found.append(("GET", "/" + self.zalo.verifier_file.name, self._verifier))
        return found

    async def _verifier(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(self.zalo.verifier_file)

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

    async def receive(self, event: ZaloEvent, raw: bytes) -> bool:
        """Called by the webhook after the signature check: store, then schedule the work.
        False when it cannot be stored now (Zalo gets a 503 and posts it again)."""
        if self.inbox is None:
            return False
        try:
            new = await self.inbox.put(event.key, event.name, raw.decode("utf-8", "replace"))
        except Exception:
            return False
        if new:
            self._schedule(event)
        else:
            log.info("Zalo: %s re-delivered, already stored", event.key)
        return True

    def _schedule(self, event: ZaloEvent) -> None:
        task = asyncio.create_task(self._handle(event))
        self._tasks.add(task)
        self._scheduled.add(event.key)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda _t: self._scheduled.discard(event.key))

    async def _handle(self, event: ZaloEvent) -> None:
        """Through the core's entry point, under this person's lock (their events go in
        order); the event's own look-ups run in `prepare`, inside that lock."""
        uid = event.user_id
        released: list[Reply] = []  # "you have N new notifications", before the answer

        async def prepare(_who: Incoming) -> Incoming | None:
            await working.enter_async_context(self._working)  # a slot only once it is our turn
            await self.inbox.quiet()
            return await self._prepare(event, released)

        async def answer(replies: list[Reply]) -> None:
            await self.reply(uid, released + replies)

        try:
            async with contextlib.AsyncExitStack() as working:
                who = Incoming(kind=OTHER, channel=NAME, user_id=uid, chat_id=uid)
                await dispatch.handle(self.core, who, answer, prepare=prepare)
        except Exception:  # a bug: handled once, not again at every restart
            log.exception("Zalo: event %s failed", event.name)
        self.inbox.handled(event.key)

    async def _prepare(self, event: ZaloEvent, released: list[Reply]) -> Incoming | None:
        """What the event says, read against what this person was last sent; None when
        there is nothing for the dialog (an unfollow, a folded card's "More choices")."""
        uid = event.user_id
        if event.name == UNFOLLOW:
            await self.store.unfollowed(uid, event.user_id_by_app)
            return None
        await self.store.touch(uid, event.user_id_by_app, True if event.name == FOLLOW else None)
        count = await held.release(self.core.db, NAME, uid)
        if count and self.on_release:
            self.on_release()
        msg = await self._incoming(event)
        more = msg.kind == ACTION and msg.text.startswith(MORE_ACTION)
        if more and await self._more(uid, msg.text.removeprefix(MORE_ACTION)):
            return None
        if count:
            t = translator(await self.core.users.locale(NAME, uid))
            note = t.ngettext(
                "You have %s new notification.", "You have %s new notifications.", count
            )
            released.append(Reply("🔔 " + note % count))
        return msg

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

    async def _more(self, uid: str, key: str) -> bool:
        """The "More choices" of a card: its folded buttons, as the next message."""
        user = await self.store.user(uid)
        folded = user.more.get(key) if user else None
        if not folded:
            return False
        t = translator(await self.core.users.locale(NAME, uid))
        await self.reply(uid, [Reply("👇 " + more_label(t), [folded])])
        return True

    async def reply(self, uid: str, replies: list[Reply]) -> None:
        """The answer to a citizen who just wrote; what cannot go now goes to the outbox
        (retried, or held until the next message when an admin must act first)."""
        t = translator(await self.core.users.locale(NAME, uid))
        choices: list[str] = []
        actions: list[str] = []
        folds: dict = {}
        for n, reply in enumerate(replies):
            rendered = render(reply, self.zalo, choose_hint(t), len(choices) + 1, more_label(t))
            choices += rendered.choices
            actions += rendered.actions
            if rendered.more:
                folds[rendered.more_key] = rendered.more
            sent = 0
            try:
                for message in rendered.messages:
                    await self._send_cs(uid, message)
                    sent += 1
            except (RetryLater, Hold) as exc:
                await queue_rest(self.core.db, NAME, uid, replies[n:], sent, exc)
                break
            except GiveUp as exc:
                log.warning("Zalo: reply to %s not delivered: %s", uid, exc)
                break
        await self.store.remember(uid, actions, choices, folds)
