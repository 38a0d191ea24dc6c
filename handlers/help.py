"""/help: how to ask, the commands, the privacy notice."""

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.channels.telegram_io import respond
from bot.dialog import menu


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain how to use the bot."""
    await respond(update, context, menu.help_)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("help", help_command))
