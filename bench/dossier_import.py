"""Rows per second of `import_dossiers` on a generated export, against a bare insert.

Generates a realistic CSV (the 7 Hương Khê communes and the provincial centre,
invented agency electronic ids in the right shape, 2025-2026 dates, working-day
appointments, phones typed in several ways), imports it into a fresh SQLite
file, and prints rows/s and the database size. The baseline, in the same run,
reads the same CSV and `executemany`s the raw rows into a plain table with no
indexes, checks or events: what parsing and storing cost at the least.

    .venv/bin/python bench/dossier_import.py [--rows 1000000] [--keep DB] [--shuffle] [--inline]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import random
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.dossiers.importer import import_dossiers  # noqa: E402
from bot.dossiers.records import FIELDS  # noqa: E402
from bot.store import open_database  # noqa: E402
from bot.workdays.calendar import default_calendar  # noqa: E402

# (agency code in agencies.json, invented electronic id, desk name)
AGENCIES = [
    ("18496", "000.21.32.H42", "Bộ phận Một cửa xã Hương Khê"),
    ("18502", "000.22.32.H42", "Bộ phận Một cửa xã Hà Linh"),
    ("18523", "000.23.32.H42", "Bộ phận Một cửa xã Hương Bình"),
    ("18532", "000.24.32.H42", "Bộ phận Một cửa xã Hương Phố"),
    ("18544", "000.25.32.H42", "Bộ phận Một cửa xã Hương Xuân"),
    ("18547", "000.26.32.H42", "Bộ phận Một cửa xã Phúc Trạch"),
    ("18550", "000.27.32.H42", "Bộ phận Một cửa xã Hương Đô"),
    ("HCC42", "000.00.00.H42", "Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh"),
]
# (procedure code, working days to process)
PROCEDURES = [
    ("1.001193", 1),  # đăng ký khai sinh
    ("1.004222", 7),  # đăng ký thường trú
    ("2.000908", 2),  # chứng thực bản sao
    ("1.001022", 3),  # đăng ký kết hôn
    ("1.004873", 3),  # xác nhận tình trạng hôn nhân
    ("2.001019", 3),  # đăng ký hộ kinh doanh
    ("1.003003", 10),  # cấp giấy chứng nhận quyền sử dụng đất (lần đầu)
    ("1.001612", 5),  # đăng ký khai tử
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đình", "Hữu", "Minh", "Ngọc", "Xuân", "Thanh", "Quốc"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Linh", "Nam", "Phúc", "Tâm", "Yến"]
STATUSES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
STATUS_WEIGHTS = [2, 5, 1, 12, 3, 2, 1, 1, 8, 65]
CHANNELS = ["truc_tiep", "truc_tuyen", "buu_chinh"]
CHANNEL_WEIGHTS = [55, 40, 5]


def phone(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return ""
    digits = rng.choice(["09", "03", "08", "07", "05"]) + f"{rng.randrange(10**8):08d}"
    style = rng.random()
    if style < 0.6:
        return digits
    if style < 0.8:
        return f"+84 {digits[1:4]} {digits[4:7]} {digits[7:]}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def generate(path: Path, rows: int, seed: int = 42, shuffle: bool = False) -> None:
    """Write `rows` dossiers received on the working days of 2025-2026, in order of receipt.

    Exports come ordered by time of receipt; `shuffle` writes them in random
    order instead (the worst case for the store's indexes).
    """
    rng = random.Random(seed)
    cal = default_calendar()
    days = [date(2025, 1, 1) + timedelta(days=i) for i in range(730)]
    days = [d for d in days if cal.is_working_day(d)]
    records = []
    for k, day in enumerate(days):
        count = rows * (k + 1) // len(days) - rows * k // len(days)
        received = sorted(
            (rng.randint(7 * 60, 16 * 60 + 59), rng.randrange(len(AGENCIES))) for _ in range(count)
        )
        numbers = [0] * len(AGENCIES)
        for minute, a in received:
            numbers[a] += 1
            records.append(_record(rng, cal, day, minute, a, numbers[a]))
        if max(numbers, default=0) > 9999:
            raise SystemExit("too many rows a day for 4-digit daily numbers")
    if shuffle:
        rng.shuffle(records)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(FIELDS)
        out.writerows(records)


def _record(rng: random.Random, cal, day: date, minute: int, a: int, number: int) -> tuple:
    agency, eid, place = AGENCIES[a]
    proc, limit = rng.choice(PROCEDURES)
    received = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
    due_day = cal.add_working_days(day, limit)
    due = datetime(due_day.year, due_day.month, due_day.day, 16, 30)
    status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
    status_at = received + timedelta(minutes=rng.randrange(1, 60 * 24 * (limit + 1)))
    return (
        f"{eid}-{day:%y%m%d}-{number:04d}",
        proc,
        agency,
        f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        phone(rng),
        rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0],
        received.isoformat(timespec="seconds"),
        due.isoformat(timespec="seconds"),
        status,
        status_at.isoformat(timespec="seconds"),
        place,
        "" if rng.random() < 0.9 else "Bổ sung bản sao giấy khai sinh",
    )


def baseline(csv_path: Path, db_path: Path, batch: int = 5_000) -> float:
    """Seconds to read the CSV and executemany the raw rows into a plain table."""
    start = time.perf_counter()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"CREATE TABLE raw ({', '.join(f'{c} TEXT' for c in FIELDS)})")
    sql = f"INSERT INTO raw VALUES ({', '.join('?' * len(FIELDS))})"
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        rows: list[list[str]] = []
        for row in reader:
            rows.append(row)
            if len(rows) >= batch:
                conn.execute("BEGIN")
                conn.executemany(sql, rows)
                conn.execute("COMMIT")
                rows = []
        if rows:
            conn.execute("BEGIN")
            conn.executemany(sql, rows)
            conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - start


def size_mb(path: Path) -> float:
    files = [path, path.with_name(path.name + "-wal")]
    return sum(p.stat().st_size for p in files if p.exists()) / 1e6


async def run(rows: int, keep: Path | None, shuffle: bool, inline: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as tmp:
        tmpdir = Path(tmp)
        csv_path = tmpdir / "dossiers.csv"
        t0 = time.perf_counter()
        generate(csv_path, rows, shuffle=shuffle)
        print(
            f"generated {rows:,} rows ({csv_path.stat().st_size / 1e6:.0f} MB CSV)"
            f" in {time.perf_counter() - t0:.1f} s"
        )
        db_path = keep or tmpdir / "motcua.sqlite3"
        db = await open_database(db_path)
        t0 = time.perf_counter()
        report = await import_dossiers(db, csv_path, process=False if inline else None)
        took = time.perf_counter() - t0
        await db.close()
        rate = rows / took
        print(f"import_dossiers: {report.summary()}")
        print(f"  {took:.1f} s, {rate:,.0f} rows/s, database {size_mb(db_path):.0f} MB")
        db = await open_database(db_path)
        t0 = time.perf_counter()
        again = await import_dossiers(db, csv_path, process=False if inline else None)
        took2 = time.perf_counter() - t0
        await db.close()
        print(f"re-import (all unchanged): {again.summary()}")
        print(f"  {took2:.1f} s, {rows / took2:,.0f} rows/s")
        base = baseline(csv_path, tmpdir / "baseline.sqlite3")
        base_rate = rows / base
        print(f"baseline (csv.reader + executemany into a plain table): {base:.1f} s,")
        print(f"  {base_rate:,.0f} rows/s, database {size_mb(tmpdir / 'baseline.sqlite3'):.0f} MB")
        print(f"ratio import/baseline: {rate / base_rate:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="import into this file and keep it")
    parser.add_argument("--shuffle", action="store_true", help="rows in random order")
    parser.add_argument("--inline", action="store_true", help="parse without a helper process")
    args = parser.parse_args()
    asyncio.run(run(args.rows, args.keep, args.shuffle, args.inline))


if __name__ == "__main__":
    main()
