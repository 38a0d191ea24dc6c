"""End to end on Telegram: /start, a question, a button, bad input — through real HTTP."""

from __future__ import annotations

from telegram_harness import buttons, press, refused, running_bot

from bot.catalog.model import Document, Procedure
from bot.catalog.repository import upsert

CITIZEN = 4242


async def test_start_registers_commands_and_shows_the_menu(tmp_path, api):
    async with running_bot(tmp_path, api):
        commands = api.last("setMyCommands").params["commands"]
        assert {c["command"] for c in commands} >= {"start", "help", "lang"}
        api.push_text(CITIZEN, "/start")
        (reply,) = await api.wait_for("sendMessage", chat_id=CITIZEN)
        assert "MotCua" in reply.params["text"]
        labels = [text for text, _data in buttons(reply)]
        assert any("Hỏi về thủ tục" in t for t in labels)
        assert any("Ngôn ngữ" in t for t in labels)
    assert not refused(api)


async def test_question_without_diacritics_then_documents_button(tmp_path, api):
    async with running_bot(tmp_path, api):
        # no part asked for: the whole card ("… cần gì" leads with the papers since issue 14)
        api.push_text(CITIZEN, "lam giay khai sinh")
        (card,) = await api.wait_for("sendMessage", chat_id=CITIZEN)
        assert "Đăng ký khai sinh" in card.params["text"]
        assert "1.001193" in card.params["text"]
        assert card.params["parse_mode"] == "HTML"
        card_id = api.messages(CITIZEN)[-1]["message_id"]
        shown_card = api.bot_texts(CITIZEN)
        before = len(api.sent)
        press(api, CITIZEN, "Giấy tờ")
        await api.wait_for("answerCallbackQuery", since=before)
        (docs,) = await api.wait_for("editMessageText", since=before, message_id=card_id)
        assert "Giấy tờ cần nộp" in docs.params["text"]
        assert "Tờ khai đăng ký khai sinh" in docs.params["text"]
        # The same button again (an old copy of the keyboard): nothing changes, no error.
        data = next(d for label, d in buttons(card) if "Giấy tờ" in label)
        before = len(api.sent)
        api.push_callback(CITIZEN, card_id, data, check=False)
        await api.wait_for("answerCallbackQuery", since=before)
        press(api, CITIZEN, "Quay lại")
        await api.wait_for("editMessageText", since=before, message_id=card_id)
        assert api.bot_texts(CITIZEN) == shown_card  # one message, the card again
        shown = api.messages(CITIZEN)[-1]["reply_markup"]["inline_keyboard"]
        assert [b["text"] for row in shown for b in row] == [t for t, _ in buttons(card)]
        assert not api.calls("sendMessage")[1:]
    assert [r.response.get("description") for r in refused(api)] == [
        "Bad Request: message is not modified: specified new message content and reply markup"
        " are exactly the same as a current content and reply markup of the message"
    ]


async def test_other_matches_and_back_keep_to_one_message(tmp_path, api):
    async with running_bot(tmp_path, api):
        api.push_text(CITIZEN, "dang ky")  # vague: the card offers other matches
        (card,) = await api.wait_for("sendMessage", chat_id=CITIZEN)
        assert any("Thủ tục khác" in label for label, _ in buttons(card)), buttons(card)
        before = len(api.sent)
        press(api, CITIZEN, "Các bước")
        await api.wait_for("editMessageText", since=before)
        press(api, CITIZEN, "Quay lại")
        (back,) = await api.wait_for("editMessageText", since=before + 2)
        assert buttons(back) == buttons(card)  # the other matches came back with the card
        press(api, CITIZEN, "Thủ tục khác")
        (listed,) = await api.wait_for("editMessageText", since=before + 4)
        assert len(buttons(listed)) >= 2
        assert len(api.bot_texts(CITIZEN)) == 1
    assert not refused(api)


async def test_a_card_sent_again_from_the_caches_is_the_same_and_accepted(tmp_path, api):
    """Cards, answers and keyboards are kept between questions: the second is sent
    exactly as the first, and Telegram's answer is not needed to carry on."""
    async with running_bot(tmp_path, api):
        api.push_text(CITIZEN, "lam giay khai sinh can gi")
        (first,) = await api.wait_for("sendMessage", chat_id=CITIZEN)
        before = len(api.sent)
        api.push_text(CITIZEN, "Lam giay  khai sinh can gi")
        (again,) = await api.wait_for("sendMessage", since=before, chat_id=CITIZEN)
        assert again.params == first.params
        assert first.params["link_preview_options"] == {"is_disabled": True}
        assert len(api.messages(CITIZEN)) == 4  # two questions, two cards
        before = len(api.sent)
        api.fail_next("sendMessage", 403, description="Forbidden: bot was blocked by the user")
        api.push_text(CITIZEN, "lam giay khai sinh can gi")
        api.push_text(CITIZEN, "lam giay khai sinh can gi")  # a refusal does not stop the bot
        (third,) = await api.wait_for(
            lambda c: c.method == "sendMessage" and c.params["text"] == first.params["text"],
            since=before,
        )
        assert third.params == first.params


async def test_abstains_and_forwards_the_question_to_officials_once(tmp_path, api):
    officials = -100777
    api.add_chat(officials, "supergroup")
    async with running_bot(tmp_path, api, MOTCUA_OFFICIALS_CHAT_ID=str(officials)):
        api.push_text(CITIZEN, "giá vàng hôm nay bao nhiêu <b>&")
        (reply,) = await api.wait_for("sendMessage", chat_id=CITIZEN)
        assert "chưa tìm thấy thủ tục" in reply.params["text"]
        press(api, CITIZEN, "Gửi câu hỏi")
        (alert,) = await api.wait_for("sendMessage", chat_id=officials)
        assert "giá vàng" in alert.params["text"]
        await api.wait_for("sendMessage", count=2, chat_id=CITIZEN)
    assert len(api.calls("sendMessage", chat_id=officials)) == 1
    assert not refused(api)


async def test_bad_input_gets_short_answers_and_nothing_is_refused(tmp_path, api):
    async with running_bot(tmp_path, api):
        api.push_sticker(CITIZEN, "😀")
        api.push_photo(CITIZEN)
        api.push_document(CITIZEN, "hoso.pdf", "application/pdf")
        api.push_text(CITIZEN, "/khongcolenhnay")
        api.push_text(CITIZEN, "<b>khai sinh</b> & <script>")
        api.push_text(CITIZEN, "x" * 10_000)
        api.push_text(CITIZEN, "🙏🙏")
        replies = await api.wait_for("sendMessage", count=7, chat_id=CITIZEN)
        texts = "\n".join(r.params["text"] for r in replies)
        assert texts.count("chỉ đọc được tin nhắn chữ") == 3
        assert "không biết lệnh /khongcolenhnay" in texts
        assert "quá dài" in texts
    assert not refused(api)


async def test_long_sections_are_split_under_the_limit(tmp_path, api):
    async with running_bot(tmp_path, api) as app:
        core = app.bot_data["core"]
        big = Procedure(
            code="9.999999",
            name="Thủ tục thử nghiệm rất dài",
            levels=["xa"],
            documents=[Document(f"Giấy tờ số {i} <kèm> & bản sao " + "x" * 80) for i in range(200)],
        )
        async with core.db.transaction() as conn:
            await upsert(conn, big)
        api.push_text(CITIZEN, "9.999999")
        await api.wait_for("sendMessage", chat_id=CITIZEN)
        before = len(api.sent)
        press(api, CITIZEN, "Giấy tờ")
        await api.wait_for(  # the buttons travel with the last part
            lambda c: c.method == "sendMessage" and "reply_markup" in c.params, since=before
        )
        parts = [c for c in api.sent[before:] if c.method == "sendMessage"]
        assert len(parts) >= 5
        assert all(len(p.params["text"]) <= 4096 for p in parts)
        assert "Giấy tờ số 199 &lt;kèm&gt;" in parts[-1].params["text"]
        assert parts[-1].params.get("reply_markup") and not parts[0].params.get("reply_markup")
    assert not refused(api)
