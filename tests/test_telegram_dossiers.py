"""Dossier status end to end on Telegram, through the fake Bot API over real HTTP."""

from __future__ import annotations

from conftest import make_settings
from telegram_harness import press, refused, running_bot
from test_dialog_dossiers import CODE, PHONE, add_dossier

from bot.core import open_core
from bot.dossiers.repository import set_status
from bot.people.privacy import DOSSIER_TRACKING

CITIZEN = 5151
OFFICIAL = 6161


async def own(core, user_id: int, phone: str = PHONE) -> None:
    """The user verified the dossier's phone as theirs (consent, then their own contact)."""
    await core.privacy.grant("telegram", str(user_id), DOSSIER_TRACKING, "test")
    await core.privacy.save_phone("telegram", str(user_id), phone)


def texts(api, chat_id) -> str:
    return "\n".join(c.params["text"] for c in api.calls("sendMessage", chat_id=chat_id))


async def test_lookup_masked_then_verified_by_own_contact(tmp_path, api):
    async with running_bot(tmp_path, api) as app:
        await add_dossier(app.bot_data["core"], phone=PHONE)
        api.push_text(CITIZEN, f"hồ sơ {CODE} đến đâu rồi?")
        (card,) = await api.wait_for("sendMessage", chat_id=CITIZEN)
        assert "Nguyễn V*** A" in card.params["text"] and "09******23" in card.params["text"]
        assert PHONE not in card.params["text"]
        press(api, CITIZEN, "xác minh")
        await api.wait_for("sendMessage", count=2, chat_id=CITIZEN)
        press(api, CITIZEN, "Tôi đồng ý")
        (_, _, ask) = await api.wait_for("sendMessage", count=3, chat_id=CITIZEN)
        keyboard = ask.params["reply_markup"]["keyboard"]
        assert keyboard[0][0]["request_contact"] is True
        api.push_contact(CITIZEN, "+84912345623", contact_user_id=999)  # someone else's
        await api.wait_for("sendMessage", count=5, chat_id=CITIZEN)
        assert "của chính mình" in texts(api, CITIZEN)
        api.push_contact(CITIZEN, "+84912345623")  # their own
        await api.wait_for(lambda c: "Hồ sơ của bạn" in c.params.get("text", ""), chat_id=CITIZEN)
        assert "đã được xác minh" in texts(api, CITIZEN)
        assert api.keyboard(CITIZEN) is None  # the contact keyboard was taken away
        api.push_text(CITIZEN, CODE)
        await api.wait_for(lambda c: "Nguyễn Văn An" in c.params.get("text", ""), chat_id=CITIZEN)
    assert not refused(api)


async def test_status_change_reaches_subscriber_once_despite_429_and_500(tmp_path, api):
    async with running_bot(tmp_path, api) as app:
        core = app.bot_data["core"]
        await add_dossier(core)
        await core.officials.add("telegram", str(OFFICIAL), "official", "18496")
        api.push_text(CITIZEN, CODE)
        await api.wait_for("sendMessage", chat_id=CITIZEN)
        press(api, CITIZEN, "Báo cho tôi")
        await api.wait_for("sendMessage", count=2, chat_id=CITIZEN)
        api.fail_next("sendMessage", 429, retry_after=1, chat_id=CITIZEN)
        api.fail_next("sendMessage", 500, chat_id=CITIZEN)
        api.push_text(OFFICIAL, f"/hoso {CODE} 9")
        await api.wait_for("sendMessage", chat_id=OFFICIAL)
        await api.wait_for(
            lambda c: "Trạng thái mới" in c.params.get("text", ""), chat_id=CITIZEN, timeout=15
        )
        failures = [
            r.status for r in api.requests if r.params.get("chat_id") == CITIZEN and r.status >= 400
        ]
        assert failures == [429, 500]
    notes = [
        c for c in api.calls("sendMessage", chat_id=CITIZEN) if "Trạng thái mới" in c.params["text"]
    ]
    assert len(notes) == 1
    assert "Đã xử lý xong" in notes[0].params["text"]


async def test_restart_delivers_a_pending_outbox_once(tmp_path, api):
    settings = make_settings(tmp_path)
    core = await open_core(settings)  # the bot is down: a change is made by another process
    await add_dossier(core)
    await core.subscriptions.add("telegram", str(CITIZEN), str(CITIZEN), CODE, "lookup")
    await own(core, CITIZEN)  # the owner: the office's note ("Bổ sung ảnh") is for them
    async with core.db.transaction() as conn:
        await set_status(conn, CODE, 5, "desk", "Bổ sung ảnh", on_events=core.notifier)
    await core.close()
    api.add_user(CITIZEN)
    async with running_bot(tmp_path, api):
        await api.wait_for(lambda c: "Bổ sung ảnh" in c.params.get("text", ""), chat_id=CITIZEN)
    async with running_bot(tmp_path, api):  # a second restart sends nothing again
        api.push_text(CITIZEN, "/start")
        await api.wait_for(lambda c: "MotCua" in c.params.get("text", ""), chat_id=CITIZEN)
    sent = [
        c for c in api.calls("sendMessage", chat_id=CITIZEN) if "Bổ sung ảnh" in c.params["text"]
    ]
    assert len(sent) == 1
    assert not refused(api)
