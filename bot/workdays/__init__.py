"""Vietnam's working-day calendar: lunar holidays computed, yearly swaps configured."""

from .calendar import (
    WorkCalendar,
    WorkdaysConfig,
    WorkdaysConfigError,
    default_calendar,
    load_config,
)
from .lunar import lunar_to_solar, solar_to_lunar

__all__ = [
    "WorkCalendar",
    "WorkdaysConfig",
    "WorkdaysConfigError",
    "default_calendar",
    "load_config",
    "lunar_to_solar",
    "solar_to_lunar",
]
