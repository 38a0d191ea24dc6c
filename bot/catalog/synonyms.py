"""Words citizens use for procedures, and the words of asking that name no procedure.

The catalog speaks the law's language ("xác nhận tình trạng hôn nhân"); citizens
say "giấy độc thân", "sổ đỏ", "cccd". Entries are written with diacritics: a
query typed without them still matches (folded), one typed with them must match
the marks too, so "sổ đỏ" is not confused with "sơ đồ".
"""

from __future__ import annotations

from bot.catalog.tokenize import PhraseBook

# Interchangeable wordings: any one found in a question also searches the others.
EQUIVALENTS: tuple[tuple[str, ...], ...] = (
    ("cccd", "căn cước công dân", "thẻ căn cước"),
    ("cmnd", "cmt", "chứng minh nhân dân", "chứng minh thư"),
    ("bhyt", "bảo hiểm y tế"),
    ("bhxh", "bảo hiểm xã hội"),
    ("bhtn", "bảo hiểm thất nghiệp"),
    ("gplx", "giấy phép lái xe", "bằng lái xe", "bằng lái"),
    ("gks", "giấy khai sinh"),
    ("dkkd", "đkkd", "đăng ký kinh doanh"),
    ("gcn", "giấy chứng nhận"),
    ("qsdđ", "qsdd", "quyền sử dụng đất"),
    ("mst", "mã số thuế"),
    ("tncn", "thu nhập cá nhân"),
    ("gtgt", "vat", "giá trị gia tăng"),
    ("tnhh", "trách nhiệm hữu hạn"),
    ("htx", "hợp tác xã"),
    ("dn", "doanh nghiệp"),
    ("ubnd", "ủy ban nhân dân"),
    ("lltp", "lý lịch tư pháp"),
    ("ô tô", "oto", "xe hơi"),
    ("hộ chiếu", "passport"),
    ("thị thực", "visa"),
    ("ly hôn", "ly dị"),
    ("tử tuất", "tuất"),
    # Abbreviations officials and forms use, and the law's own synonyms.
    ("gpxd", "giấy phép xây dựng"),
    ("bđs", "bds", "bất động sản"),
    ("pccc", "phòng cháy chữa cháy"),
    ("tnlđ", "tnld", "tai nạn lao động"),
    ("bnn", "bệnh nghề nghiệp"),
    ("dsphsk", "dưỡng sức phục hồi sức khỏe"),
    ("xnc", "xuất nhập cảnh"),
    ("xnk", "xuất nhập khẩu", "xuất khẩu, nhập khẩu"),
    ("tndn", "thu nhập doanh nghiệp"),
    ("ttđb", "ttdb", "tiêu thụ đặc biệt"),
    ("cchn", "chứng chỉ hành nghề"),
    ("nhnn", "ngân hàng nhà nước"),
    ("tctd", "tổ chức tín dụng"),
    ("ubck", "ủy ban chứng khoán"),
    ("ctck", "công ty chứng khoán"),
    ("cty", "công ty"),
    ("attp", "atvstp", "an toàn thực phẩm", "vệ sinh an toàn thực phẩm"),
    ("đtm", "dtm", "đánh giá tác động môi trường"),
    ("kcn", "khu công nghiệp"),
    ("chứng thư số", "chứng thư chữ ký số", "chứng thư chữ ký điện tử"),
    ("chữ ký số", "chữ ký điện tử"),
    ("thẻ bhyt", "thẻ bảo hiểm y tế"),
    ("sổ bhxh", "sổ bảo hiểm xã hội"),
    ("giấy phép lao động", "work permit"),
)

# Everyday wording -> how the catalog names it (one way: the catalog wording
# does not mean the everyday one).
EVERYDAY: dict[str, tuple[str, ...]] = {
    "sổ đỏ": ("giấy chứng nhận quyền sử dụng đất",),
    "sổ hồng": ("giấy chứng nhận quyền sử dụng đất", "quyền sở hữu nhà ở"),
    "hộ khẩu": ("thường trú", "cư trú"),
    "nhập hộ khẩu": ("đăng ký thường trú",),
    "cắt hộ khẩu": ("xóa đăng ký thường trú",),
    "độc thân": ("xác nhận tình trạng hôn nhân",),
    "công chứng": ("chứng thực",),
    "công chứng bản sao": ("chứng thực bản sao",),
    "bản sao công chứng": ("bản sao có chứng thực",),
    "công chứng giấy tờ": ("chứng thực bản sao",),
    "sao y": ("chứng thực bản sao từ bản chính",),
    "sao y bản chính": ("chứng thực bản sao từ bản chính",),
    "photo công chứng": ("chứng thực bản sao",),
    "làm giấy khai sinh": ("đăng ký khai sinh",),
    "làm gks": ("đăng ký khai sinh",),
    "làm khai sinh": ("đăng ký khai sinh",),
    "khai sinh lại": ("đăng ký lại khai sinh",),
    "kết hôn lại": ("đăng ký lại kết hôn",),
    "khai tử lại": ("đăng ký lại khai tử",),
    "khai sinh cho con": ("đăng ký khai sinh",),
    "giấy khai tử": ("đăng ký khai tử",),
    "giấy chứng tử": ("đăng ký khai tử",),
    "báo tử": ("đăng ký khai tử",),
    "lấy vợ": ("đăng ký kết hôn",),
    "lấy chồng": ("đăng ký kết hôn",),
    "cưới vợ": ("đăng ký kết hôn",),
    "cưới chồng": ("đăng ký kết hôn",),
    "giấy kết hôn": ("đăng ký kết hôn",),
    "đăng ký cưới": ("đăng ký kết hôn",),
    "xin con nuôi": ("nhận con nuôi",),
    "nhận con": ("nhận cha, mẹ, con",),
    "nhận cha": ("nhận cha, mẹ, con",),
    "đổi tên": ("thay đổi, cải chính hộ tịch",),
    "sửa tên": ("cải chính hộ tịch",),
    "sai tên": ("cải chính hộ tịch",),
    "làm lại": ("cấp lại",),
    "xin lại": ("cấp lại",),
    "bị mất": ("cấp lại",),
    "làm mất": ("cấp lại",),
    "đánh mất": ("cấp lại",),
    "hỏng": ("cấp lại",),
    "bị rách": ("cấp lại",),
    "làm mới": ("cấp",),
    "xin cấp": ("cấp",),
    "mua bán đất": ("chuyển nhượng quyền sử dụng đất",),
    "mua đất": ("chuyển nhượng quyền sử dụng đất",),
    "bán đất": ("chuyển nhượng quyền sử dụng đất",),
    "sang tên": ("đăng ký biến động", "chuyển nhượng"),
    "xây nhà": ("giấy phép xây dựng nhà ở",),
    "giấy phép kinh doanh": ("đăng ký kinh doanh",),
    "mở quán": ("đăng ký hộ kinh doanh",),
    "mở cửa hàng": ("đăng ký hộ kinh doanh",),
    "buôn bán": ("hộ kinh doanh",),
    "lương hưu": ("hưởng lương hưu",),
    "cà vẹt": ("giấy đăng ký xe",),
    "cavet": ("giấy đăng ký xe",),
    "biển số": ("đăng ký xe", "biển số xe"),
    "xe máy": ("mô tô", "xe gắn máy"),
    "vneid": ("định danh điện tử",),
    "tài khoản định danh": ("định danh điện tử",),
    "tạm vắng": ("khai báo tạm vắng",),
    # Civil status (hộ tịch).
    "con ngoài giá thú": ("nhận cha, mẹ, con",),
    "nhận bố": ("nhận cha, mẹ, con",),
    "nhận mẹ": ("nhận cha, mẹ, con",),
    "xác định cha": ("nhận cha, mẹ, con",),
    "xác định mẹ": ("nhận cha, mẹ, con",),
    "nhận con nuôi": ("đăng ký nuôi con nuôi",),
    "sai ngày sinh": ("cải chính hộ tịch",),
    "sửa ngày sinh": ("cải chính hộ tịch",),
    "đổi họ": ("thay đổi hộ tịch",),
    "chứng thực hợp đồng": ("chứng thực giao dịch",),
    "công chứng hợp đồng": ("chứng thực giao dịch",),
    "đổi dân tộc": ("xác định lại dân tộc",),
    "lấy chồng nước ngoài": ("đăng ký kết hôn có yếu tố nước ngoài",),
    "lấy vợ nước ngoài": ("đăng ký kết hôn có yếu tố nước ngoài",),
    "người giám hộ": ("đăng ký giám hộ",),
    "ghi chú ly hôn": ("ghi vào sổ hộ tịch việc ly hôn",),
    # Residence and identity.
    "chuyển hộ khẩu": ("đăng ký thường trú",),
    "tách hộ khẩu": ("tách hộ",),
    "khai báo lưu trú": ("thông báo lưu trú",),
    "báo tạm trú": ("đăng ký tạm trú",),
    "làm căn cước": ("cấp thẻ căn cước",),
    "làm cccd": ("cấp thẻ căn cước",),
    "làm hộ chiếu": ("cấp hộ chiếu phổ thông",),
    "mất hộ chiếu": ("trình báo mất hộ chiếu",),
    "tiền án": ("lý lịch tư pháp",),
    "tiền sự": ("lý lịch tư pháp",),
    "không tiền án": ("phiếu lý lịch tư pháp",),
    # Land and housing.
    "tách sổ": ("tách thửa",),
    "tách sổ đỏ": ("tách thửa",),
    "gộp sổ": ("hợp thửa",),
    "gộp thửa": ("hợp thửa",),
    "thổ cư": ("đất ở",),
    "lên thổ cư": ("chuyển mục đích sử dụng đất",),
    "chuyển đất": ("chuyển mục đích sử dụng đất",),
    "cho đất": ("tặng cho quyền sử dụng đất",),
    "tặng đất": ("tặng cho quyền sử dụng đất",),
    "thừa kế đất": ("đăng ký biến động", "thừa kế quyền sử dụng đất"),
    "chia thừa kế": ("phân chia di sản",),
    "khai nhận di sản": ("văn bản phân chia di sản",),
    "thế chấp sổ đỏ": ("đăng ký thế chấp quyền sử dụng đất",),
    "vay thế chấp": ("đăng ký thế chấp",),
    "đổi sổ đỏ": ("cấp đổi giấy chứng nhận quyền sử dụng đất",),
    "mất sổ đỏ": ("cấp lại giấy chứng nhận quyền sử dụng đất",),
    "đo đạc lại đất": ("đăng ký biến động đất đai",),
    # Construction.
    "xin phép xây dựng": ("cấp giấy phép xây dựng",),
    "hoàn công": ("nghiệm thu hoàn thành công trình",),
    "chứng chỉ xây dựng": ("chứng chỉ hành nghề hoạt động xây dựng",),
    # Business and tax.
    "mở công ty": ("đăng ký thành lập doanh nghiệp", "đăng ký thành lập công ty"),
    "thành lập công ty": ("đăng ký thành lập doanh nghiệp",),
    "giải thể công ty": ("giải thể doanh nghiệp",),
    "đóng cửa công ty": ("giải thể doanh nghiệp",),
    "tạm nghỉ kinh doanh": ("tạm ngừng kinh doanh",),
    "đóng mã số thuế": ("chấm dứt hiệu lực mã số thuế",),
    "khóa mã số thuế": ("chấm dứt hiệu lực mã số thuế",),
    "xin mã số thuế": ("đăng ký thuế lần đầu",),
    "quyết toán thuế": ("khai quyết toán thuế",),
    "hóa đơn đỏ": ("hóa đơn giá trị gia tăng",),
    # Social insurance, labour, welfare.
    "nghỉ đẻ": ("chế độ thai sản",),
    "nghỉ sinh": ("chế độ thai sản",),
    "tiền sinh con": ("chế độ thai sản",),
    "nghỉ ốm": ("chế độ ốm đau",),
    "về hưu": ("hưởng lương hưu",),
    "nghỉ hưu": ("hưởng lương hưu",),
    "rút bảo hiểm một lần": ("bảo hiểm xã hội một lần",),
    "rút bhxh": ("bảo hiểm xã hội một lần",),
    "trợ cấp thất nghiệp": ("hưởng trợ cấp thất nghiệp",),
    "sổ hộ nghèo": ("công nhận hộ nghèo",),
    "giấy chứng nhận hộ nghèo": ("công nhận hộ nghèo",),
    # Transport.
    "thi bằng lái": ("sát hạch lái xe",),
    "học bằng lái": ("sát hạch lái xe",),
    "bằng lái quốc tế": ("giấy phép lái xe quốc tế",),
    "sang tên xe": ("chứng nhận đăng ký xe",),
    "đăng kiểm xe": ("kiểm định xe cơ giới",),
    "đăng ký xe máy": ("đăng ký xe",),
    "đăng ký ô tô": ("đăng ký xe",),
    # Environment.
    "bằng khen": ("xét tặng bằng khen",),
    "giấy phép môi trường": ("cấp giấy phép môi trường",),
    "xả thải": ("xả nước thải",),
    "giếng khoan": ("khai thác nước dưới đất",),
}

# Words of asking: they say what the citizen wants to know, not which procedure.
_ASKING = """
tôi, em, anh, chị, cháu, mình, chúng tôi, bạn, ad, admin
xin chào, chào, alo, hello, hi, cảm ơn, cám ơn, ơi, ạ, nhé, nha
muốn, hỏi, xin hỏi, cho hỏi, hỏi về, xin, cần, phải, nên, làm, muốn biết
cho biết, đề nghị cho biết, biết, tìm hiểu, hướng dẫn, giúp, giúp đỡ
thế nào, như thế nào, ra sao, sao, gì, những gì, cái gì, nào, những, các
bao lâu, bao nhiêu, bao nhiêu lâu, ở đâu, đâu, khi nào, lúc nào, mấy
gồm, bao gồm, là, của, và, hoặc, thì, mà, được, không, có, có thể
với, cho, để, về, khi, nếu, vậy, này, đó, nay, hiện nay, năm nay
hôm nay, theo, tại, trong, đến, đi, từ, ra, vào, lên, ai, người nào
thủ tục, thủ tục hành chính, tthc, hồ sơ, giấy tờ, thành phần, thành phần hồ sơ
trình tự, quy trình, các bước, thời hạn, thời gian, thời hạn giải quyết
thời gian giải quyết, lệ phí, phí, mức phí, tiền, hết bao nhiêu, mẫu, mẫu đơn
tờ khai, mẫu tờ khai, điều kiện, yêu cầu, cách, cách thức, nộp, nộp hồ sơ
cơ quan nào, nơi nào, chỗ nào, chuẩn bị, quy định, văn bản nào, thực hiện
giải quyết, đối với, trường hợp, trường hợp nào, online, trực tuyến
cơ quan có thẩm quyền, có thẩm quyền, thẩm quyền, tiếp nhận hồ sơ, loại giấy tờ
những loại, những bước nào, bước nào, các bước nào, được không, hay không
cần làm gì, phải làm gì, làm gì, cụ thể, chi tiết, hiện hành, mới nhất
mất bao nhiêu, mất bao lâu, mất mấy, mất tiền, mất phí, mất thời gian, mất bao nhiêu tiền
mất mấy ngày, mất bao nhiêu ngày, tốn, tốn bao nhiêu, tốn kém, hết bao lâu, hết mấy
mang, mang theo, đem, đem theo, cầm theo, cần mang, giấy tờ gì, những giấy tờ gì, ạ, dạ, ad
ở xã, lên xã, ra xã, về xã, tại xã, đến xã, ở phường, ra phường, lên phường, tại phường
ở huyện, lên huyện, tại huyện, ở tỉnh, lên tỉnh, tại tỉnh, về tỉnh, xã hay, hay lên
ở mô, đi mô, chỗ mô, nơi mô, mần răng, làm răng, răng rứa, rứa, eng ơi, o ơi, nỏ
"""
QUESTION_WORDS = tuple(w.strip() for w in _ASKING.replace("\n", ",").split(",") if w.strip())


def _alternatives() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for group in EQUIVALENTS:
        for wording in group:
            table[wording] = tuple(w for w in group if w != wording)
    for wording, meant in EVERYDAY.items():
        table[wording] = table.get(wording, ()) + meant
    return table


ALTERNATIVES = PhraseBook(_alternatives())
ASKING = PhraseBook(dict.fromkeys(QUESTION_WORDS, True))
