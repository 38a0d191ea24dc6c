"""Three photos sent at once in the Zalo feedback form: three webhook posts at the same
time; each photo is kept and acknowledged once, in the order the bot received them (the
core's entry point holds the person's lock, bot/dispatch.py)."""

from __future__ import annotations

import asyncio
import json

import pytest
from fakezalo import FakeZalo
from test_telegram_feedback import TEXT
from test_zalo_desk import CITIZEN, choose, say
from zalo_harness import running_zalo

PHOTOS = [f"https://img.example/album-{n}.jpg" for n in (1, 2, 3)]


@pytest.fixture
async def fz():
    async with FakeZalo().serve() as fake:
        yield fake


async def test_three_photos_at_once_are_all_kept_and_acknowledged_in_order(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        await say(fz, "/phananh", "Bước 1")
        await choose(fz, "Thủ tục hành chính", "Bước 2")
        await choose(fz, "Hương Khê", "Bước 3")
        await choose(fz, "Bỏ qua", "Bước 4")
        await say(fz, TEXT, "Bước 5")
        before = len(fz.sent_to(CITIZEN))
        posts = [fz.user_sends_image(CITIZEN, url) for url in PHOTOS]
        assert await asyncio.gather(*posts) == [200, 200, 200]  # all three at once

        def acks():
            return [t for t in fz.texts_to(CITIZEN)[before:] if "Đã nhận" in t]

        await fz.wait_for(lambda: len(acks()) >= 3)
        assert [t.split(".")[0] for t in acks()] == [
            "📎 Đã nhận (1)",
            "📎 Đã nhận (2)",
            "📎 Đã nhận (3)",
        ]
        state = await bot.core.conversations.get("zalo", CITIZEN)
        arrived = [  # the order the bot stored the events in: the order it handles them
            json.loads(payload)["message"]["attachments"][0]["payload"]["url"]
            for (payload,) in await bot.core.db.fetchall(
                "SELECT payload FROM zalo_events WHERE event_name = 'user_send_image'"
                " ORDER BY received_at, rowid"
            )
        ]
        assert sorted(arrived) == PHOTOS
        assert [a["file_id"] for a in state.data["attachments"]] == arrived
        await choose(fz, "Tiếp", "Bước 6")
        assert not fz.violations
