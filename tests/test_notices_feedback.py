"""Feedback events → outbox messages: who hears, in which language, in what order, once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from bot.feedback import Draft, FeedbackService, messages
from bot.feedback.events import (
    FeedbackAnswered,
    FeedbackDeadlineNear,
    FeedbackForwarded,
    FeedbackOverdue,
    FeedbackRated,
    FeedbackReceived,
    FeedbackStep,
)
from bot.feedback.routing import Route, Target
from bot.i18n import translator
from bot.notify import events
from bot.notify.outbox import Priority
from bot.settings import load_settings
from bot.store import open_database
from bot.users import Users
from bot.workdays.calendar import default_calendar

T0 = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)
DESK, LEADERS = "-100", "-200"
TEXT = "Hồ sơ cấp giấy khai sinh của tôi đã quá hẹn 5 ngày mà chưa có kết quả."


def make_settings(tmp_path, **env):
    base = {
        "MOTCUA_DB": str(tmp_path / "n.sqlite3"),
        "MOTCUA_OFFICIALS_CHAT_ID": DESK,
        "MOTCUA_LEADERS_CHAT_ID": LEADERS,
    }
    base.update(env)
    return load_settings(environ={k: v for k, v in base.items() if v}, dotenv=None)


@pytest.fixture
async def db(tmp_path):
    db = await open_database(tmp_path / "n.sqlite3")
    yield db
    await db.close()


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path)


async def a_ticket(db, settings):
    """A real ticket, then an empty outbox: each test records its own event."""
    service = FeedbackService(db, settings, default_calendar())
    draft = Draft("telegram", "u1", "u1", "cham_tre", "18496", TEXT)
    ticket = await service.submit(draft, T0)
    await db.execute("DELETE FROM outbox")
    return ticket


async def record(db, event, settings) -> int:
    async with db.transaction() as conn:
        return await events.record(conn, event, settings)


async def outbox(db):
    return await db.fetchall(
        "SELECT channel, chat_id, text, priority, dedupe_key, zns FROM outbox ORDER BY id"
    )


async def test_received_tells_the_citizen_first_then_the_desk(db, settings):
    t = await a_ticket(db, settings)
    way = Route((Target("telegram", DESK),), "officials")
    assert await record(db, FeedbackReceived(t, way), settings) == 2
    receipt, alert = await outbox(db)
    tr = translator("vi")
    name = settings.agency("18496").name
    phone = settings.agency("18496").phone
    assert receipt[:5] == (
        "telegram",
        "u1",
        messages.receipt(tr, t, name, t.deadlines, phone).text,
        Priority.REPLY,
        f"fb-receipt:{t.id}",
    )
    assert alert[:5] == (
        "telegram",
        DESK,
        messages.alert(t, name, t.deadlines).text,
        Priority.URGENT,
        f"fb-alert:{t.id}:18496",
    )
    assert await record(db, FeedbackReceived(t, way), settings) == 2  # told before
    assert len(await outbox(db)) == 2  # but not twice


async def test_a_ticket_nobody_can_route_still_gets_its_receipt(db, settings):
    t = await a_ticket(db, settings)
    assert await record(db, FeedbackReceived(t, Route((), "no_chat")), settings) == 1
    assert [r[1] for r in await outbox(db)] == ["u1"]


async def test_a_step_is_told_in_the_citizens_own_language(db, settings):
    t = await a_ticket(db, settings)
    await Users(db, "vi").set_locale("telegram", "u1", "en")
    assert await record(db, FeedbackStep(t, 7, "rejected", "Không thuộc thẩm quyền"), settings)
    [(channel, chat, text, priority, key, zns)] = await outbox(db)
    expected = messages.citizen_update(translator("en"), t, "rejected", "Không thuộc thẩm quyền")
    assert (channel, chat, text, priority, key) == (
        "telegram", "u1", expected.text, Priority.REPLY, "fb-ev:7"
    )  # fmt: skip
    assert '"kind": "feedback"' in zns


async def test_a_forgotten_citizen_is_told_nothing(db, settings):
    t = replace(await a_ticket(db, settings), chat_id=None, user_id=None)
    assert await record(db, FeedbackAnswered(t, 8), settings) == 0
    assert await outbox(db) == []


async def test_forwarded_alerts_the_new_desk_before_telling_the_citizen(db, settings):
    t = await a_ticket(db, settings)
    way = Route((Target("telegram", "-300"),), "agency")
    assert await record(db, FeedbackForwarded(t, 9, way, "Xã A", "Xã B"), settings) == 2
    desk, citizen = await outbox(db)
    assert (desk[1], desk[3], desk[4]) == ("-300", Priority.URGENT, "fb-ev:9:alert")
    assert "Xã A" in desk[2]
    assert (citizen[1], citizen[4]) == ("u1", "fb-ev:9")


async def test_only_not_satisfied_reaches_the_leaders(db, settings):
    t = await a_ticket(db, settings)
    assert await record(db, FeedbackRated(t, True, "telegram"), settings) == 0
    assert await record(db, FeedbackRated(t, False, "telegram"), settings) == 1
    [(channel, chat, *_rest)] = await outbox(db)
    assert (channel, chat) == ("telegram", LEADERS)


async def test_an_escalation_without_a_leaders_chat_tells_nobody(db, tmp_path):
    settings = make_settings(tmp_path, MOTCUA_LEADERS_CHAT_ID="", MOTCUA_OFFICIALS_CHAT_ID="")
    t = await a_ticket(db, settings)
    missed = FeedbackOverdue(t, "answer", date(2026, 4, 6), "answer:2026-04-06", "", "telegram")
    assert await record(db, missed, settings) == 0
    assert await outbox(db) == []


async def test_a_reminder_counts_once(db, settings):
    t = await a_ticket(db, settings)
    near = FeedbackDeadlineNear(t, "answer", date(2026, 4, 6), 2, DESK, "telegram")
    assert await record(db, near, settings) == 1
    assert await record(db, near, settings) == 0
    [(_c, chat, text, priority, key, _z)] = await outbox(db)
    assert (chat, priority, key) == (DESK, Priority.BULK, f"fb-remind:{t.id}:answer:2026-04-06")
    assert text == messages.reminder(t, "answer", date(2026, 4, 6), 2).text
