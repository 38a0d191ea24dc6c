"""FakeZalo: the OA API, ZNS and OAuth on one 127.0.0.1 port, plus users who write to a bot.

    async with FakeZalo(webhook_url=...).serve() as fz:
        bot points at fz.urls["openapi"|"zns"|"oauth"], seeded with fz.access_token, ...
        await fz.user_says("1001", "xin chào")
        await fz.wait_for(lambda: fz.deliveries)

Where the platform is unconfirmed the fake takes the strict reading; each choice is a
constructor argument. Every refusal is HTTP 200 with a non-zero `error`, except the
faults injected with `fail_next` (HTTP 502, a dropped connection).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import socket
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiohttp import web

from . import rules
from .business import BusinessApis, _oauth_error
from .webhook import encode, follow_event, msg_id, sign, user_event

WINDOW_MS = 7 * 24 * 3600 * 1000
FREE_MS = 48 * 3600 * 1000  # CS is free this long after the user's message, then paid
DEFAULT_TEMPLATES = {
    "1001": {"ma_ho_so": 30, "trang_thai": 30, "ngay_hen": 20},
    "1002": {"ma_phan_anh": 30, "trang_thai": 30},
}


@dataclass
class Call:
    """One request the fake answered: which API, the path, headers, the body, the answer."""

    api: str
    path: str
    headers: dict[str, str]
    body: Any
    answer: Any = None
    status: int = 200

    @property
    def error(self) -> int | None:
        return self.answer.get("error") if isinstance(self.answer, dict) else None


@dataclass
class User:
    uid: str
    following: bool | None = None
    last_interaction_ms: int | None = None
    buttons: dict[str, str] = field(default_factory=dict)  # title -> query payload
    refuses: int | None = None  # -244 restricted, -217 blocked, -227 banned (see `block`)


class FakeZalo(BusinessApis):
    def __init__(
        self,
        webhook_url: str | None = None,
        *,
        templates: dict[str, dict[str, int]] | None = None,
        token_lifetime: int = 90_000,
        max_buttons: int = 5,
        title_max: int = 100,
        payload_max: int = 1000,
        require_image_url: bool = True,
        unfollowed_code: int = -213,
        admin_phones: tuple[str, ...] = (),
        groups: tuple[str, ...] = ("g-officials",),
        zca: str = "none",
        pre_zbs_templates: tuple[str, ...] = (),
    ):
        self.webhook_url = webhook_url
        self.templates = templates if templates is not None else dict(DEFAULT_TEMPLATES)
        self.token_lifetime = token_lifetime
        self.limits = {
            "max_buttons": max_buttons,
            "title_max": title_max,
            "payload_max": payload_max,
            "require_image_url": require_image_url,
        }
        self.unfollowed_code = unfollowed_code
        self.admin_phones = set(admin_phones)
        self.groups = set(groups)
        # The OA's Zalo Cloud Account: "none" (-320 on a paid CS), "empty" (-321), "funded".
        self.zca = zca
        self.pre_zbs_templates = set(pre_zbs_templates)  # -249 when sent by user_id
        self.oa_refusal: int | None = None  # e.g. -224: every OA API send refused so
        self.zns_refusal: int | None = None  # e.g. -115: every ZNS send refused so
        self._codes: dict[str, tuple[str, str]] = {}  # OAuth code -> (challenge, redirect)
        self.app_id = "3141592653589793238"
        self.oa_id = "2718281828459045235"
        self.app_secret = "app-" + secrets.token_hex(10)
        self.oa_secret_key = "oa-" + secrets.token_hex(10)
        self.now_ms = int(time.time() * 1000)
        self._access: dict[str, int] = {}  # token -> expiry (fake clock, ms)
        self._refresh: dict[str, bool] = {}  # token -> still usable
        self.access_token, self.refresh_token = self._new_pair()
        self.users: dict[str, User] = {}
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.deliveries: list[dict] = []
        self.webhook_answers: list[int] = []
        self._posted: dict[str, tuple[bytes, dict[str, str]]] = {}
        self._faults: list[str] = []
        self._tracking: set[str] = set()
        self.urls: dict[str, str] = {}
        self._changed = asyncio.Event()

    # ---- control -------------------------------------------------------------------------

    def advance(self, seconds: float) -> None:
        """Move the fake clock: tokens expire and the 7-day window closes."""
        self.now_ms += int(seconds * 1000)

    def fail_next(self, n: int, kind: str = "5xx") -> None:
        """The next n API/ZNS calls fail: "5xx", "timeout" (dropped connection), "rate_limit"."""
        if kind not in ("5xx", "timeout", "rate_limit"):
            raise ValueError(kind)
        self._faults += [kind] * n

    def block(self, uid: str, code: int = -244) -> None:
        """The user restricted (-244) or blocked (-217) the OA, or is banned (-227)."""
        self.user(uid).refuses = code

    def user(self, uid: str) -> User:
        return self.users.setdefault(uid, User(uid))

    def bot_env(self) -> dict[str, str]:
        """The settings that point MotCua's Zalo channel at this fake (ids, secrets, the
        first token pair, the three base URLs)."""
        return {
            "MOTCUA_ZALO_APP_ID": self.app_id,
            "MOTCUA_ZALO_APP_SECRET": self.app_secret,
            "MOTCUA_ZALO_OA_SECRET": self.oa_secret_key,
            "MOTCUA_ZALO_ACCESS_TOKEN": self.access_token,
            "MOTCUA_ZALO_REFRESH_TOKEN": self.refresh_token,
            "MOTCUA_ZALO_API_BASE_URL": self.urls["openapi"],
            "MOTCUA_ZALO_OAUTH_BASE_URL": self.urls["oauth"],
            "MOTCUA_ZNS_BASE_URL": self.urls["zns"],
        }

    def sent_to(self, uid: str, kind: str = "cs") -> list[dict]:
        return [d for d in self.deliveries if d["kind"] == kind and d["to"] == uid]

    def texts_to(self, uid: str) -> list[str]:
        return [d["message"].get("text", "") or "" for d in self.sent_to(uid)]

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 15.0) -> Any:
        """Until predicate() is truthy (re-checked whenever the fake answers a call)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            result = predicate()
            if result:
                return result
            left = end - loop.time()
            if left <= 0:
                raise AssertionError("FakeZalo.wait_for: condition never held")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(left, 0.2))

    # ---- users writing to the OA (webhook posts) -----------------------------------------

    async def user_says(self, uid: str, text: str) -> int:
        message = {"text": text, "msg_id": msg_id()}
        return await self._user_event(uid, "user_send_text", message=message)

    async def user_clicks(self, uid: str, title: str) -> int:
        """Tap a query button the bot sent this user: its payload comes as the user's text."""
        payload = self.user(uid).buttons.get(title)
        if payload is None:
            for known, value in self.user(uid).buttons.items():
                if title in known:
                    payload = value
        if payload is None:
            raise AssertionError(f"no button {title!r} was sent to {uid}")
        message = {"text": payload, "msg_id": msg_id()}
        return await self._user_event(uid, "user_send_text", message=message)

    async def user_sends_image(self, uid: str, url: str) -> int:
        attachment = {"type": "image", "payload": {"url": url, "thumbnail": url}}
        message = {"msg_id": msg_id(), "attachments": [attachment]}
        return await self._user_event(uid, "user_send_image", message=message)

    async def user_shares_info(self, uid: str, phone: str = "84912345678", name: str = "") -> int:
        info = {"name": name or "Nguyễn Văn A", "phone": phone, "address": "", "city": ""}
        return await self._user_event(uid, "user_submit_info", info=info)

    async def user_follows(self, uid: str) -> int:
        self.user(uid).following = True
        self.user(uid).last_interaction_ms = self.now_ms
        return await self.post(follow_event(self.app_id, self.oa_id, uid, "follow", self.now_ms))

    async def user_unfollows(self, uid: str) -> int:
        self.user(uid).following = False
        event = follow_event(self.app_id, self.oa_id, uid, "unfollow", self.now_ms)
        return await self.post(event)

    async def _user_event(self, uid: str, name: str, **extra) -> int:
        self.user(uid).last_interaction_ms = self.now_ms
        event = user_event(self.app_id, self.oa_id, uid, name, self.now_ms, **extra)
        return await self.post(event)

    async def post(self, event: dict, *, signature: str | None = None, raw: bytes | None = None):
        """Post an event to the webhook, signed unless `signature` says otherwise."""
        body = raw if raw is not None else encode(event)
        headers = {"Content-Type": "application/json"}
        mac = sign(self.app_id, body, event.get("timestamp", ""), self.oa_secret_key)
        if signature != "":
            headers["X-ZEvent-Signature"] = signature or mac
        key = (event.get("message") or {}).get("msg_id")
        if key:
            self._posted[key] = (body, headers)
        return await self._send(body, headers)

    async def redeliver(self, message_id: str) -> int:
        """Post an event again, byte for byte (Zalo delivers at least once)."""
        body, headers = self._posted[message_id]
        return await self._send(body, {**headers, "num_retry": "1"})

    def posted_ids(self) -> list[str]:
        return list(self._posted)

    async def _send(self, body: bytes, headers: dict[str, str]) -> int:
        if not self.webhook_url:
            raise RuntimeError("FakeZalo has no webhook_url")
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.post(self.webhook_url, content=body, headers=headers)
        self.webhook_answers.append(response.status_code)
        return response.status_code

    # ---- the server ----------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def serve(self) -> AsyncIterator[FakeZalo]:
        app = web.Application(client_max_size=10 * 1024 * 1024)
        app.router.add_route("*", "/{api}/{path:.*}", self._dispatch)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        site = web.SockSite(runner, sock)
        await site.start()
        base = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.urls = {name: f"{base}/{name}" for name in ("openapi", "zns", "oauth")}
        try:
            yield self
        finally:
            await runner.cleanup()

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        api, path = request.match_info["api"], "/" + request.match_info["path"]
        raw = await request.read()
        headers = {k.lower(): v for k, v in request.headers.items()}
        if request.content_type == "application/x-www-form-urlencoded":
            body: Any = dict(urllib.parse.parse_qsl(raw.decode()))
        elif request.method == "GET":
            body = dict(request.query)
        else:
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw
        call = Call(api, path, headers, body)
        self.calls.append(call)
        try:
            if api != "oauth" and self._faults:
                fault = self._faults.pop(0)
                if fault == "5xx":
                    call.status = 502
                    return web.Response(status=502, text="Bad Gateway")
                if fault == "timeout":
                    call.status = 0
                    request.transport.close()  # the client sees the connection drop
                    raise web.HTTPBadRequest()
                call.answer = {"error": -32, "message": "Your application reached limit call api"}
                return web.json_response(call.answer)
            handler = ROUTES.get((api, request.method, path))
            if handler is None:
                call.status = 404
                return web.json_response({"error": 404, "message": "Not Found"}, status=404)
            call.answer = handler(self, call)
            return web.json_response(call.answer)
        finally:
            self._changed.set()

    # ---- API handlers --------------------------------------------------------------------

    def _token_problem(self, call: Call) -> dict | None:
        if "authorization" in call.headers:
            self.violations.append(f"{call.path}: Authorization header (Zalo wants access_token)")
        token = call.headers.get("access_token")
        expiry = self._access.get(token or "")
        if expiry is None or expiry <= self.now_ms:
            return {"error": -216, "message": "Access token is invalid"}
        return None

    def _refused(self, call: Call, code: int, message: str) -> dict:
        if code in (-201, -210, -233, -108, -131, -1121, -1122):
            self.violations.append(f"{call.path}: {code} {message}")
        return {"error": code, "message": message}

    def cs(self, call: Call) -> dict:
        problem = self._token_problem(call)
        if problem:
            return problem
        body = call.body
        uid = body.get("recipient", {}).get("user_id") if isinstance(body, dict) else None
        if not isinstance(uid, str) or not uid.isdigit():
            return self._refused(call, -201, "recipient is invalid!")
        refusal = rules.message_problem(body.get("message"), **self.limits)
        if refusal:
            return self._refused(call, *refusal)
        if self.oa_refusal is not None:
            return {"error": self.oa_refusal, "message": "OA cannot use this API"}
        user = self.users.get(uid)
        if user is None or user.last_interaction_ms is None:
            return {"error": -232, "message": "User has not interacted with the OA"}
        if user.refuses is not None:
            return {"error": user.refuses, "message": "User cannot receive this message"}
        if user.following is False:
            return {"error": self.unfollowed_code, "message": "User has not followed the OA"}
        if self.now_ms - user.last_interaction_ms > WINDOW_MS:
            return {
                "error": -230,
                "message": "User has not interacted with the OA in the past 7 days",
            }
        paid = self.now_ms - user.last_interaction_ms > FREE_MS
        if paid and self.zca != "funded":
            if self.zca == "none":
                return {"error": -320, "message": "Paid message requires a linked ZCA"}
            return {"error": -321, "message": "ZCA balance is not enough"}
        message = body["message"]
        payload = (message.get("attachment") or {}).get("payload") or {}
        for b in payload.get("buttons") or ():
            if b["type"] in rules.QUERY_TYPES:
                user.buttons[b["title"]] = b["payload"]
        mid = secrets.token_hex(10)
        self.deliveries.append(
            {"kind": "cs", "to": uid, "message": message, "message_id": mid, "paid": paid}
        )
        return {"error": 0, "message": "Success", "data": {"message_id": mid, "user_id": uid}}

    def group(self, call: Call) -> dict:
        problem = self._token_problem(call)
        if problem:
            return problem
        body = call.body if isinstance(call.body, dict) else {}
        group_id = (body.get("recipient") or {}).get("group_id")
        if group_id not in self.groups:
            return {"error": -403, "message": "Group is not owned by the OA"}
        refusal = rules.text_problem((body.get("message") or {}).get("text"))
        if refusal:
            return self._refused(call, *refusal)
        mid = secrets.token_hex(10)
        self.deliveries.append(
            {"kind": "group", "to": group_id, "message": body["message"], "message_id": mid}
        )
        return {"error": 0, "message": "Success", "data": {"message_id": mid}}

    def zns(self, call: Call) -> dict:
        if self._token_problem(call):  # the ZNS host has its own code for a bad token
            return {"error": -124, "message": "Access token is invalid"}
        refusal = rules.zns_problem(call.body, self.templates)
        if refusal:
            return self._refused(call, *refusal)
        if self.zns_refusal is not None:
            return {"error": self.zns_refusal, "message": "ZNS cannot be sent"}
        body = call.body
        phone = str(body["phone"]).lstrip("+")
        if body.get("mode") == "development" and phone not in self.admin_phones:
            return {"error": -127, "message": "Phone is not an admin of the app or the OA"}
        tracking = body.get("tracking_id")
        if tracking:
            if tracking in self._tracking:
                self.violations.append(f"ZNS tracking_id sent twice: {tracking}")
            self._tracking.add(tracking)
        mid = secrets.token_hex(10)
        self.deliveries.append({"kind": "zns", "to": phone, "message": body, "message_id": mid})
        data = {"msg_id": mid, "sent_time": str(self.now_ms), "sending_mode": "1"}
        return {"error": 0, "message": "Success", "data": data}

    def user_detail(self, call: Call) -> dict:
        problem = self._token_problem(call)
        if problem:
            return problem
        try:
            uid = json.loads(call.body.get("data", ""))["user_id"]
        except (ValueError, KeyError, TypeError):
            return self._refused(call, -201, "data is invalid!")
        user = self.users.get(uid)
        if user is None:
            return {"error": -213, "message": "User is not found"}
        data = {
            "user_id": uid,
            "user_id_by_app": f"9{uid}",
            "user_is_follower": bool(user.following),
        }
        return {"error": 0, "message": "Success", "data": data}

    def v2_message(self, call: Call) -> dict:
        self.violations.append("the v2.0 message API was used")
        return {"error": -240, "message": "API is deprecated, use v3"}

    def access_token_grant(self, call: Call) -> dict:
        """OAuth v4 refresh: form body, `secret_key` header; a refresh token works once."""
        form = call.body if isinstance(call.body, dict) else {}
        if (
            call.headers.get("content-type", "").split(";")[0]
            != "application/x-www-form-urlencoded"
        ):
            self.violations.append("oauth: body is not form encoded")
        if call.headers.get("secret_key") != self.app_secret or form.get("app_id") != self.app_id:
            return _oauth_error(-14002, "invalid_client", "app_id or secret_key is invalid")
        if form.get("grant_type") == "authorization_code":
            return self._code_grant(form)
        if form.get("grant_type") != "refresh_token":
            return _oauth_error(-14003, "invalid_request", "grant_type is invalid")
        token = form.get("refresh_token", "")
        if token not in self._refresh:
            return _oauth_error(-14014, "invalid_grant", "Invalid refresh token")
        if not self._refresh[token]:
            self.violations.append(f"refresh token used twice: {token}")
            return _oauth_error(-14020, "invalid_grant", "Refresh token has been used")
        self._refresh[token] = False
        access, refresh = self._new_pair()
        return {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": str(self.token_lifetime),
        }

    def _new_pair(self) -> tuple[str, str]:
        access, refresh = "AT-" + secrets.token_urlsafe(24), "RT-" + secrets.token_urlsafe(24)
        self._access[access] = self.now_ms + self.token_lifetime * 1000
        self._refresh[refresh] = True
        return access, refresh

    def refreshes(self) -> list[Call]:
        return [c for c in self.calls if c.api == "oauth"]


ROUTES: dict[tuple[str, str, str], Callable[[FakeZalo, Call], dict]] = {
    ("openapi", "POST", "/v3.0/oa/message/cs"): FakeZalo.cs,
    ("openapi", "POST", "/v3.0/oa/group/message"): FakeZalo.group,
    ("openapi", "GET", "/v3.0/oa/user/detail"): FakeZalo.user_detail,
    ("openapi", "POST", "/v2.0/oa/message"): FakeZalo.v2_message,
    ("openapi", "POST", "/v3.0/oa/message/template"): FakeZalo.zbs,
    ("openapi", "GET", "/v2.0/oa/getoa"): FakeZalo.oa_info,
    ("zns", "POST", "/message/template"): FakeZalo.zns,
    ("zns", "GET", "/template/info/v2"): FakeZalo.template_info,
    ("oauth", "POST", "/v4/oa/access_token"): FakeZalo.access_token_grant,
}
