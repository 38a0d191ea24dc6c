"""Telegram as a channel of the runtime: polling (or a webhook) in, Bot API calls out.

The handlers (handlers/) find the core in `application.bot_data["core"]`, put
there by `bind`. Start and stop are python-telegram-bot's own steps without
`run_polling`, which would own the event loop the runtime runs in.

With MOTCUA_PUBLIC_URL set the channel runs in webhook mode instead: it exposes
POST /telegram/webhook through `routes()` (bot/channels/telegram/webhook.py) and calls
setWebhook once the Application runs, the HTTP server already listening.

Telegram answers getUpdates with 409 Conflict when another process polls the same
bot (or a webhook is set): retrying cannot fix that, so the channel ends with one
line saying so and the runtime exits non-zero.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import Conflict, TelegramError
from telegram.ext import Application

from bot.channels.base import Channel, PartDone, Route
from bot.channels.telegram.application import ALLOWED_UPDATES, build_application, commands
from bot.channels.telegram.outgoing import CAPABILITIES, delivery_error, send
from bot.core import Core
from bot.reply import Reply
from bot.settings import Settings

log = logging.getLogger(__name__)


class TelegramChannel(Channel):
    name = "telegram"
    capabilities = CAPABILITIES

    def __init__(
        self,
        application: Application,
        *,
        poll_timeout: int = 10,
        public_url: str | None = None,
    ):
        self.application = application
        self.poll_timeout = poll_timeout
        self.public_url = public_url  # set: webhook mode (Telegram posts to us), not polling
        self.ended = asyncio.Event()  # set when polling cannot go on (the runtime stops)
        self.failure: str | None = None
        self._started = False
        self._accepting = False  # webhook updates are taken (the Application is running)

    @classmethod
    def from_settings(
        cls, settings: Settings, *, rate_limiter: bool = True, poll_timeout: int = 10
    ) -> TelegramChannel:
        application = build_application(settings, rate_limiter=rate_limiter)
        public_url = settings.public_url if settings.telegram_webhook else None
        return cls(application, poll_timeout=poll_timeout, public_url=public_url)

    def routes(self) -> list[Route]:
        """POST /telegram/webhook in webhook mode (the web server mounts it), else none."""
        if self.public_url is None:
            return []
        from bot.channels.telegram.webhook import WEBHOOK_PATH, webhook_handler

        handler = webhook_handler(self.application, self._secret(), lambda: self._accepting)
        return [("POST", WEBHOOK_PATH, handler)]

    def _secret(self) -> str:
        from bot.channels.telegram.webhook import webhook_secret

        return webhook_secret(self.application.bot.token)

    @property
    def bot(self):
        return self.application.bot

    def bind(self, core: Core) -> None:
        super().bind(core)
        self.application.bot_data["core"] = core  # where the update handler finds it

    async def start(self) -> None:
        app = self.application
        await app.initialize()
        self._started = True
        locale = app.bot_data["core"].settings.locale if "core" in app.bot_data else "vi"
        try:
            await app.bot.set_my_commands(commands(locale))
        except TelegramError as exc:  # the menu of commands is a nicety: serve without it
            log.warning("could not set the bot's command list: %s", exc)
        await app.start()
        if self.public_url is not None:
            from bot.channels.telegram.webhook import set_webhook

            self._accepting = True
            await set_webhook(app, self.public_url, self._secret())  # the server listens
            return
        await app.updater.start_polling(
            poll_interval=0,
            timeout=int(self.poll_timeout),  # the Bot API takes whole seconds
            allowed_updates=ALLOWED_UPDATES,
            error_callback=self._polling_error,
        )
        log.info("Telegram: polling as @%s", app.bot.username)

    def _polling_error(self, exc: TelegramError) -> None:
        if isinstance(exc, Conflict):
            if self.failure is None:
                self.failure = (
                    "Telegram refused polling (409 Conflict: another process polls this bot "
                    "token, or a webhook is set): stop the other bot or delete the webhook, "
                    "then start again"
                )
            self.ended.set()
            return
        log.warning("polling Telegram failed, retrying: %s", exc)

    async def stop(self) -> None:
        self._accepting = False
        if not self._started:
            return
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        self._started = False

    async def deliver(
        self, chat_id: str, reply: Reply, *, skip: int = 0, on_part: PartDone | None = None
    ) -> None:
        try:
            await send(
                self.application.bot, chat_id, reply, skip=skip, on_part=on_part, no_retry=True
            )
        except TelegramError as exc:
            error = delivery_error(exc)
            if error is None:
                raise
            raise error from exc
