"""WebServer: the one HTTP listener of a runtime (MOTCUA_HTTP_LISTEN).

Mounts the channels' webhook routes (`Channel.routes()`: (method, path, aiohttp handler)
tuples), `GET /healthz` and `GET /metrics`. It runs in
the bot's own event loop; `start` fails with WebServerError (one line) when the address
cannot be bound, before anything else is started.
"""

from __future__ import annotations

import errno
import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from bot.web.health import Health
from bot.web.scrape import StoreCollector

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Route = tuple[str, str, Handler]


class WebServerError(RuntimeError):
    """The server cannot run (address in use, not allowed); the message is one line."""


class WebServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 8080, shutdown_timeout: float = 5.0):
        self.host = host
        self.port = port  # the bound port once started (port 0 picks a free one)
        self.shutdown_timeout = shutdown_timeout
        self.health: Health | None = None
        self.registry: CollectorRegistry | None = None
        self.collector: StoreCollector | None = None
        self._routes: list[Route] = []
        self._runner: web.AppRunner | None = None

    # What it serves ---------------------------------------------------------------------
    def route(self, method: str, path: str, handler: Handler) -> None:
        if self._runner is not None:
            raise RuntimeError("routes are fixed once the server started")
        if any(m == method.upper() and p == path for m, p, _ in self._routes):
            raise ValueError(f"route {method} {path} is mounted twice")
        self._routes.append((method.upper(), path, handler))

    def mount(self, channel) -> int:
        """Mount a channel's webhook routes, if it has any; returns how many."""
        found = list(channel.routes())
        for method, path, handler in found:
            self.route(method, path, handler)
        return len(found)

    def serve_health(self, health: Health) -> None:
        self.health = health

    def serve_metrics(self, registry: CollectorRegistry, collector: StoreCollector | None) -> None:
        if collector is not None:
            registry.register(collector)
        self.registry, self.collector = registry, collector

    # Life cycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz, allow_head=False)
        app.router.add_get("/metrics", self._metrics, allow_head=False)
        for method, path, handler in self._routes:
            app.router.add_route(method, path, handler)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=self.shutdown_timeout)
        await runner.setup()
        # A burst of webhook connections (Telegram opens up to 40, Zalo more) must not
        # overflow the accept queue: a dropped SYN costs the sender a 1 s retransmit.
        site = web.TCPSite(runner, self.host, self.port, backlog=1024)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            why = "the address is already in use" if exc.errno == errno.EADDRINUSE else exc.strerror
            raise WebServerError(
                f"MOTCUA_HTTP_LISTEN: cannot listen on {self.host}:{self.port}: {why}"
            ) from None
        self._runner = runner
        if runner.addresses:
            self.port = runner.addresses[0][1]
        log.info(
            "HTTP server on %s:%s (%s)",
            self.host,
            self.port,
            ", ".join(["/healthz", "/metrics"] + [f"{m} {p}" for m, p, _ in self._routes]),
        )

    async def stop(self) -> None:
        """Stop accepting, let requests in flight finish (up to shutdown_timeout)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # Built-in routes ----------------------------------------------------------------------
    async def _healthz(self, request: web.Request) -> web.Response:
        if self.health is None:
            healthy, report = False, {"status": "starting", "problems": ["starting"]}
        else:
            healthy, report = await self.health.check()
        return web.Response(
            status=200 if healthy else 503,
            text=json.dumps(report, ensure_ascii=False, indent=1),
            content_type="application/json",
            headers={"Cache-Control": "no-store"},
        )

    async def _metrics(self, request: web.Request) -> web.Response:
        if self.registry is None:
            return web.Response(status=503, text="starting\n")
        if self.collector is not None:
            await self.collector.refresh()
        return web.Response(
            body=generate_latest(self.registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )
