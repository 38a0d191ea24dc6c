"""Lookup latency with a million dossiers in the store, against a bare `SELECT 1`.

Measures what a citizen's question costs: `get(code)`, `find_dossier_code` +
`get` on messages typed the way people type them, and `by_phone`. The
baseline, in the same run and on the same connection, is `SELECT 1` through
aiosqlite: the round trip to SQLite's thread that every lookup pays anyway.

    .venv/bin/python bench/dossier_lookup.py [--rows 1000000] [--db FILE] [--n 3000]

Without --db it generates and imports --rows dossiers first (bench/dossier_import.py
--keep FILE makes a file to reuse).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from dossier_import import generate  # noqa: E402

from bot.dossiers.codes import find_dossier_code  # noqa: E402
from bot.dossiers.importer import import_dossiers  # noqa: E402
from bot.dossiers.repository import DossierRepository  # noqa: E402
from bot.store import open_database  # noqa: E402

TEMPLATES = [
    "cho hỏi hồ sơ {} đến đâu rồi",
    "Hồ sơ của tôi mã {} đã xong chưa ạ?",
    "{}",
    "kiểm tra giúp em hồ sơ số {} với",
    "mã hs: {} . cảm ơn",
]


def typed(code: str, rng: random.Random) -> str:
    """The code as a citizen types it: lower case, spaces around dashes, en dashes."""
    variant = rng.randrange(4)
    if variant == 0:
        return code.lower()
    if variant == 1:
        return code.replace("-", " - ")
    if variant == 2:
        return code.replace("-", "–")
    return code


async def timed(call: Callable[[], Awaitable[object]], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        await call()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def line(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p50 = statistics.median(ms)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return f"{name:<34} p50 {p50:7.3f} ms   p95 {p95:7.3f} ms   (n={len(ms)})"


async def measure(db_path: Path, n: int) -> None:
    db = await open_database(db_path)
    repo = DossierRepository(db)
    total = await repo.count()
    rng = random.Random(7)
    max_rowid = (await db.fetchone("SELECT MAX(rowid) FROM dossiers"))[0]
    picks = [rng.randint(1, max_rowid) for _ in range(n)]
    rows = []
    for rowid in picks:
        sql = "SELECT code, applicant_phone FROM dossiers WHERE rowid = ?"
        if r := await db.fetchone(sql, (rowid,)):
            rows.append((r[0], r[1]))
    codes = [c for c, _ in rows]
    # one lookup in ten is for a code that is not there (a typo in the number)
    codes = [c if i % 10 else c[:-4] + "9999" for i, c in enumerate(codes)]
    phones = [p for _, p in rows if p]
    messages = [rng.choice(TEMPLATES).format(typed(c, rng)) for c in codes]
    print(f"{total:,} dossiers in {db_path.name}; {len(codes)} lookups each")

    for code in codes[:200]:  # warm the thread and the first pages
        await repo.get(code)

    base = await timed(lambda: db.fetchone("SELECT 1"), len(codes))
    code_iter = iter(codes)
    get = await timed(lambda: repo.get(next(code_iter)), len(codes))
    msg_iter = iter(messages)
    found = 0

    async def find_and_get():
        nonlocal found
        code = find_dossier_code(next(msg_iter))
        found += code is not None
        return await repo.get(code) if code else None

    msg = await timed(find_and_get, len(messages))
    phone_iter = iter(phones)
    by_phone = await timed(lambda: repo.by_phone(next(phone_iter)), len(phones))
    t0 = time.perf_counter()
    for m in messages:
        find_dossier_code(m)
    find_us = (time.perf_counter() - t0) / len(messages) * 1e6

    print(line("baseline: SELECT 1", base))
    print(line("get(code)", get))
    print(line("find_dossier_code + get (message)", msg))
    print(line("by_phone", by_phone))
    print(f"find_dossier_code alone: {find_us:.1f} µs per message; codes found {found}/{len(msg)}")
    print(
        f"get / baseline p50: {statistics.median(get) / statistics.median(base):.1f}x,"
        f" message / baseline p50: {statistics.median(msg) / statistics.median(base):.1f}x"
    )
    await db.close()


async def run(rows: int, db_file: Path | None, n: int) -> None:
    if db_file is not None:
        await measure(db_file, n)
        return
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as tmp:
        csv_path = Path(tmp) / "dossiers.csv"
        generate(csv_path, rows)
        db_path = Path(tmp) / "motcua.sqlite3"
        db = await open_database(db_path)
        t0 = time.perf_counter()
        report = await import_dossiers(db, csv_path)
        await db.close()
        print(f"imported: {report.summary()} in {time.perf_counter() - t0:.1f} s")
        await measure(db_path, n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="an existing store to measure (no import)")
    parser.add_argument("--n", type=int, default=3000, help="lookups per measurement")
    args = parser.parse_args()
    asyncio.run(run(args.rows, args.db, args.n))


if __name__ == "__main__":
    main()
