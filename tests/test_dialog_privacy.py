"""Privacy and authority in the dialog (issue 11, point 6 and the smaller findings).

A stranger who follows a dossier's code reads its status, never an official's note; every
officials' action checks the roster at the first press, and refusals are private notices;
huge numbers are "not found"; control characters never reach the store; a stale form button
says how the form ended.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import make_settings, working_day
from dialog import Conversation
from test_dialog_dossiers import CODE, PHONE, add_dossier, share_contact

from bot.core import open_core
from bot.dossiers.records import parse_record
from bot.feedback import Draft
from bot.notify.outbox import Outbox
from handlers.incoming import ACTION, Incoming

NOTE = "Gọi chị Lan 0987654321 để bổ sung"  # an official's note naming a person and a phone
TEXT = "Đường vào thôn bị sạt lở, đề nghị xã sửa chữa sớm."
HUGE = "99999999999999999999"  # past SQLite's 64-bit integers


@pytest.fixture
async def desk(tmp_path):
    core = await open_core(make_settings(tmp_path, MOTCUA_OFFICIALS_CHAT_ID="-100700"))
    await core.officials.add("terminal", "officer", "official", "18496", "Chị Hoa")
    yield core
    await core.close()


async def press_action(conv: Conversation, action: str) -> str:
    return await conv._send(Incoming(kind=ACTION, text=action, **conv.base))


async def verified_owner(core, user_id: str = "owner") -> Conversation:
    owner = Conversation(core, user_id=user_id)
    await owner.say("/hosocuatoi")  # …then verify; mine() follows the dossier as its owner
    await owner.press("xác minh")
    await owner.press("Tôi đồng ý")
    assert "đã được xác minh" in await share_contact(owner, PHONE)
    return owner


async def sent_to(core, chat_id: str) -> list[str]:
    return [m.reply.text for m in await Outbox(core.db).due("terminal") if m.chat_id == chat_id]


# --- an unverified follower gets the status, never the official's note ----------------------


async def test_stranger_following_a_code_never_reads_the_officials_note(desk):
    await add_dossier(desk)
    stranger = Conversation(desk, user_id="stranger")
    await stranger.say(CODE)
    assert "Xong" in await stranger.press("Báo cho tôi")
    owner = await verified_owner(desk)
    official = Conversation(desk, user_id="officer")
    assert "Yêu cầu bổ sung giấy tờ" in await official.say(f"/hoso {CODE} 5 {NOTE}")

    (to_stranger,) = await sent_to(desk, "stranger")
    (to_owner,) = await sent_to(desk, "owner")
    assert "Yêu cầu bổ sung giấy tờ" in to_stranger and "mang hoặc gửi giấy tờ" in to_stranger
    assert NOTE not in to_stranger and "0987654321" not in to_stranger
    assert NOTE in to_owner

    card = await stranger.say(CODE)  # the lookup follows the same rule
    assert "Yêu cầu bổ sung giấy tờ" in card and "0987654321" not in card
    assert NOTE in await owner.say(CODE)


async def test_stranger_hears_of_the_apology_without_its_reason(desk):
    await add_dossier(desk, due_in_days=-3)
    stranger = Conversation(desk, user_id="stranger")
    await stranger.say(CODE)
    await stranger.press("Báo cho tôi")
    await verified_owner(desk)
    new_day = working_day(desk.calendar)
    official = Conversation(desk, user_id="officer")
    assert "Đã ghi phiếu xin lỗi" in await official.say(f"/xinloi {CODE} {new_day} {NOTE}")
    (to_stranger,) = await sent_to(desk, "stranger")
    (to_owner,) = await sent_to(desk, "owner")
    assert "xin lỗi" in to_stranger and new_day in to_stranger and NOTE not in to_stranger
    assert NOTE in to_owner


# --- the roster at the first press; refusals are private notices, rate-limited ---------------


async def test_stranger_pressing_forward_is_refused_at_the_first_press(desk):
    ticket = await desk.feedback.submit(
        Draft("terminal", "dan", "dan", "de_xuat", "18496", TEXT), datetime.now(UTC)
    )
    stranger = Conversation(desk, user_id="stranger")
    answer = await press_action(stranger, f"f:fw:{ticket.id}")
    assert "cơ quan nào" not in answer and "chỉ cán bộ" in answer.lower()
    assert [r.notice for r in stranger.replies] == [True] and not stranger.buttons()
    official = Conversation(desk, user_id="officer")
    assert "cơ quan nào" in await press_action(official, f"f:fw:{ticket.id}")


async def test_refusals_to_a_stranger_are_notices_and_stop_after_three_a_minute(desk):
    stranger = Conversation(desk, user_id="stranger")
    answers = [await stranger.say(cmd) for cmd in ("/quahan", "/traloi 1 x", "/thongke")]
    assert all("chỉ cán bộ" in a.lower() for a in answers)
    assert stranger.replies and all(r.notice for r in stranger.replies)
    assert await stranger.say("/phananhquahan") == ""  # told enough: nothing more this minute
    assert "chỉ cán bộ" in (await Conversation(desk, user_id="other").say("/quahan")).lower()


# --- huge and malformed numbers are "not found" ----------------------------------------------


async def test_huge_numbers_are_not_found(desk):
    official = Conversation(desk, user_id="officer")
    answer = await official.say(f"/traloi {HUGE} Đã xử lý xong.")
    assert "Không tìm thấy phản ánh" in answer and "trục trặc" not in answer
    assert "Không tìm thấy phản ánh" in await official.say("/traloi PAKN-2026-999999 Đã xử lý.")
    for action in (f"f:as:{HUGE}", f"f:an:{HUGE}", "f:cl:-1", "f:pb:1e9"):
        answer = await press_action(official, action)
        assert "Không tìm thấy phản ánh" in answer and "trục trặc" not in answer, action
    await add_dossier(desk)
    for status in ("²", HUGE, "0"):  # "²" is a digit to str.isdigit, not to int()
        answer = await official.say(f"/hoso {CODE} {status} ghi chú")
        assert "/hoso MÃ TRẠNG_THÁI" in answer and "trục trặc" not in answer, status
    citizen = Conversation(desk, user_id="dan")
    answer = await press_action(citizen, f"f:ok:{HUGE}")
    assert "Không tìm thấy phản ánh" in answer and "trục trặc" not in answer
    answer = await press_action(citizen, f"q:send:{HUGE}")
    assert "Không tìm thấy câu hỏi" in answer and "trục trặc" not in answer


# --- control characters never reach the store -------------------------------------------------


async def test_control_characters_are_cleaned_where_text_enters(desk):
    citizen = Conversation(desk, user_id="dan")
    await citizen.say("/phananh")
    await citizen.press("Đề xuất")
    await citizen.press("Hương Khê")
    await citizen.press("Bỏ qua")
    await citizen.say("Đường\x00 vào thôn\x1b[31m bị sạt lở,\r\nđề nghị\tsửa sớm.\x7f")
    await citizen.press("Tiếp")
    await citizen.press("ẩn danh")
    await citizen.press("Không công khai")
    assert "Đã gửi" in await citizen.press("Gửi")  # the receipt carries the number
    (ticket,) = await desk.feedback.mine("terminal", "dan")
    assert ticket.text == "Đường vào thôn[31m bị sạt lở,\nđề nghị\tsửa sớm."
    row = await desk.db.fetchone("SELECT text FROM feedback WHERE id = ?", (ticket.id,))
    assert "\x00" not in row[0] and "\x1b" not in row[0]


def test_imported_text_is_cleaned():
    from zoneinfo import ZoneInfo

    from bot.catalog.fields import clean, tidy

    record = {
        "code": CODE,
        "procedure_code": "1.001193",
        "agency_code": "18496",
        "received_at": "2026-11-20T08:00:00",
        "status": 4,
        "applicant_name": "Nguyễn\x00 Văn An",
        "note": "dòng một\x00\ndòng\x08 hai",
    }
    dossier = parse_record(record, ZoneInfo("Asia/Ho_Chi_Minh"))
    assert dossier.applicant_name == "Nguyễn Văn An"
    assert dossier.note == "dòng một\ndòng hai"
    assert clean("Khai\x00 sinh") == "Khai sinh" and tidy("a\x00\nb\x1f") == "a\nb"


# --- a stale form button says how the form ended ----------------------------------------------


async def fill_form(citizen: Conversation) -> None:
    await citizen.say("/phananh")
    await citizen.press("Đề xuất")
    await citizen.press("Hương Khê")
    await citizen.press("Bỏ qua")
    await citizen.say(TEXT)
    await citizen.press("Tiếp")
    await citizen.press("ẩn danh")
    await citizen.press("Không công khai")


async def test_stale_send_button_after_sending_says_it_was_sent(desk):
    citizen = Conversation(desk, user_id="dan")
    await fill_form(citizen)
    summary = citizen.replies
    sent = await citizen.press("Gửi")
    (ticket,) = await desk.feedback.mine("terminal", "dan")
    assert "Đã gửi" in sent  # the number is announced once, by the queued receipt
    receipts = [m.reply.plain() for m in await Outbox(desk.db).due("terminal")]
    assert sum(ticket.number in r for r in receipts) == 1
    citizen.replies = summary
    again = await citizen.press("Gửi")  # the summary's button, pressed again later
    assert "đã được gửi" in again and ticket.number in again and "30 phút" not in again
    citizen.replies = summary
    assert "30 phút" not in await citizen.press("Hủy")  # nor "nothing was sent"
    assert len(await desk.feedback.mine("terminal", "dan")) == 1


async def test_stale_button_after_cancelling_says_it_was_cancelled(desk):
    citizen = Conversation(desk, user_id="dan")
    await citizen.say("/phananh")
    first_step = citizen.replies
    assert "Đã hủy" in await citizen.press("Hủy")
    citizen.replies = first_step
    answer = await citizen.press("Đề xuất")
    assert "đã được hủy" in answer and "30 phút" not in answer
    await citizen.say("/phananh")
    first_step = citizen.replies
    await citizen.say("/huy")
    citizen.replies = first_step
    assert "đã được hủy" in await citizen.press("Đề xuất")


async def test_stale_button_after_idling_still_says_idle(desk):
    citizen = Conversation(desk, user_id="dan")
    await citizen.say("/phananh")
    first_step = citizen.replies
    await desk.db.execute(
        "UPDATE conversation_state SET updated_at = ? WHERE user_id = 'dan'",
        ((datetime.now(UTC) - timedelta(hours=1)).isoformat(),),
    )
    assert "30 phút" in await citizen.press("Đề xuất")
    citizen.replies = first_step
    assert "30 phút" in await citizen.press("Đề xuất")  # and again, the same words
    assert "Đăng ký khai sinh" in await citizen.say("lam giay khai sinh")  # nothing waits
