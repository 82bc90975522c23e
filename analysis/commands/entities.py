"""`python -m analysis entities PATH…`: one record per entity mention, names resolved across the inputs.

The inputs are ingested into a temporary store and derived as the dashboard derives a corpus
(`analysis.derive`: aliases, label majority, `Trump` -> `Donald Trump`), so `canonical` and
`label` are the corpus entity and its label, the same values the dashboard shows. Output starts
once every input is parsed.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from analysis.commands._output import add_input_arguments, add_store_argument, analyst_files, derived_corpus, write_records

NAME = "entities"
HELP = "named-entity mentions with canonical names (file, start, end, text, canonical, label)"


def add_arguments(parser) -> None:
    add_input_arguments(parser)
    add_store_argument(parser)
    parser.add_argument("--aliases", metavar="FILE", action="append", type=Path,
                        help="alias CSV (alias,canonical[,label][,group]); repeatable. Default: $ANALYSIS_ALIASES, "
                             "else aliases.csv in the store folder; the shipped defaults always apply")


def records(args) -> Iterator[dict]:
    with derived_corpus(args, analyst_files(args, aliases=args.aliases)) as con:
        cur = con.execute("""
            SELECT a.source AS file, e.start, e."end", e.text, e.entity AS canonical, e.entity_label AS label
            FROM entities e JOIN articles a USING (article_id) ORDER BY a.source, e.start, e."end" """)
        names = [d[0] for d in cur.description]
        while rows := cur.fetchmany(1000):
            for row in rows:
                yield dict(zip(names, row, strict=True))


def run(args) -> int:
    write_records(records(args), args.format)
    return 0
