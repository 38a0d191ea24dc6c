"""Ratings storage: who may rate, one current rating per dossier, history, follow-ups."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.dossiers.model import Dossier
from bot.dossiers.repository import apply, set_status
from bot.ratings import FOLLOW_UPS, LEVELS, SATISFIED, RatingRefused, Ratings
from bot.ratings.stats import answer_feedback
from bot.store import open_database

CODE = "000.00.06.H56-260310-0361"
PHONE = "0912345623"
T0 = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path):
    db = await open_database(tmp_path / "ratings.sqlite3")
    yield db
    await db.close()


async def returned_dossier(db, code=CODE, status=10, phone=PHONE, proc="1.001193.000.00.00.H42"):
    dossier = Dossier(
        code=code,
        procedure_code=proc,
        agency_code="18496",
        received_at=T0 - timedelta(days=10),
        status=status,
        applicant_name="Nguyễn Văn An",
        applicant_phone=phone,
        channel="truc_tiep",
        due_at=T0 - timedelta(days=1),
        status_at=T0 - timedelta(days=2),
    )
    async with db.transaction() as conn:
        await apply(conn, dossier, "test")
    return dossier


async def rate(db, dossier, level, now, user="u1"):
    async with db.transaction() as conn:
        return await Ratings(db).rate(conn, dossier, "telegram", user, level, now=now)


async def history_len(db, code=CODE) -> int:
    row = await db.fetchone("SELECT COUNT(*) FROM rating_history WHERE dossier_code = ?", (code,))
    return row[0]


def test_levels_and_follow_ups_come_from_the_form():
    assert LEVELS == ("rat_hai_long", "hai_long", "khong_hai_long")
    assert {"rat_hai_long", "hai_long"} == SATISFIED
    assert FOLLOW_UPS["contacts_count"].values == ("1", "2", "3+")
    assert FOLLOW_UPS["timeliness"].values == ("truoc_hen", "dung_hen", "sau_hen")
    assert FOLLOW_UPS["staff_attitude"].points["phien_ha"] == 0
    assert all(f.question and all(label for _, label in f.options) for f in FOLLOW_UPS.values())


async def test_schema_is_migrated(db):
    assert await db.schema_version() >= 5
    names = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"ratings", "rating_history", "rating_invitations", "answer_feedback"} <= names
    assert "rate_alerts" in names


async def test_only_the_verified_owner_of_a_returned_dossier_may_rate(db):
    ratings = Ratings(db)
    running = await returned_dossier(db, status=4)
    assert await ratings.can_rate(running, "telegram", "u1", PHONE, now=T0) == "not_returned"
    with pytest.raises(RatingRefused) as refused:
        await rate(db, running, "hai_long", T0)
    assert refused.value.reason == "not_returned"

    returned = await returned_dossier(db, code="000.00.06.H56-260310-0362")
    assert await ratings.can_rate(returned, "telegram", "u2", "0987654321", now=T0) == "not_owner"
    assert await ratings.can_rate(returned, "telegram", "u2", None, now=T0) == "not_owner"
    assert await ratings.can_rate(returned, "telegram", "u1", "+84 912 345 623", now=T0) is None
    nobody = await returned_dossier(db, code="000.00.06.H56-260310-0363", phone=None)
    assert await ratings.can_rate(nobody, "telegram", "u1", PHONE, now=T0) == "not_owner"


async def test_one_rating_per_dossier_changed_within_7_days_with_history(db):
    dossier = await returned_dossier(db)
    ratings = Ratings(db)
    rating, first = await rate(db, dossier, "khong_hai_long", T0)
    assert first and rating.level == "khong_hai_long" and not rating.satisfied
    assert rating.agency_code == "18496" and rating.first_rated_at == T0

    later = T0 + timedelta(days=6, hours=23)
    rating, first = await rate(db, dossier, "hai_long", later)
    assert not first and rating.level == "hai_long" and rating.rated_at == later
    assert rating.first_rated_at == T0  # the window does not slide
    stored = await ratings.get(CODE)
    assert stored.level == "hai_long" and stored.rated_at == later
    assert (await db.fetchone("SELECT COUNT(*) FROM ratings"))[0] == 1
    assert [h["level"] for h in await ratings.history(CODE)] == ["khong_hai_long", "hai_long"]

    # The same level again (a second press) writes nothing.
    await rate(db, dossier, "hai_long", later)
    assert await history_len(db) == 2

    too_late = T0 + timedelta(days=7, seconds=1)
    assert await ratings.can_rate(dossier, "telegram", "u1", PHONE, now=too_late) == (
        "window_closed"
    )
    with pytest.raises(RatingRefused) as refused:
        await rate(db, dossier, "rat_hai_long", too_late)
    assert refused.value.reason == "window_closed"
    assert (await ratings.get(CODE)).level == "hai_long"


async def test_unknown_level_is_refused(db):
    dossier = await returned_dossier(db)
    with pytest.raises(RatingRefused) as refused:
        await rate(db, dossier, "binh_thuong", T0)
    assert refused.value.reason == "bad_level"


async def test_pressing_a_follow_up_twice_stores_once(db):
    dossier = await returned_dossier(db)
    ratings = Ratings(db)
    with pytest.raises(RatingRefused) as refused:
        async with db.transaction() as conn:
            await ratings.answer(conn, CODE, "timeliness", "dung_hen", now=T0)
    assert refused.value.reason == "not_rated"

    await rate(db, dossier, "rat_hai_long", T0)
    for expected in (True, False):
        async with db.transaction() as conn:
            stored = await ratings.answer(conn, CODE, "timeliness", "dung_hen", now=T0)
        assert stored is expected
    assert await history_len(db) == 2
    async with db.transaction() as conn:
        assert await ratings.answer(conn, CODE, "contacts_count", "3+", now=T0)
        assert await ratings.answer(conn, CODE, "staff_attitude", "tan_tinh", now=T0)
        assert await ratings.answer(conn, CODE, "timeliness", "truoc_hen", now=T0)  # changed
    rating = await ratings.get(CODE)
    assert rating.answers() == {
        "contacts_count": "3+", "staff_attitude": "tan_tinh", "timeliness": "truoc_hen",
    }  # fmt: skip
    last = (await ratings.history(CODE))[-1]
    assert last["answers"] == rating.answers() and last["level"] == "rat_hai_long"

    for field, value, reason in (
        ("timeliness", "som", "bad_value"),
        ("contacts_count", "4", "bad_value"),
        ("level", "hai_long", "bad_field"),
    ):
        with pytest.raises(RatingRefused) as refused:
            async with db.transaction() as conn:
                await ratings.answer(conn, CODE, field, value, now=T0)
        assert refused.value.reason == reason
    with pytest.raises(RatingRefused) as refused:
        async with db.transaction() as conn:
            await ratings.answer(conn, CODE, "timeliness", "sau_hen", now=T0 + timedelta(days=8))
    assert refused.value.reason == "window_closed"


async def test_comment_is_limited_and_idempotent(db):
    dossier = await returned_dossier(db)
    ratings = Ratings(db)
    await rate(db, dossier, "hai_long", T0)
    async with db.transaction() as conn:
        assert await ratings.comment(conn, CODE, "  Cán bộ hướng dẫn rất nhiệt tình.  ", now=T0)
        assert not await ratings.comment(conn, CODE, "Cán bộ hướng dẫn rất nhiệt tình.", now=T0)
        assert await ratings.comment(conn, CODE, "x" * 1000, now=T0)
    with pytest.raises(RatingRefused) as refused:
        async with db.transaction() as conn:
            await ratings.comment(conn, CODE, "x" * 1001, now=T0)
    assert refused.value.reason == "too_long"
    assert (await ratings.get(CODE)).comment == "x" * 1000


async def test_field_is_taken_from_the_catalog(db):
    await db.execute(
        "INSERT INTO procedures(code, code8, name, field, data, content_hash)"
        " VALUES ('1.001193', '1.001193', 'Đăng ký khai sinh', 'Hộ tịch', '{}', 'x')"
    )
    dossier = await returned_dossier(db)  # its code carries the province's suffix
    rating, _ = await rate(db, dossier, "hai_long", T0)
    assert rating.field == "Hộ tịch" and (await Ratings(db).get(CODE)).field == "Hộ tịch"


async def test_an_invitation_is_recorded_once(db):
    await returned_dossier(db)
    async with db.transaction() as conn:
        assert await Ratings.mark_invited(conn, CODE, "telegram", 42, now=T0)
        assert not await Ratings.mark_invited(conn, CODE, "telegram", 42, now=T0)


async def test_answer_feedback_is_kept_apart_and_a_second_vote_replaces_the_first(db):
    ratings = Ratings(db)
    assert await ratings.record_answer_feedback("telegram", "u1", "1.001193", "khai sinh", True, T0)
    assert not await ratings.record_answer_feedback(
        "telegram", "u1", "1.001193", "khai sinh", False, T0 + timedelta(minutes=1)
    )
    assert await ratings.record_answer_feedback("telegram", "u2", "1.001193", "khai sinh", True, T0)
    rows = await db.fetchall("SELECT user_id, helpful FROM answer_feedback ORDER BY id")
    assert [tuple(r) for r in rows] == [("u1", 0), ("u2", 1)]
    assert (await db.fetchone("SELECT COUNT(*) FROM ratings"))[0] == 0
    summary = await answer_feedback(db, date(2026, 3, 1), date(2026, 3, 31))
    assert summary == [("1.001193", 2, 1)]  # votes, helpful


async def test_forgetting_a_user_keeps_the_rating_anonymously(db):
    dossier = await returned_dossier(db)
    ratings = Ratings(db)
    await rate(db, dossier, "hai_long", T0)
    async with db.transaction() as conn:
        await ratings.comment(conn, CODE, "Số của tôi là 0912345623", now=T0)
        assert await Ratings.forget_user(conn, "telegram", "u1") >= 2
    rating = await ratings.get(CODE)
    assert rating.level == "hai_long" and rating.user_id is None and rating.comment is None
    dump = json.dumps([dict(r) for r in await db.fetchall("SELECT * FROM rating_history")])
    assert "u1" not in dump and PHONE not in dump


async def test_status_change_to_returned_allows_rating(db):
    dossier = await returned_dossier(db, status=4)
    async with db.transaction() as conn:
        await set_status(conn, CODE, 10, actor="7", now=T0)
    dossier.status = 10
    assert await Ratings(db).can_rate(dossier, "telegram", "u1", PHONE, now=T0) is None
