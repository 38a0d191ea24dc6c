"""The outbox sender on Telegram: a long message is delivered part by part, once each."""

from __future__ import annotations

from conftest import make_settings
from telegram_harness import running_bot

from bot.core import open_core
from bot.notify.outbox import enqueue
from bot.reply import Button, Reply, split_text

CITIZEN = 7171


async def test_a_failed_later_part_is_retried_without_repeating_the_first(tmp_path, api):
    core = await open_core(make_settings(tmp_path))
    first = "\n".join(f"Phần một, dòng {i}: " + "x" * 60 for i in range(120))  # ~9,200 chars
    second = "<b>Phần hai</b>: hết."
    reply = Reply(first + "\n" + second, [[Button("📂 Xem", "d:show:X")]])
    async with core.db.transaction() as conn:
        await enqueue(conn, "telegram", CITIZEN, reply, dedupe_key="long:1")
    await core.close()
    api.add_user(CITIZEN)
    assert len(split_text(reply.text, 4096)) == 3
    api.fail_next("sendMessage", 500, chat_id=CITIZEN, after=2)  # the third part fails once
    async with running_bot(tmp_path, api):
        await api.wait_for(
            lambda c: "Phần hai" in c.params.get("text", ""), chat_id=CITIZEN, timeout=15
        )
    parts = [c.params["text"] for c in api.calls("sendMessage", chat_id=CITIZEN)]
    assert len(parts) == 3 and all(len(p) <= 4096 for p in parts)
    assert "\n".join(parts) == reply.text  # each part once, in order
    assert [r.status for r in api.requests if r.params.get("chat_id") == CITIZEN] == [
        200,
        200,
        500,
        200,
    ]
    assert "reply_markup" in api.calls("sendMessage", chat_id=CITIZEN)[-1].params
