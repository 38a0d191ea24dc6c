"""A Telegram update as the core reads it: one platform-free `Incoming`, or None when the
update is not for the bot (a command addressed to another bot, a service message, anything
but text in a group), exactly what python-telegram-bot's filters let through before."""

from __future__ import annotations

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import filters

from handlers.incoming import ACTION, CONTACT, MEDIA, TEXT, Incoming

CHATS = (ChatType.PRIVATE, ChatType.GROUP, ChatType.SUPERGROUP)


def incoming(update: Update, bot_username: str | None) -> Incoming | None:
    user = update.effective_user
    chat = update.effective_chat
    private = chat is None or chat.type == ChatType.PRIVATE
    base = {
        "channel": "telegram",
        "user_id": str(user.id) if user else "",
        "chat_id": str(chat.id) if chat else "",
        "language_code": user.language_code if user else None,
        "private": private,
    }
    if update.callback_query:
        return Incoming(kind=ACTION, text=update.callback_query.data or "", **base)
    message = update.message
    if message is None or (chat is not None and chat.type not in CHATS):
        return None
    if message.text is not None:
        text = command_text(message, bot_username)
        return None if text is None else Incoming(kind=TEXT, text=text, **base)
    if not private or filters.StatusUpdate.ALL.check_update(update):
        return None  # in a group only text is for the bot; service messages never are
    if message.contact:
        contact = message.contact
        return Incoming(
            kind=CONTACT,
            contact_phone=contact.phone_number,
            contact_user_id=str(contact.user_id) if contact.user_id else None,
            **base,
        )
    if message.photo:
        largest = message.photo[-1]
        return Incoming(kind=MEDIA, file_id=largest.file_id, file_size=largest.file_size, **base)
    if message.location:
        loc = message.location
        return Incoming(kind=MEDIA, latitude=loc.latitude, longitude=loc.longitude, **base)
    return Incoming(kind=MEDIA, **base)


def command_text(message: Message, bot_username: str | None) -> str | None:
    """The text, a command rewritten as `/name args` (the words after it, as PTB's
    CommandHandler reads them); None for `/start@OtherBot`, which is that bot's."""
    text = message.text or ""
    first = message.entities[0] if message.entities else None
    if first is None or first.type != MessageEntity.BOT_COMMAND or first.offset != 0:
        return text
    name, _at, addressee = text[1 : first.length].partition("@")
    if addressee and addressee.lower() != (bot_username or "").lower():
        return None
    args = text.split()[1:]
    return "/" + " ".join([name, *args])
