"""The Telegram bot object MotCua sends with: python-telegram-bot's ExtBot plus a lean send.

Every reply to a citizen is fire-and-forget: nothing reads the Message Telegram
answers with. `Bot.send_message` turns that answer into a Message object all the
same, which costs more than building and sending the request. `send_html` sends
through the same stack (defaults, rate limiter, HTTP request, errors raised as
usual) and leaves the answer as the JSON it came in.
"""

from __future__ import annotations

from telegram import (
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import ParseMode
from telegram.ext import BaseRateLimiter, ExtBot
from telegram.request import BaseRequest, HTTPXRequest

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


class MotCuaBot(ExtBot):
    __slots__ = ()

    async def send_html(
        self,
        chat_id: int | str,
        text: str,
        *,
        reply_markup: Markup | None = None,
        link_preview_options: LinkPreviewOptions | None = None,
    ) -> dict:
        """sendMessage with HTML parse mode; returns Telegram's answer unparsed."""
        return await self._post(
            "sendMessage",
            {
                "chat_id": chat_id,
                "text": text,
                "parse_mode": ParseMode.HTML,
                "reply_markup": reply_markup,
                "link_preview_options": link_preview_options,
            },
        )


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
