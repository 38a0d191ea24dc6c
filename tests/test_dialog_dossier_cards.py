"""Honest dossier cards through the real stack: late with and without an apology, more
papers needed, returned, the citizen's list, and the notifications built from the same text."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from conftest import make_settings
from dialog import Conversation
from test_dialog_dossiers import share_contact

from bot.core import open_core
from bot.dossiers.model import Dossier
from bot.dossiers.repository import apply, record_apology, set_status
from bot.notify.outbox import Outbox

LATE = "000.11.32.H23-261001-0007"
PAPERS = "000.11.32.H23-261120-0008"
RETURNED = "000.11.32.H23-261110-0009"
PHONE = "0912345623"
DESK = {
    "code": "18496",
    "name": "UBND xã Hương Khê",
    "level": "xa",
    "aliases": ["000.11.32.H23"],
    "address": "Số 1 đường Thử, xã Hương Khê",
    "phone": "0239 000 0000",
    "hours": "Thứ Hai đến thứ Sáu, 7:30–17:00",
}
BARE = {"code": "18502", "name": "UBND xã Hà Linh", "level": "xa"}


@pytest.fixture
async def core(tmp_path):
    path = tmp_path / "agencies.json"
    path.write_text(json.dumps({"agencies": [DESK, BARE]}, ensure_ascii=False), "utf-8")
    core = await open_core(make_settings(tmp_path, MOTCUA_AGENCIES_FILE=str(path)))
    yield core
    await core.close()


async def add(core, code, status=4, due=-40, agency="000.11.32.H23", note=None, phone=PHONE):
    """A dossier `due` days from now (negative: past), stored through the real writer."""
    now = datetime.now(UTC).replace(microsecond=0)
    dossier = Dossier(
        code=code,
        procedure_code="1.001193",
        agency_code=agency,
        received_at=now + timedelta(days=due - 10),
        status=status,
        applicant_name="Nguyễn Văn An",
        applicant_phone=phone,
        channel="truc_tiep",
        due_at=now + timedelta(days=due),
        status_at=now - timedelta(days=1),
        note=note,
    )
    async with core.db.transaction() as conn:
        await apply(conn, dossier, "test", on_events=core.notifier)
    return dossier


async def verified(core, user="owner") -> Conversation:
    conv = Conversation(core, user_id=user)
    await conv.say("/hosocuatoi")
    await conv.press("xác minh")
    await conv.press("Tôi đồng ý")
    await share_contact(conv, PHONE)
    return conv


async def test_late_without_apology_says_so_gives_the_desk_and_opens_the_form(core):
    await add(core, LATE)
    conv = Conversation(core)
    answer = await conv.say(LATE)
    assert "Hồ sơ của bạn đã trễ hạn: quá hạn" in answer
    assert "Cơ quan chưa gửi thư xin lỗi cho bạn." in answer
    assert "phải gửi bạn phiếu xin lỗi, nêu lý do và hẹn lại ngày trả" in answer
    assert "Bạn chưa cần làm gì" not in answer and "Chờ kết quả" not in answer
    assert "Bộ phận Một cửa: UBND xã Hương Khê" in answer  # the alias resolved to the desk
    assert "Số 1 đường Thử" in answer and "0239 000 0000" in answer and "7:30–17:00" in answer
    answer = await conv.press("Phản ánh việc chậm trễ")
    assert f"Phản ánh việc chậm trễ của hồ sơ {LATE}" in answer
    assert "Hồ sơ chậm, quá hạn" in answer and "UBND xã Hương Khê" in answer
    assert "Bước 4" in answer  # topic, commune and code are filled in: straight to the text
    await conv.say("Hồ sơ của tôi quá hạn hơn một tháng mà chưa được báo gì.")
    await conv.press("Tiếp")
    await conv.press("ẩn danh")
    answer = await conv.press("Không công khai")
    assert f"Hồ sơ: {LATE}" in answer and "Hồ sơ chậm, quá hạn" in answer
    await conv.press("Gửi")
    [ticket] = await core.feedback.mine("terminal", "u1")
    assert (ticket.dossier_code, ticket.category, ticket.agency_code) == (LATE, "cham_tre", "18496")


async def test_late_with_a_recorded_apology_shows_it_with_the_new_date(core):
    await add(core, LATE, due=-3)
    new_due = datetime.now(UTC) + timedelta(days=9)
    async with core.db.transaction() as conn:
        await record_apology(conn, LATE, "Chờ xác minh của công an", new_due, "7")
    stranger = await Conversation(core, user_id="stranger").say(LATE)
    assert "Cơ quan đã xin lỗi bạn" in stranger  # the apology and the date, not the reason
    assert "Chờ xác minh của công an" not in stranger and "Ngày hẹn mới:" in stranger
    conv = await verified(core)
    answer = await conv.say(LATE)
    assert "Cơ quan đã xin lỗi bạn" in answer and "Chờ xác minh của công an" in answer
    day = core.settings.timezone
    assert new_due.astimezone(day).strftime("%d/%m/%Y") in answer.split("Ngày hẹn mới:")[1]
    assert "chờ đến ngày hẹn mới" in answer
    assert "✉️ Phản ánh việc chậm trễ" in conv.buttons()


async def test_a_desk_without_contact_data_is_named_without_inventing_any(core):
    await add(core, "000.00.02.H42-261001-0001", agency="18502")
    answer = await Conversation(core).say("000.00.02.H42-261001-0001")
    assert "Bộ phận Một cửa: UBND xã Hà Linh" in answer
    assert "Điện thoại" not in answer and "Địa chỉ" not in answer


async def test_more_papers_shows_the_officials_note_to_the_owner(core):
    await add(core, PAPERS, status=5, due=5, note="Bản sao giấy chứng sinh")
    conv = await verified(core)
    answer = await conv.say(PAPERS)
    assert "Giấy tờ cần bổ sung: Bản sao giấy chứng sinh" in answer
    assert "Bộ phận Một cửa: UBND xã Hương Khê" in answer and "trễ hạn" not in answer


async def test_returned_shows_the_date_and_a_rate_button(core):
    await add(core, RETURNED, status=9, due=-2)
    async with core.db.transaction() as conn:
        await set_status(conn, RETURNED, 10, "7", on_events=core.notifier)
    conv = await verified(core)
    answer = await conv.say(RETURNED)
    today = datetime.now(core.settings.timezone).strftime("%d/%m/%Y")
    assert "Đã trả kết quả ngày" in answer and today in answer
    assert "trễ hạn" not in answer
    answer = await conv.press("Đánh giá sự hài lòng")
    assert "Bạn có hài lòng" in answer


async def test_my_dossiers_put_the_late_ones_first_and_mark_them(core):
    await add(core, PAPERS, status=5, due=5)
    await add(core, LATE)
    conv = await verified(core)
    answer = await conv.say("/hosocuatoi")
    lines = [line for line in answer.splitlines() if line.startswith("• ")]
    assert lines[0].startswith(f"• {LATE}") and "⚠️ quá hạn" in lines[0]
    assert "quá hạn" not in lines[1]
    assert "1 hồ sơ đã trễ hạn" in answer
    assert conv.buttons()[0] == f"⚠️ {LATE}"


async def test_a_status_change_on_a_late_dossier_does_not_say_wait(core):
    await add(core, LATE)
    follower = Conversation(core, user_id="citizen")
    await follower.say(LATE)
    await follower.press("Báo cho tôi")
    async with core.db.transaction() as conn:
        await set_status(conn, LATE, 2, "7", on_events=core.notifier)
    [message] = await Outbox(core.db).due("terminal")
    text = message.reply.plain()
    assert "Hồ sơ của bạn đã trễ hạn" in text and "Bộ phận Một cửa: UBND xã Hương Khê" in text
    assert "Bạn chưa cần làm gì" not in text
    labels = [b.label for row in message.reply.buttons for b in row]
    assert "✉️ Phản ánh việc chậm trễ" in labels


async def test_waiting_for_the_citizens_papers_is_not_called_the_offices_delay(core):
    await add(core, PAPERS, status=5, due=-3, note="Tờ khai có chữ ký")
    conv = await verified(core)
    answer = await conv.say(PAPERS)
    assert "Giấy tờ cần bổ sung: Tờ khai có chữ ký" in answer
    assert "Hồ sơ của bạn đã trễ hạn" not in answer and "phiếu xin lỗi" not in answer
    assert "✉️ Phản ánh việc chậm trễ" not in conv.buttons()
