"""Updates per second through the full handler stack, against a one-reply echo bot.

Both run in this process on the same in-process fake Bot API request (no
sockets), so the ratio says what MotCua's own work costs on top of
python-telegram-bot's. Goal: ratio >= 0.5. Also prints peak memory.

The machine is small and noisy, so echo and MotCua take turns, round after
round, and the median of the rounds' ratios is printed. Two MotCua figures:
"repeated questions" (the stream below, where citizens' questions recur and
the search's answer cache serves them) and "every question new" (the answer
cache off, so every update is ranked from scratch).

    .venv/bin/python bench/throughput.py [--updates 1000] [--rounds 15] [--national]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, MessageHandler, filters
from telegram.request import BaseRequest, RequestData

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bot.catalog.search import ANSWER_CACHE  # noqa: E402

NATIONAL = ROOT.parent / "shared" / "data" / "procedures" / "national-2026.jsonl.gz"
TOKEN = "123456:BENCH-token-abcdefghijklmnopqrstuv"
QUESTIONS = [
    "lam giay khai sinh can gi",
    "đăng ký thường trú cho con",
    "chung thuc ban sao mat bao lau",
    "xin giay xac nhan doc than",
    "dang ky ket hon",
    "cấp lại căn cước bị mất",
    "đăng ký hộ kinh doanh",
    "thoi tiet hom nay the nao",
]


class InProcessRequest(BaseRequest):
    """Answers the Bot API methods the bench needs, without a network."""

    def __init__(self):
        self.message_id = 0
        self.calls = 0

    @property
    def read_timeout(self):
        return 5.0

    async def initialize(self):
        pass

    async def shutdown(self):
        pass

    async def do_request(self, url, method, request_data: RequestData | None = None, **_kw):
        self.calls += 1
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        if name == "getMe":
            result = {"id": 1, "is_bot": True, "first_name": "MotCua", "username": "motcua_bot"}
        elif name in ("sendMessage", "editMessageText"):
            self.message_id += 1
            chat_id = int(params.get("chat_id", 0))
            result = {
                "message_id": self.message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": params.get("text", ""),
            }
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()


def updates(bot, count: int) -> list[Update]:
    out = []
    for i in range(count):
        user = {"id": 1000 + i % 50, "is_bot": False, "first_name": "Dân", "language_code": "vi"}
        data = {
            "update_id": i + 1,
            "message": {
                "message_id": i + 1,
                "date": int(time.time()),
                "chat": {"id": user["id"], "type": "private"},
                "from": user,
                "text": QUESTIONS[i % len(QUESTIONS)],
            },
        }
        out.append(Update.de_json(data, bot))
    return out


async def started(app: Application) -> Application:
    """Initialised; MotCua's application gets its core the way the runtime binds it."""
    await app.initialize()
    if "settings" in app.bot_data:
        import gc

        from bot.core import open_core

        app.bot_data["core"] = await open_core(app.bot_data["settings"])
        gc.freeze()
    return app


async def stopped(app: Application) -> None:
    core = app.bot_data.pop("core", None)
    if core is not None:
        await core.close()
    await app.shutdown()


async def rate(app: Application, batch: list[Update]) -> float:
    """Updates per second for one pass over `batch`."""
    start = time.perf_counter()
    for update in batch:
        await app.process_update(update)
    return len(batch) / (time.perf_counter() - start)


def echo_app() -> Application:
    async def echo(update, context):
        await update.effective_message.reply_text(update.effective_message.text)

    app = ApplicationBuilder().token(TOKEN).request(InProcessRequest()).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


async def motcua_app(db: Path, national: bool) -> Application:
    from bot.channels.telegram.application import build_application
    from bot.settings import Secret, load_settings

    settings = load_settings(environ={"MOTCUA_DB": str(db)}, dotenv=None)
    if national:
        from bot.catalog.importer import import_procedures
        from bot.store import open_database

        store = await open_database(db)
        await import_procedures(store, [NATIONAL])
        await store.close()
    settings = dataclasses.replace(settings, telegram_token=Secret(TOKEN))
    return build_application(settings, rate_limiter=False, request=InProcessRequest())


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--national", action="store_true", help="index the national catalog")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        echo = await started(echo_app())
        ours = await started(await motcua_app(Path(tmp) / "bench.sqlite3", args.national))
        index = ours.bot_data["core"].index
        echo_batch, our_batch = updates(echo.bot, args.updates), updates(ours.bot, args.updates)
        for app, batch in ((echo, echo_batch), (ours, our_batch)):  # warm-up: first queries
            await rate(app, batch[:50])
        rates: dict[str, list[float]] = {"echo": [], "warm": [], "cold": []}
        for _ in range(args.rounds):
            rates["echo"].append(await rate(echo, echo_batch))
            index.answers_kept = 0
            rates["cold"].append(await rate(ours, our_batch))
            index.answers_kept = ANSWER_CACHE
            rates["warm"].append(await rate(ours, our_batch))
        await stopped(ours)
        await stopped(echo)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    catalog = "national catalog (2,642)" if args.national else "bundled default catalog"
    print(f"updates: {args.updates} question messages x {args.rounds} rounds, {catalog}")
    echo_rate = statistics.median(rates["echo"])
    print(f"echo bot (baseline):                    {echo_rate:,.0f} updates/s")
    for kind, label in (("warm", "repeated questions"), ("cold", "every question new")):
        ratios = [ours / echo for ours, echo in zip(rates[kind], rates["echo"], strict=True)]
        print(
            f"MotCua full stack, {label + ':':21} {statistics.median(rates[kind]):,.0f} updates/s"
            f"  ratio {statistics.median(ratios):.2f}"
            f" (rounds {min(ratios):.2f}-{max(ratios):.2f}; goal >= 0.5)"
        )
    print(f"peak memory (RSS): {peak_mb:,.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())
