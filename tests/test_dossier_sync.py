"""`TrackingSync` against a real HTTP server on 127.0.0.1 that fails in the ways servers fail."""

from __future__ import annotations

import asyncio
import contextlib
import json
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.dossiers.repository import DossierRepository
from bot.dossiers.sync import TrackingSync
from bot.store import open_database

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CLIENT_TIMEOUT = 0.2


def item(n: int, **over) -> dict:
    base = {
        "code": f"000.21.32.H42-250303-{n:04d}",
        "procedure_code": "1.001193",
        "agency_code": "18496",
        "applicant_name": "Trần Thị Lan",
        "applicant_phone": "0912345623",
        "channel": "truc_tuyen",
        "received_at": "2025-03-03T08:15:00",
        "due_at": "2025-03-05T16:30:00",
        "status": 2,
        "status_at": "2025-03-03T08:20:00",
        "result_place": "Bộ phận Một cửa xã Hương Khê",
        "note": None,
    }
    base.update(over)
    return base


class Server:
    """A tiny HTTP/1.1 server: each request takes the next scripted answer.

    An answer is (status, body) or ("hang", seconds): wait longer than the
    client's timeout before closing. When the script runs out: 200 [].
    """

    def __init__(self):
        self.script: list[tuple] = []
        self.requests: list[dict] = []
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task] = set()
        self.url = ""

    async def __aenter__(self) -> Server:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/api/dossiers"
        return self

    async def __aexit__(self, *exc) -> None:
        self._server.close()
        for task in self._handlers:  # a hanging answer must not outlive the test
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        task = asyncio.current_task()
        self._handlers.add(task)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {
                k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])
            }
            query = parse_qs(urlsplit(target).query)
            self.requests.append({"method": method, "query": query, "headers": headers})
            answer = self.script.pop(0) if self.script else (200, [])
            if answer[0] == "hang":
                await asyncio.sleep(answer[1])
                return
            status, body = answer
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            writer.write(
                f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode()
                + data
            )
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._handlers.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


@pytest.fixture
async def db(tmp_path):
    db = await open_database(tmp_path / "motcua.sqlite3")
    yield db
    await db.close()


@pytest.fixture
async def server():
    async with Server() as server:
        yield server


@pytest.fixture
async def client():
    async with httpx.AsyncClient(timeout=CLIENT_TIMEOUT, trust_env=False) as client:
        yield client


def make_sync(db, server, client, **kw) -> TrackingSync:
    kw.setdefault("max_retries", 5)
    kw.setdefault("backoff", 0.01)
    return TrackingSync(db, server.url, "s3cret", TZ, client=client, **kw)


async def count(db, table: str) -> int:
    return (await db.fetchone(f"SELECT COUNT(*) FROM {table}"))[0]


async def test_retries_500_timeout_broken_json_then_stores(db, server, client, caplog):
    good = {
        "items": [item(1), item(2, status=4), item(3, code="000.21.32.H42-251399-0001")],
        "next_cursor": "2025-03-04T00:00:00+07:00",
    }
    server.script = [
        (500, {"error": "db down"}),
        ("hang", 0.5),
        (200, b'{"items": [{'),
        (200, good),
    ]
    sync = make_sync(db, server, client)
    report = await sync.run_once()
    assert report.ok, report.error
    assert (report.attempts, report.added, report.unchanged) == (4, 2, 0)
    [(index, reason)] = report.rejected
    assert index == 2 and reason.startswith("000.21.32.H42-251399-0001: code: not a dossier code")
    assert report.cursor == await sync.cursor() == "2025-03-04T00:00:00+07:00"
    assert all(r["headers"]["authorization"] == "Bearer s3cret" for r in server.requests)
    assert all("updated_since" not in r["query"] for r in server.requests)
    assert "s3cret" not in caplog.text
    assert caplog.text.count("retry") == 3
    assert (await DossierRepository(db).get("000.21.32.H42-250303-0002")).status == 4

    # next run: asks from the cursor; a plain list moves it to the latest updated_at
    server.script = [
        (200, [item(2, status=9, status_at="2025-03-04T15:00:00", updated_at="2025-03-04T15:00:05"),
               item(1, updated_at="2025-03-04T09:00:00")]),
    ]  # fmt: skip
    report = await sync.run_once()
    assert server.requests[-1]["query"]["updated_since"] == ["2025-03-04T00:00:00+07:00"]
    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    assert await sync.cursor() == "2025-03-04T08:00:05Z"
    history = await DossierRepository(db).history("000.21.32.H42-250303-0002")
    assert [(e.kind, e.to_status, e.source) for e in history] == [
        ("created", 4, "sync"),
        ("status", 9, "sync"),
    ]


async def test_gives_up_after_max_retries_and_changes_nothing(db, server, client):
    server.script = [(503, {})] * 3 + [(200, [item(1)])]
    sync = make_sync(db, server, client, max_retries=2)
    report = await sync.run_once()
    assert not report.ok and "HTTP 503" in report.error and "3 attempts" in report.error
    assert report.attempts == 3
    assert await sync.cursor() is None
    assert await count(db, "dossiers") == 0
    assert await count(db, "sync_state") == 0


async def test_4xx_is_not_retried(db, server, client):
    server.script = [(401, {"error": "bad token"}), (200, [item(1)])]
    sync = make_sync(db, server, client)
    report = await sync.run_once()
    assert not report.ok and "HTTP 401" in report.error
    assert report.attempts == 1 and len(server.requests) == 1
    assert await count(db, "dossiers") == 0


async def test_connection_refused_is_retried_then_given_up(db, client):
    async with Server() as gone:
        url = gone.url  # a port nobody listens on once the server is closed
    sync = TrackingSync(db, url, None, TZ, client=client, max_retries=1, backoff=0.01)
    report = await sync.run_once()
    assert not report.ok and report.attempts == 2
    assert await sync.cursor() is None


async def test_cursor_moves_only_with_committed_items(db, server, client):
    fail = True

    async def on_events(conn, events):
        assert conn.in_transaction
        await conn.execute(
            "INSERT INTO outbox(channel, chat_id, text, dedupe_key) VALUES ('t', '1', ?, ?)",
            (events[0].kind, f"ev:{events[0].id}"),
        )
        if fail:
            raise RuntimeError("notifier broken")

    page = {"items": [item(1), item(2)], "next_cursor": "c-1"}
    server.script = [(200, page)]
    sync = make_sync(db, server, client, on_events=on_events)
    report = await sync.run_once()
    assert not report.ok and "notifier broken" in report.error
    assert await sync.cursor() is None
    assert (await count(db, "dossiers"), await count(db, "outbox")) == (0, 0)

    fail = False
    server.script = [(200, page)]
    report = await sync.run_once()
    assert report.ok and report.added == 2
    assert await sync.cursor() == "c-1"
    assert await count(db, "outbox") == 1


async def test_pages_commit_one_by_one(db, server, client):
    server.script = [
        (200, {"items": [item(1)], "next_cursor": "c-1", "has_more": True}),
        (200, {"items": [item(2)], "next_cursor": "c-2", "has_more": True}),
        (500, {}),
        (500, {}),
    ]
    sync = make_sync(db, server, client, max_retries=1)
    report = await sync.run_once()
    assert not report.ok and report.pages == 2 and report.added == 2
    assert await sync.cursor() == "c-2"  # the third page failed: nothing of it, nothing skipped
    assert [r["query"].get("updated_since") for r in server.requests] == [
        None,
        ["c-1"],
        ["c-2"],
        ["c-2"],
    ]


async def test_run_forever_repeats_until_cancelled(db, server, client):
    sync = make_sync(db, server, client)
    task = asyncio.create_task(sync.run_forever(0.01))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if len(server.requests) >= 3:
            break
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(server.requests) >= 3
