"""What citizens and officials tripped on when they used the bot as a conversation
(issue 10, tried turn by turn in `motcua chat`): each test is one such trip, through the
real stack on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import working_day
from dialog import Conversation

from bot.feedback import Draft

BIRTH_FEE_NOTE = "Miễn lệ phí khi khai sinh đúng hạn"
LAND = "1.013978"  # first land certificate: three times, one fee note


# --- dossier codes typed almost right ---------------------------------------------------------


async def test_an_almost_dossier_code_says_what_is_wrong_in_plain_words(core):
    conv = Conversation(core)
    cases = {
        "000.00.06.H56-231027": "Còn thiếu số thứ tự ở cuối",
        "hồ sơ 000.00.06.H56-231327-0361": "Phần ngày ở giữa",
        "ho so 231027-0361": "Còn thiếu mã cơ quan ở đầu",
        "000.00.06.H56-231027-03610": "phải có 4 chữ số",
    }
    for said, words in cases.items():
        answer = await conv.say(said)
        assert "chưa đúng dạng mã hồ sơ" in answer and words in answer, (said, answer)
        assert "_" not in answer, answer  # never a raw key such as missing_number


# --- follow-ups after a life event ------------------------------------------------------------


async def test_a_follow_up_after_a_life_event_asks_which_of_its_procedures(core):
    conv = Conversation(core)
    assert "Mã: 1.001193" in await conv.say("lam giay khai sinh")
    # moving house leaves it open (permanent or temporary residence?): no first step
    assert "🧭" in await conv.say("nhà em mới chuyển nhà sang xã khác thì phải làm gì")
    answer = await conv.say("còn phí thì sao?")
    assert "Bạn hỏi về thủ tục nào?" in answer
    assert "Đăng ký khai sinh" not in answer  # not the card shown before the event
    assert any(label.startswith("1. Đăng ký thường trú") for label in conv.buttons())
    answer = await conv.press("1. Đăng ký thường trú")
    assert "Lệ phí: Đăng ký thường trú" in answer and "Mã: " not in answer
    answer = await conv.say("mat bao lau")  # and the conversation goes on about it
    assert "Thời gian giải quyết: Đăng ký thường trú" in answer


async def test_a_follow_up_after_a_death_is_about_the_death_registration(core):
    conv = Conversation(core)
    assert "Mã: 1.001193" in await conv.say("lam giay khai sinh")
    assert "Khi gia đình có người mất" in await conv.say("bố em mới mất thì làm gì")
    answer = await conv.say("còn phí thì sao?")  # the step to do first, shown with the group
    assert "Lệ phí: Đăng ký khai tử" in answer and "khai sinh" not in answer


async def test_a_step_opened_from_a_life_event_is_what_follow_ups_refer_to(core):
    conv = Conversation(core)
    await conv.say("lam giay khai sinh")
    await conv.say("bo e moi mat")
    assert "Mã: 1.000656" in await conv.press("2. Đăng ký khai tử")
    answer = await conv.say("con phi thi sao")
    assert "Lệ phí: Đăng ký khai tử" in answer and "khai sinh" not in answer


async def test_an_elderly_parent_then_what_to_bring(core):
    conv = Conversation(core)
    assert "Trợ cấp xã hội hằng tháng" in await conv.say("mẹ em 80 tuổi có được trợ cấp không")
    answer = await conv.say("cần mang gì")  # about the allowance, the group's first step
    assert answer.startswith("📄") and "Giấy tờ cần nộp" in answer
    assert "trợ cấp xã hội hàng tháng" in answer


# --- cards that fit on a phone ----------------------------------------------------------------


async def test_a_card_says_a_time_and_fee_shared_by_every_way_of_filing_once(core):
    conv = Conversation(core)
    card = await conv.say("lam giay khai sinh")
    assert card.count(BIRTH_FEE_NOTE) == 1, card
    assert "Nộp trực tiếp, Nộp trực tuyến, Qua bưu chính: 1 ngày làm việc · miễn phí" in card
    land = await conv.say(LAND)
    fee = "hỏi Bộ phận Một cửa"
    assert land.count(fee) == 1 and "• Lệ phí: " in land, land
    for way in ("Nộp trực tiếp: 27", "Nộp trực tuyến: 17", "Qua bưu chính: 20"):
        assert way in land, land


async def test_where_to_file_does_not_repeat_the_level(core):
    conv = Conversation(core)
    await conv.say("lam giay khai sinh")
    answer = await conv.say("nộp ở đâu")
    assert "Nơi làm: UBND cấp xã" in answer and "\nCấp xã" not in answer, answer


async def test_follow_up_answers_say_what_to_do_next(core):
    conv = Conversation(core)
    await conv.say("dang ky tam tru")
    for said in ("phí bn", "mất bao lâu", "nộp ở đâu", "lam online dc ko"):
        answer = await conv.say(said)
        assert "👉" in answer and "Đăng ký tạm trú" in answer, (said, answer)


async def test_english_follow_ups_name_the_procedure_in_english(core):
    conv = Conversation(core)
    await conv.say("/lang en")
    await conv.say("how do I register a birth")
    answer = await conv.say("fee?")
    assert "Fee for: Birth registration" in answer and "Đăng ký khai sinh" not in answer
    answer = await conv.say("where do I file")
    assert "Where to file: Birth registration" in answer
    assert "UBND cấp xã (in Vietnamese)" in answer


# --- how citizens ask ------------------------------------------------------------------------


async def test_more_ways_of_asking_a_follow_up(core):
    conv = Conversation(core)
    await conv.say("lam giay khai sinh")
    headings = {
        "can chuan bi nhung gi": "Giấy tờ cần nộp",
        "cần chuẩn bị những gì": "Giấy tờ cần nộp",
        "mẫu tờ khai ở đâu": "Giấy tờ cần nộp",
        "lâu không": "Thời gian giải quyết",
        "làm qua điện thoại được không": "Nộp qua mạng",
        "luật nào quy định": "Căn cứ pháp lý",
        "điều kiện là gì": "Ai được làm, điều kiện",  # its own part since issue 14
        "được nhận gì": "Các bước làm",
    }
    for said, heading in headings.items():
        answer = await conv.say(said)
        assert heading + ": Đăng ký khai sinh" in answer, (said, answer)


async def test_a_surprised_word_is_not_a_question_search_cannot_answer(core):
    answer = await Conversation(core).say("ủa")
    assert "chưa tìm thấy thủ tục" not in answer and "Bạn gõ câu hỏi" in answer


# --- the feedback form ------------------------------------------------------------------------


async def test_feedback_written_at_the_dossier_step_is_kept(core):
    conv = Conversation(core)
    await conv.say("/phananh")
    await conv.press("Đề xuất")
    await conv.press("UBND xã Hương Khê")
    text = "Đề nghị xã mở cửa thêm sáng thứ Bảy để người đi làm xa nộp hồ sơ"
    answer = await conv.say(text)
    assert "Không có mã hồ sơ" in answer and "Bước 5" in answer, answer
    await conv.press("Tiếp")
    await conv.press("Gửi ẩn danh")
    summary = await conv.press("Không")
    assert text in summary, summary


# --- officials --------------------------------------------------------------------------------


async def test_the_answer_usage_addresses_the_citizen_as_ban(core):
    await core.officials.add("terminal", "officer", "official", "18496", "Chị Hoa")
    answer = await Conversation(core, user_id="officer").say("/traloi")
    assert "ông/bà" not in answer and "Chào bạn" in answer


async def test_overdue_feedback_says_how_to_answer(core):
    await core.officials.add("terminal", "boss", "leader", None)
    long_text = "Đường vào thôn bị sạt lở từ tháng trước, đề nghị xã sửa chữa sớm giúp bà con."
    await core.feedback.submit(
        Draft("terminal", "dan", "dan", "de_xuat", "18496", long_text),
        datetime.now(UTC) - timedelta(days=60),
    )
    answer = await Conversation(core, user_id="boss").say("/phananhquahan")
    assert "PAKN-" in answer and "…" in answer and long_text not in answer
    assert "👉 Để trả lời: /traloi" in answer


# --- round 2: complaints, waiting, an elderly citizen about themself ---------------------------


async def test_wanting_to_complain_offers_the_feedback_form(core):
    for said in (
        "tôi muốn khiếu nại",
        "toi muon phan anh can bo",
        "góp ý",
    ):
        conv = Conversation(core, user_id=f"c{len(said)}")
        answer = await conv.say(said)
        assert "chưa tìm thấy thủ tục" not in answer and "phản ánh" in answer, (said, answer)
        assert "Bước 1" in await conv.press("Gửi phản ánh")
    # issue 18 (5): the words name the topic: the form opens with it chosen
    answer = await Conversation(core, user_id="h").say("cán bộ xã hách dịch quá")
    assert "Thái độ, nhũng nhiễu" in answer and "Bước 2" in answer, answer
    # a question about complaints is a question, not a wish to send one
    answer = await Conversation(core, user_id="q").say("khiếu nại với tố cáo khác gì nhau vậy")
    assert "Bạn có thể gửi phản ánh" not in answer, answer
    # a procedure named with it is still the procedure's card
    answer = await Conversation(core, user_id="p").say("góp ý, cho hỏi đăng ký khai sinh cần gì")
    assert "Mã: 1.001193" in answer


async def test_why_so_long_is_about_the_dossier(core):
    answer = await Conversation(core).say("sao lâu vậy")
    assert "mã hồ sơ" in answer and "Mã: " not in answer, answer


async def test_an_elderly_citizen_asking_for_themself_gets_the_elderly_group(core):
    conv = Conversation(core)
    said = (
        "cháu ơi bác năm nay 75 tuổi rồi không có lương hưu thì có được nhận tiền trợ cấp gì không"
    )
    answer = await conv.say(said)
    assert "Khi bố mẹ, ông bà đã già" in answer and "tử tuất" not in answer, answer


# --- round 3: English dossier cards, an empty feedback list -----------------------------------


async def test_an_english_dossier_card_names_the_procedure_in_english(core):
    from test_dialog_dossiers import CODE, add_dossier

    await add_dossier(core)
    conv = Conversation(core)
    await conv.say("/lang en")
    answer = await conv.say(CODE)
    assert "Procedure: Birth registration" in answer and "Đăng ký khai sinh" not in answer
    await conv.say("/lang vi")
    assert "Thủ tục: Đăng ký khai sinh" in await conv.say(CODE)


async def test_an_empty_feedback_list_says_how_to_send_one(core):
    conv = Conversation(core)
    answer = await conv.say("/phananhcuatoi")
    assert "Bạn chưa gửi phản ánh nào" in answer and "👉" in answer
    assert "Bước 1" in await conv.press("Gửi phản ánh")


# --- round 4: "mất" before a time, the desk's phone and hours ----------------------------------


async def test_lost_is_not_read_into_how_long_it_takes(core):
    conv = Conversation(core)
    await conv.say("dang ky ket hon")
    for said in ("mat may ngay", "mất bao nhiêu ngày"):
        answer = await conv.say(said)
        assert "Thời gian giải quyết: Đăng ký kết hôn" in answer, (said, answer)
        assert "căn cước" not in answer


async def test_the_desks_phone_or_hours_offer_the_officials_not_a_card(core):
    for said in ("số điện thoại của xã", "mấy giờ mở cửa", "thu 7 co lam viec khong"):
        answer = await Conversation(core, user_id=f"h{len(said)}").say(said)
        assert "cán bộ" in answer and "Mã: " not in answer, (said, answer)
        assert "chưa tìm thấy thủ tục" not in answer
    answer = await Conversation(core, user_id="shop").say("muốn mở cửa hàng tạp hóa")
    assert "Khi mở quán, mở cửa hàng" in answer  # opening a shop is still the event


async def test_an_apology_dated_too_early_is_refused_in_the_officials_language(core):
    from test_dialog_dossiers import CODE, add_dossier

    await add_dossier(core, due_in_days=-3)
    await core.officials.add("terminal", "officer", "official", "18496", "Chị Hoa")
    official = Conversation(core, user_id="officer")
    answer = await official.say(f"/xinloi {CODE} 01/01/2020 Chờ xác minh")
    assert "Ngày hẹn mới phải sau ngày hẹn hiện tại" in answer and "/xinloi" in answer
    assert "must be later" not in answer
    await official.say(f"/hoso {CODE} 10")
    later = working_day(core.calendar)
    answer = await official.say(f"/xinloi {CODE} {later} Chờ xác minh")
    assert "đã kết thúc" in answer and "finished" not in answer


async def test_a_comment_typed_without_pressing_write_is_recorded(core):
    from test_dialog_dossiers import CODE, add_dossier
    from test_dialog_ratings import returned, verified_owner

    await add_dossier(core, status=9)
    owner = await verified_owner(core)
    await returned(core)
    await owner.say(f"/danhgia {CODE}")
    await owner.press("Rất hài lòng")
    await owner.press("1 lần")
    await owner.press("Tận tình")
    offer = await owner.press("Đúng hẹn")
    assert "góp ý" in offer and "👉" in offer
    answer = await owner.say("Cán bộ hướng dẫn rất nhiệt tình")
    assert "đã được ghi nhận" in answer and "chưa tìm thấy thủ tục" not in answer
    assert (await core.ratings.get(CODE)).comment == "Cán bộ hướng dẫn rất nhiệt tình"


async def test_which_procedure_gives_an_english_example_in_english(core):
    conv = Conversation(core)
    await conv.say("/lang en")
    answer = await conv.say("fee?")
    assert "Which procedure do you mean?" in answer and '"birth registration"' in answer
    assert "dang ky" not in answer


async def test_no_officials_group_is_said_without_english(core):
    conv = Conversation(core)
    await conv.say("cho gặp cán bộ")
    answer = await conv.press("Gửi câu hỏi cho cán bộ")
    assert "chưa chuyển được câu hỏi" in answer and "chat" not in answer.lower()


async def test_a_life_event_after_a_dossier_is_what_a_follow_up_refers_to(core):
    from test_dialog_dossiers import CODE, add_dossier

    await add_dossier(core)  # a birth registration dossier
    conv = Conversation(core)
    assert "Đăng ký khai sinh" in await conv.say(CODE)
    await conv.say("bố em mới mất")
    answer = await conv.say("còn phí thì sao")  # about the death's first step, not the dossier
    assert "Lệ phí: Đăng ký khai tử" in answer and "khai sinh" not in answer, answer


async def test_a_dossier_looked_up_after_a_card_is_what_a_follow_up_refers_to(core):
    from test_dialog_dossiers import CODE, add_dossier

    await add_dossier(core)  # a birth registration dossier
    conv = Conversation(core)
    assert "Mã: 1.000894" in await conv.say("dang ky ket hon")
    await conv.say(CODE)
    answer = await conv.say("còn phí thì sao")
    assert "Lệ phí: Đăng ký khai sinh" in answer and "kết hôn" not in answer, answer


async def test_a_thumbs_up_is_thanks(core):
    conv = Conversation(core)
    for said in ("👍", "🙏🙏", "👍🏻"):
        assert "Rất vui được giúp bạn" in await conv.say(said), said
    assert "bằng chữ" in await conv.say("???")  # other signs still ask for words


async def test_english_ways_of_asking_that_missed(core):
    expected = {
        "can I talk to someone": "I can pass your message",
        "household business registration": "Household business registration",
        "marriage status certificate": "Certificate of marital status",
        "move my residence": "When you move house",
    }
    for n, (said, heading) in enumerate(expected.items()):
        conv = Conversation(core, user_id=f"en{n}")
        await conv.say("/lang en")
        answer = await conv.say(said)
        assert heading in answer.splitlines()[0], (said, answer)


async def test_an_apology_on_a_day_off_is_refused_before_sending_and_sunday_is_spelled_right(
    core,
):
    """Issue 18 (4): a Sunday was accepted, the citizen notified, then the official warned."""
    from test_dialog_dossiers import CODE, add_dossier

    await add_dossier(core, due_in_days=-3)
    await core.officials.add("terminal", "officer", "official", "18496", "Chị Hoa")
    day = datetime.now(UTC).date() + timedelta(days=7)
    while day.weekday() != 6 or core.calendar.is_working_day(day):
        day += timedelta(days=1)
    answer = await Conversation(core, user_id="officer").say(
        f"/xinloi {CODE} {day:%d/%m/%Y} Chờ xác minh"
    )
    assert "Đã ghi phiếu xin lỗi" not in answer and "không phải ngày làm việc" in answer, answer
    assert f"Chủ nhật, {day:%d/%m/%Y}" in answer and "chủ Nhật" not in answer
    assert f"{core.calendar.add_working_days(day, 1):%d/%m/%Y}" in answer  # the next one
    assert await core.dossiers.apologies(CODE) == []
    assert (await core.db.fetchone("SELECT COUNT(*) FROM outbox"))[0] == 0


async def test_making_an_id_card_is_the_adults_card_unless_a_child_is_named(core):
    assert "Mã: 1.014061" in await Conversation(core, user_id="a").say("lam can cuoc")
    answer = await Conversation(core, user_id="b").say("làm căn cước cho bé")
    assert "Mã: 1.014062" in answer


async def test_asking_more_tomorrow_is_a_goodbye(core):
    answer = await Conversation(core).say("thôi để mai em hỏi tiếp nhé")
    assert "tạm biệt" in answer.lower() and "chưa tìm thấy thủ tục" not in answer, answer


async def test_a_follow_up_on_a_matter_the_commune_does_not_handle_says_where(core):
    conv = Conversation(core)
    await conv.say("ly hôn")
    answer = await conv.say("phí bao nhiêu")
    assert "Tòa án nhân dân khu vực" in answer and "Bạn hỏi về thủ tục nào?" not in answer
    assert "Khi muốn ly hôn" in " ".join(conv.buttons())


async def test_registering_a_spouse_in_the_household_is_permanent_residence(core):
    answer = await Conversation(core).say("nhập hộ khẩu cho chồng")
    assert "Mã: 1.004222" in answer and "Liên thông" not in answer.splitlines()[0]


async def test_the_online_answer_shows_its_globe_once(core):
    conv = Conversation(core)
    await conv.say("dang ky ket hon")
    answer = await conv.say("lam online dc ko")
    assert answer.startswith("🌐 Nộp qua mạng") and answer.count("🌐") == 1, answer


async def test_stats_for_a_desk_with_enough_ratings_skip_the_too_few_note(tmp_path):
    import dataclasses

    from conftest import make_settings

    from bot.core import open_core
    from bot.demo import build_demo

    settings = make_settings(tmp_path)
    demo = tmp_path / "demo.sqlite3"
    await build_demo(settings, demo, role="official")  # the desk of UBND xã Hương Khê
    core = await open_core(dataclasses.replace(settings, db_path=demo))
    try:
        answer = await Conversation(core, user_id="local").say("/thongke")
        assert "UBND xã Hương Khê" in answer and "ít nhất 20 đánh giá" not in answer, answer
    finally:
        await core.close()


async def test_chat_spelling_for_no_longer_needed_and_no_answer(core):
    expected = {
        "ko can nua": "tạm biệt",
        "sao k tra loi": "chuyển tin nhắn của bạn tới cán bộ",
        "lam j bay gio": "Bạn gõ câu hỏi",
    }
    for n, (said, words) in enumerate(expected.items()):
        answer = await Conversation(core, user_id=f"t{n}").say(said)
        assert words in answer and "chưa tìm thấy thủ tục" not in answer, (said, answer)


async def test_rating_an_unknown_dossier_says_what_to_do(core):
    answer = await Conversation(core).say("/danhgia 000.00.06.H56-231027-9999")
    assert "Không tìm thấy hồ sơ" in answer and "👉" in answer


async def test_a_short_question_search_cannot_place_is_about_the_card_shown(core):
    conv = Conversation(core)
    assert "Mã: 1.001193" in await conv.say("lam giay khai sinh")
    answer = await conv.say("chiều nay đi được không")  # nothing search knows: the card in context
    assert "Mã: 1.001193" in answer and "gõ tên thủ tục" in answer
    fresh = Conversation(core, user_id="u2")  # with no card shown, it is not found, never a guess
    assert "Mã:" not in await fresh.say("chiều nay đi được không")


async def test_a_new_situation_or_initials_after_a_card_is_a_new_topic(core):
    conv = Conversation(core)
    assert "Mã: 1.000894" in await conv.say("đăng ký kết hôn")
    answer = await conv.say("mẹ tôi 82 tuổi có được trợ cấp không")  # not the marriage's
    assert "Đăng ký kết hôn" not in answer and "trợ cấp xã hội" in answer.lower()
    assert "Mã: 1.001193" in await conv.say("lam giay khai sinh")
    answer = await conv.say("cccd mat bao lau")  # initials name the ID card, not the birth
    assert "căn cước" in answer.lower() and "khai sinh" not in answer.lower()
    answer = await conv.say("chiều nay đi được không")  # "chiều" is not "hộ chiếu"
    assert "hộ chiếu" not in answer
