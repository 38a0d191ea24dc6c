"""Three photos sent as one album in the feedback form: Telegram hands them to the bot in
one batch of updates (polling) or posts them one request each, every one answered before
the bot handles it (webhook); each is kept and acknowledged once, in order, because one
person's messages pass the core one at a time (bot/dispatch.py)."""

from __future__ import annotations

import pytest
from conftest import make_settings
from fakebotapi import FakeBotApi
from fakebotapi.pushes import photo_sizes
from telegram_harness import press, refused, running_bot
from test_telegram_feedback import DESK, ENV, LEADERS, TEXT

from bot.app import build

CITIZEN = 8201


@pytest.fixture
async def api():
    async with FakeBotApi() as fake:
        fake.add_chat(DESK, "supergroup")
        fake.add_chat(LEADERS, "supergroup")
        yield fake


async def say(api, text: str, expect: str, post=None) -> None:
    before = len(api.sent)
    api.push_text(CITIZEN, text)
    await (post or _polled)()
    await api.wait_for(lambda c: expect in c.params.get("text", ""), since=before, chat_id=CITIZEN)


async def tap(api, label: str, expect: str, post=None) -> None:
    before = len(api.sent)
    press(api, CITIZEN, label)
    await (post or _polled)()
    await api.wait_for(lambda c: expect in c.params.get("text", ""), since=before, chat_id=CITIZEN)


async def _polled() -> None:
    """Polling: the bot fetches the updates itself."""


def push_album(api, count: int) -> list[str]:
    """`count` photos with one media_group_id, queued together as Telegram sends an album;
    the file_id of each photo's largest size."""
    user = api.world.users[CITIZEN]
    file_ids = []
    for _ in range(count):
        stored = api.world.new_file("photo", b"\xff\xd8\xff\xe0album\xff\xd9")
        content = {"photo": photo_sizes(api.world, stored, 1280, 960), "media_group_id": "77"}
        message = api.world.new_message(CITIZEN, user, content)
        api.world.enqueue("message", api.world.snapshot(message))
        file_ids.append(content["photo"][-1]["file_id"])
    return file_ids


async def fill_to_the_photos(api, post=None) -> None:
    await say(api, "/phananh", "Bước 1", post)
    await tap(api, "Thủ tục hành chính", "Bước 2", post)
    await tap(api, "Hương Khê", "Bước 3", post)
    await tap(api, "Bỏ qua", "Bước 4", post)
    await say(api, TEXT, "Bước 5", post)


async def album_is_kept(api, core, post=None) -> None:
    before = len(api.sent)
    sent = push_album(api, 3)
    await (post or _polled)()
    acks = await api.wait_for(
        lambda c: "Đã nhận" in c.params.get("text", ""), count=3, since=before, chat_id=CITIZEN
    )
    assert [c.params["text"].split(".")[0] for c in acks] == [
        "📎 Đã nhận (1)",
        "📎 Đã nhận (2)",
        "📎 Đã nhận (3)",
    ]
    state = await core.conversations.get("telegram", str(CITIZEN))
    assert [a["file_id"] for a in state.data["attachments"]] == sent
    await tap(api, "Tiếp", "Bước 6", post)
    assert not refused(api)


async def test_an_album_of_three_photos_is_kept_whole_and_acknowledged_in_order(tmp_path, api):
    async with running_bot(tmp_path, api, **ENV) as app:
        await fill_to_the_photos(api)
        await album_is_kept(api, app.bot_data["core"])


async def test_the_same_album_posted_to_the_webhook_one_request_each(tmp_path, api):
    settings = make_settings(
        tmp_path,
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_API_BASE_URL=api.base_url,
        MOTCUA_PUBLIC_URL="https://motcua.example.org",
        MOTCUA_HTTP_LISTEN="127.0.0.1:0",
        **ENV,
    )
    async with build(settings) as app:

        async def post() -> None:  # each update answered 200 before the bot handles it
            assert set(await api.deliver_webhook(app.server.url)) == {200}

        await fill_to_the_photos(api, post)
        await album_is_kept(api, app.core, post)
