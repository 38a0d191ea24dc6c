"""Telegram as a channel of the runtime: polling in, Bot API calls out.

The handlers (handlers/) find the core in `application.bot_data["core"]`, put
there by `bind`. Start and stop are python-telegram-bot's own steps without
`run_polling`, which would own the event loop the runtime runs in.

Telegram answers getUpdates with 409 Conflict when another process polls the same
bot (or a webhook is set): retrying cannot fix that, so the channel ends with one
line saying so and the runtime exits non-zero.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application

from bot.channels.base import PHONE_CONTACT, Capabilities, GiveUp, PartDone, RetryLater
from bot.channels.telegram_app import ALLOWED_UPDATES, build_application, commands
from bot.channels.telegram_io import send
from bot.core import Core
from bot.reply import Reply
from bot.settings import Settings

log = logging.getLogger(__name__)

CAPABILITIES = Capabilities(
    edit_in_place=True,
    buttons_per_message=100,
    text_limit=4096,
    markup="html",
    phone_proof=PHONE_CONTACT,
    per_chat_interval=1.0,  # about one message a second in one chat
)


class TelegramChannel:
    name = "telegram"
    capabilities = CAPABILITIES

    def __init__(self, application: Application, *, poll_timeout: int = 10):
        self.application = application
        self.poll_timeout = poll_timeout
        self.ended = asyncio.Event()  # set when polling cannot go on (the runtime stops)
        self.failure: str | None = None
        self._started = False

    @classmethod
    def from_settings(
        cls, settings: Settings, *, rate_limiter: bool = True, poll_timeout: int = 10
    ) -> TelegramChannel:
        application = build_application(settings, rate_limiter=rate_limiter)
        return cls(application, poll_timeout=poll_timeout)

    @property
    def bot(self):
        return self.application.bot

    def bind(self, core: Core) -> None:
        self.application.bot_data["core"] = core

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
        except RetryAfter as exc:
            delay = exc.retry_after
            seconds = delay.total_seconds() if hasattr(delay, "total_seconds") else delay
            raise RetryLater(str(exc), float(seconds)) from exc
        except Forbidden as exc:  # blocked by the user, kicked from the group
            raise GiveUp(str(exc)) from exc
        except BadRequest as exc:  # chat not found, bad markup: retrying will not help
            raise GiveUp(str(exc)) from exc
        except (TimedOut, NetworkError) as exc:  # TimedOut is a NetworkError; 5xx too
            raise RetryLater(str(exc), 0.0) from exc
