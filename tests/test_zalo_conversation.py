"""A citizen on Zalo: the same dialog as Telegram over real HTTP both ways."""

from __future__ import annotations

import unicodedata

import pytest
from fakezalo import FakeZalo
from zalo_harness import INFO_IMAGE, running_zalo

UID = "5550001"


@pytest.fixture
async def fz():
    async with FakeZalo().serve() as fake:
        yield fake


async def say(fz, uid: str, text: str, expect: str) -> str:
    before = len(fz.sent_to(uid))
    assert await fz.user_says(uid, text) == 200
    await fz.wait_for(lambda: any(expect in t for t in fz.texts_to(uid)[before:]))
    return "\n".join(fz.texts_to(uid)[before:])


async def test_question_with_and_without_diacritics_then_buttons(tmp_path, fz):
    async with running_zalo(tmp_path, fz) as bot:
        await fz.user_follows(UID)
        await fz.wait_for(lambda: fz.sent_to(UID))
        welcome = fz.sent_to(UID)[-1]["message"]
        titles = [b["title"] for b in welcome["attachment"]["payload"]["buttons"]]
        assert len(titles) == 5 and all(
            b["type"] == "oa.query.hide" for b in welcome["attachment"]["payload"]["buttons"]
        )
        with_marks = await say(fz, UID, "thủ tục đăng ký khai sinh", "Đăng ký khai sinh")
        plain = await say(fz, UID, "dang ky khai sinh", "Đăng ký khai sinh")
        assert "1.001193" in with_marks and "1.001193" in plain
        assert "<b>" not in plain  # plain text, no markup
        # the card has 7 buttons, Zalo takes 5: the 4 most important, then "Thêm lựa chọn"
        card = fz.sent_to(UID)[-1]["message"]
        buttons = card["attachment"]["payload"]["buttons"]
        assert [b["title"] for b in buttons][-1] == "Thêm lựa chọn" and len(buttons) == 5
        assert "Giấy tờ" in buttons[0]["title"] and "Gõ số" not in plain
        before = len(fz.sent_to(UID))
        await fz.user_clicks(UID, "Thêm lựa chọn")  # the rest, tappable, in the next message
        await fz.wait_for(lambda: len(fz.sent_to(UID)) > before)
        rest = fz.sent_to(UID)[-1]["message"]["attachment"]["payload"]["buttons"]
        assert any("Menu chính" in b["title"] for b in rest)
        await fz.user_clicks(UID, "Giấy tờ")
        await fz.wait_for(lambda: "Giấy tờ" in fz.texts_to(UID)[-1])
        # a real tap: the payload comes back as the citizen's text
        before = len(fz.sent_to(UID))
        await fz.user_clicks(UID, "Hỏi về thủ tục")
        await fz.wait_for(lambda: len(fz.sent_to(UID)) > before)
        assert fz.violations == []
        for d in fz.sent_to(UID):
            text = d["message"].get("text", "")
            assert len(unicodedata.normalize("NFC", text)) <= 2000
        await bot.channel.drain_events()


async def test_typing_a_payload_grants_nothing_and_long_answers_are_split(tmp_path, fz):
    async with running_zalo(tmp_path, fz):
        await say(fz, UID, "xin chào", "")
        # an action never sent to this citizen, typed by hand: just text, nothing deleted
        answer = await say(fz, UID, "d:del", "")
        assert "Đã xóa" not in answer and "Đã xoá" not in answer
        assert fz.violations == []


async def test_contact_request_is_a_request_user_info_template(tmp_path, fz):
    async with running_zalo(tmp_path, fz):
        await say(fz, UID, "/hosocuatoi", "số điện thoại")
        await fz.user_clicks(UID, "xác minh")
        await fz.wait_for(lambda: any("đồng ý" in t for t in fz.texts_to(UID)))
        await fz.user_clicks(UID, "Tôi đồng ý")
        await fz.wait_for(
            lambda: any("attachment" in d["message"] and "request_user_info" in str(d["message"])
                        for d in fz.sent_to(UID))
        )  # fmt: skip
        info = fz.sent_to(UID)[-1]["message"]["attachment"]["payload"]
        assert info["elements"][0]["image_url"] == INFO_IMAGE
        assert fz.violations == []


def buttons_of(delivery: dict) -> list[dict]:
    return (delivery["message"].get("attachment") or {}).get("payload", {}).get("buttons", [])


async def test_menus_and_cards_are_never_numbers_only_and_each_more_is_its_own(tmp_path, fz):
    from test_dialog_dossiers import CODE, add_dossier

    async with running_zalo(tmp_path, fz) as bot:
        await add_dossier(bot.core)
        for text, expect in (("/menu", ""), (CODE, CODE), ("dang ky khai sinh", "1.001193"),
                             ("dang ky ket hon", "kết hôn")):  # fmt: skip
            await say(fz, UID, text, expect)
            last = fz.sent_to(UID)[-1]
            assert 0 < len(buttons_of(last)) <= 5, text
            assert "Gõ số" not in last["message"]["text"], text
        # the birth card's "Thêm lựa chọn", tapped after the marriage card came: its own rest
        birth, marriage = [d for d in fz.sent_to(UID) if len(buttons_of(d)) == 5][-2:]
        more = [b for b in buttons_of(birth) if b["title"] == "Thêm lựa chọn"]
        assert more and more[0]["payload"] != buttons_of(marriage)[-1]["payload"]
        before = len(fz.sent_to(UID))
        assert await fz.user_says(UID, more[0]["payload"]) == 200  # what a tap sends
        await fz.wait_for(lambda: len(fz.sent_to(UID)) > before)
        rest = buttons_of(fz.sent_to(UID)[-1])
        assert any("1.001193" in b["payload"] for b in rest)
        assert fz.violations == []
