"""Officials stay on Telegram: a Zalo citizen's question and complaint (with a photo) reach
the desk group, the official's answer reaches the citizen on Zalo, and "not satisfied" reaches
the leaders. Both channels run for real on one store: Telegram against the fake Bot API,
Zalo against FakeZalo."""

from __future__ import annotations

import re

import pytest
from fakebotapi import FakeBotApi
from fakezalo import FakeZalo
from telegram_harness import refused
from test_telegram_feedback import (
    DESK,
    ENV,
    LEADERS,
    OFFICIAL,
    TEXT,
    alert_button,
    group_press,
    group_text,
    texts,
)
from zalo_harness import running_zalo

CITIZEN = "3330001"
GROUP = "g-officials"  # the officials' OA group chat (GMF), optional
PHOTO = "https://img.example/hong-duong.jpg"


@pytest.fixture
async def api():
    async with FakeBotApi() as fake:
        fake.add_chat(DESK, "supergroup")
        fake.add_chat(LEADERS, "supergroup")
        yield fake


@pytest.fixture
async def fz():
    async with FakeZalo().serve() as fake:
        yield fake


async def choose(fz, label: str, expect: str) -> None:
    """Tap the button, or type the number of the choice, whichever the last message has."""
    before = len(fz.sent_to(CITIZEN))
    last = fz.sent_to(CITIZEN)[-1]["message"]
    titles = [b["title"] for b in last.get("attachment", {}).get("payload", {}).get("buttons", [])]
    if any(label in t for t in titles):
        await fz.user_clicks(CITIZEN, label)
    else:
        number = re.search(rf"^(\d+)\. .*{re.escape(label)}", last.get("text", ""), re.M)
        assert number, f"no choice {label!r} in {last.get('text')!r}"
        await fz.user_says(CITIZEN, number.group(1))
    await fz.wait_for(lambda: any(expect in t for t in fz.texts_to(CITIZEN)[before:]))


async def say(fz, text: str, expect: str) -> None:
    before = len(fz.sent_to(CITIZEN))
    await fz.user_says(CITIZEN, text)
    await fz.wait_for(lambda: any(expect in t for t in fz.texts_to(CITIZEN)[before:]))


async def test_complaint_from_zalo_answered_from_the_telegram_desk(tmp_path, api, fz):
    env = {**ENV, "MOTCUA_ZALO_OFFICIALS_GROUP_ID": GROUP}
    async with running_zalo(tmp_path, fz, api=api, **env) as bot:  # one runtime, two channels
        await bot.core.officials.add("telegram", str(OFFICIAL), "official", "18496")
        # a question the catalog cannot answer, passed to the desk
        await say(fz, "con mèo nhà tôi bị lạc ở chợ", "chưa tìm thấy")
        await choose(fz, "Gửi câu hỏi cho cán bộ", "đã được gửi")
        await api.wait_for(lambda c: "mèo nhà tôi" in c.params.get("text", ""), chat_id=DESK)

        await say(fz, "/phananh", "Bước 1")
        await choose(fz, "Thủ tục hành chính", "Bước 2")
        await choose(fz, "Hương Khê", "Bước 3")
        await choose(fz, "Bỏ qua", "Bước 4")
        await say(fz, TEXT, "Bước 5")
        before = len(fz.sent_to(CITIZEN))
        await fz.user_sends_image(CITIZEN, PHOTO)
        await fz.wait_for(lambda: any("Đã nhận (1)" in t for t in fz.texts_to(CITIZEN)[before:]))
        await choose(fz, "Tiếp", "Bước 6")
        await say(fz, "Nguyễn Văn Bình", "số điện thoại")
        await say(fz, "0912 345 678", "Bạn có đồng ý")
        await choose(fz, "Tôi đồng ý", "công khai")
        await choose(fz, "Có, công khai", "kiểm tra lại")
        await choose(fz, "Gửi", "Số phiếu")

        # the desk group on Telegram gets the alert, with the photo as a link to open
        await api.wait_for(lambda c: "PAKN-" in c.params.get("text", ""), chat_id=DESK)
        alert = next(
            c for c in api.calls("sendMessage", chat_id=DESK) if "PAKN-" in c.params["text"]
        )
        assert TEXT in alert.params["text"] and PHOTO in alert.params["text"]
        assert "Mở ảnh 1" in alert.params["text"]

        # the official answers from the group; the citizen reads it on Zalo
        message_id, data = alert_button(api, DESK, "Trả lời")
        group_press(api, OFFICIAL, DESK, message_id, data)
        await api.wait_for(lambda c: "tin nhắn tiếp theo" in c.params.get("text", ""), chat_id=DESK)
        group_text(api, OFFICIAL, DESK, "Chúng tôi đã trả giấy ngày 20/11, xin lỗi ông.")
        await fz.wait_for(lambda: any("xin lỗi ông" in t for t in fz.texts_to(CITIZEN)))

        # "not satisfied" on Zalo reaches the leaders' chat on Telegram
        await choose(fz, "Không hài lòng", "")
        await api.wait_for(lambda c: "chưa hài lòng" in c.params.get("text", ""), chat_id=LEADERS)
        assert "PAKN-" in texts(api, LEADERS)

        # the optional OA group gets the question and the ticket as text to read
        group = [d["message"]["text"] for d in fz.deliveries if d["kind"] == "group"]
        assert any("mèo nhà tôi" in t for t in group)
        assert any("PAKN-" in t and TEXT in t for t in group)
    assert not refused(api)
    assert fz.violations == []
