"""Build the Telegram Application: the bot object and every handler, nothing started.

The runtime (bot/runtime.py, through bot/channels/telegram/channel.py) opens the core,
binds it into `bot_data["core"]` and starts polling; tests and benches may build
an application and bind a core themselves.
"""

from __future__ import annotations

import logging
import os

from telegram import BotCommand
from telegram.ext import Application, ApplicationBuilder
from telegram.request import BaseRequest

from bot.channels.telegram.client import RateLimiter, make_bot
from bot.i18n import translator
from bot.settings import Settings
from handlers import router

log = logging.getLogger(__name__)
# Opt in to python-telegram-bot's next major behaviour (retry_after as a timedelta) now.
os.environ.setdefault("PTB_TIMEDELTA", "1")
ALLOWED_UPDATES = ["message", "callback_query"]


def commands(locale: str) -> list[BotCommand]:
    """The command menu Telegram shows, from the conversation map's listed commands."""
    _ = translator(locale).gettext
    return [BotCommand(name, _(description)) for name, description in router.listed_commands()]


def build_application(
    settings: Settings, *, rate_limiter: bool = True, request: BaseRequest | None = None
) -> Application:
    """The bot with every handler registered; `request` replaces the HTTP stack (benchmarks)."""
    from bot.channels.telegram import updates

    bot = make_bot(
        str(settings.telegram_token),
        base_url=settings.telegram_api_base_url,
        request=request,
        rate_limiter=RateLimiter(max_retries=3) if rate_limiter else None,
    )
    application = ApplicationBuilder().bot(bot).concurrent_updates(True).build()
    application.bot_data["settings"] = settings
    updates.register(application)
    return application
