"""Notifications between 48 hours and 7 days (paid CS): down the ladder CS → ZNS → ZBS →
held, never dropped; -320/-321 and the configuration and money codes tell the leaders
once per code and day and show in /healthz and /metrics; -124 on ZNS refreshes."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fakezalo import FakeZalo
from prometheus_client.parser import text_string_to_metric_families
from test_dialog_dossiers import CODE, PHONE, add_dossier
from test_zalo_conversation import say
from test_zalo_owner import DAY, _until, set_status, tap, verify
from zalo_harness import running_zalo

from bot.channels.zalo import held_count
from bot.clock import stamp, utcnow

OWNER, FOLLOWER = "8880001", "8880002"
LEADERS = "-100900"
ZNS_PHONE = "84" + PHONE[1:]


@pytest.fixture(autouse=True)
def daytime(monkeypatch):
    monkeypatch.setattr("bot.ratings.notices.quiet_until", lambda now, tz: None)


async def three_days_later(bot, fz, uid: str) -> None:
    """The citizen last wrote 3 days ago, on both clocks (the bot's store, the fake's)."""
    fz.advance(3 * DAY)
    await bot.core.db.execute(
        "UPDATE zalo_users SET last_interaction_at = ? WHERE user_id = ?",
        (stamp(utcnow() - timedelta(days=3)), uid),
    )


def cs_calls(fz, uid: str, since: int) -> list:
    return [c for c in fz.calls[since:] if c.path == "/v3.0/oa/message/cs"
            and (c.body or {}).get("recipient", {}).get("user_id") == uid]  # fmt: skip


async def alerts(bot, code: int) -> list:
    return await bot.core.db.fetchall(
        "SELECT channel, chat_id, text FROM outbox WHERE dedupe_key LIKE ?",
        (f"zalo-refusal:{code}:%",),
    )


async def served(bot, path: str) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.get(bot.webhook_url.removesuffix("/zalo/webhook") + path)


async def test_after_48_hours_unpaid_the_status_goes_by_zns_after_a_124_refresh(tmp_path):
    async with FakeZalo().serve() as fz, running_zalo(tmp_path, fz) as bot:
        await add_dossier(bot.core)
        await verify(fz, OWNER, ZNS_PHONE)
        await three_days_later(bot, fz, OWNER)  # the access token expired meanwhile
        mark = len(fz.calls)
        await set_status(bot.core, 5)
        (zns,) = await fz.wait_for(lambda: fz.sent_to(ZNS_PHONE, "zns"))
        assert zns["message"]["template_data"]["ma_ho_so"] == CODE
        assert cs_calls(fz, OWNER, mark) == []  # a paid CS was never tried
        assert any(c.error == -124 for c in fz.calls[mark:]) and fz.refreshes()
        assert fz.violations == []


async def test_paid_cs_without_a_zalo_cloud_account_moves_down_and_alerts_once(tmp_path):
    env = {"MOTCUA_ZALO_PAID_CS": "1", "MOTCUA_LEADERS_CHAT_ID": LEADERS}
    async with FakeZalo().serve() as fz, running_zalo(tmp_path, fz, **env) as bot:
        await add_dossier(bot.core)
        await verify(fz, OWNER, ZNS_PHONE)
        await three_days_later(bot, fz, OWNER)
        await set_status(bot.core, 5)
        await fz.wait_for(lambda: len(fz.sent_to(ZNS_PHONE, "zns")) == 1)
        await set_status(bot.core, 4)
        await fz.wait_for(lambda: len(fz.sent_to(ZNS_PHONE, "zns")) == 2)
        assert [c.error for c in fz.calls if c.error == -320] == [-320, -320]
        (alert,) = await alerts(bot, -320)
        assert alert[0] == "telegram" and alert[1] == LEADERS and "Zalo Cloud Account" in alert[2]
        health = await served(bot, "/healthz")
        assert health.status_code == 503 and any("-320" in p for p in health.json()["problems"])
        metrics = (await served(bot, "/metrics")).text
        families = {f.name: f for f in text_string_to_metric_families(metrics)}
        (sample,) = families["motcua_channel_refusals_today"].samples
        assert sample.labels == {"code": "-320"} and sample.value == 2


async def test_a_funded_zalo_cloud_account_pays_for_the_cs_message(tmp_path):
    async with (
        FakeZalo(zca="funded").serve() as fz,
        running_zalo(tmp_path, fz, MOTCUA_ZALO_PAID_CS="1") as bot,
    ):
        await add_dossier(bot.core)
        await verify(fz, OWNER, ZNS_PHONE)
        await three_days_later(bot, fz, OWNER)
        await set_status(bot.core, 5)
        await fz.wait_for(lambda: any(d.get("paid") for d in fz.sent_to(OWNER)))
        assert fz.sent_to(ZNS_PHONE, "zns") == []


async def test_a_follower_without_a_phone_gets_zbs_by_user_id(tmp_path):
    async with FakeZalo().serve() as fz, running_zalo(tmp_path, fz) as bot:
        await add_dossier(bot.core)
        await fz.user_follows(FOLLOWER)
        await say(fz, FOLLOWER, CODE, CODE)
        await tap(fz, FOLLOWER, "Báo cho tôi", "mỗi khi")
        await three_days_later(bot, fz, FOLLOWER)
        await set_status(bot.core, 5)
        (zbs,) = await fz.wait_for(lambda: fz.sent_to(FOLLOWER, "zbs"))
        assert zbs["message"]["template_id"] == "1001" and "tracking_id" not in zbs["message"]
        assert zbs["message"]["template_data"]["ma_ho_so"] == CODE
        assert fz.violations == []


async def test_an_old_template_and_an_empty_zns_wallet_hold_until_the_next_message(tmp_path):
    env = {"MOTCUA_LEADERS_CHAT_ID": LEADERS}
    async with (
        FakeZalo(pre_zbs_templates=("1001",)).serve() as fz,
        running_zalo(tmp_path, fz, **env) as bot,
    ):
        await add_dossier(bot.core)
        await fz.user_follows(FOLLOWER)
        await verify(fz, FOLLOWER, ZNS_PHONE)
        fz.zns_refusal = -115  # the ZNS balance is used up
        await three_days_later(bot, fz, FOLLOWER)
        await set_status(bot.core, 5)
        await _until(lambda: held_count(bot.core.db), 1)  # ZNS -115, ZBS -249: held
        assert any(c.error == -249 for c in fz.calls)
        (alert,) = await alerts(bot, -115)
        assert "ZNS" in alert[2]
        fz.zns_refusal = None
        answer = await say(fz, FOLLOWER, "xin chào", "thông báo mới")
        assert "Bạn có 1 thông báo mới" in answer
        await fz.wait_for(lambda: any("Trạng thái mới" in t for t in fz.texts_to(FOLLOWER)))


async def test_a_configuration_code_on_a_reply_keeps_it_for_the_next_message(tmp_path):
    async with (
        FakeZalo().serve() as fz,
        running_zalo(tmp_path, fz, MOTCUA_LEADERS_CHAT_ID=LEADERS) as bot,
    ):
        await say(fz, OWNER, "xin chào", "")
        fz.oa_refusal = -224  # the OA's package tier does not allow it
        await fz.user_says(OWNER, "lam giay khai sinh")
        await _until(lambda: held_count(bot.core.db), 1)
        await fz.user_says(OWNER, "lam giay khai tu")  # a second refusal the same day
        await bot.channel.drain_events()
        assert len(await alerts(bot, -224)) == 1
        fz.oa_refusal = None  # an admin fixed the tier
        await fz.user_says(OWNER, "xin chào")
        await fz.wait_for(lambda: any("Đăng ký khai sinh" in t for t in fz.texts_to(OWNER)))
        await _until(lambda: held_count(bot.core.db), 0)
