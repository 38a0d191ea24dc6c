"""Quiet hours: no citizen is messaged at night; such messages wait for the morning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

START_HOUR = 21
END_HOUR = 7


def quiet_until(
    now: datetime, tz, start_hour: int = START_HOUR, end_hour: int = END_HOUR
) -> datetime | None:
    """None outside quiet hours; otherwise the next morning's end_hour (local), in UTC."""
    local = now.astimezone(tz)
    if end_hour <= local.hour < start_hour:
        return None
    morning = local.replace(hour=end_hour, minute=0, second=0, microsecond=0)
    if local.hour >= start_hour:
        morning += timedelta(days=1)
    return morning.astimezone(UTC)
