"""Domain events, and the notices modules that turn them into outbox messages.

A feature's service records what happened (`await record(conn, FeedbackAnswered(...))`)
inside the transaction that changed it; the one notices module registered for that
event decides who hears of it, renders the text in the recipient's language and queues
it in the same transaction, so the change and its messages commit together or not at
all. Services never render text for the outbox.

This module sits below the features: it never imports one. The notices modules are
listed by name in NOTICE_MODULES and imported on first use, so a service used alone (a
test, a CLI command) still tells people, and the composition root need not remember to.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.store.sql import Conn

# One per feature; each registers a handler per event type with `@notice(EventType)`.
NOTICE_MODULES = (
    "bot.feedback.notices",
    "bot.ratings.notices",
    "bot.question_notices",
    "bot.channels.zalo.notices",
    "bot.dossiers.notices",
)


@dataclass(frozen=True)
class Event:
    """Something a feature did that someone may have to hear about."""


E = TypeVar("E", bound=Event)
# (conn, event, settings) -> how many were told (queued now, or before under the same key)
Handler = Callable[[Conn, Any, Any], Awaitable[int]]

_handlers: dict[type[Event], Handler] = {}
_loaded = False


def notice(kind: type[E]) -> Callable[[Handler], Handler]:
    """Register the handler of one event type; a second one for the same type is a bug."""

    def register(handler: Handler) -> Handler:
        if kind in _handlers and _handlers[kind] is not handler:
            raise RuntimeError(f"{kind.__name__} already has a notices handler")
        _handlers[kind] = handler
        return handler

    return register


def load() -> None:
    """Import every notices module once (they register themselves)."""
    global _loaded
    if not _loaded:
        for name in NOTICE_MODULES:
            importlib.import_module(name)
        _loaded = True


def handler_of(kind: type[Event]) -> Handler | None:
    load()
    return _handlers.get(kind)


async def record(conn: Conn, event: Event, settings: Any = None) -> int:
    """Turn the event into its messages inside the caller's transaction; returns how many
    recipients are told (the caller may say "the office was told" only when it is > 0).

    An event type nobody handles raises: a notice must never vanish quietly.
    """
    handler = handler_of(type(event))
    if handler is None:
        raise LookupError(f"no notices handler for {type(event).__name__}")
    return int(await handler(conn, event, settings))
