"""Telegram glue: the handlers come from the one conversation map (bot/dialog/router.py).

`routes` registers one handler per command and per button prefix of the map, then
the messages without a command and the fallbacks; `errors` is the last net.
"""

from telegram.ext import Application

from handlers import errors, routes

FEATURES = (routes, errors)


def register_all(application: Application) -> None:
    for feature in FEATURES:
        feature.register(application)
