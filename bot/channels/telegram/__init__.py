"""Telegram as a channel: updates in (polling or webhook) through the core's one entry
point, Bot API calls out. python-telegram-bot only translates; the conversation is the core's."""

from bot.channels.telegram.channel import TelegramChannel

__all__ = ["TelegramChannel"]
