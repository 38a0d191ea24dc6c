"""Intent classification on the labelled conversation turns: does the bot tell a
greeting, thanks, a dossier question or a follow-up from a procedure question, and
how many procedure questions does it steal from search?

Run from the repository: `.venv/bin/python bench/intents.py [--verbose]`.
Reads bench/data/conversation_turns.jsonl (written by hand, before the classifier):
`text`, `intent`, `section` for follow-ups, `code` for procedure questions (the bundled
catalog's), `context` for the procedure shown just before (the dialog answers a follow-up from it;
the classifier itself does not need it). Every 5th turn is held out:
its figures are printed apart, and nothing is tuned on it. A second file of turns,
written after the classifier, is scored apart too.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.catalog.default import load_default_catalog  # noqa: E402
from bot.catalog.english import search_query  # noqa: E402
from bot.catalog.search import SearchIndex  # noqa: E402
from handlers.intents import INTENTS, PROCEDURE, classify  # noqa: E402

TURNS = ROOT / "bench" / "data" / "conversation_turns.jsonl"
# Written after the classifier, by the same hand, and never tuned on: a blind check.
FRESH = ROOT / "bench" / "data" / "conversation_turns_fresh.jsonl"
HELD_OUT = 5  # every 5th line


def load(path: Path = TURNS) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def finder(index: SearchIndex):
    """What the dialog asks search: the codes it answers with, none when it abstains."""

    def finds(query: str) -> list[str]:
        query, _english = search_query(
            query
        )  # English is searched in Vietnamese, as the dialog does
        result = index.search(query, limit=4)
        return [] if result.abstained else [m.code[:8] for m in result.matches]

    return finds


def evaluate(turns: list[dict], finds) -> tuple[dict, list[str]]:
    confusion: Counter = Counter()
    sections_right = sections_total = 0
    codes_right = codes_total = 0
    failures = []
    for turn in turns:
        # a card is in context only where the turn says one was shown before
        got = classify(turn["text"], finds, in_context=bool(turn.get("context")))
        want = turn["intent"]
        confusion[(want, got.kind)] += 1
        ok = got.kind == want
        if want == "followup" and got.kind == want:
            sections_total += 1
            sections_right += got.section == turn.get("section")
            ok = got.section == turn.get("section")
        if want == PROCEDURE and turn.get("code") and got.kind == PROCEDURE:
            codes_total += 1
            hit = finds(got.query or turn["text"])[:1] == [turn["code"][:8]]
            codes_right += hit
        if not ok:
            shown = got.kind + (f"/{got.section}" if got.section else "")
            wanted = want + (f"/{turn['section']}" if turn.get("section") else "")
            failures.append(f"want {wanted:<18} got {shown:<18} {turn['text']}")
    per_intent = {}
    for intent in INTENTS:
        tp = confusion[(intent, intent)]
        predicted = sum(n for (w, g), n in confusion.items() if g == intent)
        actual = sum(n for (w, g), n in confusion.items() if w == intent)
        per_intent[intent] = (
            tp / predicted if predicted else float("nan"),
            tp / actual if actual else float("nan"),
            actual,
        )
    total = sum(confusion.values())
    procedures = sum(n for (w, _g), n in confusion.items() if w == PROCEDURE)
    stolen = sum(n for (w, g), n in confusion.items() if w == PROCEDURE and g != PROCEDURE)
    figures = {
        "per_intent": per_intent,
        "accuracy": sum(n for (w, g), n in confusion.items() if w == g) / total,
        "n": total,
        "stolen": stolen / procedures if procedures else 0.0,
        "stolen_n": (stolen, procedures),
        "sections": (sections_right, sections_total),
        "codes": (codes_right, codes_total),
    }
    return figures, failures


def show(title: str, figures: dict) -> None:
    print(f"\n{title} ({figures['n']} turns)")
    print(f"  {'intent':<10} {'precision':>9} {'recall':>7} {'n':>4}")
    for intent, (p, r, n) in figures["per_intent"].items():
        if p != p and r != r:  # neither labelled nor predicted
            continue
        print(f"  {intent:<10} {p:9.3f} {r:7.3f} {n:4d}")
    stolen, procedures = figures["stolen_n"]
    right, total = figures["sections"]
    codes_right, codes_total = figures["codes"]
    print(f"  accuracy {figures['accuracy']:.3f}")
    print(f"  procedure questions stolen {figures['stolen']:.3f} ({stolen} of {procedures})")
    if total:
        print(f"  follow-ups with the right section {right / total:.3f} ({right} of {total})")
    if codes_total:
        print(
            f"  procedure questions sent to search that it answers top-1 "
            f"{codes_right / codes_total:.3f} ({codes_right} of {codes_total})"
        )


def real_questions(verbose: bool) -> None:
    """The real citizen questions of ../shared/eval: every one is a question for search
    (answerable or not), so any other intent steals it. Searched in the national catalog,
    as search alone and as the dialog routes them (a follow-up's words left out)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from search_quality import load_catalog, load_questions, score, show

    index = SearchIndex(load_catalog())
    finds = finder(index)
    questions = load_questions()
    stolen, routed = [], []
    for q in questions:
        got = classify(q["question"], finds)
        if got.kind != PROCEDURE:
            stolen.append(f"{got.kind}/{got.section or '-'}: {q['question']}")
        routed.append(q | {"question": got.query or q["question"]})
    share = len(stolen) / len(questions)
    print(f"\nreal questions (../shared/eval, {len(questions)}, national catalog)")
    print(f"  taken from search {share:.3f} ({len(stolen)} of {len(questions)})")
    show("  search alone", score(index, questions)[0])
    show("  as routed", score(index, routed)[0])
    if verbose:
        for line in stolen:
            print("   ", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list the misclassified turns")
    parser.add_argument(
        "--eval", action="store_true", help="also the real questions of ../shared/eval"
    )
    args = parser.parse_args()
    turns = load()
    finds = finder(SearchIndex(load_default_catalog(), preferred_levels=("xa", "tinh")))
    development = [t for i, t in enumerate(turns, 1) if i % HELD_OUT]
    held_out = [t for i, t in enumerate(turns, 1) if not i % HELD_OUT]
    parts = [("all", turns), ("development", development), ("held out", held_out)]
    parts.append(("fresh, written after the classifier", load(FRESH)))
    for title, part in parts:
        figures, failures = evaluate(part, finds)
        show(title, figures)
        if args.verbose and title != "all":
            print(f"  {len(failures)} misclassified:")
            for line in failures:
                print("   ", line)
    if args.eval:
        real_questions(args.verbose)


if __name__ == "__main__":
    main()
