"""Feedback deadlines in working days: a reminder before each, one escalation after."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.feedback import Draft, FeedbackService
from bot.feedback.deadlines import compute, run_deadlines
from bot.people.officials import Officials
from bot.settings import load_settings
from bot.store import open_database
from bot.workdays.calendar import default_calendar

T0 = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)  # a Monday, 10:00 in Hà Tĩnh
DESK, LEADERS = -100, -200
CAL = default_calendar()


@pytest.fixture
async def service(tmp_path):
    db = await open_database(tmp_path / "fb.sqlite3")
    await Officials(db).add("telegram", "501", "official", "18496")
    settings = load_settings(
        environ={
            "MOTCUA_DB": str(tmp_path / "fb.sqlite3"),
            "MOTCUA_OFFICIALS_CHAT_ID": str(DESK),
            "MOTCUA_LEADERS_CHAT_ID": str(LEADERS),
        },
        dotenv=None,
    )
    yield FeedbackService(db, settings, CAL)
    await db.close()


def at(day) -> datetime:
    """09:00 in Vietnam on `day`."""
    return datetime.combine(day, time(2, 0), UTC)


async def submit(service, user="u1", **kw):
    return await service.submit(
        Draft(
            "telegram",
            user,
            user,
            "thu_tuc",
            "18496",
            "Xin hỏi thủ tục đăng ký thường trú cần giấy tờ gì?",
            name="Lê Văn C",
            phone="0987654321",
            consent_at=T0,
            **kw,
        ),
        T0,
    )


async def messages(service, chat):
    rows = await service.db.fetchall(
        "SELECT text FROM outbox WHERE chat_id = ? ORDER BY id", (str(chat),)
    )
    return [r[0] for r in rows]


async def test_deadlines_count_working_days_from_receipt(service):
    t = await submit(service)
    d = compute(t, CAL, service.settings.timezone)
    assert d.reject_by == CAL.add_working_days(T0.date(), 2)
    assert d.ask_info_by == CAL.add_working_days(T0.date(), 5)
    assert d.answer_by == CAL.add_working_days(T0.date(), 15)
    assert d.publish_by is None


async def test_reminder_two_working_days_before_the_answer_deadline(service):
    t = await submit(service)
    await service.assign(t.id, ("telegram", "501"), T0)
    due = t.deadlines.answer_by
    early = CAL.add_working_days(due, -3)
    assert (await run_deadlines(service, at(early))).reminded == 0
    two_before = CAL.add_working_days(due, -2)
    report = await run_deadlines(service, at(two_before))
    assert report.reminded == 1 and report.escalated == 0
    assert (await run_deadlines(service, at(two_before) + timedelta(hours=3))).reminded == 0
    reminders = await messages(service, "501")  # the assignee, privately
    assert len(reminders) == 1 and "còn 2 ngày làm việc" in reminders[0]
    assert [e.action for e in await service.events(t.id)].count("reminded") == 1


async def test_a_missed_deadline_escalates_once(service):
    t = await submit(service)
    await service.assign(t.id, ("telegram", "501"), T0)
    late = at(t.deadlines.answer_by + timedelta(days=1))
    assert [x.id for x in await service.overdue(late)] == [t.id]
    assert await service.overdue(at(t.deadlines.answer_by)) == []
    assert (await run_deadlines(service, late)).escalated == 1
    assert (await run_deadlines(service, late + timedelta(days=1))).escalated == 0
    escalations = await messages(service, LEADERS)
    assert len(escalations) == 1 and t.number in escalations[0]
    events = [e for e in await service.events(t.id) if e.action == "escalated"]
    assert len(events) == 1 and events[0].note.startswith("answer:")


async def test_unassigned_ticket_escalates_when_nobody_takes_it_up(service):
    t = await submit(service)
    late = at(t.deadlines.reject_by + timedelta(days=1))
    report = await run_deadlines(service, late)
    assert report.escalated == 1
    assert "quá hạn xem xét" in (await messages(service, LEADERS))[0]
    assert await service.overdue(late, agency="18502") == []


async def test_answered_and_closed_tickets_need_no_reminders(service):
    t = await submit(service)
    await service.answer(t.id, ("telegram", "501"), "Cần sổ hộ khẩu và giấy tờ chỗ ở.", T0)
    far = at(t.deadlines.answer_by + timedelta(days=30))
    report = await run_deadlines(service, far)
    assert (report.reminded, report.escalated) == (0, 0)
    assert await service.overdue(far) == []


async def test_publishing_has_its_own_deadline(service):
    t = await submit(service, publish_consent=True)
    t = await service.answer(t.id, ("telegram", "501"), "Cần sổ hộ khẩu.", T0)
    assert t.deadlines.publish_by == CAL.add_working_days(T0.date(), 2)
    late = at(t.deadlines.publish_by + timedelta(days=1))
    assert [x.id for x in await service.overdue(late)] == [t.id]
    await service.publish(t.id, ("telegram", "501"), late)
    assert await service.overdue(late) == []
