"""Life events: does the matcher find the event a citizen describes, and leave procedure
questions to search?

Run from the repository: `.venv/bin/python bench/life_events.py [--verbose]`.
Reads bench/data/life_events.jsonl: descriptions written by the project, labelled with the
event or "none". Ids 1-50 were used while writing the cues; ids 51-72 were written with them
but never used to change them, ids 73 and up were written afterwards: both are held out.
When ../shared is there, it also runs the search evaluation set
(`../shared/eval/dev-questions.jsonl`): none of those is a life event, so every one the
matcher takes is a procedure question stolen from search.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.catalog.life_events import find_event  # noqa: E402

LABELLED = ROOT / "bench" / "data" / "life_events.jsonl"
EVAL = ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"
HELD_FROM = 51


def predicted(text: str) -> str:
    """What the dialog does: the event's group, or "none" (search answers)."""
    match = find_event(text)
    return "none" if match is None or match.deferred else match.event.id


def score(rows: list[dict]) -> tuple[dict, list[str]]:
    tp, fp, fn = Counter(), Counter(), Counter()
    failures = []
    for row in rows:
        want, got = row["event"], predicted(row["text"])
        if got == want:
            if want != "none":
                tp[want] += 1
            continue
        failures.append(f"[{row['id']}] want {want} got {got}: {row['text']}")
        if got != "none":
            fp[got] += 1
        if want != "none":
            fn[want] += 1
    events = sorted(set(tp) | set(fp) | set(fn))
    per = {e: (tp[e], fp[e], fn[e]) for e in events}
    total = (sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {"per": per, "total": total, "n": len(rows)}, failures


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  -  "


def show(title: str, figures: dict, per_event: bool) -> None:
    tp, fp, fn = figures["total"]
    print(
        f"{title:<22} precision {ratio(tp, tp + fp)}  recall {ratio(tp, tp + fn)}"
        f"  ({figures['n']} descriptions, {tp} found, {fp} wrong, {fn} missed)"
    )
    if per_event:
        for event, (a, b, c) in figures["per"].items():
            print(f"  {event:<12} precision {ratio(a, a + b)}  recall {ratio(a, a + c)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list the failures")
    args = parser.parse_args()
    rows = [json.loads(line) for line in LABELLED.open(encoding="utf-8")]
    failures = []
    for title, part in (
        ("all", rows),
        ("written with the cues", [r for r in rows if r["id"] < HELD_FROM]),
        ("held out", [r for r in rows if r["id"] >= HELD_FROM]),
    ):
        figures, missed = score(part)
        show(title, figures, per_event=title == "all")
        if title == "all":
            failures = missed
    if EVAL.exists():
        questions = [json.loads(line) for line in EVAL.open(encoding="utf-8")]
        stolen = [q for q in questions if predicted(q["question"]) != "none"]
        print(f"search eval questions taken as a life event: {len(stolen)} of {len(questions)}")
        for q in stolen:
            failures.append(
                f"[eval {q['id']}] taken as {predicted(q['question'])}: {q['question']}"
            )
    if args.verbose:
        print(f"\n{len(failures)} failures:")
        for line in failures:
            print(" ", line)


if __name__ == "__main__":
    main()
