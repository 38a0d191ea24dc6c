"""Which staff hear about a ticket, and whether anyone can.

A commune's desk handles its own tickets; a report that staff harassed a
citizen or sought favours goes to the leaders only (domain.md), and never to
the desk it is about — not even when the leaders' chat falls back to it. When
no chat fits, each leader on the roster hears of it on their own channel, so a
complaint always reaches someone; `motcua run` refuses to start otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.feedback.model import HARASSMENT
from bot.settings import Settings
from bot.store import people


@dataclass(frozen=True)
class Target:
    channel: str
    chat_id: str


@dataclass(frozen=True)
class Route:
    targets: tuple[Target, ...]
    reason: str  # agency | officials | leaders | roster_leaders | no_chat | leaders_is_desk

    @property
    def ok(self) -> bool:
        return bool(self.targets)

    @property
    def chat_id(self) -> str | None:
        """The first chat (kept on the ticket for later messages about it)."""
        return self.targets[0].chat_id if self.targets else None


def chat_route(settings: Settings, category: str, agency_code: str) -> Route:
    """The configured chat for a ticket, or why there is none (no roster lookup)."""

    def to(chat, reason: str) -> Route:
        return Route((Target(settings.staff_channel, str(chat)),), reason)

    leaders = settings.leaders_chat_id
    if category == HARASSMENT:
        if leaders is None:
            return Route((), "no_chat")
        if leaders == settings.desk_chat(agency_code):
            return Route((), "leaders_is_desk")
        return to(leaders, "leaders")
    agency = settings.agency(agency_code)
    if agency and agency.officials_chat_id is not None:
        return to(agency.officials_chat_id, "agency")
    if settings.officials_chat_id is not None:
        return to(settings.officials_chat_id, "officials")
    if leaders is not None:
        return to(leaders, "leaders")
    return Route((), "no_chat")


def targets(rows) -> tuple[Target, ...]:
    """Roster rows (channel, user_id) as places to send to."""
    return tuple(Target(r["channel"], str(r["user_id"])) for r in rows)


def or_leaders(way: Route, leaders: tuple[Target, ...]) -> Route:
    """The chat when one fits, else each leader on the roster individually."""
    return way if way.ok or not leaders else Route(leaders, "roster_leaders")


async def route(conn, settings: Settings, category: str, agency_code: str) -> Route:
    """Where a ticket goes, inside the caller's transaction."""
    leaders = targets(await people.leaders(conn))
    return or_leaders(chat_route(settings, category, agency_code), leaders)
