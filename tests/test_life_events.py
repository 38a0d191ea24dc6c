"""The life-event matcher and its data; the English layer's figures on the labelled lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.catalog.default import load_default_catalog
from bot.catalog.english import english_name, glossary, search_query
from bot.catalog.life_events import find_event, load_life_events, parse_life_events
from bot.catalog.model import is_valid_code
from bot.catalog.search import SearchIndex

ROOT = Path(__file__).resolve().parents[1]
TITLE = {"vi": "Khi", "en": "When"}
EVAL = ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"


def rows(name: str) -> list[dict]:
    with (ROOT / "bench" / "data" / name).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def predicted(text: str) -> str:
    match = find_event(text)
    return "none" if match is None or match.deferred else match.event.id


def test_data_loads_and_steps_are_real_codes():
    events = load_life_events()
    assert {"death", "birth", "marriage", "divorce", "moving", "lost_id", "shop", "elderly"} <= {
        e.id for e in events
    }
    bundled = {p.code8 for p in load_default_catalog()}
    for event in events:
        assert all(is_valid_code(s.code) for s in event.steps), event.id
        assert event.steps == [] or event.steps[0].code in bundled or event.id == "passport"


def test_every_bundled_procedure_has_an_english_name():
    for proc in load_default_catalog():
        assert english_name(proc.code), proc.code


@pytest.mark.parametrize(
    ("text", "event"),
    [
        ("bố em mới mất thì gia đình phải làm những thủ tục gì", "death"),
        ("BO EM MOI MAT thi gia dinh phai lam gi", "death"),
        ("mẹ em mất giấy khai sinh", "none"),  # a lost paper, not a death
        ("làm giấy khai sinh cho con mất bao lâu", "none"),  # "mất" of time
        ("đăng ký khai tử", "none"),
        ("bố em mất rồi, làm giấy chứng tử ở đâu", "none"),  # names the procedure: deferred
        ("mẹ em năm nay 82 tuổi", "elderly"),
        ("tôi muốn ly hôn", "divorce"),
        # typed with marks, a word is its marked self: "có" is not the aunt "cô"
        ("đăng ký tạm trú cho sinh viên có mất đồng nào không", "none"),
        ("co toi moi mat", "death"),  # without marks, "co" may be "cô"
        ("bằng tốt nghiệp của tôi mất rồi", "none"),  # a lost paper, nobody named
        ("mạ tui mới mất hôm qua", "death"),  # Nghệ Tĩnh: mạ is mother
    ],
)
def test_matcher(text, event):
    assert predicted(text) == event


def test_deferred_match_keeps_the_event():
    match = find_event("bố em mất rồi, làm giấy chứng tử ở đâu")
    assert match is not None and match.deferred and match.event.id == "death"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"events": [{"id": "x", "title": TITLE, "cues": ["{nope}"], "steps": []}]}, "unknown set"),
        ({"events": [{"id": "x", "title": TITLE, "cues": ["*"], "steps": []}]}, "no words"),
        (
            {"sets": {}, "events": [{"id": "x", "title": {"vi": "a"}, "cues": ["a"], "steps": []}]},
            "both filled",
        ),
    ],
)
def test_bad_data_is_refused_naming_the_event(data, message):
    with pytest.raises(ValueError, match=message) as info:
        parse_life_events(json.dumps(data))
    assert "'x'" in str(info.value)


def test_labelled_descriptions_precision_and_recall():
    """Held-out part included: the figures the README reports (bench/life_events.py)."""
    found = wrong = missed = 0
    for row in rows("life_events.jsonl"):
        got = predicted(row["text"])
        found += got == row["event"] != "none"
        wrong += got != "none" and got != row["event"]
        missed += row["event"] != "none" and got != row["event"]
    assert found / (found + wrong) >= 0.95
    assert found / (found + missed) >= 0.9


@pytest.mark.skipif(not EVAL.exists(), reason="shared evaluation set not available")
def test_search_questions_are_not_taken_as_events():
    with EVAL.open(encoding="utf-8") as lines:
        questions = [json.loads(line)["question"] for line in lines]
    assert [q for q in questions if predicted(q) != "none"] == []


def test_english_questions_top_1_on_the_bundled_catalog():
    index = SearchIndex(load_default_catalog())
    hits = coded = 0
    for row in rows("english_questions.jsonl"):
        if not row["codes"]:
            continue
        coded += 1
        result = index.search(search_query(row["question"])[0], limit=3)
        hits += bool(result.matches) and result.matches[0].code[:8] in row["codes"]
    assert coded >= 40 and hits / coded >= 0.9


def test_glossary_words_are_lower_case():
    assert all(w == w.lower() for key in glossary().phrases for w in key)
