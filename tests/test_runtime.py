"""The runtime without a platform: the runner lease, the terminal channel, held messages."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta

import pytest
from conftest import make_settings

from bot.channels.terminal import TerminalChannel
from bot.clock import stamp, utcnow
from bot.notify.outbox import Outbox, enqueue
from bot.reply import Reply
from bot.runtime import Runtime
from bot.store import open_database
from bot.store.lease import LeaseLost, LeaseTaken, RunnerLease, current_holder


async def test_one_runner_per_store_and_a_dead_one_is_taken_over(tmp_path):
    db = await open_database(tmp_path / "m.sqlite3")
    try:
        first, second = RunnerLease(db), RunnerLease(db)
        await first.acquire()
        with pytest.raises(LeaseTaken) as taken:
            await second.acquire()
        line = str(taken.value)
        assert "\n" not in line and f"pid {first.pid}" in line and "Stop that one" in line
        await first.renew()  # the holder keeps it
        # the holder died: no heartbeat, and the expiry passed
        past = stamp(utcnow() - timedelta(seconds=1))
        await db.execute("UPDATE runner_lease SET expires_at = ?", (past,))
        await second.acquire()
        assert (await current_holder(db)).holder == second.holder
        with pytest.raises(LeaseLost):
            await first.renew()  # the stalled one learns it lost the lease
        await second.release()
        assert await current_holder(db) is None
        await first.acquire()  # free again
    finally:
        await db.close()


async def test_a_second_runtime_on_the_same_store_refuses_before_starting(tmp_path):
    settings = make_settings(tmp_path)
    first = Runtime(settings, [TerminalChannel(io.StringIO(""), io.StringIO())], run_jobs=False)
    await first.start()
    try:
        second = Runtime(settings, [], run_jobs=False)
        with pytest.raises(LeaseTaken):
            await second.start()
        assert second.core is None
    finally:
        await first.stop()
    again = Runtime(settings, [], run_jobs=False)  # a clean stop freed the lease
    await again.start()
    await again.stop()


async def test_terminal_channel_shows_due_notifications_and_holds_other_chats(tmp_path):
    settings = make_settings(tmp_path)
    db = await open_database(settings.db_path)
    async with db.transaction() as conn:
        await enqueue(conn, "terminal", "local", Reply("🔔 Trạng thái mới"), dedupe_key="n1")
        await enqueue(conn, "terminal", "-100900", Reply("for the desk"), dedupe_key="n2")
    await db.close()
    out = io.StringIO()
    channel = TerminalChannel(io.StringIO("/menu\n/quit\n"), out)
    runtime = Runtime(settings, [channel], run_jobs=False, drain_idle=3600)  # no idle rounds
    await runtime.start()
    try:
        await asyncio.wait_for(channel.ended.wait(), timeout=30)
        outbox = Outbox(runtime.core.db)
        # the chat may end before the drainer's first round is through (a busy machine)
        await until(lambda: outbox.held_count("terminal"), 1)
        assert await outbox.held_count("terminal") == 1  # nobody reads the desk's chat here
        assert await outbox.pending_count("terminal") == 1
        assert await outbox.release("terminal", "-100900") == 1
        assert await outbox.held_count() == 0
        assert [m.chat_id for m in await outbox.due("terminal")] == ["-100900"]
    finally:
        await runtime.stop()  # also when an assertion failed: no store thread left running
    assert out.getvalue().count("Trạng thái mới") == 1


async def until(read, wanted, limit: float = 10.0) -> None:
    """Wait (bounded) until `await read()` gives `wanted`; the assertion that follows says
    what went wrong if it never does."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while await read() != wanted and loop.time() < deadline:
        await asyncio.sleep(0.02)


async def test_a_task_cancelled_while_its_transaction_begins_leaves_none_open(tmp_path):
    """Jobs are cancelled at shutdown; the shared connection must stay usable (the lease is
    freed after them)."""
    db = await open_database(tmp_path / "m.sqlite3")
    try:

        async def writer() -> None:
            async with db.transaction() as conn:
                await conn.execute("UPDATE outbox SET attempts = 0")

        task = asyncio.create_task(writer())
        await asyncio.sleep(0)  # the task now waits for its BEGIN
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        lease = RunnerLease(db)
        await lease.acquire()  # a transaction of its own
        await lease.release()
        assert await current_holder(db) is None
    finally:
        await db.close()


async def test_a_runner_killed_on_this_machine_is_taken_over_at_once(tmp_path):
    db = await open_database(tmp_path / "m.sqlite3")
    try:
        dead = await asyncio.create_subprocess_exec("true")
        await dead.wait()  # a process that ran here and is gone (reaped, like after kill -9)
        first = RunnerLease(db)
        first.pid = dead.pid
        await first.acquire()
        await RunnerLease(db).acquire()  # not expired, but its process is gone from here
        elsewhere = RunnerLease(db)
        elsewhere.holder = "f00d@another-boot/pid:[1]"  # a container or machine not this one
        elsewhere.pid = dead.pid
        await db.execute("DELETE FROM runner_lease")
        await elsewhere.acquire()
        with pytest.raises(LeaseTaken):  # cannot tell whether it lives: wait for the expiry
            await RunnerLease(db).acquire()
    finally:
        await db.close()
