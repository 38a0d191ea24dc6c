"""Ratings as conversations: the invitation, one rating per dossier, follow-ups, alerts."""

from __future__ import annotations

from conftest import make_settings
from dialog import Conversation
from test_dialog_dossiers import CODE, PHONE, add_dossier
from test_terminal import talk

from bot.core import open_core
from bot.dossiers.repository import set_status
from bot.notify.outbox import Outbox
from handlers.incoming import CONTACT, Incoming


async def verified_owner(core, user_id="owner") -> Conversation:
    conv = Conversation(core, user_id=user_id)
    await conv.say("/hosocuatoi")
    await conv.press("xác minh")
    await conv.press("Tôi đồng ý")
    await conv._send(
        Incoming(kind=CONTACT, contact_phone=PHONE, contact_user_id=user_id, **conv.base)
    )
    return conv


async def returned(core):
    async with core.db.transaction() as conn:
        await set_status(conn, CODE, 10, "desk", on_events=core.notifier)


async def test_result_returned_invites_the_owner_only_once(core):
    await add_dossier(core, status=9)
    await verified_owner(core)
    stranger = Conversation(core, user_id="stranger")
    await stranger.say(CODE)
    await stranger.press("Báo cho tôi")
    await returned(core)
    pending = await Outbox(core.db).pending_count("terminal")
    invites = [m for m in await _all(core) if "Rất hài lòng" in _labels(m)]
    assert {m["chat_id"] for m in invites} == {"owner"}  # the subscriber stranger: no invite
    assert pending >= 1 and len(invites) == 1
    async with core.db.transaction() as conn:  # status 10 again later: no second invitation
        await set_status(conn, CODE, 9, "desk")
        await set_status(conn, CODE, 10, "desk", on_events=core.notifier)
    assert len([m for m in await _all(core) if "Rất hài lòng" in _labels(m)]) == 1


async def _all(core) -> list[dict]:
    rows = await core.db.fetchall("SELECT chat_id, text, buttons FROM outbox")
    return [{"chat_id": r[0], "text": r[1], "buttons": r[2]} for r in rows]


def _labels(message: dict) -> str:
    return message["buttons"]


async def test_rate_answer_follow_ups_twice_and_comment(core):
    await add_dossier(core, status=9)
    owner = await verified_owner(core)
    await returned(core)
    answer = await owner.say(f"/danhgia {CODE}")
    assert "hài lòng" in answer
    answer = await owner.press("🙂 Hài lòng")
    assert "Cảm ơn" in answer and "mấy lần" in answer
    first_question = owner.replies
    assert "Thái độ" in await owner.press("1 lần")  # the next follow-up
    owner.replies = first_question
    await owner.press("1 lần")  # the same button pressed twice
    history = await core.ratings.history(CODE)
    assert len(history) == 2  # the level, then one answer: not two
    rating = await core.ratings.get(CODE)
    assert rating.level == "hai_long" and rating.contacts_count == "1"


async def test_stranger_and_unreturned_are_refused(core):
    await add_dossier(core, status=4)
    owner = await verified_owner(core)
    assert "khi đã trả kết quả" in await owner.say(f"/danhgia {CODE}")
    await returned(core)
    stranger = Conversation(core, user_id="stranger")
    assert "Chỉ người nộp" in await stranger.say(f"/danhgia {CODE}")
    assert await core.ratings.get(CODE) is None


async def test_unsatisfied_alerts_the_agency_chat_with_the_comment(tmp_path):
    core = await open_core(make_settings(tmp_path, MOTCUA_OFFICIALS_CHAT_ID="-100500"))
    try:
        await add_dossier(core, status=9)
        owner = await verified_owner(core)
        await returned(core)
        await owner.say(f"/danhgia {CODE}")
        await owner.press("Không hài lòng")
        assert "gõ góp ý" in await owner.press("Bỏ qua")
        assert "đã được ghi nhận" in await owner.say("Phải đi lại <b>ba</b> lần")
        alerts = [m for m in await _all(core) if m["chat_id"] == "-100500"]
        assert len(alerts) == 2 and all(CODE in a["text"] for a in alerts)
        assert "Phải đi lại &lt;b&gt;ba&lt;/b&gt; lần" in alerts[1]["text"]
        assert (await core.ratings.get(CODE)).comment == "Phải đi lại <b>ba</b> lần"
    finally:
        await core.close()


async def test_thumbs_under_a_procedure_answer_are_kept_apart(core):
    conv = Conversation(core)
    await conv.say("lam giay khai sinh")
    assert "Cảm ơn" in await conv.press("👍")
    row = await core.db.fetchone("SELECT procedure_code, helpful FROM answer_feedback")
    assert tuple(row) == ("1.001193", 1)
    assert (await core.db.fetchone("SELECT COUNT(*) FROM ratings"))[0] == 0


async def test_rating_flow_in_the_terminal(core):
    await add_dossier(core, status=9)
    await verified_owner(core, user_id="local")
    await returned(core)
    out = await talk(core, [f"/danhgia {CODE}", "1", "/quit"])
    assert "Rất hài lòng" in out and "Cảm ơn" in out
