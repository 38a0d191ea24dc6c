"""Wire the Telegram Application: resources opened in post_init, closed in post_shutdown."""

from __future__ import annotations

import asyncio
import gc
import logging
import os

from telegram import BotCommand
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder
from telegram.request import BaseRequest

from bot.channels.telegram_bot import make_bot
from bot.channels.telegram_sender import TelegramSender
from bot.core import open_core
from bot.i18n import translator
from bot.notify.reminders import run_reminders
from bot.periodic import every
from bot.settings import Settings

log = logging.getLogger(__name__)
# Opt in to python-telegram-bot's next major behaviour (retry_after as a timedelta) now.
os.environ.setdefault("PTB_TIMEDELTA", "1")


def commands(locale: str) -> list[BotCommand]:
    _ = translator(locale).gettext
    return [
        BotCommand("start", _("main menu")),
        BotCommand("hoso", _("check a dossier by its code")),
        BotCommand("hosocuatoi", _("my dossiers")),
        BotCommand("danhgia", _("rate a returned dossier")),
        BotCommand("phananh", _("send feedback or a complaint")),
        BotCommand("phananhcuatoi", _("my feedback")),
        BotCommand("xoadulieu", _("delete my personal data")),
        BotCommand("huy", _("cancel what I am doing")),
        BotCommand("lang", _("change language")),
        BotCommand("help", _("how to use the bot")),
    ]


def build_application(
    settings: Settings, *, rate_limiter: bool = True, request: BaseRequest | None = None
) -> Application:
    """The bot with every handler registered; `request` replaces the HTTP stack (benchmarks)."""
    from handlers import register_all

    bot = make_bot(
        str(settings.telegram_token),
        base_url=settings.telegram_api_base_url,
        request=request,
        rate_limiter=AIORateLimiter(max_retries=3) if rate_limiter else None,
    )
    application = (
        ApplicationBuilder()
        .bot(bot)
        .concurrent_updates(True)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data["settings"] = settings
    register_all(application)
    return application


async def _post_init(application: Application) -> None:
    settings: Settings = application.bot_data["settings"]
    core = await open_core(settings)
    application.bot_data["core"] = core
    gc.freeze()  # the catalog and its index live as long as the bot: keep them out of GC passes
    await application.bot.set_my_commands(commands(settings.locale))
    sender = TelegramSender(core, application.bot)
    application.bot_data["sender"] = sender
    application.bot_data["sender_task"] = asyncio.create_task(sender.run(), name="outbox-sender")
    application.bot_data["jobs"], application.bot_data["sync"] = background_jobs(core)


def background_jobs(core) -> tuple[list[asyncio.Task], object | None]:
    """Appointment warnings and reminders; the upstream sync when one is configured."""
    settings = core.settings
    jobs = [
        asyncio.create_task(
            every(settings.reminder_interval, lambda: run_reminders(core), "reminders"),
            name="reminders",
        )
    ]
    jobs.append(
        asyncio.create_task(every(3600, lambda: rate_alerts(core), "rate-alerts"), name="alerts")
    )
    jobs.append(
        asyncio.create_task(
            every(settings.reminder_interval, lambda: feedback_deadlines(core), "feedback"),
            name="feedback-deadlines",
        )
    )
    sync = core.tracking_sync() if settings.tracking_url else None
    if sync is not None:
        jobs.append(
            asyncio.create_task(every(settings.sync_interval, sync.run_once, "sync"), name="sync")
        )
    return jobs, sync


async def feedback_deadlines(core):
    """Remind before a feedback deadline; escalate a missed one to the leaders, once."""
    from bot.clock import utcnow
    from bot.feedback.deadlines import run_deadlines

    return await run_deadlines(core.feedback, utcnow())


async def rate_alerts(core) -> list[str]:
    """Leaders hear when an agency's 30-day rate drops below 90% (once per crossing)."""
    from bot.clock import utcnow
    from bot.ratings.alerts import check_rate_alerts

    settings = core.settings
    if settings.leaders_chat_id is None:
        return []
    names = {a.code: a.name for a in settings.agencies}
    return await check_rate_alerts(
        core.db,
        utcnow(),
        settings.timezone,
        settings.leaders_chat_id,
        names=names,
        channel=settings.staff_channel,
    )


async def _post_shutdown(application: Application) -> None:
    jobs = application.bot_data.pop("jobs", [])
    for job in jobs:
        job.cancel()
    await asyncio.gather(*jobs, return_exceptions=True)
    sync = application.bot_data.pop("sync", None)
    if sync is not None:
        await sync.aclose()
    sender: TelegramSender | None = application.bot_data.pop("sender", None)
    task: asyncio.Task | None = application.bot_data.pop("sender_task", None)
    if sender and task:
        sender.stop()
        try:
            await asyncio.wait_for(task, timeout=10)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()
    core = application.bot_data.pop("core", None)
    if core is not None:
        await core.close()


def run_polling(settings: Settings) -> None:
    application = build_application(settings)
    log.info("MotCua is running on Telegram (polling); press Ctrl+C to stop")
    application.run_polling(allowed_updates=["message", "callback_query"])
