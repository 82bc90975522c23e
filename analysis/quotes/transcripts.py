"""Interview transcripts: "PENCE: Well, look, …" is Mike Pence speaking.

A paragraph that opens with a label and a colon is a line of a transcript when the label names
a person of the article, or when the same upper-case label opens several paragraphs. Datelines
("WASHINGTON:") and section labels ("WATCH:", "UPDATE:") stay out.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from typing import TYPE_CHECKING

from analysis.quotes.candidates import Candidate
from analysis.quotes.lexicon import SECTION_LABELS
from analysis.quotes.mentions import Mention

if TYPE_CHECKING:
    from analysis.quotes.context import Context

TRANSCRIPT = re.compile(r"""["“]?((?:[A-Z][A-Za-z'’.-]*\.?\s){0,3}[A-Z][A-Za-z'’-]+)\s?:\s+\S""")


def transcript_candidates(ctx: Context, taken: list[tuple[int, int]]) -> list[Candidate]:
    """One candidate per transcript line not already taken; marks the transcript's paragraphs on `ctx`."""
    found = _labelled_paragraphs(ctx)
    repeated = {lab for lab, n in Counter(m.group(1) for _, _, m in found).items() if n >= 2 and lab.isupper()}
    ctx.transcript_paras = {p for p, _, m in found if m.group(1) in repeated}
    names = ctx.people.names
    out: list[Candidate] = []
    for p, pe, m in found:
        label = m.group(1)
        key = names.resolve_key(label.title() if label.isupper() else label)
        if key not in names.names:
            if label not in repeated:
                continue
            names.add(label.title(), m.start(1))  # a speaker's label used throughout a transcript
            key = names.resolve_key(label.title())
        ctx.transcript_paras.add(p)
        start = m.end() - 1
        if any(a <= start < b for a, b in taken):
            continue
        first = bisect.bisect_left(ctx.tok_starts, m.start(1))
        last = bisect.bisect_left(ctx.tok_starts, m.end(1)) - 1
        head = ctx.doc[max(first, last)]
        said_by = Mention(head, m.start(1), m.end(1), label, "PERSON", name=names.names[key])
        out.append(Candidate(start, pe, "direct", None, ":", said_by, para=p, source="transcript"))
    return out


def _labelled_paragraphs(ctx: Context) -> list[tuple[int, int, re.Match[str]]]:
    found = []
    for p, (ps, pe) in enumerate(zip(ctx.para_starts, ctx.para_ends, strict=True)):
        if ctx.boilerplate_para(p):
            continue
        m = TRANSCRIPT.match(ctx.text, ps, pe)
        if m is not None and len(m.group(1)) >= 3 and \
                not any(w.lower().strip(".") in SECTION_LABELS for w in m.group(1).split()):
            found.append((p, pe, m))
    return found
