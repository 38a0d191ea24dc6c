"""English questions against the Vietnamese catalog, through the English layer.

Run from the repository: `.venv/bin/python bench/english_quality.py [--verbose] [--national]`.
Reads bench/data/english_questions.jsonl (questions written by the project with the codes
that answer them; [] means nothing in the catalog does, and the bot should abstain). Every
third question (id divisible by 3) and every question from id 60 on (written after the
glossary, never used to change it) are held out.
Searches the bundled catalog (`--national`: the national catalog from ../shared plus the
bundled one). Also counts the search evaluation set's Vietnamese questions wrongly taken as
English (they would be rewritten by the glossary).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.catalog.default import load_default_catalog  # noqa: E402
from bot.catalog.english import is_english, search_query  # noqa: E402
from bot.catalog.search import SearchIndex  # noqa: E402

QUESTIONS = ROOT / "bench" / "data" / "english_questions.jsonl"
HELD_FROM = 60
EVAL = ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"


def held(row: dict) -> bool:
    return row["id"] % 3 == 0 or row["id"] >= HELD_FROM


def score(index: SearchIndex, rows: list[dict]) -> tuple[dict, list[str]]:
    hit1 = hit3 = coded = uncoded = abstained = wrong_abstain = detected = 0
    failures = []
    for row in rows:
        query, english = search_query(row["question"])
        detected += english
        result = index.search(query, limit=3)
        got = [m.code[:8] for m in result.matches]
        if row["codes"]:
            coded += 1
            wanted = {c[:8] for c in row["codes"]}
            one = not result.abstained and bool(wanted & set(got[:1]))
            hit1 += one
            hit3 += not result.abstained and bool(wanted & set(got))
            wrong_abstain += result.abstained
            if not one:
                shown = "ABSTAINED" if result.abstained else " ".join(got)
                failures.append(
                    f"[{row['id']}] want {sorted(wanted)} got {shown}: {row['question']} -> {query}"
                )
        else:
            uncoded += 1
            abstained += result.abstained
            if not result.abstained:
                failures.append(f"[{row['id']}] want abstain got {got[:1]}: {row['question']}")
    figures = {
        "top-1": hit1 / coded if coded else 0.0,
        "top-3": hit3 / coded if coded else 0.0,
        "no-code abstained": abstained / uncoded if uncoded else 0.0,
        "coded wrongly abstained": wrong_abstain / coded if coded else 0.0,
        "detected English": detected / len(rows) if rows else 0.0,
        "n": f"{coded} with codes, {uncoded} without",
    }
    return figures, failures


def show(title: str, figures: dict) -> None:
    parts = [f"{k} {v:.3f}" if isinstance(v, float) else f"({v})" for k, v in figures.items()]
    print(f"{title:<10} " + "  ".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list the failures")
    parser.add_argument("--national", action="store_true", help="search the national catalog")
    args = parser.parse_args()
    procedures = load_default_catalog()
    if args.national:
        from search_quality import load_catalog

        bundled = {p.code8 for p in procedures}
        procedures += [p for p in load_catalog() if p.code8 not in bundled]
    index = SearchIndex(procedures)
    rows = [json.loads(line) for line in QUESTIONS.open(encoding="utf-8")]
    figures, failures = score(index, rows)
    show("all", figures)
    show("written", score(index, [r for r in rows if not held(r)])[0])
    show("held out", score(index, [r for r in rows if held(r)])[0])
    if EVAL.exists():
        questions = [json.loads(line)["question"] for line in EVAL.open(encoding="utf-8")]
        taken = [q for q in questions if is_english(q)]
        print(f"Vietnamese eval questions taken as English: {len(taken)} of {len(questions)}")
        failures += [f"[eval] taken as English: {q}" for q in taken]
    if args.verbose:
        print(f"\n{len(failures)} failures:")
        for line in failures:
            print(" ", line)


if __name__ == "__main__":
    main()
