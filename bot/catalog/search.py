"""Vietnamese procedure search that says "I don't know" when nothing fits.

Ranking: BM25F over folded syllables and syllable bigrams (the name weighs most;
result, field, documents, steps and requirements each have their own weight and
length normalisation), everyday words expanded (`synonyms`), typos corrected
against the index vocabulary; the best candidates are then reranked by how well
their name and the question cover each other (the question's words weighed by
their rarity among names), with a mild boost for the deployment's levels. A title
the question puts in quotes is required, as in web search. When the fit is
uncertain, the first three shown are distinct procedures, not one procedure at
several levels or near-identical names.

Abstention: the bot answers only when the best candidate's confidence
(`Candidate.confidence`) is high enough. A bot that sends a citizen to the wrong
office does more harm than one that hands the question to an official.
"""

from __future__ import annotations

import heapq
import math
import re
from array import array
from bisect import bisect_left
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np

from bot.catalog import abbreviations, variants
from bot.catalog.clauses import windows
from bot.catalog.learned import Learned, LearnedPhrasings
from bot.catalog.model import LEVEL_COMMUNE, LEVEL_PROVINCE, Procedure
from bot.catalog.synonyms import ALTERNATIVES, ASKING
from bot.catalog.tokenize import Query, analyse, folded_phrases, marked_form, terms, tokens
from bot.text import nfc

# How much a term found in each part of a procedure counts, and how strongly each
# part is normalised by its length (BM25F).
FIELD_WEIGHTS = {
    "name": 4.0,
    "result": 1.0,
    "field": 1.0,
    "agency": 0.3,
    "documents": 0.5,
    "steps": 0.5,
    "requirements": 0.5,
}
LENGTH_NORM = {
    "name": 0.75,
    "result": 0.5,
    "field": 0.5,
    "agency": 0.5,
    "documents": 0.75,
    "steps": 0.75,
    "requirements": 0.75,
}
K1 = 1.2
# Long texts are cut: their start says what the procedure is; the rest repeats law.
TEXT_LIMIT = 3000
RESULT_LIMIT = 300
# Terms in more than this share of procedures ("của", "hồ sơ", "giấy") barely
# rank anything and would make every search walk the whole catalog; a catalog
# smaller than PRUNE_FROM keeps every term.
COMMON = 0.5
PRUNE_FROM = 500
# Reranking: BM25F x (QUERY_SHIFT + query coverage) x (NAME_SHIFT + name coverage)
# x (1 + LEVEL_BOOST) for a procedure at one of the deployment's levels.
CANDIDATES = 50
# Lists up to this long are reranked with pruning (see rank()).
KEEP = 10
QUERY_SHIFT = 0.5
NAME_SHIFT = 1.0
LEVEL_BOOST = 0.05
# The deployment's own level (the first of its levels: the commune) counts this much more:
# a commune desk serves commune procedures first.
HOME_BOOST = 0.15
# Procedures citizens file here (the bundled everyday list, dossiers, officials' links):
# at most this much more, so an everyday procedure outranks a rare one with similar words.
USAGE_BOOST = 0.15
# Below this confidence the bot does not answer but offers to pass the question
# to an official. Calibrated on ../shared/eval/dev-questions.jsonl and checked
# across halves (`bench/search_quality.py --calibrate`): each half picks 0.45-0.475.
MIN_CONFIDENCE = 0.45
# When the best candidate's confidence is below this, the first SHOWN matches are
# distinct procedures: the same procedure at another level ("(cấp Bộ)", "(thực hiện
# tại cấp tỉnh)") or a near-identical name waits until after them, so an unsure
# answer offers three different choices. A citizen who clearly asked for one
# procedure still sees its versions at each level together.
SURE = 0.6
# Two names sharing this share of their syllables (Jaccard) are near-duplicates:
# "Công bố đóng luồng/cảng thủy nội địa vì lý do bảo đảm quốc phòng, an ninh".
NEAR_DUPLICATE = 0.7
SHOWN = 3
TELLING = 3.0  # the rarity (idf) of a pair of words that names a special sibling
# A clause of a long message answers for it only when this sure: a few words out of
# context fit some procedure more often than a whole question does. Below, its
# procedures are offered as a question ("Có phải bạn hỏi…?"), not given as the answer.
CLAUSE_SURE = 0.75
# A candidate this much surer than the first (and sure) goes first (`_surer_first`).
FAR_SURER = 0.25
# Procedures at least this close are offered when search abstains.
SUGGEST = 0.4
# A title the question puts in quotes is required, as in web search: procedures
# whose text holds every quoted title rank first. When no candidate holds them,
# the catalog likely lacks what is asked, and confidence is scaled by QUOTE_ABSENT.
QUOTE_ABSENT = 0.5
# A question typed with marks whose name shares none of its marked words ("chiều" is not
# "chiếu") is doubted this much: only the folded letters agree.
MARKS_ABSENT = 0.6
MARKED_FEW = 2
FULL_TEXT_CACHE = 256
VECTORS_KEPT = 20_000  # terms whose postings are kept as vectors (a few MB)
# Answers kept for questions asked again (bounded LRU): many citizens type the same
# few words ("khai sinh", "lam cccd"), and ranking is the costliest part of a reply.
ANSWER_CACHE = 4096
# A listed alternative counts as a reading of the name when it carries this
# share of the name's weight ("bản sao Giấy khai sinh", not a bare "Cấp lại").
MIN_READING = 0.35

# Words that join a name's parts but say nothing about the procedure: a question
# need not repeat them ("Cấp Giấy xác nhận là người gốc Việt Nam").
NAME_FILLER = frozenset(
    ["la", "va", "hoac", "cac", "nhung", "cua", "ve", "voi", "de", "duoc", "da", "ma", "thi"]
)

_CODE = re.compile(r"\b\d\.\d{6}\b")


@dataclass(frozen=True)
class Match:
    code: str
    name: str
    score: float


@dataclass
class SearchResult:
    query: str
    abstained: bool
    matches: list[Match] = field(default_factory=list)
    confidence: float = 0.0  # of the first match (1.0 for a code or a taught wording)
    # When it abstains: procedures that may fit, to offer as a question, never as the answer
    suggestions: list[Match] = field(default_factory=list)


@dataclass
class Candidate:
    """A procedure that may answer the question, with what abstention looks at."""

    procedure: Procedure
    score: float  # BM25F
    matched: float  # score / the score of a procedure matching every term at its best
    query_coverage: float  # share of the question the name carries
    name_coverage: float  # share of the name the question mentions
    final: float  # the ranking score
    doubt: float = 1.0  # below 1 when the question names something the text lacks

    @property
    def confidence(self) -> float:
        """Geometric mean of the three shares: each must be decent for a good fit."""
        return self.doubt * (self.matched * self.query_coverage * self.name_coverage) ** (1 / 3)


# Where a procedure name stops saying what it is and starts qualifying it:
# "Cấp lại thẻ căn cước (thực hiện tại cấp tỉnh)", "Đổi giấy phép lái xe quân sự do
# Bộ Quốc phòng cấp", "Chứng thực chữ ký người dịch mà người dịch là ...".
_QUALIFIER = re.compile(
    r"[(;:]|\s(?:do|đối với|cho|của|tại|theo|thuộc|trong|mà|khi|ở|để)\s", re.IGNORECASE
)
_PREFIX = re.compile(r"^\s*thủ tục\s+", re.IGNORECASE)
# "(cấp Tỉnh)", "(thực hiện tại cấp trung ương)", "( 1.010727 )": which office, not what.
_LEVEL_NOTE = re.compile(r"\((?:[^()]*\bcấp\b[^()]*|\s*[\d.]+\s*)\)", re.IGNORECASE)


def family_of(name: str) -> str:
    """A procedure's name without the office level it is carried out at: the
    versions of one procedure at several levels share it."""
    text = _LEVEL_NOTE.sub(" ", _PREFIX.sub("", name))
    return " ".join(w for phrase in folded_phrases(text) for w in phrase)


_LISTED = re.compile(r"[,/]")


def head_of(name: str) -> str:
    """The part of a name that says what the procedure is (without the "Thủ tục"
    some names start with and others not)."""
    name = _PREFIX.sub("", name)
    cut = _QUALIFIER.search(name)
    head = name[: cut.start()] if cut else name
    return head if len(head.split()) >= 2 else name


def readings_of(name: str) -> list[str]:
    """The name's head, then each alternative it lists: "Cấp bản sao Trích lục hộ
    tịch, bản sao Giấy khai sinh" is also read "bản sao Giấy khai sinh"."""
    head = head_of(name)
    parts = [part for part in _LISTED.split(head) if part.strip()]
    return [head, *parts] if len(parts) > 1 else [head]


# What the citizen gets ("Giấy khai sinh") is what many ask for; the crawl may glue
# the portal's page chrome after it ("Mã: KQ.G15.000031Từ khóa...").
_RESULT_CHROME = re.compile(r"Mã:\s*KQ[.\w]*")
_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
# Crawled tables lose their cell borders: "Tên giấy tờMẫu đơn, tờ khaiSố lượng".
_GLUED_CELLS = re.compile(f"(?<=[{_LOWER}])(?=[{_LOWER.upper()}])")


def _unglue(text: str) -> str:
    """The start of a long text, with glued table cells split into phrases."""
    return _GLUED_CELLS.sub("\n", text[:TEXT_LIMIT])


def _syllables(text: str) -> frozenset[str]:
    return frozenset(w for phrase in folded_phrases(text) for w in phrase)


def _fields(p: Procedure) -> dict[str, str]:
    """The texts BM25F indexes, one per field of FIELD_WEIGHTS."""
    documents = "\n".join(d.name for d in p.documents) or p.documents_text
    return {
        "name": "\n".join([p.name, *p.keywords]),
        "result": _RESULT_CHROME.sub(" ", p.result.split("Từ khóa")[0])[:RESULT_LIMIT],
        "field": p.field,
        "agency": p.agency[:TEXT_LIMIT],
        "documents": _unglue(documents),
        "steps": _unglue("\n".join(p.steps)),
        "requirements": _unglue(p.requirements),
    }


class SearchIndex:
    """Built once from the catalog; `search` is pure CPU, no I/O."""

    def __init__(
        self,
        procedures: Iterable[Procedure],
        preferred_levels: tuple[str, ...] = (LEVEL_COMMUNE, LEVEL_PROVINCE),
        usage: dict[str, float] | None = None,
    ):
        """`usage`: per national code (8 characters), how much citizens file it here,
        from 0 to 1 (a prior on ranking)."""
        self.procedures = {p.code: p for p in procedures}
        self.preferred_levels = tuple(preferred_levels)
        self.usage = dict(usage or {})
        self._docs = list(self.procedures.values())
        self._by_code8 = {p.code8: i for i, p in reversed(list(enumerate(self._docs)))}
        self._by_code = {p.code: i for i, p in enumerate(self._docs)}
        self._full_texts: dict[str, str] = {}
        self._answers: OrderedDict[tuple[str, int], SearchResult] = OrderedDict()
        self.answers_kept = ANSWER_CACHE  # 0 turns the cache off (benchmarks of cold questions)
        self.learned: LearnedPhrasings | None = None  # wordings officials linked to procedures
        self._build()

    def teach(self, learned: Iterable[Learned]) -> None:
        """Use these learned wordings from now on (cached answers may change: drop them)."""
        self.learned = LearnedPhrasings(learned, self.idf)
        self._answers.clear()

    def _build(self) -> None:
        """What abstention compares against (names, their readings), then the index."""
        self._family = [family_of(p.name) for p in self._docs]
        self._variants = [variants.of_name(p.name) for p in self._docs]
        self._by_age: dict[tuple, list[int]] = {}  # one procedure for several age ranges
        for doc, variant in enumerate(self._variants):
            if variant.has_age:
                key = (variants.without_age(self._family[doc]), tuple(self._docs[doc].levels))
                self._by_age.setdefault(key, []).append(doc)
        self._prior = array("f", map(self._prior_of, self._docs))
        self.initials = abbreviations.mine(p.name for p in self._docs)  # "dkkh", "hkd"
        self._family_words = [frozenset(f.split()) for f in self._family]
        self._name_words: list[frozenset[str]] = []  # syllables, bigrams, marked forms
        readings: list[list[frozenset[str]]] = []  # per procedure: words of each reading
        keywords: list[list[frozenset[str]]] = []
        for p in self._docs:
            phrases = folded_phrases("\n".join([p.name, *p.keywords]))
            marked = {marked_form(t) for t in tokens(p.name)}
            self._name_words.append(frozenset(terms(phrases)) | marked)
            readings.append([_syllables(r) for r in readings_of(p.name)])
            keywords.append([_syllables(k) for k in p.keywords])
        self._index([_fields(p) for p in self._docs])
        self._weigh_names(readings, keywords)

    def _index(self, texts: list[dict[str, str]]) -> None:
        """BM25F: per procedure and term, one impact mixing the fields' counts.

        Postings are compact arrays, filled one procedure at a time, so the catalog's
        millions of (term, procedure) pairs never exist as Python objects at once.
        """
        n = max(len(texts), 1)
        average = {f: (sum(len(t[f]) for t in texts) / n) or 1.0 for f in FIELD_WEIGHTS}
        raw: dict[str, tuple[array, array]] = {}  # term -> (procedures, mixed counts)
        for doc, fields in enumerate(texts):
            mixed: dict[str, float] = {}
            for name, text in fields.items():
                b = LENGTH_NORM[name]
                weight = FIELD_WEIGHTS[name] / (1 - b + b * len(text) / average[name])
                for term, tf in Counter(terms(folded_phrases(text))).items():
                    mixed[term] = mixed.get(term, 0.0) + weight * tf
            for term, tf in mixed.items():
                if term not in raw:
                    raw[term] = (array("I"), array("f"))
                docs, counts = raw[term]
                docs.append(doc)
                counts.append(tf)
        self.vocabulary = {t: len(docs) for t, (docs, _) in raw.items()}
        common = COMMON * n if n >= PRUNE_FROM else n
        self._postings: dict[str, tuple[array, array]] = {}
        self._vectors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._best_impact: dict[str, float] = {}
        for term, (docs, counts) in raw.items():
            df = len(docs)
            if df > common:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            impacts = array("f", (idf * tf * (K1 + 1) / (K1 + tf) for tf in counts))
            self._postings[term] = (docs, impacts)
            self._best_impact[term] = max(impacts)
        self._idf = {w: math.log(1 + n / (c + 1)) for w, c in self.vocabulary.items()}
        self._max_idf = math.log(1 + n)

    def _weigh_names(
        self, readings: list[list[frozenset[str]]], keywords: list[list[frozenset[str]]]
    ) -> None:
        """A name word weighs its rarity among names: "đăng ký", "cấp" head hundreds
        of names and say little; "khai tử" says it all. Keywords are readings too."""
        n = max(len(readings), 1)
        name_df = Counter(w for doc in readings for w in doc[0])
        rarity = {w: math.log(1 + n / c) for w, c in name_df.items()}
        self._name_rarity = rarity
        self._max_rarity = math.log(1 + n)

        def weigh(words: frozenset[str]) -> dict[str, float]:
            return {w: rarity.get(w, math.log(1 + n)) for w in words if w not in NAME_FILLER}

        self._name_weights = []
        for doc, extra in zip(readings, keywords, strict=True):
            whole, *parts = map(weigh, doc)
            least = MIN_READING * sum(whole.values())
            listed = [p for p in parts if sum(p.values()) >= least]
            self._name_weights.append(
                [(w, sum(w.values())) for w in [whole, *listed, *map(weigh, extra)]]
            )

    def best_among(self, query: str, codes: Iterable[str]) -> str | None:
        """The procedure among `codes` the question fits best: a life event's steps, when
        the message names one of them in words search alone was unsure of ("mạ mất hôm
        qua, đi khai tử đem theo chi"). None when it shares no word with any of them."""
        docs = frozenset(d for c in codes if (d := self._by_code8.get(c[:8])) is not None)
        if not docs:
            return None
        _, ranked = self.rank(query, SHOWN, among=docs)
        return ranked[0].procedure.code if ranked else None

    def age_siblings(self, code: str) -> list[tuple[Procedure, variants.Variant]]:
        """The versions of a procedure for other ages at the same levels ("dưới 14 tuổi",
        "từ đủ 14 tuổi trở lên"), youngest first, itself included; [] when it has none."""
        doc = self._by_code.get(code, self._by_code8.get(code[:8]))
        if doc is None or not self._variants[doc].has_age:
            return []
        key = (variants.without_age(self._family[doc]), tuple(self._docs[doc].levels))
        docs = self._by_age.get(key, [])
        if len(docs) < 2:
            return []
        docs = sorted(docs, key=lambda d: self._variants[d].age_from or 0)
        return [(self._docs[d], self._variants[d]) for d in docs]

    def _prior_of(self, p: Procedure) -> float:
        """What ranking knows of a procedure before the question: done here, filed here."""
        home = self.preferred_levels[:1]
        level = 1 + LEVEL_BOOST * any(lv in self.preferred_levels for lv in p.levels)
        level += HOME_BOOST * any(lv in home for lv in p.levels)
        return level * (1 + USAGE_BOOST * min(max(self.usage.get(p.code8, 0.0), 0.0), 1.0))

    def idf(self, word: str) -> float:
        """Rarity of a syllable in the catalog; unseen words are the rarest."""
        return self._idf.get(word, self._max_idf)

    def name_rarity(self, word: str) -> float:
        """Rarity of a syllable among procedure names. Query coverage weighs the
        question's words by it: "Việt Nam" is common in the catalog's long texts
        but rare, and telling, in names."""
        return self._name_rarity.get(word, self._max_rarity)

    def query_coverage(
        self, query: Query, doc: int, weights: list[float], quoted: frozenset[str] = frozenset()
    ) -> float:
        """Share of the question's informative weight (`weights`, one per slot) that
        the procedure's name carries (with the `quoted` titles' terms, when its text
        holds them)."""
        have = self._name_words[doc] | quoted if quoted else self._name_words[doc]
        total = sum(weights)
        covered = 0.0
        for w, slot in zip(weights, query.slots, strict=True):
            if not slot.words().isdisjoint(have):  # most names carry none of a slot's words
                covered += w * slot.covered_by(have)
        return covered / total if total else 0.0

    def name_coverage(self, query: Query, doc: int) -> float:
        """Share of the name's informative weight that the question mentions (for a
        name listing alternatives, of the alternative the question mentions best)."""
        best = 0.0
        words = query.words
        for weights, total in self._name_weights[doc]:
            if total:
                covered = sum(map(weights.__getitem__, words & weights.keys()))
                best = max(best, covered / total)
        return best

    def _accumulate(self, weighted: dict[str, float]) -> np.ndarray:
        """Each procedure's sum of the terms' impacts times their weights (in double
        precision, term by term in the question's order, as plain Python would)."""
        scores = np.zeros(len(self._docs))
        for term, weight in weighted.items():
            posting = self._vectors.get(term) or self._vector(term)
            if posting is not None:
                docs, impacts = posting
                scores[docs] += np.multiply(impacts, weight, dtype=np.float64)
        return scores

    def _vector(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """A term's postings as views on the same memory, made when a question first
        uses the term (views for every term of a large catalog would cost tens of MB)."""
        posting = self._postings.get(term)
        if posting is None:
            return None
        if len(self._vectors) >= VECTORS_KEPT:
            self._vectors.clear()
        docs, impacts = posting
        vector = (np.frombuffer(docs, np.uint32), np.frombuffer(impacts, np.float32))
        self._vectors[term] = vector
        return vector

    def _score_of(self, weighted: dict[str, float], doc: int) -> float:
        """One procedure's score for weighted terms (postings are in procedure order)."""
        total = 0.0
        for term, weight in weighted.items():
            posting = self._postings.get(term)
            if posting is not None:
                docs, impacts = posting
                i = bisect_left(docs, doc)
                if i < len(docs) and docs[i] == doc:
                    total += weight * impacts[i]
        return total

    def _ideal(self, query: Query) -> float:
        """The score of a procedure that matched every term at its best."""

        def best(weighted: dict[str, float]) -> float:
            return sum(w * self._best_impact.get(t, 0.0) for t, w in weighted.items())

        return best(query.terms) + sum(max(map(best, group)) for group in query.groups)

    def rank(
        self,
        query: str,
        limit: int = CANDIDATES,
        asked: tuple | None = None,
        among: frozenset[int] | None = None,
    ) -> tuple[Query, list[Candidate]]:
        """The best candidates, best first, with the features abstention looks at.

        Reranking is the costly part, so for a short list it stops at the first
        candidate whose best possible final score (both coverages full) cannot reach
        the `limit` best so far; the result is the same as reranking all of them.
        """
        parsed = analyse(query, ASKING, ALTERNATIVES, self.vocabulary, self.idf, self.initials)
        asked = asked or variants.of_question(query)  # a clause: what the whole message says
        keep = max(limit, SHOWN) if limit <= KEEP and not parsed.quoted else 0
        ranked, pruned = self._rerank(parsed, keep, asked, among)
        ranked = self._named_sibling_first(_surer_first(ranked), parsed)
        if ranked and ranked[0].confidence < SURE:
            ranked, shown = self._diversify(ranked)
            if shown < SHOWN and pruned:  # the pruned tail may hold a distinct one
                ranked, _ = self._diversify(self._rerank(parsed, 0, asked, among)[0])
        return parsed, ranked[:limit]

    def _rerank(
        self,
        parsed: Query,
        keep: int,
        asked: tuple = (None, None, None, None),
        among: frozenset[int] | None = None,
    ) -> tuple[list[Candidate], bool]:
        """Rerank by coverage, the priors and how each sibling fits what the question says
        (`asked`: age, occasion, who files); with `keep`, stop once no candidate can
        enter the best `keep`. `among`: score only these procedures (a clause of a message
        whose candidates are known), looking each term up instead of walking the catalog."""
        ideal = self._ideal(parsed) or 1.0
        if among is None:
            summed = self._accumulate(parsed.terms)
            for wordings in parsed.groups:  # a group counts its best wording
                summed = summed + np.maximum.reduce([self._accumulate(w) for w in wordings])
            # Best first; equal scores keep the catalog's order.
            top = np.argsort(-summed, kind="stable")[:CANDIDATES].tolist()
            scores = summed.tolist()
        else:
            scores = dict.fromkeys(among, 0.0)
            for doc in among:
                scores[doc] = self._score_of(parsed.terms, doc) + sum(
                    max(self._score_of(w, doc) for w in wordings) for wordings in parsed.groups
                )
            top = sorted(among, key=scores.__getitem__, reverse=True)
        weights = [slot.weight(self.name_rarity) for slot in parsed.slots]
        # A word or two typed with marks, no everyday phrase: the marked words a name
        # must hold one of (in longer questions other words tell what is meant).
        few = parsed.slots if len(parsed.slots) <= MARKED_FEW else []
        marked = (
            frozenset(m for slot in few for m in slot.marks)
            if few and all(slot.marks and len(slot.wordings) == 1 for slot in few)
            else frozenset()
        )
        top = [doc for doc in top if scores[doc] > 0.0]
        parsed.pool = frozenset(top)
        holding = self._holding(parsed.quoted, top)
        quoted = frozenset(terms([q.split() for q in parsed.quoted]))
        best_fit = variants.FITS ** sum(fact is not None for fact in asked)  # at most
        ceiling = (QUERY_SHIFT + 1) * (NAME_SHIFT + 1) * max(self._prior, default=1.0) * best_fit
        best_finals: list[float] = []  # min-heap of the `keep` best finals so far
        ranked = []
        pruned = False
        for doc in top:  # in descending score order
            score = scores[doc]
            if keep and len(best_finals) >= keep and score * ceiling < best_finals[0]:
                pruned = True
                break
            q_cov = self.query_coverage(
                parsed, doc, weights, quoted if doc in holding else frozenset()
            )
            n_cov = self.name_coverage(parsed, doc)
            boost = self._prior[doc] * variants.fit(self._variants[doc], asked)
            final = score * (QUERY_SHIFT + q_cov) * (NAME_SHIFT + n_cov) * boost
            if len(best_finals) < max(keep, 1):
                heapq.heappush(best_finals, final)
            else:
                heapq.heappushpop(best_finals, final)
            found = Candidate(self._docs[doc], score, min(score / ideal, 1.0), q_cov, n_cov, final)
            if marked and marked.isdisjoint(self._name_words[doc]):
                found.doubt = MARKS_ABSENT  # "chiều nay" is not "hộ chiếu"
            ranked.append(found)
        # A quoted title is required: the procedures holding it first; when none
        # does, every candidate is doubted.
        ranked.sort(key=lambda c: (self._by_code[c.procedure.code] not in holding, -c.final))
        if parsed.quoted and not holding:
            for c in ranked:
                c.doubt = QUOTE_ABSENT
        return ranked, pruned

    def _named_sibling_first(self, ranked: list[Candidate], parsed: Query) -> list[Candidate]:
        """A sibling whose name is the first one's plus words the question says goes first:
        "đổi GPLX quân sự" is "Đổi giấy phép lái xe quân sự do Bộ Quốc phòng cấp", not the
        plain "Đổi giấy phép lái xe" (whose long text shares more words)."""
        if len(ranked) < 2:
            return ranked
        top = self._family_words[self._by_code[ranked[0].procedure.code]]
        for c in ranked[1:SHOWN]:
            doc = self._by_code[c.procedure.code]
            words = self._family_words[doc]
            if not top < words:
                continue
            said = (words - top) & parsed.words
            # two of the extra words, side by side in both the question and the name, and
            # rare enough in the catalog to tell ("quân sự"; not "phục vụ")
            pairs = [t for t in parsed.terms if " " in t and set(t.split()) <= said]
            if any(t in self._name_words[doc] and self.idf(t) >= TELLING for t in pairs):
                return [c, *(x for x in ranked if x is not c)]
        return ranked

    def _holding(self, quoted: list[str], docs: list[int]) -> set[int]:
        """The procedures among `docs` whose text holds every quoted title."""
        if not quoted:
            return set()
        return {
            doc
            for doc in docs
            if all(f" {q} " in self._full_text(self._docs[doc].code) for q in quoted)
        }

    def _full_text(self, code: str) -> str:
        """A procedure's whole text, folded, one space between words (cached: only
        questions with quotes need it)."""
        text = self._full_texts.get(code)
        if text is None:
            p = self.procedures[code]
            parts = [p.name, p.result, p.requirements, *p.steps, p.documents_text]
            parts += [d.name for d in p.documents]
            words = (w for phrase in folded_phrases("\n".join(parts)) for w in phrase)
            text = " " + " ".join(words) + " "
            if len(self._full_texts) >= FULL_TEXT_CACHE:
                self._full_texts.clear()
            self._full_texts[code] = text
        return text

    def _near_duplicates(self, a: int, b: int) -> bool:
        """The same procedure at another level, or a name that barely differs."""
        if self._family[a] == self._family[b]:
            return True
        x, y = self._family_words[a], self._family_words[b]
        return len(x & y) >= NEAR_DUPLICATE * len(x | y)

    def _diversify(self, ranked: list[Candidate]) -> tuple[list[Candidate], int]:
        """The first SHOWN candidates are no near-duplicates of each other; the
        candidates they pushed down follow them, in order."""
        first: list[int] = []
        rest: list[Candidate] = []
        shown: list[Candidate] = []
        for c in ranked:
            doc = self._by_code[c.procedure.code]
            if len(shown) < SHOWN and not any(self._near_duplicates(doc, d) for d in first):
                first.append(doc)
                shown.append(c)
            else:
                rest.append(c)
        return shown + rest, len(shown)

    def search(self, query: str, limit: int = 5) -> SearchResult:
        """Up to `limit` procedures, best first, or an abstention (no matches).

        A question asked before (the same words, whatever the case or spacing) is
        answered from a bounded cache: the index never changes once built, and
        what search reads of a question is its NFC lower-case words.
        """
        key = (" ".join(nfc(query).lower().split()), limit)
        kept = self._answers.get(key) if self.answers_kept else None
        if kept is None:
            result = self._search(query, limit)
            self._answers[key] = result
            while len(self._answers) > self.answers_kept:
                self._answers.popitem(last=False)
            return replace(result, matches=list(result.matches))
        self._answers.move_to_end(key)
        return replace(kept, query=query, matches=list(kept.matches))

    def _search(self, query: str, limit: int) -> SearchResult:
        for code in _CODE.findall(query):
            if code in self._by_code8:
                p = self._docs[self._by_code8[code]]
                return SearchResult(query, False, [Match(p.code, p.name, 1.0)], 1.0)
        whole, ranked = self.rank(query, limit)
        taught = self._taught(query, whole)
        parsed = whole
        if taught is None and not whole.quoted:
            # a clause only when the whole would abstain; below CLAUSE_SURE it is offered only
            parsed, ranked = self._surest_clause(query, whole, ranked, limit)
        if taught is not None:
            rest = [c for c in ranked if c.procedure.code8 != taught.code8][: limit - 1]
            matches = [Match(c.procedure.code, c.procedure.name, round(c.final, 4)) for c in rest]
            return SearchResult(query, False, [Match(taught.code, taught.name, 1.0), *matches], 1.0)
        if not parsed.slots or not ranked:
            return SearchResult(query, True)
        needed = MIN_CONFIDENCE if parsed is whole else CLAUSE_SURE
        if ranked[0].confidence < needed:
            maybe = [c for c in ranked[:SHOWN] if c.confidence >= SUGGEST]
            offered = [Match(c.procedure.code, c.procedure.name, round(c.final, 4)) for c in maybe]
            return SearchResult(query, True, suggestions=offered)
        matches = [Match(c.procedure.code, c.procedure.name, round(c.final, 4)) for c in ranked]
        return SearchResult(query, False, matches, ranked[0].confidence)

    def _surest_clause(
        self, query: str, parsed: Query, ranked: list[Candidate], limit: int
    ) -> tuple[Query, list[Candidate]]:
        """For a long message the whole is unsure of, the clause (or pair of clauses)
        whose best procedure is surest: the one that names what is asked. The whole
        message must rank that procedure among its candidates too, so a few words out of
        context do not pick a procedure the message as a whole is not about, and it must
        be done at the deployment's levels (a citizen's story is about a local matter)."""
        best = ranked[0].confidence if ranked else 0.0
        if best >= MIN_CONFIDENCE:  # the whole message answers: no clause is needed
            return parsed, ranked
        whole = parsed.pool
        asked = variants.of_question(query)
        for window in windows(query):
            clause, found = self.rank(window, limit, asked, among=whole)
            if not (clause.slots and found and found[0].confidence > best):
                continue
            here = any(lv in self.preferred_levels for lv in found[0].procedure.levels)
            if here and self._by_code[found[0].procedure.code] in whole:
                parsed, ranked, best = clause, found, found[0].confidence
        return parsed, ranked

    def _taught(self, query: str, parsed: Query) -> Procedure | None:
        """The procedure an official linked to a wording close to this question; never
        when the question quotes a title (a quoted title or code says what is meant)."""
        if not self.learned or parsed.quoted:
            return None
        hit = self.learned.match(query)
        if hit is None:
            return None
        doc = self._by_code8.get(hit[0].procedure_code[:8])
        return self._docs[doc] if doc is not None else None


def _surer_first(ranked: list[Candidate]) -> list[Candidate]:
    """A candidate among the first SHOWN that fits far more surely than the first goes
    first: "làm sổ hồng lần đầu" is the first registration (0.89), not the revocation of a
    certificate "đã cấp lần đầu" whose long text shares more words (0.55)."""
    if not ranked:
        return ranked
    top = ranked[0].confidence
    surer = [c for c in ranked[1:SHOWN] if c.confidence >= max(SURE, top + FAR_SURER)]
    if not surer:
        return ranked
    best = max(surer, key=lambda c: c.confidence)
    return [best, *(c for c in ranked if c is not best)]
