"""Which chat hears about a ticket.

A commune's desk handles its own tickets; a report that staff harassed a
citizen or sought favours goes to the leaders only (domain.md), and never to
the desk it is about — not even when the leaders' chat falls back to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.feedback.model import HARASSMENT
from bot.settings import Settings


@dataclass(frozen=True)
class Route:
    chat_id: int | None
    reason: str  # agency | officials | leaders | no_chat | leaders_is_desk

    @property
    def ok(self) -> bool:
        return self.chat_id is not None


def route(settings: Settings, category: str, agency_code: str) -> Route:
    if category == HARASSMENT:
        leaders = settings.leaders_chat_id
        if leaders is None:
            return Route(None, "no_chat")
        if leaders == settings.desk_chat(agency_code):
            return Route(None, "leaders_is_desk")
        return Route(leaders, "leaders")
    agency = settings.agency(agency_code)
    if agency and agency.officials_chat_id is not None:
        return Route(agency.officials_chat_id, "agency")
    if settings.officials_chat_id is not None:
        return Route(settings.officials_chat_id, "officials")
    return Route(None, "no_chat")
