"""The one HTTP server, through real HTTP on 127.0.0.1: Telegram webhook mode end to end
with the fake Bot API, /healthz healthy and unhealthy, /metrics in the Prometheus format."""

from __future__ import annotations

import contextlib
import io
import json
import socket
import subprocess
import sys
from datetime import timedelta

import httpx
import pytest
from conftest import make_settings
from prometheus_client.parser import text_string_to_metric_families
from telegram import Bot
from telegram.error import BadRequest, Conflict

from bot.channels.telegram import TelegramChannel
from bot.channels.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH, webhook_secret
from bot.clock import utcnow
from bot.notify.outbox import enqueue
from bot.reply import Reply
from bot.runtime import Runtime
from bot.web.health import STALE_OUTBOX_SECONDS, core_health
from bot.web.scrape import core_collector
from bot.web.serve import attach, web_server
from bot.web.server import WebServer

PUBLIC = "https://motcua.example.org"
CITIZEN, FORGER = 4242, 6666


@contextlib.asynccontextmanager
async def serving(settings):
    """What `motcua run` does: bind the server, start the runtime with Telegram, attach."""
    channel = TelegramChannel.from_settings(settings, poll_timeout=1)
    server = web_server(settings, [channel])
    await server.start()
    runtime = Runtime(settings, [channel])
    attach(runtime, server)
    try:
        await runtime.start()
        yield channel.application, server
    finally:
        await runtime.stop()
        await server.stop()


def webhook_settings(tmp_path, api, **env):
    return make_settings(
        tmp_path,
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_API_BASE_URL=api.base_url,
        MOTCUA_PUBLIC_URL=PUBLIC,
        MOTCUA_HTTP_LISTEN="127.0.0.1:0",
        **{"MOTCUA_LEADERS_CHAT_ID": "-1009", **env},  # complaints reach someone (issue 18)
    )


def families(text: str) -> dict:
    return {f.name: f for f in text_string_to_metric_families(text)}


def sample(family, **labels) -> float:
    for s in family.samples:
        if all(s.labels.get(k) == v for k, v in labels.items()) and s.name == family.name + (
            "_total" if family.type == "counter" else ""
        ):
            return s.value
    raise AssertionError(f"no sample {labels} in {family.samples}")


async def test_webhook_mode_end_to_end(tmp_path, api):
    settings = webhook_settings(tmp_path, api)
    async with serving(settings) as (app, server):
        hook = api.last("setWebhook").params
        assert hook["url"] == PUBLIC + WEBHOOK_PATH
        assert hook["secret_token"] == webhook_secret(api.token)
        assert hook["allowed_updates"] == ["message", "callback_query"]
        api.add_user(CITIZEN, language_code="vi")
        api.push_text(CITIZEN, "lam giay khai sinh")
        assert await api.deliver_webhook(server.url) == [200]
        await api.wait_for("sendMessage", chat_id=CITIZEN)
        assert "khai sinh" in api.bot_texts(CITIZEN)[-1].lower()

        api.push_text(CITIZEN, "thu tuc cap phep nuoi ca sau canh")  # not in the catalog
        assert await api.deliver_webhook(server.url) == [200]
        await api.wait_for("sendMessage", count=2, chat_id=CITIZEN)

        async with httpx.AsyncClient() as http:
            scraped = await http.get(server.url + "/metrics")
        assert scraped.status_code == 200
        assert scraped.headers["content-type"].startswith("text/plain")
        found = families(scraped.text)
        assert sample(found["motcua_updates"], channel="telegram") == 2
        assert sample(found["motcua_replies"], channel="telegram") >= 2
        assert sample(found["motcua_search_abstentions"]) == 1
        latency = found["motcua_handling_seconds"]
        count = [s for s in latency.samples if s.name.endswith("_count")]
        assert count[0].labels == {"channel": "telegram"} and count[0].value == 2
        assert "motcua_outbox_pending" in found  # read from the store at scrape time
        async with httpx.AsyncClient() as http:
            health = await http.get(server.url + "/healthz")
        assert health.status_code == 200, health.text
        runner = health.json()["checks"]["runner"]
        assert runner["this_process"] is True and runner["heartbeat_age_seconds"] >= 0
    assert not [r for r in api.requests if r.method == "getUpdates"]  # no polling


async def test_healthz_names_each_route_and_fails_when_staff_reports_reach_no_one(tmp_path, api):
    """Issue 18 (1): a Telegram bot with only the officials' chat reported healthy while
    reports about staff reached no one."""
    settings = webhook_settings(
        tmp_path, api, MOTCUA_LEADERS_CHAT_ID="", MOTCUA_OFFICIALS_CHAT_ID="-5"
    )
    async with serving(settings) as (app, server), httpx.AsyncClient() as http:
        health = await http.get(server.url + "/healthz")
    assert health.status_code == 503
    routes = health.json()["checks"]["routes"]
    assert routes["18496"]["officials"] == {"reachable": True, "via": "officials"}
    assert routes["18496"]["leaders"] == {"reachable": False, "via": "leaders_is_desk"}
    assert any("leaders 18496" in p for p in health.json()["problems"])


async def test_webhook_refuses_a_missing_or_wrong_secret_and_processes_nothing(tmp_path, api):
    settings = webhook_settings(tmp_path, api)
    async with serving(settings) as (app, server):
        api.add_user(FORGER)
        update = api.push_text(FORGER, "/start")
        api.world.updates.remove(update)  # the forger posts it himself, not Telegram
        url = server.url + WEBHOOK_PATH
        async with httpx.AsyncClient() as http:
            missing = await http.post(url, json=update)
            wrong = await http.post(url, json=update, headers={SECRET_HEADER: "x" * 64})
            other = await http.post(
                url, json=update, headers={SECRET_HEADER: webhook_secret(api.token)[:-1] + "0"}
            )
        assert missing.status_code == 401
        assert wrong.status_code == 403 and other.status_code == 403
        assert app.update_queue.qsize() == 0
        # A genuine update after them is answered; the forged one never was.
        api.add_user(CITIZEN)
        api.push_text(CITIZEN, "/start")
        assert await api.deliver_webhook(server.url) == [200]
        await api.wait_for("sendMessage", chat_id=CITIZEN)
        core = app.bot_data["core"]
        assert (
            core.metrics.registry.get_sample_value("motcua_updates_total", {"channel": "telegram"})
            == 1
        )
    assert not api.calls("sendMessage", chat_id=FORGER)
    assert not api.messages(FORGER)[1:]  # only the forger's own message is in the chat


async def test_an_update_posted_before_the_bot_runs_is_refused_then_delivered(tmp_path, api):
    settings = webhook_settings(tmp_path, api)
    channel = TelegramChannel.from_settings(settings)
    server = web_server(settings, [channel])
    await server.start()  # bound first, as in `motcua run`
    runtime = Runtime(settings, [channel])
    attach(runtime, server)
    try:
        api.world.webhook = {
            "url": PUBLIC + WEBHOOK_PATH,
            "secret_token": webhook_secret(api.token),
            "max_connections": 40,
        }  # set by an earlier run
        api.add_user(CITIZEN)
        api.push_text(CITIZEN, "/start")
        assert await api.deliver_webhook(server.url) == [503]  # Telegram keeps it
        async with httpx.AsyncClient() as http:
            assert (await http.get(server.url + "/healthz")).status_code == 503  # starting
        await runtime.start()
        assert await api.deliver_webhook(server.url) == [200]
        await api.wait_for("sendMessage", chat_id=CITIZEN)
    finally:
        await runtime.stop()
        await server.stop()
    assert len(api.calls("sendMessage", chat_id=CITIZEN)) == 1


async def test_webhook_refuses_what_is_not_an_update(tmp_path, api):
    settings = webhook_settings(tmp_path, api)
    async with serving(settings) as (app, server):
        headers = {SECRET_HEADER: webhook_secret(api.token)}
        async with httpx.AsyncClient() as http:
            for body in (b"not json", b"[1, 2]", b'{"update_id": "1"}', b"{}"):
                answer = await http.post(server.url + WEBHOOK_PATH, content=body, headers=headers)
                assert answer.status_code == 400, body
        assert app.update_queue.qsize() == 0


async def test_fake_bot_api_refuses_what_telegram_refuses_for_webhooks(api):
    async with Bot(api.token, base_url=api.base_url) as bot:
        for secret in ("has space", "é" * 3, "x" * 257, "semi;colon"):
            with pytest.raises(BadRequest, match="(?i)secret token"):
                await bot.set_webhook(PUBLIC + "/h", secret_token=secret)
        with pytest.raises(BadRequest, match="(?i)https url"):
            await bot.set_webhook("http://motcua.example.org/h")
        with pytest.raises(BadRequest, match="(?i)ports"):
            await bot.set_webhook(PUBLIC + ":8080/h")
        assert await bot.set_webhook(PUBLIC + "/h", secret_token="A-z_09" * 42 + "abcd")
        info = await bot.get_webhook_info()
        assert info.url == PUBLIC + "/h"
        with pytest.raises(Conflict, match="(?i)webhook is active"):
            await bot.get_updates()
        assert await bot.delete_webhook()
        assert (await bot.get_webhook_info()).url == ""
        assert await bot.get_updates(timeout=0) == ()


async def test_healthz_healthy_then_an_old_pending_message_then_a_closed_store(settings):
    from bot.core import open_core

    core = await open_core(settings)  # closed by the test itself
    server = WebServer("127.0.0.1", 0)
    server.serve_health(core_health(core))
    server.serve_metrics(core.metrics.registry, core_collector(core))
    await server.start()
    try:
        async with httpx.AsyncClient() as http:
            ok = await http.get(server.url + "/healthz")
            assert ok.status_code == 200
            report = ok.json()
            assert report["status"] == "ok" and report["problems"] == []
            assert report["checks"]["store"] == {"reachable": True, "damaged": False}
            assert report["checks"]["outbox"] == {}

            late = utcnow() - timedelta(seconds=STALE_OUTBOX_SECONDS + 60)
            async with core.db.transaction() as conn:
                await enqueue(conn, "telegram", 98765, Reply("Hồ sơ của bà Lan"), not_before=late)
                await enqueue(conn, "telegram", 98766, Reply("sớm thôi"))
            await core.db.execute("UPDATE outbox SET held_at = not_before WHERE chat_id = '98766'")
            stale = await http.get(server.url + "/healthz")
            assert stale.status_code == 503
            report = stale.json()
            assert report["status"] == "unhealthy"
            assert report["checks"]["outbox"]["telegram"]["pending"] == 1
            assert report["checks"]["outbox"]["telegram"]["held"] == 1
            assert report["checks"]["outbox"]["telegram"]["oldest_pending_seconds"] >= 600
            assert any("outbox: telegram" in p for p in report["problems"])
            assert "98765" not in stale.text and "Lan" not in stale.text  # no personal data

            metrics = families((await http.get(server.url + "/metrics")).text)
            assert sample(metrics["motcua_outbox_pending"], channel="telegram") == 1
            assert sample(metrics["motcua_outbox_held"], channel="telegram") == 1

            await core.close()
            closed = await http.get(server.url + "/healthz")
            assert closed.status_code == 503
            assert any(p.startswith("store:") for p in closed.json()["problems"])
            assert (await http.get(server.url + "/metrics")).status_code == 200  # still renders
    finally:
        await server.stop()


async def test_a_port_in_use_stops_motcua_run_with_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            "PATH": "/usr/bin:/bin",
            "MOTCUA_DB": str(tmp_path / "run.sqlite3"),
            "TELEGRAM_BOT_TOKEN": "123456:TEST-token-abcdefghijklmnopqrstuv",
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",  # never reached
            "MOTCUA_PUBLIC_URL": PUBLIC,
            "MOTCUA_HTTP_LISTEN": f"127.0.0.1:{port}",
        }
        done = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "already in use" in done.stderr and str(port) in done.stderr
    assert not (tmp_path / "run.sqlite3").exists()  # failed before touching the store


def test_http_settings_are_validated():
    from bot.settings import SettingsError, load_settings

    s = load_settings(environ={}, dotenv=None)
    assert (s.http_host, s.http_port, s.public_url) == ("127.0.0.1", 8080, None)
    assert not s.telegram_webhook
    for bad in ("8080", "host:", "h:70000", "a b:80"):
        with pytest.raises(SettingsError, match="MOTCUA_HTTP_LISTEN"):
            load_settings(environ={"MOTCUA_HTTP_LISTEN": bad}, dotenv=None)
    with pytest.raises(SettingsError, match="MOTCUA_PUBLIC_URL"):
        load_settings(environ={"MOTCUA_PUBLIC_URL": "http://insecure.example.org"}, dotenv=None)
    s = load_settings(environ={"MOTCUA_PUBLIC_URL": PUBLIC + "/"}, dotenv=None)
    assert s.public_url == PUBLIC and not s.telegram_webhook  # no token: no Telegram


def test_metrics_registries_are_per_core():
    from bot.metrics import Metrics

    a, b = Metrics(), Metrics()
    a.answered("zalo", a.received("zalo"), 2)
    assert json.dumps(a.registry.get_sample_value("motcua_updates_total", {"channel": "zalo"}))
    assert b.registry.get_sample_value("motcua_updates_total", {"channel": "zalo"}) is None


async def test_polling_with_http_listen_serves_health_and_no_webhook_route(tmp_path, api):
    settings = make_settings(
        tmp_path,
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_API_BASE_URL=api.base_url,
        MOTCUA_HTTP_LISTEN="127.0.0.1:0",
        MOTCUA_LEADERS_CHAT_ID="-1009",  # complaints reach someone (issue 18)
    )
    async with serving(settings) as (_, server):
        await api.wait_polling()
        api.add_user(CITIZEN)
        api.push_text(CITIZEN, "/start")
        await api.wait_for("sendMessage", chat_id=CITIZEN)
        async with httpx.AsyncClient() as http:
            assert (await http.get(server.url + "/healthz")).status_code == 200
            assert (await http.post(server.url + WEBHOOK_PATH, json={})).status_code == 404
    assert not api.calls("setWebhook")


async def test_a_channels_routes_are_mounted():
    from aiohttp import web

    from bot.channels.base import Channel as Contract

    class Channel(Contract):  # what a channel with a webhook exposes (as Zalo does)
        name = "zalo"

        def routes(self):
            async def hook(request: web.Request) -> web.Response:
                return web.json_response({"got": len(await request.read())})

            return [("POST", "/zalo/webhook", hook)]

    server = WebServer("127.0.0.1", 0)
    assert server.mount(Channel()) == 1 and server.mount(Contract()) == 0  # no routes: none
    with pytest.raises(ValueError, match="twice"):
        server.mount(Channel())
    await server.start()
    try:
        async with httpx.AsyncClient() as http:
            answer = await http.post(server.url + "/zalo/webhook", content=b"12345")
            assert answer.json() == {"got": 5}
            assert (await http.get(server.url + "/healthz")).status_code == 503  # no probes yet
    finally:
        await server.stop()


async def test_a_channel_reporting_an_expired_token_makes_healthz_unhealthy(tmp_path):
    from datetime import UTC, datetime

    from bot.channels.terminal import TerminalChannel

    class Reporting(TerminalChannel):  # a channel with its own state, as Zalo has
        expires = datetime(2030, 1, 1, tzinfo=UTC)

        async def health(self) -> dict:
            return {"token_expires_at": self.expires.isoformat(), "held": 0}

    settings = make_settings(tmp_path, MOTCUA_HTTP_LISTEN="127.0.0.1:0")
    channel = Reporting(io.StringIO(""), io.StringIO())
    server = web_server(settings, [channel])
    await server.start()
    runtime = Runtime(settings, [channel], run_jobs=False)
    attach(runtime, server)
    try:
        await runtime.start()
        async with httpx.AsyncClient() as http:
            ok = await http.get(server.url + "/healthz")
            assert ok.status_code == 200, ok.text
            assert ok.json()["checks"]["terminal"]["token_expires_in_seconds"] > 0
            gauges = families((await http.get(server.url + "/metrics")).text)
            left = sample(gauges["motcua_channel_token_expires_in_seconds"], channel="terminal")
            assert left > 0
            channel.expires = datetime(2020, 1, 1, tzinfo=UTC)
            expired = await http.get(server.url + "/healthz")
        assert expired.status_code == 503
        assert "terminal: the access token has expired" in expired.json()["problems"]
    finally:
        await runtime.stop()
        await server.stop()
