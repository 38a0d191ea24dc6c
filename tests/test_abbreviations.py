"""Abbreviations read off the catalog's names: initials of runs the names repeat."""

from __future__ import annotations

from bot.catalog.abbreviations import mine

NAMES = [
    "Đăng ký kết hôn",
    "Đăng ký kết hôn có yếu tố nước ngoài",
    "Đăng ký lại kết hôn",  # a run of its own: "dlkh"
    "Đăng ký kết hôn lưu động",
    "Cấp giấy phép lái xe",
    "Đổi giấy phép lái xe",
    "Cấp lại giấy phép lái xe",
    "Thủ tục khai thác khoáng sản",
    "Gia hạn khai thác khoáng sản",
    "Trả lại giấy phép khai thác khoáng sản",
    "Điều kiện kinh doanh dịch vụ",
    "Đăng ký kinh doanh hộ",
    "Điều kiện kinh doanh xăng dầu",
    "Đăng ký kinh doanh lần đầu",
    "Điều kiện kinh doanh khí",
]


def test_initials_of_runs_the_names_repeat():
    found = mine(NAMES)
    assert found["dkkh"] == ("dang", "ki", "ket", "hon")
    assert found["gplx"] == ("giay", "phep", "lai", "xe")


def test_no_abbreviation_where_two_runs_are_as_common_or_it_is_chat():
    found = mine(NAMES)
    assert "dkkd" not in found  # điều kiện kinh doanh (3) vs đăng ký kinh doanh (2)
    assert "tks" not in found  # thanks, not "thác khoáng sản"
    assert all(len(key) >= 3 for key in found)


def test_search_reads_initials_it_does_not_otherwise_know(core):
    from bot.catalog.search import SearchIndex

    index = SearchIndex(core.index.procedures.values())
    index.initials = {**index.initials, "dkkh": ("dang", "ki", "ket", "hon")}
    result = index.search("dkkh can giay to gi")
    assert not result.abstained and result.matches[0].code.startswith("1.000894")
