"""Officials' commands: /quahan (late), /xinloi (apology, new date), /thongke (the 90%).

Status changes are `/hoso CODE STATUS [note]` (handlers/dossiers.py); the
roster check is in the core, so a stranger gets a polite refusal everywhere.
"""

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.channels.telegram_io import respond
from bot.dialog import officials


async def overdue(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List overdue and due-tomorrow dossiers of the official's agency."""
    await respond(update, context, officials.overdue_command)


async def apology(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Record an apology and a new appointment date; the citizen is told."""
    await respond(update, context, officials.apology_command, " ".join(context.args or []))


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The 90% picture: monthly rate per agency, a table and a chart."""
    await respond(update, context, officials.stats_command)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("thongke", stats))
    application.add_handler(CommandHandler("quahan", overdue))
    application.add_handler(CommandHandler("xinloi", apology))
