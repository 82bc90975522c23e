"""`python -m analysis quotes PATH…`: one record per quote, with who said it."""
from __future__ import annotations

from collections.abc import Iterator

from analysis.commands._output import add_input_arguments, iter_parsed, write_records

NAME = "quotes"
HELP = "extract quotes (direct, indirect, mixed) and their speakers"

FIELDS = ("start", "end", "text", "speaker", "speaker_mention", "speaker_description", "cue", "kind")


def add_arguments(parser) -> None:
    add_input_arguments(parser)


def records(args) -> Iterator[dict]:
    from analysis.quotes import extract_quotes

    for article, doc in iter_parsed(args):
        quotes, _ = extract_quotes(doc, article)
        for q in quotes:
            rec: dict[str, object] = {"file": article.source}
            rec.update({f: getattr(q, f) for f in FIELDS})
            rec["speaker_label"] = q.speaker_label
            yield rec


def run(args) -> int:
    write_records(records(args), args.format)
    return 0
