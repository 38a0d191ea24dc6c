"""Dossier codes, phone numbers and the masks a chat may show."""

import pytest

from bot.dossiers.codes import (
    BAD_DATE,
    BAD_NUMBER,
    MISSING_AGENCY,
    MISSING_NUMBER,
    dossier_code_problem,
    find_dossier_code,
    find_dossier_codes,
    looks_like_dossier_code,
    normalize_dossier_code,
)
from bot.dossiers.phones import mask_name, mask_phone, normalize_phone

CODE = "000.00.06.H56-231027-0361"


@pytest.mark.parametrize(
    "text, expected",
    [
        (CODE, CODE),
        ("000.00.06.h56-231027-0361", CODE),
        ("  000.00.06.H56 - 231027 - 0361 ", CODE),
        ("000 . 00 . 06 . H56-231027-0361", CODE),
        ("000.00.06.H56–231027–0361", CODE),  # en dashes, as phones type them
        ("000.00.06.H56 231027 0361", CODE),
        ("H30.22.10-250101-0001", "H30.22.10-250101-0001"),
        ("000.00.06.H56-231327-0361", None),  # month 13
        ("000.00.06.H56-230230-0361", None),  # 30 February
        ("000.00.06.H56-231027-361", None),
        ("000.00.06.H56-231027", None),
        ("231027-0361", None),
        ("H56-231027-0361", None),  # one group: not an agency id
        ("hồ sơ 000.00.06.H56-231027-0361", None),  # a message, not a code
        ("", None),
        (None, None),
    ],
)
def test_normalize_dossier_code(text, expected):
    assert normalize_dossier_code(text) == expected


@pytest.mark.parametrize(
    "message",
    [
        "cho hỏi hồ sơ 000.00.06.h56 - 231027 - 0361 đến đâu rồi",
        "Mã hồ sơ: 000.00.06.H56-231027-0361.",
        "(000.00.06.H56-231027-0361)",
        "hồ sơ số 000.00.06.H56 231027 0361 ạ",
        "000.00.06.H56-2310270361?",
        "HỒ SƠ 000.00.06.H56-231027-0361 CỦA TÔI",
    ],
)
def test_find_dossier_code_in_messages(message):
    assert find_dossier_code(message) == CODE
    assert not looks_like_dossier_code(message)


def test_find_skips_invalid_and_finds_all():
    text = (
        "sai: 000.00.06.H56-231327-0361, đúng: 000.00.06.H56-231027-0361 và H30.22.10-250101-0001"
    )
    assert find_dossier_code(text) == CODE
    assert find_dossier_codes(text) == [CODE, "H30.22.10-250101-0001"]
    assert find_dossier_codes(f"{CODE} {CODE.lower()}") == [CODE]


@pytest.mark.parametrize(
    "message",
    [
        "thủ tục khai sinh cần gì",
        "gọi 0912.345.678 nhé",
        "phí 1.000.000 - 200000 đồng",
        "ngày 27-10-2023",
        "",
    ],
)
def test_no_code_no_hint(message):
    assert find_dossier_code(message) is None
    assert dossier_code_problem(message) is None
    assert not looks_like_dossier_code(message)


@pytest.mark.parametrize(
    "message, problem",
    [
        ("hồ sơ 000.00.06.H56-231327-0361", BAD_DATE),
        ("hồ sơ 000.00.06.H56-23102-0361", BAD_DATE),
        ("hồ sơ 000.00.06.H56-231027", MISSING_NUMBER),
        ("hồ sơ 000.00.06.H56 - 231027 - 036", BAD_NUMBER),
        ("hồ sơ 000.00.06.H56-231027-03611", BAD_NUMBER),
        ("hồ sơ số 231027-0361", MISSING_AGENCY),
    ],
)
def test_almost_codes_get_a_hint(message, problem):
    assert find_dossier_code(message) is None
    assert dossier_code_problem(message) == problem
    assert looks_like_dossier_code(message)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0912345623", "0912345623"),
        ("+84 912 345 623", "0912345623"),
        ("84912345623", "0912345623"),
        ("0084912345623", "0912345623"),
        ("0912.345.623", "0912345623"),
        ("0912-345-623", "0912345623"),
        ("(+84) 912345623", "0912345623"),
        ("912345623", "0912345623"),  # a spreadsheet dropped the zero
        (912345623, "0912345623"),
        ("0352 123 456", "0352123456"),
        ("01662345678", "0362345678"),  # renumbered in 2018
        ("0239 3855 123", "02393855123"),  # Hà Tĩnh landline
        ("091234562", None),
        ("09123456234", None),
        ("0112345678", None),
        ("+85 912345623", None),
        ("09l2345623", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_normalize_phone(raw, expected):
    assert normalize_phone(raw) == expected


def test_masks():
    assert mask_phone("0912345623") == "09******23"
    assert mask_phone("02393855123") == "02*******23"
    assert mask_phone(None) == ""
    assert mask_name("Nguyễn Văn An") == "Nguyễn V*** A"
    assert mask_name("  nguyễn   văn  an ") == "nguyễn v*** a"
    assert mask_name("Nguyễn Thị Minh Khai") == "Nguyễn T*** M*** K"
    assert mask_name("Lê Na") == "Lê N"
    assert mask_name("An") == "A***"
    assert mask_name("") == ""
    # NFD input (a + combining marks) masks like NFC
    assert mask_name("Nguye\u0302\u0303n Va\u0306n An") == "Nguyễn V*** A"
