"""FakeBotApi: a Bot API server on 127.0.0.1 for tests, run in the test's own event loop.

python-telegram-bot talks to it through its real HTTPXRequest (``base_url=api.base_url``), so
request encoding, error mapping (BadRequest, Forbidden, RetryAfter...) and long polling are
exercised for real, while no test reaches the network.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import inspect
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from .errors import CONFLICT, WEBHOOK_ACTIVE, ApiError, injected
from .http import Disconnect, Request, Response, serve
from .methods import HANDLERS
from .params import check_required, decode
from .pushes import Pushes
from .spec import Entry, Spec, load
from .state import JSON, World

DEFAULT_TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuv"
_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]{20,}")
_NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}


class Call(NamedTuple):
    """A successful call: method (spec spelling) and decoded parameters."""

    method: str
    params: dict[str, Any]


class Logged(NamedTuple):
    """Any call, with the HTTP status and JSON answer (499: the client went away) and the
    monotonic time it was answered (benchmarks measure waits with it)."""

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any]
    at: float = 0.0


@dataclass
class _Fault:
    method: str
    code: int
    retry_after: int | None
    description: str | None
    count: int
    chat_id: int | str | None
    disconnect: bool
    after: int = 0  # matching calls let through first


class FakeBotApi(Pushes):
    """The fake server; see the package docstring for a usage example."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_name: str = "MotCua Test",
        bot_username: str = "motcua_test_bot",
        strict_html: bool = True,
        latency: float = 0.0,
        callback_timeout: float = 15.0,
        spec: Spec | None = None,
    ) -> None:
        if not _TOKEN.fullmatch(token):
            raise ValueError(f"not a Bot API token: {token!r}")
        self.token = token
        self.spec = spec or load()
        bot = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": bot_name}
        self.world = World(bot | {"username": bot_username}, self.spec.default_update_types)
        self.world.on_update = self._wake_pollers
        self.bot_flags = {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.strict_html = strict_html
        self.latency = latency
        self.chat_latency: dict[str, float] = {}  # str(chat_id) -> extra seconds per call
        self.callback_timeout = callback_timeout
        self.sent: list[Call] = []
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status)
        self.requests: list[Logged] = []
        self.port = 0
        self.polling = 0  # getUpdates calls now waiting
        self._faults: list[_Fault] = []
        self._server: asyncio.Server | None = None
        self._connections: dict[asyncio.Task[None], asyncio.StreamWriter] = {}
        self._activity = asyncio.Event()
        self._poll_wake = asyncio.Event()
        self._poll_generation = 0
        self._closing = False

    # Life cycle -----------------------------------------------------------------------------
    async def start(self) -> FakeBotApi:
        self._closing = False
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        self._closing = True
        self._wake_pollers()
        if self._server is not None:
            self._server.close()
        for writer in self._connections.values():
            writer.transport.abort()  # ends each connection's read loop without cancelling it
        if self._connections:
            _, late = await asyncio.wait(self._connections, timeout=2)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def now(self) -> int:
        return int(time.time())

    def clock(self) -> float:
        return time.monotonic()

    # Fault injection ------------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        count: int = 1,
        chat_id: int | str | None = None,
        disconnect: bool = False,
        after: int = 0,
    ) -> None:
        """Fail the next ``count`` calls of ``method`` ("*": any but getUpdates).

        429 answers carry ``parameters.retry_after`` (default 1); ``disconnect`` closes the
        connection without an answer instead; ``chat_id`` limits it to calls for that chat;
        ``after`` lets that many matching calls through before failing.
        """
        fault = _Fault(
            method.lower(), error_code, retry_after, description, count, chat_id, disconnect, after
        )
        self._faults.append(fault)

    def slow_chat(self, chat_id: int | str, seconds: float) -> None:
        """Calls for this chat take ``seconds`` more (0: normal again). A client that gives up
        meanwhile (its timeout) gets no answer and the call is logged as 499, not sent."""
        if seconds > 0:
            self.chat_latency[str(chat_id)] = seconds
        else:
            self.chat_latency.pop(str(chat_id), None)

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: sending to them fails with 403 until they write again."""
        self.world.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        self.world.blocked.discard(chat_id)

    def _inject(self, method: str, params: JSON) -> None:
        for fault in self._faults:
            wanted = fault.method == method.lower() or (
                fault.method == "*" and method != "getUpdates"
            )
            if not wanted or (
                fault.chat_id is not None and str(params.get("chat_id")) != str(fault.chat_id)
            ):
                continue
            if fault.after > 0:
                fault.after -= 1
                continue
            fault.count -= 1
            if fault.count <= 0:
                self._faults.remove(fault)
            if fault.disconnect:
                raise Disconnect
            raise injected(fault.code, fault.retry_after, fault.description)

    # Recording ------------------------------------------------------------------------------
    def calls(self, method: str | None = None, **where: Any) -> list[Call]:
        """Successful calls (getUpdates excluded), optionally of a method with these params."""
        return [c for c in self.sent if _matches(c, method, where)]

    def last(self, method: str | None = None, **where: Any) -> Call:
        found = self.calls(method, **where)
        if not found:
            raise AssertionError(f"no {method or 'call'} {where or ''} in {self._summary()}")
        return found[-1]

    def messages(self, chat_id: int) -> list[JSON]:
        """Messages now in the chat (both sides), oldest first, edits applied."""
        return list(self.world.messages.get(chat_id, {}).values())

    def bot_texts(self, chat_id: int) -> list[str]:
        """Texts (or captions) of the bot's messages now in the chat."""
        mine = [m for m in self.messages(chat_id) if m["from"]["id"] == self.world.bot["id"]]
        return [m.get("text", m.get("caption", "")) for m in mine]

    def keyboard(self, chat_id: int) -> JSON | None:
        """The reply keyboard the user currently sees in the chat, if any."""
        return self.world.keyboards.get(chat_id)

    async def wait_for(
        self,
        what: str | Callable[[Call], bool] | None = None,
        count: int = 1,
        timeout: float = 5.0,
        *,
        since: int = 0,
        **where: Any,
    ) -> list[Call]:
        """Wait until ``count`` successful calls (from index ``since`` of ``sent``) match.

        ``what`` is a method name or a predicate on Call; ``where`` compares parameters.
        Returns the matching calls; raises AssertionError with what was sent on timeout.
        """

        def found() -> list[Call]:
            return [c for c in self.sent[since:] if _matches(c, what, where)]

        await self._until(lambda: len(found()) >= count, timeout, f"{count} x {what} {where}")
        return found()

    async def wait_polling(self, timeout: float = 5.0) -> None:
        """Wait until a getUpdates call is waiting for updates (the bot is polling)."""
        await self._until(lambda: self.polling > 0, timeout, "a waiting getUpdates")

    async def _until(self, ready: Callable[[], bool], timeout: float, what: str) -> None:
        """Re-check ``ready`` on each request or poll, without sleeping in between."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            activity = self._activity
            if ready():
                return
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"waited {timeout}s for {what}. {self._summary()}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(activity.wait(), remaining)

    def _notify(self) -> None:
        self._activity.set()
        self._activity = asyncio.Event()

    def _summary(self) -> str:
        failed = [
            (r.method, r.status, r.response.get("description"))
            for r in self.requests
            if r.status != 200
        ]
        return f"Sent: {[c.method for c in self.sent]}. Failed: {failed}"

    def _record(self, method: str, params: JSON, status: int, payload: JSON) -> None:
        self.requests.append(
            Logged(method, params, status, copy.deepcopy(payload), time.monotonic())
        )
        if status == 200 and method != "getUpdates":
            self.sent.append(Call(method, params))
        self._notify()

    # HTTP -----------------------------------------------------------------------------------
    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections[task] = writer
        try:
            await serve(reader, writer, self._handle)
        except asyncio.CancelledError:
            pass  # stop() gave up waiting; a cancelled callback task would be logged as an error
        finally:
            self._connections.pop(task, None)

    async def _handle(self, request: Request) -> Response:
        if self.latency:
            await asyncio.sleep(self.latency)
        if request.path.startswith("/file/bot"):
            return self._download(request)
        route = re.fullmatch(r"/bot([^/]*)/([^/]*)", request.path)
        if route is None:
            return Response.json(404, _NOT_FOUND)
        token, name = route.groups()
        entry = self.spec.method(name)
        method = entry.name if entry else name
        params: JSON = {}
        try:
            fields, files = request.form()
        except ValueError:  # an unreadable body
            status, payload = 400, ApiError(400, "Bad Request").payload()
        else:
            params = dict(fields)
            try:
                if not _TOKEN.fullmatch(token) or entry is None:
                    raise ApiError(404, "Not Found")
                if token != self.token:
                    raise ApiError(401, "Unauthorized")
                params = decode(entry, fields, files)
                result = await self._call(method, entry, params, request)
            except ApiError as exc:
                status, payload = exc.code, exc.payload()
            except Disconnect:
                self._record(method, params, 499, {"ok": False, "description": "disconnected"})
                raise
            except Exception as exc:  # a bug in the fake: answer it rather than hang up
                status, payload = 500, ApiError(500, f"FakeBotApi crashed: {exc!r}").payload()
            else:
                status, payload = 200, {"ok": True, "result": result}
        self._record(method, params, status, payload)
        return Response.json(status, payload)

    async def _call(self, method: str, entry: Entry, params: JSON, request: Request) -> Any:
        delay = self.chat_latency.get(str(params.get("chat_id")))
        if delay and method != "getUpdates":
            await self._hang(delay, request)
        self._inject(method, params)
        if method == "getUpdates":
            check_required(entry, params)
            return await self._get_updates(params, request)
        handler = HANDLERS.get(method)
        if handler is None:
            raise ApiError(501, f"Not Implemented: FakeBotApi has no method {method}")
        check_required(entry, params)
        result = handler(self, params)
        return await result if inspect.isawaitable(result) else result

    async def _hang(self, seconds: float, request: Request) -> None:
        """Wait before answering; raise Disconnect if the client gives up meanwhile."""
        if request.client_gone is None:
            await asyncio.sleep(seconds)
            return
        gone = asyncio.ensure_future(request.client_gone())
        try:
            done, _ = await asyncio.wait({gone}, timeout=seconds)
        finally:
            if not gone.done():
                gone.cancel()
                await asyncio.wait({gone})
        if gone in done:
            raise Disconnect

    def _download(self, request: Request) -> Response:
        token, _, path = request.path.removeprefix("/file/bot").partition("/")
        stored = next((f for f in self.world.files.values() if f.path == path), None)
        if token != self.token or stored is None or stored.data is None:
            return Response.json(404, _NOT_FOUND)
        return Response(200, stored.data, "application/octet-stream")

    # Webhook ------------------------------------------------------------------------------
    async def deliver_webhook(self, reach: str, timeout: float = 10.0) -> list[int]:
        """POST the pending updates to the webhook as Telegram does, one request each, with
        the secret token header; ``reach`` replaces the scheme and host of the webhook URL
        (the test server on 127.0.0.1 stands in for the public HTTPS address). An update
        answered 2xx is delivered; any other is kept for the next try, as on Telegram.
        Returns the HTTP statuses, in order.
        """
        import httpx

        hook = self.world.webhook
        if hook is None:
            raise AssertionError("no webhook is set")
        parts = urlsplit(hook["url"])
        query = f"?{parts.query}" if parts.query else ""
        target = reach.rstrip("/") + (parts.path or "/") + query
        headers = {"Content-Type": "application/json"}
        if hook["secret_token"]:
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
        statuses = []
        async with httpx.AsyncClient(timeout=timeout) as client:
            for update in list(self.world.updates):
                answer = await client.post(target, content=json.dumps(update), headers=headers)
                statuses.append(answer.status_code)
                self.webhook_deliveries.append((update["update_id"], answer.status_code))
                if 200 <= answer.status_code < 300:
                    self.world.updates.remove(update)
        self._notify()
        return statuses

    # Long polling ---------------------------------------------------------------------------
    def _wake_pollers(self) -> None:
        self._poll_wake.set()
        self._poll_wake = asyncio.Event()

    async def _get_updates(self, p: JSON, request: Request) -> list[JSON]:
        """Updates from ``offset``; waits up to ``timeout`` s; a newer call ends this one (409)."""
        if self.world.webhook is not None:
            raise ApiError(409, WEBHOOK_ACTIVE)
        limit = p.get("limit") or 100
        limit = limit if isinstance(limit, int) and 1 <= limit <= 100 else 100
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self.world.allowed = frozenset(allowed) or self.spec.default_update_types
        self.world.confirm(p.get("offset"))
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0, float(p.get("timeout") or 0))
        gone: asyncio.Future[Any] | None = None
        try:
            while True:
                if generation != self._poll_generation:
                    raise ApiError(409, CONFLICT)
                if self.world.updates or self._closing:
                    return self.world.updates[:limit]
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return []
                if gone is None and request.client_gone is not None:
                    gone = asyncio.ensure_future(request.client_gone())
                woken = asyncio.ensure_future(self._poll_wake.wait())
                waiting = {woken} | ({gone} if gone else set())
                self.polling += 1
                self._notify()
                try:
                    done, _ = await asyncio.wait(
                        waiting, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
                    )
                finally:
                    self.polling -= 1
                    woken.cancel()
                if gone is not None and gone in done:
                    raise Disconnect
        finally:
            if gone is not None and not gone.done():
                gone.cancel()  # and let it finish: the next request reads the same stream
                await asyncio.wait({gone})


def _matches(call: Call, what: str | Callable[[Call], bool] | None, where: JSON) -> bool:
    if isinstance(what, str) and call.method.lower() != what.lower():
        return False
    if callable(what) and not what(call):
        return False
    return all(call.params.get(k) == v for k, v in where.items())
