"""Search quality on the dev questions against the full national catalog.

Run from the repository: `.venv/bin/python bench/search_quality.py [--verbose]`.
Needs ../shared (the national catalog and the evaluation set).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.catalog.national import RejectedRecord, parse_national_record  # noqa: E402
from bot.catalog.search import SearchIndex  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
CATALOG = SHARED / "data" / "procedures" / "national-2026.jsonl.gz"
QUESTIONS = SHARED / "eval" / "dev-questions.jsonl"


def load_catalog(path: Path = CATALOG) -> list:
    procedures = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            try:
                procedures.append(parse_national_record(json.loads(line)))
            except RejectedRecord:
                continue
    return procedures


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [q for q in map(json.loads, lines) if not q.get("unsure")]


def score(index: SearchIndex, questions: list[dict]) -> tuple[dict, list[str]]:
    """The four figures for `questions`, and one line per failure."""
    hits1 = hits3 = wrong_abstain = coded = uncoded = abstained = 0
    failures = []
    for q in questions:
        result = index.search(q["question"])
        got = [m.code[:8] for m in result.matches]
        if q["codes"]:
            coded += 1
            wanted = {c[:8] for c in q["codes"]}
            wrong_abstain += result.abstained
            hit1 = not result.abstained and bool(wanted & set(got[:1]))
            hit3 = not result.abstained and bool(wanted & set(got[:3]))
            hits1 += hit1
            hits3 += hit3
            if not hit1:
                shown = "ABSTAINED" if result.abstained else " ".join(got[:3])
                failures.append(f"[{q['id']}] want {sorted(wanted)} got {shown}: {q['question']}")
        else:
            uncoded += 1
            abstained += result.abstained
            if not result.abstained:
                failures.append(f"[{q['id']}] want abstain got {got[:1]}: {q['question']}")
    figures = {
        "top-1": hits1 / coded if coded else 0.0,
        "top-3": hits3 / coded if coded else 0.0,
        "no-code abstained": abstained / uncoded if uncoded else 0.0,
        "coded wrongly abstained": wrong_abstain / coded if coded else 0.0,
        "n": f"{coded} with codes, {uncoded} without",
    }
    return figures, failures


def show(title: str, figures: dict) -> None:
    parts = [f"{k} {v:.3f}" if isinstance(v, float) else f"({v})" for k, v in figures.items()]
    print(f"{title:<18} " + "  ".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list the failures")
    args = parser.parse_args()
    index = SearchIndex(load_catalog())
    questions = load_questions()
    figures, failures = score(index, questions)
    show("all", figures)
    for label, flag in (("with diacritics", True), ("without", False)):
        show(label, score(index, [q for q in questions if q["diacritics"] == flag])[0])
    print("targets: top-1 >= 0.75, top-3 >= 0.90, no-code abstained >= 0.60,")
    print("         coded wrongly abstained <= 0.10")
    if args.verbose:
        print(f"\n{len(failures)} failures:")
        for line in failures:
            print(" ", line)


if __name__ == "__main__":
    main()
