"""Feedback tickets: intake rules, routing, officials' actions and the citizen's updates."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.feedback import Attachment, Draft, FeedbackRefused, FeedbackService
from bot.feedback.export import export_csv, published_html_section
from bot.people.officials import Officials
from bot.ratings.stats import _has_feedback_table
from bot.settings import load_settings
from bot.store import open_database
from bot.workdays.calendar import default_calendar

T0 = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)  # a Monday, 10:00 in Hà Tĩnh
DESK, LEADERS = -100, -200
TEXT = "Hồ sơ cấp giấy khai sinh của tôi đã quá hẹn 5 ngày mà chưa có kết quả."


def make_settings(tmp_path, **env):
    base = {
        "MOTCUA_DB": str(tmp_path / "fb.sqlite3"),
        "MOTCUA_OFFICIALS_CHAT_ID": str(DESK),
        "MOTCUA_LEADERS_CHAT_ID": str(LEADERS),
    }
    base.update(env)
    return load_settings(environ={k: v for k, v in base.items() if v}, dotenv=None)


@pytest.fixture
async def db(tmp_path):
    db = await open_database(tmp_path / "fb.sqlite3")
    await Officials(db).add("telegram", "501", "official", "18496", "Cán bộ A")
    await Officials(db).add("telegram", "502", "official", "18502", "Cán bộ B")
    await Officials(db).add("telegram", "900", "leader", None, "Lãnh đạo")
    yield db
    await db.close()


@pytest.fixture
def service(db, tmp_path):
    return FeedbackService(db, make_settings(tmp_path), default_calendar())


def draft(text=TEXT, user="u1", **kw) -> Draft:
    values = dict(channel="telegram", user_id=user, chat_id=user, category="cham_tre")
    values.update(agency_code="18496", text=text)
    values.update(kw)
    return Draft(**values)


async def outbox(db, chat=None):
    rows = await db.fetchall("SELECT chat_id, text, buttons FROM outbox ORDER BY id")
    found = [(r[0], r[1], json.loads(r[2])) for r in rows]
    return [m for m in found if chat is None or m[0] == str(chat)]


def actions(buttons) -> list[str]:
    return [b["action"] for row in buttons for b in row]


async def test_submit_stores_a_numbered_ticket_and_tells_citizen_and_desk(service, db):
    t = await service.submit(
        draft(
            text="  <b>Cán bộ</b> hẹn   lại nhiều lần, hồ sơ vẫn chưa xong. ",
            attachments=[
                Attachment("photo", file_id="AgAD1", size=1200),
                Attachment("location", lat=18.17, lon=105.69),
            ],
        ),
        T0,
    )
    assert t.number == "PAKN-2026-000001" and t.status == "received" and t.routed
    assert t.attachments == 2 and t.anonymous
    assert t.deadlines.answer_by == default_calendar().add_working_days(T0.date(), 15)
    t2 = await service.submit(draft(user="u2"), T0)
    assert t2.number == "PAKN-2026-000002"
    receipt = (await outbox(db, "u1"))[0]
    assert "PAKN-2026-000001" in receipt[1] and f"{t.deadlines.answer_by:%d/%m/%Y}" in receipt[1]
    alert = (await outbox(db, DESK))[0]
    assert "&lt;b&gt;Cán bộ&lt;/b&gt;" in alert[1] and "<b>Cán bộ</b>" not in alert[1]
    assert "UBND xã Hương Khê" in alert[1] and "Hồ sơ chậm, quá hạn" in alert[1]
    assert "2 ảnh" in alert[1]
    acts = actions(alert[2])
    assert {f"f:{a}:{t.id}" for a in ("as", "ni", "an", "fw", "rj", "cl")} <= set(acts)
    assert all(len(a.encode()) <= 64 for a in acts)
    assert [e.action for e in await service.events(t.id)] == ["created"]
    assert len(await service.attachments(t.id)) == 2
    assert (await service.by_number("pakn-2026-000001")).id == t.id
    assert [x.number for x in await service.mine("telegram", "u1")] == [t.number]
    assert await _has_feedback_table(db)


async def test_numbers_restart_each_year(service):
    await service.submit(draft(), T0)
    t = await service.submit(draft(user="u2"), datetime(2026, 12, 31, 18, 0, tzinfo=UTC))
    assert t.number == "PAKN-2027-000001"  # 01:00 on 1 January in Vietnam


async def test_harassment_goes_to_the_leaders_and_never_the_desk(service, db):
    t = await service.submit(draft(category="nhung_nhieu"), T0)
    assert t.routed_chat_id == str(LEADERS)
    assert len(await outbox(db, LEADERS)) == 1
    assert await outbox(db, DESK) == []
    with pytest.raises(FeedbackRefused) as exc:
        await service.assign(t.id, ("telegram", "501"), T0)
    assert exc.value.reason == "leaders_only"
    assert (await service.assign(t.id, ("telegram", "900"), T0)).assignee == "900"


async def test_harassment_goes_to_each_roster_leader_when_the_leaders_chat_is_the_desk(
    db, tmp_path
):
    """Issue 18 (1): with the leaders' chat falling back to the desk, a report about staff
    was held and reached no one; now each leader on the roster hears of it privately."""
    await Officials(db).add("zalo", "z-77", "leader", None, "Chủ tịch")
    settings = make_settings(tmp_path, MOTCUA_LEADERS_CHAT_ID="")  # falls back to the desk
    service = FeedbackService(db, settings)
    t = await service.submit(draft(category="nhung_nhieu"), T0)
    assert t.routed
    assert await outbox(db, DESK) == []
    rows = await db.fetchall("SELECT channel, chat_id FROM outbox WHERE text LIKE '%PAKN%'")
    assert {("telegram", "900"), ("zalo", "z-77")} <= {tuple(r) for r in rows}
    receipt = (await outbox(db, "u1"))[0][1]
    assert "chưa có nhóm" not in receipt and "nhóm trên ứng dụng" not in receipt


async def test_harassment_with_no_leader_anywhere_is_held_and_the_receipt_says_so(db, tmp_path):
    await Officials(db).remove("telegram", "900")
    service = FeedbackService(db, make_settings(tmp_path, MOTCUA_LEADERS_CHAT_ID=""))
    t = await service.submit(draft(category="nhung_nhieu"), T0)
    assert not t.routed
    assert await outbox(db, DESK) == []
    assert (await service.events(t.id))[0].note == "leaders_is_desk"
    receipt = (await outbox(db, "u1"))[0][1]
    assert "Hạn trả lời" not in receipt and "MOTCUA" not in receipt


async def test_agency_chat_first_and_no_chat_is_said(db, tmp_path):
    agencies = tmp_path / "agencies.json"
    agencies.write_text(
        json.dumps(
            {
                "agencies": [
                    {
                        "code": "18496",
                        "name": "UBND xã Hương Khê",
                        "level": "xa",
                        "officials_chat_id": -7,
                    },
                    {"code": "18502", "name": "UBND xã Hà Linh", "level": "xa"},
                ]
            }
        ),
        encoding="utf-8",
    )
    routed = FeedbackService(db, make_settings(tmp_path, MOTCUA_AGENCIES_FILE=str(agencies)))
    assert (await routed.submit(draft(), T0)).routed_chat_id == "-7"
    bare = make_settings(
        tmp_path,
        MOTCUA_OFFICIALS_CHAT_ID="",
        MOTCUA_LEADERS_CHAT_ID="",
        MOTCUA_AGENCIES_FILE=str(agencies),
    )
    await Officials(db).remove("telegram", "900")  # else the leaders hear of it (issue 18)
    t = await FeedbackService(db, bare).submit(draft(user="u2", agency_code="18502"), T0)
    assert not t.routed
    receipt = await outbox(db, "u2")
    assert len(receipt) == 1 and "chưa có cán bộ nào đọc được" in receipt[0][1]
    assert (await routed.events(t.id))[0].note == "no_chat"


async def test_identified_sender_needs_consent(service):
    t = await service.submit(
        draft(
            name="Nguyễn Văn An", phone="+84 912 345 678", consent_at=T0, consent_wording="Đồng ý"
        ),
        T0,
    )
    assert not t.anonymous and t.phone == "0912345678"
    with pytest.raises(FeedbackRefused) as exc:
        await service.submit(draft(user="u2", name="Trần B", phone="0912345679"), T0)
    assert exc.value.reason == "no_consent"
    only_name = await service.submit(draft(user="u3", name="Trần C", consent_at=T0), T0)
    assert only_name.anonymous  # no way to contact: a tip


@pytest.mark.parametrize(
    ("kw", "reason"),
    [
        ({"text": "  quá   ngắn  "}, "too_short"),
        ({"text": "x" * 4001}, "too_long"),
        ({"category": "khieu_nai"}, "bad_category"),
        ({"agency_code": "99999"}, "bad_agency"),
        ({"dossier_code": "ABC"}, "bad_dossier_code"),
        ({"phone": "12345", "consent_at": T0}, "bad_phone"),
    ],
)
async def test_bad_drafts_are_refused(service, db, kw, reason):
    with pytest.raises(FeedbackRefused) as exc:
        await service.submit(draft(**kw), T0)
    assert exc.value.reason == reason
    assert await outbox(db) == []


async def test_text_limits_count_after_trimming(service):
    assert await service.submit(draft(text="  " + "a" * 15 + "  "), T0)
    assert await service.submit(draft(text="b" * 4000), T0)


async def test_five_a_day(service):
    for i in range(5):
        await service.submit(draft(text=f"{TEXT} Lần {i}."), T0 + timedelta(minutes=i))
    with pytest.raises(FeedbackRefused) as exc:
        await service.submit(draft(text=f"{TEXT} Lần 6."), T0 + timedelta(hours=1))
    assert exc.value.reason == "daily_limit"
    assert await service.submit(
        draft(text="Một việc khác hẳn, ngày hôm sau."), T0 + timedelta(days=1)
    )
    assert await service.submit(draft(user="u2"), T0 + timedelta(hours=1))


async def test_same_text_within_a_day_is_a_duplicate(service):
    first = await service.submit(draft(), T0)
    again = "  " + TEXT.upper().replace(" ", "   \n") + " "
    with pytest.raises(FeedbackRefused) as exc:
        await service.submit(draft(text=again), T0 + timedelta(hours=23))
    assert (exc.value.reason, exc.value.detail) == ("duplicate", first.number)
    assert await service.submit(draft(text=again), T0 + timedelta(hours=25))


async def test_assign_and_answer_by_the_desk(service, db):
    t = await service.submit(draft(publish_consent=True), T0)
    t = await service.assign(t.id, ("telegram", "501"), T0 + timedelta(hours=1))
    assert (t.status, t.assignee) == ("assigned", "501")
    t = await service.answer(
        t.id, ("telegram", "501"), "Hồ sơ đã có kết quả, mời bạn đến nhận.", T0 + timedelta(hours=2)
    )
    assert t.status == "answered" and t.answer.startswith("Hồ sơ đã có")
    events = await service.events(t.id)
    assert [(e.action, e.actor) for e in events] == [
        ("created", "citizen"),
        ("assigned", "official:telegram:501"),
        ("answered", "official:telegram:501"),
    ]
    mine = await outbox(db, "u1")
    assert len(mine) == 3 and "đã có cán bộ nhận" in mine[1][1]
    assert "Bạn có hài lòng với trả lời này?" in mine[2][1]
    assert actions(mine[2][2]) == [f"f:ok:{t.id}", f"f:ko:{t.id}"]
    with pytest.raises(FeedbackRefused) as exc:
        await service.answer(t.id, ("telegram", "501"), "Lần nữa", T0)
    assert exc.value.reason == "bad_state"


async def test_strangers_and_other_agencies_are_refused(service):
    t = await service.submit(draft(), T0)
    for who, reason in (
        (("telegram", "777"), "not_official"),
        (("telegram", "502"), "other_agency"),
    ):
        with pytest.raises(FeedbackRefused) as exc:
            await service.assign(t.id, who, T0)
        assert exc.value.reason == reason
    assert (await service.close(t.id, ("telegram", "900"), T0)).status == "closed"


async def test_answer_is_rated_once_and_unsatisfied_alerts_leaders(service, db):
    t = await service.submit(draft(), T0)
    await service.answer(t.id, ("telegram", "501"), "Đã xử lý xong.", T0)
    with pytest.raises(FeedbackRefused) as exc:
        await service.rate_answer(t.id, "telegram", "u2", False, T0)
    assert exc.value.reason == "not_owner"
    t = await service.rate_answer(t.id, "telegram", "u1", False, T0)
    assert t.satisfied is False
    with pytest.raises(FeedbackRefused) as exc:
        await service.rate_answer(t.id, "telegram", "u1", True, T0)
    assert exc.value.reason == "already_rated"
    assert any(t.number in m[1] for m in await outbox(db, LEADERS))


async def test_forward_reroutes_to_the_other_agency(db, tmp_path):
    agencies = tmp_path / "agencies.json"
    agencies.write_text(
        json.dumps(
            {
                "agencies": [
                    {
                        "code": "18496",
                        "name": "UBND xã Hương Khê",
                        "level": "xa",
                        "officials_chat_id": -7,
                    },
                    {
                        "code": "18502",
                        "name": "UBND xã Hà Linh",
                        "level": "xa",
                        "officials_chat_id": -8,
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    service = FeedbackService(db, make_settings(tmp_path, MOTCUA_AGENCIES_FILE=str(agencies)))
    t = await service.submit(draft(), T0)
    await service.assign(t.id, ("telegram", "501"), T0)
    t = await service.forward(t.id, ("telegram", "501"), "18502", T0)
    assert (t.status, t.agency_code, t.assignee, t.routed_chat_id) == (
        "forwarded",
        "18502",
        None,
        "-8",
    )
    alert = await outbox(db, -8)
    assert len(alert) == 1 and "Chuyển từ: UBND xã Hương Khê" in alert[0][1]
    assert "UBND xã Hà Linh" in (await outbox(db, "u1"))[-1][1]
    with pytest.raises(FeedbackRefused):
        await service.assign(t.id, ("telegram", "501"), T0)
    assert (await service.assign(t.id, ("telegram", "502"), T0)).assignee == "502"


async def test_need_info_then_the_citizens_reply(service, db):
    t = await service.submit(draft(), T0)
    t = await service.ask_info(t.id, ("telegram", "501"), "Mã hồ sơ của bạn là gì?", T0)
    assert (t.status, t.assignee) == ("need_info", "501")
    assert "Mã hồ sơ của bạn là gì?" in (await outbox(db, "u1"))[-1][1]
    assert (await service.awaiting_info("telegram", "u1")).id == t.id
    t = await service.add_info(t.id, "telegram", "u1", "Mã <hồ sơ> 123", T0)
    assert t.status == "assigned"
    assert "Mã &lt;hồ sơ&gt; 123" in (await outbox(db, "501"))[-1][1]
    assert await service.awaiting_info("telegram", "u1") is None
    late = T0 + timedelta(days=14)
    with pytest.raises(FeedbackRefused) as exc:
        await service.ask_info(t.id, ("telegram", "501"), "Thêm nữa?", late)
    assert exc.value.reason == "too_late"


async def test_reject_with_reason(service, db):
    t = await service.submit(draft(), T0)
    t = await service.reject(t.id, ("telegram", "501"), "Không thuộc phạm vi giải quyết.", T0)
    assert t.status == "rejected"
    assert "Không thuộc phạm vi" in (await outbox(db, "u1"))[-1][1]
    assert (await service.events(t.id))[-1].note == "Không thuộc phạm vi giải quyết."


async def test_pending_action_is_kept_for_the_official(service):
    t = await service.submit(draft(), T0)
    with pytest.raises(FeedbackRefused):
        await service.set_pending("telegram", "502", t.id, "answer", T0)
    await service.set_pending("telegram", "501", t.id, "answer", T0)
    assert (await service.pending_answer_for("telegram", "501")).feedback_id == t.id
    popped = await service.pop_pending("telegram", "501")
    assert (popped.feedback_id, popped.action) == (t.id, "answer")
    assert await service.pop_pending("telegram", "501") is None


async def test_export_has_no_personal_data(service, tmp_path):
    kw = dict(name="Nguyễn Văn An", phone="0912345678", consent_at=T0, publish_consent=True)
    t = await service.submit(draft(dossier_code="000.00.06.H56-260310-0361", **kw), T0)
    await service.answer(t.id, ("telegram", "501"), "=Đã trả kết quả <ngay>.", T0)
    hidden = await service.submit(draft(user="u2", text="Không muốn công khai nội dung này."), T0)
    await service.answer(hidden.id, ("telegram", "501"), "Đã xử lý.", T0)
    with pytest.raises(FeedbackRefused) as exc:
        await service.publish(hidden.id, ("telegram", "501"), T0)
    assert exc.value.reason == "no_publish_consent"
    await service.publish(t.id, ("telegram", "501"), T0 + timedelta(hours=1))
    path = tmp_path / "fb.csv"
    assert await export_csv(service.db, path, service.settings) == 1
    raw = path.read_text(encoding="utf-8-sig")
    for secret in ("Nguyễn", "0912345678", "u1", "H56", "Không muốn"):
        assert secret not in raw
    row = list(csv.reader(raw.splitlines()))[1]
    assert row[0] == t.number and row[4].startswith("'=")
    html = published_html_section(await service.published(T0.date(), T0.date() + timedelta(1)))
    assert "&lt;ngay&gt;" in html and "0912345678" not in html and "UBND xã Hương Khê" in html


async def test_the_anonymous_receipt_does_not_promise_an_answer(service, db):
    """Issue 18 (7): it promised "Hạn trả lời" and then said no answer was owed."""
    await service.submit(draft(), T0)
    receipt = (await outbox(db, "u1"))[0][1]
    assert "Hạn trả lời" not in receipt and "Cơ quan xem xét trước" in receipt
    assert "không bắt buộc trả lời" in receipt
