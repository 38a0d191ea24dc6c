"""The one python-telegram-bot handler: every update goes to the core's entry point
(bot/dispatch.py), which holds the person's lock, answers and apologises; this module only
sends what comes back, the Telegram way (edit the pressed message, answer the button's
query, notices as a pop-up, none in a group), and queues what cannot go now."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler

from bot import dispatch
from bot.channels.base import GiveUp
from bot.channels.telegram.incoming import incoming
from bot.channels.telegram.outgoing import delivery_error, edit, popup, send
from bot.core import Core
from bot.reply import Reply
from bot.unsent import queue_rest

log = logging.getLogger(__name__)


async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Translate, hand to the core, send the replies."""
    msg = incoming(update, context.bot.username)
    if msg is None:
        return
    core = context.application.bot_data["core"]
    await dispatch.handle(core, msg, answerer(update, context.bot, core))


def answerer(update: Update, bot, core: Core) -> dispatch.Answer:
    """Sends one update's replies; what Telegram refuses for now (rate limit, network) goes
    to the outbox with what follows it. Called again with the apology when sending failed
    for good (an error the entry point logs)."""
    query = update.callback_query
    queried = False

    async def answer(replies: list[Reply]) -> None:
        nonlocal queried
        if query is not None:
            notices = [r for r in replies if r.notice]
            replies = [r for r in replies if not r.notice]
            if not queried:  # a button press gets exactly one answerCallbackQuery
                queried = True
                await query.answer(**popup(notices))
        chat = update.effective_chat
        if chat is None:
            return
        if chat.type != ChatType.PRIVATE:  # a typed command in a group
            replies = [r for r in replies if not r.notice]
        pressed = query.message if query is not None else None
        for n, reply in enumerate(replies):
            if reply.edit and pressed is not None and await edit(bot, pressed, reply):
                continue
            parts = 0

            async def sent(count: int) -> None:
                nonlocal parts
                parts = count

            try:
                await send(bot, chat.id, reply, on_part=sent)
            except TelegramError as exc:
                error = delivery_error(exc)
                if error is None or isinstance(error, GiveUp):
                    raise  # the entry point logs it and tries the apology
                # reply now, queue the rest (the drainer sends it, without this part again)
                await queue_rest(core.db, "telegram", str(chat.id), replies[n:], parts, error)
                return

    return answer


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The last net, for a failure outside the core (the core apologises for its own)."""
    log.error("update failed: %s", context.error, exc_info=context.error)


def register(application: Application) -> None:
    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(on_error)
