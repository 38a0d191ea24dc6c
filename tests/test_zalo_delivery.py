"""Tokens and retries: a refresh token is used once across a restart, a token expiring
mid-run is refreshed once for everyone, 5xx / -32 / timeouts are retried without
duplicates, and a refused refresh pages the leaders once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from fakezalo import FakeZalo
from test_dialog_dossiers import CODE, add_dossier
from test_zalo_conversation import say
from test_zalo_owner import _until, set_status, tap
from zalo_harness import running_zalo

from bot.clock import stamp, utcnow
from bot.notify.outbox import Outbox

A, B = "4440001", "4440002"
HOURS_26 = 26 * 3600
LEADERS = "-100900"


@pytest.fixture
async def fz():
    async with FakeZalo().serve() as fake:
        yield fake


def sent_texts(fz, uid: str, part: str) -> list[str]:
    return [t for t in fz.texts_to(uid) if part in t]


async def test_refresh_token_used_once_across_a_restart(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        await say(fz, A, "xin chào", "")
        fz.advance(HOURS_26)  # the access token expires mid-run
        await say(fz, A, "lam giay khai sinh", "Đăng ký khai sinh")
        assert len(fz.refreshes()) == 1
        first = await bot.channel.store.newest_pair()
    # the settings still hold the first pair: the store's newer pair must win
    async with running_zalo(tmp_path, fz) as bot:
        assert (await bot.channel.store.newest_pair()).id == first.id
        fz.advance(HOURS_26)
        await say(fz, A, "lam giay khai tu", "khai tử")
        refreshes = fz.refreshes()
        assert len(refreshes) == 2
        used = [c.body["refresh_token"] for c in refreshes]
        assert used[0] == fz.refresh_token and used[1] == first.refresh_token
        assert len(set(used)) == 2
    assert fz.violations == []


async def test_a_token_expiring_mid_run_is_refreshed_once_for_concurrent_sends(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        await say(fz, A, "xin chào", "")
        await say(fz, B, "xin chào", "")
        fz.advance(HOURS_26)
        before_a, before_b = len(fz.sent_to(A)), len(fz.sent_to(B))
        await asyncio.gather(fz.user_says(A, "/menu"), fz.user_says(B, "/menu"))
        await fz.wait_for(lambda: len(fz.sent_to(A)) > before_a and len(fz.sent_to(B)) > before_b)
        await bot.channel.drain_events()
        assert len(fz.refreshes()) == 1
        assert fz.violations == []


async def test_refreshed_ahead_of_expiry(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        await bot.core.db.execute(
            "UPDATE zalo_tokens SET expires_at = ?", (stamp(utcnow() + timedelta(minutes=30)),)
        )
        await say(fz, A, "xin chào", "")
        assert len(fz.refreshes()) == 1
        assert all(c.error != -216 for c in fz.calls if c.api == "openapi")
        pair = await bot.channel.store.newest_pair()
        assert pair.expires_at > utcnow() + timedelta(hours=24)


async def test_5xx_rate_limit_and_timeouts_are_retried_without_duplicates(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        await add_dossier(bot.core)
        await say(fz, A, CODE, CODE)
        await tap(fz, A, "Báo cho tôi", "mỗi khi")
        fz.fail_next(1, "5xx")
        fz.fail_next(1, "rate_limit")
        fz.fail_next(1, "timeout")
        await fz.user_says(A, "lam giay khai sinh")  # the reply goes to the outbox, retried
        await fz.wait_for(lambda: sent_texts(fz, A, "Mã: 1.001193"))
        fz.fail_next(1, "rate_limit")
        fz.fail_next(1, "5xx")
        await set_status(bot.core, 5)  # a notification, retried by the drainer
        await fz.wait_for(lambda: sent_texts(fz, A, "Trạng thái mới"))
        await _until(lambda: Outbox(bot.core.db).pending_count("zalo"), 0)
        await asyncio.sleep(0.3)  # any duplicate would have gone by now
        assert len(sent_texts(fz, A, "Mã: 1.001193")) == 1
        assert len(sent_texts(fz, A, "Trạng thái mới")) == 1
        statuses = [c.status for c in fz.calls if c.api == "openapi"]
        assert 502 in statuses and 0 in statuses
        assert any(c.error == -32 for c in fz.calls)
        assert fz.violations == []


async def test_a_refused_refresh_pages_the_leaders_once_and_keeps_messages(tmp_path, fz):
    async with running_zalo(tmp_path, fz, MOTCUA_LEADERS_CHAT_ID=LEADERS) as bot:
        await say(fz, A, "xin chào", "")
        fz._refresh[fz.refresh_token] = False  # an admin's test run used it: it is dead now
        fz.advance(HOURS_26)
        await fz.user_says(A, "lam giay khai sinh")
        await fz.user_says(A, "lam giay khai tu")
        await bot.channel.drain_events()
        alerts = await bot.core.db.fetchall(
            "SELECT channel, chat_id, text FROM outbox"
            " WHERE dedupe_key LIKE 'zalo-refresh-failed:%'"
        )
        assert len(alerts) == 1
        assert alerts[0][0] == "telegram" and alerts[0][1] == LEADERS
        assert "Zalo" in alerts[0][2]
        kept = await bot.core.db.fetchone(
            "SELECT COUNT(*) FROM outbox WHERE channel = 'zalo' AND sent_at IS NULL"
            " AND failed_at IS NULL"
        )
        assert kept[0] >= 2  # both answers kept for when a new pair is in place


async def test_blocked_citizen_is_given_up_and_recorded_not_retried(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        await add_dossier(bot.core)
        await say(fz, A, CODE, CODE)
        await tap(fz, A, "Báo cho tôi", "mỗi khi")
        fz.block(A, -244)
        calls = len(fz.calls)
        await set_status(bot.core, 5)
        await _until(lambda: Outbox(bot.core.db).pending_count("zalo"), 0)
        row = await bot.core.db.fetchone(
            "SELECT failed_at, last_error FROM outbox WHERE channel = 'zalo'"
            " AND text LIKE '%Trạng thái mới%'"
        )
        assert row[0] is not None and "-244" in row[1]
        assert len([c for c in fz.calls[calls:] if c.api == "openapi"]) == 1  # no retry
        assert fz.sent_to("84" + "912345623", "zns") == []


async def test_a_refused_payload_is_logged_with_the_payload_as_a_defect(tmp_path, caplog):
    async with (
        FakeZalo(max_buttons=3).serve() as strict,  # a stricter platform than ours
        running_zalo(tmp_path, strict) as bot,
    ):
        await strict.user_follows(A)  # the welcome has 5 buttons: refused with -210
        await bot.channel.drain_events()
        assert strict.sent_to(A) == []
        defects = [r for r in caplog.records if "defect" in r.getMessage()]
        assert defects and "oa.query.hide" in defects[0].getMessage()
        assert any(c.error == -210 for c in strict.calls)
