"""What every channel is to the runtime and the web server (the channel contract): a name,
what it can show, start/stop, delivery of a Reply, and the optional members with defaults.

The runtime owns the core, the jobs and one outbox drainer per channel; a channel
only turns platform events into `Incoming` and `Reply` objects into platform
calls. Delivery failures come back as two neutral errors, so the drainer decides
what to do without knowing the platform.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

# The delivery outcomes belong to the outbox (bot/notify/delivery.py), below the channels;
# they are named here too, as part of the contract a channel implements.
from bot.notify.delivery import DeliveryError as DeliveryError
from bot.notify.delivery import GiveUp as GiveUp
from bot.notify.delivery import Hold as Hold
from bot.notify.delivery import RetryLater as RetryLater
from bot.reply import Reply

if TYPE_CHECKING:
    from bot.core import Core

# How a channel proves that a phone number belongs to the person writing.
PHONE_CONTACT = "contact"  # Telegram: the user's own contact card (user_id checked)
PHONE_SHARED_INFO = "shared_info"  # Zalo: request_user_info answered by user_submit_info
PHONE_TYPED = "typed"  # the terminal trial: typed, trusted (nobody else is there)


@dataclass(frozen=True)
class Capabilities:
    """What a channel can show; the dialog's replies degrade to fit."""

    edit_in_place: bool  # a pressed button's message can be replaced
    buttons_per_message: int | None  # None: no limit worth counting
    text_limit: int  # characters per message; longer replies are split
    markup: str  # "html" (Reply.text as is) or "plain" (Reply.plain())
    phone_proof: str  # one of PHONE_*
    per_chat_interval: float = 0.0  # seconds between two messages to one chat (Telegram: 1)


PartDone = Callable[[int], Awaitable[None]]
Route = tuple[str, str, Callable]  # (method, path, aiohttp handler) the web server mounts


class Channel:
    """A messaging platform behind one small interface: everything the runtime and the web
    server use is declared here, with what a channel that does not care gets.

    A channel must give `name`, `capabilities`, `start`, `stop` and `deliver`; the rest
    it overrides when it has them (a webhook's routes, a state to report, an end of its own).
    """

    name: str
    capabilities: Capabilities
    core: Core | None = None  # set by `bind`
    # Set by the channel: it ended by itself (the terminal's user left, Telegram's polling
    # was refused); the runtime then stops, and exits non-zero with `failure` when there is one.
    ended: asyncio.Event | None = None
    failure: str | None = None
    # Set by the runtime once its outbox drainer runs: one delivery round now (the terminal
    # shows what is due after each answer), and wake it (Zalo released held messages).
    drain: Callable[[], Awaitable[int]] | None = None
    on_release: Callable[[], None] | None = None

    def bind(self, core: Core) -> None:
        """The runtime opened the core; called before `start`."""
        self.core = core

    def routes(self) -> list[Route]:
        """What the web server mounts for this channel (webhooks); none by default."""
        return []

    async def health(self) -> dict | None:
        """This channel's own state for /healthz and /metrics (e.g. Zalo: its token's
        expiry, `problems` a list); None: nothing of its own to report."""
        return None

    async def start(self) -> None:
        """Begin receiving (polling, webhook routes); the core is already open."""
        raise NotImplementedError

    async def stop(self) -> None:
        """Stop receiving and release connections; the core closes after."""
        raise NotImplementedError

    async def deliver(
        self, chat_id: str, reply: Reply, *, skip: int = 0, on_part: PartDone | None = None
    ) -> None:
        """Send one reply to a chat; raises RetryLater, GiveUp or Hold.

        `skip` leaves out parts of a long reply delivered before; `on_part(n)` is
        awaited once the first n parts went out, so a retry resumes after them.
        """
        raise NotImplementedError
