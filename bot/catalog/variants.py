"""Sibling procedures and what tells them apart: age, occasion and who files.

The catalog holds families of procedures that differ in one respect: "Cấp thẻ căn cước
cho người dưới 14 tuổi" / "… từ đủ 14 tuổi trở lên"; "Cấp", "Cấp đổi", "Cấp lại",
"Đính chính" of one paper; a household's version beside an organisation's or one "có
yếu tố nước ngoài". Names say which, in a few set phrases; a question says which in its
own words and numbers ("con tôi 16 tuổi", "bị mất", "lần đầu", "công ty", "lấy chồng
Hàn Quốc"). Both are read here, from text only, so families are found in any catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.text import fold

# Occasions, as names and questions say them (folded: no marks, đ → d).
FIRST, CHANGE, REISSUE, CORRECT, AGAIN, EXTEND = (
    "first",
    "change",
    "reissue",
    "correct",
    "again",
    "extend",
)
# Who files, when not a citizen or household.
ORGANISATION, FOREIGN = "organisation", "foreign"

_NAME_OCCASION = (
    (re.compile(r"^(?:thu tuc )?cap lai\b|\bcap lai\b"), REISSUE),
    (re.compile(r"^(?:thu tuc )?(?:cap doi|doi)\b|\bcap doi\b"), CHANGE),
    (re.compile(r"\b(?:dinh chinh|cai chinh)\b"), CORRECT),
    (re.compile(r"^(?:thu tuc )?dang ky lai\b"), AGAIN),
    (re.compile(r"^(?:thu tuc )?gia han\b"), EXTEND),
    # "… Giấy chứng nhận đã cấp lần đầu …" names what it acts on, not a first issue
    (re.compile(r"(?<!da cap )\blan dau\b"), FIRST),
)
_NAME_PARTY = (
    (re.compile(r"\b(?:co yeu to nuoc ngoai|nguoi nuoc ngoai|dinh cu o nuoc ngoai)\b"), FOREIGN),
    (re.compile(r"\b(?:to chuc|doanh nghiep|hop tac xa)\b"), ORGANISATION),
)
_UNDER = re.compile(r"\bduoi (\d{1,3}) tuoi\b")
_FROM = re.compile(r"\b(?:tu du|tu|du|tren) (\d{1,3}) tuoi\b")

# A question's words (folded). "mất" alone is also "died" and "costs": a lost paper is
# "bị mất", "làm mất", "mất + a paper" (read by the caller as REISSUE only near a paper).
_ASKED_OCCASION = (  # the most specific first: "sắp hết hạn, muốn gia hạn" extends
    (re.compile(r"\b(?:dang ky lai|khai lai|dang ky (?:khai sinh|khai tu|ket hon) lai)\b"), AGAIN),
    (re.compile(r"\bgia han\b"), EXTEND),
    (
        re.compile(
            r"\b(?:ghi sai|bi sai|sai (?:ten|ngay|thong tin)|dinh chinh|nham|cai chinh"
            r"|(?:doi|sua) (?:ten|ho|ngay sinh|que quan|dan toc))\b"
        ),
        CORRECT,
    ),
    (
        re.compile(
            r"\b(?:bi mat|lam mat|danh mat|mat (?:the|so|giay|bang|cccd|can cuoc|cmnd)"
            r"|lam lai|xin lai|cap lai|bi hong|hong|rach|nat|chay|mat cap|bi trom|thai)\b"
        ),
        REISSUE,
    ),
    (
        re.compile(r"\b(?:cap doi|doi (?:the|so|bang|cccd|can cuoc|giay)|het han|doi sang)\b"),
        CHANGE,
    ),
    (re.compile(r"\b(?:lan dau|chua (?:tung )?co|moi lam lan)\b"), FIRST),
)
_ASKED_PARTY = (
    (
        re.compile(
            r"\b(?:nguoi nuoc ngoai|yeu to nuoc ngoai|viet kieu|quoc tich|han quoc|nhat ban"
            r"|dai loan|trung quoc|nguoi (?:my|uc|phap|duc|lao|nhat|han|trung)"
            r"|(?:chong|vo) (?:han|nhat|tay|trung|my|uc|lao))\b"
        ),
        FOREIGN,
    ),
    (re.compile(r"\b(?:cong ty|cty|doanh nghiep|to chuc|hop tac xa|htx)\b"), ORGANISATION),
)
_AGE = re.compile(r"\b(\d{1,3}) ?(?:tuoi|t)\b")
# A young child named without an age ("cho bé", "trẻ sơ sinh"), and a child of any age
# ("con tôi", "cháu"): the first is the youngest version, the second must be asked.
_BABY = re.compile(r"\b(?:be|em be|so sinh|moi sinh|tre nho|con nho|chau nho)\b")
_CHILD = re.compile(r"\b(?:con|chau|dua|tre|tre em|hoc sinh|thang be|con be)\b")
BABY, CHILD = "baby", "child"
_NO_AGE_BEFORE = re.compile(r"(?:nam|thang|ngay|lop|tang|so)\s*$")


_AGE_PHRASE = re.compile(r"\b(?:duoi|tu du|tu|du|tren) \d{1,3} tuoi(?: tro len)?\b")


def without_age(folded_name: str) -> str:
    """A folded name without its age range: the key its age siblings share."""
    return " ".join(_AGE_PHRASE.sub(" ", folded_name).split())


@dataclass(frozen=True)
class Variant:
    """What a procedure's name, or a question, says about age, occasion and who files."""

    age_from: int | None = None  # the age at which it starts applying
    age_under: int | None = None  # the age below which it applies
    occasion: str | None = None
    party: str | None = None

    def fits_age(self, age: int) -> bool:
        return (self.age_from is None or age >= self.age_from) and (
            self.age_under is None or age < self.age_under
        )

    @property
    def has_age(self) -> bool:
        return self.age_from is not None or self.age_under is not None


def folded(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", fold(text).lower()))


@lru_cache(maxsize=1 << 14)
def of_name(name: str) -> Variant:
    """The variant a procedure's name states."""
    text = folded(name)
    under = _UNDER.search(text)
    start = _FROM.search(text)
    age_from = None
    if start:
        age_from = int(start.group(1)) + (1 if " tren " in f" {start.group()} " else 0)
    occasion = next((kind for pattern, kind in _NAME_OCCASION if pattern.search(text)), None)
    party = next((kind for pattern, kind in _NAME_PARTY if pattern.search(text)), None)
    return Variant(age_from, int(under.group(1)) if under else None, occasion, party)


def whose(question: str) -> str | None:
    """BABY or CHILD when the question is for a child and gives no age, else None (for
    the writer, an adult, or an age is given)."""
    text = folded(question)
    if _BABY.search(text):
        return BABY
    return CHILD if _CHILD.search(text) else None


@lru_cache(maxsize=1 << 12)
def of_question(question: str) -> tuple:
    """(age, occasion, party, whose) a question states, each None when it does not say;
    `whose` (BABY, CHILD) only when no age is given."""
    text = folded(question)
    age = None
    for m in _AGE.finditer(text):
        before = text[: m.start()]
        if not _NO_AGE_BEFORE.search(before) and 0 < int(m.group(1)) < 130:
            age = int(m.group(1))
            if before.endswith("duoi "):  # "dưới 14 tuổi": younger than 14
                age -= 1
            elif before.endswith("tren "):
                age += 1
            break
    occasion = next((kind for pattern, kind in _ASKED_OCCASION if pattern.search(text)), None)
    party = next((kind for pattern, kind in _ASKED_PARTY if pattern.search(text)), None)
    return age, occasion, party, None if age is not None else whose(question)


# How a candidate's ranking score moves with what the question says about its variant.
FITS = 1.6  # the question says the very thing the name says
CLASHES = 0.35  # the question says something else (16 years old; the card is for under 14)
UNASKED = 0.75  # the name says a special case the question does not mention
PLAIN = 0.6  # the question names an occasion ("bị mất") and this is the plain procedure


def _occasion_fit(named: str | None, asked: str | None) -> float:
    if named in (None, FIRST):
        if asked is None:
            return 1.0
        if asked == FIRST:
            return FITS if named == FIRST else 1.0
        return PLAIN
    if asked == named:
        return FITS
    return UNASKED if asked is None else CLASHES


def fit(name_variant: Variant, asked: tuple) -> float:
    """A factor on a candidate's ranking score: above 1 when its name's variant is the
    one asked about, below 1 when it is another, or a special case no one mentioned."""
    age, occasion, party = asked[:3]
    factor = _occasion_fit(name_variant.occasion, occasion)
    if name_variant.has_age and age is not None:
        factor *= FITS if name_variant.fits_age(age) else CLASHES
    elif name_variant.age_under is not None and name_variant.age_from is None:
        # a children-only version: for a baby, the one; for the writer themself, not
        who = asked[3] if len(asked) > 3 else None
        factor *= FITS if who == BABY else (1.0 if who == CHILD else UNASKED)
    if name_variant.party is not None:
        factor *= FITS if name_variant.party == party else UNASKED
    elif party is not None:
        factor *= UNASKED
    return factor
