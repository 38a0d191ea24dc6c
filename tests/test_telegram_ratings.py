"""Ratings end to end on Telegram: invitation to the owner only, a double press stored once,
a stranger refused, and the leaders' /thongke chart — through real HTTP to the fake Bot API."""

from __future__ import annotations

import pytest
from telegram_harness import refused, running_bot
from test_dialog_dossiers import CODE, PHONE, add_dossier

from bot.people.privacy import DOSSIER_TRACKING

OWNER, STRANGER, OFFICIAL = 7001, 7002, 7003


@pytest.fixture(autouse=True)
def daytime(monkeypatch):
    """Invitations wait out the night; these tests must not depend on the hour they run."""
    monkeypatch.setattr("bot.ratings.notices.quiet_until", lambda now, tz: None)


async def setup_owner(core) -> None:
    await core.privacy.grant("telegram", str(OWNER), DOSSIER_TRACKING, "test consent")
    await core.privacy.save_phone("telegram", str(OWNER), PHONE)
    await core.subscriptions.add("telegram", str(OWNER), str(OWNER), CODE, "owner")
    await core.subscriptions.add("telegram", str(STRANGER), str(STRANGER), CODE, "lookup")
    await core.officials.add("telegram", str(OFFICIAL), "leader", None)


def invitations(api, chat_id):
    return [
        c
        for c in api.calls("sendMessage", chat_id=chat_id)
        if "hài lòng với việc giải quyết" in c.params["text"]
    ]


async def test_returned_dossier_invites_owner_once_and_double_press_stores_once(tmp_path, api):
    for user in (OWNER, STRANGER):
        api.add_user(user)
    async with running_bot(tmp_path, api) as app:
        core = app.bot_data["core"]
        await add_dossier(core, status=9)
        await setup_owner(core)
        api.push_text(OFFICIAL, f"/hoso {CODE} 10")
        await api.wait_for(lambda c: invitations(api, OWNER), timeout=10)
        await api.wait_for(lambda c: "Đã trả kết quả" in c.params.get("text", ""), chat_id=STRANGER)
        assert invitations(api, STRANGER) == []
        (invite,) = invitations(api, OWNER)
        message_id = next(
            m["message_id"]
            for m in api.messages(OWNER)
            if "hài lòng với việc giải quyết" in m.get("text", "")
        )
        data = next(
            b["callback_data"]
            for row in invite.params["reply_markup"]["inline_keyboard"]
            for b in row
            if "🙂" in b["text"]
        )
        api.push_callback(OWNER, message_id, data)
        api.push_callback(OWNER, message_id, data)  # pressed twice
        await api.wait_for(
            lambda c: "Đánh giá của bạn" in c.params.get("text", ""), count=2, chat_id=OWNER
        )
        rating = await core.ratings.get(CODE)
        assert rating.level == "hai_long"
        assert len(await core.ratings.history(CODE)) == 1
        api.push_text(STRANGER, f"/danhgia {CODE}")
        await api.wait_for(lambda c: "Chỉ người nộp" in c.params.get("text", ""), chat_id=STRANGER)
    assert not refused(api)


async def test_leader_gets_the_chart(tmp_path, api):
    for user in (OWNER, STRANGER):
        api.add_user(user)
    async with running_bot(tmp_path, api) as app:
        core = app.bot_data["core"]
        await add_dossier(core, status=9)
        await setup_owner(core)
        api.push_text(OFFICIAL, f"/hoso {CODE} 10")
        await api.wait_for(lambda c: invitations(api, OWNER), timeout=10)
        async with core.db.transaction() as conn:
            dossier = await core.dossiers.get(CODE)
            await core.ratings.rate(conn, dossier, "telegram", str(OWNER), "rat_hai_long")
        api.push_text(OFFICIAL, "/thongke")
        (photo,) = await api.wait_for("sendPhoto", chat_id=OFFICIAL, timeout=20)
        assert "UBND xã Hương Khê" in photo.params["caption"]
        assert "100,0%" in photo.params["caption"]
        assert photo.params["photo"].data[:8] == b"\x89PNG\r\n\x1a\n"
    assert not refused(api)
