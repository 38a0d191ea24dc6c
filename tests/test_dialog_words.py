"""Words that fit: /huy says what it cancelled, a harassment receipt keeps away from the desk
it is about, a ticket number is announced once, an official is named by the roster."""

from __future__ import annotations

from conftest import make_settings
from dialog import Conversation

from bot.core import open_core
from bot.notify.outbox import Outbox

TEXT = "Cán bộ một cửa đòi thêm tiền mới nhận hồ sơ của tôi."


async def fill_form(conv: Conversation, topic: str) -> str:
    await conv.say("/phananh")
    await conv.press(topic)
    await conv.press("Hương Khê")
    await conv.press("Bỏ qua")
    await conv.say(TEXT)
    await conv.press("Tiếp")
    await conv.press("ẩn danh")
    await conv.press("Không công khai")
    return await conv.press("Gửi")


async def citizen_messages(core, chat: str) -> list[str]:
    return [m.reply.plain() for m in await Outbox(core.db).due("terminal") if m.chat_id == chat]


async def test_cancel_says_what_was_cancelled_or_that_nothing_was(core):
    conv = Conversation(core)
    answer = await conv.say("/huy")
    assert "không có việc gì đang làm dở, nên không có gì để hủy" in answer
    await conv.say("/phananh")
    answer = await conv.say("/huy")
    assert "Đã hủy: phiếu phản ánh của bạn (chưa có gì được gửi đi)." in answer
    assert "không có gì để hủy" in await conv.say("/huy")


async def test_cancel_in_english(core):
    conv = Conversation(core)
    await conv.say("/lang")
    await conv.press("English")
    assert "Nothing was in progress" in await conv.say("/huy")


async def test_harassment_receipt_never_names_the_desk_nor_sends_back_to_it(tmp_path):
    core = await open_core(make_settings(tmp_path))  # no leaders' chat: held, not routed
    try:
        conv = Conversation(core, user_id="dan")
        answer = await fill_form(conv, "nhũng nhiễu")
        [receipt] = await citizen_messages(core, "dan")
        whole = answer + "\n" + receipt
        assert "Gửi đến" not in receipt  # issue 18: it was not sent, so it does not say so
        assert "Hương Khê" not in receipt and "Bộ phận Một cửa" not in receipt
        assert "không chuyển cho cán bộ bị phản ánh" in receipt
        assert whole.count("PAKN-") == 1  # the number, once
    finally:
        await core.close()


async def test_ticket_number_is_announced_once(tmp_path):
    core = await open_core(make_settings(tmp_path, MOTCUA_OFFICIALS_CHAT_ID="-100"))
    try:
        conv = Conversation(core, user_id="dan")
        answer = await fill_form(conv, "Đề xuất")
        [receipt] = await citizen_messages(core, "dan")
        assert "PAKN-" not in answer and receipt.count("PAKN-") == 1
        assert "Số phiếu: PAKN-" in receipt and "Gửi đến: UBND xã Hương Khê" in receipt
    finally:
        await core.close()


async def test_unsatisfied_alert_names_the_official_by_the_roster(tmp_path):
    from datetime import UTC, datetime, timedelta

    from bot.dossiers.model import Dossier
    from bot.dossiers.repository import apply, set_status
    from bot.ratings.model import Rating
    from bot.ratings.notices import alert_unsatisfied

    core = await open_core(make_settings(tmp_path, MOTCUA_OFFICIALS_CHAT_ID="-100700"))
    try:
        await core.officials.add("telegram", "4242", "official", "18496", "Chị Hoa")
        now = datetime.now(UTC).replace(microsecond=0)
        d = Dossier("000.00.06.H56-261120-0361", "1.001193", "18496", now - timedelta(5), 9)
        async with core.db.transaction() as conn:
            await apply(conn, d, "test")
            await set_status(conn, d.code, 10, "4242")
            rating = Rating(
                d.code, "terminal", "u", "khong_hai_long", now, now, "18496", "1.001193"
            )
            await alert_unsatisfied(conn, d, rating, None, core.settings)
        [alert] = [m for m in await Outbox(core.db).due("telegram") if m.chat_id == "-100700"]
        assert "Chị Hoa" in alert.reply.text and "4242" not in alert.reply.text
    finally:
        await core.close()


async def test_cancel_drops_an_officials_pending_answer_and_names_the_ticket(tmp_path):
    from datetime import UTC, datetime

    from bot.feedback import Draft
    from handlers.incoming import ACTION, Incoming

    core = await open_core(make_settings(tmp_path, MOTCUA_OFFICIALS_CHAT_ID="-100700"))
    try:
        await core.officials.add("terminal", "desk", "official", "18496", "Chị Hoa")
        text = "Đường vào thôn bị sạt lở, đề nghị xã sửa chữa sớm."
        ticket = await core.feedback.submit(
            Draft("terminal", "dan", "dan", "de_xuat", "18496", text), datetime.now(UTC)
        )
        official = Conversation(core, user_id="desk")
        await official._send(Incoming(kind=ACTION, text=f"f:an:{ticket.id}", **official.base))
        answer = await official.say("/huy")
        assert f"Đã hủy: câu trả lời của bạn cho phản ánh số {ticket.number}." in answer
        assert await core.feedback.pending_answer_for("terminal", "desk") is None
        assert "Đăng ký khai sinh" in await official.say("lam giay khai sinh")  # not an answer
        assert (await core.feedback.get(ticket.id)).answer is None
    finally:
        await core.close()
