"""Parsing the messy national portal fields, on real records and on small crafted strings."""

from __future__ import annotations

import gzip
import json
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from bot.catalog import csv_lists
from bot.catalog.fields import (
    clean_result,
    online_level,
    parse_documents,
    parse_fee,
    parse_filings,
    parse_legal,
    parse_time,
    split_steps,
    strip_chrome,
)
from bot.catalog.model import (
    IN_PERSON,
    LEVEL_COMMUNE,
    LEVEL_MINISTRY,
    LEVEL_OTHER,
    LEVEL_PROVINCE,
    ONLINE,
    ONLINE_FULL,
    ONLINE_PARTIAL,
    POSTAL,
)
from bot.catalog.national import RejectedRecord, parse_national_record

NATIONAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "procedures"
NATIONAL = NATIONAL / "national-2026.jsonl.gz"
needs_data = pytest.mark.skipif(not NATIONAL.exists(), reason="shared national data missing")


@cache
def raw_records() -> dict[str, dict]:
    with gzip.open(NATIONAL, "rt", encoding="utf-8") as handle:
        records = (json.loads(line) for line in handle)
        return {r["ma_thu_tuc"]: r for r in records}


def real(code: str):
    return parse_national_record(raw_records()[code])


# --- real records ---------------------------------------------------------


@needs_data
def test_complaint_record_is_fully_parsed():
    p = real("1.000178")
    assert p.levels == [LEVEL_MINISTRY] and p.field == "Khiếu nại, tố cáo"
    assert [f.channel for f in p.filings] == [POSTAL, IN_PERSON]
    postal = p.filings[0]
    assert (postal.time_value, postal.time_unit) == (60, "ngay_lam_viec")
    assert postal.fee_amount is None and postal.fee_text == ""  # "Không có thông tin"
    assert postal.description.startswith("Thời hạn giải quyết khiếu nại lần đầu không quá 30 ngày")
    assert len(p.documents) == 8 and {d.count for d in p.documents} == {"1 bản chính"}
    assert p.documents[0].name == "Tài liệu, chứng cứ do các bên cung cấp"
    assert [d.number for d in p.legal_basis] == [
        "68/2013/TT-BCA",
        "02/2011/QH13",
        "11/2015/TT-BCA",
        "05/2012/NĐ-CP",
    ]
    assert p.legal_basis[1].title == "Luật Khiếu nại năm 2011"
    assert p.legal_basis[3].title == "Nghị định 05/2012/NĐ-CP"
    assert len(p.steps) == 5 and p.steps[0].startswith("Bước 1: Thụ lý giải quyết khiếu nại")
    assert p.result == "Quyết định giải quyết khiếu nại lần 1, lần 2"
    assert (p.filings_text, p.documents_text, p.legal_text) == ("", "", "")
    assert p.online_level is None and p.source == "national"


@needs_data
def test_free_fee_forms_and_repeated_document_numbers():
    p = real("1.001651")
    assert {(f.time_value, f.time_unit, f.fee_amount) for f in p.filings} == {(10, "ngay", 0)}
    assert [d.number for d in p.legal_basis] == ["73/2025/TT-NHNN", "32/2024/QH15"]
    assert p.legal_basis[1].title == "Luật Các tổ chức tín dụng"
    assert p.documents[-1].form == "Phụ lục VIII.docx"
    assert p.documents[-1].name.startswith("Văn bản đề nghị chấp thuận tạm ngừng giao dịch")


@needs_data
def test_missing_unit_and_fee_in_thousands():
    # "Trực tuyến1100 VNĐ(Phí công bố ...: 100.000 đồng/lần ...)": time 1 with no unit;
    # the steps say "Trong thời hạn 01 ngày làm việc", so the unit is inferred (quirks.py)
    p = real("2.002009")
    online = p.filings[0]
    assert (online.channel, online.time_value, online.time_unit) == (ONLINE, 1, "ngay_lam_viec")
    assert online.fee_amount == 100_000
    # the cell's "100 VNĐ" is dropped before its note (quirks.tidy_fee_text)
    assert online.fee_text.startswith("Phí công bố nội dung")
    groups = {d.group for d in p.documents}
    assert any(g.startswith("Trường hợp ủy quyền cho cá nhân") for g in groups)
    # "Dịch vụ bưu chính1Miễn phí(Không có)": no unit, and the note does not make it paid
    assert {(f.time_value, f.time_unit, f.fee_amount) for f in real("1.000016").filings} == {
        (1, None, 0)
    }


@needs_data
def test_units_and_currencies():
    assert real("1.007855").filings[0].time_unit == "gio"
    assert real("1.007855").filings[0].fee_amount == 20_000  # "20 VNĐ (20.000 đ/tờ khai ...)"
    months = real("1.001010").filings[0]
    assert (months.time_value, months.time_unit, months.fee_amount) == (6, "thang", None)
    assert months.fee_text == "100 USD (100 USD/thẻ.)"
    assert real("1.009530").filings[0].fee_amount == 10_000_000


@needs_data
def test_online_level_levels_chrome_and_nfd():
    assert real("1.013080").online_level == ONLINE_FULL
    assert real("1.013067").online_level == ONLINE_PARTIAL
    assert real("1.000916").requirements == ""  # only "Không có thông tin" + page chrome
    raw = raw_records()["1.002549"]
    assert unicodedata.is_normalized("NFC", raw["ten_thu_tuc"]) is False
    p = real("1.002549")
    assert unicodedata.is_normalized("NFC", p.name) and len(p.documents) == 3
    assert (p.filings[0].time_value, p.filings[0].time_unit) == (7, "ngay_lam_viec")
    assert real("1.014951").documents == [] and real("1.014951").documents_text == ""
    assert real("2.000908").levels == [LEVEL_COMMUNE, LEVEL_PROVINCE, LEVEL_MINISTRY, LEVEL_OTHER]


# --- crafted strings --------------------------------------------------------

HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"


def test_filings_run_together():
    filings, complete = parse_filings(HEADER + "Trực tuyến1Miễn phíTrực tiếp1Miễn phí")
    assert complete
    assert [(f.channel, f.time_value, f.time_unit, f.fee_amount) for f in filings] == [
        (ONLINE, 1, None, 0),
        (IN_PERSON, 1, None, 0),
    ]
    text = HEADER + "Dịch vụ bưu chính60 Ngày làm việcKhông có thông tinThời hạn 30 ngày."
    (postal,), _ = parse_filings(unicodedata.normalize("NFD", text))
    assert (postal.channel, postal.time_value, postal.time_unit) == (POSTAL, 60, "ngay_lam_viec")
    assert (postal.fee_amount, postal.description) == (None, "Thời hạn 30 ngày.")
    filings, complete = parse_filings(HEADER + "Nộp tại quầy")
    assert (filings, complete) == ([], False)


def test_fee_and_time_cells():
    assert parse_fee("Lệ phí : 50.000 Đồng") == 50_000
    assert parse_fee("70,000 VNĐ") == 70_000
    assert parse_fee("Miễn phí") == 0
    assert parse_fee("Miễn phí", "(Không quy định)") == 0
    assert parse_fee("Miễn phí", "(Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định)") is None
    assert parse_fee("40 VNĐ", "(40.000 đồng/giấy)") == 40_000
    assert parse_fee("40 VNĐ") is None  # thousands or not: unsure
    assert parse_fee("10 USD") is None and parse_fee("Theo quy định") is None
    assert parse_time("60 Ngày làm việc") == (60, "ngay_lam_viec")
    assert parse_time("3 Năm") == (3, "nam") and parse_time("15 Ngày") == (15, "ngay")
    assert parse_time("1") == (1, None) and parse_time("Không quy định") == (None, None)


def test_documents_counts_forms_and_cases():
    text = (
        "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai theo mẫuMau01.docx"
        "1 bản chínhBản sao giấy tờ tùy thân theo Mẫu số 180 bản chính,1 bản sao"
        "Trường hợp ủy quyềnTên giấy tờMẫu đơn, tờ khaiSố lượng"
        "Văn bản ủy quyền (01 bản chính hoặc bản sao)Bản chính: 1 - Bản sao: 0"
    )
    docs, complete = parse_documents(text)
    assert complete
    assert [(d.name, d.form, d.count, d.group) for d in docs] == [
        ("Tờ khai theo mẫu", "Mau01.docx", "1 bản chính", "Giấy tờ phải nộp"),
        ("Bản sao giấy tờ tùy thân theo Mẫu số 18", "", "1 bản sao", "Giấy tờ phải nộp"),
        (
            "Văn bản ủy quyền (01 bản chính hoặc bản sao)",
            "",
            "Bản chính: 1 - Bản sao: 0",
            "Trường hợp ủy quyền",
        ),
    ]
    assert parse_documents("--") == ([], True)
    assert parse_documents("Không có thông tin") == ([], True)
    assert parse_documents("Đơn đề nghị") == ([], False)


def test_legal_basis_split_on_document_numbers():
    text = (
        "Tên văn bản pháp lýMã văn bảnLuật Khiếu nại  năm 201102/2011/QH13"
        "Nghị định 05/2012/NĐ-CP05/2012/NĐ-CPQuyết định về chế độ53/2010/QĐ-TTg"
        "Luật Các tổ chức tín dụngLuật số 32/2024/QH15"
    )
    docs, complete = parse_legal(text)
    assert complete
    assert [(d.title, d.number) for d in docs] == [
        ("Luật Khiếu nại năm 2011", "02/2011/QH13"),
        ("Nghị định 05/2012/NĐ-CP", "05/2012/NĐ-CP"),
        ("Quyết định về chế độ", "53/2010/QĐ-TTg"),
        ("Luật Các tổ chức tín dụng", "32/2024/QH15"),
    ]
    assert parse_legal("Không có thông tin") == ([], True)
    docs, complete = parse_legal("Tên văn bản pháp lýMã văn bảnLuật Thú y 2015")
    assert (docs, complete) == ([], False)


def test_steps_result_and_online_level():
    assert split_steps("Bước 1: Nộp hồ sơ\n- Bước 2. Nhận kết quả") == [
        "Bước 1: Nộp hồ sơ",
        "Bước 2. Nhận kết quả",
    ]
    assert split_steps("1. Nộp hồ sơ\n2. Nhận kết quả") == ["1. Nộp hồ sơ", "2. Nhận kết quả"]
    assert split_steps("Nộp hồ sơ tại UBND xã.") == ["Nộp hồ sơ tại UBND xã."]
    assert split_steps("Không có thông tin") == []
    chrome = "Mã: KQ.G01.00262Từ khóaKhông có thông tinMô tảKhông có thông tin"
    assert clean_result("Giấy phépMã: KQ.G01.1Thông báo từ chối" + chrome) == (
        "Giấy phép; Thông báo từ chối"
    )
    assert clean_result("Bản sao được chứng thựcMã: VBTTVăn bảnMã: dsfas") == (
        "Bản sao được chứng thực; Văn bản"
    )
    assert strip_chrome("Không có thông tinTừ khóaKhông có thông tinMô tảKhông có thông tin") == ""
    assert online_level("Đăng ký xe trực tuyến toàn trình") == ONLINE_FULL
    assert online_level("Đăng ký xe", "bằng dịch vụ công trực tuyến một phần") == ONLINE_PARTIAL
    assert online_level("Đăng ký xe", "các TTHC đã toàn trình") is None


def test_records_that_cannot_be_procedures():
    with pytest.raises(RejectedRecord, match="not a JSON object"):
        parse_national_record([1, 2])  # type: ignore[arg-type]
    with pytest.raises(RejectedRecord, match="missing field 'ten_thu_tuc'"):
        parse_national_record({"ma_thu_tuc": "1.000178"})
    with pytest.raises(RejectedRecord, match="is not text"):
        parse_national_record({"ma_thu_tuc": "1.000178", "ten_thu_tuc": ["a"]})
    with pytest.raises(RejectedRecord, match="invalid procedure code"):
        parse_national_record({"ma_thu_tuc": "TEST_MOT_CAP", "ten_thu_tuc": "Test"})
    with pytest.raises(RejectedRecord, match="test record"):
        parse_national_record({"ma_thu_tuc": "2.000815", "ten_thu_tuc": "Thủ tục test"})


def test_csv_cells():
    assert csv_lists.online_level("Toàn trình") == ONLINE_FULL
    assert csv_lists.online_level("Một phần") == ONLINE_PARTIAL
    assert csv_lists.online_level("Còn lại") is None and csv_lists.online_level("Mức độ 2") is None
    assert csv_lists.levels_from_org("Sở, ban ngành") == [LEVEL_PROVINCE]
    assert csv_lists.levels_from_org("Sở, ban ngành; UBND Xã/Phường/Thị Trấn") == [
        LEVEL_COMMUNE,
        LEVEL_PROVINCE,
    ]
    assert csv_lists.levels_from_org("UBND Huyện/Thành phố") == []
    assert csv_lists.repair_code("2000027.000.00.00.H37") == "2.000027.000.00.00.H37"
    assert csv_lists.repair_code("1.010804000.00.00.H37") == "1.010804.000.00.00.H37"
    assert csv_lists.repair_code("1.007939.000.00,00,H37") == "1.007939.000.00.00.H37"
