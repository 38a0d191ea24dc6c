"""Telegram's handlers, registered from the conversation map, in the order that matters.

python-telegram-bot runs the first handler that matches, so: every command of the
map (private-only ones filtered to private chats: in a group they fall through to
"unknown command"), then any other command, then text, a shared contact and media,
then one callback handler per button prefix of the map, then stale buttons.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.telegram.outgoing import respond
from bot.dialog import router

PRIVATE = filters.ChatType.PRIVATE
CHATS = filters.ChatType.PRIVATE | filters.ChatType.GROUPS


def action_pattern(prefix: str) -> str:
    """The callback data of a prefix: `d:...` for "d", and "menu" alone for "menu"."""
    return rf"^{re.escape(prefix)}(:|$)"


def command_handler(command: router.Command):
    async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await respond(update, context, command.feature, " ".join(context.args or []))

    return on_command


def action_handler(feature: router.Feature):
    async def on_action(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await respond(update, context, feature, update.callback_query.data or "")

    return on_action


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Name the command we do not know and point to /help."""
    text = update.effective_message.text or "/"
    head = text[1:].split(maxsplit=1)[0] if len(text) > 1 else ""
    name, _at, addressee = head.partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # `/start@OtherBot` in a group is for that bot, not for us
    await respond(update, context, router.unknown_command, name)


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A question (private chat) or the text an official's button waits for (group)."""
    await respond(update, context, router.text, update.effective_message.text or "")


async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await respond(update, context, router.contact)


async def media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos and locations of a feedback form; anything else: we read text."""
    await respond(update, context, router.on_media)


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await respond(update, context, router.on_action, update.callback_query.data or "")


def register(application: Application) -> None:
    for name, command in router.COMMANDS.items():
        handler = command_handler(command)
        if command.private:
            application.add_handler(CommandHandler(name, handler, filters=PRIVATE))
        else:
            application.add_handler(CommandHandler(name, handler))
    application.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(CHATS & filters.TEXT & ~filters.COMMAND, text))
    application.add_handler(MessageHandler(PRIVATE & filters.CONTACT, contact))
    application.add_handler(
        MessageHandler(PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL, media)
    )
    for prefix, feature in router.ACTIONS.items():
        application.add_handler(
            CallbackQueryHandler(action_handler(feature), pattern=action_pattern(prefix))
        )
    application.add_handler(CallbackQueryHandler(stale_button))
