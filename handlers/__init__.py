"""Telegram glue: one file per feature, each with `register(application)`.

The order here is the whole bot's wiring: specific handlers first, the
fallbacks (unknown commands, media, stray buttons) last.
"""

from telegram.ext import Application

from handlers import (
    dossiers,
    errors,
    fallback,
    feedback,
    help,
    lang,
    officials,
    procedures,
    ratings,
    start,
)

FEATURES = (start, help, lang, dossiers, officials, ratings, feedback, procedures, fallback, errors)


def register_all(application: Application) -> None:
    for feature in FEATURES:
        feature.register(application)
