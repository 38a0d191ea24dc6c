"""Verified owners on Zalo have what Telegram owners have; notifications go by CS inside
the 7-day window, by ZNS outside it, and are held (never dropped) when neither works."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fakezalo import FakeZalo
from test_dialog_dossiers import CODE, PHONE, add_dossier
from test_zalo_conversation import say
from zalo_harness import running_zalo

from bot.channels.zalo import held_count
from bot.clock import utcnow
from bot.dossiers.repository import apply
from bot.notify.outbox import Outbox
from bot.people.privacy import DOSSIER_TRACKING

OWNER, OTHER = "7770001", "7770002"
DAY = 24 * 3600


@pytest.fixture(autouse=True)
def daytime(monkeypatch):
    """Invitations wait out the night; these tests must not depend on the hour they run."""
    monkeypatch.setattr("bot.ratings.notices.quiet_until", lambda now, tz: None)


@pytest.fixture
async def fz():
    async with FakeZalo().serve() as fake:
        yield fake


async def set_status(core, status: int) -> None:
    """The office changes the dossier's status, nothing else (one event, one message)."""
    dossier = await core.dossiers.get(CODE)
    changed = replace(dossier, status=status, status_at=utcnow())
    async with core.db.transaction() as conn:
        await apply(conn, changed, "test", on_events=core.notifier)


async def tap(fz, uid: str, title: str, expect: str) -> str:
    before = len(fz.sent_to(uid))
    await fz.user_clicks(uid, title)
    await fz.wait_for(lambda: any(expect in t for t in fz.texts_to(uid)[before:]))
    return "\n".join(fz.texts_to(uid)[before:])


async def verify(fz, uid: str, phone: str) -> str:
    await say(fz, uid, "/hosocuatoi", "số điện thoại")
    await tap(fz, uid, "xác minh", "đồng ý")
    before = len(fz.sent_to(uid))
    await fz.user_clicks(uid, "Tôi đồng ý")
    await fz.wait_for(lambda: "request_user_info" in str(fz.sent_to(uid)[before:]))
    before = len(fz.sent_to(uid))
    await fz.user_shares_info(uid, phone=phone)
    await fz.wait_for(lambda: any(CODE in t for t in fz.texts_to(uid)[before:]))
    return "\n".join(fz.texts_to(uid)[before:])


async def test_owner_verifies_by_sharing_info_and_gets_everything(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        core = bot.core
        await add_dossier(core)
        masked = await say(fz, OWNER, f"hồ sơ {CODE}", CODE)
        assert "09******23" in masked and "Nguyễn Văn An" not in masked
        answer = await verify(fz, OWNER, "84" + PHONE[1:])
        assert "đã được xác minh" in answer
        assert await core.privacy.verified_phone("zalo", OWNER) == PHONE
        assert await core.privacy.has_consent("zalo", OWNER, DOSSIER_TRACKING)
        unmasked = await say(fz, OWNER, f"/hoso {CODE}", CODE)
        assert "Nguyễn Văn An" in unmasked
        assert await core.subscriptions.is_subscribed("zalo", OWNER, CODE)

        # a status change inside the window: a CS message
        await set_status(core, 5)
        await fz.wait_for(lambda: any("Trạng thái mới" in t for t in fz.texts_to(OWNER)))

        # the result is returned: the rating invitation, answered by a tap
        await set_status(core, 10)
        await fz.wait_for(lambda: any("hài lòng với việc" in t for t in fz.texts_to(OWNER)))
        await tap(fz, OWNER, "Không hài lòng", "")
        await bot.channel.drain_events()
        await fz.wait_for(lambda: len(fz.texts_to(OWNER)) > 0)
        rating = await core.ratings.get(CODE)
        assert rating is not None and rating.channel == "zalo"

        # /xoadulieu: phone, consents and subscriptions deleted
        await say(fz, OWNER, "/xoadulieu", "Xoá")
        await tap(fz, OWNER, "xoá dữ liệu", "Đã xoá")
        assert await core.privacy.verified_phone("zalo", OWNER) is None
        assert fz.violations == []


async def test_status_change_by_zns_outside_the_window(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        await add_dossier(bot.core)
        await verify(fz, OWNER, "84" + PHONE[1:])
        fz.advance(8 * DAY)  # the window closes (and the access token expires)
        await set_status(bot.core, 5)
        (zns,) = await fz.wait_for(lambda: fz.sent_to("84" + PHONE[1:], "zns"))
        body = zns["message"]
        assert body["template_id"] == "1001"
        assert body["template_data"]["ma_ho_so"] == CODE
        assert body["template_data"]["trang_thai"] and body["template_data"]["ngay_hen"]
        assert body["tracking_id"].startswith("mc-") and len(body["tracking_id"]) <= 48
        assert fz.refreshes() and fz.violations == []
        await _until(lambda: Outbox(bot.core.db).pending_count("zalo"), 0)


async def test_held_without_window_or_phone_then_released_at_next_message(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        await add_dossier(bot.core)
        await say(fz, OTHER, CODE, CODE)
        await tap(fz, OTHER, "Báo cho tôi", "mỗi khi")  # follow it, not verified
        fz.advance(8 * DAY)
        before = len(fz.deliveries)
        await set_status(bot.core, 5)
        await _until(lambda: held_count(bot.core.db), 1)
        assert len(fz.deliveries) == before  # nothing sent, nothing lost
        answer = await say(fz, OTHER, "xin chào", "thông báo mới")
        assert "Bạn có 1 thông báo mới" in answer
        await fz.wait_for(lambda: any("Trạng thái mới" in t for t in fz.texts_to(OTHER)))
        assert await held_count(bot.core.db) == 0
        health = await bot.channel.health()
        assert health["held"] == 0 and health["token_expires_at"]
        assert fz.violations == []


async def _until(count, wanted: int) -> None:
    import asyncio

    for _ in range(300):
        if await count() == wanted:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never {wanted}")
