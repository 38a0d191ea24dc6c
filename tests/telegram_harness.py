"""Run the real Application (python-telegram-bot's HTTP stack) against the fake Bot API.

`running_bot` runs the bot the way `motcua run` does, built by the same composition root
(bot/app.py): the runtime (core, lease, jobs, outbox drainer) with the Telegram channel
polling, so the tests see what production would.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from conftest import make_settings
from fakebotapi import FakeBotApi

from bot.app import build


@contextlib.asynccontextmanager
async def running_bot(
    tmp_path, api: FakeBotApi, rate_limiter: bool = True, **env: str
) -> AsyncIterator:
    settings = make_settings(
        tmp_path, TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE_URL=api.base_url, **env
    )
    app = build(settings, rate_limiter=rate_limiter, poll_timeout=1)
    async with app:
        await api.wait_polling()
        yield app.channel("telegram").application


def buttons(call) -> list[tuple[str, str]]:
    """(text, callback_data or url) of an inline keyboard sent with a call."""
    markup = call.params.get("reply_markup") or {}
    return [
        (b["text"], b.get("callback_data") or b.get("url", ""))
        for row in markup.get("inline_keyboard", [])
        for b in row
    ]


def last_keyboard_message(api: FakeBotApi, chat_id: int) -> dict:
    """The newest message in the chat that carries inline buttons."""
    for message in reversed(api.messages(chat_id)):
        if message.get("reply_markup", {}).get("inline_keyboard"):
            return message
    raise AssertionError("no message with buttons in the chat")


def press(api: FakeBotApi, user_id: int, label_part: str) -> None:
    """Press the button whose text contains label_part on the newest keyboard."""
    message = last_keyboard_message(api, user_id)
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if label_part in button["text"] and "callback_data" in button:
                api.push_callback(user_id, message["message_id"], button["callback_data"])
                return
    raise AssertionError(f"no button {label_part!r} in {message['reply_markup']}")


def refused(api: FakeBotApi) -> list:
    """Calls the fake refused (getUpdates long polls that were abandoned are not refusals)."""
    return [r for r in api.requests if r.status >= 400 and r.status != 499]
