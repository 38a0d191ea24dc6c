"""Privacy and authority on Telegram, through the real Application and the fake Bot API.

A stranger in the desk group is refused with a popup on the button they pressed, never a
group message and never the agency chooser; commands they type there get nothing; commands
for another bot are left to it; a follower who is not the verified owner hears the status
without the official's note.
"""

from __future__ import annotations

import pytest
from fakebotapi import FakeBotApi
from telegram_harness import refused, running_bot
from test_dialog_dossiers import CODE, add_dossier
from test_telegram_dossiers import own, texts

from bot.clock import utcnow
from bot.feedback import Draft

OFFICIAL, STRANGER, CITIZEN, OWNER = 9101, 9102, 9103, 9104
DESK = -100901
ENV = {"MOTCUA_OFFICIALS_CHAT_ID": str(DESK)}
NOTE = "Gọi chị Lan 0987654321 để bổ sung"


@pytest.fixture
async def api():
    async with FakeBotApi() as fake:
        fake.add_chat(DESK, "supergroup")
        yield fake


def group_text(api, user_id: int, text: str) -> None:
    """A member writes in the desk group; a leading /command gets its entity as on Telegram."""
    content: dict = {"text": text}
    if text.startswith("/"):
        head = text.split(" ", 1)[0]
        content["entities"] = [{"offset": 0, "length": len(head), "type": "bot_command"}]
    message = api.world.new_message(DESK, api.world.add_user(user_id), content)
    api.world.enqueue("message", api.world.snapshot(message))


def group_press(api, user_id: int, label_part: str) -> None:
    """A member presses a button of the bot's newest message in the group that has it."""
    for message in reversed(api.messages(DESK)):
        for row in message.get("reply_markup", {}).get("inline_keyboard", []):
            for b in row:
                if label_part in b["text"]:
                    query = {
                        "id": api.world.new_query_id(),
                        "from": api.world.add_user(user_id),
                        "message": api.world.snapshot(message),
                        "chat_instance": str(DESK),
                        "data": b["callback_data"],
                    }
                    api.world.enqueue("callback_query", query)
                    return
    raise AssertionError(f"no {label_part!r} button in the group")


def popups(api) -> list:
    return [c for c in api.calls("answerCallbackQuery") if c.params.get("text")]


async def test_stranger_pressing_forward_gets_a_popup_not_the_chooser(tmp_path, api):
    async with running_bot(tmp_path, api, **ENV) as app:
        core = app.bot_data["core"]
        await core.officials.add("telegram", str(OFFICIAL), "official", "18496")
        api.add_user(CITIZEN)
        draft = Draft(
            "telegram", str(CITIZEN), str(CITIZEN), "de_xuat", "18496", NOTE + " đường sạt lở."
        )
        await core.feedback.submit(draft, utcnow())
        await api.wait_for(lambda c: "PAKN-" in c.params.get("text", ""), chat_id=DESK)
        group_press(api, STRANGER, "Chuyển cơ quan")
        (popup,) = await api.wait_for(lambda c: "🔒" in (c.params.get("text") or ""))
        assert popup.method == "answerCallbackQuery" and popup.params.get("show_alert") is True
        for _ in range(5):  # pressing on: popups stop after 3 a minute, never a group message
            group_press(api, STRANGER, "Chuyển cơ quan")
        await api.wait_for("answerCallbackQuery", count=6)
        group_press(api, OFFICIAL, "Chuyển cơ quan")  # the official gets the chooser
        await api.wait_for(lambda c: "cơ quan nào" in c.params.get("text", ""), chat_id=DESK)
    group = texts(api, DESK)
    assert group.count("cơ quan nào") == 1 and "🔒" not in group
    assert len(popups(api)) == 3  # then the presses are answered without a word
    assert not refused(api)


async def test_strangers_commands_in_the_group_get_nothing_there(tmp_path, api):
    async with running_bot(tmp_path, api, **ENV) as app:
        core = app.bot_data["core"]
        await core.officials.add("telegram", str(OFFICIAL), "official", "18496")
        await add_dossier(core)
        for command in (f"/hoso {CODE} 9 xong", "/quahan", "/traloi 1 Đã xử lý", "/thongke"):
            group_text(api, STRANGER, command)
        group_text(api, OFFICIAL, f"/hoso {CODE} 9")  # the official is answered in the group
        await api.wait_for(lambda c: CODE in c.params.get("text", ""), chat_id=DESK)
    assert "🔒" not in texts(api, DESK) and len(api.calls("sendMessage", chat_id=DESK)) == 1
    assert (await _status(tmp_path)) == 9
    assert not refused(api)


async def _status(tmp_path) -> int:
    from conftest import make_settings

    from bot.core import open_core

    core = await open_core(make_settings(tmp_path))
    try:
        return (await core.dossiers.get(CODE)).status
    finally:
        await core.close()


async def test_commands_for_another_bot_are_ignored(tmp_path, api):
    async with running_bot(tmp_path, api, **ENV):
        group_text(api, STRANGER, "/start@OtherBot")
        group_text(api, STRANGER, "/hoso@OtherBot " + CODE)
        group_text(api, STRANGER, "/start@motcua_test_bot")
        await api.wait_for("sendMessage", chat_id=DESK)
    sent = api.calls("sendMessage", chat_id=DESK)
    assert len(sent) == 1 and "/start" not in sent[0].params["text"]
    assert not refused(api)


async def test_follower_who_is_not_the_owner_gets_the_status_without_the_note(tmp_path, api):
    async with running_bot(tmp_path, api, **ENV) as app:
        core = app.bot_data["core"]
        await core.officials.add("telegram", str(OFFICIAL), "official", "18496")
        await add_dossier(core)
        await own(core, OWNER)
        for user in (CITIZEN, OWNER):
            await core.subscriptions.add("telegram", str(user), str(user), CODE, "lookup")
        api.add_user(CITIZEN)
        api.add_user(OWNER)
        api.push_text(OFFICIAL, f"/hoso {CODE} 5 {NOTE}")
        for user in (CITIZEN, OWNER):
            await api.wait_for(lambda c: "Trạng thái mới" in c.params.get("text", ""), chat_id=user)
    stranger, owner = texts(api, CITIZEN), texts(api, OWNER)
    assert "Yêu cầu bổ sung giấy tờ" in stranger and "0987654321" not in stranger
    assert NOTE in owner
    assert not refused(api)
