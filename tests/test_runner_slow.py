"""`motcua run` as a separate process against the in-test fake Bot API (127.0.0.1):
one runner per store, kill -9 in the middle of a drain, a busy store when marking sent.

Slow (subprocesses, a 5-second busy timeout): `make test-slow`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest
from conftest import make_settings

from bot.channels.telegram import TelegramChannel
from bot.channels.telegram.application import build_application
from bot.core import open_core
from bot.notify.drainer import Drainer
from bot.notify.outbox import Outbox, enqueue
from bot.reply import Reply
from bot.store import open_database

pytestmark = pytest.mark.slow
GUARD = 120  # seconds before a hung step fails the test (not a speed requirement)


def runner_env(tmp_path: Path, api) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "TELEGRAM_"))}
    env.update(
        MOTCUA_DB=str(tmp_path / "motcua.sqlite3"),
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_API_BASE_URL=api.base_url,
        MOTCUA_LEADERS_CHAT_ID="-1009",  # else `run` refuses: complaints would reach no one
    )
    return env


async def start_runner(tmp_path: Path, api, name: str) -> asyncio.subprocess.Process:
    log = open(tmp_path / f"{name}.err", "wb")  # noqa: SIM115 - the process owns it
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run",
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=log,
            env=runner_env(tmp_path, api), cwd=tmp_path,
        )  # fmt: skip
    finally:
        log.close()


async def stop_runner(proc: asyncio.subprocess.Process) -> int:
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(proc.wait(), timeout=GUARD)


async def until(condition, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + GUARD
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"still waiting for {what}")
        await asyncio.sleep(0.05)


async def test_a_second_runner_on_the_same_store_refuses_with_one_line(tmp_path, api):
    first = await start_runner(tmp_path, api, "first")
    try:
        await api.wait_polling(timeout=GUARD)
        loop = asyncio.get_running_loop()
        started = loop.time()
        second = await start_runner(tmp_path, api, "second")
        code = await asyncio.wait_for(second.wait(), timeout=GUARD)
        print(f"second runner refused after {loop.time() - started:.2f}s")
        assert code != 0
        lines = (tmp_path / "second.err").read_text(encoding="utf-8").strip().splitlines()
        assert len(lines) == 1, lines
        assert f"pid {first.pid}" in lines[0] and "Stop that one first" in lines[0]
        assert first.returncode is None  # the first one serves on
    finally:
        assert await stop_runner(first) == 0
    db = await open_database(tmp_path / "motcua.sqlite3")
    assert await db.fetchone("SELECT * FROM runner_lease") is None  # freed on a clean stop
    await db.close()


async def test_kill_9_during_a_drain_loses_nothing_and_repeats_at_most_one(tmp_path, api):
    chats = list(range(9001, 9041))
    core = await open_core(make_settings(tmp_path))
    async with core.db.transaction() as conn:
        for round_ in (1, 2):
            for chat in chats:
                await enqueue(
                    conn, "telegram", chat, Reply(f"{chat} #{round_}"), f"{chat}:{round_}"
                )
    await core.close()
    for chat in chats:
        api.add_user(chat)
    api.latency = 0.02  # calls take a little while, so the kill lands mid-drain

    first = await start_runner(tmp_path, api, "first")
    await until(lambda: len(api.calls("sendMessage")) >= 15, "the first deliveries")
    first.kill()  # SIGKILL: no clean stop, the lease stays in the store
    await first.wait()
    before_restart = len(api.calls("sendMessage"))
    # no waiting for the lease to expire: its holder ran on this machine and is gone

    second = await start_runner(tmp_path, api, "second")
    try:
        await until(
            lambda: (
                {c.params["text"] for c in api.calls("sendMessage")}
                >= {f"{c} #{r}" for c in chats for r in (1, 2)}
            ),
            "every message",
        )
    finally:
        assert await stop_runner(second) == 0
    texts = [c.params["text"] for c in api.calls("sendMessage")]
    duplicates = len(texts) - len(set(texts))
    print(f"{before_restart} sent before the kill, {len(texts)} in all, {duplicates} repeated")
    for chat in chats:
        mine = [t for t in texts if t.startswith(f"{chat} ")]
        assert sorted(set(mine)) == [f"{chat} #1", f"{chat} #2"]  # none lost
        assert len(mine) - len(set(mine)) <= 1  # at most the one in flight to this chat
        assert mine.index(f"{chat} #1") < mine.index(f"{chat} #2")  # in order
    assert duplicates <= 1  # the one delivery in flight at the kill (none was hanging)
    db = await open_database(tmp_path / "motcua.sqlite3")
    assert await Outbox(db).pending_count() == 0
    await db.close()


async def test_a_busy_store_retries_the_mark_never_the_send(tmp_path, api, caplog):
    chat = 9501
    api.add_user(chat)
    settings = make_settings(
        tmp_path, TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE_URL=api.base_url
    )
    core = await open_core(settings)
    async with core.db.transaction() as conn:
        await enqueue(conn, "telegram", chat, Reply("once only"), "busy:1")
    app = build_application(settings)
    await app.initialize()
    drainer = Drainer(core.db, TelegramChannel(app))
    locker = sqlite3.connect(settings.db_path, timeout=0, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # another writer holds the store
    caplog.set_level(logging.WARNING, logger="bot.notify.drainer")
    try:
        drain = asyncio.create_task(drainer.drain_once())
        await api.wait_for("sendMessage", chat_id=chat, timeout=GUARD)
        await until(lambda: "sent but not marked" in caplog.text, "a failed mark")
        locker.execute("ROLLBACK")
        assert await asyncio.wait_for(drain, timeout=GUARD) == 1
        assert await drainer.drain_once() == 0  # nothing left to send
        row = await core.db.fetchone("SELECT sent_at, attempts FROM outbox")
        assert row[0] is not None and row[1] == 1
        assert len(api.calls("sendMessage", chat_id=chat)) == 1
    finally:
        locker.close()
        await app.shutdown()
        await core.close()
