"""Satisfaction ratings of returned dossiers: storage, statistics, alerts and the public report.

The dialog (invitations, buttons, /danhgia) builds on `Ratings`; the figures
(`stats`) follow the portal's form and Decision 766/QĐ-TTg.
"""

from bot.ratings.model import (
    CHANGE_WINDOW,
    FOLLOW_UPS,
    LEVEL_LABELS,
    LEVELS,
    SATISFIED,
    FollowUp,
    Rating,
    RatingRefused,
)
from bot.ratings.repository import Ratings

__all__ = [
    "CHANGE_WINDOW",
    "FOLLOW_UPS",
    "LEVELS",
    "LEVEL_LABELS",
    "SATISFIED",
    "FollowUp",
    "Rating",
    "RatingRefused",
    "Ratings",
]
