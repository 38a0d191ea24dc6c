"""Feedback and complaints (phản ánh, kiến nghị): tickets, routing, deadlines, publishing."""

from bot.feedback.model import CATEGORIES, Attachment, Draft, FeedbackRefused, Ticket
from bot.feedback.repository import FeedbackService, Pending, Published

__all__ = [
    "CATEGORIES",
    "Attachment",
    "Draft",
    "FeedbackRefused",
    "FeedbackService",
    "Pending",
    "Published",
    "Ticket",
]
