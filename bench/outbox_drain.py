"""Outbox drain rate against the fake Bot API (real HTTP on 127.0.0.1), limiter on and off.

Queues N notifications to N different chats, then lets the outbox drainer
deliver them through the Telegram channel; the baseline is plain `send_message`
calls on the same server in the same run. With python-telegram-bot's
AIORateLimiter the rate should sit at Telegram's ~30 messages/s.

    .venv/bin/python bench/outbox_drain.py [--messages 300]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from telegram.ext import AIORateLimiter

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fakebotapi import FakeBotApi  # noqa: E402

from bot.channels.telegram import TelegramChannel  # noqa: E402
from bot.channels.telegram.client import MotCuaBot  # noqa: E402
from bot.channels.telegram.client import make_bot as motcua_bot  # noqa: E402
from bot.core import open_core  # noqa: E402
from bot.notify.drainer import Drainer  # noqa: E402
from bot.notify.outbox import Outbox, enqueue  # noqa: E402
from bot.reply import Button, Reply  # noqa: E402
from bot.settings import load_settings  # noqa: E402

FIRST_CHAT = 10_000


async def make_bot(api: FakeBotApi, limiter: bool) -> MotCuaBot:
    bot = motcua_bot(
        api.token, base_url=api.base_url, rate_limiter=AIORateLimiter() if limiter else None
    )
    await bot.initialize()
    return bot


async def drain(api: FakeBotApi, n: int, limiter: bool, folder: Path) -> float:
    settings = load_settings(
        environ={"MOTCUA_DB": str(folder / f"drain-{limiter}.db")}, dotenv=None
    )
    folder.mkdir(parents=True, exist_ok=True)
    core = await open_core(settings)
    reply = Reply(
        "🔔 <b>Hồ sơ 000.00.06.H56-261120-0361</b>\nTrạng thái mới: Đã xử lý xong",
        [[Button("📂 Xem hồ sơ", "d:show:000.00.06.H56-261120-0361")]],
    )
    async with core.db.transaction() as conn:
        for i in range(n):
            await enqueue(conn, "telegram", FIRST_CHAT + i, reply, dedupe_key=f"bench:{i}")
    bot = await make_bot(api, limiter)
    channel = TelegramChannel(SimpleNamespace(bot=bot))  # delivery only: nothing polls
    sender = Drainer(core.db, channel)
    outbox = Outbox(core.db)
    start = time.perf_counter()
    while await outbox.pending_count("telegram"):
        await sender.drain_once(limit=100)
    elapsed = time.perf_counter() - start
    await bot.shutdown()
    await core.close()
    return n / elapsed


async def baseline(api: FakeBotApi, n: int) -> float:
    bot = await make_bot(api, limiter=False)
    start = time.perf_counter()
    for i in range(n):
        await bot.send_message(FIRST_CHAT + i, "🔔 <b>Hồ sơ</b>", parse_mode="HTML")
    elapsed = time.perf_counter() - start
    await bot.shutdown()
    return n / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument(
        "--latency", type=float, default=0.05, help="seconds per call in the latency round"
    )
    args = parser.parse_args()
    n = args.messages
    async with FakeBotApi() as api:
        for i in range(n):
            api.add_user(FIRST_CHAT + i)
        with tempfile.TemporaryDirectory() as tmp:
            base = await baseline(api, n)
            off = await drain(api, n, limiter=False, folder=Path(tmp))
            on = await drain(api, n, limiter=True, folder=Path(tmp))
            delivered = len(api.calls("sendMessage"))
            api.latency = args.latency  # a network between the bot and Telegram
            slow_base = await baseline(api, n // 3)
            slow_off = await drain(api, n // 3, limiter=False, folder=Path(tmp) / "latency")
    print(f"messages: {n} to {n} chats; sendMessage calls accepted: {delivered} (3 x {n} expected)")
    print(f"baseline send_message loop:  {base:8.1f} msg/s")
    print(f"outbox drain, limiter off:   {off:8.1f} msg/s  (ratio to baseline {off / base:.2f})")
    print(f"outbox drain, limiter on:    {on:8.1f} msg/s  (Telegram allows ~30/s)")
    print(f"with {args.latency * 1000:.0f} ms per call ({n // 3} messages, limiter off):")
    print(f"  baseline send_message loop:  {slow_base:8.1f} msg/s")
    print(
        f"  outbox drain:                {slow_off:8.1f} msg/s"
        f"  (ratio to baseline {slow_off / slow_base:.2f}: one delivery in flight unless one hangs)"
    )


if __name__ == "__main__":
    asyncio.run(main())
