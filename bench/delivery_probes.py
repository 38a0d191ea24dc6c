"""Issue 11's delivery probes through real `python -m bot run` processes, one row each.

Every probe starts the runner of a checkout (`--src`, default this one) as a separate
process, with a fresh SQLite file, against the project's fake Bot API
(tests/fakebotapi) on 127.0.0.1, and prints what a user would have seen: messages
received twice, lost, waits. The store is prepared with the checkout's own code (its
`enqueue`, `import dossiers`, ratings service) in a subprocess, so the same probe
measures an old checkout and this one:

    .venv/bin/python bench/delivery_probes.py                      # this checkout
    git worktree add --detach /tmp/before-probes 1ae1c50
    .venv/bin/python bench/delivery_probes.py --src /tmp/before-probes
    git worktree remove /tmp/before-probes

Everything is bounded (each wait has a cap, every process is stopped or killed) and runs
on 127.0.0.1; a full run takes a few minutes. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import json
import os
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fakebotapi import FakeBotApi  # noqa: E402

DESK = -1001234567890
FIELDS = [
    *("code", "procedure_code", "agency_code", "applicant_name", "applicant_phone", "channel"),
    *("received_at", "due_at", "status", "status_at", "result_place", "note"),
]

# Run inside the checkout under test (PYTHONPATH=src): queue messages with its own outbox.
QUEUE = """
import asyncio, json, sys, time
from bot.notify.outbox import enqueue
from bot.reply import Reply
from bot.settings import load_settings
from bot.store import open_database

async def main():
    messages = json.loads(sys.stdin.read())
    db = await open_database(load_settings().db_path)
    async with db.transaction() as conn:
        for i, (chat, text) in enumerate(messages):
            await enqueue(conn, "telegram", chat, Reply(text), f"probe:{i}:{chat}")
    print(time.monotonic(), flush=True)
    await db.close()

asyncio.run(main())
"""

# A citizen rates a returned dossier "Không hài lòng": the ratings service and the alert the
# dialog sends, in one transaction; prints the monotonic time of the commit.
UNSATISFIED = """
import asyncio, sys, time
from bot.core import open_core
from bot.ratings.notices import alert_unsatisfied
from bot.settings import load_settings

async def main():
    core = await open_core(load_settings())
    dossier = await core.dossiers.get(sys.argv[1])
    async with core.db.transaction() as conn:
        rating, _ = await core.ratings.rate(conn, dossier, "telegram", "9901", "khong_hai_long")
        await alert_unsatisfied(conn, dossier, rating, None, core.settings)
    print(time.monotonic(), flush=True)
    await core.close()

asyncio.run(main())
"""


class ProbeApi(FakeBotApi):
    """The fake, also noting when each call arrived (the answer time is in `requests`)."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[tuple[str, str, float]] = []

    async def _call(self, method, entry, params, request):
        self.arrivals.append((method, str(params.get("chat_id")), time.monotonic()))
        return await super()._call(method, entry, params, request)

    def sends(self, chat: int | None = None) -> list:
        """sendMessage calls the fake accepted (delivered), with their answer times."""
        return [
            r
            for r in self.requests
            if r.method == "sendMessage"
            and r.status == 200
            and (chat is None or str(r.params.get("chat_id")) == str(chat))
        ]

    def texts(self) -> list[str]:
        return [r.params["text"] for r in self.sends()]


class Tree:
    """One checkout: how to run its `python -m bot` with a given store."""

    def __init__(self, src: Path, python: str, work: Path):
        self.src, self.python, self.work = src, python, work
        self.serial = 0

    def fresh(self, name: str) -> Path:
        self.serial += 1
        folder = self.work / f"{self.serial:02d}-{name}"
        folder.mkdir()
        return folder

    def env(self, folder: Path, api: FakeBotApi | None = None, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "TELEGRAM_"))}
        env.update(PYTHONPATH=str(self.src), MOTCUA_DB=str(folder / "motcua.sqlite3"))
        env["MOTCUA_OFFICIALS_CHAT_ID"] = str(DESK)
        if api is not None:
            env.update(TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE_URL=api.base_url)
        env.update(extra)
        return env

    async def python_code(self, folder: Path, code: str, *args: str, stdin: str = "") -> str:
        proc = await asyncio.create_subprocess_exec(
            self.python, "-c", code, *args,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=self.env(folder), cwd=folder,
        )  # fmt: skip
        out, err = await asyncio.wait_for(proc.communicate(stdin.encode()), 120)
        if proc.returncode != 0:
            raise RuntimeError(f"preparing the store failed: {err.decode()[-2000:]}")
        return out.decode()

    async def cli(self, folder: Path, *args: str) -> int:
        proc = await asyncio.create_subprocess_exec(
            self.python, "-m", "bot", *args,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
            env=self.env(folder), cwd=folder,
        )  # fmt: skip
        return await asyncio.wait_for(proc.wait(), 120)

    async def queue(self, folder: Path, messages: list[tuple[int, str]]) -> float:
        """Queue with the checkout's own outbox; the monotonic time of the commit."""
        out = await self.python_code(folder, QUEUE, stdin=json.dumps(messages))
        return float(out.split()[0])

    async def runner(self, folder: Path, api: FakeBotApi, name: str) -> Runner:
        log = folder / f"{name}.err"
        with log.open("wb") as err:
            proc = await asyncio.create_subprocess_exec(
                self.python, "-m", "bot", "run",
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=err,
                env=self.env(folder, api), cwd=folder, start_new_session=True,
            )  # fmt: skip
        return Runner(proc, log)


class Runner:
    def __init__(self, proc: asyncio.subprocess.Process, log: Path):
        self.proc, self.log = proc, log

    @property
    def alive(self) -> bool:
        return self.proc.returncode is None

    def log_bytes(self) -> int:
        return self.log.stat().st_size

    async def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after 15 s: never left running."""
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 15)
            except TimeoutError:
                await self.kill()
        return self.proc.returncode

    async def kill(self) -> None:
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        await self.proc.wait()


async def until(condition, cap: float, step: float = 0.05) -> bool:
    """True once `condition()` holds; False after `cap` seconds."""
    deadline = time.monotonic() + cap
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(step)
    return True


async def quiet(api: ProbeApi, seconds: float, cap: float) -> None:
    """Until no message was delivered for `seconds` (at most `cap`)."""
    deadline = time.monotonic() + cap
    while time.monotonic() < deadline:
        count = len(api.sends())
        await asyncio.sleep(seconds)
        if len(api.sends()) == count:
            return


def expire_lease(db: Path) -> None:
    """What 30 s without a heartbeat does to a dead runner's lease (trees that have one)."""
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()[:19] + "Z"
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "runner_lease" in tables:
            with conn:
                conn.execute("UPDATE runner_lease SET expires_at = ?", (past,))


def reached(api: ProbeApi, chats: int) -> bool:
    return len({r.params["chat_id"] for r in api.sends()}) >= chats


# 1. Two runners on one store -------------------------------------------------------------------
async def two_runners(tree: Tree, runs: int) -> list[str]:
    results = []
    for _ in range(runs):
        folder = tree.fresh("two-runners")
        chats = list(range(100_001, 100_301))
        await tree.queue(folder, [(c, f"notification for {c}") for c in chats])
        async with ProbeApi() as api:
            for chat in chats:
                api.add_user(chat)
            first = await tree.runner(folder, api, "first")
            second = await tree.runner(folder, api, "second")
            try:
                await until(lambda: reached(api, 300), 120)  # noqa: B023
                await quiet(api, 3.0, 30)
            finally:
                await first.stop()
                await second.stop()
            per_chat = Counter(r.params["chat_id"] for r in api.sends())
            twice = sum(1 for c in chats if per_chat[c] > 1)
            missing = sum(1 for c in chats if per_chat[c] == 0)
            codes = f"exit codes {first.proc.returncode}/{second.proc.returncode}"
            results.append(f"{twice} of 300 twice, {missing} missing ({codes})")
    return results


# 2. kill -9 during a drain, restarted ---------------------------------------------------------
async def kill_restart(tree: Tree, crashes: int, seed: int = 11) -> str:
    folder = tree.fresh("kill-9")
    db = folder / "motcua.sqlite3"
    chats = list(range(200_001, 200_061))
    expected = [f"{c} #{n}" for n in (1, 2) for c in chats]
    await tree.queue(folder, [(int(t.split()[0]), t) for t in expected])
    rng = random.Random(seed)
    killed = 0
    starts: list[int] = []  # where each runner's deliveries begin in api.sends()
    async with ProbeApi() as api:
        api.latency = 0.02  # calls take a little while, so a kill lands mid-drain
        for chat in chats:
            api.add_user(chat)
        for _ in range(crashes):
            if len(set(api.texts())) >= len(expected):
                break
            starts.append(len(api.sends()))
            runner = await tree.runner(folder, api, f"crash{killed}")
            target = len(api.sends()) + rng.randint(3, 8)
            await until(lambda: len(api.sends()) >= target or not runner.alive, 60, 0.005)  # noqa: B023
            await asyncio.sleep(rng.uniform(0.0, 0.04))  # anywhere in a delivery's round trip
            await runner.kill()
            killed += 1
            expire_lease(db)
        starts.append(len(api.sends()))
        last = await tree.runner(folder, api, "last")
        try:
            await until(lambda: set(api.texts()) >= set(expected), 120)
            await quiet(api, 3.0, 30)
        finally:
            await last.stop()
        texts = api.texts()
    lost = len(set(expected) - set(texts))
    duplicates = len(texts) - len(set(texts))
    after_crash = []  # messages the runner started after each crash sent a second time
    for begin, end in zip(starts[1:], [*starts[2:], len(texts)], strict=True):
        seen = Counter(texts[:begin])
        repeated = 0
        for text in texts[begin:end]:
            repeated += seen[text] > 0
            seen[text] += 1
        after_crash.append(repeated)
    return (
        f"{killed} kills: {lost} lost, {duplicates} sent twice"
        f" (after each crash: {', '.join(map(str, after_crash))}; at most {max(after_crash)})"
    )


async def restart_at_once(tree: Tree, cap: float = 90.0) -> str:
    """After a kill -9, restart as a supervisor would (again 1 s after each exit), without
    waiting for anything: how long until messages flow again?"""
    folder = tree.fresh("restart")
    chats = list(range(210_001, 210_041))
    await tree.queue(folder, [(c, f"{c} again") for c in chats])
    async with ProbeApi() as api:
        api.latency = 0.02
        for chat in chats:
            api.add_user(chat)
        runner = await tree.runner(folder, api, "first")
        await until(lambda: len(api.sends()) >= 5 or not runner.alive, 60, 0.005)
        await runner.kill()
        killed_at, before = time.monotonic(), len(api.sends())
        refused = 0
        try:
            while time.monotonic() - killed_at < cap:
                runner = await tree.runner(folder, api, f"restart{refused}")
                await until(lambda: len(api.sends()) > before or not runner.alive, cap)  # noqa: B023
                if len(api.sends()) > before:
                    break
                refused += 1
                await asyncio.sleep(1.0)
        finally:
            await runner.stop()
        resumed = [r.at for r in api.sends()[before:]]
    flowed = f"{resumed[0] - killed_at:.1f} s" if resumed else f"not within {cap:.0f} s"
    return f"delivering again after {flowed} ({refused} restarts refused meanwhile)"


# 3. A write lock held 10 s right after deliveries start ---------------------------------------
async def write_lock(tree: Tree, hold: float = 10.0) -> str:
    folder = tree.fresh("write-lock")
    db = folder / "motcua.sqlite3"
    chats = list(range(300_001, 300_031))
    expected = [f"locked {c}" for c in chats]
    await tree.queue(folder, [(c, f"locked {c}") for c in chats])
    async with ProbeApi() as api:
        api.latency = 0.05
        for chat in chats:
            api.add_user(chat)
        runner = await tree.runner(folder, api, "runner")
        held = threading.Event()

        def lock() -> None:
            conn = sqlite3.connect(db, timeout=30, isolation_level=None)
            try:
                conn.execute("BEGIN IMMEDIATE")  # another process's writer holds the store
                held.set()
                time.sleep(hold)
                conn.execute("ROLLBACK")
            finally:
                conn.close()

        try:
            await until(lambda: len(api.sends()) >= 1, 60, 0.005)
            locker = asyncio.create_task(asyncio.to_thread(lock))
            await locker
            await until(lambda: set(api.texts()) >= set(expected), 120)
            await quiet(api, 3.0, 30)
        finally:
            await runner.stop()
        texts = api.texts()
    lost = len(set(expected) - set(texts))
    duplicates = len(texts) - len(set(texts))
    return f"{duplicates} sent twice, {lost} lost (30 messages, lock held {hold:.0f} s)"


# 4. One update the library cannot parse -------------------------------------------------------
async def unparseable(tree: Tree, window: float = 20.0) -> str:
    folder = tree.fresh("unparseable")
    users = list(range(400_001, 400_006))
    async with ProbeApi() as api:
        for user in users:
            api.add_user(user)
        runner = await tree.runner(folder, api, "runner")
        try:
            await until(lambda: api.polling > 0, 60)
            calls_before = sum(1 for r in api.requests if r.method == "getUpdates")
            log_before = runner.log_bytes()
            api.push_update("message", {"message_id": 1, "text": "no chat, no date"})
            for user in users:
                api.push_text(user, "/start")
            await asyncio.sleep(window)
            calls = sum(1 for r in api.requests if r.method == "getUpdates") - calls_before
            logged = runner.log_bytes() - log_before
            answered = sum(1 for u in users if api.sends(u))
        finally:
            await runner.stop()
    return (
        f"{calls:,} getUpdates calls and {logged:,} bytes of log in {window:.0f} s;"
        f" {answered} of {len(users)} following /start answered"
    )


# 5. One chat answering 429, one chat whose sends time out --------------------------------------
async def one_slow_chat(tree: Tree, mode: str) -> str:
    """`mode`: "429" or "timeout" on the slow chat's queued notifications, "reply429" on the
    reply to the slow chat's own message. Meanwhile five other people write /start and
    five other chats have a notification due; how long did they wait?"""
    folder = tree.fresh(f"slow-{mode}")
    slow = 500_001
    notified = list(range(500_011, 500_016))
    writers = list(range(500_021, 500_026))
    notes_queued = [(c, f"note {c}") for c in notified]
    if mode != "reply429":  # the slow chat's messages first, the others behind them
        await tree.queue(folder, [(slow, f"slow {i}") for i in range(3)] + notes_queued)
    async with ProbeApi() as api:
        for chat in [slow, *notified, *writers]:
            api.add_user(chat)
        if mode == "timeout":
            api.slow_chat(slow, 8.0)  # past python-telegram-bot's 5 s read timeout
        else:
            api.fail_next("sendMessage", 429, retry_after=3, count=3, chat_id=slow)
        runner = await tree.runner(folder, api, "runner")
        try:
            if mode == "timeout":
                hit = lambda: [  # noqa: E731
                    at for m, c, at in api.arrivals if m == "sendMessage" and c == str(slow)
                ]
            else:
                hit = lambda: [r.at for r in api.requests if r.status == 429]  # noqa: E731
            if mode == "reply429":
                await until(lambda: api.polling > 0, 60)
                api.push_text(slow, "/start")
            await until(lambda: hit(), 60, 0.005)
            start = hit()[0]
            await asyncio.sleep(0.2)
            pushed = time.monotonic()
            for user in writers:
                api.push_text(user, "/start")
            if mode == "reply429":
                start = await tree.queue(folder, notes_queued)
            everyone = [*notified, *writers]
            await until(lambda: all(api.sends(c) for c in everyone), 90)
            faults = sum(  # 429s answered, or sends that timed out, meanwhile
                1
                for r in api.requests
                if str(r.params.get("chat_id")) == str(slow) and r.status in (429, 499)
            )
            api.slow_chat(slow, 0)  # the slow chat recovers: does it get its messages?
            wanted = ["slow 0", "slow 1", "slow 2"] if mode != "reply429" else None
            if wanted:
                await until(lambda: len(api.sends(slow)) >= 3, 60)
        finally:
            await runner.stop()
        if wanted:
            got = [r.params["text"] for r in api.sends(slow)]
            later = "in order" if got == wanted else f"got {got}"
            later = f"; its 3 messages later: {later}"
        else:
            later = "; its reply later: " + ("sent once" if len(api.sends(slow)) == 1 else
                                            f"{len(api.sends(slow))} times")  # fmt: skip
        notes = [max(api.sends(c)[0].at - start, 0.0) for c in notified if api.sends(c)]
        replies = [api.sends(c)[0].at - pushed for c in writers if api.sends(c)]
    missing = len(notified) + len(writers) - len(notes) - len(replies)
    what = "timed-out send" if mode == "timeout" else "429 (retry_after 3)"
    return (
        f"5 other chats' notifications waited up to {max(notes, default=float('nan')):.1f} s,"
        f" 5 replies to /start up to {max(replies, default=float('nan')):.1f} s"
        f" (the slow chat got {faults} x {what} meanwhile{later}"
        f"{f'; {missing} never sent' if missing else ''})"
    )


# 6. Overdue dossiers at start-up and a "Không hài lòng" alert ----------------------------------
async def overdue_and_alert(tree: Tree, overdue: int = 41) -> str:
    folder = tree.fresh("overdue")
    rows = [
        [
            f"000.21.32.H42-250303-{n:04d}",
            "1.001193",
            "18496",
            "Nguyễn Văn An",
            "0912345623",
            "truc_tiep",
            "2025-03-03T08:15:00",
            "2025-03-05T16:30:00",
            "2",
            "2025-03-03T08:20:00",
            "Một cửa xã",
            "",
        ]  # fmt: skip
        for n in range(1, overdue + 1)
    ]
    today = datetime.now(UTC).date()
    returned = "000.21.32.H42-250303-9999"
    rows.append(
        [
            returned,
            "1.001193",
            "18496",
            "Trần Thị Bình",
            "0912345699",
            "truc_tiep",
            f"{today - timedelta(days=6)}T08:15:00",
            f"{today + timedelta(days=20)}T16:30:00",
            "10",
            f"{today}T07:00:00",
            "Một cửa xã",
            "",
        ]  # fmt: skip
    )
    path = folder / "dossiers.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(FIELDS)
        out.writerows(rows)
    await tree.cli(folder, "import", "dossiers", str(path))
    async with ProbeApi() as api:
        api.add_chat(DESK, "supergroup")
        runner = await tree.runner(folder, api, "runner")
        try:
            await until(lambda: api.sends(DESK), 60, 0.01)
            queued_at = float((await tree.python_code(folder, UNSATISFIED, returned)).split()[0])
            alert = lambda: [r for r in api.sends(DESK) if returned in r.params["text"]]  # noqa: E731
            await until(alert, 150)
            await quiet(api, 5.0, 150)
            desk = api.sends(DESK)
        finally:
            await runner.stop()
    found = alert()
    waited = f"{found[0].at - queued_at:.1f} s" if found else "never sent (150 s)"
    reminders = [r for r in desk if returned not in r.params["text"]]
    spread = reminders[-1].at - reminders[0].at if len(reminders) > 1 else 0.0
    return (
        f"desk chat received {len(reminders)} reminder message(s) for {overdue} dossiers"
        f" (over {spread:.0f} s); the alert waited {waited}"
    )


async def main_async(args) -> None:
    work = args.work
    tree = Tree(args.src.resolve(), args.python, work)
    wanted = set(args.only or "123456")
    rev = os.popen(f"git -C {tree.src} rev-parse --short HEAD 2>/dev/null").read().strip()
    kept = f"; stores and logs kept in {work}" if args.keep else ""
    print(f"checkout: {tree.src} ({rev or 'no git'}){kept}", flush=True)
    print("| # | probe | result |")
    print("|---|---|---|", flush=True)

    def row(n: str, probe: str, result: str, began: float) -> None:
        print(f"| {n} | {probe} | {result} ({time.monotonic() - began:.0f} s) |", flush=True)

    if "1" in wanted:
        began = time.monotonic()
        results = await two_runners(tree, args.runs)
        row("1", "two `motcua run`, 300 queued to 300 chats", "; ".join(results), began)
    if "2" in wanted:
        began = time.monotonic()
        row("2", "kill -9 during a drain, restart (120 messages, 60 chats)",
            await kill_restart(tree, args.crashes), began)  # fmt: skip
        began = time.monotonic()
        row("2b", "kill -9, then restarted at once (again 1 s after each exit)",
            await restart_at_once(tree), began)  # fmt: skip
    if "3" in wanted:
        began = time.monotonic()
        row("3", "write lock held 10 s right after deliveries start",
            await write_lock(tree), began)  # fmt: skip
    if "4" in wanted:
        began = time.monotonic()
        row("4", "one unparseable update, then 5 users write /start",
            await unparseable(tree), began)  # fmt: skip
    if "5" in wanted:
        began = time.monotonic()
        row(
            "5a",
            "one chat's notifications answer 429 (3 times)",
            await one_slow_chat(tree, "429"),
            began,
        )
        began = time.monotonic()
        row("5b", "one chat's sends time out (8 s > 5 s)",
            await one_slow_chat(tree, "timeout"), began)  # fmt: skip
        began = time.monotonic()
        row("5c", "the reply to one chat's own message answers 429 (3 times)",
            await one_slow_chat(tree, "reply429"), began)  # fmt: skip
    if "6" in wanted:
        began = time.monotonic()
        row("6", "41 overdue dossiers at start-up + a Không hài lòng alert",
            await overdue_and_alert(tree), began)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=ROOT, help="the checkout to run")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--runs", type=int, default=3, help="runs of probe 1")
    parser.add_argument("--crashes", type=int, default=10, help="kill -9s in probe 2")
    parser.add_argument("--only", help="probes to run, e.g. 14 (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the stores and logs")
    args = parser.parse_args()
    args.work = Path(tempfile.mkdtemp(prefix="motcua-probes-"))
    try:
        asyncio.run(main_async(args))
    finally:
        if not args.keep:
            shutil.rmtree(args.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
