"""Webhook requests acknowledged per second, and the time to acknowledge under a burst.

Servers of the same library (bot/web's WebServer, aiohttp) run in this process on
127.0.0.1: a bare one whose handler only answers 200 (the baseline); MotCua's webhook
handler alone (secret checked, update parsed and queued to a bot that is not running);
and MotCua's whole POST /telegram/webhook, queued to the full bot, which answers every
update through an in-process Bot API (no network) in the same event loop while the acks
go out, as in production. One aiohttp client posts the same updates to each, turn by
turn, and the median of the rounds' ratios is printed. Then 200 posts at once, several
times: the p95 time to acknowledge (Telegram and Zalo want an answer within seconds; the
goal is far under 2 s).

    .venv/bin/python bench/webhook.py [--requests 2000] [--concurrency 32] [--rounds 7]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web
from telegram.ext import ApplicationBuilder

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from throughput import QUESTIONS, TOKEN, InProcessRequest  # noqa: E402

from bot.channels.telegram_webhook import (  # noqa: E402
    SECRET_HEADER,
    WEBHOOK_PATH,
    webhook_handler,
    webhook_secret,
)
from bot.web.server import WebServer  # noqa: E402

BURST = 200


def update_bodies(count: int, first_id: int) -> list[bytes]:
    out = []
    for i in range(count):
        user = {"id": 1000 + i % 50, "is_bot": False, "first_name": "Dân", "language_code": "vi"}
        out.append(
            json.dumps(
                {
                    "update_id": first_id + i,
                    "message": {
                        "message_id": first_id + i,
                        "date": int(time.time()),
                        "chat": {"id": user["id"], "type": "private"},
                        "from": user,
                        "text": QUESTIONS[i % len(QUESTIONS)],
                    },
                },
                ensure_ascii=False,
            ).encode()
        )
    return out


async def post_all(
    http: aiohttp.ClientSession, url: str, bodies: list[bytes], headers: dict, concurrency: int
) -> tuple[float, list[float]]:
    """(requests per second, each request's seconds to its answer); any non-200 aborts."""
    queue = list(reversed(bodies))
    times: list[float] = []

    async def worker() -> None:
        while queue:
            body = queue.pop()
            start = time.perf_counter()
            async with http.post(url, data=body, headers=headers) as answer:
                await answer.read()
                if answer.status != 200:
                    raise SystemExit(f"webhook answered {answer.status}")
            times.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(bodies) / (time.perf_counter() - start), times


async def settled(core, expected: int) -> None:
    """Wait until the bot has answered every update posted so far."""
    registry = core.metrics.registry
    while True:
        done = registry.get_sample_value("motcua_handling_seconds_count", {"channel": "telegram"})
        if (done or 0) >= expected:
            return
        await asyncio.sleep(0.01)


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--bursts", type=int, default=5)
    args = parser.parse_args()

    from bot.channels.telegram import TelegramChannel
    from bot.channels.telegram_app import build_application
    from bot.runtime import Runtime
    from bot.settings import Secret, load_settings
    from bot.web.serve import attach, web_server

    async def bare(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(status=200)

    baseline = WebServer("127.0.0.1", 0)
    baseline.route("POST", WEBHOOK_PATH, bare)
    await baseline.start()
    # MotCua's handler alone: the secret checked, the update parsed and queued to an
    # Application that is not running (the queue is emptied after each round).
    idle = ApplicationBuilder().token(TOKEN).request(InProcessRequest()).build()
    alone = WebServer("127.0.0.1", 0)
    alone.route("POST", WEBHOOK_PATH, webhook_handler(idle, webhook_secret(TOKEN)))
    await alone.start()
    headers = {SECRET_HEADER: webhook_secret(TOKEN), "Content-Type": "application/json"}
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            environ={
                "MOTCUA_DB": str(Path(tmp) / "bench.sqlite3"),
                "MOTCUA_HTTP_LISTEN": "127.0.0.1:0",
                "MOTCUA_PUBLIC_URL": "https://motcua.example.org",
            },
            dotenv=None,
        )
        settings = dataclasses.replace(settings, telegram_token=Secret(TOKEN))
        app = build_application(settings, rate_limiter=False, request=InProcessRequest())
        channel = TelegramChannel(app, public_url=settings.public_url)
        server = web_server(settings, [channel])  # as `motcua run` does
        await server.start()
        runtime = Runtime(settings, [channel], run_jobs=False)
        attach(runtime, server)
        async with (
            runtime,
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http,
        ):
            core = runtime.core
            ours_url, bare_url = server.url + WEBHOOK_PATH, baseline.url + WEBHOOK_PATH
            posted = 0

            async def ours(bodies: list[bytes], concurrency: int):
                nonlocal posted
                result = await post_all(http, ours_url, bodies, headers, concurrency)
                posted += len(bodies)
                await settled(core, posted)  # the next round starts with an idle bot
                return result

            warm = update_bodies(100, 1)
            await post_all(http, bare_url, warm, headers, 8)
            await ours(warm, 8)
            alone_url = alone.url + WEBHOOK_PATH
            rates: dict[str, list[float]] = {"bare": [], "alone": [], "ours": []}
            for n in range(args.rounds):
                bodies = update_bodies(args.requests, 10_000 + n * args.requests)
                rates["bare"].append((await post_all(http, bare_url, bodies, headers, 32))[0])
                rates["alone"].append((await post_all(http, alone_url, bodies, headers, 32))[0])
                while not idle.update_queue.empty():
                    idle.update_queue.get_nowait()
                rates["ours"].append((await ours(bodies, args.concurrency))[0])
            bursts: dict[str, list[float]] = {"bare": [], "ours": []}
            for n in range(args.bursts):
                bodies = update_bodies(BURST, 1_000_000 + n * BURST)
                _, times = await post_all(http, bare_url, bodies, headers, BURST)
                bursts["bare"].append(p95(times))
                bursts["ours"].append(p95((await ours(bodies, BURST))[1]))
    await baseline.stop()
    await alone.stop()

    ratios = [o / b for o, b in zip(rates["ours"], rates["bare"], strict=True)]
    alone_ratios = [o / b for o, b in zip(rates["alone"], rates["bare"], strict=True)]
    print(
        f"webhook posts: {args.requests} x {args.rounds} rounds, {args.concurrency} at a time,"
        " bundled default catalog, one process"
    )
    print(f"bare aiohttp handler (200 only): {statistics.median(rates['bare']):,.0f} requests/s")
    print(
        f"MotCua webhook handler alone:    {statistics.median(rates['alone']):,.0f} requests/s"
        f"  ratio {statistics.median(alone_ratios):.2f}"
        f" (rounds {min(alone_ratios):.2f}-{max(alone_ratios):.2f}; secret, parse, queue)"
    )
    print(
        f"MotCua POST /telegram/webhook:   {statistics.median(rates['ours']):,.0f} requests/s"
        f"  ratio {statistics.median(ratios):.2f} (rounds {min(ratios):.2f}-{max(ratios):.2f};"
        " the bot answering every update in the same loop)"
    )
    print(f"{BURST} concurrent posts x {args.bursts} bursts, time to acknowledge (p95):")
    for kind, label in (("bare", "bare handler"), ("ours", "MotCua webhook")):
        values = bursts[kind]
        print(
            f"  {label + ':':16} median p95 {statistics.median(values) * 1000:,.0f} ms,"
            f" worst p95 {max(values) * 1000:,.0f} ms (goal: far under 2,000 ms)"
        )


if __name__ == "__main__":
    asyncio.run(main())
