"""Dossier status as conversations: lookups, masking, verification, consent, officials."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import working_day
from dialog import Conversation

from bot.dossiers.model import Dossier
from bot.dossiers.repository import apply
from bot.notify.outbox import Outbox
from handlers.incoming import CONTACT, Incoming

CODE = "000.00.06.H56-261120-0361"
PHONE = "0912345623"


async def add_dossier(core, code=CODE, status=4, due_in_days=5, phone=PHONE, agency="18496"):
    now = datetime.now(UTC).replace(microsecond=0)
    dossier = Dossier(
        code=code,
        procedure_code="1.001193",
        agency_code=agency,
        received_at=now - timedelta(days=3),
        status=status,
        applicant_name="Nguyễn Văn An",
        applicant_phone=phone,
        channel="truc_tiep",
        due_at=now + timedelta(days=due_in_days),
        status_at=now - timedelta(days=1),
        result_place="Bộ phận Một cửa xã Hương Khê",
    )
    async with core.db.transaction() as conn:
        await apply(conn, dossier, "test", on_events=core.notifier)
    return dossier


async def share_contact(conv: Conversation, phone: str, owner: str | None = None) -> str:
    msg = Incoming(
        kind=CONTACT,
        contact_phone=phone,
        contact_user_id=owner or conv.base["user_id"],
        **conv.base,
    )
    return await conv._send(msg)


async def verify(conv: Conversation, phone: str = PHONE) -> None:
    """The citizen proves the dossier's phone is theirs (consent, then their own contact)."""
    await conv.say("/hosocuatoi")
    await conv.press("xác minh")
    await conv.press("Tôi đồng ý")
    assert "đã được xác minh" in await share_contact(conv, phone)


async def test_lookup_masks_personal_data_until_verified(core):
    await add_dossier(core)
    conv = Conversation(core)
    answer = await conv.say(f"cho hỏi hồ sơ {CODE.lower().replace('-', ' - ')} đến đâu rồi")
    assert "Đang xử lý" in answer and "Đăng ký khai sinh" in answer
    assert "Nguyễn V*** A" in answer and "09******23" in answer
    assert "Nguyễn Văn An" not in answer and PHONE not in answer
    assert "còn" in answer and "ngày làm việc" in answer

    await conv.press("Hồ sơ của tôi: xác minh")
    assert "chia sẻ số điện thoại" in await conv.press("Tôi đồng ý")
    answer = await share_contact(conv, "+84 912 345 623")
    assert "đã được xác minh" in answer and CODE in answer
    answer = await conv.say(CODE)
    assert "Nguyễn Văn An" in answer and PHONE in answer


async def test_contact_of_someone_else_is_refused_and_nothing_stored(core):
    await add_dossier(core)
    conv = Conversation(core)
    await conv.say("/hosocuatoi")
    await conv.press("xác minh")
    await conv.press("Tôi đồng ý")
    answer = await share_contact(conv, PHONE, owner="someone-else")
    assert "của chính mình" in answer
    assert await core.privacy.verified_phone("terminal", "u1") is None


async def test_no_phone_is_stored_without_consent(core):
    conv = Conversation(core)
    answer = await share_contact(conv, PHONE)
    assert "Bạn có đồng ý" in answer
    assert await core.privacy.verified_phone("terminal", "u1") is None


async def test_unknown_and_malformed_codes_get_hints_and_enumeration_is_slowed(core):
    conv = Conversation(core)
    answer = await conv.say("000.00.06.H56-261120-9999")
    assert "Không tìm thấy hồ sơ" in answer and "000.00.06.H56-231027-0361" in answer
    answer = await conv.say("ho so 000.00.06.H56-261340-0001")  # month 13
    assert "mã hồ sơ" in answer.lower()
    for n in range(5):
        await conv.say(f"000.00.06.H56-261120-{n:04d}")
    await add_dossier(core)
    assert "thử lại sau" in await conv.say(CODE)  # even a real code waits now


async def test_subscriber_hears_each_status_change_once(core):
    await add_dossier(core)
    conv = Conversation(core, user_id="citizen")
    await conv.say(CODE)
    assert "Xong" in await conv.press("Báo cho tôi")
    await verify(conv)  # the owner: the office's note is for them
    await core.officials.add("terminal", "officer", "official", "18496", "Chị Hoa")
    official = Conversation(core, user_id="officer")
    answer = await official.say(f"/hoso {CODE} 5 Bổ sung giấy chứng sinh")
    assert "Yêu cầu bổ sung giấy tờ" in answer
    again = await official.say(f"/hoso {CODE} 5")
    assert "đã ở trạng thái này" in again
    due = await Outbox(core.db).due("terminal")
    assert len(due) == 1 and due[0].chat_id == "citizen"
    assert "Bổ sung giấy chứng sinh" in due[0].reply.text


async def test_strangers_and_other_agencies_cannot_change_status(core):
    await add_dossier(core)
    assert "chỉ cán bộ" in (await Conversation(core).say(f"/hoso {CODE} 10")).lower()
    await core.officials.add("terminal", "other", "official", "18502")
    answer = await Conversation(core, user_id="other").say(f"/hoso {CODE} 10")
    assert "thuộc cơ quan khác" in answer
    assert (await core.dossiers.get(CODE)).status == 4


async def test_apology_moves_the_date_and_tells_the_owner(core):
    await add_dossier(core, due_in_days=-3)
    citizen = Conversation(core, user_id="citizen")
    await citizen.say(CODE)
    await citizen.press("Báo cho tôi")
    await verify(citizen)  # the owner: the apology's reason is for them
    await core.officials.add("terminal", "boss", "leader", None)
    leader = Conversation(core, user_id="boss")
    listing = await leader.say("/quahan")
    assert CODE in listing and "chưa xin lỗi" in listing
    new_day = working_day(core.calendar)
    answer = await leader.say(f"/xinloi {CODE} {new_day} Chờ xác minh nguồn gốc đất")
    assert "Đã ghi phiếu xin lỗi" in answer
    due = await Outbox(core.db).due("terminal")
    assert len(due) == 1 and "xin lỗi" in due[0].reply.text
    assert "Chờ xác minh nguồn gốc đất" in due[0].reply.text
    # issue 18: an apologised dossier stays on the list, with its new date
    assert f"{CODE} — " in (listing := await leader.say("/quahan"))
    line = listing.split(CODE)[1].splitlines()[0]
    assert "đã xin lỗi, hẹn mới" in line and new_day in line


async def test_delete_my_data(core):
    await add_dossier(core)
    conv = Conversation(core)
    await conv.say(CODE)
    await conv.press("Báo cho tôi")
    await conv.press("Menu")
    await conv.say("/hosocuatoi")
    await conv.press("xác minh")
    await conv.press("Tôi đồng ý")
    await share_contact(conv, PHONE)
    await conv.say("/xoadulieu")
    answer = await conv.press("Có, xoá")
    assert "số điện thoại của bạn" in answer and "hồ sơ theo dõi: 1" in answer
    assert await core.privacy.verified_phone("terminal", "u1") is None
    assert not await core.subscriptions.is_subscribed("terminal", "u1", CODE)
