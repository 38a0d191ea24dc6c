"""The webhook refuses forged posts with nothing stored, answers a re-delivered event once
(even after a restart), and never answers the OA's own echoes and receipts."""

from __future__ import annotations

import httpx
import pytest
from fakezalo import FakeZalo
from fakezalo.webhook import encode, user_event
from test_zalo_conversation import say
from zalo_harness import running_zalo

UID = "6660001"


@pytest.fixture
async def fz():
    async with FakeZalo().serve() as fake:
        yield fake


async def rows(core, table: str) -> int:
    return (await core.db.fetchone(f"SELECT COUNT(*) FROM {table}"))[0]


async def test_forged_or_missing_signature_is_refused_with_nothing_stored(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        event = user_event(fz.app_id, fz.oa_id, UID, "user_send_text", fz.now_ms,
                           message={"text": "xin chào", "msg_id": "m-forged"})  # fmt: skip
        assert await fz.post(event, signature="mac=" + "0" * 64) == 403
        assert await fz.post(event, signature="") == 401
        # signed with the app secret instead of the OA secret key: refused too
        from fakezalo import sign

        raw = encode(event)
        wrong = sign(fz.app_id, raw, event["timestamp"], fz.app_secret)
        assert await fz.post(event, signature=wrong, raw=raw) == 403
        # the body changed after signing
        good = sign(fz.app_id, raw, event["timestamp"], fz.oa_secret_key)
        assert await fz.post(event, signature=good, raw=raw + b" ") == 403
        async with httpx.AsyncClient() as c:
            r = await c.post(
                bot.webhook_url,
                content=b"not json",
                headers={"X-ZEvent-Signature": sign(fz.app_id, b"not json", "", fz.oa_secret_key)},
            )
        assert r.status_code == 400
        await bot.channel.drain_events()
        for table in ("zalo_events", "zalo_users", "conversation_state", "outbox"):
            assert await rows(bot.core, table) == 0, table
        assert fz.deliveries == []


async def test_redelivered_event_is_answered_once_even_after_a_restart(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        await say(fz, UID, "lam giay khai sinh", "Đăng ký khai sinh")
        (msg_id,) = fz.posted_ids()
        answered = len(fz.sent_to(UID))
        assert await fz.redeliver(msg_id) == 200
        await bot.channel.drain_events()
        assert len(fz.sent_to(UID)) == answered
    async with running_zalo(tmp_path, fz) as bot:
        assert await fz.redeliver(msg_id) == 200
        await bot.channel.drain_events()
        assert len(fz.sent_to(UID)) == answered
        await say(fz, UID, "xin chào", "")  # a new message still gets its answer


async def test_echoes_and_receipts_are_never_answered(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        for name in ("oa_send_text", "user_received_message", "user_seen_message"):
            event = {
                "app_id": fz.app_id, "event_name": name, "timestamp": str(fz.now_ms),
                "sender": {"id": fz.oa_id}, "recipient": {"id": UID},
                "message": {"text": "Xin chào", "msg_id": f"m-{name}"},
            }  # fmt: skip
            assert await fz.post(event) == 200
        await bot.channel.drain_events()
        assert fz.deliveries == []
        assert await rows(bot.core, "zalo_users") == 0


async def test_follow_welcomes_and_unfollow_is_tracked(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        await fz.user_follows(UID)
        await fz.wait_for(lambda: fz.sent_to(UID))
        user = await bot.channel.store.user(UID)
        assert user.following is True and user.last_interaction_at is not None
        await fz.user_unfollows(UID)
        await bot.channel.drain_events()
        assert (await bot.channel.store.user(UID)).following is False
        assert len(fz.sent_to(UID)) == 1
        row = await bot.core.db.fetchone(
            "SELECT user_id_by_app FROM zalo_users WHERE user_id = ?", (UID,)
        )
        assert row[0] == f"9{UID}"


async def test_the_same_server_reports_zalo_in_healthz_and_metrics(tmp_path, fz):
    from prometheus_client.parser import text_string_to_metric_families

    async with running_zalo(tmp_path, fz) as bot:
        await say(fz, "6660099", "dang ky ket hon", "kết hôn")
        # Zalo alone: a leader on Zalo is who complaints reach (else 503, issue 18)
        await bot.core.officials.add("zalo", "7770001", "leader", None, "Lãnh đạo")
        base = bot.webhook_url.removesuffix("/zalo/webhook")
        async with httpx.AsyncClient() as client:
            health = await client.get(base + "/healthz")
            metrics = await client.get(base + "/metrics")
        assert health.status_code == 200, health.text
        zalo = health.json()["checks"]["zalo"]
        assert zalo["token_expires_at"] and zalo["held"] == 0
        families = {f.name: f for f in text_string_to_metric_families(metrics.text)}
        updates = {s.labels.get("channel"): s.value for s in families["motcua_updates"].samples}
        assert updates.get("zalo", 0) >= 1
        assert "motcua_channel_token_expires_in_seconds" in families
