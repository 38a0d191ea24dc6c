"""What the bot serves for Zalo besides the webhook: the phone request's banner and the
OAuth callback page that shows the code to paste into `motcua zalo connect`.

Every official sample of `request_user_info` carries an `image_url`, and a strict
platform refuses one without it (-201): then no citizen could share a phone and ZNS
never works. So the bot serves its own banner under MOTCUA_PUBLIC_URL.
"""

from __future__ import annotations

import html
from importlib import resources

from aiohttp import web

BANNER_PATH = "/zalo/banner.png"
CALLBACK_PATH = "/zalo/oauth"


def png() -> bytes:
    return resources.files("bot.channels.zalo").joinpath("static/banner.png").read_bytes()


async def banner(request: web.Request) -> web.Response:
    return web.Response(
        body=png(), content_type="image/png", headers={"Cache-Control": "public, max-age=86400"}
    )


async def callback(request: web.Request) -> web.Response:
    """Zalo redirects the admin here after the grant; the code is shown, never stored."""
    code = html.escape(request.query.get("code", ""))
    text = (
        f"<p>Mã cấp quyền (code): <b><code>{code}</code></b></p>"
        "<p>Dán mã này vào lệnh <code>motcua zalo connect</code> đang chờ (dùng được một lần,"
        " trong 10 phút).</p>"
        if code
        else "<p>Không có mã (code) trong địa chỉ này.</p>"
    )
    page = f"<!doctype html><meta charset=utf-8><title>MotCua · Zalo</title>{text}"
    return web.Response(text=page, content_type="text/html", headers={"Cache-Control": "no-store"})
