"""Tell the leaders when an agency's satisfaction falls below target: once per crossing.

Run daily (or more often): each agency's rate over the last 30 days is
compared with the target. Falling below (with enough ratings to mean
something) records one `RateCrossed` (ratings/notices.py words it for the
leaders) and remembers the agency is 'below'; nothing more is sent until it
has recovered, which resets the state (and, by default, says so). Too few
ratings change nothing either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo

from bot.clock import stamp
from bot.notify import events
from bot.ratings.events import RateCrossed
from bot.ratings.stats import DEFAULT_TZ, TARGET, rating_counts
from bot.store import Database

WINDOW = timedelta(days=30)  # rated in the last 30 days, up to and including `now`


async def check_rate_alerts(
    db: Database,
    now: datetime,
    tz: tzinfo | None = None,
    leaders_chat_id: str | int | None = None,
    min_ratings: int = 20,
    target: float = TARGET,
    names: Mapping[str, str] | None = None,
    notify_recovery: bool = True,
    channel: str = "telegram",  # the deployment's staff channel (Settings.staff_channel)
) -> list[str]:
    """The agencies that just fell below target (alerted), in code order.

    `names` maps agency code → name for the message. Without a leaders' chat
    the state is still kept (so configuring one later does not replay old
    crossings) but nothing is queued. Dedupe keys carry agency and local date.
    """
    tz = tz or DEFAULT_TZ
    names = names or {}
    day = now.astimezone(tz).date().isoformat()
    alerted: list[str] = []
    window = [("30d", stamp(now - WINDOW), stamp(now + timedelta(seconds=1)))]
    rolling = await rating_counts(db, window, "agency")
    async with db.transaction() as conn:
        async with conn.execute("SELECT agency_code, below FROM rate_alerts") as cur:
            state = {r[0]: bool(r[1]) for r in await cur.fetchall()}
        for (agency, _), (n, satisfied) in sorted(rolling.items()):
            if n < min_ratings:
                continue
            below = satisfied / n < target
            if below == state.get(agency, False):
                continue
            await conn.execute(
                "INSERT INTO rate_alerts(agency_code, below, changed_at) VALUES (?,?,?)"
                " ON CONFLICT(agency_code) DO UPDATE SET below = excluded.below,"
                " changed_at = excluded.changed_at",
                (agency, int(below), stamp(now)),
            )
            if below:
                alerted.append(agency)
            elif not notify_recovery:
                continue
            if leaders_chat_id is not None:
                name = names.get(agency, agency)
                crossed = RateCrossed(
                    agency, name, below, satisfied, n, target, day, leaders_chat_id, channel
                )
                await events.record(conn, crossed)
    return alerted
