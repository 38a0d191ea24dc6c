"""The fake Bot API server, driven through python-telegram-bot's real HTTP stack.

These tests pin down that the fake refuses what Telegram refuses (with Telegram's
descriptions), so the bot's own tests can trust a green run against it.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import warnings

import pytest
from fakebotapi import FakeBotApi
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    MessageEntity,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

USER = 42
HTML = "HTML"


@pytest.fixture
async def bot(api: FakeBotApi):
    async with Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url) as client:
        api.push_text(USER, "xin chào")  # the user wrote first, so the bot may answer
        yield client


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in pairs])


async def refused(call, exc_type=BadRequest) -> str:
    with pytest.raises(exc_type) as info:
        await call
    return info.value.message


async def test_get_me(api: FakeBotApi, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "motcua_test_bot", True)
    assert api.last("getMe").params == {}


async def test_html_is_stored_as_parsed_text(api: FakeBotApi, bot: Bot) -> None:
    text = '<b>Xin chào</b> &lt;3 <a href="https://dichvucong.gov.vn">DVC</a>'
    message = await bot.send_message(USER, text, parse_mode=HTML)
    assert message.text == "Xin chào <3 DVC"
    assert [e.type for e in message.entities] == [MessageEntity.BOLD, MessageEntity.TEXT_LINK]
    assert api.bot_texts(USER) == ["Xin chào <3 DVC"]
    assert api.last("sendMessage", chat_id=USER).params["text"] == text


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("a < b", 'unsupported start tag "" at byte offset 2'),
        ("Tom & Jerry", "character '&' at byte offset 4"),
        ("dòng 1<br>dòng 2", 'unsupported start tag "br" at byte offset 7'),
        ("<b>đậm", 'can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    ],
)
async def test_bad_html_is_refused(bot: Bot, text: str, detail: str) -> None:
    message = (await refused(bot.send_message(USER, text, parse_mode=HTML))).lower()
    assert message.startswith("can't parse entities: ")
    assert detail in message


async def test_markdown_v2_reserved_characters(bot: Bot) -> None:
    message = await refused(bot.send_message(USER, "Xong.", parse_mode="MarkdownV2"))
    assert message.lower() == (
        "can't parse entities: character '.' is reserved and must be escaped with the "
        "preceding '\\'"
    )
    sent = await bot.send_message(USER, "*Xong*\\.", parse_mode="MarkdownV2")
    assert sent.text == "Xong."


async def test_length_counts_utf16_after_parsing(bot: Bot) -> None:
    assert await refused(bot.send_message(USER, "a" * 4097)) == "Message is too long"
    assert len((await bot.send_message(USER, "a" * 4096)).text) == 4096
    long_html = "&lt;" + "a" * 4095  # 4099 characters sent, 4096 after parsing
    assert (await bot.send_message(USER, long_html, parse_mode=HTML)).text.startswith("<a")
    assert (await bot.send_message(USER, "😀" * 2048)).text  # 2 code units each
    assert await refused(bot.send_message(USER, "😀" * 2048 + "a")) == "Message is too long"


async def test_empty_text(bot: Bot) -> None:
    assert await refused(bot.send_message(USER, "")) == "Message text is empty"
    assert await refused(bot.send_message(USER, "<b> </b>", parse_mode=HTML)) == (
        "Text must be non-empty"
    )


async def test_callback_data_is_limited_in_bytes(bot: Bot) -> None:
    data = "ệ" * 21 + "a"  # 22 characters, 64 bytes
    await bot.send_message(USER, "Chọn", reply_markup=keyboard(("ok", data)))
    too_long = data + "b"
    markup = keyboard(("quá dài", too_long))
    assert await refused(bot.send_message(USER, "Chọn", reply_markup=markup)) == (
        "Button_data_invalid"
    )


async def test_inline_buttons_need_one_action(bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("chỉ có chữ")]])
    message = await refused(bot.send_message(USER, "x", reply_markup=markup))
    assert "text buttons are unallowed in the inline keyboard" in message.lower()
    bad_url = InlineKeyboardMarkup([[InlineKeyboardButton("web", url="dichvucong")]])
    message = await refused(bot.send_message(USER, "x", reply_markup=bad_url))
    assert message.endswith("is invalid: wrong http url")


async def test_edit_message(api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Bước 1", reply_markup=keyboard(("Tiếp", "next")))
    same = bot.edit_message_text("Bước 1", USER, sent.message_id, reply_markup=sent.reply_markup)
    assert (await refused(same)).startswith("Message is not modified: specified new message")
    edited = await bot.edit_message_text("<i>Bước 2</i>", USER, sent.message_id, parse_mode=HTML)
    assert (edited.text, edited.reply_markup) == ("Bước 2", None)  # no markup: keyboard removed
    assert api.bot_texts(USER) == ["Bước 2"]
    missing = bot.edit_message_text("x", USER, 9999)
    assert await refused(missing) == "Message to edit not found"
    reply_kb = ReplyKeyboardMarkup([["a"]])
    wrong = bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=reply_kb)
    assert await refused(wrong) == "Inline keyboard expected"


async def test_unknown_and_blocked_chats(api: FakeBotApi, bot: Bot) -> None:
    assert await refused(bot.send_message(777, "chào")) == "Chat not found"
    api.block(USER)
    blocked = await refused(bot.send_message(USER, "chào"), Forbidden)
    assert blocked == "Forbidden: bot was blocked by the user"
    api.push_text(USER, "/start")  # writing again means they unblocked the bot
    assert (await bot.send_message(USER, "chào lại")).text == "chào lại"


async def test_injected_flood_wait(api: FakeBotApi, bot: Bot, monkeypatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    api.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(USER, "1")
    assert info.value.retry_after == dtm.timedelta(seconds=3)
    assert (await bot.send_message(USER, "2")).text == "2"
    assert [r.status for r in api.requests if r.method == "sendMessage"] == [429, 200]


async def test_injected_server_errors(api: FakeBotApi, bot: Bot) -> None:
    api.fail_next("*", 500, chat_id=USER)
    assert await refused(bot.send_message(USER, "1"), NetworkError) == "Internal Server Error"
    api.fail_next("sendChatAction", disconnect=True)
    with pytest.raises(NetworkError):
        await bot.send_chat_action(USER, "typing")
    assert (await bot.send_message(USER, "2")).text == "2"


async def test_a_slow_chat_answers_late_and_a_client_that_gives_up_is_not_served(
    api: FakeBotApi,
) -> None:
    api.add_user(USER)
    api.add_user(43)
    api.slow_chat(USER, 30)  # far past the client's read timeout below
    async with Bot(api.token, base_url=api.base_url) as impatient:
        with pytest.raises(NetworkError):  # TimedOut
            await impatient.send_message(USER, "1", read_timeout=0.2)
        assert (await impatient.send_message(43, "other chat")).text == "other chat"
        await api._until(lambda: any(r.status == 499 for r in api.requests), 10, "a 499")
        api.slow_chat(USER, 0)
        assert (await impatient.send_message(USER, "2")).text == "2"
    assert [c.params["text"] for c in api.calls("sendMessage", chat_id=USER)] == ["2"]
    assert [r.status for r in api.requests if r.params.get("chat_id") == USER] == [499, 200]
    assert all(r.at > 0 for r in api.requests)


async def test_explicit_entities_and_parse_modes(bot: Bot) -> None:
    bold = MessageEntity(MessageEntity.BOLD, 0, 100)
    too_far = await refused(bot.send_message(USER, "hello", entities=[bold]))
    assert too_far.endswith("ends after the end of the text at utf-16 offset 100")
    unknown_mode = await refused(bot.send_message(USER, "x", parse_mode="BBCode"))
    assert unknown_mode == "Unsupported parse_mode"
    legacy = await bot.send_message(USER, "*Đậm* và _nghiêng_", parse_mode="Markdown")
    assert legacy.text == "Đậm và nghiêng"


async def test_bot_commands(bot: Bot) -> None:
    bad = [BotCommand("Start", "Bắt đầu")]
    assert await refused(bot.set_my_commands(bad)) == "Bot_command_invalid"
    commands = [BotCommand("start", "Bắt đầu"), BotCommand("tra_cuu", "Tra cứu thủ tục")]
    assert await bot.set_my_commands(commands)
    assert list(await bot.get_my_commands()) == commands


async def test_callback_query_answered_once(api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Chọn", reply_markup=keyboard(("Có", "yes")))
    update = api.push_callback(USER, sent.message_id, "yes")
    query_id = update["callback_query"]["id"]
    assert await bot.answer_callback_query(query_id, text="Đã chọn")
    again = await refused(bot.answer_callback_query(query_id))
    assert again == "Query is too old and response timeout expired or query id is invalid"
    with pytest.raises(ValueError, match="no button"):
        api.push_callback(USER, sent.message_id, "no")


async def test_long_polling_wakes_on_push(api: FakeBotApi, bot: Bot) -> None:
    first = await bot.get_updates(timeout=0)
    assert [u.message.text for u in first] == ["xin chào"]
    poll = asyncio.ensure_future(bot.get_updates(offset=first[-1].update_id + 1, timeout=10))
    await api.wait_polling()
    started = asyncio.get_running_loop().time()
    api.push_text(USER, "/start")
    updates = await asyncio.wait_for(poll, 5)
    assert asyncio.get_running_loop().time() - started < 2
    assert updates[0].message.text == "/start"
    assert updates[0].message.entities[0].type == MessageEntity.BOT_COMMAND


async def test_photo_upload_and_download(api: FakeBotApi, bot: Bot) -> None:
    data = b"\xff\xd8\xff fake jpeg \xff\xd9"
    sent = await bot.send_photo(USER, data, caption="<b>Ảnh</b> hồ sơ", parse_mode=HTML)
    assert sent.caption == "Ảnh hồ sơ"
    assert api.last("sendPhoto").params["photo"].data == data
    file = await bot.get_file(sent.photo[-1].file_id)
    assert bytes(await file.download_as_bytearray()) == data
    again = await bot.send_photo(USER, sent.photo[-1].file_id)
    assert again.photo[-1].file_id == sent.photo[-1].file_id
    caption = await refused(bot.send_photo(USER, data, caption="x" * 1025))
    assert caption == "Message caption is too long"
    by_url = await bot.send_document(USER, "https://dichvucong.gov.vn/mau-don.pdf")
    assert by_url.document.file_name == "mau-don.pdf"  # accepted, never fetched
    unknown = await refused(bot.send_document(USER, "no-such-file-id"))
    assert unknown == "Wrong file identifier/http url specified"


async def test_reply_keyboard_and_contact(api: FakeBotApi, bot: Bot) -> None:
    share = ReplyKeyboardMarkup([[KeyboardButton("Chia sẻ số điện thoại", request_contact=True)]])
    await bot.send_message(USER, "Cho xin số điện thoại", reply_markup=share)
    assert api.keyboard(USER)["keyboard"][0][0]["request_contact"] is True
    update = api.push_contact(USER, "84901234567")
    assert update["message"]["contact"]["user_id"] == USER
    await bot.send_message(USER, "Cảm ơn", reply_markup=ReplyKeyboardRemove())
    assert api.keyboard(USER) is None


async def test_chat_actions_and_deletes(bot: Bot) -> None:
    assert await bot.send_chat_action(USER, "typing")
    wrong = await refused(bot.send_chat_action(USER, "dancing"))
    assert wrong == "Wrong parameter action in request"
    sent = await bot.send_message(USER, "tạm")
    assert await bot.delete_message(USER, sent.message_id)
    assert await refused(bot.delete_message(USER, sent.message_id)) == (
        "Message to delete not found"
    )
    chat = await bot.get_chat(USER)
    assert (chat.id, chat.type) == (USER, "private")


async def test_unknown_method_and_wrong_token(api: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")
    stranger = Bot("123456:WRONG-token-abcdefghijklmnopqr", base_url=api.base_url)
    with pytest.raises(InvalidToken):
        await stranger.initialize()
    await stranger.shutdown()
    assert [r.status for r in api.requests[-2:]] == [404, 401]


async def test_allowed_updates_filter_new_updates(api: FakeBotApi, bot: Bot) -> None:
    (update,) = await bot.get_updates(timeout=0, allowed_updates=["callback_query"])
    sent = await bot.send_message(USER, "Chọn", reply_markup=keyboard(("Có", "yes")))
    api.push_text(USER, "bị bỏ qua")  # not an allowed type: Telegram never queues it
    api.push_callback(USER, sent.message_id, "yes")
    updates = await bot.get_updates(offset=update.update_id + 1, timeout=0)
    assert [u.callback_query.data for u in updates] == ["yes"]
    assert [u["message"]["text"] for u in api.world.dropped] == ["bị bỏ qua"]


async def test_second_poller_conflicts(api: FakeBotApi, bot: Bot) -> None:
    (update,) = await bot.get_updates(timeout=0)
    first = asyncio.ensure_future(bot.get_updates(offset=update.update_id + 1, timeout=10))
    await api.wait_polling()
    async with Bot(api.token, base_url=api.base_url) as other_instance:
        second = other_instance.get_updates(offset=update.update_id + 1, timeout=0)
        assert await second == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, 5)


async def test_wait_for_reports_what_was_sent(api: FakeBotApi, bot: Bot) -> None:
    await bot.send_message(USER, "một")
    with pytest.raises(AssertionError, match=r"Sent: \['getMe', 'sendMessage'\]"):
        await api.wait_for("sendPhoto", timeout=0.05)


async def test_stop_ends_a_pending_long_poll(api: FakeBotApi, bot: Bot) -> None:
    (update,) = await bot.get_updates(timeout=0)
    poll = asyncio.ensure_future(bot.get_updates(offset=update.update_id + 1, timeout=30))
    await api.wait_polling()
    await asyncio.wait_for(api.stop(), 3)
    with pytest.raises(NetworkError):
        await asyncio.wait_for(poll, 5)


async def test_application_polls_and_replies(api: FakeBotApi, caplog) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        markup = keyboard(("Tra cứu", "lookup"))
        await update.effective_message.reply_text("<b>Chào bạn!</b>", "HTML", reply_markup=markup)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text("Đang tra cứu…")

    app = ApplicationBuilder().token(api.token).base_url(api.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        await app.initialize()
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            api.push_text(USER, "/start")
            (reply,) = await api.wait_for("sendMessage", chat_id=USER)
            assert reply.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == (
                "lookup"
            )
            message_id = api.messages(USER)[-1]["message_id"]
            api.push_callback(USER, message_id, "lookup")
            await api.wait_for("editMessageText", chat_id=USER)
            await api.wait_for("answerCallbackQuery")
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
    assert api.bot_texts(USER) == ["Đang tra cứu…"]
    assert [r for r in api.requests if r.status not in (200, 499)] == []
    assert [str(w.message) for w in caught] == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
