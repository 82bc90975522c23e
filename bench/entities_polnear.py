"""Check corpus-level entity resolution on PolNeAR: the top PERSON entities and their variants.

Parsing is the slow part, so parsed docs can be cached in a spaCy DocBin (`--cache FILE`): the
first run writes it, later runs read it, and only the entity rules are re-run.

    python bench/entities_polnear.py [--cache /tmp/polnear.spacy] [--top 30] [--scale 108]

`--scale K` also times the corpus step on the mentions copied K times under new article ids,
a tenth of the names made unique per copy so that the name table grows as a real corpus's would
(K=108 is about 100,000 articles).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.aliases import resolve_corpus_entities
from analysis.entities import extract_entities
from analysis.loaders import load_paths
from analysis.nlp import load_model, parse
from analysis.records import EntityMention

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "polnear"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--cache", type=Path, help="DocBin file to read the parses from, or write them to")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scale", type=int, default=0)
    args = ap.parse_args()

    from spacy.tokens import DocBin

    paths = sorted(str(p) for p in args.corpus.glob("*/text/*.txt"))
    articles = load_paths(paths).articles
    nlp = load_model()
    t0 = time.time()
    if args.cache and args.cache.exists():
        docs = list(DocBin().from_disk(args.cache).get_docs(nlp.vocab))
        if [d.text for d in docs] != [a.text for a in articles]:
            print("cache does not match the corpus; delete it", file=sys.stderr)
            return 1
    else:
        docs = list(parse((a.text for a in articles), workers=args.workers, nlp=nlp))
        if args.cache:
            db = DocBin(store_user_data=False)
            for d in docs:
                db.add(d)
            db.to_disk(args.cache)
    t1 = time.time()
    mentions: list[EntityMention] = []
    for a, d in zip(articles, docs, strict=True):
        mentions.extend(extract_entities(d, a))
    t2 = time.time()
    df = pd.DataFrame([m.__dict__ for m in mentions])
    res = resolve_corpus_entities(df, [])
    t3 = time.time()
    print(f"{len(articles)} articles, {len(df)} mentions; parse/load {t1 - t0:.1f}s, "
          f"extract {t2 - t1:.2f}s, resolve {t3 - t2:.2f}s")

    people = res[res.entity_label == "PERSON"]
    top = (people.groupby("entity")
           .agg(mentions=("entity", "size"), articles=("article_id", "nunique"))
           .sort_values(["mentions", "articles"], ascending=False).head(args.top))
    variants = people.groupby("entity")["canonical"].agg(lambda s: ", ".join(
        f"{k} ({v})" for k, v in s.value_counts().head(6).items()))
    for rank, (name, row) in enumerate(top.iterrows(), 1):
        print(f"{rank:3} {name:28} {row.mentions:6} {row.articles:5}  {variants[name]}")
    if args.scale:
        copies = []
        for i in range(args.scale):
            part = df.copy()
            part["article_id"] = part["article_id"] + f"_{i}"
            tenth = np.arange(len(part)) % 10 == 0
            part.loc[tenth, "canonical"] = part.loc[tenth, "canonical"] + f" {i}"
            copies.append(part)
        big = pd.concat(copies, ignore_index=True)
        t4 = time.time()
        resolve_corpus_entities(big, [])
        print(f"scale x{args.scale}: {big.article_id.nunique()} articles, {len(big)} mentions, "
              f"{big.canonical.nunique()} names: resolve {time.time() - t4:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
