"""Satisfaction statistics over a year with a million ratings, against a bare COUNT(*).

Generates returned dossiers and ratings across the 8 default agencies and 12
months (bot.ratings.demo, executemany into a temp SQLite file), then times
`satisfaction` (per agency, per procedure) and `decision_766` over the year:
the median of --runs runs each. The baseline, in the same run and on the
same connection, is `SELECT COUNT(*) FROM ratings` — the cheapest full count
SQLite can do — so the ratio says what the grouping by month costs on top.

    .venv/bin/python bench/stats.py [--ratings 1000000] [--runs 5] [--db FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.agencies import load_agencies  # noqa: E402
from bot.ratings import demo  # noqa: E402
from bot.ratings.alerts import check_rate_alerts  # noqa: E402
from bot.ratings.stats import decision_766, satisfaction  # noqa: E402
from bot.settings import DEFAULT_AGENCIES  # noqa: E402
from bot.store import open_database  # noqa: E402

START, END = date(2025, 7, 1), date(2026, 6, 30)
NOW = datetime(2026, 6, 30, 10, 0, tzinfo=UTC)
RESPONSE = 0.8  # share of returned dossiers rated: 1.25 dossiers per rating


async def timed(call: Callable[[], Awaitable[object]], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = await call()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


async def run(path: Path, ratings: int, runs: int) -> None:
    db = await open_database(path)
    try:
        have = (await db.fetchone("SELECT COUNT(*) FROM ratings"))[0]
        if not have:
            codes = [a.code for a in load_agencies(DEFAULT_AGENCIES)]
            satisfied = {c: 0.84 + 0.02 * i for i, c in enumerate(codes)}
            per_month = round(ratings / (len(codes) * 12 * RESPONSE))
            t0 = time.perf_counter()
            # Bulk load without the secondary indexes, then build them: several times faster.
            indexes = await db.fetchall(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                " AND tbl_name IN ('ratings', 'dossiers', 'dossier_events')"
            )
            for name, _sql in indexes:
                await db.execute(f"DROP INDEX {name}")
            await demo.seed(db, satisfied, START, END, per_month, response=RESPONSE)
            for _name, sql in indexes:
                await db.execute(sql)
            await db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # outside a transaction
            print(f"generated in {time.perf_counter() - t0:.1f} s")
        n = (await db.fetchone("SELECT COUNT(*) FROM ratings"))[0]
        d = (await db.fetchone("SELECT COUNT(*) FROM dossiers"))[0]
        e = (await db.fetchone("SELECT COUNT(*) FROM dossier_events"))[0]
        print(f"{n:,} ratings, {d:,} dossiers, {e:,} events; median of {runs} runs\n")

        async def count():
            return await db.fetchone("SELECT COUNT(*) FROM ratings")

        base, _ = await timed(count, runs)
        print(f"{'baseline SELECT COUNT(*) FROM ratings':44} {base * 1000:8.1f} ms")
        cases = {
            "satisfaction by agency, month (year)": lambda: satisfaction(db, START, END),
            "satisfaction, one agency (year)": lambda: satisfaction(db, START, END, "18523"),
            "satisfaction by procedure, month (year)": lambda: satisfaction(
                db, START, END, by=("procedure", "month")
            ),
            "decision_766 by agency, month (year)": lambda: decision_766(db, START, END),
            "check_rate_alerts (last 30 days)": lambda: check_rate_alerts(db, NOW),
        }
        for label, call in cases.items():
            median, rows = await timed(call, runs)
            print(f"{label:44} {median * 1000:8.1f} ms  {median / base:5.1f}× baseline"
                  f"  ({len(rows)} rows)")  # fmt: skip
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="reuse (or create) this file instead of a temp one")
    args = parser.parse_args()
    if args.db:
        asyncio.run(run(args.db, args.ratings, args.runs))
        return
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(Path(tmp) / "stats.sqlite3", args.ratings, args.runs))


if __name__ == "__main__":
    main()
