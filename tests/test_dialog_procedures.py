"""Procedure answers as conversations, on the bundled default catalog."""

import dataclasses

from dialog import Conversation, verify_dialog

from bot.catalog.repository import upsert


async def test_start_shows_menu_and_privacy(core):
    conv = Conversation(core)
    answer = await conv.say("/start")
    assert "MotCua" in answer and "Riêng tư" in answer
    assert any("Hỏi về thủ tục" in b for b in conv.buttons())
    assert any("Tra cứu hồ sơ" in b for b in conv.buttons())


async def test_question_without_diacritics_gets_the_card_then_documents(core):
    conv = Conversation(core)
    await verify_dialog(
        conv,
        [
            # "cần gì" asks for the papers: they come first (issue 14, point 6)
            ("lam giay khai sinh can gi", ["Đăng ký khai sinh", "1.001193", "Giấy tờ cần nộp"]),
            ("[press] Xem cả thủ tục", ["Đăng ký khai sinh", "Thời gian và lệ phí"]),
            ("[press] Giấy tờ", ["Giấy tờ cần nộp", "1."]),
            ("[press] Quay lại", ["Đăng ký khai sinh"]),
            ("[press] Các bước", ["Các bước làm"]),
        ],
    )


async def test_abstains_on_a_question_the_catalog_cannot_answer(core):
    # Greetings and small talk used to get this too; issue 10 gives them a short
    # reply instead (tests/test_dialog_intents.py).
    conv = Conversation(core)
    answer = await conv.say("giá vàng hôm nay")
    assert "chưa tìm thấy thủ tục" in answer, answer
    assert any("Gửi câu hỏi cho cán bộ" in b for b in conv.buttons())
    for text in ("xin chào", "thời tiết hôm nay thế nào"):
        assert "chưa tìm thấy thủ tục" not in await conv.say(text)


async def test_send_question_without_officials_chat_says_what_to_do(core):
    conv = Conversation(core)
    await conv.say("giá vàng hôm nay")
    answer = await conv.press("Gửi câu hỏi")
    # issue 18 (2): what the citizen can do, not the bot's configuration
    assert "chưa được gửi" in answer and "thiết lập" not in answer


async def test_send_question_queues_one_alert(tmp_path):
    from conftest import make_settings

    from bot.core import open_core
    from bot.notify.outbox import Outbox

    core = await open_core(make_settings(tmp_path, MOTCUA_OFFICIALS_CHAT_ID="-100123"))
    try:
        conv = Conversation(core)
        await conv.say("giá vàng hôm nay <b>bao nhiêu</b>")
        question_buttons = conv.replies
        assert "đã được gửi" in await conv.press("Gửi câu hỏi")
        conv.replies = question_buttons
        assert "đã được gửi rồi" in await conv.press("Gửi câu hỏi")  # pressed twice: one alert
        due = await Outbox(core.db).due("telegram")
        assert len(due) == 1 and due[0].chat_id == "-100123"
        assert "&lt;b&gt;bao nhiêu&lt;/b&gt;" in due[0].reply.text  # escaped for officials
        stranger = Conversation(core, user_id="u2")
        stranger.replies = question_buttons
        assert "Không tìm thấy câu hỏi" in await stranger.press("Gửi câu hỏi")
    finally:
        await core.close()


async def test_bad_input_gets_a_short_helpful_answer(core):
    conv = Conversation(core)
    assert "gõ câu hỏi" in (await conv.say("   ")).lower()
    assert "quá dài" in await conv.say("a" * 10_000)
    assert "bằng chữ" in await conv.say("😀😀😀")
    assert "không biết lệnh /abc" in (await conv.say("/abc")).lower()
    assert "tin nhắn chữ" in await conv.send_media()
    await conv.say("<script>alert(1)</script> khai sinh")
    assert "<script>" not in conv.replies[0].text


async def test_language_is_remembered_per_user(core):
    conv = Conversation(core)
    await conv.say("/lang")
    answer = await conv.press("English")
    assert "English" in answer
    assert "Ask about a procedure" in " ".join(conv.buttons())
    again = await conv.say("/start")
    assert "Hello" in again
    other = Conversation(core, user_id="u2")
    assert "Xin chào" in await other.say("/start")


async def test_procedure_code_in_text_shows_that_procedure(core):
    conv = Conversation(core)
    answer = await conv.say("thu tuc 1.001193")
    assert "Đăng ký khai sinh" in answer


async def test_cards_kept_rendered_follow_the_locale_and_the_catalog(core):
    """Cards are rendered once per procedure and locale, and dropped with the catalog."""
    vi, en = Conversation(core), Conversation(core, user_id="u2")
    await en.say("/lang")
    await en.press("English")
    first = await vi.say("lam giay khai sinh")
    assert "Thời gian và lệ phí" in first
    assert "Time and fee" in await en.say("lam giay khai sinh")  # not the Vietnamese card
    assert await vi.say("dang ky khai sinh") == first
    renamed = dataclasses.replace(
        await core.procedure("1.001193"), name="Đăng ký khai sinh (đổi tên để thử)"
    )
    async with core.db.transaction() as conn:
        await upsert(conn, renamed)
    await core.reload_index()
    assert "đổi tên để thử" in await vi.say("lam giay khai sinh")


async def test_forged_button_data_keeps_every_button_within_telegrams_64_bytes(core):
    """Callback data comes back from the client: only real codes ride along to the next card."""
    from handlers.incoming import ACTION, Incoming

    conv = Conversation(core)
    forged = "p:d:1.001193:1.000001,ééééééééé,<b>,1.001193"
    await conv._send(Incoming(kind=ACTION, text=forged, **conv.base))
    assert "Giấy tờ cần nộp" in conv.replies[0].plain()
    back = conv.replies[0].buttons[0][0].action
    assert back == "p:c:1.001193:1.000001"
    await conv.press("Quay lại")
    actions = [b.action for r in conv.replies for row in r.buttons for b in row]
    assert all(len(a.encode()) <= 64 for a in actions)
    assert "p:o:1.000001" in actions
