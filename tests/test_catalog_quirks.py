"""The crawl's quirks on real snippets of national-2026.jsonl.gz (codes cited): a time's unit
from the record's own words, notes kept apart from the papers, a place when none is named."""

from __future__ import annotations

from bot.catalog.national import parse_national_record
from bot.catalog.quirks import NO_UNIT, local_agency, place_from_levels
from bot.i18n import Translator
from handlers.card_facts import fee_section, time_section
from handlers.cards import documents_section

HEAD = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến{n}Miễn phí"
FILINGS = HEAD + "Dịch vụ bưu chính{n}Miễn phíTrực tiếp{n}Miễn phí"
DOCS = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"


def record(code: str, **fields: str) -> dict:
    return {"ma_thu_tuc": code, "ten_thu_tuc": "Thủ tục", "cap_thuc_hien": "Cấp xã", **fields}


def test_a_bare_time_takes_the_unit_the_steps_give_the_same_number():
    # 1.004692: "Trực tuyến5Miễn phí..." and "Trong thời hạn 05 ngày làm việc kể từ ..."
    proc = parse_national_record(
        record(
            "1.004692",
            cach_thuc_thuc_hien=FILINGS.format(n=5),
            trinh_tu_thuc_hien="b) Trong thời hạn 05 ngày làm việc kể từ ngày nhận được hồ sơ"
            " đầy đủ, hợp lệ, cơ quan quản lý",
        )
    )
    assert {(f.time_value, f.time_unit) for f in proc.filings} == {(5, "ngay_lam_viec")}
    assert "5 ngày làm việc" in time_section(Translator("vi"), proc)


def test_a_bare_time_the_record_does_not_explain_says_so_never_a_bare_one():
    # 1.014770: "Trực tuyến1Miễn phí..." but the steps speak of 03 working days
    proc = parse_national_record(
        record(
            "1.014770",
            cach_thuc_thuc_hien=FILINGS.format(n=1),
            trinh_tu_thuc_hien="Trong thời gian không quá 03 ngày làm việc kể từ ngày hồ sơ được"
            " tiếp nhận đầy đủ, hợp lệ, Cục Biển và",
        )
    )
    assert {(f.time_value, f.time_unit) for f in proc.filings} == {(1, None)}
    assert {f.time_text for f in proc.filings} == {NO_UNIT.format(n=1)}
    shown = time_section(Translator("vi"), proc)
    assert ": 1 (Cổng Dịch vụ công không ghi đơn vị thời gian)" in shown
    assert not any(line.endswith(": 1") for line in shown.splitlines())


def test_a_year_in_the_steps_is_not_taken_for_the_processing_time():
    proc = parse_national_record(
        record("1.000001", cach_thuc_thuc_hien=HEAD.format(n=1), yeu_cau_dieu_kien="có hạn 01 năm")
    )
    assert proc.filings[0].time_unit is None


def test_notes_and_zero_copies_are_not_papers_to_bring():
    # 1.001193 (birth registration): "0 bản chính" remarks and the "* Lưu ý:" table
    documents = (
        "* Giấy tờ phải nộp:" + DOCS + "- Giấy chứng sinh; trường hợp không có Giấy chứng sinh"
        " thì nộp văn bản của người làm chứng xác nhận về việc sinh.1 bản chính"
        "Trường hợp người yêu cầu đã nộp bản điện tử Giấy chứng sinh hoặc cơ quan đăng ký hộ"
        " tịch đã khai thác được dữ liệu điện tử có ký số của Giấy chứng sinh thì không phải nộp"
        " bản giấy.0 bản chính* Lưu ý:" + DOCS + "- Cá nhân có quyền lựa chọn thực hiện thủ tục"
        " hành chính về hộ tịch tại cơ quan đăng ký hộ tịch nơi cư trú.0 bản chính"
        "Đối với việc xác định họ, dân tộc, quê quán, đặt tên cho trẻ:0 bản chính"
    )
    proc = parse_national_record(record("1.001193", thanh_phan_ho_so=documents))
    assert [(d.name[:16], d.count) for d in proc.documents] == [("Giấy chứng sinh;", "1 bản chính")]
    assert [n[:24] for n in proc.notes] == [
        "Trường hợp người yêu cầu",
        "Cá nhân có quyền lựa chọ",
    ]  # "Đối với việc xác định họ ...:" heads items the crawl put elsewhere: dropped
    shown = documents_section(Translator("vi"), proc)
    assert "0 bản chính" not in shown and "<b>Lưu ý</b>" in shown
    assert shown.index("Giấy chứng sinh") < shown.index("Lưu ý")


def test_a_paper_with_zero_copies_stays_a_paper_without_the_count():
    # 1.007854: "Giấy phép xuất khẩu ... lần đầu.0 bản chính"
    documents = (
        DOCS + "Giấy phép xuất khẩu hoặc văn bản cho phép xuất khẩu của cơ quan có thẩm quyền:"
        "  + Nếu xuất khẩu một lần: 01 bản chính;  Nếu xuất khẩu nhiều lần: 01 bản chính khi"
        " xuất khẩu lần đầu.0 bản chính"
    )
    proc = parse_national_record(record("1.007854", thanh_phan_ho_so=documents))
    assert [(d.name[:19], d.count) for d in proc.documents] == [("Giấy phép xuất khẩu", "")]
    assert proc.notes == []


def test_the_place_when_the_record_names_no_agency():
    # 1.001193: "Cơ quan thực hiện: Không có thông tin", level "Cấp xã"
    proc = parse_national_record(record("1.001193", co_quan_thuc_hien="Không có thông tin"))
    assert proc.agency == "UBND cấp xã (Bộ phận Một cửa)"
    named = parse_national_record(record("1.000002", co_quan_thuc_hien="Công an cấp Xã"))
    assert named.agency == "Công an cấp Xã"
    assert place_from_levels(["tinh", "bo"]).startswith("Cơ quan cấp tỉnh")
    assert place_from_levels(["khac"]) == ""


def test_the_fee_note_without_the_cells_amount_in_thousands():
    # 3.000349: "Trực tiếp..135 VNĐ(Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.)"
    cell = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp10 Ngày làm việc135 VNĐ"
    proc = parse_national_record(
        record(
            "3.000349",
            cach_thuc_thuc_hien=cell + "(Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.)",
        )
    )
    assert (proc.filings[0].fee_amount, proc.filings[0].fee_text) == (
        135_000,
        "Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.",
    )
    assert "135 VNĐ" not in fee_section(Translator("vi"), proc)


def test_the_portals_free_default_is_not_shown_over_a_note_that_lists_fees():
    # 3.000346 (driving licence): "Trực tuyến7 NgàyMiễn phí(- Phí sát hạch lái xe: ...)"
    cell = (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến7 NgàyMiễn phí(- Phí sát hạch lái xe:"
        "  + Đối với thi sát hạch lái xe các hạng xe A1, A, B1: Sát hạch lý thuyết: 60.000"
        " đồng/lần. - Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.)"
    )
    filing = parse_national_record(record("3.000346", cach_thuc_thuc_hien=cell)).filings[0]
    assert filing.fee_amount is None and filing.fee_text.startswith("- Phí sát hạch lái xe:")


def test_a_provincial_body_of_the_publishing_province_is_this_provinces():
    # 1.008926 "Sở Tư pháp Thành phố Hà Nội", 1.013467 "Sở Xây dựng - tỉnh Quảng Ninh"
    hanoi = parse_national_record(
        record(
            "1.008926", cap_thuc_hien="Cấp tỉnh", co_quan_thuc_hien="Sở Tư pháp Thành phố Hà Nội"
        )
    )
    assert hanoi.agency == "Sở Tư pháp"
    assert local_agency("Sở Xây dựng - tỉnh Quảng Ninh") == "Sở Xây dựng"
    assert local_agency("Ủy ban nhân dân cấp tỉnh") == "Ủy ban nhân dân cấp tỉnh"
    assert local_agency("Ngân hàng Nhà nước chi nhánh thành phố Hồ Chí Minh").endswith("Minh")


def test_free_is_not_claimed_over_a_note_that_says_the_province_sets_the_fee():
    # 1.000094: "Trực tuyến3Miễn phí(Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh ...)"
    note = (
        "Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương quyết"
        " định. Miễn lệ phí cho người thuộc gia đình có công với cách mạng; người thuộc hộ"
        " nghèo; người khuyết tật."
    )
    cell = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến3Miễn phí(" + note + ")"
    filing = parse_national_record(record("1.000094", cach_thuc_thuc_hien=cell)).filings[0]
    assert (filing.fee_amount, filing.fee_text) == (None, note)
    # "Miễn phí(Không có)" stays free and says it once
    free = HEAD.format(n=1).replace("Miễn phí", "Miễn phí(Không có)")
    kept = parse_national_record(record("1.000016", cach_thuc_thuc_hien=free))
    assert kept.filings[0].fee_amount == 0
    assert "Miễn phí" not in fee_section(Translator("vi"), kept)  # "miễn phí", once


def test_a_fee_under_a_thousand_dong_with_nothing_to_confirm_it_says_so():
    # 1.006429: "Trực tuyến120 VNĐ" is time 1, fee "20 VNĐ" (the portal's thousands, or a slip)
    cell = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến120 VNĐ"
    filing = parse_national_record(record("1.006429", cach_thuc_thuc_hien=cell)).filings[0]
    assert filing.fee_amount is None
    assert (
        filing.fee_text
        == "20 VNĐ theo Cổng Dịch vụ công (có lẽ là 20.000 đồng; hỏi Bộ phận Một cửa)"
    )
