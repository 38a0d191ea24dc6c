"""Ratings events → outbox messages: the desk hears of "not satisfied", the leaders of
harassment and of a rate crossing the target; never the other way round."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.dossiers.model import Dossier
from bot.notify import events
from bot.notify.outbox import Priority
from bot.ratings.events import HarassmentReported, RateCrossed, RatingLow
from bot.ratings.model import Rating
from bot.settings import load_settings
from bot.store import open_database

NOW = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
DESK, LEADERS = "-100", "-200"
DOSSIER = Dossier("000.00.06.H56-260310-0361", "1.001193", "18496", NOW - timedelta(10), 10)


def make_settings(tmp_path, **env):
    base = {
        "MOTCUA_DB": str(tmp_path / "r.sqlite3"),
        "MOTCUA_OFFICIALS_CHAT_ID": DESK,
        "MOTCUA_LEADERS_CHAT_ID": LEADERS,
    }
    base.update(env)
    return load_settings(environ={k: v for k, v in base.items() if v}, dotenv=None)


@pytest.fixture
async def db(tmp_path):
    db = await open_database(tmp_path / "r.sqlite3")
    yield db
    await db.close()


def unsatisfied(comment=None) -> Rating:
    code = DOSSIER.code
    return Rating(code, "telegram", "u1", "khong_hai_long", NOW, NOW, "18496", "1.001193",
                  comment=comment)  # fmt: skip


async def record(db, event, settings=None) -> int:
    async with db.transaction() as conn:
        return await events.record(conn, event, settings)


async def outbox(db):
    return await db.fetchall("SELECT chat_id, text, priority, dedupe_key FROM outbox ORDER BY id")


async def test_not_satisfied_alerts_the_desk_at_once_and_a_comment_again(db, tmp_path):
    settings = make_settings(tmp_path)
    low = RatingLow(DOSSIER, unsatisfied(), "Đăng ký khai sinh")
    assert await record(db, low, settings) == 1
    assert await record(db, RatingLow(DOSSIER, unsatisfied("Chờ lâu"), None), settings) == 1
    first, second = await outbox(db)
    assert first[0] == DESK and first[2] == Priority.URGENT
    assert DOSSIER.code in first[1] and "Đăng ký khai sinh" in first[1]
    assert "Chờ lâu" in second[1] and second[3] != first[3]


async def test_nobody_to_alert_counts_as_untold(db, tmp_path):
    """The dialog tells the citizen "the office knows" only when this is not 0."""
    settings = make_settings(tmp_path, MOTCUA_OFFICIALS_CHAT_ID="", MOTCUA_LEADERS_CHAT_ID="")
    assert await record(db, RatingLow(DOSSIER, unsatisfied(), None), settings) == 0
    assert await outbox(db) == []


async def test_harassment_goes_to_the_leaders_never_the_desk(db, tmp_path):
    settings = make_settings(tmp_path)
    assert await record(db, HarassmentReported(DOSSIER), settings) == 1
    [(chat, text, priority, key)] = await outbox(db)
    assert (chat, priority, key) == (LEADERS, Priority.URGENT, f"harassment-rating:{DOSSIER.code}")


async def test_a_rate_crossing_is_told_once_a_day_either_way(db):
    name = "Xã Hương Khê"
    below = RateCrossed("18496", name, True, 17, 20, 0.9, "2026-03-20", LEADERS, "telegram")
    assert await record(db, below) == 1
    assert await record(db, below) == 0
    back = RateCrossed("18496", name, False, 19, 20, 0.9, "2026-03-21", LEADERS, "telegram")
    assert await record(db, back) == 1
    (c1, t1, _p1, k1), (c2, t2, _p2, k2) = await outbox(db)
    assert (c1, k1) == (LEADERS, "rate-below:18496:2026-03-20")
    assert "dưới mục tiêu" in t1 and "Xã Hương Khê" in t1 and "17/20" in t1
    assert (c2, k2) == (LEADERS, "rate-recovered:18496:2026-03-21")
    assert "đã đạt lại mục tiêu" in t2


async def test_a_returned_dossier_invites_its_verified_owner_once_in_their_language(db, tmp_path):
    from dataclasses import replace

    from bot.dossiers.events import DossierReturned
    from bot.dossiers.repository import apply
    from bot.people.privacy import DOSSIER_TRACKING, Privacy
    from bot.users import Users

    settings = make_settings(tmp_path)
    dossier = replace(DOSSIER, applicant_phone="0912345623")
    async with db.transaction() as conn:
        await apply(conn, dossier, "test")
    privacy = Privacy(db)
    await privacy.grant("zalo", "z1", DOSSIER_TRACKING, "đồng ý")
    await privacy.save_phone("zalo", "z1", "0912345623")
    await Users(db, "vi").set_locale("zalo", "z1", "en")
    assert await record(db, DossierReturned(dossier, "Đăng ký khai sinh"), settings) == 1
    assert await record(db, DossierReturned(dossier, "Đăng ký khai sinh"), settings) == 0
    [(chat, text, priority, key)] = await outbox(db)
    assert (chat, priority, key) == ("z1", Priority.NORMAL, f"rating-invite:{DOSSIER.code}:zalo:z1")
    assert "Are you satisfied with how dossier" in text and "Đăng ký khai sinh" in text
