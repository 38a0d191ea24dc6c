"""The webhook: Zalo's signature checked on the raw body, the event stored, then 200.

`mac = sha256(app_id + raw_body + timestamp + OA secret key)` (a plain SHA-256, not an
HMAC), compared in constant time. The console's unsigned test post (`{}`, no
`event_name`) gets 200 or the console refuses the URL. Only an allow-list of events is
kept; the 200 goes out once the event is committed, since Zalo does not send an
acknowledged event again, and the work happens afterwards (Zalo wants 2 seconds).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.channels.zalo.alerts import SignatureWatch
from bot.channels.zalo.events import ALLOWED, ZaloEvent, parse

log = logging.getLogger(__name__)

HEADER = "X-ZEvent-Signature"
MAX_BODY = 256 * 1024
OK = {"error": 0, "message": "Success"}
IGNORED = {"error": 0, "message": "ignored"}

# receive(event, raw body) -> True once stored, False when it cannot be stored now (503)
Receive = Callable[[ZaloEvent, bytes], Awaitable[bool]]


def mac(app_id: str, raw_body: bytes, timestamp: str, oa_secret: str) -> str:
    data = app_id.encode() + raw_body + timestamp.encode() + oa_secret.encode()
    return hashlib.sha256(data).hexdigest()


def make_handler(app_id: str, oa_secret: str, receive: Receive, watch: SignatureWatch):
    """An aiohttp handler; `receive` stores the event and schedules its work."""

    async def handle(request: web.Request) -> web.Response:
        raw = await request.read()  # bounded by the server's client_max_size (1 MB)
        if len(raw) > MAX_BODY:
            return web.json_response({"error": 413, "message": "too large"}, status=413)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        named = isinstance(body, dict) and bool(body.get("event_name"))
        header = request.headers.get(HEADER, "").strip()
        if not header.startswith("mac=") or len(header) <= 4:
            if not named:  # the console's test post when the URL is saved
                return web.json_response(IGNORED)
            await watch.failed()
            return web.json_response({"error": 401, "message": "signature missing"}, status=401)
        timestamp = str(body.get("timestamp", "")) if isinstance(body, dict) else ""
        given = header[4:].strip().lower()
        if not hmac.compare_digest(given.encode(), mac(app_id, raw, timestamp, oa_secret).encode()):
            _diagnose(body, raw, timestamp, oa_secret, given)
            await watch.failed()
            return web.json_response({"error": 403, "message": "bad signature"}, status=403)
        watch.passed()
        if not isinstance(body, dict):
            return web.json_response({"error": 400, "message": "not a JSON object"}, status=400)
        if not named or body["event_name"] not in ALLOWED:
            return web.json_response(IGNORED)  # receipts, echoes, reactions, clicks on "chat"
        event = parse(body)
        if event.user_id is None:
            return web.json_response(IGNORED)
        if not await receive(event, raw):
            return web.json_response({"error": 503, "message": "not ready"}, status=503)
        return web.json_response(OK)

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
