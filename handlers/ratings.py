"""Satisfaction ratings: /danhgia, the invitation's buttons, follow-ups, 👍/👎 on answers."""

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.channels.telegram_io import respond
from bot.dialog import ratings, router


async def rate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/danhgia [CODE]: rate a returned dossier on request."""
    await respond(update, context, ratings.start, " ".join(context.args or []))


async def menu_entry(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The main menu's 'rate our service'."""
    await respond(update, context, ratings.start, "")


async def buttons(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Level, follow-up answers, comment, done."""
    await respond(update, context, ratings.on_action, update.callback_query.data or "")


async def vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """👍/👎 under a procedure answer."""
    await respond(update, context, ratings.answer_vote, update.callback_query.data or "")


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/huy: leave the current flow."""
    await respond(update, context, router.cancel)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("danhgia", rate))
    application.add_handler(CommandHandler("huy", cancel))
    application.add_handler(CallbackQueryHandler(menu_entry, pattern=r"^m:rate$"))
    application.add_handler(CallbackQueryHandler(buttons, pattern=r"^r:"))
    application.add_handler(CallbackQueryHandler(vote, pattern=r"^a:"))
