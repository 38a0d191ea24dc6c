"""Webhook requests acknowledged per second, and the time to acknowledge under a burst.

Servers of the same library (bot/web's WebServer, aiohttp) run in this process on
127.0.0.1: a bare one whose handler only answers 200 (the baseline); MotCua's webhook
handler alone (secret or signature checked, the body read and handed on to nothing);
and MotCua's whole webhook route, mounted by `motcua run`'s own steps on the runtime,
the bot answering every update in the same event loop while the acks go out, as in
production. One aiohttp client posts the same requests to each, turn by turn, and the
median of the rounds' ratios is printed. Then 200 posts at once, several times: the p95
time to acknowledge (Telegram and Zalo want an answer within seconds; the goal is far
under 2 s).

--target telegram (default): POST /telegram/webhook with the secret token header, replies
through an in-process Bot API (no network). --target zalo: POST /zalo/webhook signed as
../shared/docs/zalo.md §5 says, replies to the fake Zalo OA on 127.0.0.1 (needs the Zalo
channel, bot/channels/zalo, and tests/fakezalo).

    .venv/bin/python bench/webhook.py [--target telegram|zalo] [--requests 2000]
        [--concurrency 32] [--rounds 7] [--bursts 5]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests")]
from throughput import QUESTIONS, TOKEN, InProcessRequest  # noqa: E402

from bot.app import App, build  # noqa: E402
from bot.settings import Secret, load_settings  # noqa: E402
from bot.web.server import WebServer  # noqa: E402

BURST = 200
Post = tuple[bytes, dict]


@dataclasses.dataclass
class Target:
    """What differs between the platforms: the route, the requests, the handler alone,
    and how to wait until the bot has answered everything posted."""

    path: str
    posts: Callable[[int, int], list[Post]]
    alone: Callable  # aiohttp handler: the check, then nothing
    app: App  # built as `motcua run` builds it (bot/app.py), with this one channel
    settle: Callable[[int], Awaitable[None]]


def telegram_updates(count: int, first_id: int) -> list[Post]:
    from bot.channels.telegram.webhook import SECRET_HEADER, webhook_secret

    headers = {SECRET_HEADER: webhook_secret(TOKEN), "Content-Type": "application/json"}
    out = []
    for i in range(count):
        user = {"id": 1000 + i % 50, "is_bot": False, "first_name": "Dân", "language_code": "vi"}
        update = {
            "update_id": first_id + i,
            "message": {
                "message_id": first_id + i,
                "date": int(time.time()),
                "chat": {"id": user["id"], "type": "private"},
                "from": user,
                "text": QUESTIONS[i % len(QUESTIONS)],
            },
        }
        out.append((json.dumps(update, ensure_ascii=False).encode(), headers))
    return out


@contextlib.asynccontextmanager
async def telegram_target(folder: Path):
    from telegram.ext import ApplicationBuilder

    from bot.channels.telegram import TelegramChannel
    from bot.channels.telegram.application import build_application
    from bot.channels.telegram.webhook import WEBHOOK_PATH, webhook_handler, webhook_secret

    settings = load_settings(
        environ={
            "MOTCUA_DB": str(folder / "bench.sqlite3"),
            "MOTCUA_HTTP_LISTEN": "127.0.0.1:0",
            "MOTCUA_PUBLIC_URL": "https://motcua.example.org",
        },
        dotenv=None,
    )
    settings = dataclasses.replace(settings, telegram_token=Secret(TOKEN))
    application = build_application(settings, rate_limiter=False, request=InProcessRequest())
    channel = TelegramChannel(application, public_url=settings.public_url)
    # The handler alone queues to an Application that is not running (emptied each round).
    idle = ApplicationBuilder().token(TOKEN).request(InProcessRequest()).build()
    alone = webhook_handler(idle, webhook_secret(TOKEN))

    async def settle(posted: int) -> None:
        while not idle.update_queue.empty():
            idle.update_queue.get_nowait()
        registry = app.core.metrics.registry
        labels = {"channel": "telegram"}
        while (registry.get_sample_value("motcua_handling_seconds_count", labels) or 0) < posted:
            await asyncio.sleep(0.01)

    app = build(settings, [channel], run_jobs=False)
    yield Target(WEBHOOK_PATH, telegram_updates, alone, app, settle)


@contextlib.asynccontextmanager
async def zalo_target(folder: Path):
    try:
        from fakezalo import FakeZalo, sign
        from fakezalo.webhook import encode, user_event

        from bot.channels.zalo import ZaloChannel
        from bot.channels.zalo.alerts import SignatureWatch
        from bot.channels.zalo.webhook import make_handler
    except ImportError as exc:
        raise SystemExit(f"bench/webhook.py: --target zalo needs the Zalo channel: {exc}") from None

    texts = ("xin chào", *QUESTIONS)
    async with FakeZalo().serve() as fz:
        for uid in range(9_000_000, 9_000_500):  # inside the 7-day window: answers go out
            fz.user(str(uid)).last_interaction_ms = fz.now_ms
        settings = load_settings(
            environ={
                "MOTCUA_DB": str(folder / "bench.sqlite3"),
                "MOTCUA_HTTP_LISTEN": "127.0.0.1:0",
                **fz.bot_env(),
            },
            dotenv=None,
        )
        channel = ZaloChannel.from_settings(settings)
        path = channel.routes()[0][1]

        def posts(count: int, first: int) -> list[Post]:
            out = []
            for i in range(count):
                event = user_event(
                    fz.app_id, fz.oa_id, str(9_000_000 + i % 500), "user_send_text",
                    fz.now_ms + first + i,
                    message={"text": texts[i % len(texts)], "msg_id": f"bench-{first + i}"},
                )  # fmt: skip
                raw = encode(event)
                mac = sign(fz.app_id, raw, event["timestamp"], fz.oa_secret_key)
                out.append((raw, {"X-ZEvent-Signature": mac, "Content-Type": "application/json"}))
            return out

        async def settle(posted: int) -> None:
            await channel.drain_events()

        async def nowhere(event, raw) -> bool:
            return True  # the check and the hand-over only: nothing stored

        alone = make_handler(fz.app_id, fz.oa_secret_key, nowhere, SignatureWatch(settings))
        app = build(settings, [channel], run_jobs=False)
        yield Target(path, posts, alone, app, settle)


async def post_all(
    http: aiohttp.ClientSession, url: str, posts: list[Post], concurrency: int
) -> tuple[float, list[float]]:
    """(requests per second, each request's seconds to its answer); any non-200 aborts."""
    queue = list(reversed(posts))
    times: list[float] = []

    async def worker() -> None:
        while queue:
            body, headers = queue.pop()
            start = time.perf_counter()
            async with http.post(url, data=body, headers=headers) as answer:
                await answer.read()
                if answer.status != 200:
                    raise SystemExit(f"webhook answered {answer.status}")
            times.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(posts) / (time.perf_counter() - start), times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", choices=["telegram", "zalo"], default="telegram")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--bursts", type=int, default=5)
    args = parser.parse_args()

    async def bare(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(status=200)

    opened = telegram_target if args.target == "telegram" else zalo_target
    rates: dict[str, list[float]] = {"bare": [], "alone": [], "ours": []}
    bursts: dict[str, list[float]] = {"bare": [], "ours": []}
    with tempfile.TemporaryDirectory() as tmp:
        async with opened(Path(tmp)) as target:
            baseline, alone = WebServer("127.0.0.1", 0), WebServer("127.0.0.1", 0)
            baseline.route("POST", target.path, bare)
            alone.route("POST", target.path, target.alone)
            for each in (baseline, alone):
                await each.start()
            connector = aiohttp.TCPConnector(limit=0)
            async with target.app, aiohttp.ClientSession(connector=connector) as http:
                urls = {k: s.url + target.path for k, s in (("bare", baseline), ("alone", alone))}
                ours_url = target.app.server.url + target.path
                posted = 0

                async def ours(posts: list[Post], concurrency: int):
                    nonlocal posted
                    result = await post_all(http, ours_url, posts, concurrency)
                    posted += len(posts)
                    await target.settle(posted)  # the next round starts with an idle bot
                    return result

                warm = target.posts(100, 1)
                await post_all(http, urls["bare"], warm, 8)
                await ours(warm, 8)
                for n in range(args.rounds):
                    posts = target.posts(args.requests, 10_000 + n * args.requests)
                    for kind in ("bare", "alone"):
                        rates[kind].append((await post_all(http, urls[kind], posts, 32))[0])
                    rates["ours"].append((await ours(posts, args.concurrency))[0])
                for n in range(args.bursts):
                    posts = target.posts(BURST, 1_000_000 + n * BURST)
                    _, times = await post_all(http, urls["bare"], posts, BURST)
                    bursts["bare"].append(p95(times))
                    bursts["ours"].append(p95((await ours(posts, BURST))[1]))
            for each in (baseline, alone):
                await each.stop()

    def ratios(kind: str) -> list[float]:
        return [o / b for o, b in zip(rates[kind], rates["bare"], strict=True)]

    print(
        f"{target.path} posts: {args.requests} x {args.rounds} rounds, {args.concurrency} at a"
        " time, bundled default catalog, one process"
    )
    print(f"bare aiohttp handler (200 only): {statistics.median(rates['bare']):,.0f} requests/s")
    for kind, label, what in (
        ("alone", "MotCua's handler alone:   ", "the check and the hand-over, no bot behind it"),
        ("ours", "MotCua's webhook, the bot: ", "the bot answering every update in the same loop"),
    ):
        r = ratios(kind)
        print(
            f"{label}     {statistics.median(rates[kind]):,.0f} requests/s"
            f"  ratio {statistics.median(r):.2f} (rounds {min(r):.2f}-{max(r):.2f}; {what})"
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
