"""What a message is, before search: a greeting, thanks, a goodbye, small talk, abuse,
asking for a person, a dossier without its code, a follow-up on the last card, or a
procedure question (the search's job).

A small classifier over folded text (`đ` → `d`, no marks; teencode such as "ko",
"dc", "j" spelled out): weighted cue phrases add up per intent, and guards keep
it from stealing real questions. A message is only an everyday intent when what
its cues do not explain is filler ("bạn", "ạ", "cho hỏi"); a greeting plus a
question is a question, so the rest goes to search, and when search finds a
procedure confidently, that wins. Asking for a person and a dossier's progress
win even then: "hồ sơ khai sinh của tôi xong chưa" is about the citizen's dossier.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from bot.catalog.tokenize import PhraseBook, Token, fold_syllable, tokens
from bot.text import nfc

GREETING = "greeting"
THANKS = "thanks"
GOODBYE = "goodbye"
SMALLTALK = "smalltalk"
ABUSE = "abuse"
HUMAN = "human"
FEEDBACK = "feedback"  # a complaint or a proposal to send: "tôi muốn phản ánh", "góp ý"
DOSSIER = "dossier"
FOLLOWUP = "followup"
NOT_A_CUE = "-"
ASK = "ask"  # about to ask, nothing asked yet: "cho hỏi", "giúp tôi với", "không hiểu"
PROCEDURE = "procedure"
INTENTS = (
    GREETING,
    THANKS,
    GOODBYE,
    SMALLTALK,
    ABUSE,
    HUMAN,
    FEEDBACK,
    DOSSIER,
    FOLLOWUP,
    ASK,
    PROCEDURE,
)

# Sections of a procedure a follow-up asks about.
FEE, TIME, PLACE, DOCUMENTS, STEPS, ONLINE, LEGAL, WHO, DEADLINE = (
    "fee",
    "time",
    "place",
    "documents",
    "steps",
    "online",
    "legal",
    "who",  # who may file, who may go instead, the conditions
    "deadline",  # how soon after the event it must be done, and what if late
)
SECTIONS = (FEE, TIME, PLACE, DOCUMENTS, STEPS, ONLINE, LEGAL, WHO, DEADLINE)

# When several intents reach ENOUGH, the first of these wins: "cảm ơn, hồ sơ của tôi
# đến đâu rồi" is about the dossier, "ok cảm ơn, tạm biệt" is a goodbye.
PRIORITY = (DOSSIER, HUMAN, FEEDBACK, FOLLOWUP, ABUSE, SMALLTALK, GOODBYE, THANKS, GREETING, ASK)
ENOUGH = 1.0
# Kept even when the message also names a procedure the search finds.
STRONG = frozenset([DOSSIER, HUMAN])
# Words that wrap a question ("chào bạn, …", "cảm ơn, còn …"): with this many words
# their cues do not explain, the message is a question, even one search cannot answer.
# A follow-up with any such word is a question too: "hộ chiếu ở đâu" is not about the
# card shown before, and answering it from that card would send the citizen astray.
# Small talk and abuse carry their topic in those words ("xổ số miền trung"). Wanting to
# send feedback is said briefly too: "khiếu nại và tố cáo khác nhau thế nào" is a question.
WRAPPERS = frozenset([GREETING, THANKS, GOODBYE, ASK, FEEDBACK])
QUESTION_WORDS = 2
# Any message but a strong one with this many such words is a question: chit-chat is short.
LONG = 4
# A follow-up may carry this many words of its own that name no procedure ("bà nội đi khai
# được không", "sv thuê trọ thì chủ nhà khai hộ"): more, and it is a question of its own.
FOLLOWUP_WORDS = 6

# Cue phrases, written as citizens type them (marks matter only when typed: "ngu"
# does not match "ngủ"), one weight per line: a 1.0 cue decides alone, weaker cues
# must add up.
_CUES = {
    GREETING: """
1.0: chào, xin chào, chào bạn, chao, alo, a lô, hello, helo, hi, hey, kính chào, hế lô
1.0: chào buổi sáng, chào buổi trưa, chào buổi chiều, chào buổi tối
1.0: good morning, good afternoon, good evening, hi there, anyone there
1.0: có ai không, có ai ở đó không, có ai đó không, có ai trực không
1.0: bạn ơi, ad ơi, admin ơi, bot ơi, em ơi
""",
    THANKS: """
1.0: cảm ơn, cám ơn, camon, thanks, thank you, thank, tks, thks, thx, ty, cảm ơn nhiều
1.0: ok, oke, okie, oki, okay, okela, ô kê, uk, ừ, ừm, ờ, uh, um, vâng, dạ vâng, vâng ạ
1.0: được rồi, hiểu rồi, đã hiểu, rõ rồi, đã rõ, biết rồi, tuyệt vời, tuyệt, hay quá
1.0: tốt quá, great, good, nice, cool, awesome, perfect, got it
0.5: dạ, da
""",
    GOODBYE: """
1.0: tạm biệt, bye, bye bye, bai bai, bb, goodbye, good bye, see you, hẹn gặp lại
1.0: thôi chào, chào tạm biệt, chúc ngủ ngon, good night, pp, thôi nhé, đi đây
1.0: out đây, để mai hỏi, để mai tôi hỏi, hỏi sau, để mai
1.0: không cần nữa, không cần đâu, thôi không cần, vậy thôi, thế thôi
0.5: thôi
""",
    SMALLTALK: """
1.0: là ai, tên gì, tên là gì, người hay máy, máy hay người, người máy, robot
1.0: làm được gì, giúp được gì, biết làm gì, biết gì, khỏe không, có khỏe không
1.0: thời tiết, trời mưa, trời nắng, chuyện cười, truyện cười, kể chuyện, mấy tuổi
1.0: người yêu, bóng đá, xổ số, hát, bài hát, ăn cơm chưa, ăn gì chưa, buồn quá
1.0: chán quá, thông minh, test, thử thôi, haha, hihi, hehe, kaka, lol, bạn ở đâu
1.0: bao nhiêu tuổi, có phải người, câu chuyện, are you real, trời có mưa
1.0: nấu ăn, mua điện thoại, ai làm ra, ai tạo ra, do ai làm, rảnh không, đẹp trai
1.0: who are you, what can you do, are you a robot, are you human, how are you
1.0: weather, joke, bored, your name
0.5: buồn, chán, thử
""",
    ABUSE: """
1.0: =ngu, đồ ngu, ngu quá, ngu vãi, ngu như bò, thằng ngu, dm, đm, dmm, đmm, đkm, vcl
1.0: vl, vkl, clm, đéo, cút, cút đi, bị điên, điên à, thằng điên, vô dụng, óc chó
1.0: con chó, đồ chó, đồ khốn, khốn nạn, dốt thế, dốt quá, đồ dốt, stupid, useless
1.0: idiot, fuck, shit, wtf, dumb
0.5: mày, tao, dốt
""",
    HUMAN: """
1.0: gặp cán bộ, cho gặp, nói chuyện với cán bộ, nói chuyện với người, người thật
1.0: gặp nhân viên, cán bộ trực, cán bộ nào trực, người phụ trách
1.0: chuyển cho cán bộ, số điện thoại cán bộ, số điện thoại liên hệ, hotline
1.0: đường dây nóng, gọi điện cho cán bộ, gặp trực tiếp, gặp admin, kết nối với cán bộ
1.0: chủ tịch xã, gặp chủ tịch, talk to a person, talk to a human, speak to a human
1.0: real person, a human, an officer, talk to an officer, connect me
1.0: talk to someone, speak to someone, call someone, contact the office
1.0: sao không trả lời, không ai trả lời, chưa ai trả lời
1.0: chuyển máy, nối máy, cán bộ nào, số điện thoại xã, điện thoại xã, opening hours
1.0: chuyển câu hỏi, chuyển cho cán bộ, gặp lãnh đạo, lãnh đạo xã, gặp chủ tịch
1.0: mấy giờ, giờ nào, xã mở cửa, mở cửa lúc, nghỉ trưa, giờ hành chính, làm việc lúc
1.0: giờ làm việc, giờ mở cửa, mấy giờ mở cửa, mở cửa mấy giờ, mấy giờ làm việc
1.0: có làm việc không, làm việc thứ bảy, làm việc chủ nhật, office hours
0.5: số điện thoại, liên hệ, gọi điện, nhân viên, staff
""",
    FEEDBACK: """
1.0: phản ánh, kiến nghị, khiếu nại, tố cáo, góp ý, than phiền, hách dịch, nhũng nhiễu
1.0: gây khó dễ, gây khó khăn, cửa quyền, vòi tiền, đòi tiền, đòi bồi dưỡng, làm khó
1.0: đưa thêm tiền, phải đưa tiền, tiền lót tay, phong bì, tiền bồi dưỡng, ăn hối lộ
1.0: complain, complaint, feedback, report a problem
0.5: thái độ, bức xúc
""",
    DOSSIER: """
1.0: hồ sơ của tôi, hồ sơ của em, hồ sơ của mình, hồ sơ của bố tôi, hồ sơ của mẹ tôi
1.0: hồ sơ tôi, hồ sơ em, hồ sơ mình, tra cứu hồ sơ, tra hồ sơ, kiểm tra hồ sơ
1.0: xem hồ sơ, tình trạng hồ sơ, tiến độ hồ sơ, mã hồ sơ, hồ sơ đã nộp, hồ sơ tôi đã nộp
1.0: my application, my dossier, my file, application status, dossier status
0.7: đến đâu rồi, xong chưa, chưa xong, giải quyết chưa, có kết quả chưa, chưa có kết quả
0.7: nộp hồ sơ rồi, lấy được kết quả, ngày hẹn, giấy hẹn, trễ hẹn, quá hẹn, tiến độ, where is my
0.5: nhận được kết quả, trả kết quả, đã nộp, em nộp, tôi nộp, mình nộp, nộp rồi
0.5: đang xử lý, sao lâu thế, chưa thấy gì, sao chưa, lâu thế, lâu vậy, lâu quá, chờ mãi
0.3: hồ sơ, tuần trước, hôm trước, tháng trước, bước nào
""",
    # Words holding a cue that ask about something else: "chi phí mai táng" is a benefit.
    "-": """
1.0: chi phí, kinh phí, học phí, viện phí, tiền án, tiền sự, tiền lương, tiền công
""",
    ASK: """
1.0: hỏi, cho hỏi, xin hỏi, muốn hỏi, hỏi chút, hỏi tí, giúp tôi, giúp với, giúp em, giúp mình
1.0: không hiểu, chưa hiểu, help, hướng dẫn, menu, i have a question
""",
    # Follow-ups: what a short message asks about, by the words that carry it. Single
    # content words count ("tốn", "đem", "mạng"), not only whole phrases, so wordings no
    # one wrote down still read: "có tốn đồng nào ko", "cần đem theo gì". Hà Tĩnh people
    # write as they speak: mô (đâu), chi (gì), răng (sao), rứa (vậy), mần (làm).
    FOLLOWUP + ":" + FEE: """
1.0: phí, lệ phí, mức phí, bao nhiêu tiền, hết bao nhiêu, tốn bao nhiêu, mất tiền
1.0: mất phí, miễn phí, tiền, fee, fees, cost, how much, price, trả tiền, ~tốn, tốn kém
1.0: đồng nào, mấy đồng, bao nhiêu đồng, nghìn, ngàn, triệu, free, costs, charge, pay for
1.0: mấy tiền, tốn chi, mất chi, đồng mô
1.0: đóng tiền, nộp tiền, mất bao nhiêu tiền, hết mấy, lệ phí bao nhiêu, is it free
0.5: bao nhiêu, giá, pay, đắt, rẻ
""",
    FOLLOWUP + ":" + TIME: """
1.0: bao lâu, mất bao lâu, bao nhiêu lâu, mấy ngày, bao nhiêu ngày, mấy hôm
1.0: bao giờ xong, thời gian, thời hạn, thời gian giải quyết, how long, how many days
1.0: mất mấy ngày, mất bao nhiêu ngày, mất mấy hôm, mất mấy tháng, mất mấy tuần
1.0: thời hạn giải quyết, lâu không, có lâu không, nhanh không, có nhanh không
1.0: mấy bữa, bao nhiêu hôm, mấy tuần, mấy tháng, bao giờ có, khi nào có, bao giờ lấy
1.0: khi nào lấy, đợi lâu, chờ lâu, đợi bao lâu, chờ bao lâu, take long, days, weeks
1.0: hết mấy ngày, hết bao nhiêu ngày, hết mấy hôm, mất mấy bữa, bao lâu có
1.0: lấy ngay, lấy liền, trong ngày, có ngay, làm ngay, răng lâu, mấy bữa có
0.7: lâu, nhanh, ~chậm, ~đợi, ~chờ, ~hôm, ~bữa
0.5: bao giờ, khi nào, có kết quả, lấy được, when, time, xong, ngày, tuần
""",
    FOLLOWUP + ":" + PLACE: """
1.0: ở đâu, nộp ở đâu, làm ở đâu, chỗ nào, nơi nào, đi đâu, cơ quan nào, lên xã
1.0: lên huyện, ở xã, tại đâu, địa chỉ, where, which office, ra đâu, đâu, nơi nộp
1.0: chỗ làm, nơi làm
1.0: ở mô, chỗ mô, nơi mô, đi mô, nộp mô, ra mô, lên mô
""",
    FOLLOWUP + ":" + DOCUMENTS: """
1.0: giấy tờ gì, giấy tờ, cần mang gì, mang gì, mang theo, cần gì, cần những gì
1.0: hồ sơ gồm, gồm những gì, gồm gì, chuẩn bị gì, phải chuẩn bị, thành phần hồ sơ
1.0: documents, papers, what do i need, need to bring, bring, những giấy gì, giấy gì
1.0: chuẩn bị những gì, mang những gì, cần mang những gì, form, forms
1.0: ~đem, đem theo, mang, cầm theo, chuẩn bị, photo, giấy má, hồ sơ gì
1.5: mẫu tờ khai, tờ khai, mẫu đơn, biểu mẫu, lấy mẫu
1.0: mang chi, đem chi, gồm chi, cần chi, giấy chi, giấy tờ chi, mang theo chi, đem theo chi
""",
    FOLLOWUP + ":" + STEPS: """
1.0: các bước, trình tự, quy trình, làm như thế nào, cách làm, thực hiện ra sao
1.0: steps, how to, how do i, process, bước, kết quả là gì, được nhận gì, nhận được gì
0.7: thủ tục thế nào, làm thế nào, làm răng, mần răng, mần chi, làm răng rứa
0.5: làm sao, procedure
""",
    FOLLOWUP + ":" + WHO: """
1.0: điều kiện, điều kiện gì, ai được, đối tượng nào, đối tượng, ai làm, ai đi
1.0: người khác, đi thay, làm thay, thay mặt, thay cho, ~nhờ, nhờ người, ủy quyền, uỷ quyền
1.0: requirements, who can, eligible, instead, on behalf, someone else, who may
1.0: tự đi, phải đi, cùng đi, cùng lên, đi cùng, trực tiếp đi, đủ tuổi, được chưa
0.5: có phải
1.0: có được, trường hợp nào
0.7: làm được không, có làm được
0.5: ai, được không, người nhà, bố mẹ, ông bà, bà nội, ông nội, thay
""",
    FOLLOWUP + ":" + DEADLINE: """
1.0: trễ hạn, quá hạn, hết hạn, hạn chót, ~trễ, ~muộn, để muộn, làm muộn, chậm trễ
1.0: deadline, late, penalty, bị phạt, phạt, trước khi hết hạn, trong vòng, bao nhiêu ngày phải
1.0: phải làm trong, phải khai trong, báo trước, phải báo, ~hạn
1.5: trước khi hết hạn, trễ hạn có sao, quá hạn có sao, muộn có sao, có bị phạt
""",
    FOLLOWUP + ":" + ONLINE: """
1.0: online, trực tuyến, qua mạng, trên mạng, dịch vụ công, cổng dịch vụ công
1.0: nộp online, làm online, internet, qua điện thoại, trên điện thoại, bằng điện thoại
1.0: ~mạng, vneid, app, ứng dụng, website, web, apply online, qua zalo
""",
    FOLLOWUP + ":" + LEGAL: """
1.0: căn cứ pháp lý, căn cứ, pháp lý, luật nào, theo luật, văn bản nào, nghị định
1.0: thông tư, quy định nào, legal basis, legal, law, which law
0.5: quy định
""",
}

# Words that say nothing about what is asked: pronouns, particles, words of asking,
# the desk addressed. What a message holds beyond its cues and these is a question.
_FILLER = """
tôi em anh chị bạn mình bác cháu cô chú ông bà ad admin bot ơi ạ à ah ak nhé nha nhỉ
hả vậy thế thì là cho hỏi xin muốn biết chút một với và còn sao gì nào không có được
rồi đi đây đó này ấy cần phải nên cái về hay hoặc mà ở nữa thêm giúp dùm những
các nhiều lắm quá chưa ừ dạ vâng ban một cửa quý cơ quan kính gửi người ta vui lòng
như thế nào ra sao đâu khi nào nay hôm giờ vẫn cũng đã đang sẽ trong xong
làm nộp lên lấy mang đem gửi để nhận trả giải quyết xã huyện tỉnh phường cán bộ người dân
trên dưới ủa hở ơ hm hmm của tiếp bây
"""
# Looked up as typed, like the cues: "đỏ" (sổ đỏ) is not the filler "đó", "vàng" not "vâng".
FILLER = PhraseBook(dict.fromkeys(_FILLER.split(), True))
# English filler, only in a message that is English: unaccented, "do", "so", "the", "me"
# are "đỏ", "sổ", "thẻ", "mẹ". EN_MARKERS are words no Vietnamese syllable spells.
_EN_FILLER = """
i you it is are the a an do does to me my what how can please there this that of
for in on be so and we us get take file need submit apply go will
"""
EN_FILLER = frozenset(_EN_FILLER.split())
EN_MARKERS = frozenset(["i", "you", "does", "what", "how", "please", "there", "this", "that"])
EN_MARKERS |= frozenset(["is", "are", "where", "when", "which"])
# Below ENOUGH, a message made of one intent's cues alone ("dạ", "bao nhiêu") is still it.
ALONE = 0.5

READINGS_KEPT = 4096

# Chat spelling, folded, and what it stands for.
TEENCODE = {
    "ko": "khong",
    "k": "khong",
    "kh": "khong",
    "khg": "khong",
    "hok": "khong",
    "hem": "khong",
    "hong": "khong",
    "dc": "duoc",
    "dk": "duoc",
    "j": "gi",
    "bn": "bao nhieu",
    "bnh": "bao nhieu",
    "ntn": "nhu the nao",
    "r": "roi",
    "vs": "voi",
    "mk": "minh",
    "mik": "minh",
    "e": "em",
    "hs": "ho so",
    "onl": "online",
    "lm": "lam",
    "bh": "bao gio",
    "trc": "truoc",
    "sdt": "so dien thoai",
    "cb": "can bo",
    "nv": "nhan vien",
    "ng": "nguoi",
    "z": "vay",
    "v": "vay",
    "bit": "biet",
    "bik": "biet",
    "nhiu": "nhieu",
    "kq": "ket qua",
}
_RUN = re.compile(r"(.)\1{2,}")
_DOUBLE_END = re.compile(r"(.)\1$")


@dataclass(frozen=True)
class Intent:
    kind: str
    section: str | None = None  # which part of a procedure is asked about, if said
    query: str | None = None  # for a procedure question: the words to search
    code: str | None = None  # the procedure the message names, when search found one


def _books() -> tuple[PhraseBook, PhraseBook, PhraseBook]:
    """Cues with marks match as typed; cues written without any ("alo", "ok") match
    whatever marks were typed ("alô", "ók"), unless written "=ngu": then "ngủ" is not it.
    A cue written "~nhờ" counts only when typed with its marks: unaccented, "nho" is as
    likely "nhỏ" or "nhớ", "dem" "đêm", "han" "hàn"."""
    strict: dict[str, list[tuple[str, float]]] = {}
    loose: dict[str, list[tuple[str, float]]] = {}
    marked: dict[str, list[tuple[str, float]]] = {}
    for key, block in _CUES.items():
        for line in filter(None, (line.strip() for line in block.splitlines())):
            weight, _, phrases = line.partition(":")
            for phrase in (p.strip() for p in phrases.split(",")):
                if phrase.startswith("="):
                    strict.setdefault(phrase[1:], []).append((key, float(weight)))
                elif phrase.startswith("~"):
                    marked.setdefault(phrase[1:], []).append((key, float(weight)))
                elif phrase:
                    book = loose if phrase.isascii() else strict
                    book.setdefault(phrase, []).append((key, float(weight)))
    return PhraseBook(strict), PhraseBook(loose), PhraseBook(marked)


_STRICT, _LOOSE, _MARKED = _books()


def _cue_at(words: list[Token], bare: list[Token], i: int) -> tuple[int, object] | None:
    """The longest cue starting at word `i` (`bare`: the same words, marks ignored)."""
    found = [_STRICT.match(words, i), _LOOSE.match(bare, i)]
    marked = _MARKED.match(words, i)
    if marked and all(w.marked for w in words[i : i + marked[0]]):
        found.append(marked)
    found = [f for f in found if f]
    return max(found, key=lambda f: f[0]) if found else None


# Every word a cue or the filler knows: a doubled last letter ("okk", "onn") is a typo
# only when dropping it gives one of these.
_KNOWN = frozenset(
    t.folded for block in (*_CUES.values(), _FILLER) for t in tokens(block.replace("=", ""))
)


def words_of(text: str) -> tuple[list[Token], list[int]]:
    """Syllables as typed, with long runs squashed ("alooo") and chat spelling spelled out,
    and for each the number of the word of `text` it comes from."""
    out: list[Token] = []
    source: list[int] = []
    for n, t in enumerate(tokens(text)):
        before = len(out)
        word = _RUN.sub(r"\1", t.text)
        folded = fold_syllable(word)
        if folded not in _KNOWN and folded not in TEENCODE:
            shorter = _DOUBLE_END.sub(r"\1", word)
            if fold_syllable(shorter) in _KNOWN:
                word, folded = shorter, fold_syllable(shorter)
        meant = TEENCODE.get(folded)
        if meant and not (t.marked and word != folded):
            out.extend(Token(w, w, t.phrase, False) for w in meant.split())
        elif word != t.text:
            out.append(Token(word, folded, t.phrase, t.marked))
        else:
            out.append(t)
        source.extend([n] * (len(out) - before))
    return out, source


@dataclass
class Reading:
    """What the cues make of a message: a score per intent and section, the words they
    leave unexplained, and the message without its follow-up cues (for search)."""

    scores: dict[str, float]
    sections: dict[str, tuple[float, int]]  # section -> (score, position of its last cue)
    content: list[str]
    without_followup: str
    # Each follow-up cue found: (section, weight, its folded words), so a cue that is a
    # word of the procedure's own name ("gia hạn" in "gia hạn tạm trú") can be set aside.
    cues: tuple[tuple[str, float, tuple[str, ...]], ...] = ()


@lru_cache(maxsize=READINGS_KEPT)
def read(text: str) -> Reading:
    """Cached: citizens send the same few words again and again (do not change a Reading)."""
    words, source = words_of(text)
    scores: dict[str, float] = {}
    sections: dict[str, tuple[float, int]] = {}
    content: list[str] = []
    followup: set[int] = set()
    found_cues: list[tuple[str, float, tuple[str, ...]]] = []
    english = text.isascii() and any(w.folded in EN_MARKERS for w in words)
    end = 0  # where the cues found so far end: an overlapping cue counts if it reaches past
    bare = [Token(t.text, t.folded, t.phrase, False) for t in words]
    for i in range(len(words)):
        found = _cue_at(words, bare, i)
        if found is not None and i + found[0] > end:
            length, cues = found
            if all(key == NOT_A_CUE for key, _ in cues):  # "chi phí" is no fee question
                content.extend(w.folded for w in words[i : i + length])
                end = i + length
                continue
            for key, weight in cues:
                intent, _, section = key.partition(":")
                scores[intent] = scores.get(intent, 0.0) + weight
                if section:
                    sections[section] = (sections.get(section, (0.0, 0))[0] + weight, i)
                    followup.update(range(i, i + length))
                    said = tuple(w.folded for w in words[i : i + length])
                    found_cues.append((section, weight, said))
            end = i + length
        elif i >= end and not _filler(words, i, english):
            content.append(words[i].folded)
    without = _without(text, {source[i] for i in followup})
    return Reading(scores, sections, content, without, tuple(found_cues))


_WORD_RUN = re.compile(r"[^\W_]+")


def _without(text: str, cut: set[int]) -> str:
    """`text` without its words numbered in `cut`, punctuation and quotes kept."""
    if not cut:
        return text
    text = nfc(text)
    spans = [m.span() for m in _WORD_RUN.finditer(text)]
    out, last = [], 0
    for n, (start, end) in enumerate(spans):
        if n in cut:
            out.append(text[last:start])
            last = end
    out.append(text[last:])
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _filler(words: list[Token], i: int, english: bool) -> bool:
    folded = words[i].folded
    return folded.isdigit() or (english and folded in EN_FILLER) or bool(FILLER.match(words, i))


_LEADING = re.compile(
    r"^\s*(?:(?:thế|vậy|the|vay)\s+(?:còn|con)|còn|thế|vậy)(?:\s+|\s*,\s*)", re.IGNORECASE
)
_TRAILING = re.compile(
    r"\s*(?:thì|thi)\s+(?:sao|thế nào|the nao|như thế nào|nhu the nao)(?:\s+(?:ạ|a|nhỉ|nhi))?"
    r"\s*[?.!]*\s*$|\s+(?:nữa)\s*[?.!]*\s*$",
    re.IGNORECASE,
)


# Emoji that say "thanks" or "got it" on their own (a thumbs up is not a question).
_ACK_EMOJI = frozenset("👍👌🙏👏🤝💯✅❤💐🌹")  # gestures, not faces: "😀😀" asks for words
_EMOJI_NOISE = frozenset("\ufe0f\u200d\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff ")


def is_acknowledgement(text: str) -> bool:
    """A message of thanks emoji alone ("👍", "🙏🙏")."""
    signs = [c for c in text.strip() if c not in _EMOJI_NOISE]
    return bool(signs) and all(c in _ACK_EMOJI for c in signs)


def has_words(text: str) -> bool:
    return bool(re.search(r"[^\W\d_]", text))


def search_words(text: str) -> str:
    """The question without the words that only turn the conversation ("thế còn …",
    "… thì sao?"): "còn" would otherwise read as "con" (child) to search."""
    stripped = _TRAILING.sub("", _LEADING.sub("", text))
    return stripped if re.search(r"\w", stripped) else text


def classify(
    text: str,
    finds: Callable[[str], list[str]],
    reading: Reading | None = None,
    in_context: bool = True,
) -> Intent:
    """The intent of `text`. `finds(query)` lists the codes (8 characters) search answers
    with, best first, or none when it abstains. A message that names a procedure gets
    that procedure whatever was shown before: the same question, the same answer."""
    if is_acknowledgement(text):  # "👍"
        return Intent(THANKS)
    reading = reading or read(text)
    query = search_words(text)
    ranked = [k for k in PRIORITY if reading.scores.get(k, 0.0) >= ENOUGH - 1e-9]
    if not ranked and not reading.content:
        ranked = [k for k in PRIORITY if reading.scores.get(k, 0.0) >= ALONE]
    if not ranked:
        return Intent(PROCEDURE, query=query)
    kind = ranked[0]
    section = aspect(reading)
    if kind == FOLLOWUP and section is None:  # a follow-up of weaker cues: its likeliest part
        section = max(reading.sections, key=lambda s: reading.sections[s])
    if kind in STRONG or not reading.content:
        return Intent(kind, section)
    if kind == FOLLOWUP:
        return _followup_or_question(query, reading, finds, section, in_context)
    codes = finds(query)
    if codes:
        return Intent(PROCEDURE, section, query=query, code=codes[0])
    if len(reading.content) >= (QUESTION_WORDS if kind in WRAPPERS else LONG):
        return Intent(PROCEDURE, section, query=query)
    return Intent(kind, section)


@lru_cache(maxsize=READINGS_KEPT)
def _name_words(name: str) -> frozenset[str]:
    return frozenset(t.folded for t in tokens(name))


def aspect(reading: Reading, name: str = "") -> str | None:
    """The part of a procedure the message asks about, when its words say so clearly.

    Cues made only of words of the procedure's `name` are its name, not a question about
    it: "gia hạn tạm trú" asks nothing about a deadline ("hạn") or a price ("giá").
    """
    named = _name_words(name) if name else frozenset()
    scores: dict[str, float] = {}
    for section, weight, said in reading.cues:
        if not (named and all(w in named for w in said)):
            scores[section] = scores.get(section, 0.0) + weight
    if not scores:
        return None
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= ENOUGH - 1e-9 else None


def _initials(word: str) -> bool:
    """A word with no vowel is no syllable but initials ("dkkh", "gks"): it names something."""
    return len(word) >= 2 and not any(ch in "aeiou" for ch in word)


def _followup_or_question(
    query: str, reading: Reading, finds, section: str | None, in_context: bool
) -> Intent:
    """A message asking about a part of a procedure, with other words beside: a new
    question when those words name a procedure, else a follow-up on the one in context
    ("bà nội đi khai được không", "tầm mấy hôm thì xong vậy").

    One word of its own never makes it a new question: "tầm" (about) is not "tạm" (trú);
    unless it is initials, which name something ("dkkh cần gì" after another card).
    With no procedure in context (`in_context`), words of its own make it a question
    ("giá vàng hôm nay"), which search may not know.
    """
    if not in_context and reading.content:
        codes = finds(query)
        return Intent(PROCEDURE, section, query=query, code=codes[0] if codes else None)
    if len(reading.content) <= 1 and not any(map(_initials, reading.content)):
        return Intent(FOLLOWUP, section)
    codes = finds(query)
    if codes:
        return Intent(PROCEDURE, section, query=query, code=codes[0])
    rest = search_words(reading.without_followup)
    found = finds(rest) if rest != query else []
    if found:
        return Intent(PROCEDURE, section, query=rest, code=found[0])
    if len(reading.content) > FOLLOWUP_WORDS:
        return Intent(PROCEDURE, section, query=query)
    return Intent(FOLLOWUP, section)
