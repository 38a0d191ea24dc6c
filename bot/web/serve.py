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
    routes = getattr(channel, "routes", None)
    return list(routes()) if callable(routes) else []


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
        server.serve_metrics(core.metrics.registry, core_collector(core))

    async def stopping(runtime) -> None:
        await server.stop()

    runtime.on_start.append(started)
    runtime.on_stop.append(stopping)


def runtime_health(runtime) -> Health:
    """The core's probes plus who holds the runner lease."""
    health = core_health(runtime.core)
    health.add("runner", lease_probe(runtime))
    return health


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
