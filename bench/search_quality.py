"""Search quality on the dev questions against the full national catalog.

Run from the repository: `.venv/bin/python bench/search_quality.py [--verbose] [--calibrate]`.
Needs ../shared (the national catalog and the evaluation set).

`--calibrate` cross-validates the abstention threshold (`search.MIN_CONFIDENCE`):
it is chosen on one half of the questions and scored on the other, for two splits:
with / without diacritics (the same questions typed twice) and odd / even id (a
question and its unaccented copy, id + 200, share a parity, so the halves hold
different questions).
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
from bot.catalog.search import MIN_CONFIDENCE, SearchIndex  # noqa: E402

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


def confidences(index: SearchIndex, questions: list[dict]) -> list[dict]:
    """Per question: the best candidate's confidence and whether the first 1 / 3
    candidates hold a wanted code, before any abstention."""
    rows = []
    for q in questions:
        parsed, ranked = index.rank(q["question"], 3)
        got = {c.procedure.code[:8] for c in ranked}
        wanted = {c[:8] for c in q["codes"]}
        rows.append(
            {
                "q": q,
                "coded": bool(wanted),
                "confidence": ranked[0].confidence if parsed.slots and ranked else -1.0,
                "hit1": bool(ranked) and ranked[0].procedure.code[:8] in wanted,
                "hit3": bool(wanted & got),
            }
        )
    return rows


def at_threshold(rows: list[dict], threshold: float) -> dict:
    coded = [r for r in rows if r["coded"]] or [{}]
    uncoded = [r for r in rows if not r["coded"]] or [{}]
    answered = [r.get("confidence", -1.0) >= threshold for r in coded]
    return {
        "top-1": sum(a and r.get("hit1", False) for a, r in zip(answered, coded, strict=True))
        / len(coded),
        "top-3": sum(a and r.get("hit3", False) for a, r in zip(answered, coded, strict=True))
        / len(coded),
        "no-code abstained": sum(r.get("confidence", 1.0) < threshold for r in uncoded)
        / len(uncoded),
        "coded wrongly abstained": answered.count(False) / len(coded),
    }


def calibrate(rows: list[dict]) -> tuple[float, float, float]:
    """The threshold (and the range of equally good ones) that meets the abstention
    targets and maximises top-1 + top-3 + no-code abstained - wrongly abstained."""
    best, chosen = None, []
    for step in range(20, 81):
        t = step / 100
        f = at_threshold(rows, t)
        meets = f["no-code abstained"] >= 0.60 and f["coded wrongly abstained"] <= 0.10
        key = (
            meets,
            round(
                f["top-1"] + f["top-3"] + f["no-code abstained"] - f["coded wrongly abstained"], 9
            ),
        )
        if best is None or key > best:
            best, chosen = key, [t]
        elif key == best:
            chosen.append(t)
    return chosen[len(chosen) // 2], chosen[0], chosen[-1]


def cross_validate(index: SearchIndex, questions: list[dict]) -> None:
    rows = confidences(index, questions)
    show(f"all, t={MIN_CONFIDENCE}", at_threshold(rows, MIN_CONFIDENCE))
    splits = {
        "diacritics": (lambda q: q["diacritics"], "with", "without"),
        "id parity": (lambda q: q["id"] % 2 == 1, "odd", "even"),
    }
    for split, (side, a, b) in splits.items():
        halves = {
            a: [r for r in rows if side(r["q"])],
            b: [r for r in rows if not side(r["q"])],
        }
        for fit, held in ((a, b), (b, a)):
            t, low, high = calibrate(halves[fit])
            print(f"\n{split}: calibrated on {fit}: t={t:.2f} (equally good {low:.2f}-{high:.2f})")
            show(f"  fit ({fit})", at_threshold(halves[fit], t))
            show(f"  held out ({held})", at_threshold(halves[held], t))
            show(f"  held out, t={MIN_CONFIDENCE}", at_threshold(halves[held], MIN_CONFIDENCE))


def show(title: str, figures: dict) -> None:
    parts = [f"{k} {v:.3f}" if isinstance(v, float) else f"({v})" for k, v in figures.items()]
    print(f"{title:<18} " + "  ".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list the failures")
    parser.add_argument(
        "--calibrate", action="store_true", help="cross-validate the abstention threshold"
    )
    args = parser.parse_args()
    index = SearchIndex(load_catalog())
    questions = load_questions()
    figures, failures = score(index, questions)
    show("all", figures)
    for label, flag in (("with diacritics", True), ("without", False)):
        show(label, score(index, [q for q in questions if q["diacritics"] == flag])[0])
    print("targets: top-1 >= 0.75, top-3 >= 0.90, no-code abstained >= 0.60,")
    print("         coded wrongly abstained <= 0.10")
    if args.calibrate:
        print("\nabstention threshold, cross-validated:")
        cross_validate(index, questions)
    if args.verbose:
        print(f"\n{len(failures)} failures:")
        for line in failures:
            print(" ", line)


if __name__ == "__main__":
    main()
