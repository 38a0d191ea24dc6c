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
from bot.store import ratings as ratings_store

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
        state = await ratings_store.alert_states(conn)
        for (agency, _), (n, satisfied) in sorted(rolling.items()):
            if n < min_ratings:
                continue
            below = satisfied / n < target
            if below == state.get(agency, False):
                continue
            await ratings_store.set_alert_state(conn, agency, below, stamp(now))
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
