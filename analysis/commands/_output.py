"""Shared plumbing for the extraction subcommands: load, parse, derive, print records."""
from __future__ import annotations

import csv
import json
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import duckdb
from spacy.tokens import Doc

from analysis.analyst_files import AnalystFiles
from analysis.records import Article, Problem


def add_input_arguments(parser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (searched recursively)")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="output format (default jsonl)")
    parser.add_argument("--metadata", metavar="FILE", help="CSV/TSV table of per-file title, date, author, outlet, url")
    parser.add_argument("--workers", type=int, default=1, help="spaCy processes (default 1)")


def add_store_argument(parser) -> None:
    parser.add_argument("--store", metavar="DIR",
                        help="the store folder whose analyst files (aliases.csv, speakers.csv, codebook.yaml) apply "
                             "(default: $ANALYSIS_STORE or data/); the store itself is not read or written")


def printable(value: object) -> str:
    """A line safe to print: file names and values come from the input, and a control character
    in them (an escape sequence, a newline) must not act on the terminal or fake a line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(value))


def report_problems(problems: Iterable[Problem]) -> None:
    for problem in problems:
        print(f"{'rejected' if problem.rejected else 'notice'}: {printable(problem)}", file=sys.stderr)


def iter_parsed(args) -> Iterator[tuple[Article, Doc]]:
    """Load the inputs (problems go to stderr) and yield (article, spaCy doc) pairs."""
    from analysis.loaders import load_paths
    from analysis.nlp import parse

    result = load_paths(args.paths, metadata=getattr(args, "metadata", None))
    report_problems(result.problems)
    articles = result.articles
    docs = parse((a.text for a in articles), workers=getattr(args, "workers", 1))
    yield from zip(articles, docs, strict=True)


def analyst_files(args, *, aliases: Iterable[Path] | None = None, speakers: Path | None = None,
                  codebook: Path | None = None) -> AnalystFiles:
    """The store folder's analyst files (see `analysis.analyst_files`), each replaced by the
    file named on the command line, if any."""
    from analysis.store import Store

    found = AnalystFiles.find(Store(getattr(args, "store", None)).root)
    return AnalystFiles(aliases=tuple(aliases) if aliases else found.aliases,
                        speakers=speakers or found.speakers, codebook=codebook or found.codebook)


@contextmanager
def derived_corpus(args, files: AnalystFiles) -> Iterator[duckdb.DuckDBPyConnection]:
    """The inputs ingested into a temporary store and derived exactly as the dashboard derives a
    corpus (`analysis.derive`), so the commands and the dashboard give the same names, speakers,
    roles and groups for the same articles."""
    from analysis.corpus import derived_connection
    from analysis.pipeline import ingest
    from analysis.store import Store

    with tempfile.TemporaryDirectory(prefix="analysis-") as tmp:
        store = Store(tmp)
        report = ingest(args.paths, store, metadata=getattr(args, "metadata", None),
                        workers=getattr(args, "workers", 1), derive=False)
        report_problems(report.problems)
        for source, first in report.duplicates:
            print(f"notice: {printable(source)}: same text as {printable(first)}, read once", file=sys.stderr)
        con = derived_connection(store, files)
        try:
            yield con
        finally:
            con.close()


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
