"""Reply now, queue the rest: the replies a channel could not send while answering go to
the outbox, so its drainer retries them (or holds them until the person writes again), and
the part of a long reply that already went out is not sent twice. One implementation for
every channel that answers in the moment (Telegram, Zalo)."""

from __future__ import annotations

from bot.notify.delivery import DeliveryError, RetryLater
from bot.notify.outbox import Outbox, Priority, enqueue_with_id
from bot.reply import Reply
from bot.store import Database


async def queue_rest(
    db: Database, channel: str, chat_id: str, rest: list[Reply], sent: int, error: DeliveryError
) -> None:
    """`rest` in order at a reply's priority; `sent` parts of its first went out already;
    `error` (RetryLater or Hold) says when to try again."""
    outbox = Outbox(db)
    for i, reply in enumerate(rest):
        async with db.transaction() as conn:
            row_id = await enqueue_with_id(conn, channel, chat_id, reply, Priority.REPLY)
        if i == 0 and sent:
            await outbox.mark_parts_sent(row_id, sent)
        if isinstance(error, RetryLater):
            await outbox.retry_later(row_id, error.delay, error.reason)
        else:
            await outbox.hold(row_id, error.reason)
