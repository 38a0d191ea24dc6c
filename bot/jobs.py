"""The periodic jobs of a running bot: appointment warnings and reminders, the 90% alerts,
feedback deadlines, the daily backup and the upstream dossier sync when configured.

Only the process holding the runner lease runs them (bot/runtime.py), so two
processes on one store never remind twice or pull the same changes together.
"""

from __future__ import annotations

import asyncio
import logging

from bot.core import Core
from bot.periodic import every

log = logging.getLogger(__name__)


class Jobs:
    """Started with the runtime, cancelled when it stops."""

    def __init__(self, core: Core):
        self.core = core
        self.tasks: list[asyncio.Task] = []
        self.sync = None

    def start(self) -> None:
        core, settings = self.core, self.core.settings
        self._every(settings.reminder_interval, lambda: reminders(core), "reminders")
        self._every(3600, lambda: rate_alerts(core), "rate-alerts")
        self._every(settings.reminder_interval, lambda: feedback_deadlines(core), "feedback")
        if settings.backup_dir is not None:
            self._every(3600, lambda: daily_backup(core), "backup")
        if settings.tracking_url:
            self.sync = core.tracking_sync()
            self._every(settings.sync_interval, self.sync.run_once, "sync")

    def _every(self, seconds: float, job, name: str) -> None:
        self.tasks.append(asyncio.create_task(every(seconds, job, name), name=name))

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.tasks = []
        if self.sync is not None:
            await self.sync.aclose()
            self.sync = None


async def reminders(core: Core):
    from bot.notify.reminders import run_reminders

    return await run_reminders(core)


async def daily_backup(core: Core):
    """One copy a day into MOTCUA_BACKUP_DIR (looked for hourly), keeping MOTCUA_BACKUP_KEEP."""
    from bot.clock import utcnow
    from bot.store.backup import rotate_backups

    settings = core.settings
    now = utcnow().astimezone(settings.timezone)
    return await rotate_backups(core.db, settings.backup_dir, settings.backup_keep, now)


async def feedback_deadlines(core: Core):
    """Remind before a feedback deadline; escalate a missed one to the leaders, once."""
    from bot.clock import utcnow
    from bot.feedback.deadlines import run_deadlines

    return await run_deadlines(core.feedback, utcnow())


async def rate_alerts(core: Core) -> list[str]:
    """Leaders hear when an agency's 30-day rate drops below 90% (once per crossing)."""
    from bot.clock import utcnow
    from bot.ratings.alerts import check_rate_alerts

    settings = core.settings
    if settings.leaders_chat_id is None:
        return []
    names = {a.code: a.name for a in settings.agencies}
    return await check_rate_alerts(
        core.db,
        utcnow(),
        settings.timezone,
        settings.leaders_chat_id,
        names=names,
        channel=settings.staff_channel,
    )
