"""Delivery through the real stack (python-telegram-bot over HTTP to the fake Bot API):
a 429 for one chat (a notification or a reply) delays only that chat, a reply Telegram
cannot take now is queued, not lost, urgent messages go first, an update that cannot be
parsed is skipped, and a 409 Conflict stops the runner with one line."""

from __future__ import annotations

import asyncio

from conftest import make_settings
from telegram_harness import running_bot

from bot.channels.telegram import TelegramChannel
from bot.core import open_core
from bot.notify.outbox import Priority, enqueue
from bot.reply import Reply
from bot.runtime import Runtime

SLOW_CHAT = 5001
OTHERS = [5002, 5003, 5004, 5005, 5006]


async def queue(tmp_path, messages: list[tuple[int, str, Priority]]) -> None:
    core = await open_core(make_settings(tmp_path))
    async with core.db.transaction() as conn:
        for i, (chat, text, priority) in enumerate(messages):
            await enqueue(conn, "telegram", chat, Reply(text), f"t:{i}", priority=priority)
    await core.close()


def delivered(api) -> list[tuple[int, str]]:
    return [(c.params["chat_id"], c.params["text"]) for c in api.calls("sendMessage")]


async def test_a_429_for_one_chat_delays_only_that_chat_and_keeps_its_order(tmp_path, api):
    slow = [(SLOW_CHAT, f"slow {i}", Priority.NORMAL) for i in range(3)]  # queued first
    await queue(tmp_path, slow + [(c, f"to {c}", Priority.NORMAL) for c in OTHERS])
    for chat in [SLOW_CHAT, *OTHERS]:
        api.add_user(chat)
    api.fail_next("sendMessage", 429, retry_after=2, chat_id=SLOW_CHAT)
    async with running_bot(tmp_path, api):
        await api.wait_for("sendMessage", count=8, timeout=30)
    sent = delivered(api)
    first_slow = next(i for i, (chat, _t) in enumerate(sent) if chat == SLOW_CHAT)
    assert {chat for chat, _t in sent[:first_slow]} == set(OTHERS)  # nobody waited for it
    assert [t for chat, t in sent if chat == SLOW_CHAT] == ["slow 0", "slow 1", "slow 2"]
    statuses = [r.status for r in api.requests if r.params.get("chat_id") == SLOW_CHAT]
    assert statuses == [429, 200, 200, 200]


async def test_a_429_on_the_reply_to_one_chat_holds_up_only_that_chat(tmp_path, api):
    for chat in [SLOW_CHAT, *OTHERS]:
        api.add_user(chat)
    api.fail_next("sendMessage", 429, retry_after=3, chat_id=SLOW_CHAT)
    async with running_bot(tmp_path, api):
        api.push_text(SLOW_CHAT, "/start")
        await api._until(lambda: any(r.status == 429 for r in api.requests), 30, "the 429")
        for chat in OTHERS:  # they write while the slow chat's reply waits out its 429
            api.push_text(chat, "/start")
        await api.wait_for("sendMessage", count=6, timeout=30)
    order = [chat for chat, _t in delivered(api)]
    assert set(order[:5]) == set(OTHERS)  # answered before the slow chat's retry went out
    assert order[5] == SLOW_CHAT  # which still got its reply, once
    statuses = [r.status for r in api.requests if r.params.get("chat_id") == SLOW_CHAT]
    assert statuses == [429, 200]


async def test_a_reply_telegram_cannot_take_now_is_queued_not_lost(tmp_path, api):
    """Reply now, queue the rest: a 5xx on the answer puts it in the outbox (bot/unsent.py),
    and the drainer delivers it once, with no apology in its place."""
    api.add_user(SLOW_CHAT)
    api.fail_next("sendMessage", 500, chat_id=SLOW_CHAT)
    async with running_bot(tmp_path, api):
        api.push_text(SLOW_CHAT, "/start")
        await api.wait_for("sendMessage", chat_id=SLOW_CHAT, timeout=30)
    texts = [t for chat, t in delivered(api) if chat == SLOW_CHAT]
    assert len(texts) == 1 and "Xin lỗi" not in texts[0] and "👉" in texts[0]
    statuses = [r.status for r in api.requests if r.params.get("chat_id") == SLOW_CHAT]
    assert statuses == [500, 200]


async def test_urgent_messages_go_before_bulk_ones(tmp_path, api):
    chats = list(range(6001, 6031))
    bulk = [(c, f"reminder {c}", Priority.BULK) for c in chats]
    urgent = [(7001, "complaint", Priority.URGENT), (7002, "reply", Priority.REPLY)]
    await queue(tmp_path, bulk + urgent)  # queued after the bulk
    for chat in [*chats, 7001, 7002]:
        api.add_user(chat)
    async with running_bot(tmp_path, api):
        await api.wait_for("sendMessage", count=32, timeout=30)
    order = [chat for chat, _t in delivered(api)]
    assert order.index(7001) < order.index(7002) < min(order.index(c) for c in chats[8:])


async def test_an_update_that_cannot_be_parsed_is_skipped_and_the_next_ones_answered(tmp_path, api):
    user = 8001
    api.add_user(user)
    async with running_bot(tmp_path, api):
        api.push_update("message", {"message_id": 1, "text": "no chat, no date"})
        api.push_text(user, "/start")
        api.push_text(user, "/help")
        await api.wait_for("sendMessage", count=2, chat_id=user, timeout=15)
    texts = [c.params["text"] for c in api.calls("sendMessage", chat_id=user)]
    assert "MotCua" in texts[0] and "/hoso" in texts[1]
    assert not api.world.updates  # the polling offset moved past all three


async def test_a_409_conflict_stops_the_runner_with_one_line(tmp_path, api):
    settings = make_settings(
        tmp_path, TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE_URL=api.base_url
    )
    channel = TelegramChannel.from_settings(settings, poll_timeout=1)
    runtime = Runtime(settings, [channel], run_jobs=False)
    api.fail_next("getUpdates", 409)
    code = await asyncio.wait_for(runtime.run(), timeout=60)
    assert code == 1
    assert "409 Conflict" in runtime.failure and "\n" not in runtime.failure
