"""Zalo webhook: requests answered per second against a bare aiohttp handler that only
answers 200 (same server library, same run), and the p95 time to acknowledge under 200
concurrent signed posts. Zalo wants its answer within 2 s.

The Zalo side is the real channel: signature check on the raw body, then the dialog
runs in background tasks (answers go to FakeZalo on 127.0.0.1) while posts keep coming.
The load comes from an aiohttp client in the same process (httpx's pool was the
bottleneck at 200 connections).

    .venv/bin/python bench/zalo_webhook.py [--posts 2000] [--concurrency 200]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fakezalo import FakeZalo, sign  # noqa: E402
from fakezalo.webhook import encode, user_event  # noqa: E402

from bot.channels.zalo import ZaloChannel  # noqa: E402
from bot.core import open_core  # noqa: E402
from bot.settings import load_settings  # noqa: E402

TEXTS = ("xin chào", "lam giay khai sinh", "đăng ký kết hôn cần gì", "/menu", "cap lai cccd")


async def serve(handler) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_post("/hook", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    # 200 clients connecting at once overflow the default backlog (128): SYN retries
    # would add a second to some acks, on both servers alike.
    await web.SockSite(runner, sock, backlog=1024).start()
    return runner, f"http://127.0.0.1:{sock.getsockname()[1]}/hook"


def signed_posts(fz: FakeZalo, n: int, tag: str) -> list[tuple[bytes, dict]]:
    posts = []
    for i in range(n):
        event = user_event(
            fz.app_id, fz.oa_id, str(9_000_000 + i % 500), "user_send_text", fz.now_ms + i,
            message={"text": TEXTS[i % len(TEXTS)], "msg_id": f"{tag}-{i}"},
        )  # fmt: skip
        raw = encode(event)
        mac = sign(fz.app_id, raw, event["timestamp"], fz.oa_secret_key)
        posts.append((raw, {"X-ZEvent-Signature": mac, "Content-Type": "application/json"}))
    return posts


async def fire(url: str, posts, concurrency: int) -> tuple[float, list[float]]:
    """All posts with `concurrency` in flight; returns (seconds, each ack time)."""
    latencies: list[float] = []
    queue = list(reversed(posts))
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as client:

        async def worker():
            while queue:
                raw, headers = queue.pop()
                t0 = time.perf_counter()
                async with client.post(url, data=raw, headers=headers) as r:
                    await r.read()
                    latencies.append(time.perf_counter() - t0)
                    assert r.status == 200, r.status

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - start, latencies


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


async def main(posts: int, concurrency: int, rounds: int) -> None:
    logging.basicConfig(level=logging.WARNING)
    folder = Path(tempfile.mkdtemp(prefix="motcua-zbench-"))
    async with FakeZalo().serve() as fz:
        for uid in range(9_000_000, 9_000_500):
            fz.user(str(uid)).last_interaction_ms = fz.now_ms
        env = {
            "MOTCUA_DB": str(folder / "bench.db"),
            **fz.bot_env(),
        }
        settings = load_settings(environ=env, dotenv=None)
        core = await open_core(settings)
        channel = ZaloChannel(settings)
        channel.bind(core)
        await channel.start()

        async def bare(_request):
            return web.Response(status=200)

        bare_runner, bare_url = await serve(bare)
        zalo_runner, zalo_url = await serve(channel.handler)
        bare_rates, zalo_rates, bare_lat, zalo_lat = [], [], [], []
        handled_seconds = 0.0
        try:
            for r in range(rounds):  # alternate, so both see the same machine load
                seconds, lat = await fire(bare_url, signed_posts(fz, posts, f"b{r}"), concurrency)
                bare_rates.append(posts / seconds)
                bare_lat += lat
                t0 = time.perf_counter()
                seconds, lat = await fire(zalo_url, signed_posts(fz, posts, f"z{r}"), concurrency)
                zalo_rates.append(posts / seconds)
                zalo_lat += lat
                await channel.drain_events()  # the dialog work queued behind the acks
                handled_seconds += time.perf_counter() - t0
        finally:
            await channel.stop()
            await bare_runner.cleanup()
            await zalo_runner.cleanup()
            await core.close()
        handled = len([d for d in fz.deliveries if d["kind"] == "cs"])
    bare_rate = sorted(bare_rates)[len(bare_rates) // 2]
    zalo_rate = sorted(zalo_rates)[len(zalo_rates) // 2]
    print(f"posts per round: {posts}, concurrency: {concurrency}, rounds: {rounds}")
    print(f"bare aiohttp handler:  {bare_rate:8.0f} req/s   p95 ack {p95(bare_lat) * 1000:7.1f} ms")
    print(f"Zalo webhook handler:  {zalo_rate:8.0f} req/s   p95 ack {p95(zalo_lat) * 1000:7.1f} ms")
    print(f"ratio Zalo/bare: {zalo_rate / bare_rate:.2f}")
    print(
        f"max ack under {concurrency} concurrent posts: {max(zalo_lat) * 1000:.1f} ms (limit 2000)"
    )
    print(
        f"dialog answers sent to FakeZalo: {handled}"
        f" ({handled / handled_seconds:.0f}/s including the acks)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.posts, args.concurrency, args.rounds))
