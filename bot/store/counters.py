"""Serial numbers (PAKN ticket numbers…) from a counter row, taken atomically.

Reading the latest number and writing the next is correct only while one writer
runs at a time (SQLite's); one UPDATE … RETURNING stays correct with many
(scale.md §1.3: 19 of 20 concurrent tickets failed the old way on PostgreSQL).
"""

from __future__ import annotations

from bot.store.sql import Conn


async def next_value(conn: Conn, name: str) -> int:
    """The next number of counter `name` (1 the first time), inside the caller's transaction.

    A rolled-back transaction gives its number back, so numbers stay gapless.
    """
    async with conn.execute(
        "INSERT INTO counters(name, n) VALUES (?, 1)"
        " ON CONFLICT(name) DO UPDATE SET n = counters.n + 1 RETURNING n",
        (name,),
    ) as cur:
        row = await cur.fetchone()
    return int(row[0])
