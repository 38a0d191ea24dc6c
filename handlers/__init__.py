"""The channel-neutral conversation's future home (issue 15, point 3).

Telegram's glue that lived here moved to bot/channels/telegram/: one python-telegram-bot
handler hands every update to the core's entry point (bot/dispatch.py).
"""
