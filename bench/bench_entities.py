"""Entity extraction alone: `extract_entities` over parsed PolNeAR docs, median of several runs.

Parsing dominates ingest (about 95 % of it), so a change to the entity rules is best measured
on docs parsed once: the parses are cached in a spaCy DocBin, and the same file serves two
checkouts of the project, which is how a change is compared with what it replaces:

    python bench/bench_entities.py --cache /tmp/polnear.spacy [--repeat 5]
    (cd /path/to/other/checkout && python /path/to/bench_entities.py --cache /tmp/polnear.spacy)

It prints the median and the spread of the extraction time, and the parse time of the first run
(when the cache is written) for scale.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, os.getcwd())  # the checkout it is run from, so one script measures two trees

from analysis.entities import extract_entities
from analysis.loaders import load_paths
from analysis.nlp import load_model, parse

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "polnear"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--cache", type=Path, required=True, help="DocBin file of the parses (written if missing)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from spacy.tokens import DocBin

    articles = load_paths(sorted(str(p) for p in args.corpus.glob("*/text/*.txt"))).articles
    nlp = load_model()
    if args.cache.exists():
        docs = list(DocBin().from_disk(args.cache).get_docs(nlp.vocab))
    else:
        t0 = time.perf_counter()
        docs = list(parse((a.text for a in articles), nlp=nlp))
        print(f"parse: {time.perf_counter() - t0:.1f} s for {len(docs)} articles")
        db = DocBin(store_user_data=False)
        for d in docs:
            db.add(d)
        db.to_disk(args.cache)
    if [d.text for d in docs] != [a.text for a in articles]:
        print("cache does not match the corpus; delete it", file=sys.stderr)
        return 1
    times, mentions = [], 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        mentions = sum(len(extract_entities(d, a)) for a, d in zip(articles, docs, strict=True))
        times.append(time.perf_counter() - t0)
    print(f"{os.getcwd()}: {len(docs)} articles, {mentions} mentions; extract median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}, {args.repeat} runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
