"""Made-up returned dossiers and ratings, for the report's screenshot and the benchmark.

Clearly demo: codes start with DEMO, no names or phones, rates chosen by hand.
Rows go straight in, many per call (a million in seconds), bypassing the
dossier writers, which are exercised by the tests instead.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime

from bot.ratings.stats import DEFAULT_TZ, month_ranges
from bot.store import Database
from bot.store import ratings as ratings_store

# The 7 communes of the former Hương Khê district, each with a made-up satisfaction level.
HUONG_KHE = {
    "18496": ("UBND xã Hương Khê", 0.95),
    "18502": ("UBND xã Hà Linh", 0.92),
    "18523": ("UBND xã Hương Bình", 0.87),
    "18532": ("UBND xã Hương Phố", 0.96),
    "18544": ("UBND xã Hương Xuân", 0.90),
    "18547": ("UBND xã Phúc Trạch", 0.84),
    "18550": ("UBND xã Hương Đô", 0.97),
}
PROCEDURES = (
    ("1.001193", "Hộ tịch"),
    ("1.004222", "Đăng ký, quản lý cư trú"),
    ("2.000815", "Chứng thực"),
    ("1.003003", "Đất đai"),
)


def _s(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _epoch(stamp: str) -> int:
    return int(datetime.fromisoformat(stamp).replace(tzinfo=UTC).timestamp())


async def seed(
    db: Database,
    agencies: Mapping[str, float],
    start: date,
    end: date,
    per_month: int,
    response: float = 0.6,
    late_share: float = 0.04,
    asked_twice_share: float = 0.02,
    seed: int = 7,
    chunk: int = 50_000,
) -> int:
    """Add `per_month` returned dossiers per agency and month of [start, end]; return ratings.

    `agencies` maps code → the chance a rating is satisfied (drifting a little
    month to month); `response` is the share of returned dossiers rated.
    """
    rng = random.Random(seed)
    daily: dict[tuple[str, str], int] = {}
    dossiers: list[tuple] = []
    ratings: list[tuple] = []
    events: list[tuple] = []
    rated = 0
    end_epoch = _epoch(month_ranges(end, end, DEFAULT_TZ)[0][2])

    async def flush(conn) -> None:
        await ratings_store.add_demo_rows(conn, dossiers, ratings, events)
        for rows in (dossiers, ratings, events):
            rows.clear()

    async with db.transaction() as conn:
        for _month, lo, hi in month_ranges(start, end, DEFAULT_TZ):
            lo_e, hi_e = _epoch(lo), _epoch(hi)
            for agency, satisfied in agencies.items():
                p = min(1.0, max(0.0, satisfied + rng.uniform(-0.03, 0.03)))
                for _ in range(per_month):
                    returned = rng.randrange(lo_e, hi_e)
                    late = rng.random() < late_share
                    due = returned + (-1 if late else 1) * rng.randrange(3600, 3 * 86400)
                    received = due - 7 * 86400
                    day = time.strftime("%y%m%d", time.gmtime(received + 7 * 3600))
                    number = daily[(agency, day)] = daily.get((agency, day), 0) + 1
                    code = f"DEMO.{agency}-{day}-{number:04d}"
                    proc, field = PROCEDURES[rng.randrange(len(PROCEDURES))]
                    channel = "truc_tuyen" if rng.random() < 0.4 else "truc_tiep"
                    ret_s = _s(returned)
                    dossiers.append(
                        (code, proc, agency, channel, _s(received), _s(due), ret_s, ret_s)
                    )
                    if rng.random() < asked_twice_share:
                        events.append((code, _s(received + 86400), ret_s))
                        events.append((code, _s(received + 2 * 86400), ret_s))
                    if rng.random() < response:
                        at = _s(min(returned + rng.randrange(60, 2 * 86400), end_epoch - 1))
                        if rng.random() < p:
                            level = "rat_hai_long" if rng.random() < 0.55 else "hai_long"
                        else:
                            level = "khong_hai_long"
                        ratings.append(
                            (code, "telegram", f"demo{rated}", level, at, at, agency, proc, field)
                        )
                        rated += 1
                    if len(dossiers) >= chunk:
                        await flush(conn)
        await flush(conn)
    return rated
