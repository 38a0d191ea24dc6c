"""The fake Zalo OA refuses what the fact sheet says Zalo refuses (self-tests of the fake)."""

from __future__ import annotations

import hashlib
import json

import httpx
import pytest
from aiohttp import web
from fakezalo import FakeZalo, sign

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
async def fz():
    async with FakeZalo().serve() as fake:
        fake.user("1001").last_interaction_ms = fake.now_ms
        yield fake


async def cs(fz, message, uid="1001", token=None):
    async with httpx.AsyncClient() as c:
        r = await c.post(
            fz.urls["openapi"] + "/v3.0/oa/message/cs",
            json={"recipient": {"user_id": uid}, "message": message},
            headers={"access_token": token or fz.access_token},
        )
    return r.status_code, r.json() if r.status_code == 200 else None


async def zns(fz, **body):
    async with httpx.AsyncClient() as c:
        r = await c.post(
            fz.urls["zns"] + "/message/template", json=body,
            headers={"access_token": fz.access_token},
        )  # fmt: skip
    return r.json()


async def refresh(fz, token):
    async with httpx.AsyncClient() as c:
        r = await c.post(
            fz.urls["oauth"] + "/v4/oa/access_token",
            data={"refresh_token": token, "app_id": fz.app_id, "grant_type": "refresh_token"},
            headers={"secret_key": fz.app_secret},
        )
    return r.json()


def buttons(n, title="Nút", payload="p"):
    return {
        "type": "template",
        "payload": {"buttons": [{"title": title, "type": "oa.query.hide", "payload": payload}] * n},
    }


async def test_text_limits_token_and_shapes(fz):
    assert (await cs(fz, {"text": "xin chào"}))[1]["error"] == 0
    assert (await cs(fz, {"text": "a" * 2000}))[1]["error"] == 0
    assert (await cs(fz, {"text": "a" * 2001}))[1]["error"] == -210
    # 2,000 characters after NFC: decomposed marks do not count twice
    assert (await cs(fz, {"text": "ạ" * 2000}))[1]["error"] == 0
    assert (await cs(fz, {"text": "a\u0323" * 2000}))[1]["error"] == 0
    assert (await cs(fz, {"text": "x"}, token="nope"))[1]["error"] == -216
    assert (await cs(fz, {}))[1]["error"] == -201
    assert (await cs(fz, {"text": "x", "attachment": buttons(5)}))[1]["error"] == 0
    assert (await cs(fz, {"text": "x", "attachment": buttons(6)}))[1]["error"] == -210
    assert (await cs(fz, {"text": "x", "attachment": buttons(1, "t" * 101)}))[1]["error"] == -210
    assert (await cs(fz, {"text": "x", "attachment": buttons(1, "t", "p" * 1001)}))[1][
        "error"
    ] == -210
    info = {"template_type": "request_user_info", "elements": [{"title": "T", "subtitle": "S"}]}
    assert (await cs(fz, {"attachment": {"type": "template", "payload": info}}))[1][
        "error"
    ] == -201  # strict: image_url required
    info["elements"][0]["image_url"] = "https://oa.example/logo.png"
    assert (await cs(fz, {"attachment": {"type": "template", "payload": info}}))[1]["error"] == 0
    info["elements"] = info["elements"] * 2
    assert (await cs(fz, {"attachment": {"type": "template", "payload": info}}))[1]["error"] == -201
    assert len(fz.sent_to("1001")) == 6
    assert fz.violations  # the refused shapes are listed for the tests to see


async def test_window_unfollow_and_unknown_user(fz):
    assert (await cs(fz, {"text": "x"}, uid="999"))[1]["error"] == -232
    fz.user("1001").last_interaction_ms = fz.now_ms - 7 * 24 * 3600 * 1000 - 1
    assert (await cs(fz, {"text": "x"}))[1]["error"] == -230
    fz.user("1001").last_interaction_ms = fz.now_ms
    fz.user("1001").following = False
    assert (await cs(fz, {"text": "x"}))[1]["error"] == -213


async def test_tokens_expire_and_refresh_tokens_work_once(fz):
    fz.advance(90_001)
    assert (await cs(fz, {"text": "x"}))[1]["error"] == -216
    first = await refresh(fz, fz.refresh_token)
    assert first["expires_in"] == "90000" and first["access_token"] != fz.access_token
    assert (await cs(fz, {"text": "x"}, token=first["access_token"]))[1]["error"] == 0
    again = await refresh(fz, fz.refresh_token)
    assert again["error"] == -14020
    assert any("used twice" in v for v in fz.violations)


async def test_zns_rules(fz):
    good = {
        "phone": "84912345678",
        "template_id": "1001",
        "template_data": {"ma_ho_so": "H56-1", "trang_thai": "Đã xong", "ngay_hen": "01/12/2026"},
        "tracking_id": "t-1",
    }
    assert (await zns(fz, **good))["error"] == 0
    assert (await zns(fz, **{**good, "phone": "0912345678"}))["error"] == -108
    assert (await zns(fz, **{**good, "template_id": "9"}))["error"] == -131
    data = dict(good["template_data"])
    del data["ngay_hen"]
    assert (await zns(fz, **{**good, "template_data": data}))["error"] == -1122
    data["ngay_hen"] = "x" * 21
    assert (await zns(fz, **{**good, "template_data": data}))["error"] == -1121
    assert (await zns(fz, **{**good, "mode": "development"}))["error"] == -127
    assert len(fz.sent_to("84912345678", "zns")) == 1


async def test_injected_faults(fz):
    fz.fail_next(1, "5xx")
    fz.fail_next(1, "rate_limit")
    fz.fail_next(1, "timeout")
    assert (await cs(fz, {"text": "x"}))[0] == 502
    assert (await cs(fz, {"text": "x"}))[1]["error"] == -32
    with pytest.raises(httpx.TransportError):
        await cs(fz, {"text": "x"})
    assert (await cs(fz, {"text": "x"}))[1]["error"] == 0
    assert len(fz.sent_to("1001")) == 1


async def test_webhook_posts_are_signed_and_buttons_come_back_as_text(fz):
    got: list[tuple[dict, str]] = []

    async def hook(request):
        raw = await request.read()
        got.append((json.loads(raw), request.headers.get("X-ZEvent-Signature", "")))
        body = json.loads(raw)
        data = fz.app_id.encode() + raw + body["timestamp"].encode() + fz.oa_secret_key.encode()
        assert got[-1][1] == "mac=" + hashlib.sha256(data).hexdigest()
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    fz.webhook_url = f"http://127.0.0.1:{port}/hook"
    try:
        assert await fz.user_says("1002", "xin chào") == 200
        with pytest.raises(AssertionError):
            await fz.user_clicks("1002", "Không có")
        await cs(fz, {"text": "Chọn", "attachment": buttons(1, "Hỏi thủ tục", "m:ask")}, "1002")
        await fz.user_clicks("1002", "Hỏi thủ tục")
        await fz.user_shares_info("1002", phone="84912345678")
        await fz.user_follows("1003")
        await fz.user_sends_image("1002", "https://img.example/a.jpg")
        first = got[0][0]["message"]["msg_id"]
        assert await fz.redeliver(first) == 200
    finally:
        await runner.cleanup()
    names = [g[0]["event_name"] for g in got]
    assert names == [
        "user_send_text", "user_send_text", "user_submit_info", "follow", "user_send_image",
        "user_send_text",
    ]  # fmt: skip
    assert got[1][0]["message"]["text"] == "m:ask"
    assert got[2][0]["info"]["phone"] == "84912345678"
    assert got[-1][0] == got[0][0]
    assert sign("1", b"{}", "2", "s") == "mac=" + hashlib.sha256(b"1{}2s").hexdigest()
