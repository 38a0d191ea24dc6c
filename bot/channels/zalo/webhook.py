"""The webhook: Zalo's signature checked on the raw body, then 200 at once.

`mac = sha256(app_id + raw_body + timestamp + OA secret key)` (a plain SHA-256, not an
HMAC), compared in constant time. The work happens in a background task, since Zalo
wants its answer within 2 seconds and re-delivers what it did not get an answer for.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable

from aiohttp import web

from bot.channels.zalo.events import ZaloEvent, parse

log = logging.getLogger(__name__)

HEADER = "X-ZEvent-Signature"
MAX_BODY = 256 * 1024


def mac(app_id: str, raw_body: bytes, timestamp: str, oa_secret: str) -> str:
    data = app_id.encode() + raw_body + timestamp.encode() + oa_secret.encode()
    return hashlib.sha256(data).hexdigest()


def make_handler(app_id: str, oa_secret: str, accept: Callable[[ZaloEvent], None]):
    """An aiohttp handler; `accept(event)` must only schedule the work, never await it."""

    async def handle(request: web.Request) -> web.Response:
        header = request.headers.get(HEADER, "")
        if not header.startswith("mac=") or len(header) <= 4:
            return web.json_response({"error": 401, "message": "signature missing"}, status=401)
        raw = await request.read()
        if len(raw) > MAX_BODY:
            return web.json_response({"error": 413, "message": "too large"}, status=413)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        timestamp = str(body.get("timestamp", "")) if isinstance(body, dict) else ""
        expected = mac(app_id, raw, timestamp, oa_secret)
        if not hmac.compare_digest(header[4:].strip().lower().encode(), expected.encode()):
            _diagnose(body, raw, timestamp, oa_secret, header[4:].strip().lower())
            return web.json_response({"error": 403, "message": "bad signature"}, status=403)
        if not isinstance(body, dict):
            return web.json_response({"error": 400, "message": "not a JSON object"}, status=400)
        accept(parse(body))
        return web.json_response({"error": 0, "message": "Success"})

    return handle


def _diagnose(body, raw: bytes, timestamp: str, oa_secret: str, given: str) -> None:
    """The fact sheet's [U]: some code signs with the OA id first. Say so if that matches."""
    oa_id = ""
    if isinstance(body, dict):
        oa_id = str(body.get("oa_id") or (body.get("recipient") or {}).get("id") or "")
    if oa_id and hmac.compare_digest(
        mac(oa_id, raw, timestamp, oa_secret).encode(), given.encode()
    ):
        log.warning("Zalo webhook: signature matches oa_id+body+timestamp+secret, not app_id")
    else:
        log.warning("Zalo webhook: refused a request with a wrong signature")
