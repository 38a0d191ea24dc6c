"""Does what officials teach generalise? Links, then paraphrases in other words.

Run from the repository:
    .venv/bin/python bench/taught.py [--catalog bundled|layered] [--half tune|held|all] [-v]

bench/data/paraphrase_links.jsonl (written blind, before the method changed) holds
questions an official linked to a procedure, each with paraphrases that mean the same
in other words, and control questions about other things. The bench asks every
paraphrase and control through the dialog (a new citizen each), links the questions of
the chosen half as officials do (the wording is kept by the store's learned phrasings),
and asks again. Figures: paraphrases whose first card is the linked procedure, before
and after; the linked wordings themselves after; controls whose first answer stayed
the same.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from understanding import Citizen, load, open_bot  # noqa: E402

from bot.catalog import learned  # noqa: E402

LINKS = ROOT / "bench" / "data" / "paraphrase_links.jsonl"


async def first_card(core, who: str, text: str) -> str | None:
    seen = await Citizen(core, who).say(text)
    if seen.kind in ("card", "section", "event") and seen.codes:
        return seen.codes[0][:8]
    return None


async def ask_all(core, round_: str, links: list[dict], controls: list[dict]):
    paraphrases = {}
    for link in links:
        for k, text in enumerate(link["paraphrases"]):
            paraphrases[(link["id"], k)] = await first_card(
                core, f"{round_}-{link['id']}-{k}", text
            )
    answered = {
        c["id"]: await first_card(core, f"{round_}-{c['id']}", c["control"]) for c in controls
    }
    linked = {
        link["id"]: await first_card(core, f"{round_}-l-{link['id']}", link["linked"])
        for link in links
    }
    return paraphrases, answered, linked


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", choices=["bundled", "layered"], default="layered")
    parser.add_argument("--half", choices=["tune", "held", "all"], default="tune")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args()
    rows = load(LINKS)
    links = [r for r in rows if "linked" in r and args.half in ("all", r["half"])]
    controls = [r for r in rows if "control" in r]
    with tempfile.TemporaryDirectory() as folder:
        core = await open_bot(args.catalog, Path(folder))
        try:
            before, controls_before, linked_before = await ask_all(core, "b", links, controls)
            async with core.db.transaction() as conn:
                for link in links:
                    await learned.add(
                        conn, link["linked"], link["code"], None, ("terminal", "desk")
                    )
            await core.refresh_learned(force=True)
            after, controls_after, linked_after = await ask_all(core, "a", links, controls)
        finally:
            await core.close()
    want = {link["id"]: link["code"][:8] for link in links}
    total = len(before)
    hit_before = sum(code == want[key[0]] for key, code in before.items())
    hit_after = sum(code == want[key[0]] for key, code in after.items())
    print(f"catalog: {args.catalog}, half: {args.half}, {len(links)} links, {total} paraphrases")
    print(
        f"  paraphrases, first card the linked procedure: before {hit_before}/{total}"
        f" ({hit_before / total:.3f}), after {hit_after}/{total} ({hit_after / total:.3f})"
    )
    lb = sum(linked_before[i] == want[i] for i in want)
    la = sum(linked_after[i] == want[i] for i in want)
    print(f"  linked wordings themselves: before {lb}/{len(want)}, after {la}/{len(want)}")
    same = sum(controls_before[c] == controls_after[c] for c in controls_before)

    def right(got: dict) -> int:
        return sum(
            (got[c["id"]] or "")[:8] in {x[:8] for x in c["codes"]}
            if c["codes"]
            else got[c["id"]] is None
            for c in controls
        )

    print(
        f"  controls with the same first answer: {same}/{len(controls)};"
        f" right before {right(controls_before)}, after {right(controls_after)}"
    )
    if args.verbose:
        for link in links:
            for k, text in enumerate(link["paraphrases"]):
                b, a = before[(link["id"], k)], after[(link["id"], k)]
                if a != want[link["id"]]:
                    print(f"  [{link['id']}] want {want[link['id']]} got {a} (before {b}): {text}")
        for c in controls:
            if controls_before[c["id"]] != controls_after[c["id"]]:
                print(
                    f"  control [{c['id']}] {controls_before[c['id']]} -> {controls_after[c['id']]}"
                )


if __name__ == "__main__":
    asyncio.run(main())
