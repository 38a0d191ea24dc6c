"""The composition root: the runtime (core, lease, jobs, drainers), the channels and the web
server, built in one place from the settings, for `motcua run`, the tests and the benches.

    app = build(settings)        # the channels these settings turn on, nothing started
    async with app:              # the HTTP server binds first, then the runtime starts
        ...                      # app.core, app.channel("zalo"), app.server.url
    exit_code = await app.runtime.run()   # what `motcua run` does between listen and close
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.channels.base import Channel
from bot.core import Core
from bot.runtime import Runtime
from bot.settings import Settings
from bot.web.serve import attach, web_server
from bot.web.server import WebServer


def build_channels(
    settings: Settings, *, poll_timeout: int = 10, rate_limiter: bool = True
) -> list[Channel]:
    """Telegram when a token is set, Zalo when its settings are; otherwise the terminal
    chat, so `run` always serves. `poll_timeout` and `rate_limiter` are Telegram's."""
    channels: list[Channel] = []
    if settings.has_telegram:
        from bot.channels.telegram import TelegramChannel

        channels.append(
            TelegramChannel.from_settings(
                settings, rate_limiter=rate_limiter, poll_timeout=poll_timeout
            )
        )
    if settings.has_zalo:
        from bot.channels.zalo import ZaloChannel

        channels.append(ZaloChannel.from_settings(settings))
    if not channels:
        from bot.channels.terminal import TerminalChannel

        logging.getLogger().setLevel(logging.WARNING)
        channels.append(TerminalChannel())
    return channels


@dataclass
class App:
    settings: Settings
    runtime: Runtime
    server: WebServer | None  # None: no webhook and MOTCUA_HTTP_LISTEN not set

    @property
    def core(self) -> Core:
        return self.runtime.core

    def channel(self, name: str) -> Channel:
        return self.runtime.channels[name]

    async def listen(self) -> None:
        """Bind the HTTP server, before anything else is touched (WebServerError: one line)."""
        if self.server is not None:
            await self.server.start()

    async def close(self) -> None:
        if self.server is not None:
            await self.server.stop()

    async def __aenter__(self) -> App:
        await self.listen()
        try:
            await self.runtime.start()
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(self, *exc) -> None:
        try:
            await self.runtime.stop()  # its stop hook closes the server first
        finally:
            await self.close()


def build(
    settings: Settings,
    channels: list[Channel] | None = None,
    *,
    run_jobs: bool = True,
    drain_idle: float = 1.0,
    poll_timeout: int = 10,
    rate_limiter: bool = True,
) -> App:
    """Everything wired, nothing started; `channels` replaces the ones the settings turn on."""
    if channels is None:
        channels = build_channels(settings, poll_timeout=poll_timeout, rate_limiter=rate_limiter)
    runtime = Runtime(settings, channels, run_jobs=run_jobs, drain_idle=drain_idle)
    server = web_server(settings, channels)  # webhooks, /healthz, /metrics (when wanted)
    if server is not None:
        attach(runtime, server)
    return App(settings, runtime, server)
