"""/lang and the language buttons; the choice is remembered per user."""

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.channels.telegram_io import respond
from bot.dialog import menu


async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer Tiếng Việt / English."""
    await respond(update, context, menu.choose_language)


async def command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lang shows the chooser; /lang en, /lang vi switch at once."""
    await respond(update, context, menu.language_command, " ".join(context.args or []))


async def chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Remember the language the user pressed."""
    code = (update.callback_query.data or "").partition(":")[2]
    await respond(update, context, menu.set_language, code)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("lang", command))
    application.add_handler(CallbackQueryHandler(choose, pattern=r"^lang$"))
    application.add_handler(CallbackQueryHandler(chosen, pattern=r"^lang:"))
