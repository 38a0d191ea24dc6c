"""Question events → outbox messages: the officials' alert (desk first, then the others),
and the answer or the procedure told to the citizen in the language they asked in."""

from __future__ import annotations

import json

import pytest

from bot.notify import events
from bot.notify.outbox import Priority
from bot.question_events import QuestionAnswered, QuestionLinked, QuestionSent
from bot.questions import Questions
from bot.store import open_database


@pytest.fixture
async def db(tmp_path):
    db = await open_database(tmp_path / "q.sqlite3")
    yield db
    await db.close()


async def a_question(db, locale="vi"):
    questions = Questions(db)
    qid = await questions.record("zalo", "z1", "z1", "xin giấy phép nuôi ong", locale)
    return await questions.get(qid)


async def record(db, event) -> int:
    async with db.transaction() as conn:
        return await events.record(conn, event)


async def outbox(db):
    rows = await db.fetchall(
        "SELECT channel, chat_id, text, buttons, priority, dedupe_key FROM outbox ORDER BY id"
    )
    return [(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5]) for r in rows]


async def test_the_alert_goes_to_the_desk_first_then_each_mirror(db):
    q = await a_question(db)
    targets = (("telegram", "-100"), ("zalo", "group:g1"))
    assert await record(db, QuestionSent(q, targets, "vi")) == 2
    desk, mirror = await outbox(db)
    assert desk[:2] == ("telegram", "-100") and desk[5] == f"question:{q.id}"
    assert mirror[:2] == ("zalo", "group:g1") and mirror[5] == f"question:{q.id}:zalo:group:g1"
    assert desk[4] == mirror[4] == Priority.URGENT
    assert q.number in desk[2] and "xin giấy phép nuôi ong" in desk[2]
    assert [b["action"] for b in desk[3][0]] == [f"q:an:{q.id}", f"q:ln:{q.id}"]
    assert desk[3][0][0]["label"] == "✍️ Trả lời"  # the officials' language


async def test_the_answer_reaches_the_citizen_in_their_language(db):
    q = await a_question(db, "en")
    assert await record(db, QuestionAnswered(q, "Nộp tại xã <b>")) == 1
    [(channel, chat, text, buttons, priority, key)] = await outbox(db)
    assert (channel, chat, priority) == ("zalo", "z1", Priority.REPLY)
    assert key == f"question-answer:{q.id}"
    assert f"The one-stop desk answered your question {q.number}" in text
    assert "Nộp tại xã &lt;b&gt;" in text  # an official's text is escaped
    assert buttons == [[{"label": "🏠 Main menu", "action": "menu", "url": None}]]


async def test_a_linked_procedure_is_a_button_to_it(db):
    q = await a_question(db)
    assert await record(db, QuestionLinked(q, "1.001193", "Đăng ký khai sinh")) == 1
    [(_c, _chat, text, buttons, _p, key)] = await outbox(db)
    assert key == f"question-link:{q.id}" and "Đăng ký khai sinh" in text
    assert buttons[0][0]["action"] == "p:c:1.001193"
