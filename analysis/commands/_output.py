"""Shared plumbing for the extraction subcommands: load, parse, print records."""
from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING

from analysis.records import Article

if TYPE_CHECKING:
    from spacy.tokens import Doc


def add_input_arguments(parser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (searched recursively)")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="output format (default jsonl)")
    parser.add_argument("--metadata", metavar="FILE", help="CSV/TSV table of per-file title, date, author, outlet, url")
    parser.add_argument("--workers", type=int, default=1, help="spaCy processes (default 1)")


def iter_parsed(args) -> Iterator[tuple[Article, Doc]]:
    """Load the inputs (problems go to stderr) and yield (article, spaCy doc) pairs."""
    from analysis.loaders import load_paths
    from analysis.nlp import parse

    result = load_paths(args.paths, metadata=getattr(args, "metadata", None))
    for problem in result.problems:
        print(f"{'rejected' if problem.rejected else 'notice'}: {problem}", file=sys.stderr)
    articles = result.articles
    docs = parse((a.text for a in articles), workers=getattr(args, "workers", 1))
    yield from zip(articles, docs, strict=True)


def write_records(records: Iterable[dict], fmt: str, out: IO[str] | None = None) -> int:
    """Write dict records as JSON lines or CSV; returns how many were written."""
    out = out or sys.stdout
    n = 0
    writer = None
    for rec in records:
        if fmt == "jsonl":
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        else:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(rec), extrasaction="ignore")
                writer.writeheader()
            writer.writerow(rec)
        n += 1
    out.flush()
    return n
