"""Life events through the real stack (real SQLite, the bundled catalog): the ordered group
of procedures, each a button; where the commune is not the place, said honestly."""

from __future__ import annotations

from dialog import Conversation

DEATH_ORDER = ["2.002622", "1.000656", "1.003197", "1.010039", "1.001731", "2.000821"]


def card_codes(conv: Conversation) -> list[str]:
    """Codes of the step buttons (e:EVENT:CODE) in the last replies, in order."""
    return [
        b.action.split(":")[2]
        for r in conv.replies
        for row in r.buttons
        for b in row
        if b.action.startswith("e:") and b.action.count(":") == 2
    ]


async def test_death_in_the_family_gets_the_ordered_group(core):
    conv = Conversation(core)
    for said in (
        "bố em mới mất thì gia đình phải làm những thủ tục gì",
        "bo em moi mat thi gia dinh phai lam nhung thu tuc gi",
    ):
        answer = await conv.say(said)
        assert "Khi gia đình có người mất" in answer
        assert "theo thứ tự" in answer
        codes = card_codes(conv)
        assert codes[: len(DEATH_ORDER)] == DEATH_ORDER
        assert "1.001193" not in codes  # nothing unrelated
        assert answer.index("2. Đăng ký khai tử") < answer.index("5. Hỗ trợ chi phí mai táng")
        # the group first, then the one step to do first: the death registration's card
        assert len(conv.replies) == 2 and "Khi gia đình có người mất" in conv.replies[0].text
        assert "Mã: 1.000656" in conv.replies[1].plain()
        assert "Mã:" not in conv.replies[0].plain()


async def test_a_follow_up_after_the_group_is_about_its_first_step(core):
    conv = Conversation(core)
    await conv.say("bo toi vua mat hom qua")
    answer = await conv.say("vay can mang giay gi")
    assert "Giấy tờ cần nộp: Đăng ký khai tử" in answer
    answer = await conv.say("con phi thi sao")
    assert "Đăng ký khai tử" in answer and "💰" in answer


async def test_a_step_named_in_words_search_is_unsure_of_gets_that_step(core):
    conv = Conversation(core)
    answer = await conv.say("mạ tui mới mất hôm qua, đi khai tử cho mạ thì đem theo chi")
    assert "Giấy tờ cần nộp: Đăng ký khai tử" in answer and len(conv.replies) == 1
    assert any("Khi gia đình có người mất" in label for label in conv.buttons())  # the group


async def test_a_step_button_opens_that_card(core):
    conv = Conversation(core)
    await conv.say("me toi vua qua doi can lam giay to gi")
    answer = await conv.press("2. Đăng ký khai tử")
    assert "1.000656" in answer and "Thời gian và lệ phí" in answer
    answer = await conv.press("↩️ Khi gia đình có người mất")  # back to the group
    assert card_codes(conv)[: len(DEATH_ORDER)] == DEATH_ORDER


async def test_naming_the_procedure_gets_its_card_and_the_group_one_press_away(core):
    conv = Conversation(core)
    answer = await conv.say("bố em mất rồi, làm giấy chứng tử ở đâu")
    # "ở đâu" asks for the place: it comes first (issue 14, point 6)
    assert "1.000656" in answer and "Nơi nộp hồ sơ: Đăng ký khai tử" in answer
    answer = await conv.press("Khi gia đình có người mất")
    assert "theo thứ tự" in answer
    assert card_codes(conv)[: len(DEATH_ORDER)] == DEATH_ORDER


async def test_ordinary_procedure_questions_are_not_taken_as_events(core):
    conv = Conversation(core)
    for said, code in (
        ("đăng ký khai tử", "1.000656"),
        ("lam giay khai sinh cho con mat bao lau", "1.001193"),
        ("cấp lại căn cước mất bao nhiêu tiền", "1.014064"),
    ):
        answer = await conv.say(said)
        assert code in answer and "🧭" not in answer.split("\n")[0], said


async def test_divorce_names_the_court_and_shows_no_commune_card(core):
    conv = Conversation(core)
    answer = await conv.say("vợ chồng em muốn ly hôn thì làm ở xã được không")
    assert "Tòa án nhân dân khu vực" in answer
    assert "Không làm ở Bộ phận Một cửa" in answer
    assert card_codes(conv) == []
    assert "📋" not in answer and "Mã:" not in answer


async def test_passport_says_where_instead_of_a_wrong_card(core):
    conv = Conversation(core)
    answer = await conv.say("lam ho chieu o dau")
    assert "Công an tỉnh" in answer and "Không làm ở Bộ phận Một cửa" in answer
    assert card_codes(conv) == []  # the bundled catalog has no passport procedure


async def test_birth_offers_the_interconnected_groups_first(core):
    conv = Conversation(core)
    await conv.say("nhà em mới sinh em bé thì cần làm thủ tục gì")
    assert card_codes(conv)[:3] == ["2.000986", "2.001023", "1.001193"]


async def test_life_event_in_english(core):
    conv = Conversation(core)
    await conv.say("/lang en")
    answer = await conv.say("my father passed away, what do we need to do")
    assert "When someone in the family dies" in answer
    assert "in the order to do them" in answer
    assert card_codes(conv)[: len(DEATH_ORDER)] == DEATH_ORDER
    assert any(label.startswith("2. Death registration") for label in conv.buttons())
