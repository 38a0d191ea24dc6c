"""Run the Zalo channel for real, built by `motcua run`'s composition root (bot/app.py): the
runtime (core, lease, jobs, drainers), the one HTTP server (bot/web) serving the channel's
webhook, /healthz and /metrics on 127.0.0.1, the channel's httpx client talking to FakeZalo,
a real SQLite file."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from conftest import make_settings
from fakezalo import FakeZalo

from bot.app import App, build
from bot.channels.zalo import ZaloChannel
from bot.core import Core
from bot.runtime import Runtime

INFO_IMAGE = "https://oa.example/logo.png"  # a string the fake checks; nothing fetches it


def zalo_env(fz: FakeZalo, **env: str) -> dict[str, str]:
    base = {
        **fz.bot_env(),
        "MOTCUA_ZNS_TEMPLATE_DOSSIER": "1001",
        "MOTCUA_ZNS_TEMPLATE_FEEDBACK": "1002",
        "MOTCUA_ZALO_INFO_IMAGE_URL": INFO_IMAGE,
    }
    base.update(env)
    return base


@dataclass
class ZaloBot:
    app: App
    channel: ZaloChannel
    webhook_url: str
    application: object = None  # the Telegram Application when the desk runs too

    @property
    def runtime(self) -> Runtime:
        return self.app.runtime

    @property
    def core(self) -> Core:
        return self.app.core


@contextlib.asynccontextmanager
async def running_zalo(tmp_path, fz: FakeZalo, api=None, **env: str) -> AsyncIterator[ZaloBot]:
    """The bot as `motcua run` starts it: the runtime with the Zalo channel (and Telegram,
    for the officials, when `api` is a FakeBotApi); the fake posts to its webhook."""
    if api is not None:
        env = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url, **env}
    env = {"MOTCUA_HTTP_LISTEN": "127.0.0.1:0", **env}  # any free port
    settings = make_settings(tmp_path, **zalo_env(fz, **env))
    # what `motcua run` starts for these settings (Telegram polling with a short timeout,
    # so the test stops quickly)
    app = build(settings, drain_idle=0.1, poll_timeout=1)
    channel = app.channel("zalo")
    channel.retry_base = 0.05
    async with app:
        url = f"http://127.0.0.1:{app.server.port}/zalo/webhook"
        fz.webhook_url = url
        if api is not None:
            await api.wait_polling()
        telegram = app.channel("telegram").application if api is not None else None
        yield ZaloBot(app, channel, url, telegram)
