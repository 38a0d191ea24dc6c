"""The terminal chat: numbered buttons, typed contact, and notifications shown in line."""

from __future__ import annotations

import io

from test_dialog_dossiers import CODE, add_dossier

from bot.channels.terminal import chat
from bot.dossiers.repository import set_status


async def talk(core, lines: list[str]) -> str:
    out = io.StringIO()
    await chat(core, io.StringIO("\n".join(lines) + "\n"), out)
    return out.getvalue()


async def test_lookup_verify_by_typed_phone_and_see_a_notification(core):
    await add_dossier(core)
    # the card's buttons: [1] follow, [2] verify, [3] menu; once followed: [1] verify
    out = await talk(core, [CODE, "1", CODE, "1", "1", "1", "0912345623", "/quit"])
    assert "Nguyễn V*** A" in out  # masked before verification
    assert "Xong: tôi sẽ nhắn" in out
    assert "Bạn có đồng ý" in out
    assert "đã được xác minh" in out and "Hồ sơ của bạn" in out
    async with core.db.transaction() as conn:
        await set_status(conn, CODE, 9, "desk", on_events=core.notifier)
    out = await talk(core, ["/menu", "/quit"])
    assert "Trạng thái mới" in out and "Đã xử lý xong" in out
    again = await talk(core, ["/menu", "/quit"])
    assert "Trạng thái mới" not in again  # shown once
