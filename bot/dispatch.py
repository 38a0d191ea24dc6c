"""The one way into the core, for every channel: a person's messages one at a time, in order.

A channel turns a platform event into an `Incoming` and hands `handle` a way to send the
replies (`answer`). Under the (channel, person) lock run: the channel's own reading that
depends on what it last sent this person (`prepare`; Zalo maps a typed number to the choice
it listed), the start of the turn (cleaned text, the user's language), the conversation
map, the apology when something failed, the metrics, and the sending itself. So a form's
read-change-write is never interleaved with the same person's next message, and the next
message starts only once this one's answer went out.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.core import Core
from bot.reply import Reply
from bot.store import StoreError
from handlers import router
from handlers.context import Turn
from handlers.incoming import Incoming

log = logging.getLogger(__name__)

Answer = Callable[[list[Reply]], Awaitable[None]]
Prepare = Callable[[Incoming], Awaitable[Incoming | None]]


async def handle(
    core: Core, msg: Incoming, answer: Answer | None = None, *, prepare: Prepare | None = None
) -> list[Reply]:
    """Answer anything; the replies are returned (and sent with `answer`, when given).

    Never raises for a failure of the dialog: the user gets an apology, never a trace.
    `prepare` returns the message to answer, or None when the channel answered by itself.
    """
    async with core.locks.hold((msg.channel, msg.user_id)):
        if prepare is not None:
            msg = await prepare(msg)
            if msg is None:
                return []
        started = core.metrics.received(msg.channel)
        turn = await router.begin(core, msg)
        replies = await _replies(turn)
        if answer is not None:
            await _send(turn, answer, replies)
        core.metrics.answered(msg.channel, started, len(replies))
    return replies


async def _replies(turn: Turn) -> list[Reply]:
    try:
        return await router.dispatch(turn)
    except StoreError as exc:  # logged once with its cause by the store; kept for health
        log.warning("dialog failed for %s: %s", turn.msg.kind, exc.problem)
    except Exception:
        log.exception("dialog failed for %s", turn.msg.kind)
    return [router.sorry(turn)]


async def _send(turn: Turn, answer: Answer, replies: list[Reply]) -> None:
    """Send; when that fails, apologise once (which may fail too: then it is only logged)."""
    try:
        await answer(replies)
        return
    except Exception:
        log.exception("the answer on %s was not sent", turn.msg.channel)
    try:
        await answer([router.sorry(turn)])
    except Exception as exc:
        log.warning("could not apologise on %s: %s", turn.msg.channel, exc)
