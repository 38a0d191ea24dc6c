"""One turn of the conversation: the core services, the message, the user's language."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import Core
from bot.i18n import Translator
from bot.people.officials import Official
from handlers.incoming import Incoming


@dataclass
class Turn:
    core: Core
    msg: Incoming
    t: Translator
    official: Official | None = None  # set by the router on the officials' routes
