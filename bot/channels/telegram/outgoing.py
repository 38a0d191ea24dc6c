"""Replies out to Telegram: text split under the limit, keyboards, photos, edits in place,
a button's pop-up; the drainer (`deliver`) and the answers to updates share it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import lru_cache

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import CallbackQueryLimit, MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.channels.base import PHONE_CONTACT, Capabilities, DeliveryError, GiveUp, RetryLater
from bot.channels.render import contact_button, lay_out
from bot.channels.telegram.client import MotCuaBot
from bot.reply import Button, Reply

log = logging.getLogger(__name__)
CAPABILITIES = Capabilities(
    edit_in_place=True,
    buttons_per_message=100,
    text_limit=MessageLimit.MAX_TEXT_LENGTH,
    markup="html",
    phone_proof=PHONE_CONTACT,
    per_chat_interval=1.0,  # about one message a second in one chat
)


def _serialised_once(cls):
    """`cls`, but turning itself into a dict once instead of on every send.

    python-telegram-bot rebuilds the dict of every object it sends; a card's
    keyboard (six buttons) costs more to serialise than the rest of the message.
    Telegram objects are immutable, so the first dict stays right.
    """

    class Once(cls):
        __slots__ = ("_as_dict",)

        def to_dict(self, recursive: bool = True) -> dict:
            if not recursive:
                return super().to_dict(recursive)
            try:
                return dict(self._as_dict)  # a copy of the top level: callers may add keys
            except AttributeError:
                with self._unfrozen():
                    self._as_dict = super().to_dict()
                return dict(self._as_dict)

    Once.__name__ = Once.__qualname__ = f"Serialised{cls.__name__}"
    return Once


SerialisedInlineKeyboard = _serialised_once(InlineKeyboardMarkup)
NO_PREVIEW = _serialised_once(LinkPreviewOptions)(is_disabled=True)


def markup(reply: Reply) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None:
    if reply.remove_keyboard and not reply.buttons:
        return ReplyKeyboardRemove()
    contact = contact_button(reply)
    if contact is not None:
        button = KeyboardButton(contact.label, request_contact=True)
        return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)
    if not reply.buttons:
        return None
    return _inline(tuple(tuple(row) for row in reply.buttons))


@lru_cache(maxsize=4096)
def _inline(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    """Cached: Telegram objects are immutable and the same keyboards recur on every card."""
    return SerialisedInlineKeyboard(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.action)
                for b in row
            ]
            for row in rows
        ]
    )


async def send(
    bot: MotCuaBot,
    chat_id: int | str,
    reply: Reply,
    *,
    skip: int = 0,
    on_part: Callable[[int], Awaitable[None]] | None = None,
    no_retry: bool = False,
) -> None:
    """Send one reply, split under Telegram's limit; the buttons go with the last part.

    `skip` leaves out parts delivered before; `on_part(n)` is awaited once the first n
    parts of several went out, so a retry can resume after them (the outbox does);
    `no_retry` raises a 429 at once instead of waiting in the rate limiter.
    """
    if reply.photo is not None:
        await _send_photo(bot, chat_id, reply)
        return
    parts = lay_out(reply, CAPABILITIES).parts  # split as on every channel
    for i, part in enumerate(parts[skip:], start=skip):
        last = i == len(parts) - 1
        await bot.send_html(
            chat_id,
            part,
            reply_markup=markup(reply) if last else None,
            link_preview_options=NO_PREVIEW,
            no_retry=no_retry,
        )
        if on_part is not None and not last:
            await on_part(i + 1)


async def _send_photo(bot, chat_id: int | str, reply: Reply) -> None:
    """A chart with its text as caption, or the text first when it is longer than a caption."""
    caption = reply.text
    if len(caption) > MessageLimit.CAPTION_LENGTH:
        await send(bot, chat_id, Reply(reply.text))
        caption = ""
    await bot.send_photo(
        chat_id,
        photo=reply.photo,
        caption=caption or None,
        parse_mode=ParseMode.HTML if caption else None,
        reply_markup=markup(reply),
    )


def popup(notices: list[Reply]) -> dict:
    """answerCallbackQuery's arguments for the notices of a button press (none: no text)."""
    if not notices:
        return {}
    text = "\n".join(r.plain() for r in notices)
    limit = CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH
    return {"text": text if len(text) <= limit else text[: limit - 1] + "…", "show_alert": True}


async def edit(bot, message, reply: Reply) -> bool:
    """Replace the message whose button was pressed; False when it must be sent anew
    (too long for one message, not inline buttons, or Telegram no longer lets it change)."""
    if (
        reply.photo is not None
        or reply.request_contact
        or reply.remove_keyboard
        or len(reply.text) > MessageLimit.MAX_TEXT_LENGTH
        or getattr(message, "text", None) is None  # a photo's caption, or inaccessible
    ):
        return False
    try:
        await bot.edit_message_text(
            reply.text,
            chat_id=message.chat_id,
            message_id=message.message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=markup(reply),
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as exc:
        if "not modified" in exc.message.lower():  # the same button pressed twice
            return True
        log.info("could not edit message %s: %s", message.message_id, exc.message)
        return False
    return True


def delivery_error(exc: TelegramError) -> DeliveryError | None:
    """Telegram's refusal as the channel-neutral error the outbox understands; None for
    anything else (a bug, a revoked token), which the caller raises as it is."""
    if isinstance(exc, RetryAfter):
        delay = exc.retry_after
        seconds = delay.total_seconds() if hasattr(delay, "total_seconds") else delay
        return RetryLater(str(exc), float(seconds))
    if isinstance(exc, Forbidden):  # blocked by the user, kicked from the group
        return GiveUp(str(exc))
    if isinstance(exc, BadRequest):  # chat not found, bad markup: retrying will not help
        return GiveUp(str(exc))
    if isinstance(exc, NetworkError):  # TimedOut is a NetworkError; 5xx too
        return RetryLater(str(exc), 0.0)
    return None
