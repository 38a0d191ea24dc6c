"""Can a complaint reach someone? Per agency, the desk's route and the leaders' route.

`motcua run` refuses to start when one cannot (a report about staff that reaches
no one is worse than no bot), `motcua check` prints them and /healthz reports them.
A route counts only when its channel actually runs here.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.feedback.model import HARASSMENT
from bot.feedback.routing import chat_route, or_leaders, targets
from bot.settings import Settings
from bot.store import people

NETWORK_CHANNELS = ("telegram", "zalo")


def live_channels(settings: Settings) -> frozenset[str]:
    """The channels `motcua run` starts with these settings (the terminal when none)."""
    live = {"telegram"} if settings.has_telegram else set()
    if settings.has_zalo:
        live.add("zalo")
    return frozenset(live or {"terminal"})


@dataclass(frozen=True)
class RouteState:
    agency: str
    kind: str  # officials: ordinary complaints · leaders: reports about staff
    how: str  # the route's reason (agency, officials, leaders, roster_leaders, no_chat, ...)
    reachable: bool

    def line(self, names: dict[str, str]) -> str:
        state = "reachable" if self.reachable else "NOT reachable"
        name = names.get(self.agency, "")
        return f"route {self.kind} {self.agency} ({name}): {state} via {self.how}"


async def route_states(
    db, settings: Settings, live: frozenset[str] | None = None
) -> list[RouteState]:
    """Each agency's two routes, judged against the channels that run (reads only)."""
    live = live_channels(settings) if live is None else live
    leaders = targets(await people.leaders(db))
    states = []
    for agency in settings.agencies:
        for kind, category in (("officials", "khac"), ("leaders", HARASSMENT)):
            way = or_leaders(chat_route(settings, category, agency.code), leaders)
            ok = any(t.channel in live for t in way.targets)
            states.append(RouteState(agency.code, kind, way.reason, ok))
    return states


def refusal(states: list[RouteState]) -> str | None:
    """The one line `motcua run` stops with, or None when every route reaches someone."""
    lost = [s for s in states if not s.reachable]
    if not lost:
        return None
    kinds = "reports about staff" if any(s.kind == "leaders" for s in lost) else "complaints"
    agencies = ", ".join(sorted({s.agency for s in lost}))
    return (
        f"{kinds} for agency {agencies} would reach no one: set MOTCUA_LEADERS_CHAT_ID"
        " (a chat other than the officials') or add a leader:"
        " motcua officials add USER_ID --role leader"
    )


def health_data(states: list[RouteState]) -> dict:
    """For /healthz: per agency, whether each route reaches someone (no ids)."""
    out: dict[str, dict] = {}
    for s in states:
        out.setdefault(s.agency, {})[s.kind] = {"reachable": s.reachable, "via": s.how}
    return out
