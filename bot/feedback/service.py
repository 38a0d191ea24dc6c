"""FeedbackService: tickets in, officials' actions, citizens' updates, what may be read.

One object for the dialog, the jobs and the CLI, put together from the citizens'
side, the officials' side and the queries (each in its own module); SQL lives in
bot/store/feedback.py.
"""

from __future__ import annotations

from bot.feedback.citizens import CitizenActions
from bot.feedback.model import CATEGORIES, FeedbackRefused, Pending, Published
from bot.feedback.queries import TicketQueries
from bot.feedback.staff import StaffActions

__all__ = ["CATEGORIES", "FeedbackRefused", "FeedbackService", "Pending", "Published"]


class FeedbackService(CitizenActions, StaffActions, TicketQueries):
    """Each change, its event (who, when) and the domain event it records commit in one
    transaction; `notices` turns that event into outbox messages in the same transaction,
    so a crash never leaves a ticket changed and its citizen or desk untold, nor tells
    anyone twice. No text is rendered here."""
