"""`python -m analysis opinions PATH…`: every statement with its speaker's role, subject and claim.

Works straight from files, without a store: quotes are extracted, speaker names merged across
the given articles, roles guessed (`--speakers` file wins), statements grouped (`--codebook` on
top). Grouping needs every statement at once, so output starts once all files are parsed.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast

from analysis.commands._output import add_input_arguments, iter_parsed, write_records

if TYPE_CHECKING:
    import pandas as pd
    from spacy.tokens import Doc

NAME = "opinions"
HELP = "group statements into subjects and claims, with speaker role, side and stance"


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
    from analysis.entities import extract_entities
    from analysis.opinions import group_statements, summarize_claims
    from analysis.opinions.claims import extract_claims
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

    quotes, claims, mentions, sources, dates = [], [], [], {}, {}
    for article, parsed in iter_parsed(args):
        doc = cast("Doc", parsed)
        qs, _ = extract_quotes(doc, article)
        ents = extract_entities(doc, article)
        quotes.extend(qs)
        mentions.extend(ents)
        claims.extend(extract_claims(doc, article, qs, ents))
        sources[article.article_id] = article.source
        dates[article.article_id] = article.date
    key_of = corpus_speaker_names(sorted({q.speaker for q in quotes if q.speaker}))
    roles = assign_roles(speaker_table(quotes, key_of), overrides)
    statements = pd.DataFrame(
        [{"article_id": q.article_id, "start": q.start, "text": q.text,
          "speaker_key": key_of.get(q.speaker, q.speaker) if q.speaker else None, "kind": q.kind} for q in quotes],
        columns=["article_id", "start", "text", "speaker_key", "kind"])
    grouped = group_statements(
        statements, _frame(claims), roles=roles, codebook=codebook,
        articles=pd.DataFrame({"article_id": list(dates), "date": list(dates.values())}, columns=["article_id", "date"]),
        entities=_resolved(mentions))
    if args.groups:
        for rec in summarize_claims(grouped).to_dict("records"):
            yield {k: (v if not isinstance(v, float) or v == v else None) for k, v in rec.items()}
        return
    for row in grouped.itertuples(index=False):
        yield {
            "speaker": _clean(row.speaker_key),
            "role": _clean(row.role),
            "side": _clean(row.side),
            "subject": row.subject,
            "claim": row.claim_label,
            "group": row.group_label,
            "group_id": row.group_id,
            "statement": row.text,
            "file": sources.get(str(row.article_id)),
            "start": int(str(row.start)),
            "kind": row.kind,
            "date": _clean(row.date),
            "stance": row.stance,
            "stance_evidence": row.stance_evidence or "",
            "negated": bool(row.negated),
        }


def _frame(records: list) -> "pd.DataFrame":
    import dataclasses

    import pandas as pd

    from analysis.records import Claim

    return pd.DataFrame([dataclasses.asdict(r) for r in records], columns=[f.name for f in dataclasses.fields(Claim)])


def _resolved(mentions: list) -> "pd.DataFrame | None":
    """The mentions with corpus-wide entity names, so subjects across the files are named alike."""
    import dataclasses

    import pandas as pd

    from analysis.aliases import resolve_corpus_entities

    if not mentions:
        return None
    return resolve_corpus_entities(pd.DataFrame([dataclasses.asdict(m) for m in mentions]), [])


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
