"""How a delivery ends, as the outbox's drainer sees it, and what it needs of a channel.

Channels raise these errors from `deliver` (bot/channels/base.py names them as part of
the channel contract); they live here, below the channels, so that the drainer and the
queueing of a reply's rest (bot/unsent.py) need not import the channels they serve.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from bot.reply import Reply


class DeliveryError(Exception):
    """A reply could not be delivered now; the subclasses say whether to try again."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class RetryLater(DeliveryError):
    """Try again after `delay` seconds (rate limit, timeout, platform fault); a delay of 0
    leaves it to the drainer's backoff (growing with the attempts, with jitter)."""

    def __init__(self, reason: str, delay: float):
        super().__init__(reason)
        self.delay = delay


class GiveUp(DeliveryError):
    """Retrying will not help (blocked, chat gone, refused payload): record and move on."""


class Hold(DeliveryError):
    """The chat cannot be reached until its user writes again (Zalo's 7-day window with
    no ZNS possible): keep the message and deliver it at the user's next message."""


class Sender(Protocol):
    """The part of a channel the drainer uses (bot.channels.base.Channel is one)."""

    name: str
    capabilities: Any

    async def deliver(
        self,
        chat_id: str,
        reply: Reply,
        *,
        skip: int = 0,
        on_part: Callable[[int], Awaitable[None]] | None = None,
    ) -> None: ...
