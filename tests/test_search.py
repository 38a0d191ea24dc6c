"""Procedure search: Vietnamese as citizens type it, and abstaining when nothing fits."""

from __future__ import annotations

import gzip
import json
import unicodedata
from pathlib import Path

import pytest

from bot.catalog.model import Document, Procedure
from bot.catalog.search import SearchIndex, family_of
from bot.catalog.synonyms import ALTERNATIVES, ASKING
from bot.catalog.tokenize import accent_key, analyse, correct, fold_syllable, tokens

SHARED = Path(__file__).resolve().parents[2] / "shared"
NATIONAL = SHARED / "data" / "procedures" / "national-2026.jsonl.gz"


def proc(code: str, name: str, levels: tuple[str, ...] = ("xa",), **more) -> Procedure:
    return Procedure(code=code, name=name, levels=list(levels), **more)


# A commune desk's everyday procedures, with the look-alikes that compete with them.
SMALL = [
    proc("1.001193", "Thủ tục đăng ký khai sinh", field="Hộ tịch"),
    proc("2.000528", "Thủ tục đăng ký khai sinh có yếu tố nước ngoài", field="Hộ tịch"),
    proc("1.004884", "Thủ tục đăng ký lại khai sinh", field="Hộ tịch"),
    proc("1.000894", "Thủ tục đăng ký kết hôn", field="Hộ tịch"),
    proc("1.000656", "Thủ tục đăng ký khai tử", field="Hộ tịch"),
    proc("2.000635", "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh", ("xa", "tinh")),
    proc("1.004873", "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân", field="Hộ tịch"),
    proc("1.004222", "Đăng ký thường trú", field="Đăng ký, quản lý cư trú"),
    proc("1.004194", "Đăng ký tạm trú", field="Đăng ký, quản lý cư trú"),
    proc("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", field="Chứng thực"),
    proc("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", field="Chứng thực"),
    proc("1.014064", "Cấp lại thẻ căn cước", field="Cấp, quản lý căn cước"),
    proc("2.001194", "Cấp lại thẻ căn cước (thực hiện tại cấp tỉnh)", ("tinh",)),
    proc("1.000757", "Cấp lại thẻ căn cước (thực hiện tại cấp trung ương)", ("bo",)),
    proc("1.012753", "Đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất lần đầu"),
    proc("3.000347", "Đổi giấy phép lái xe", ("bo",), field="Sát hạch, cấp giấy phép lái xe"),
    proc("1.001612", "Đăng ký thành lập hộ kinh doanh", ("xa", "bo")),
    proc("1.001627", "Cấp giấy phép thành lập văn phòng công chứng", ("tinh",)),
]

COLLOQUIAL = [
    ("lam giay khai sinh can gi", "1.001193"),
    ("Làm giấy khai sinh cần gì?", "1.001193"),
    ("dang ki khai sinh cho con", "1.001193"),
    ("đăng kí khai sinh", "1.001193"),
    ("dang ky khai sihn", "1.001193"),  # typo
    ("dangky khaisinh", "1.001193"),  # run together
    ("xin giay xac nhan doc than", "1.004873"),
    ("giấy độc thân", "1.004873"),
    ("lam lai cccd mat", "1.014064"),
    ("mất căn cước công dân", "1.014064"),
    ("dang ky thuong tru cho con", "1.004222"),
    ("nhập hộ khẩu cho con", "1.004222"),
    ("đăng ký tạm trú", "1.004194"),
    ("xin ban sao giay khai sinh", "2.000635"),
    ("trích lục khai sinh", "2.000635"),
    ("chứng thực bản sao", "2.000815"),
    ("công chứng bản sao giấy tờ", "2.000815"),
    ("chứng thực chữ ký", "2.000884"),
    ("tôi muốn lấy vợ thì làm thủ tục gì", "1.000894"),
    ("khai tử cho bố", "1.000656"),
    ("làm sổ đỏ lần đầu", "1.012753"),
    ("đổi gplx", "3.000347"),
    ("đổi bằng lái xe", "3.000347"),
    ("dang ky ho kinh doanh", "1.001612"),
    ("thu tuc dang ky khai sinh lai", "1.004884"),
]

OFF_TOPIC = [
    "xin chào",
    "chào bạn",
    "cảm ơn ạ",
    "thời tiết hôm nay thế nào",
    "thoi tiet ngay mai",
    "chủ tịch xã là ai",
    "cấp giấy phép khai thác khoáng sản",  # a procedure this catalog lacks
    "???",
    "",
]


@pytest.fixture(scope="module")
def small() -> SearchIndex:
    return SearchIndex(SMALL)


# --- text ---------------------------------------------------------------------------


def test_folding_merges_marks_d_and_y_i():
    assert fold_syllable("Ký") == fold_syllable("kí") == "ki"
    assert fold_syllable("Đất") == "dat"
    assert fold_syllable("thuỷ") == fold_syllable("thủy") == "thuy"  # y after a vowel stays
    assert accent_key("ký") == accent_key("kí")
    assert accent_key("sổ") != accent_key("sơ")


def test_decomposed_input_reads_like_composed():
    composed = "Đăng ký khai sinh"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert [t.folded for t in tokens(decomposed)] == [t.folded for t in tokens(composed)]
    assert [t.text for t in tokens(decomposed)] == ["đăng", "ký", "khai", "sinh"]


def test_everyday_phrase_matches_with_or_without_marks_but_not_other_marks():
    def wordings(text):
        vocabulary = {"so": 1, "do": 1}
        query = analyse(text, ASKING, ALTERNATIVES, vocabulary, len)
        return [slot.wordings for slot in query.slots]

    land = ("giay", "chung", "nhan", "quyen", "su", "dung", "dat")
    assert land in wordings("sổ đỏ")[0]
    assert land in wordings("so do")[0]  # unmarked: could be either, take the common one
    assert all(land not in w for w in wordings("sơ đồ"))


def test_question_words_are_dropped_but_a_bare_word_in_a_marked_question_is_kept():
    def words(text):
        vocabulary = {w: 1 for w in ("thi", "dua", "ket", "hon")}
        query = analyse(text, ASKING, ALTERNATIVES, vocabulary, len)
        return [slot.wordings[0] for slot in query.slots]

    assert words("Tôi muốn hỏi thủ tục kết hôn như thế nào?") == [("ket",), ("hon",)]
    assert ("thi",) in words("Hồ sơ xét tặng danh hiệu thi đua")  # "thi" here is not "thì"


def test_typos_are_corrected_against_the_vocabulary():
    vocabulary = {"sinh": 50, "sinhh": 0, "khai": 40, "khai sinh": 30}
    assert correct("sihn", vocabulary) == ["sinh"]
    assert correct("khaisinh", vocabulary) == ["khai", "sinh"]
    assert correct("abc", vocabulary) == ["abc"]  # too short to guess
    assert correct("zzzzzz", vocabulary) == ["zzzzzz"]


# --- a small catalog ------------------------------------------------------------------


@pytest.mark.parametrize(("question", "code"), COLLOQUIAL)
def test_colloquial_questions_find_the_commune_procedure(small, question, code):
    result = small.search(question)
    assert not result.abstained, question
    assert result.matches[0].code == code, [m.name for m in result.matches]


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_abstains_when_nothing_fits(small, question):
    result = small.search(question)
    assert result.abstained, [m.name for m in result.matches]
    assert result.matches == []


def test_with_and_without_diacritics_rank_alike(small):
    marked = small.search("Tôi muốn đăng ký thường trú cho con")
    bare = small.search("toi muon dang ky thuong tru cho con")
    assert [m.code for m in marked.matches] == [m.code for m in bare.matches]


def test_deployment_levels_rank_first_but_do_not_filter():
    same_name = [
        proc("1.000001", "Cấp lại thẻ căn cước", ("bo",)),
        proc("1.000002", "Cấp lại thẻ căn cước", ("xa",)),
    ]
    assert SearchIndex(same_name).search("cấp lại căn cước").matches[0].code == "1.000002"
    ministry_first = SearchIndex(same_name, preferred_levels=("bo",))
    assert ministry_first.search("cấp lại căn cước").matches[0].code == "1.000001"
    # A ministry procedure that fits clearly better still wins.
    index = SearchIndex(
        [
            proc("1.000003", "Đổi giấy phép lái xe", ("bo",)),
            proc("1.000004", "Cấp giấy phép xây dựng", ("xa",)),
        ]
    )
    result = index.search("đổi giấy phép lái xe")
    assert [m.code for m in result.matches][:2] == ["1.000003", "1.000004"]


def test_keywords_and_documents_are_searched():
    index = SearchIndex(
        [
            proc("1.000010", "Công nhận hộ nghèo, hộ cận nghèo", keywords=["xin hộ nghèo"]),
            proc("1.000011", "Hỗ trợ chi phí mai táng", keywords=["tiền ma chay"]),
        ]
    )
    assert index.search("tien ma chay").matches[0].code == "1.000011"


def test_a_quoted_title_is_required():
    index = SearchIndex(
        [
            proc("6.000001", "Đề nghị xét tặng danh hiệu Chiến sĩ thi đua cơ sở", ("bo",)),
            proc("6.000002", "Đề nghị xét tặng danh hiệu Chiến sĩ thi đua cấp bộ", ("bo",)),
            proc(
                "2.000003",
                "Đề nghị xét tặng danh hiệu thi đua, hình thức khen thưởng",
                ("bo",),
                documents=[Document("Trường hợp đề nghị “Chiến sĩ thi đua toàn quốc”: tờ trình")],
            ),
        ]
    )
    quoted = index.search("Hồ sơ đề nghị xét tặng danh hiệu “Chiến sĩ thi đua toàn quốc”")
    assert quoted.matches[0].code == "2.000003"
    plain = index.search("Hồ sơ đề nghị xét tặng danh hiệu Chiến sĩ thi đua toàn quốc")
    assert plain.matches[0].code != "2.000003"
    # A quoted title no procedure holds: the catalog lacks it.
    assert index.search("hồ sơ đề nghị xét tặng danh hiệu “Nghệ sĩ ưu tú”").abstained


def test_level_versions_share_a_family():
    assert family_of("Thăm dò khoáng sản (cấp Tỉnh)") == family_of(
        "Thủ tục thăm dò khoáng sản (cấp Bộ)"
    )
    assert family_of("Cấp lại thẻ căn cước (thực hiện tại cấp trung ương)") == family_of(
        "Cấp lại thẻ căn cước"
    )
    assert family_of("Cấp giấy phép môi trường (cấp Tỉnh) ( 1.010727 )") == family_of(
        "Cấp giấy phép môi trường"
    )
    assert family_of("Cấp lại thẻ căn cước") != family_of("Cấp đổi thẻ căn cước")


def test_an_unsure_answer_shows_distinct_procedures():
    index = SearchIndex(
        [
            proc("1.000001", "Thăm dò bổ sung trữ lượng khoáng sản (cấp Tỉnh)", ("tinh",)),
            proc("1.000002", "Thăm dò bổ sung trữ lượng khoáng sản (cấp Bộ)", ("bo",)),
            proc("1.000003", "Đóng cửa mỏ khoáng sản (cấp Tỉnh)", ("tinh",)),
            proc("1.000004", "Đóng cửa mỏ khoáng sản (cấp Bộ)", ("bo",)),
            proc("1.000005", "Công nhận kết quả thăm dò khoáng sản", ("bo",)),
            proc("1.000006", "Cấp giấy phép khai thác khoáng sản", ("tinh",)),
        ]
    )
    parsed, ranked = index.rank("phê duyệt trữ lượng khoáng sản mỏ đá")
    assert ranked[0].confidence < 0.6
    families = [family_of(c.procedure.name) for c in ranked[:3]]
    assert len(set(families)) == 3, [c.procedure.name for c in ranked]
    # Sure of the procedure: its versions at each level stay together.
    sure = [m.code for m in index.search("thăm dò bổ sung trữ lượng khoáng sản").matches]
    assert sure[:2] == ["1.000001", "1.000002"]


def test_a_code_in_the_question_finds_that_procedure(small):
    result = small.search("thủ tục 1.004222 cần gì")
    assert result.matches[0].code == "1.004222"


def test_limit_and_empty_catalog(small):
    assert len(small.search("đăng ký khai sinh", limit=2).matches) == 2
    assert SearchIndex([]).search("đăng ký khai sinh").abstained


def test_a_question_asked_again_is_answered_from_the_cache_alike():
    index = SearchIndex(SMALL)
    calls = []
    ranked = index.rank
    index.rank = lambda *a, **k: calls.append(a) or ranked(*a, **k)
    first = index.search("Đăng ký  khai sinh cho con")
    again = index.search("đăng ký khai sinh\ncho CON")  # other case and spacing: same words
    assert len(calls) == 1
    assert again.query == "đăng ký khai sinh\ncho CON"
    assert [m.code for m in again.matches] == [m.code for m in first.matches]
    again.matches.clear()  # a caller's list is its own
    assert index.search("dang ky khai sinh cho con").matches  # other words: ranked afresh
    assert len(calls) == 2
    assert index.search("Đăng ký khai sinh cho con").matches
    assert index.search("Đăng ký khai sinh cho con", limit=1).matches  # other limit: afresh
    assert len(calls) == 3


def test_the_answer_cache_is_bounded_and_can_be_turned_off():
    index = SearchIndex(SMALL)
    index.answers_kept = 2
    for question in ["khai sinh", "khai tu", "ket hon"]:
        index.search(question)
    assert len(index._answers) == 2
    index.answers_kept = 0
    calls = []
    ranked = index.rank
    index.rank = lambda *a, **k: calls.append(a) or ranked(*a, **k)
    index.search("ket hon")
    index.search("ket hon")
    assert len(calls) == 2 and not index._answers


# --- the national catalog -------------------------------------------------------------

needs_shared = pytest.mark.skipif(not NATIONAL.exists(), reason="../shared is not available")


@pytest.fixture(scope="module")
def national() -> SearchIndex:
    from bot.catalog.national import RejectedRecord, parse_national_record

    procedures = []
    with gzip.open(NATIONAL, "rt", encoding="utf-8") as lines:
        for line in lines:
            try:
                procedures.append(parse_national_record(json.loads(line)))
            except RejectedRecord:
                continue
    return SearchIndex(procedures, preferred_levels=("xa", "tinh"))


NATIONAL_COLLOQUIAL = [
    ("lam giay khai sinh can gi", {"1.001193"}),
    ("xin giay xac nhan doc than", {"1.004873"}),
    ("lam lai cccd mat", {"1.014064"}),
    ("dang ky thuong tru cho con", {"1.004222"}),
    ("xin bản sao giấy khai sinh", {"2.000635"}),
    ("trich luc khai sinh", {"2.000635"}),
    ("công chứng bản sao giấy tờ", {"2.000815"}),
    ("sao y giấy tờ", {"2.000815"}),
    ("đăng ký kết hôn cần giấy tờ gì", {"1.000894"}),
    ("khai tu cho bo", {"1.000656"}),
    ("đăng ký tạm trú", {"1.004194"}),
    ("làm sổ đỏ lần đầu", {"1.012753", "1.013978"}),
    ("đăng ký hộ kinh doanh", {"1.001612"}),
    ("chứng thực chữ ký", {"2.000884"}),
    ("lam can cuoc cho con duoi 14 tuoi", {"1.014062"}),
    ("đổi bằng lái xe", {"3.000347"}),
    ("tach so do", {"1.012784"}),
    ("chung thuc hop dong", {"2.001035"}),
    ("dong ma so thue", {"1.007607"}),
    ("huong che do thai san", {"2.000693"}),
    ("con ngoai gia thu lam khai sinh", {"1.000689"}),
    ("dang ky giam ho", {"1.004837"}),
    ("cap doi cccd", {"1.014063"}),
    ("mo cong ty tnhh 1 thanh vien", {"2.001583"}),
    ("gia han chung thu so", {"1.000218"}),
]


@needs_shared
@pytest.mark.parametrize(("question", "codes"), NATIONAL_COLLOQUIAL)
def test_national_colloquial_questions(national, question, codes):
    result = national.search(question)
    assert not result.abstained, question
    assert result.matches[0].code[:8] in codes, [(m.code, m.name) for m in result.matches]


@needs_shared
@pytest.mark.parametrize(
    "question", [*OFF_TOPIC[:6], "luật đất đai quy định thế nào", "giá lúa hôm nay"]
)
def test_national_abstains_off_topic(national, question):
    assert national.search(question).abstained


@needs_shared
def test_national_commune_version_before_the_ministry_one(national):
    codes = [m.code[:8] for m in national.search("cấp lại thẻ căn cước").matches]
    assert codes[0] == "1.014064"  # the commune's, then the province's and the ministry's
    assert {"2.001194", "1.000757"} <= set(codes[:3])


@needs_shared
def test_pruned_rerank_gives_the_same_answers_as_the_full_one(national):
    """The short-list pruning in rank() is an optimisation only."""
    eval_file = NATIONAL.parents[2] / "eval" / "dev-questions.jsonl"
    questions = [json.loads(line)["question"] for line in eval_file.open(encoding="utf-8")]
    questions += ["lam giay khai sinh can gi", "dang ky thuong tru cho con", "cap lai cccd"]
    for question in questions:
        _parsed, short = national.rank(question, 5)
        _parsed, full = national.rank(question)
        assert [c.procedure.code for c in short] == [c.procedure.code for c in full[:5]], question
        assert [c.confidence for c in short[:1]] == [c.confidence for c in full[:1]]


def test_a_sibling_the_question_names_goes_first():
    """When the plain procedure ranks first (its long text shares more words), the sibling
    whose name adds words the question says ("quân sự") goes before it; a pair of common
    words ("phục vụ") does not move it."""
    plain = proc("3.000347", "Đổi giấy phép lái xe", ("tinh",))
    military = proc("3.000349", "Đổi giấy phép lái xe quân sự do Bộ Quốc phòng cấp", ("tinh",))
    serving = proc("3.000350", "Đổi giấy phép lái xe phục vụ công tác", ("tinh",))
    others = [
        proc(f"1.00{n}", f"Cấp giấy phép phục vụ hoạt động số {n}") for n in range(1000, 1040)
    ]
    index = SearchIndex([plain, military, serving, *others])

    def first(question: str, order: list[str]) -> str:
        parsed, ranked = index.rank(question, 5)
        by_code = {c.procedure.code: c for c in ranked}
        plain_first = [by_code[c] for c in order if c in by_code]
        return index._named_sibling_first(plain_first, parsed)[0].procedure.code

    named = "Trường hợp nào được đổi GPLX quân sự sang GPLX ngành GTVT"
    assert first(named, ["3.000347", "3.000349"]) == "3.000349"
    assert first("đổi giấy phép lái xe hết hạn", ["3.000347", "3.000349"]) == "3.000347"
    assert first("đổi giấy phép lái xe phục vụ đi làm", ["3.000347", "3.000350"]) == "3.000347"
