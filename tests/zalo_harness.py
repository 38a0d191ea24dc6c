"""Run the Zalo channel for real: its aiohttp webhook on 127.0.0.1, its httpx client
talking to FakeZalo, its outbox drainer, on a real SQLite file."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiohttp import web
from conftest import make_settings
from fakezalo import FakeZalo

from bot.channels.zalo import ZaloChannel
from bot.channels.zalo.drainer import ZaloDrainer
from bot.core import Core, open_core

INFO_IMAGE = "https://oa.example/logo.png"  # a string the fake checks; nothing fetches it


def zalo_env(fz: FakeZalo, **env: str) -> dict[str, str]:
    base = {
        "MOTCUA_ZALO_APP_ID": fz.app_id,
        "MOTCUA_ZALO_APP_SECRET": fz.app_secret,
        "MOTCUA_ZALO_OA_SECRET": fz.oa_secret_key,
        "MOTCUA_ZALO_ACCESS_TOKEN": fz.access_token,
        "MOTCUA_ZALO_REFRESH_TOKEN": fz.refresh_token,
        "MOTCUA_ZALO_API_BASE_URL": fz.urls["openapi"],
        "MOTCUA_ZALO_OAUTH_BASE_URL": fz.urls["oauth"],
        "MOTCUA_ZNS_BASE_URL": fz.urls["zns"],
        "MOTCUA_ZNS_TEMPLATE_DOSSIER": "1001",
        "MOTCUA_ZNS_TEMPLATE_FEEDBACK": "1002",
        "MOTCUA_ZALO_INFO_IMAGE_URL": INFO_IMAGE,
    }
    base.update(env)
    return base


@dataclass
class ZaloBot:
    core: Core
    channel: ZaloChannel
    drainer: ZaloDrainer
    webhook_url: str


@contextlib.asynccontextmanager
async def running_zalo(tmp_path, fz: FakeZalo, **env: str) -> AsyncIterator[ZaloBot]:
    """The bot as `motcua run` starts the Zalo channel; the fake posts to its webhook."""
    import asyncio

    settings = make_settings(tmp_path, **zalo_env(fz, **env))
    core = await open_core(settings)
    channel = ZaloChannel(settings, retry_base=0.05)
    channel.bind(core)
    drainer = ZaloDrainer(core, channel, idle_seconds=0.05)
    channel.on_release = drainer.wake
    await channel.start()
    app = web.Application()
    for method, path, handler in channel.routes():
        app.router.add_route(method, path, handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/zalo/webhook"
    fz.webhook_url = url
    task = asyncio.create_task(drainer.run())
    try:
        yield ZaloBot(core, channel, drainer, url)
    finally:
        drainer.stop()
        await task
        await runner.cleanup()
        await channel.stop()
        await core.close()
