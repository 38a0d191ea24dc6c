"""Understanding the citizen's own words (issue 14): the age or occasion in a question picks
the sibling, the first answer shows the part asked about, follow-ups in unseen wordings,
long messages, and matters handled elsewhere. Through the real dialog on a real store."""

from __future__ import annotations

import pytest
from conftest import NATIONAL
from dialog import Conversation

from bot.catalog import variants

ADULT_ID, CHILD_ID = "1.014061", "1.014062"


def test_names_and_questions_say_which_sibling():
    assert variants.of_name("Cấp thẻ căn cước cho người dưới 14 tuổi").age_under == 14
    assert variants.of_name("Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên").age_from == 14
    assert variants.of_name("Cấp lại thẻ căn cước").occasion == variants.REISSUE
    assert variants.of_name("Thủ tục đăng ký kết hôn có yếu tố nước ngoài").party == "foreign"
    assert variants.of_question("con toi 15 tuoi lam cccd")[:3] == (15, None, None)
    assert variants.of_question("làm căn cước cho con dưới 14 tuổi")[0] == 13
    assert variants.of_question("bị mất căn cước")[1] == variants.REISSUE
    assert variants.of_question("sắp hết hạn, muốn gia hạn")[1] == variants.EXTEND
    assert variants.of_question("lấy chồng Hàn Quốc")[2] == variants.FOREIGN
    assert variants.of_question("học lớp 10")[0] is None  # a class, not an age
    assert variants.of_question("con tôi làm căn cước")[3] == variants.CHILD


@pytest.mark.parametrize(
    ("said", "code"),
    [
        ("con tôi 16 tuổi làm căn cước", ADULT_ID),
        ("con toi 15 tuoi lam cccd can giay to gi", ADULT_ID),
        ("chau 10 tuoi lam can cuoc", CHILD_ID),
        ("làm căn cước cho bé", CHILD_ID),
        ("lam can cuoc", ADULT_ID),  # nobody named: the writer
    ],
)
async def test_the_age_in_the_question_picks_the_card(core, said, code):
    assert f"Mã: {code}" in await Conversation(core).say(said)


async def test_a_child_without_an_age_is_asked_about_then_the_age_picks(core):
    conv = Conversation(core)
    answer = await conv.say("con tôi muốn làm căn cước")
    assert "bao nhiêu tuổi" in answer and "Mã: " not in answer, answer
    assert {"👤 Dưới 14 tuổi", "👤 Từ 14 tuổi trở lên"} <= set(conv.buttons())
    assert f"Mã: {ADULT_ID}" in await conv.say("15 tuổi")
    # after one version, an age in a short follow-up switches to the other
    assert f"Mã: {CHILD_ID}" in await conv.say("thế còn đứa nhỏ 10 tuổi thì sao")


async def test_the_first_answer_shows_the_part_asked_for(core):
    cases = {
        "làm giấy khai sinh cần giấy tờ gì": "📄 Giấy tờ cần nộp: Đăng ký khai sinh",
        "đăng ký kết hôn làm ở đâu": "📍 Nơi nộp hồ sơ: Đăng ký kết hôn",
        "đăng ký tạm trú mất bao nhiêu tiền": "💰 Lệ phí: Đăng ký tạm trú",
    }
    for n, (said, heading) in enumerate(cases.items()):
        conv = Conversation(core, user_id=f"u{n}")
        answer = await conv.say(said)
        assert answer.startswith(heading) and "Mã: " in answer, (said, answer)
        assert "📋 Xem cả thủ tục" in conv.buttons()
    # the extension's own name asks no deadline ("hạn") nor price ("giá")
    assert (await Conversation(core, "x").say("gia han tam tru")).startswith("📋 Gia hạn tạm trú")


async def test_follow_ups_in_wordings_no_one_listed(core):
    conv = Conversation(core)
    assert "Mã: 1.000894" in await conv.say("đăng ký kết hôn")
    assert (await conv.say("mất bao nhiêu tiền")).startswith("💰 Lệ phí: Đăng ký kết hôn")
    assert (await conv.say("có tốn đồng nào ko a")).startswith("💰 Lệ phí: Đăng ký kết hôn")
    assert (await conv.say("cần đem theo gì ạ")).startswith("📄 Giấy tờ cần nộp: Đăng ký kết hôn")
    assert (await conv.say("trễ hạn có sao ko")).startswith("⏳")
    assert (await conv.say("bà nội đi đăng ký thay được không")).startswith("👤")
    conv = Conversation(core, user_id="u2")
    await conv.say("dang ky thuong tru")
    answer = await conv.say("tầm mấy hôm thì xong vậy")
    assert answer.startswith("⏱ Thời gian giải quyết: Đăng ký thường trú"), answer


async def test_a_long_message_with_context_is_answered(core):
    said = (
        "Dạ em chào anh chị, tháng sau tụi em cưới rồi, muốn đăng ký kết hôn trước đám cưới"
        " thì cần mang những giấy tờ gì ạ? Em cảm ơn"
    )
    answer = await Conversation(core).say(said)
    assert "Mã: 1.000894" in answer and answer.startswith("📄"), answer


async def test_matters_handled_elsewhere_name_where_to_go(core):
    cases = {
        "trợ cấp thất nghiệp làm ở đâu": "Trung tâm Dịch vụ việc làm",
        "tiền điện tháng này tăng vọt, tôi muốn khiếu nại": "Điện lực",
        "vay vốn ngân hàng mua xe thì làm hồ sơ ở đâu": "Ngân hàng",
    }
    for n, (said, where) in enumerate(cases.items()):
        answer = await Conversation(core, user_id=f"e{n}").say(said)
        assert where.lower() in answer.lower() and "Mã: " not in answer, (said, answer)


async def test_unsure_offers_choices_never_a_card(core):
    answer = await Conversation(core).say(
        "nhà bên cạnh lấn sang đất nhà tôi gần 1 mét, tôi muốn xã hòa giải"
    )
    assert "Mã: " not in answer, answer  # a guess is offered as a choice, not as the answer


async def test_a_sentence_in_english_is_answered_in_english(core):
    conv = Conversation(core)
    answer = await conv.say("what papers do I need for a marriage registration?")
    assert answer.startswith("📄 Documents for: Marriage registration"), answer
    assert "Fee for: Marriage registration" in await conv.say("how much does it cost?")
    assert "Xin chào" in await conv.say("hello")  # a word, not a sentence: the chat's language


@pytest.mark.skipif(not NATIONAL.exists(), reason="needs ../shared (the national catalog)")
async def test_the_national_catalog_imported_keeps_these_answers(core):
    from bot.catalog.importer import import_procedures

    await import_procedures(core.db, [NATIONAL])
    await core.reload_index()
    cases = {
        "con tôi 16 tuổi làm căn cước": ADULT_ID,
        "chau 10 tuoi lam can cuoc": CHILD_ID,
        "xin giấy xác nhận cư trú": "1.010041",
        "đổi tên cho con trong giấy khai sinh": "1.004859",
        "gks cho con lam o dau": "1.001193",
    }
    for n, (said, code) in enumerate(cases.items()):
        assert f"Mã: {code}" in await Conversation(core, user_id=f"n{n}").say(said), said
    answer = await Conversation(core, user_id="land").say("lam so do lan dau cho nha minh")
    assert "tổ chức" not in answer.splitlines()[0], answer  # the household's, not a company's
    answer = await Conversation(core, user_id="pink").say("muon lam so hong lan dau cho nha")
    assert "Mã: 1.013978" in answer, answer  # not the revocation of one "đã cấp lần đầu"
    answer = await Conversation(core, user_id="swap").say("cấp đổi sổ đỏ")
    assert answer.startswith("📋 Cấp đổi"), answer
