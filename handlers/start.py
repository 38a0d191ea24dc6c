"""/start and the main menu button."""

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.channels.telegram_io import respond
from bot.dialog import menu


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet, state the privacy notice, show the main menu."""
    await respond(update, context, menu.start)


async def show_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the main menu again."""
    await respond(update, context, menu.menu)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("menu", show_menu))
    application.add_handler(CallbackQueryHandler(show_menu, pattern=r"^menu$"))
