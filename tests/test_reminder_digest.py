"""Overdue reminders reach a desk as ONE digest per run, each dossier once per date."""

from __future__ import annotations

from conftest import make_settings
from test_dialog_dossiers import add_dossier

from bot.core import open_core
from bot.dossiers.notices import DIGEST_LINES
from bot.notify.outbox import Outbox, Priority
from bot.notify.reminders import run_reminders

DESK = "-100900"


def code(n: int) -> str:
    return f"000.00.06.H56-261120-{n:04d}"


async def test_many_overdue_dossiers_make_one_digest_per_run_grouped_by_agency(tmp_path):
    core = await open_core(make_settings(tmp_path, MOTCUA_OFFICIALS_CHAT_ID=DESK))
    try:
        for n in range(1, 18):
            await add_dossier(core, code=code(n), due_in_days=-2 - n / 10)
        for n in range(18, 21):
            await add_dossier(core, code=code(n), due_in_days=-3, agency="18502")
        first = await run_reminders(core)
        assert first.official_reminders == 20
        rows = await core.db.fetchall("SELECT chat_id, text, priority FROM outbox")
        assert len(rows) == 1  # one message for the desk, not twenty
        chat, text, priority = rows[0]
        assert chat == DESK and priority == Priority.BULK
        assert "chưa có phiếu xin lỗi: 20" in text
        assert "UBND xã Hương Khê" in text and "UBND xã Hà Linh" in text
        listed = [c for n in range(1, 21) if (c := code(n)) in text]
        assert len(listed) == DIGEST_LINES
        assert f"… và {20 - DIGEST_LINES} hồ sơ khác: gửi /quahan để xem hết" in text
        # the most overdue first within an agency; every agency shows some
        assert text.index(code(17)) < text.index(code(16)) and code(1) not in text
        assert all(code(n) in text for n in range(18, 21))

        assert (await run_reminders(core)).official_reminders == 0  # once per due date
        await add_dossier(core, code=code(30), due_in_days=-1)
        third = await run_reminders(core)
        assert third.official_reminders == 1  # only the newly overdue one, in a new digest
        newest = (await core.db.fetchall("SELECT text FROM outbox ORDER BY id DESC"))[0][0]
        assert code(30) in newest and code(1) not in newest and "hồ sơ khác" not in newest
        assert await Outbox(core.db).pending_count() == 2
    finally:
        await core.close()
