"""`python -m analysis opinions PATH…`: every statement with its speaker's role, subject and claim.

Works straight from files: they are ingested into a temporary store and derived exactly as the
dashboard derives a corpus (`analysis.derive`: speaker names merged across the articles, roles
with the speakers file on top, statements grouped with the codebook on top), so the command and
the dashboard agree on the same articles. Output starts once every input is parsed.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from analysis.commands._output import add_input_arguments, add_store_argument, analyst_files, derived_corpus, write_records

NAME = "opinions"
HELP = "group statements into subjects and claims, with speaker role, side and stance"

STATEMENTS = """
    SELECT o.speaker_key AS speaker, s.role, s.side, o.subject, o.claim_label AS claim,
           o.group_label AS "group", o.group_id, q.text AS statement, a.source AS file, q.start, q.kind, a.date,
           o.stance, coalesce(o.stance_evidence, '') AS stance_evidence, o.negated
    FROM opinions o JOIN quotes q ON q.quote_no = o.quote_no JOIN articles a ON a.article_no = q.article_no
         LEFT JOIN speakers_corpus s ON s.speaker_key = o.speaker_key
    ORDER BY a.source, q.start"""


def add_arguments(parser) -> None:
    add_input_arguments(parser)
    add_store_argument(parser)
    parser.add_argument("--codebook", metavar="FILE", type=Path,
                        help="themes to name or pin (YAML or CSV); default $ANALYSIS_CODEBOOK, else codebook.yaml "
                             "in the store folder")
    parser.add_argument("--speakers", metavar="FILE", type=Path,
                        help="role corrections (speaker, role, side, note); default $ANALYSIS_SPEAKERS, else "
                             "speakers.csv in the store folder")
    parser.add_argument("--groups", action="store_true",
                        help="print one record per claim (subject, label, size, speakers, stance counts) instead")


def records(args) -> Iterator[dict]:
    from analysis.opinions import summarize_claims

    files = analyst_files(args, speakers=args.speakers, codebook=args.codebook)
    with derived_corpus(args, files) as con:
        if args.groups:
            grouped = con.execute("SELECT o.*, q.text FROM opinions o JOIN quotes q USING (quote_no)").df()
            for rec in summarize_claims(grouped).to_dict("records"):
                yield {k: _clean(v) for k, v in rec.items()}
            return
        cur = con.execute(STATEMENTS)
        names = [d[0] for d in cur.description]
        while rows := cur.fetchmany(1000):
            for row in rows:
                yield {k: _clean(v) for k, v in zip(names, row, strict=True)}


def _clean(value):
    """pandas NA and NaN to None, so JSON gets null and CSV an empty cell."""
    if isinstance(value, list | tuple):
        return value
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):
        return value


def run(args) -> int:
    files = analyst_files(args, speakers=args.speakers, codebook=args.codebook)
    for path in (p for p in (files.speakers, files.codebook) if p is not None and not p.is_file()):
        print(f"error: {path}: no such file", file=sys.stderr)
        return 2
    write_records(records(args), args.format)
    return 0
