"""`python -m analysis ingest PATH…`: bring the corpus store up to date with some files.

Exit codes: 0 everything was ingested; 1 some inputs were rejected (the rest were ingested);
2 nothing could be done (another ingest holds the store, no spaCy model).
"""
from __future__ import annotations

import sys

from analysis.commands._output import printable

NAME = "ingest"
HELP = "load articles, extract entities, quotes and speakers, and commit them to the corpus store"


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (searched recursively)")
    parser.add_argument("--store", metavar="DIR", help="store folder (default: $ANALYSIS_STORE or data/)")
    parser.add_argument("--metadata", metavar="FILE", help="CSV/TSV table setting title, date, author, outlet, url per file name")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="spaCy processes for parsing (default 1)")
    parser.add_argument("--max-bytes", type=int, default=None, metavar="N", help="reject files larger than this (default 10 MB)")
    parser.add_argument("--commit-every", type=int, default=64, metavar="N",
                        help="articles per committed batch: a killed ingest loses at most one batch (default 64)")
    parser.add_argument("--engine", choices=("local", "ray"), default="local",
                        help="where parsing runs: this machine (default) or a Ray cluster "
                             "(pip install -r requirements-scale.txt); --workers N>1 sets Ray's model actors")
    parser.add_argument("--address", metavar="ADDR",
                        help="Ray cluster to use with --engine ray: 'auto' or ray://HOST:PORT (default: a local Ray)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args) -> int:
    from tqdm import tqdm

    from analysis.loaders import DEFAULT_MAX_BYTES
    from analysis.nlp import ModelNotFound
    from analysis.pipeline import ingest
    from analysis.store import Store, StoreBusy

    store = Store(args.store)
    try:
        from analysis.engines import get_engine

        engine = get_engine(args.engine, workers=args.workers, address=args.address)
    except (ImportError, ValueError) as exc:
        print(f"error: {exc}" + (" (pip install -r requirements-scale.txt)" if isinstance(exc, ImportError) else ""),
              file=sys.stderr)
        return 2
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if args.quiet or total == 0:
            return
        if bar is None:
            bar = tqdm(total=total, unit="article", desc="ingesting", file=sys.stderr, dynamic_ncols=True)
        bar.update(done - bar.n)

    try:
        report = ingest(args.paths, store, metadata=args.metadata, workers=args.workers,
                        max_bytes=args.max_bytes or DEFAULT_MAX_BYTES, progress=progress,
                        commit_every=args.commit_every, engine=engine)
    except (StoreBusy, ModelNotFound) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if bar is not None:
            bar.close()

    _summary(report, store.root)
    return 1 if report.rejected else 0


def _summary(report, root) -> None:
    out = sys.stdout
    print(f"store: {printable(root)}", file=out)
    print(f"articles found: {report.loaded}", file=out)
    print(f"  ingested (parsed now): {report.ingested}"
          + (f", of which {report.reprocessed} reprocessed for a new model or extractor version" if report.reprocessed else ""),
          file=out)
    print(f"  already in the store, not parsed again: {report.unchanged}", file=out)
    if report.replaced:
        print(f"  earlier versions of edited files removed from the store: {report.replaced}", file=out)
    print(f"  skipped as duplicates: {len(report.duplicates)}", file=out)
    for source, first in report.duplicates:
        print(f"    {printable(source)}: same text as {printable(first)}", file=out)
    notices = [p for p in report.problems if not p.rejected]
    if notices:
        print(f"  notices: {len(notices)}", file=out)
        for p in notices:
            print(f"    {printable(p)}", file=out)
    print(f"  rejected: {len(report.rejected)}", file=out)
    for p in report.rejected:
        print(f"    {printable(p)}", file=out)
    if report.derivation and report.derivation != "unchanged":
        print(f"corpus tables for the dashboard: {report.derivation} update, {report.derive_seconds:.1f} s", file=out)
    print(f"time: {report.seconds:.1f} s", file=out)
