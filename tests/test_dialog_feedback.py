"""Feedback in the dialog: the 'nothing is waiting' cache never swallows an awaited reply."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import make_settings
from dialog import Conversation

from bot.core import open_core
from bot.feedback import Draft
from handlers.incoming import ACTION, Incoming

TEXT = "Đường vào thôn bị sạt lở, đề nghị xã sửa chữa sớm."


async def test_reply_after_officials_ask_for_more_is_attached(tmp_path):
    core = await open_core(make_settings(tmp_path, MOTCUA_OFFICIALS_CHAT_ID="-100700"))
    try:
        await core.officials.add("terminal", "desk", "official", "18496")
        citizen = Conversation(core, user_id="dan")
        ticket = await core.feedback.submit(
            Draft("terminal", "dan", "dan", "de_xuat", "18496", TEXT), datetime.now(UTC)
        )
        assert "Đăng ký khai sinh" in await citizen.say("lam giay khai sinh")  # now cached idle
        await core.feedback.ask_info(
            ticket.id, ("terminal", "desk"), "Ở thôn nào?", datetime.now(UTC)
        )
        answer = await citizen.say("Thôn 3, gần cầu")
        assert "Đã bổ sung vào phản ánh" in answer and ticket.number in answer
        assert "Đăng ký khai sinh" in await citizen.say("lam giay khai sinh")  # back to normal
    finally:
        await core.close()


async def test_officials_next_message_after_pressing_answer_is_the_answer(tmp_path):
    core = await open_core(make_settings(tmp_path, MOTCUA_OFFICIALS_CHAT_ID="-100700"))
    try:
        await core.officials.add("terminal", "desk", "official", "18496")
        ticket = await core.feedback.submit(
            Draft("terminal", "dan", "dan", "de_xuat", "18496", TEXT), datetime.now(UTC)
        )
        official = Conversation(core, user_id="desk")
        await official.say("xin chào")  # cached idle
        replies = await official._send(
            Incoming(kind=ACTION, text=f"f:an:{ticket.id}", **official.base)
        )
        assert "tin nhắn tiếp theo" in replies
        done = await official.say("Xã sẽ sửa trong tuần này.")
        assert "Đã ghi câu trả lời" in done
        assert (await core.feedback.get(ticket.id)).answer == "Xã sẽ sửa trong tuần này."
    finally:
        await core.close()
