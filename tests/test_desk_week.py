"""Issue 18, points 2–4: say only what happened, lateness that stays, officials' commands
that say what they did. One test per defect; each failed before the change."""

from __future__ import annotations

import json

import pytest
from conftest import make_settings
from dialog import Conversation
from test_dialog_dossier_cards import DESK, LATE, add, verified
from test_dialog_ratings import returned, verified_owner

from bot.core import open_core
from bot.dossiers.repository import set_status
from bot.notify.outbox import Outbox


@pytest.fixture
async def core(tmp_path):
    path = tmp_path / "agencies.json"
    path.write_text(json.dumps({"agencies": [DESK]}, ensure_ascii=False), "utf-8")
    core = await open_core(make_settings(tmp_path, MOTCUA_AGENCIES_FILE=str(path)))
    yield core
    await core.close()


async def status(core, code, value, note=None):
    async with core.db.transaction() as conn:
        await set_status(conn, code, value, "desk", note, on_events=core.notifier)


async def test_not_satisfied_with_no_one_to_tell_does_not_claim_the_office_was_told(core):
    from test_dialog_dossiers import CODE, add_dossier

    await add_dossier(core, status=9)
    owner = await verified_owner(core)
    await returned(core)
    await owner.say(f"/danhgia {CODE}")
    answer = await owner.press("Không hài lòng")
    assert "Cơ quan đã được báo" not in answer
    assert "gửi phản ánh" in answer and "0239 000 0000" in answer  # what to do instead


async def test_not_satisfied_with_a_leader_on_the_roster_says_the_office_was_told(core):
    from test_dialog_dossiers import CODE, add_dossier

    await core.officials.add("terminal", "boss", "leader", None)
    await add_dossier(core, status=9, agency="18496")
    owner = await verified_owner(core)
    await returned(core)
    await owner.say(f"/danhgia {CODE}")
    assert "Cơ quan đã được báo" in await owner.press("Không hài lòng")


async def test_a_question_with_no_officials_chat_gives_the_desks_phone(core):
    conv = Conversation(core)
    await conv.say("giá vàng hôm nay")
    answer = await conv.press("Gửi câu hỏi")
    assert "0239 000 0000" in answer and "chưa được gửi" in answer
    assert "thiết lập" not in answer and "MOTCUA" not in answer


async def test_papers_asked_after_the_appointment_keep_the_dossier_late(core):
    await add(core, LATE, due=-40)
    await status(core, LATE, 5, "Bản sao giấy chứng sinh")
    conv = Conversation(core)
    answer = await conv.say(LATE)
    assert "đã trễ hạn" in answer and "phiếu xin lỗi" in answer
    assert any("Phản ánh việc chậm trễ" in b for b in conv.buttons())


async def test_papers_asked_in_time_pause_the_count(core):
    await add(core, LATE, due=5)
    await status(core, LATE, 5, "Bản sao giấy chứng sinh")
    answer = await Conversation(core).say(LATE)
    assert "Đang chờ bạn bổ sung" in answer and "trễ hạn" not in answer


async def test_a_result_returned_late_is_called_late(core):
    await add(core, LATE, due=-40)
    await status(core, LATE, 9)
    await status(core, LATE, 10)
    conv = Conversation(core)
    answer = await conv.say(LATE)
    assert "Kết quả được trả sau ngày hẹn" in answer and "trễ hạn" in answer
    assert any("Phản ánh việc chậm trễ" in b for b in conv.buttons())


async def test_papers_note_is_corrected_on_the_same_status_and_the_owner_told(core):
    await add(core, LATE, due=5, status=5, note="Giấy chứng sinh")
    owner = await verified(core)
    await core.officials.add("terminal", "officer", "official", "18496", "Chị Hoa")
    answer = await Conversation(core, user_id="officer").say(
        f"/hoso {LATE} 5 Bản sao giấy chứng sinh và CCCD của mẹ"
    )
    assert "Đã cập nhật ghi chú" in answer and "đã ở trạng thái này" not in answer
    assert (await core.dossiers.get(LATE)).note == "Bản sao giấy chứng sinh và CCCD của mẹ"
    told = [m for m in await Outbox(core.db).due("terminal") if m.chat_id == owner.base["user_id"]]
    assert any("CCCD của mẹ" in m.reply.text for m in told)


async def test_an_impossible_apology_date_is_called_invalid(core):
    await add(core, LATE, due=-3)
    await core.officials.add("terminal", "officer", "official", "18496", "Chị Hoa")
    answer = await Conversation(core, user_id="officer").say(f"/xinloi {LATE} 31/02/2027 Chờ")
    assert "không phải là ngày hợp lệ" in answer and "Cách dùng" not in answer
    assert await core.dossiers.apologies(LATE) == []


async def test_a_late_result_is_not_asked_whether_it_came_before_the_appointment(core):
    """Issue 18 (3): a result returned late was rated with "Trước hẹn / Đúng hẹn / Sau hẹn"."""
    from test_dialog_dossiers import CODE, add_dossier

    await add_dossier(core, status=4, due_in_days=-10)
    await status(core, CODE, 9)
    owner = await verified_owner(core)
    await returned(core)
    await owner.say(f"/danhgia {CODE}")
    await owner.press("Hài lòng")
    seen = []
    for _ in range(3):
        seen += owner.buttons()
        if not any(b for b in owner.buttons() if "lần" in b or "Tận tình" in b):
            break
        await owner.press(owner.buttons()[0])
    assert not any("Trước hẹn" in b or "Đúng hẹn" in b for b in seen)
    assert (await core.ratings.get(CODE)).answers()["timeliness"] == "sau_hen"
