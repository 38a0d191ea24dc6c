"""`motcua demo`: a separate, clearly labelled database to try the bot in the terminal.

It holds six months of returned demo dossiers with ratings (bot/ratings/demo.py),
a few running dossiers in every state a citizen meets (late with and without an
apology, more papers needed, returned and not yet rated), two feedback tickets,
and the terminal user on the officials' roster, so /thongke, /quahan, /phananhquahan
and the report have something to show. Every code starts with DEMO and every name
says "Demo"; it refuses to touch a database that holds anything else.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from bot.core import Core, open_core
from bot.dossiers.model import Dossier
from bot.dossiers.repository import apply, record_apology, set_status
from bot.feedback import Draft
from bot.ratings.demo import HUONG_KHE, seed
from bot.settings import Settings
from bot.store import dossiers as dossier_store
from bot.store import outbox as outbox_store

DEMO_PREFIX = "DEMO."
DEMO_PHONE = "0900000001"  # the demo applicant; verify with it in `motcua chat`
TERMINAL_USER = "local"  # the terminal chat's user id


class DemoRefused(ValueError):
    """The target is not a fresh or demo database."""


async def build_demo(settings: Settings, path: Path, role: str = "leader") -> list[str]:
    """Fill `path` with demo data; returns the running dossiers' codes (for the hints)."""
    if path.resolve() == Path(settings.db_path).resolve() and path.exists():
        raise DemoRefused(f"{path} is the bot's own database (MOTCUA_DB): give another path")
    core = await open_core(dataclasses.replace(settings, db_path=path))
    try:
        total, demo = await dossier_store.count_with_prefix(core.db, "DEMO.")
        if total and total != demo:
            raise DemoRefused(f"{path} holds dossiers that are not demo ones: give a new path")
        if total:
            raise DemoRefused(f"{path} already holds the demo: delete it first to rebuild")
        return await _fill(core, role)
    finally:
        await core.close()


async def _fill(core: Core, role: str) -> list[str]:
    tz = core.settings.timezone
    now = datetime.now(UTC).replace(microsecond=0)
    today = now.astimezone(tz).date()
    first = today.year * 12 + today.month - 1 - 5
    start = date(first // 12, first % 12 + 1, 1)
    known = [a.code for a in core.settings.agencies if a.code in HUONG_KHE]
    many = {code: HUONG_KHE[code][1] for code in known[:-1]}
    await seed(core.db, many, start, today, per_month=40)
    # One commune with only a handful of ratings: the report says "too few", not a red 0%.
    await seed(core.db, {known[-1]: 0.5}, start, today, per_month=2, seed=11)
    desk = known[0]
    cal = core.calendar

    def workdays_ago(n: int) -> datetime:
        day = cal.add_working_days(today, -n) if n else today
        return datetime.combine(day, time(17, 0), tz).astimezone(UTC)

    def local_day(n: int) -> datetime:
        return datetime.combine(cal.add_working_days(today, n), time(17, 0), tz).astimezone(UTC)

    stamp = today.strftime("%y%m%d")
    made = []

    async def add(n: int, status: int, received: datetime, due: datetime, note=None) -> str:
        code = f"{DEMO_PREFIX}{desk}-{stamp}-{9000 + n:04d}"
        dossier = Dossier(
            code=code,
            procedure_code="1.001193",
            agency_code=desk,
            received_at=received,
            status=status,
            applicant_name="Người dùng Demo",
            applicant_phone=DEMO_PHONE,
            channel="truc_tiep",
            due_at=due,
            status_at=min(now, received + timedelta(days=1)),
            note=note,
        )
        async with core.db.transaction() as conn:
            await apply(conn, dossier, "demo", on_events=core.notifier)
        made.append(code)
        return code

    late = await add(1, 4, workdays_ago(33), workdays_ago(28))
    apologised = await add(2, 4, workdays_ago(12), workdays_ago(2))
    async with core.db.transaction() as conn:
        await record_apology(
            conn, apologised, "Chờ xác minh của cơ quan khác (demo)", local_day(3), "demo"
        )
    await add(3, 5, workdays_ago(4), local_day(3), note="Bản sao giấy chứng sinh (demo)")
    returned = await add(4, 9, workdays_ago(10), workdays_ago(1))
    async with core.db.transaction() as conn:
        await set_status(conn, returned, 10, "demo", on_events=core.notifier)
    await add(5, 4, workdays_ago(2), local_day(1))
    await add(6, 2, workdays_ago(1), local_day(6))
    for category, text, dossier in (
        ("cham_tre", "Hồ sơ của tôi đã quá hạn mà chưa ai báo (phản ánh demo).", late),
        ("de_xuat", "Đề nghị niêm yết thêm giờ làm việc chiều thứ Bảy (kiến nghị demo).", None),
    ):
        draft = Draft(
            "demo", "demo-citizen", "demo-citizen", category, desk, text, dossier_code=dossier
        )
        await core.feedback.submit(draft, now - timedelta(days=30))
    await outbox_store.clear(core.db)  # nobody to send the demo's messages to
    name = "Demo: lãnh đạo" if role == "leader" else "Demo: cán bộ một cửa"
    await core.officials.add("terminal", TERMINAL_USER, role, desk, name)
    return made
