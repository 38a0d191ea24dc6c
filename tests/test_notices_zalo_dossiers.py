"""Zalo's admin alerts and the reminder job's dossier events → outbox messages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.channels.zalo.alert_events import OaRefused, SignaturesFailing, TokenRenewalRefused
from bot.dossiers.events import DeskOverdue, DueSoon
from bot.dossiers.model import Dossier
from bot.i18n import translator
from bot.notify import events
from bot.notify.outbox import Priority
from bot.people.subscriptions import add as subscribe
from bot.settings import load_settings
from bot.store import open_database
from bot.users import Users

NOW = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
LEADERS = "-200"


def make_settings(tmp_path, **env):
    base = {"MOTCUA_DB": str(tmp_path / "z.sqlite3"), "MOTCUA_LEADERS_CHAT_ID": LEADERS}
    base.update(env)
    return load_settings(environ={k: v for k, v in base.items() if v}, dotenv=None)


@pytest.fixture
async def db(tmp_path):
    db = await open_database(tmp_path / "z.sqlite3")
    yield db
    await db.close()


async def record(db, event, settings) -> int:
    async with db.transaction() as conn:
        return await events.record(conn, event, settings)


async def outbox(db):
    return await db.fetchall(
        "SELECT channel, chat_id, text, priority, dedupe_key, zns FROM outbox ORDER BY id"
    )


async def test_zalo_problems_page_the_leaders_once_each(db, tmp_path):
    settings = make_settings(tmp_path)
    assert await record(db, SignaturesFailing(5, 10, "2026-03-20T03:00:00Z"), settings) == 1
    assert await record(db, OaRefused(-320, "oa", "2026-03-20"), settings) == 1
    assert await record(db, OaRefused(-320, "oa", "2026-03-20"), settings) == 0
    assert await record(db, TokenRenewalRefused(-14014, "invalid", "abc"), settings) == 1
    rows = await outbox(db)
    assert {(r[1], r[3]) for r in rows} == {(LEADERS, Priority.URGENT)}
    assert [r[4] for r in rows] == [
        "zalo-signature:2026-03-20T03:00:00Z",
        "zalo-refusal:-320:2026-03-20",
        "zalo-refresh-failed:abc",
    ]
    assert "5" in rows[0][2] and "-320" in rows[1][2] and "-14014 invalid" in rows[2][2]


async def test_without_a_leaders_chat_a_zalo_problem_tells_nobody(db, tmp_path):
    settings = make_settings(tmp_path, MOTCUA_LEADERS_CHAT_ID="")
    assert await record(db, OaRefused(-321, "oa", "2026-03-20"), settings) == 0
    assert await outbox(db) == []


def a_dossier(code="000.00.06.H56-260310-0361", agency="18496", due_in=1) -> Dossier:
    d = Dossier(code, "1.001193", agency, NOW - timedelta(days=10), 4)
    d.due_at = NOW + timedelta(days=due_in)
    return d


async def test_due_soon_warns_each_follower_in_their_language(db, tmp_path):
    settings = make_settings(tmp_path)
    d = a_dossier()
    async with db.transaction() as conn:
        await subscribe(conn, "telegram", "u1", "u1", d.code, "follower")
        await subscribe(conn, "zalo", "z1", "z1", d.code, "owner")
    await Users(db, "vi").set_locale("zalo", "z1", "en")
    assert await record(db, DueSoon(d), settings) == 2
    assert await record(db, DueSoon(d), settings) == 0  # once per appointment date
    vi, en = await outbox(db)
    said = translator("vi").gettext("Its appointment date is %s and it is not finished yet.")
    assert vi[:2] == ("telegram", "u1") and said.split("%s")[0] in vi[2]
    assert not said.startswith("Its")  # a real translation, not the English id
    assert en[:2] == ("zalo", "z1") and "Its appointment date is" in en[2]
    assert vi[3] == en[3] == Priority.BULK
    assert en[4] == f"due-warning:{d.code}:{d.due_at.isoformat()}:z1"
    assert json.loads(en[5])["params"]["trang_thai"] == "Sắp đến hạn trả"


async def test_a_desk_gets_one_digest_for_its_overdue_dossiers(db, tmp_path):
    settings = make_settings(tmp_path, MOTCUA_STAFF_CHANNEL="telegram")
    late = (a_dossier(due_in=-3), a_dossier("000.00.06.H56-260310-0362", due_in=-2))
    assert await record(db, DeskOverdue("-100", late), settings) == 1
    [(channel, chat, text, priority, key, _zns)] = await outbox(db)
    assert (channel, chat, priority) == ("telegram", "-100", Priority.BULK)
    assert key.startswith("overdue-digest:-100:")
    assert late[0].code in text and late[1].code in text and "/xinloi" in text
