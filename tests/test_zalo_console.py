"""What a real OA does to the webhook: the console's unsigned test post, events an admin
switched on that are not messages, a wrong OA secret key, and a crash after the 200."""

from __future__ import annotations

import json

import aiosqlite
import httpx
import pytest
from fakezalo import FakeZalo
from fakezalo.webhook import encode, msg_id, user_event
from test_zalo_conversation import say
from zalo_harness import running_zalo

from bot.clock import stamp, utcnow

UID = "7770001"
LEADERS = "-100900"


@pytest.fixture
async def fz():
    async with FakeZalo().serve() as fake:
        yield fake


async def count(core, sql: str, *params) -> int:
    return (await core.db.fetchone(sql, params))[0]


async def healthz(bot) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.get(bot.webhook_url.removesuffix("/zalo/webhook") + "/healthz")


async def test_the_consoles_unsigned_test_post_gets_200_and_is_ignored(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        assert await fz.post({}, signature="") == 200
        async with httpx.AsyncClient() as client:
            r = await client.post(bot.webhook_url, content=b"")
        assert r.status_code == 200
        # an event with a name but no signature is not the console: refused
        event = user_event(fz.app_id, fz.oa_id, UID, "user_send_text", fz.now_ms,
                           message={"text": "xin chào", "msg_id": msg_id()})  # fmt: skip
        assert await fz.post(event, signature="") == 401
        await bot.channel.drain_events()
        assert await count(bot.core, "SELECT COUNT(*) FROM zalo_events") == 0
        assert fz.deliveries == []


async def test_events_that_are_not_messages_are_ignored(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        for name in ("user_click_chatnow", "user_reacted_message", "user_feedback",
                     "user_send_group_text", "change_template_status"):  # fmt: skip
            event = user_event(fz.app_id, fz.oa_id, UID, name, fz.now_ms,
                               message={"text": "👍", "msg_id": msg_id()})  # fmt: skip
            assert await fz.post(event) == 200, name
        await bot.channel.drain_events()
        assert fz.deliveries == []
        assert await count(bot.core, "SELECT COUNT(*) FROM zalo_events") == 0
        assert await count(bot.core, "SELECT COUNT(*) FROM zalo_users") == 0


async def test_a_wrong_oa_secret_alerts_the_leaders_once_and_degrades_healthz(tmp_path, fz, api):
    # the leaders' chat is on Telegram, so Telegram runs too (else it reaches no one: 503)
    env = {"MOTCUA_LEADERS_CHAT_ID": LEADERS, "MOTCUA_ZALO_OA_SECRET": "oa-a-wrong-key"}
    async with running_zalo(tmp_path, fz, api, **env) as bot:
        assert (await healthz(bot)).status_code == 200
        for _ in range(7):  # every real event is refused: Zalo would retry, then give up
            assert await fz.user_says(UID, "xin chào") == 403
        alerts = await bot.core.db.fetchall(
            "SELECT channel, chat_id, text, priority FROM outbox"
            " WHERE dedupe_key LIKE 'zalo-signature:%'"
        )
        assert len(alerts) == 1
        channel, chat, text, priority = alerts[0]
        assert (channel, chat) == ("telegram", LEADERS) and "OA secret key" in text
        r = await healthz(bot)
        assert r.status_code == 503
        assert any("secret key" in p for p in r.json()["problems"])
        assert r.json()["checks"]["zalo"]["signature_failures"] == 7
    async with running_zalo(tmp_path, fz, api, MOTCUA_LEADERS_CHAT_ID=LEADERS) as bot:
        await say(fz, UID, "xin chào", "")  # the right key: signatures pass, healthy again
        assert (await healthz(bot)).status_code == 200


async def test_the_event_is_stored_before_the_200(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        assert await fz.user_says(UID, "lam giay khai sinh") == 200
        (key,) = fz.posted_ids()
        row = await bot.core.db.fetchone(  # read as soon as the 200 came: already there
            "SELECT payload FROM zalo_events WHERE event_key = ?", ("msg:" + key,)
        )
        assert row is not None and json.loads(row[0])["message"]["msg_id"] == key
        await fz.wait_for(lambda: fz.sent_to(UID))
        await bot.channel.drain_events()
        sql = "SELECT COUNT(*) FROM zalo_events WHERE handled_at IS NOT NULL"
        assert await count(bot.core, sql) == 1


async def test_events_stored_but_not_handled_are_handled_after_a_restart(tmp_path, fz):
    async with running_zalo(tmp_path, fz):
        pass  # the store exists
    # the bot stopped between the 200 and the work (a crash): the event is in the store
    event = user_event(fz.app_id, fz.oa_id, UID, "user_send_text", fz.now_ms,
                       message={"text": "lam giay khai sinh", "msg_id": "m-left"})  # fmt: skip
    fz.user(UID).last_interaction_ms = fz.now_ms
    async with aiosqlite.connect(tmp_path / "motcua.sqlite3") as db:
        await db.execute(
            "INSERT INTO zalo_events(event_key, event_name, received_at, payload) VALUES (?,?,?,?)",
            ("msg:m-left", "user_send_text", stamp(utcnow()), encode(event).decode()),
        )
        await db.commit()
    async with running_zalo(tmp_path, fz) as bot:
        await fz.wait_for(lambda: any("Đăng ký khai sinh" in t for t in fz.texts_to(UID)))
        await bot.channel.drain_events()
        sql = "SELECT COUNT(*) FROM zalo_events WHERE handled_at IS NULL"
        assert await count(bot.core, sql) == 0
        assert await fz.post(event) == 200  # Zalo's own re-delivery: not answered again
        await bot.channel.drain_events()
        assert len([t for t in fz.texts_to(UID) if "Đăng ký khai sinh" in t]) == 1
