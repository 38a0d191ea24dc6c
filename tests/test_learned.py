"""The loop with officials: a passed-on question is answered or linked from the desk's
chat, the citizen hears back, and a linked procedure teaches the search."""

from __future__ import annotations

from conftest import make_settings
from dialog import Conversation

from bot.catalog import learned
from bot.core import open_core
from bot.notify.outbox import Outbox
from handlers.incoming import ACTION, Incoming

ASKED = "hàng xóm lấn sang đất nhà tôi thì nhờ ai giải quyết"
PARAPHRASES = [
    "nhà bên cạnh lấn sang đất nhà tôi thì nhờ ai giải quyết",
    "hang xom lan dat nha toi nho ai giai quyet",
    "hàng xóm lấn đất thì nhờ ai giải quyết ạ",
]
MEDIATION = "1.012812"  # Hòa giải tranh chấp đất đai
UNRELATED = [
    "dang ky ket hon",
    "làm giấy khai sinh cho con",
    "xin giấy xác nhận độc thân",
    "nhà hàng xóm nuôi chó thả rông cắn người",
    "đăng ký thường trú cho con ở nhà ông bà",
    "cấp lại căn cước bị mất",
    "thời tiết hôm nay thế nào",
    "đất nhà tôi muốn chuyển mục đích sử dụng",
    "chứng thực bản sao sổ đỏ",
    "xin giấy phép xây nhà",
]


def answers(core, questions):
    out = []
    for q in questions:
        result = core.index.search(q, limit=3)
        out.append(None if result.abstained else result.matches[0].code)
    return out


async def open_desk(tmp_path, **env):
    core = await open_core(make_settings(tmp_path, MOTCUA_OFFICIALS_CHAT_ID="-100700", **env))
    await core.officials.add("terminal", "desk", "official", "18496", name="Chị Lan")
    return core


async def pass_to_officials(core, citizen: Conversation, text: str):
    """The citizen asks, the bot abstains, the citizen sends it on: the desk's alert."""
    answer = await citizen.say(text)
    assert "Gửi câu hỏi cho cán bộ" in citizen.buttons()[0], answer
    await citizen.press("Gửi câu hỏi")
    alerts = [m for m in await Outbox(core.db).due("telegram") if m.chat_id == "-100700"]
    assert len(alerts) == 1
    return alerts[0]


async def link_by_official(core) -> None:
    """The citizen passes ASKED on; an official says it is the mediation procedure."""
    alert = await pass_to_officials(core, Conversation(core, user_id="dan"), ASKED)
    official = Conversation(core, user_id="desk")
    official.replies = [alert.reply]
    await official.press("thủ tục")
    await official.say(MEDIATION)


async def to_citizen(core, chat_id: str) -> list[str]:
    return [m.reply.plain() for m in await Outbox(core.db).due("terminal") if m.chat_id == chat_id]


async def test_a_linked_question_is_answered_top1_for_its_paraphrases(tmp_path):
    core = await open_desk(tmp_path)
    try:
        before = answers(core, UNRELATED)
        for q in [ASKED, *PARAPHRASES]:
            assert core.index.search(q).abstained, q  # the bot cannot answer it today
        citizen = Conversation(core, user_id="dan")
        alert = await pass_to_officials(core, citizen, ASKED)
        assert "CH-" in alert.reply.plain()

        official = Conversation(core, user_id="desk")
        official.replies = [alert.reply]
        suggested = await official.press("thủ tục")
        assert "mã thủ tục" in suggested
        done = await official.say(MEDIATION)
        assert "Đã gắn" in done and "Hòa giải tranh chấp đất đai" in done

        told = await to_citizen(core, "dan")
        assert len(told) == 1 and "Hòa giải tranh chấp đất đai" in told[0]
        for q in PARAPHRASES:
            result = core.index.search(q)
            assert not result.abstained and result.matches[0].code.startswith(MEDIATION), q
        assert answers(core, UNRELATED) == before
        # the citizen's next question in other words gets the card at once
        card = await Conversation(core, user_id="ba").say(PARAPHRASES[1])
        assert "Hòa giải tranh chấp đất đai" in card
    finally:
        await core.close()


async def test_learned_wordings_survive_a_restart_and_can_be_removed(tmp_path):
    core = await open_desk(tmp_path)
    try:
        await link_by_official(core)
    finally:
        await core.close()
    core = await open_core(make_settings(tmp_path, MOTCUA_OFFICIALS_CHAT_ID="-100700"))
    try:
        assert core.index.search(PARAPHRASES[0]).matches[0].code.startswith(MEDIATION)
        (entry,) = await learned.load(core.db)
        assert entry.text == ASKED and entry.procedure_code == MEDIATION
        assert await learned.remove(core.db, entry.id)
        await core.refresh_learned(force=True)
        assert core.index.search(PARAPHRASES[0]).abstained
    finally:
        await core.close()


async def test_a_quoted_title_or_code_is_never_overridden(tmp_path):
    core = await open_desk(tmp_path)
    try:
        await link_by_official(core)
        quoted = core.index.search(f'{ASKED} "đăng ký khai sinh"')
        assert quoted.abstained or not quoted.matches[0].code.startswith(MEDIATION)
        coded = core.index.search(f"{ASKED} 1.001193")
        assert coded.matches[0].code.startswith("1.001193")
    finally:
        await core.close()


async def test_the_officials_answer_reaches_the_citizen_in_their_language(tmp_path):
    core = await open_desk(tmp_path)
    try:
        citizen = Conversation(core, user_id="dan")
        await citizen.say("/lang")
        await citizen.press("English")
        alert = await citizen.say(ASKED)
        assert "Send my question" in citizen.buttons()[0], alert
        await citizen.press("Send my question")
        (alert,) = [m for m in await Outbox(core.db).due("telegram") if m.chat_id == "-100700"]
        official = Conversation(core, user_id="desk")
        official.replies = [alert.reply]
        prompt = await official.press("Trả lời")
        assert "tin nhắn tiếp theo" in prompt
        done = await official.say("Bạn mang giấy tờ đất đến UBND xã để được hòa giải.")
        assert "đã được gửi" in done or "Đã ghi" in done
        (told,) = await to_citizen(core, "dan")
        assert "The one-stop desk answered your question CH-" in told
        assert "hòa giải" in told
        again = await official.say("/traloi CH-1 lần nữa")
        assert "đã được trả lời" in again
        assert len(await to_citizen(core, "dan")) == 1
    finally:
        await core.close()


async def test_only_officials_on_the_roster_can_answer_or_link(tmp_path):
    core = await open_desk(tmp_path)
    try:
        alert = await pass_to_officials(core, Conversation(core, user_id="dan"), ASKED)
        stranger = Conversation(core, user_id="stranger")
        stranger.replies = [alert.reply]
        assert "chỉ cán bộ" in await stranger.press("Trả lời")
        stranger.replies = [alert.reply]
        assert "chỉ cán bộ" in await stranger.press("thủ tục")
        assert "chỉ cán bộ" in await stranger.say("/traloi CH-1 xin chào")
        forged = await stranger._send(
            Incoming(kind=ACTION, text=f"q:lk:1:{MEDIATION}", **stranger.base)
        )
        assert forged == ""  # the fourth refusal in a minute is silent, and nothing happens
        assert await learned.load(core.db) == []
        huge = await Conversation(core, user_id="desk").say("/traloi CH-99999999999999999999 x")
        assert "không tìm thấy" in huge.lower()
    finally:
        await core.close()
