"""The HTTP server in `motcua run`: bound before the runtime starts, fed by its hooks.

It starts whenever a webhook is configured (a channel with routes: Telegram in webhook
mode, Zalo) or MOTCUA_HTTP_LISTEN is set explicitly (then /healthz and /metrics are
served while Telegram polls). Binding first means a port in use stops start-up with one
line before the store, the lease or any platform is touched. The runtime's start hook
gives /healthz and /metrics the core (503 "starting" until then); its stop hook, the
first thing the runtime does when stopping, closes the server so no webhook arrives at
a bot that is shutting down.
"""

from __future__ import annotations

from bot.settings import Settings
from bot.web.health import Health, Reading, core_health
from bot.web.scrape import core_collector
from bot.web.server import WebServer


def channel_routes(channel) -> list:
    return list(channel.routes())


def web_server(settings: Settings, channels) -> WebServer | None:
    """The server with every channel's routes mounted, not started; None when not wanted."""
    channels = list(channels)
    if not settings.http_listen_set and not any(channel_routes(c) for c in channels):
        return None
    server = WebServer(settings.http_host, settings.http_port)
    for channel in channels:
        server.mount(channel)
    return server


def attach(runtime, server: WebServer) -> None:
    """Serve the runtime's health and metrics once it started; stop first when it stops."""

    async def started(runtime) -> None:
        core = runtime.core
        server.serve_health(runtime_health(runtime))
        collector = core_collector(core)
        collector.add(token_reader(runtime.channels), TOKEN_GAUGE)
        collector.add(refusal_reader(runtime.channels), REFUSAL_GAUGE)
        server.serve_metrics(core.metrics.registry, collector)

    async def stopping(runtime) -> None:
        await server.stop()

    runtime.on_start.append(started)
    runtime.on_stop.append(stopping)


def runtime_health(runtime) -> Health:
    """The core's probes, who holds the runner lease, and each channel that reports its
    own state (`health()` not None, e.g. Zalo: its access token's expiry)."""
    health = core_health(runtime.core)
    health.add("runner", lease_probe(runtime))
    for name, channel in runtime.channels.items():
        health.add(name, channel_probe(channel))
    return health


TOKEN_GAUGE = (
    "motcua_channel_token_expires_in_seconds",
    "Seconds until a channel's access token expires (negative: expired)",
    "channel",
)


def _expires_in(report: dict) -> float | None:
    """Seconds until `token_expires_at` (ISO 8601) in a channel's report; None if absent."""
    from datetime import datetime

    from bot.clock import utcnow

    when = report.get("token_expires_at")
    if not when:
        return None
    moment = datetime.fromisoformat(str(when).replace("Z", "+00:00"))
    return (moment - utcnow()).total_seconds()


def channel_probe(channel):
    """A channel's report; its own `problems` (a list) and an expired token degrade it."""

    async def probe() -> Reading | None:
        report = await channel.health()
        if report is None:  # nothing of its own to report: not listed
            return None
        report = dict(report)
        problems = list(report.pop("problems", []))
        left = _expires_in(report)
        if left is not None:
            report["token_expires_in_seconds"] = round(left)
            if left <= 0:
                problems.append("the access token has expired")
        return Reading(report, problems)

    return probe


REFUSAL_GAUGE = (
    "motcua_channel_refusals_today",
    "Refusals today that only a platform admin can fix (Zalo: ZCA, tier, permission), by code",
    "code",
)


def refusal_reader(channels: dict):
    async def read() -> dict:
        found: dict[str, float] = {}
        for channel in channels.values():
            report = await channel.health() or {}
            for code, n in report.get("refusals_today", {}).items():
                found[code] = found.get(code, 0) + n
        return {REFUSAL_GAUGE[0]: found}

    return read


def token_reader(channels: dict):
    async def read() -> dict:
        found = {}
        for name, channel in channels.items():
            left = _expires_in(await channel.health() or {})
            if left is not None:
                found[name] = left
        return {TOKEN_GAUGE[0]: found}

    return read


def lease_probe(runtime):
    """The lease holder (host, pid, last heartbeat): this process, or a problem."""
    from bot.clock import utcnow
    from bot.store.lease import current_holder

    async def probe() -> Reading:
        holder = await current_holder(runtime.core.db)
        if holder is None:
            return Reading(None, ["nobody holds the runner lease"])
        now = utcnow()
        mine = runtime.lease is not None and holder.holder == runtime.lease.holder
        data = {
            "host": holder.host,
            "pid": holder.pid,
            "this_process": mine,
            "heartbeat_age_seconds": round((now - holder.heartbeat_at).total_seconds()),
        }
        problems = []
        if not mine:
            problems.append(f"the lease is held by pid {holder.pid} on {holder.host}")
        elif holder.expires_at < now:
            problems.append("the lease expired (heartbeats stalled)")
        return Reading(data, problems)

    return probe
