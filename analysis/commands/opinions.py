"""`python -m analysis opinions PATH…`: every statement with its speaker's role and its group.

Works straight from files, without a store: quotes are extracted, speaker names merged across
the given articles, roles guessed (`--speakers` file wins), statements grouped (`--codebook` on
top). Grouping needs every statement at once, so output starts once all files are parsed.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from analysis.commands._output import add_input_arguments, iter_parsed, write_records

NAME = "opinions"
HELP = "group statements into themes, with speaker role, side and stance"


def add_arguments(parser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--codebook", metavar="FILE", type=Path,
                        help="themes to name or pin (YAML or CSV); default $ANALYSIS_CODEBOOK or ./codebook.yaml")
    parser.add_argument("--speakers", metavar="FILE", type=Path,
                        help="role corrections (speaker, role, side, note); default $ANALYSIS_SPEAKERS or ./speakers.csv")
    parser.add_argument("--groups", action="store_true",
                        help="print one record per group (label, size, speakers, stance counts) instead")


def records(args) -> Iterator[dict]:
    import pandas as pd

    from analysis.corpus import analyst_files
    from analysis.opinions import group_opinions, summarize_groups
    from analysis.quotes import extract_quotes
    from analysis.roles import assign_roles, speaker_table
    from analysis.speakers import corpus_speaker_names

    files = analyst_files()
    codebook = args.codebook or files.codebook
    overrides = args.speakers or files.speakers
    for path in (codebook, overrides):
        if path is not None and not Path(path).is_file():
            print(f"error: {path}: no such file", file=sys.stderr)
            return

    quotes, sources, dates = [], {}, {}
    for article, doc in iter_parsed(args):
        qs, _ = extract_quotes(doc, article)
        quotes.extend(qs)
        sources[article.article_id] = article.source
        dates[article.article_id] = article.date
    key_of = corpus_speaker_names(sorted({q.speaker for q in quotes if q.speaker}))
    roles = assign_roles(speaker_table(quotes, key_of), overrides)
    statements = pd.DataFrame(
        [{"article_id": q.article_id, "start": q.start, "text": q.text,
          "speaker_key": key_of.get(q.speaker, q.speaker) if q.speaker else None,
          "kind": q.kind, "date": dates.get(q.article_id)} for q in quotes],
        columns=["article_id", "start", "text", "speaker_key", "kind", "date"])
    grouped = group_opinions(statements, codebook, roles)
    if args.groups:
        for rec in summarize_groups(grouped).to_dict("records"):
            yield {k: (v if not isinstance(v, float) or v == v else None) for k, v in rec.items()}
        return
    for row in grouped.itertuples(index=False):
        yield {
            "speaker": row.speaker_key,
            "role": _clean(getattr(row, "role", None)),
            "side": _clean(getattr(row, "side", None)),
            "group": row.group_label,
            "group_id": row.group_id,
            "statement": row.text,
            "file": sources.get(row.article_id),
            "start": int(row.start),
            "kind": row.kind,
            "date": _clean(row.date),
            "stance": row.stance,
            "stance_evidence": row.stance_evidence or "",
        }


def _clean(value):
    """pandas NA to None, so JSON gets null and CSV an empty cell."""
    try:
        import pandas as pd

        return None if value is None or pd.isna(value) else value
    except (TypeError, ValueError):
        return value


def run(args) -> int:
    write_records(records(args), args.format)
    return 0
