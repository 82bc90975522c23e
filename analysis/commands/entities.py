"""`python -m analysis entities PATH…`: one record per entity mention, names resolved across the inputs.

The corpus step (aliases, label majority, `Trump` -> `Donald Trump`) needs every article, so the
records are written after all inputs are parsed; `canonical` and `label` are the corpus entity
and its label, the same values the store shows.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.commands._output import add_input_arguments, iter_parsed, write_records

NAME = "entities"
HELP = "named-entity mentions with canonical names (file, start, end, text, canonical, label)"


def add_arguments(parser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--aliases", metavar="FILE", action="append", type=Path,
                        help="alias CSV (alias,canonical[,label][,group]); repeatable. Default: "
                             "$ANALYSIS_ALIASES, else ./aliases.csv if present; the shipped defaults always apply")


def run(args) -> int:
    from analysis.aliases import alias_files, resolve_corpus_entities
    from analysis.entities import extract_entities
    from analysis.records import EntityMention

    sources: dict[str, str] = {}
    rows: list[EntityMention] = []
    for article, doc in iter_parsed(args):
        sources[article.article_id] = article.source
        rows.extend(extract_entities(doc, article))
    columns = list(EntityMention.__dataclass_fields__)
    mentions = pd.DataFrame([m.__dict__ for m in rows], columns=columns)
    files = args.aliases if args.aliases else alias_files()
    resolved = resolve_corpus_entities(mentions, files)
    records = (
        {"file": sources[r.article_id], "start": int(r.start), "end": int(r.end), "text": r.text,
         "canonical": r.entity, "label": r.entity_label}
        for r in resolved.itertuples(index=False)
    )
    write_records(records, args.format)
    return 0
