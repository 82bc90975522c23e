"""Corpus-wide entity resolution on a synthetic table: how its time grows with the mentions.

    python bench/bench_resolution.py [--sizes 100000,200000,400000] [--repeat 3]

Prints the median seconds per size and the ratio to the smallest size against the ratio of the
sizes: a step that stays linear keeps the two close. (This was a timed unit test; timings are
noisy on a shared machine, so they are a benchmark, compared side by side, not a pass/fail.)
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.aliases import resolve_corpus_entities


def mentions(n: int, seed: int = 0) -> pd.DataFrame:
    """n mentions over 20,000 distinct names, 5,000 of them one-word names that may merge."""
    rng = np.random.default_rng(seed)
    names = np.array([f"Person{i} Name{i % 5000}" for i in range(15_000)] + [f"Name{i}" for i in range(5_000)])
    return pd.DataFrame({
        "article_id": rng.integers(0, n // 20, n).astype(str),
        "start": np.arange(n), "end": np.arange(n) + 1,
        "text": "x", "label": rng.choice(["PERSON", "ORG", "GPE"], n),
        "canonical": names[rng.integers(0, len(names), n)], "sentence": 0,
    })


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100000,200000,400000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    medians = {}
    for n in sizes:
        df = mentions(n)
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            out = resolve_corpus_entities(df, [])
            runs.append(time.perf_counter() - t)
            assert len(out) == n
        medians[n] = statistics.median(runs)
    base = sizes[0]
    print("| mentions | median s | time ratio | size ratio |")
    print("|---|---|---|---|")
    for n in sizes:
        print(f"| {n:,} | {medians[n]:.2f} | {medians[n] / medians[base]:.2f} | {n / base:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
