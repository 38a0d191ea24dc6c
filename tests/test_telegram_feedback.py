"""Feedback end to end on Telegram: the citizen files, the desk answers from its group,
the citizen rates the answer; harassment goes to the leaders only; a restart loses nothing."""

from __future__ import annotations

import pytest
from fakebotapi import FakeBotApi
from telegram_harness import press, refused, running_bot

CITIZEN, OFFICIAL, STRANGER = 8101, 8102, 8103
DESK, LEADERS = -100801, -100802
ENV = {"MOTCUA_OFFICIALS_CHAT_ID": str(DESK), "MOTCUA_LEADERS_CHAT_ID": str(LEADERS)}
TEXT = "Cán bộ hẹn tôi ba lần mà chưa trả giấy xác nhận độc thân."


@pytest.fixture
async def api():
    async with FakeBotApi() as fake:
        fake.add_chat(DESK, "supergroup")
        fake.add_chat(LEADERS, "supergroup")
        yield fake


def texts(api, chat) -> str:
    return "\n".join(c.params.get("text", "") for c in api.calls("sendMessage", chat_id=chat))


async def say(api, text: str, expect: str) -> None:
    before = len(api.sent)
    api.push_text(CITIZEN, text)
    await api.wait_for(lambda c: expect in c.params.get("text", ""), since=before, chat_id=CITIZEN)


async def tap(api, label: str, expect: str) -> None:
    before = len(api.sent)
    press(api, CITIZEN, label)
    await api.wait_for(lambda c: expect in c.params.get("text", ""), since=before, chat_id=CITIZEN)


async def file_ticket(api, category_label: str) -> None:
    await say(api, "/phananh", "Bước 1")
    await tap(api, category_label, "Bước 2")
    await tap(api, "Hương Khê", "Bước 3")
    await tap(api, "Bỏ qua", "Bước 4")
    await say(api, TEXT, "Bước 5")
    await tap(api, "Tiếp", "Bước 6")
    await say(api, "Nguyễn Văn Bình", "số điện thoại")
    await say(api, "0912 345 678", "Bạn có đồng ý")
    await tap(api, "Tôi đồng ý", "công khai")
    await tap(api, "Có, công khai", "kiểm tra lại")
    await tap(api, "Gửi", "Số phiếu")


def group_text(api, user_id: int, chat_id: int, text: str) -> None:
    """A member writes in a group (the fake's push_text is for private chats)."""
    user = api.world.add_user(user_id)
    message = api.world.new_message(chat_id, user, {"text": text})
    api.world.enqueue("message", api.world.snapshot(message))


def group_press(api, user_id: int, chat_id: int, message_id: int, data: str) -> None:
    """A member presses a button on the bot's message in a group."""
    message = api.world.message(chat_id, message_id)
    query = {
        "id": api.world.new_query_id(),
        "from": api.world.add_user(user_id),
        "message": api.world.snapshot(message),
        "chat_instance": str(chat_id),
        "data": data,
    }
    api.world.enqueue("callback_query", query)


def alert_button(api, chat, label_part) -> tuple[int, str]:
    for message in reversed(api.messages(chat)):
        for row in message.get("reply_markup", {}).get("inline_keyboard", []):
            for b in row:
                if label_part in b["text"]:
                    return message["message_id"], b["callback_data"]
    raise AssertionError(f"no {label_part!r} button in chat {chat}")


async def test_file_answer_and_rate(tmp_path, api):
    async with running_bot(tmp_path, api, **ENV) as app:
        await app.bot_data["core"].officials.add("telegram", str(OFFICIAL), "official", "18496")
        await file_ticket(api, "Thủ tục hành chính")
        await api.wait_for(lambda c: "PAKN-" in c.params.get("text", ""), chat_id=DESK)
        assert TEXT in texts(api, DESK) and "PAKN-" not in texts(api, LEADERS)
        message_id, data = alert_button(api, DESK, "Trả lời")
        group_press(api, STRANGER, DESK, message_id, data)  # not on the roster: told alone
        await api.wait_for(
            lambda c: c.method == "answerCallbackQuery" and "🔒" in c.params.get("text", "")
        )
        group_press(api, OFFICIAL, DESK, message_id, data)
        await api.wait_for(lambda c: "tin nhắn tiếp theo" in c.params.get("text", ""), chat_id=DESK)
        group_text(api, OFFICIAL, DESK, "Chúng tôi đã trả giấy ngày 20/11, xin lỗi ông.")
        await api.wait_for(lambda c: "xin lỗi ông" in c.params.get("text", ""), chat_id=CITIZEN)
        mid, ok = alert_button(api, CITIZEN, "hài lòng")
        api.push_callback(CITIZEN, mid, ok)
        await api.wait_for(
            lambda c: "Cảm ơn bạn đã cho biết" in c.params.get("text", ""), chat_id=CITIZEN
        )
    assert "🔒" not in texts(api, DESK)  # the refusal was a popup, not a group message
    assert not refused(api)


async def test_harassment_goes_to_leaders_only_and_restart_mid_form(tmp_path, api):
    async with running_bot(tmp_path, api, **ENV):
        await say(api, "/phananh", "Bước 1")
        await tap(api, "nhũng nhiễu", "Bước 2")
        await tap(api, "Hương Khê", "Bước 3")
    async with running_bot(tmp_path, api, **ENV):  # the bot restarted in the middle
        await tap(api, "Bỏ qua", "Bước 4")
        await say(api, TEXT, "Bước 5")
        await tap(api, "Tiếp", "Bước 6")
        await tap(api, "Gửi ẩn danh", "công khai")
        await tap(api, "Không công khai", "ẩn danh")
        await tap(api, "Gửi", "Số phiếu")
        await api.wait_for(lambda c: "PAKN-" in c.params.get("text", ""), chat_id=LEADERS)
    assert "PAKN-" not in texts(api, DESK)
    assert not refused(api)
