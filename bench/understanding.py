"""Does the bot understand citizens? Scored through the dialog, by what the citizen sees.

Run from the repository:
    .venv/bin/python bench/understanding.py [--catalog bundled|layered] [--set NAME ...]
        [--half tune|held|all] [--verbose]

Sets:
- `dev`: ../shared/eval/dev-questions.jsonl (real questions to the national portal);
- `fresh`: bench/data/fresh_search.jsonl (written for issue 14 before the method changed;
  `half` is `tune` or `held`: the held half is run at the end only);
- `dialogues`: bench/data/fresh_dialogues_a.jsonl (and `_b`, the held-back half, with
  `--half held`): conversations with what each turn must do.
- `fresh2`, `dialogues2`: a second fresh pair (bench/data/fresh2.md), written 2026-12-08
  before the method changed again; halves as above.

Catalogs: `bundled` is a fresh store (the 50 bundled procedures); `layered` is the
bundled catalog with the national file imported over it, as the README's deployment
steps do. Each question is asked by a new citizen; each dialogue is one citizen.

Question figures: top-1 (the first procedure shown is right), top-3 (a right one is
among the first three shown or offered), abstained when a right one exists, and for
questions with no right procedure here, the share that got a card anyway (a wrong
first card). Dialogue figure: checks passed / checks.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from seen import read  # noqa: E402

from bot import dispatch  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from handlers.incoming import TEXT, Incoming  # noqa: E402

SHARED = ROOT.parent / "shared"
NATIONAL = SHARED / "data" / "procedures" / "national-2026.jsonl.gz"
SETS = {
    "dev": SHARED / "eval" / "dev-questions.jsonl",
    "fresh": ROOT / "bench" / "data" / "fresh_search.jsonl",
    "fresh2": ROOT / "bench" / "data" / "fresh2_search.jsonl",
}
DIALOGUES2 = ROOT / "bench" / "data" / "fresh2_dialogues.jsonl"  # `half` on each dialogue
DIALOGUES = {
    "tune": [ROOT / "bench" / "data" / "fresh_dialogues_a.jsonl"],
    "held": [ROOT / "bench" / "data" / "fresh_dialogues_b.jsonl"],
}
DIALOGUES["all"] = DIALOGUES["tune"] + DIALOGUES["held"]


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


async def open_bot(catalog: str, folder: Path):
    """The core on a fresh store: the bundled catalog, with the national one over it."""
    from bot.catalog.importer import import_procedures
    from bot.core import open_core

    settings = load_settings(environ={"MOTCUA_DB": str(folder / "bot.sqlite3")}, dotenv=None)
    core = await open_core(settings)
    if catalog == "layered":
        await import_procedures(core.db, [NATIONAL])
        await core.reload_index()
    return core


class Citizen:
    def __init__(self, core, user_id: str):
        self.core, self.user_id = core, user_id

    async def say(self, text: str):
        msg = Incoming(
            kind=TEXT, text=text, channel="terminal", user_id=self.user_id, chat_id=self.user_id
        )
        return read(await dispatch.handle(self.core, msg))


async def score_questions(core, questions: list[dict], verbose: bool, name: str) -> dict:
    n = Counter()
    failures = []
    for i, q in enumerate(questions):
        if q.get("unsure"):
            continue
        # a new citizen each: no card of an earlier question (of any set) is in context
        seen = await Citizen(core, f"{name}-{i}").say(q["question"])
        shown = [c[:8] for c in seen.codes]
        wanted = {c[:8] for c in q["codes"]}
        if wanted:
            n["coded"] += 1
            answered = seen.kind in ("card", "section", "event", "clarify")
            first = (shown if seen.kind == "clarify" else shown[:1]) if answered else []
            hit1 = bool(wanted & set(first))
            n["top-1"] += hit1
            n["top-3"] += bool(wanted & set(shown[:3]))  # offered: shown or one tap away
            n["abstained"] += not answered
            n["clarified"] += seen.kind == "clarify"
            ok = hit1
        else:
            n["uncoded"] += 1
            wrong = seen.kind in ("card", "section") or (seen.kind == "clarify")
            n["wrong card"] += wrong
            n["elsewhere"] += seen.kind == "elsewhere"
            ok = not wrong
        if not ok and verbose:
            got = f"{seen.kind} {' '.join(shown[:3])}".strip()
            failures.append(
                f"  [{q['id']}] want {sorted(wanted) or 'none'} got {got}: {q['question'][:110]}"
            )
    coded, uncoded = n["coded"] or 1, n["uncoded"] or 1
    figures = {
        "questions": f"{n['coded']} with a right procedure, {n['uncoded']} without",
        "top-1": n["top-1"] / coded,
        "top-3": n["top-3"] / coded,
        "abstained when right": n["abstained"] / coded,  # no answer given (maybe offers)
        "asked back (clarify)": n["clarified"] / coded,
        "no right one: got a card": n["wrong card"] / uncoded,
        "no right one: told where": n["elsewhere"] / uncoded,
    }
    return {"figures": figures, "failures": failures}


def check_turn(core, seen, expect: dict) -> list[str]:
    """The checks a turn fails (empty: all passed)."""
    failed = []
    if "card" in expect:
        want = expect["card"][:8]
        if seen.card is None or seen.card[:8] != want:
            failed.append(f"card {want} (got {seen.kind} {seen.card})")
        elif "about" in expect and seen.section != expect["about"]:
            failed.append(f"about {expect['about']} (got {seen.section or 'the card'})")
    elif "about" in expect and seen.section != expect["about"]:
        failed.append(f"about {expect['about']} (got {seen.kind} {seen.section})")
    if "intent" in expect and seen.kind != expect["intent"]:
        failed.append(f"intent {expect['intent']} (got {seen.kind})")
    if expect.get("ask_which") and seen.kind != "ask_which":
        failed.append(f"ask which (got {seen.kind})")
    if "elsewhere" in expect and seen.kind != "elsewhere":
        failed.append(f"elsewhere (got {seen.kind} {seen.card or ''})")
    if expect.get("not_found") and seen.kind not in ("not_found", "elsewhere"):
        failed.append(f"not found (got {seen.kind} {seen.card or ''})")
    if expect.get("lang") == "en" and not seen.english():
        failed.append("in English")
    return failed


def checks_in(expect: dict) -> int:
    keys = {"card", "intent", "ask_which", "elsewhere", "not_found", "lang"}
    return sum(1 for k in expect if k in keys) or 1


async def score_dialogues(core, dialogues: list[dict], verbose: bool) -> dict:
    passed = total = turns = 0
    by_form = Counter()
    failed_by_form = Counter()
    failures = []
    for d in dialogues:
        citizen = Citizen(core, "d-" + d["id"])
        for turn in d["turns"]:
            seen = await citizen.say(turn["say"])
            expect = turn["expect"]
            failed = check_turn(core, seen, expect)
            count = checks_in(expect)
            turns += 1
            total += count
            passed += count - len(failed)
            form = "about" if "about" in expect else next(iter(expect))
            by_form[form] += 1
            failed_by_form[form] += bool(failed)
            if failed and verbose:
                failures.append(f"  [{d['id']}] {turn['say']!r}: {'; '.join(failed)}")
    figures = {
        "dialogues": f"{len(dialogues)} dialogues, {turns} turns, {total} checks",
        "checks passed": passed / (total or 1),
    }
    for form in sorted(by_form):
        figures[f"  turns '{form}' right"] = (
            f"{by_form[form] - failed_by_form[form]} of {by_form[form]}"
        )
    return {"figures": figures, "failures": failures}


def show(title: str, result: dict) -> None:
    print(f"\n{title}")
    for key, value in result["figures"].items():
        shown = f"{value:.3f}" if isinstance(value, float) else value
        print(f"  {key:<28} {shown}")
    for line in result["failures"]:
        print(line)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", choices=["bundled", "layered"], default="layered")
    parser.add_argument(
        "--set", action="append", choices=["dev", "fresh", "dialogues", "fresh2", "dialogues2"]
    )
    parser.add_argument("--half", choices=["tune", "held", "all"], default="tune")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args()
    chosen = args.set or ["dev", "fresh", "dialogues"]
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        core = await open_bot(args.catalog, Path(folder))
        print(
            f"catalog: {args.catalog}, {len(core.index.procedures)} procedures "
            f"({time.perf_counter() - started:.1f} s to build)"
        )
        try:
            for name in chosen:
                if name == "dialogues":
                    dialogues = [d for p in DIALOGUES[args.half] for d in load(p)]
                    result = await score_dialogues(core, dialogues, args.verbose)
                    show(f"dialogues ({args.half})", result)
                    continue
                if name == "dialogues2":
                    dialogues = [d for d in load(DIALOGUES2) if args.half in ("all", d["half"])]
                    result = await score_dialogues(core, dialogues, args.verbose)
                    show(f"dialogues2 ({args.half})", result)
                    continue
                questions = load(SETS[name])
                if name != "dev" and args.half != "all":
                    questions = [q for q in questions if q.get("half") == args.half]
                label = name if name == "dev" else f"{name} ({args.half})"
                show(label, await score_questions(core, questions, args.verbose, name))
        finally:
            await core.close()


if __name__ == "__main__":
    asyncio.run(main())
