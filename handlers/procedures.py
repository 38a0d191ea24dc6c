"""Procedure answers: free-text questions, the card's buttons, and 'send to officials'."""

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.channels.telegram_io import respond
from bot.dialog import life_events, procedures, questions, router


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a question typed in the user's own words (or a flow's awaited text)."""
    await respond(update, context, router.free_text, update.effective_message.text or "")


async def prompt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The menu's 'ask about a procedure' button."""
    await respond(update, context, procedures.prompt)


async def section(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Documents, steps, legal basis, other matches."""
    await respond(update, context, procedures.on_action, update.callback_query.data or "")


async def life_event(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A card's button to its life event's whole group of procedures."""
    await respond(update, context, life_events.on_action, update.callback_query.data or "")


async def send_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pass an unanswered question to the officials."""
    await respond(update, context, questions.on_action, update.callback_query.data or "")


def register(application: Application) -> None:
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, ask)
    )
    application.add_handler(CallbackQueryHandler(prompt, pattern=r"^m:ask$"))
    application.add_handler(CallbackQueryHandler(section, pattern=r"^p:"))
    application.add_handler(CallbackQueryHandler(life_event, pattern=r"^e:"))
    application.add_handler(CallbackQueryHandler(send_question, pattern=r"^q:send:"))
