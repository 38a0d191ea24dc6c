"""Search speed and memory on the full national catalog, against a naive baseline.

Run from the repository: `.venv/bin/python bench/search_latency.py [--rounds N]`.
The baseline, measured in the same run, scans every folded name for every folded
question word (what a first version would do); the ratio says what the index buys.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search_quality import load_catalog, load_questions  # noqa: E402

from bot.catalog.search import ANSWER_CACHE, SearchIndex  # noqa: E402
from bot.text import fold  # noqa: E402


class SubstringScan:
    """The baseline: rank names by how many of the question's folded words they contain."""

    def __init__(self, procedures):
        self.names = [(p.code, fold(p.name)) for p in procedures]

    def search(self, query: str, limit: int = 5) -> list[str]:
        words = [w for w in fold(query).split() if len(w) > 1]
        scored = [(sum(w in name for w in words), code) for code, name in self.names]
        return [code for hits, code in sorted(scored, reverse=True)[:limit] if hits]


def timed(search, questions: list[str], rounds: int) -> list[float]:
    """Milliseconds per search, every question `rounds` times."""
    out = []
    for _ in range(rounds):
        for q in questions:
            start = time.perf_counter()
            search(q)
            out.append((time.perf_counter() - start) * 1000)
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="times each question is asked")
    args = parser.parse_args()
    procedures = load_catalog()
    questions = [q["question"] for q in load_questions()]

    gc.collect()
    start = time.perf_counter()
    index = SearchIndex(procedures)
    build = time.perf_counter() - start
    tracemalloc.start()
    traced = SearchIndex(procedures)  # a second build, traced, for the memory it takes
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del traced

    index.answers_kept = 0  # rank every time: the answer cache is timed apart below
    index.search(questions[0])  # warm up
    ours = timed(index.search, questions, args.rounds)
    index.answers_kept = ANSWER_CACHE
    cached = timed(index.search, questions, args.rounds + 1)[len(questions) :]
    scan = SubstringScan(procedures)
    base = timed(scan.search, questions, args.rounds)

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(f"catalog: {len(procedures)} procedures; {len(questions)} questions x {args.rounds}")
    print(f"cpus: {os.cpu_count()}  python: {sys.version.split()[0]}")
    print(f"index build: {build:.2f} s")
    print(f"index memory (tracemalloc): {kept / 2**20:.0f} MiB kept, {peak / 2**20:.0f} MiB peak")
    print(f"process peak RSS (parsed catalog, indexes, tracing): {rss:.0f} MiB")
    timings = (
        ("search", ours),
        ("asked again (cached)", cached),
        ("baseline substring scan", base),
    )
    for label, values in timings:
        print(
            f"{label:<24} p50 {percentile(values, 0.5):6.2f} ms  "
            f"p95 {percentile(values, 0.95):6.2f} ms  "
            f"max {max(values):6.2f} ms  mean {statistics.mean(values):6.2f} ms"
        )
    p50 = percentile(ours, 0.5) / percentile(base, 0.5)
    p95 = percentile(ours, 0.95) / percentile(base, 0.95)
    print(f"ratio search / baseline: p50 {p50:.2f}x  p95 {p95:.2f}x")
    print("target: search p95 well under 50 ms on 2 cores")


if __name__ == "__main__":
    main()
