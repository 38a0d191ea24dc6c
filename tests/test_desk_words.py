"""Issue 18, points 5 and 7: keep what the citizen already said, and warmth where it
matters. One test per defect; each failed before the change."""

from __future__ import annotations

from dialog import Conversation
from test_dialog_dossiers import CODE, PHONE, add_dossier
from test_dialog_ratings import returned


async def test_a_complaint_as_first_message_keeps_its_topic_and_text(core):
    conv = Conversation(core)
    answer = await conv.say("toi muon khieu nai can bo xa hach dich, doi tien")
    assert "Bước 1" not in answer
    assert "Thái độ, nhũng nhiễu" in answer and "Bước 2" in answer
    await conv.press("Hương Khê")
    answer = await conv.press("Bỏ qua")  # no dossier code
    assert "Bước 4" not in answer  # the text was kept: straight to photos
    state = await core.conversations.get("terminal", "u1")
    assert state.data["text"].startswith("toi muon khieu nai") and state.data["category"] == (
        "nhung_nhieu"
    )


async def test_a_phone_typed_at_the_share_step_is_not_searched(core):
    conv = Conversation(core, channel="telegram")
    await conv.say("/hosocuatoi")
    await conv.press("xác minh")
    await conv.press("Tôi đồng ý")
    answer = await conv.say("0912 345 678")
    assert "chưa tìm thấy thủ tục" not in answer and "Chia sẻ" in answer


async def test_the_terminal_accepts_a_typed_phone_at_the_share_step(core):
    await add_dossier(core)
    conv = Conversation(core)
    await conv.say("/hosocuatoi")
    await conv.press("xác minh")
    await conv.press("Tôi đồng ý")
    answer = await conv.say(PHONE)
    assert "đã được xác minh" in answer and CODE in answer


async def test_verifying_from_a_rating_returns_to_the_rating(core):
    await add_dossier(core, status=9)
    await returned(core)
    conv = Conversation(core)
    assert "xác minh" in await conv.say(f"/danhgia {CODE}")
    await conv.press("xác minh")
    await conv.press("Tôi đồng ý")
    answer = await conv.say(PHONE)
    assert "Rất hài lòng" in " ".join(conv.buttons()), answer


async def test_a_death_gets_condolences_before_the_procedures(core):
    answer = await Conversation(core).say("bố em mới mất thì gia đình phải làm những thủ tục gì")
    assert (
        answer.index("chia buồn") < answer.index("Khai tử".lower())
        or "chia buồn" in (answer.splitlines()[0])
    )


async def test_divorce_ends_with_a_way_to_ask(core):
    conv = Conversation(core)
    await conv.say("vợ chồng em muốn ly hôn")
    assert any("Gửi câu hỏi cho cán bộ" in b for b in conv.buttons())


async def test_abuse_at_officials_is_offered_the_complaint_form(core):
    conv = Conversation(core)
    answer = await conv.say("bọn cán bộ xã ăn hại")
    assert "chưa tìm thấy thủ tục" not in answer
    assert any("phản ánh" in b.lower() for b in conv.buttons())


async def test_a_terminal_leader_receives_a_passed_on_question_and_answers_it(core):
    """Issue 18 (8): the officials' half of the question flow could not be tried in the
    terminal chat (the officials' chat must be a Telegram id)."""
    from bot.notify.outbox import Outbox

    await core.officials.add("terminal", "boss", "leader", None, "Chị Lan")
    citizen = Conversation(core, user_id="dan")
    await citizen.say("giá vàng hôm nay")
    assert "đã được gửi" in await citizen.press("Gửi câu hỏi")
    [alert] = [m for m in await Outbox(core.db).due("terminal") if m.chat_id == "boss"]
    boss = Conversation(core, user_id="boss")
    boss.replies = [alert.reply]
    await boss.press("Trả lời")
    await boss.say("Giá vàng không thuộc thủ tục hành chính của xã.")
    told = [m for m in await Outbox(core.db).due("terminal") if m.chat_id == "dan"]
    assert any("Giá vàng không thuộc" in m.reply.text for m in told)
