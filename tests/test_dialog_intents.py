"""Conversations, not single questions: follow-ups on the card shown last, everyday
intents before search, and the context kept in the store (issue 10, points 1 and 2)."""

from __future__ import annotations

from datetime import timedelta

from dialog import Conversation
from test_dialog_dossiers import CODE, add_dossier

from bot.catalog.default import load_default_catalog
from bot.clock import utcnow
from bot.core import open_core

NAMES = {p.code: p.name for p in load_default_catalog()}
BIRTH, MARRIAGE = "1.001193", "1.000894"
NOT_FOUND = "chưa tìm thấy thủ tục"


def shows_only(answer: str, code: str) -> None:
    """The answer is about procedure `code`, and names no other procedure of the catalog."""
    assert NAMES[code] in answer, answer
    others = [n for c, n in NAMES.items() if c != code and n in answer and n not in NAMES[code]]
    assert not others, f"other procedures shown: {others}\n{answer}"


def no_card(answer: str) -> None:
    assert "Mã: " not in answer and NOT_FOUND not in answer, answer
    assert not [n for n in NAMES.values() if n in answer], answer


async def test_follow_ups_answer_from_the_card_shown_last(core):
    conv = Conversation(core)
    shows_only(await conv.say("lam giay khai sinh can gi"), BIRTH)
    steps = [
        ("còn phí thì sao?", "Lệ phí: "),
        ("mất bao lâu", "Thời gian giải quyết: "),
        ("nop o dau", "Nơi nộp hồ sơ: "),
        ("lam online dc ko", "Nộp qua mạng: "),
        ("cần mang gì", "Giấy tờ cần nộp: "),
        ("các bước làm thế nào", "Các bước làm: "),
        ("căn cứ pháp lý", "Căn cứ pháp lý: "),
        ("how much does it cost", "Fee for: "),  # in English, answered in English
    ]
    for said, heading in steps:
        answer = await conv.say(said)
        assert answer.startswith(("💰", "⏱", "📍", "🌐", "📄", "📝", "⚖️")), answer
        name = "Birth registration" if heading == "Fee for: " else NAMES[BIRTH]
        assert heading + name in answer, (said, answer)
        assert "Mã: " not in answer  # the section, not the whole card again
        if name == NAMES[BIRTH]:
            shows_only(answer, BIRTH)
        if name == NAMES[BIRTH]:
            assert "📄 Giấy tờ" in conv.buttons() and "⚖️ Căn cứ pháp lý" in conv.buttons()
    assert "miễn phí" in await conv.say("còn phí thì sao")
    card = await conv.press("Xem cả thủ tục")
    assert "Mã: " + BIRTH in card
    shows_only(card, BIRTH)


async def test_a_follow_up_without_a_card_asks_which_procedure(core):
    conv = Conversation(core)
    for said in ("còn phí thì sao", "mat bao lau", "nộp ở đâu"):
        answer = await conv.say(said)
        assert "Bạn hỏi về thủ tục nào?" in answer, answer
        no_card(answer)


async def test_a_new_topic_starts_a_new_search(core):
    conv = Conversation(core)
    shows_only(await conv.say("đăng ký khai sinh"), BIRTH)
    answer = await conv.say("còn đăng ký kết hôn thì sao")
    assert "Mã: " + MARRIAGE in answer
    shows_only(answer, MARRIAGE)
    shows_only(await conv.say("còn phí thì sao?"), MARRIAGE)  # the context moved with it
    answer = await conv.say("thế còn làm căn cước?")
    assert "Mã: 1.01406" in answer and "căn cước" in answer, answer
    assert NAMES[MARRIAGE] not in answer and NAMES[BIRTH] not in answer


async def test_a_greeting_with_a_question_is_a_question(core):
    conv = Conversation(core)
    answer = await conv.say("xin chào, cho hỏi đăng ký khai sinh cần gì")
    assert "Mã: " + BIRTH in answer
    shows_only(answer, BIRTH)


async def test_everyday_words_get_short_replies_never_not_found(core):
    conv = Conversation(core)
    for said in ("chào bạn", "alo", "xin chào", "hello", "cảm ơn", "ok", "vâng ạ", "tam biet"):
        answer = await conv.say(said)
        no_card(answer)
        assert len(answer.splitlines()) <= 3, answer  # fits on a phone screen
    assert "Hỏi về thủ tục" in " ".join(conv.buttons()) or conv.buttons() == []
    for said in ("bạn là ai", "đồ ngu", "kể chuyện cười đi"):
        answer = await conv.say(said)
        no_card(answer)
        assert "Hỏi về thủ tục" in " ".join(conv.buttons())  # the menu: the next step


async def test_a_dossier_question_without_a_code_leads_to_the_dossier(core):
    conv = Conversation(core)
    answer = await conv.say("hồ sơ của tôi đến đâu rồi")
    no_card(answer)
    assert "căn cước" not in answer.lower()
    assert "mã hồ sơ" in answer.lower() and "📋 Hồ sơ của tôi" in conv.buttons()
    await add_dossier(core)
    await conv.say(CODE)
    assert CODE in await conv.say("ho so cua toi xong chua")  # the one looked at last
    shows_only(await conv.say("còn phí thì sao"), BIRTH)  # the dossier's procedure


async def test_asking_for_a_person_offers_to_pass_it_to_officials(core):
    conv = Conversation(core)
    answer = await conv.say("cho gặp cán bộ")
    no_card(answer)
    assert "chuyển tin nhắn" in answer
    assert "chưa được gửi" in await conv.press("Gửi câu hỏi cho cán bộ")  # issue 18 (2)


async def test_context_survives_a_restart_and_expires(settings):
    first = await open_core(settings)
    try:
        shows_only(await Conversation(first).say("dang ky ket hon"), MARRIAGE)
    finally:
        await first.close()
    core = await open_core(settings)  # a new process: the context is in the store
    try:
        conv, stranger = Conversation(core), Conversation(core, user_id="u2")
        shows_only(await conv.say("mất bao lâu"), MARRIAGE)
        assert "Bạn hỏi về thủ tục nào?" in await stranger.say("mất bao lâu")
        later = utcnow() + timedelta(minutes=31)
        core.recent.now = lambda: later
        answer = await conv.say("mất bao lâu")
        assert "Bạn hỏi về thủ tục nào?" in answer
        no_card(answer)
    finally:
        await core.close()


async def test_deleting_my_data_forgets_what_i_was_shown(core):
    conv = Conversation(core)
    shows_only(await conv.say("dang ky ket hon"), MARRIAGE)
    await conv.say("/xoadulieu")
    await conv.press("🗑")
    await core.recent.flush()
    row = await core.db.fetchone("SELECT count(*) FROM recent_topics")
    assert row[0] == 0
    assert "Bạn hỏi về thủ tục nào?" in await conv.say("mất bao lâu")
