"""Telegram webhook mode: Telegram posts updates to MOTCUA_PUBLIC_URL/telegram/webhook.

The secret token Telegram echoes in `X-Telegram-Bot-Api-Secret-Token` is derived from
the bot token (HMAC-SHA256), so it needs no storage, is the same in every process and
after a restart, and changes when the token is revoked. A request without it, or with
another, is refused before its body is read. A JSON object with an update_id is
answered 200 at once; it becomes PTB's Update just after and is queued to the
Application, which handles it as it would a polled one.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging

from aiohttp import web
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.channels.telegram.application import ALLOWED_UPDATES

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_secret(bot_token: str) -> str:
    """64 hex characters: within Telegram's 1-256 of A-Z a-z 0-9 _ -."""
    return hmac.new(bot_token.encode(), b"motcua telegram webhook", hashlib.sha256).hexdigest()


def webhook_handler(application: Application, secret: str, ready=lambda: True):
    """The aiohttp handler for POST /telegram/webhook. Until `ready()` (the channel is
    started) it answers 503, so Telegram keeps the update and posts it again later."""
    expected = secret.encode()

    async def handle(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return web.Response(status=401, text="missing secret token\n")
        if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected):
            return web.Response(status=403, text="wrong secret token\n")
        if not ready():
            return web.Response(status=503, text="starting or stopping\n")
        try:
            data = json.loads(await request.read())
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return web.Response(status=400, text="not an update\n")
        # Built into PTB's Update after the answer: the ack waits for nothing but this.
        asyncio.get_running_loop().call_soon(queue, data)
        return web.Response(status=200)

    def queue(data: dict) -> None:
        try:
            update = Update.de_json(data, application.bot)
        except Exception as exc:  # a shape PTB cannot read: logged, never raised
            log.warning("webhook update %s not readable: %r", data.get("update_id"), exc)
            return
        application.update_queue.put_nowait(update)  # unbounded: never waits

    return handle


class WebhookError(RuntimeError):
    """Telegram refused the webhook; the message is one line for the operator."""


async def set_webhook(application: Application, public_url: str, secret: str) -> None:
    """Point Telegram at us; updates queued while we were down are kept and delivered."""
    try:
        await application.bot.set_webhook(
            url=public_url + WEBHOOK_PATH, secret_token=secret, allowed_updates=ALLOWED_UPDATES
        )
    except TelegramError as exc:
        raise WebhookError(
            f"MOTCUA_PUBLIC_URL: Telegram refused the webhook {public_url}{WEBHOOK_PATH}:"
            f" {exc.message}"
        ) from None
    log.info("MotCua is running on Telegram (webhook %s%s)", public_url, WEBHOOK_PATH)
