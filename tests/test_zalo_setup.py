"""Setting an OA up in one sitting: `motcua run` refuses a Zalo that reaches no official,
`motcua zalo connect` (OAuth v4 with PKCE), `tokens --show/--reset` and `check`, the
bundled banner of the phone request and the domain verification file."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import urllib.parse
from pathlib import Path

import httpx
import pytest
from conftest import TOKEN
from fakezalo import FakeZalo
from test_zalo_conversation import say
from zalo_harness import running_zalo

MOTCUA = str(Path(sys.executable).parent / "motcua")
UID = "9990001"


@pytest.fixture
async def fz():
    async with FakeZalo().serve() as fake:
        yield fake


async def motcua(tmp_path, env: dict, *argv: str, stdin=None) -> tuple[int, str, str]:
    """The real command in a subprocess (no .env: it runs in tmp_path)."""
    base = {"PATH": os.environ["PATH"], "HOME": str(tmp_path),
            "MOTCUA_DB": str(tmp_path / "motcua.sqlite3")}  # fmt: skip
    proc = await asyncio.create_subprocess_exec(
        MOTCUA, *argv, cwd=tmp_path, env={**base, **env},
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    if stdin is None:
        out, err = await asyncio.wait_for(proc.communicate(), 60)
        return proc.returncode, out.decode(), err.decode()
    return await stdin(proc)


def staff(**more) -> dict:
    return {"TELEGRAM_BOT_TOKEN": TOKEN, "MOTCUA_OFFICIALS_CHAT_ID": "-100800", **more}


async def test_run_refuses_zalo_without_officials_or_public_url(tmp_path, fz):
    code, out, err = await motcua(tmp_path, fz.bot_env(), "run")
    assert code == 1 and out == ""
    (line,) = err.strip().splitlines()
    assert "no channel reaches the officials and leaders" in line and "TELEGRAM_BOT_TOKEN" in line
    code, _, err = await motcua(tmp_path, {**fz.bot_env(), **staff()}, "run")
    assert code == 1 and "MOTCUA_PUBLIC_URL" in err and len(err.strip().splitlines()) == 1


async def test_connect_with_pkce_then_show_and_reset_tokens(tmp_path, fz):
    env = {**fz.bot_env(), "MOTCUA_PUBLIC_URL": "https://motcua.example.vn"}

    async def admin_grants(proc) -> tuple[int, str, str]:
        lines = []
        while not any("code_challenge=" in ln for ln in lines):
            lines.append((await asyncio.wait_for(proc.stdout.readline(), 30)).decode())
        url = next(ln.strip() for ln in lines if "code_challenge=" in ln)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        assert url.startswith(fz.urls["oauth"] + "/v4/oa/permission?")
        assert query["app_id"] == [fz.app_id]
        assert query["redirect_uri"] == ["https://motcua.example.vn/zalo/oauth"]
        code = fz.authorize(query["code_challenge"][0])
        proc.stdin.write(f"https://motcua.example.vn/zalo/oauth?code={code}&oa_id=1\n".encode())
        out, err = await asyncio.wait_for(proc.communicate(), 30)
        return proc.returncode, "".join(lines) + out.decode(), err.decode()

    code, out, err = await motcua(tmp_path, env, "zalo", "connect", stdin=admin_grants)
    assert code == 0, err
    assert "stored a new token pair" in out
    grant = fz.refreshes()[-1].body
    assert grant["grant_type"] == "authorization_code" and grant["code_verifier"]
    code, out, _ = await motcua(tmp_path, env, "zalo", "tokens", "--show")
    assert code == 0 and "from connect" in out and "AT-" in out
    assert fz.access_token not in out  # masked
    async with running_zalo(tmp_path, fz) as bot:  # the connected pair is the one used
        await say(fz, UID, "xin chào", "")
        pair = await bot.channel.store.newest_pair()
        assert pair.access_token != fz.access_token and not fz.violations
    code, out, _ = await motcua(tmp_path, env, "zalo", "tokens", "--reset")
    assert code == 0 and "forgot 1 stored pair" in out
    code, out, _ = await motcua(tmp_path, env, "zalo", "tokens", "--show")
    assert "no stored pair" in out


async def test_a_used_code_is_refused_with_one_line(tmp_path, fz):
    async def wrong_code(proc):
        out, err = await asyncio.wait_for(proc.communicate(b"code-never-issued\n"), 30)
        return proc.returncode, out.decode(), err.decode()

    env = {**fz.bot_env(), "MOTCUA_PUBLIC_URL": "https://motcua.example.vn"}
    code, _, err = await motcua(tmp_path, env, "zalo", "connect", stdin=wrong_code)
    assert code == 1 and "Zalo refused the code" in err and len(err.strip().splitlines()) == 1


async def test_check_reports_ok_then_what_is_missing(tmp_path, fz):
    async with running_zalo(tmp_path, fz, MOTCUA_LEADERS_CHAT_ID="-100900") as bot:
        base = bot.webhook_url.removesuffix("/zalo/webhook")
        env = {**fz.bot_env(), **staff(),
               "MOTCUA_ZNS_TEMPLATE_DOSSIER": "1001", "MOTCUA_ZNS_TEMPLATE_FEEDBACK": "1002",
               "MOTCUA_ZALO_INFO_IMAGE_URL": base + "/zalo/banner.png"}  # fmt: skip
        args = ("zalo", "check", "--webhook-url", bot.webhook_url)
        code, out, err = await motcua(tmp_path, env, *args)
        assert code == 0, out + err
        lines = out.strip().splitlines()
        assert all(ln.startswith("ok ") for ln in lines) and len(lines) == 7
        assert any("verified" in ln for ln in lines)
        assert any("ma_ho_so" in ln for ln in lines)
        env["MOTCUA_ZNS_TEMPLATE_FEEDBACK"] = "1999"  # not approved on this OA
        del env["TELEGRAM_BOT_TOKEN"]
        code, out, _ = await motcua(tmp_path, env, *args)
        missing = [ln for ln in out.splitlines() if ln.startswith("MISSING")]
        assert code == 1 and len(missing) == 2
        assert any("TELEGRAM_BOT_TOKEN" in ln for ln in missing)
        assert any("1999" in ln and "-131" in ln for ln in missing)
        assert fz.refreshes() == []  # check never spends the refresh token


async def test_the_phone_request_uses_the_bundled_banner_under_the_public_url(tmp_path, fz):
    verifier = tmp_path / "zalo_verifierAbC123.html"
    verifier.write_text("<meta name='zalo-platform-site-verification' content='AbC123'>")
    env = {"MOTCUA_PUBLIC_URL": "https://motcua.example.vn", "MOTCUA_ZALO_INFO_IMAGE_URL": "",
           "MOTCUA_ZALO_VERIFIER_FILE": str(verifier)}  # fmt: skip
    async with running_zalo(tmp_path, fz, **env) as bot:
        await say(fz, UID, "/hosocuatoi", "số điện thoại")
        await fz.user_clicks(UID, "xác minh")
        await fz.wait_for(lambda: any("đồng ý" in t for t in fz.texts_to(UID)))
        await fz.user_clicks(UID, "Tôi đồng ý")
        await fz.wait_for(lambda: "request_user_info" in str(fz.sent_to(UID)))
        info = fz.sent_to(UID)[-1]["message"]["attachment"]["payload"]["elements"][0]
        assert info["image_url"] == "https://motcua.example.vn/zalo/banner.png"
        base = bot.webhook_url.removesuffix("/zalo/webhook")
        async with httpx.AsyncClient() as client:
            png = await client.get(base + "/zalo/banner.png")
            page = await client.get(base + "/" + verifier.name)
            shown = await client.get(base + "/zalo/oauth?code=<x>")
        assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
        assert page.status_code == 200 and "AbC123" in page.text
        assert re.search(r"&lt;x&gt;", shown.text) and "<x>" not in shown.text
        assert fz.violations == []


async def test_run_without_any_token_pair_says_to_connect(tmp_path, fz, api):
    env = {k: v for k, v in fz.bot_env().items() if "TOKEN" not in k}
    env.update(staff(TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE_URL=api.base_url,
                     MOTCUA_HTTP_LISTEN="127.0.0.1:0",
                     MOTCUA_ZALO_INFO_IMAGE_URL="https://motcua.example.vn/logo.png"))  # fmt: skip
    code, _, err = await motcua(tmp_path, env, "run")
    assert code == 1 and "run motcua zalo connect" in err, err
    assert len(err.strip().splitlines()) == 1
