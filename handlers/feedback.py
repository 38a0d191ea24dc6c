"""Phản ánh, kiến nghị: the citizen's form, the officials' buttons and replies."""

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
from bot.dialog import feedback, feedback_officials, router


def _args(context: ContextTypes.DEFAULT_TYPE) -> str:
    return " ".join(context.args or [])


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/phananh and the menu entry: start the guided form."""
    await respond(update, context, feedback.start, "")


async def mine(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/phananhcuatoi: the citizen's tickets."""
    await respond(update, context, feedback.mine, "")


async def form_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button of the citizen's form."""
    await respond(update, context, feedback.on_action, update.callback_query.data or "")


async def ticket_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Officials' buttons on an alert; the citizen's satisfied / not satisfied."""
    await respond(update, context, router.on_action, update.callback_query.data or "")


async def reply_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/traloi TICKET text."""
    await respond(update, context, feedback_officials.answer_command, _args(context))


async def overdue(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/phananhquahan: tickets past a deadline."""
    await respond(update, context, feedback_officials.overdue_command, "")


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In the officials' group: a message right after Answer / Need info / Reject is the text."""
    await respond(update, context, router.staff_text, update.effective_message.text)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("phananh", start, filters=filters.ChatType.PRIVATE))
    application.add_handler(CommandHandler("phananhcuatoi", mine))
    application.add_handler(CommandHandler("traloi", reply_command))
    application.add_handler(CommandHandler("phananhquahan", overdue))
    application.add_handler(CallbackQueryHandler(start, pattern=r"^m:fb$"))
    application.add_handler(CallbackQueryHandler(form_button, pattern=r"^fb:"))
    application.add_handler(CallbackQueryHandler(ticket_button, pattern=r"^f:"))
    application.add_handler(
        MessageHandler(filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND, group_text)
    )
