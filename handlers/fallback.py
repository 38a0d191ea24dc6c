"""What no feature took: unknown commands, stickers, photos, files, stray buttons."""

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.channels.telegram_io import respond
from bot.dialog import menu, router


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Name the command we do not know and point to /help."""
    text = update.effective_message.text or "/"
    head = text[1:].split(maxsplit=1)[0] if len(text) > 1 else ""
    name, _at, addressee = head.partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # `/start@OtherBot` in a group is for that bot, not for us
    await respond(update, context, router.unknown_command, name)


async def media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice, files: text only, except photos/locations in a feedback form."""
    await respond(update, context, router.on_media)


async def later_feature(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Menu entries whose service is not open in the chat yet, and stale buttons."""
    await respond(update, context, menu.coming_soon)


def register(application: Application) -> None:
    application.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL, media)
    )
    application.add_handler(CallbackQueryHandler(later_feature))
