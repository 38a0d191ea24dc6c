"""Warnings before a delay and reminders after one: each sent once per appointment date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import make_settings
from test_dialog_dossiers import CODE, add_dossier

from bot.core import open_core
from bot.dossiers.repository import record_apology
from bot.notify.reminders import run_reminders


async def outbox(core) -> list[tuple[str, str]]:
    rows = await core.db.fetchall("SELECT chat_id, text FROM outbox ORDER BY id")
    return [(r[0], r[1]) for r in rows]


async def test_due_soon_warns_each_follower_once(core):
    # due in a few hours: before the end of the next working day, still running
    await add_dossier(core, due_in_days=0.2)
    await core.subscriptions.add("telegram", "42", "42", CODE, "lookup")
    first = await run_reminders(core)
    second = await run_reminders(core)
    assert (first.warnings, second.warnings) == (1, 0)
    ((chat, text),) = await outbox(core)
    assert chat == "42" and "chưa xử lý xong" in text


async def test_overdue_without_apology_reminds_officials_once_then_not_after_apology(tmp_path):
    core = await open_core(make_settings(tmp_path, MOTCUA_OFFICIALS_CHAT_ID="-100900"))
    try:
        await add_dossier(core, due_in_days=-2)
        first = await run_reminders(core)
        again = await run_reminders(core)
        assert (first.official_reminders, again.official_reminders) == (1, 0)
        ((chat, text),) = await outbox(core)
        assert chat == "-100900" and "chưa có phiếu xin lỗi" in text and CODE in text
        async with core.db.transaction() as conn:
            new_due = datetime.now(UTC) - timedelta(hours=1)  # promised, and late again
            await record_apology(conn, CODE, "Chờ xác minh", new_due, "boss")
        after = await run_reminders(core)
        assert after.official_reminders == 0  # an apology is on record for this date
    finally:
        await core.close()
