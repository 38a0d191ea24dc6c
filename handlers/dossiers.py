"""Dossier status: /hoso, /hosocuatoi, /xoadulieu, the contact share, the buttons.

A code typed in a message reaches the lookup through the one free-text route
(handlers/procedures.py → router.free_text), after any form waiting for the text.
"""

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.telegram_io import respond
from bot.dialog import dossiers, router


async def hoso(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/hoso CODE (anyone) or /hoso CODE STATUS [note] (officials)."""
    await respond(update, context, router.dossier_command, " ".join(context.args or []))


async def mine(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/hosocuatoi: the verified citizen's dossiers."""
    await respond(update, context, dossiers.mine)


async def delete_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/xoadulieu: ask before deleting the citizen's personal data."""
    await respond(update, context, dossiers.delete_ask)


async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared contact: verify it is the sender's own, then match dossiers."""
    await respond(update, context, dossiers.contact)


async def action(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Buttons: show, follow, verify, consent, my dossiers, delete."""
    await respond(update, context, dossiers.on_action, update.callback_query.data or "")


async def menu_entry(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The main menu's 'check my dossier'."""
    await respond(update, context, dossiers.prompt)


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("hoso", hoso))
    application.add_handler(CommandHandler("hosocuatoi", mine, filters=private))
    application.add_handler(CommandHandler("xoadulieu", delete_data, filters=private))
    application.add_handler(MessageHandler(private & filters.CONTACT, contact))
    application.add_handler(CallbackQueryHandler(action, pattern=r"^d:"))
    application.add_handler(CallbackQueryHandler(menu_entry, pattern=r"^m:dos$"))
