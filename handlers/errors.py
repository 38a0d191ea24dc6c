"""The last net: log the error, tell the user briefly, never show a stack trace."""

import logging

from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.channels.telegram.outgoing import respond
from bot.dialog import router

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log with the update kind; apologise in the user's language when there is a chat."""
    log.error("update failed: %s", context.error, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat:
        try:
            await respond(update, context, lambda turn: _sorry(turn))
        except Exception:  # the apology itself failed (network): logging is all we can do
            log.exception("could not apologise")


async def _sorry(turn):
    return [router.sorry(turn)]


def register(application: Application) -> None:
    application.add_error_handler(on_error)
