"""One person's messages one at a time and in order, different people at once, and no lock
left behind once everyone is idle (bot/locks.py)."""

from __future__ import annotations

import asyncio

from bot.locks import PersonLocks


async def test_one_person_waits_in_arrival_order_while_another_runs():
    locks = PersonLocks()
    first_in = asyncio.Event()
    release = asyncio.Event()
    done: list[str] = []

    async def work(key, name, block=False):
        async with locks.hold(key):
            if block:
                first_in.set()
                await release.wait()
            done.append(name)

    first = asyncio.create_task(work(("telegram", "1"), "a1", block=True))
    await first_in.wait()
    later = [asyncio.create_task(work(("telegram", "1"), f"a{i}")) for i in (2, 3, 4)]
    other = asyncio.create_task(work(("telegram", "2"), "b1"))
    await other  # another person is not kept waiting by the first
    assert done == ["b1"]
    assert len(locks) == 1  # person 2's lock is gone already
    release.set()
    await asyncio.gather(first, *later)
    assert done == ["b1", "a1", "a2", "a3", "a4"]
    assert len(locks) == 0  # idle: nothing kept


async def test_a_failing_turn_frees_the_lock():
    locks = PersonLocks()
    try:
        async with locks.hold(("zalo", "9")):
            raise ValueError("boom")
    except ValueError:
        pass
    assert len(locks) == 0
    async with locks.hold(("zalo", "9")):
        assert len(locks) == 1


async def test_a_cancelled_waiter_leaves_nothing_behind():
    locks = PersonLocks()
    inside = asyncio.Event()
    release = asyncio.Event()

    async def holder():
        async with locks.hold("k"):
            inside.set()
            await release.wait()

    async def waiter():
        async with locks.hold("k"):
            raise AssertionError("never runs")

    held = asyncio.create_task(holder())
    await inside.wait()
    waiting = asyncio.create_task(waiter())
    await asyncio.sleep(0)  # let it queue on the lock
    waiting.cancel()
    await asyncio.gather(waiting, return_exceptions=True)
    release.set()
    await held
    assert len(locks) == 0
