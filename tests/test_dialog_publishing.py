"""Publishing that works (issue 11, point 8): from the citizen's form to the published line.

The citizen agrees to publishing in the form; the official answers and is offered
"📢 Công khai" at once; the answer then appears in `motcua export feedback` and in
`motcua report`. The publish deadline has a reminder that can fire.
"""

from __future__ import annotations

import asyncio
import csv
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from conftest import make_settings
from dialog import Conversation

from bot.cli import main
from bot.core import open_core
from bot.feedback import Draft
from bot.feedback.deadlines import run_deadlines
from bot.notify.outbox import Outbox

TEXT = "Cán bộ hẹn tôi ba lần mà chưa trả giấy xác nhận độc thân."
ANSWER = "Xã đã trả giấy ngày 20/11 và xin lỗi ông vì sự chậm trễ."
DESK = "-100700"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


async def cli(monkeypatch, tmp_path, argv: list[str]) -> int:
    """`motcua …` on the same store, in a thread (it runs its own event loop)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MOTCUA_DB", str(tmp_path / "motcua.sqlite3"))
    monkeypatch.setattr(sys, "stdin", None)
    return await asyncio.to_thread(main, argv)


async def test_from_the_citizens_form_to_the_published_line(tmp_path, monkeypatch):
    core = await open_core(make_settings(tmp_path, MOTCUA_OFFICIALS_CHAT_ID=DESK))
    try:
        await core.officials.add("terminal", "officer", "official", "18496", "Chị Hoa")
        citizen = Conversation(core, user_id="dan")
        await citizen.say("/phananh")
        await citizen.press("Thủ tục hành chính")
        await citizen.press("Hương Khê")
        await citizen.press("Bỏ qua")
        await citizen.say(TEXT)
        await citizen.press("Tiếp")
        await citizen.say("Nguyễn Văn Bình")
        await citizen.say("0912 345 678")
        await citizen.press("Tôi đồng ý")
        await citizen.press("Có, công khai")
        assert "Đã gửi" in await citizen.press("Gửi")  # the queued receipt has the number
        (ticket,) = await core.feedback.mine("terminal", "dan")

        official = Conversation(core, user_id="officer")
        done = await official.say(f"/traloi {ticket.number} {ANSWER}")
        assert "Đã ghi câu trả lời" in done
        assert any("Công khai" in label for label in official.buttons())  # offered at once
        assert "đã được công khai" in await official.press("Công khai")
        assert (await core.feedback.get(ticket.id)).published_at is not None
    finally:
        await core.close()

    out_csv, html = tmp_path / "pakn.csv", tmp_path / "report.html"
    assert await cli(monkeypatch, tmp_path, ["export", "feedback", "--csv", str(out_csv)]) == 0
    rows = list(csv.reader(out_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 2 and rows[1][0] == ticket.number and rows[1][4] == ANSWER
    assert "Nguyễn Văn Bình" not in out_csv.read_text(encoding="utf-8-sig")
    assert await cli(monkeypatch, tmp_path, ["report", "--html", str(html)]) == 0
    page = html.read_text(encoding="utf-8")
    assert ticket.number in page and "xin lỗi ông" in page  # published today: in today's report


async def test_publish_deadline_has_a_reminder_that_fires_once(tmp_path):
    core = await open_core(make_settings(tmp_path, MOTCUA_OFFICIALS_CHAT_ID=DESK))
    try:
        await core.officials.add("telegram", "501", "official", "18496")
        service = core.feedback
        monday = datetime(2026, 11, 9, 9, 0, tzinfo=VN)  # answered Monday: publish by Wednesday
        draft = Draft(
            "terminal", "dan", "dan", "de_xuat", "18496", TEXT,
            name="Nguyễn Văn Bình", phone="0912345678", consent_at=monday,
            publish_consent=True,
        )  # fmt: skip
        t = await service.submit(draft, datetime(2026, 11, 2, 9, 0, tzinfo=VN))
        await service.answer(t.id, ("telegram", "501"), ANSWER, monday)

        async def publish_reminders(day: int) -> list[str]:
            await run_deadlines(service, datetime(2026, 11, day, 9, 0, tzinfo=VN))
            return [
                m.reply.text
                for m in await Outbox(core.db).due("telegram")
                if "công khai trả lời" in m.reply.text
            ]

        assert await publish_reminders(9) == []  # two working days left: not yet
        (reminder,) = await publish_reminders(10)  # the last working day before it
        assert t.number in reminder and "11/11/2026" in reminder
        assert len(await publish_reminders(11)) == 1  # once, however often it runs
        (message,) = [
            m for m in await Outbox(core.db).due("telegram") if "công khai trả lời" in m.reply.text
        ]
        assert any(b.action == f"f:pb:{t.id}" for row in message.reply.buttons for b in row)
    finally:
        await core.close()
