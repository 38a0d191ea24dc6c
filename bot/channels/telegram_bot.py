"""The Telegram bot object MotCua sends with: python-telegram-bot's ExtBot plus a lean send.

Every reply to a citizen is fire-and-forget: nothing reads the Message Telegram
answers with. `Bot.send_message` turns that answer into a Message object all the
same, which costs more than building and sending the request. `send_html` sends
through the same stack (defaults, rate limiter, HTTP request, errors raised as
usual) and leaves the answer as the JSON it came in.

Two more guards live here. An update python-telegram-bot cannot parse would make
every getUpdates fail on the same batch forever: it is logged once and replaced by a
bare update with its id, so polling moves past it. And the outbox's sends may ask
the rate limiter not to retry a 429 itself (`no_retry`): AIORateLimiter pauses every
call while it waits, the drainer instead delays only that chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from typing import Any

from telegram import (
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import NetworkError
from telegram.ext import AIORateLimiter, BaseRateLimiter, ExtBot
from telegram.request import BaseRequest, HTTPXRequest

log = logging.getLogger(__name__)
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
NO_RETRY = -1  # rate_limit_args: raise RetryAfter at once, pause nothing else


class RateLimiter(AIORateLimiter):
    """AIORateLimiter (~30 calls/s overall, 20/min per group), plus NO_RETRY calls."""

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        if rate_limit_args != NO_RETRY:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        chat_id = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)
        group = chat_id if (isinstance(chat_id, int) and chat_id < 0) else False
        if isinstance(chat_id, str):
            group = chat_id
        return await self._run_request(
            chat=chat_id is not None,
            group=group,
            allow_paid_broadcast=data.get("allow_paid_broadcast", False),
            callback=callback,
            args=args,
            kwargs=kwargs,
        )


class MotCuaBot(ExtBot):
    __slots__ = ()

    async def send_html(
        self,
        chat_id: int | str,
        text: str,
        *,
        reply_markup: Markup | None = None,
        link_preview_options: LinkPreviewOptions | None = None,
        no_retry: bool = False,
    ) -> dict:
        """sendMessage with HTML parse mode; returns Telegram's answer unparsed."""
        rl = NO_RETRY if no_retry and isinstance(self.rate_limiter, RateLimiter) else None
        return await self._post(
            "sendMessage",
            {
                "chat_id": chat_id,
                "text": text,
                "parse_mode": ParseMode.HTML,
                "reply_markup": reply_markup,
                "link_preview_options": link_preview_options,
            },
            api_kwargs=self._merge_api_rl_kwargs(None, rl),
        )

    async def _post(self, endpoint: str, data: dict | None = None, **kwargs: Any) -> Any:
        if endpoint != "getUpdates":
            return await super()._post(endpoint, data, **kwargs)
        try:
            result = await super()._post(endpoint, data, **kwargs)
        except NetworkError:
            # python-telegram-bot's polling loop retries on a fixed schedule: add jitter,
            # so a network fault does not bring every retry back in the same instant.
            await asyncio.sleep(random.uniform(0.0, 1.0))
            raise
        if isinstance(result, list):
            return [_parseable(raw, self) for raw in result]
        return result


def _parseable(raw: Any, bot: MotCuaBot) -> Any:
    """The update as received, or a bare one with its id when it cannot be parsed."""
    try:
        Update.de_json(raw, bot)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        kinds = sorted(k for k in raw if k != "update_id") if isinstance(raw, dict) else []
        log.error("skipping update %s (%s) that cannot be parsed: %r", update_id, kinds, exc)
        if isinstance(update_id, int):
            return {"update_id": update_id}
        raise
    return raw


def make_bot(
    token: str,
    *,
    base_url: str | None = None,
    request: BaseRequest | None = None,
    rate_limiter: BaseRateLimiter | None = None,
) -> MotCuaBot:
    """The bot as ApplicationBuilder would make it (a pool of 256 connections for
    requests, one for getUpdates), with `request` replacing the former (benchmarks)."""
    kwargs = {"base_url": base_url} if base_url else {}
    return MotCuaBot(
        token,
        request=request or HTTPXRequest(connection_pool_size=256),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
        rate_limiter=rate_limiter,
        **kwargs,
    )
