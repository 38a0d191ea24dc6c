"""Life events and /lang with its argument on Telegram, through real HTTP to the fake Bot API
(which refuses what Telegram would: over-long callback data, bad HTML)."""

from __future__ import annotations

from telegram_harness import buttons, press, refused, running_bot

CITIZEN = 4343


async def test_death_group_then_a_step_card(tmp_path, api):
    async with running_bot(tmp_path, api):
        api.push_text(CITIZEN, "bo em moi mat thi gia dinh phai lam nhung thu tuc gi")
        group, first = await api.wait_for("sendMessage", count=2, chat_id=CITIZEN)
        assert "Khi gia đình có người mất" in group.params["text"]
        data = [d for _label, d in buttons(group)]
        assert data[:2] == ["e:death:2.002622", "e:death:1.000656"]
        assert "1.000656" in first.params["text"]  # the step to do first, as a card
        before = len(api.sent)
        press(api, CITIZEN, "Khi gia đình có người mất")  # on the card: the group in place
        (again,) = await api.wait_for("editMessageText", since=before)
        assert again.params["text"] == group.params["text"]
        before = len(api.sent)
        press(api, CITIZEN, "2. Đăng ký khai tử")
        (card,) = await api.wait_for("editMessageText", since=before)
        assert "1.000656" in card.params["text"]
        assert len(api.bot_texts(CITIZEN)) == 2  # the group and its first step, edited since
    assert not refused(api)


async def test_card_offers_its_life_event_and_the_button_works(tmp_path, api):
    async with running_bot(tmp_path, api):
        api.push_text(CITIZEN, "bố em mất rồi, làm giấy chứng tử ở đâu")
        (card,) = await api.wait_for("sendMessage", chat_id=CITIZEN)
        assert "1.000656" in card.params["text"]
        before = len(api.sent)
        press(api, CITIZEN, "Khi gia đình có người mất")
        (group,) = await api.wait_for("editMessageText", since=before)
        assert "theo thứ tự" in group.params["text"]
    assert not refused(api)


async def test_lang_en_with_its_argument_then_an_english_question(tmp_path, api):
    async with running_bot(tmp_path, api):
        api.push_text(CITIZEN, "/lang en")
        (done,) = await api.wait_for("sendMessage", chat_id=CITIZEN)
        assert "reply in English" in done.params["text"]
        before = len(api.sent)
        api.push_text(CITIZEN, "how do I register a birth")
        (card,) = await api.wait_for("sendMessage", since=before, chat_id=CITIZEN)
        assert "Birth registration" in card.params["text"]
        assert "Time and fee" in card.params["text"]
        before = len(api.sent)
        api.push_text(CITIZEN, "/lang vi")
        (back,) = await api.wait_for("sendMessage", since=before, chat_id=CITIZEN)
        assert "tiếng Việt" in back.params["text"]
    assert not refused(api)
