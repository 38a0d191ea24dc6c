"""Feedback at a year's volume: submit time per ticket, then one deadline pass and overdue.

A province-sized year is a few thousand tickets; the deadline pass runs every
reminder interval, so it must stay well under a second on the open ones.

    .venv/bin/python bench/feedback_load.py [--tickets 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from bot.feedback import Draft, FeedbackService  # noqa: E402
from bot.feedback.deadlines import run_deadlines  # noqa: E402
from bot.people.officials import Officials  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.store import open_database  # noqa: E402

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


async def main(tickets: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fb.sqlite3"
        env = {"MOTCUA_DB": str(path), "MOTCUA_OFFICIALS_CHAT_ID": "-1",
               "MOTCUA_LEADERS_CHAT_ID": "-2"}  # fmt: skip
        settings = load_settings(environ=env, dotenv=None)
        db = await open_database(path)
        await Officials(db).add("telegram", "1", "leader", None)
        service = FeedbackService(db, settings)
        codes = [a.code for a in settings.agencies]
        started = time.perf_counter()
        for i in range(tickets):
            now = T0 + timedelta(minutes=97 * i)  # spread over the year
            t = await service.submit(
                Draft(
                    "telegram",
                    f"u{i}",
                    f"u{i}",
                    "thu_tuc",
                    codes[i % len(codes)],
                    f"Phản ánh số {i}: thủ tục này cần giấy tờ gì, nộp ở đâu?",
                ),  # fmt: skip
                now,
            )
            if i % 3:  # two in three get answered the same day
                await service.answer(t.id, ("telegram", "1"), "Mời bạn xem hướng dẫn.", now)
        submit = time.perf_counter() - started
        end = T0 + timedelta(minutes=97 * tickets)
        started = time.perf_counter()
        report = await run_deadlines(service, end)
        first_pass = time.perf_counter() - started
        started = time.perf_counter()
        await run_deadlines(service, end)
        second_pass = time.perf_counter() - started
        started = time.perf_counter()
        late = await service.overdue(end)
        overdue = time.perf_counter() - started
        await db.close()
    print(f"{tickets} tickets: submit+answer {submit / tickets * 1000:.2f} ms each")
    print(f"deadline pass: {first_pass:.2f} s first ({report.escalated} escalated,"
          f" {report.reminded} reminded), {second_pass:.2f} s again")  # fmt: skip
    print(f"overdue(): {len(late)} tickets in {overdue:.2f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=5000)
    asyncio.run(main(parser.parse_args().tickets))
