"""`python -m analysis rebuild`: derive the corpus-level tables of a store again, from scratch.

The ingest keeps them up to date (new articles are added to the previous derivation, and a
change of version or analyst file derives everything again); this is the same full derivation
on demand, e.g. after an ingest was killed before it derived, or to regroup every statement.
Exit codes: 0 done; 2 another ingest or rebuild holds the store.
"""
from __future__ import annotations

import sys

from analysis.commands._output import printable

NAME = "rebuild"
HELP = "derive the corpus-level tables (entity names, speakers, roles, opinion groups, indexes) again"


def add_arguments(parser) -> None:
    parser.add_argument("--store", metavar="DIR", help="store folder (default: $ANALYSIS_STORE or data/)")
    parser.add_argument("--if-needed", action="store_true",
                        help="only derive when the tables are not up to date (adding new parts incrementally)")


def run(args) -> int:
    from analysis.corpus import update_corpus
    from analysis.store import Store, StoreBusy

    store = Store(args.store)
    if store.is_empty():
        print(f"store: {printable(store.root)} holds no articles; nothing to derive", file=sys.stdout)
        return 0
    try:
        with store.writer():
            store.set_status(deriving=True)
            report = update_corpus(store, full=not args.if_needed)
    except StoreBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"store: {printable(store.root)}", file=sys.stdout)
    print(f"corpus tables: {report.mode} ({report.new_articles} articles derived) in {report.seconds:.1f} s",
          file=sys.stdout)
    return 0
