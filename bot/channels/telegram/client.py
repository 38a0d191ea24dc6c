"""The Telegram bot object MotCua sends with: python-telegram-bot's ExtBot plus a lean send.

Every reply to a citizen is fire-and-forget: nothing reads the Message Telegram
answers with. `Bot.send_message` turns that answer into a Message object all the
same, which costs more than building and sending the request. `send_html` sends
through the same stack (defaults, rate limiter, HTTP request, errors raised as
usual) and leaves the answer as the JSON it came in.

Two more guards live here. An update python-telegram-bot cannot parse would make
every getUpdates fail on the same batch forever: it is logged once and replaced by a
bare update with its id, so polling moves past it. And a 429 for one chat holds up
only that chat: python-telegram-bot's AIORateLimiter pauses every call of the bot
while it waits out a retry_after, so one citizen's flood wait would stall everyone's
replies and the outbox. `RateLimiter` retries a call to a chat by itself (the next
calls to that chat wait too), and the outbox's sends ask it not to retry at all
(`no_retry`): the drainer delays that chat's lane instead.
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
from telegram.error import NetworkError, RetryAfter
from telegram.ext import AIORateLimiter, BaseRateLimiter, ExtBot
from telegram.request import BaseRequest, HTTPXRequest

log = logging.getLogger(__name__)
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
NO_RETRY = -1  # rate_limit_args: raise RetryAfter at once, pause nothing else


class RateLimiter(AIORateLimiter):
    """AIORateLimiter (~30 calls/s overall, 20/min per group); a 429 for a call to a chat
    waits for that chat only (up to `max_retries` times), NO_RETRY calls raise it at once.
    Calls without a chat (getMe, answerCallbackQuery...) keep AIORateLimiter's own retry."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._chat_free_at: dict[int | str, float] = {}  # chat -> loop time its wait ends

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        chat_id = data.get("chat_id")
        if chat_id is None:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)
        group = chat_id if (isinstance(chat_id, int) and chat_id < 0) else False
        if isinstance(chat_id, str):
            group = chat_id
        no_retry = rate_limit_args == NO_RETRY
        retries = 0 if no_retry else (rate_limit_args or self._max_retries)
        loop = asyncio.get_running_loop()
        for attempt in range(retries + 1):
            wait = self._chat_free_at.get(chat_id, 0.0) - loop.time()
            if wait > 0 and not no_retry:
                await asyncio.sleep(wait)
            try:
                return await self._run_request(
                    chat=True,
                    group=group,
                    allow_paid_broadcast=data.get("allow_paid_broadcast", False),
                    callback=callback,
                    args=args,
                    kwargs=kwargs,
                )
            except RetryAfter as exc:
                delay = _seconds(exc.retry_after) + 0.1
                self._hold(chat_id, delay, loop.time())
                if attempt == retries:
                    raise
                log.info("429 for chat %s: retrying it alone in %.1fs", chat_id, delay)
        raise AssertionError("unreachable")  # the last attempt returns or raises

    def _hold(self, chat_id: int | str, seconds: float, now: float) -> None:
        if len(self._chat_free_at) > 10_000:
            self._chat_free_at = {c: t for c, t in self._chat_free_at.items() if t > now}
        self._chat_free_at[chat_id] = max(self._chat_free_at.get(chat_id, 0.0), now + seconds)


def _seconds(delay: Any) -> float:
    """retry_after is a timedelta (PTB_TIMEDELTA) or a number of seconds."""
    return delay.total_seconds() if hasattr(delay, "total_seconds") else float(delay)


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
