"""Feedback and complaints (phản ánh, kiến nghị): tickets, routing, deadlines, publishing."""

from bot.feedback.model import (
    CATEGORIES,
    Attachment,
    Draft,
    FeedbackRefused,
    Pending,
    Published,
    Ticket,
)
from bot.feedback.service import FeedbackService

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
