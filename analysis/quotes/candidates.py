"""A quote before its speaker is resolved, and the span rules every pass shares.

Each pass proposes candidates: a content span, the cue and the mention at the cue. Spans are
trimmed the same way whatever found them, and when two passes find the same words the
candidates are merged here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Token

from analysis.quotes.mentions import Mention

if TYPE_CHECKING:
    from analysis.quotes.context import Context

DATELINE = re.compile(r"[A-Z][A-Z.,'’ ]{2,40}(?:\([^)]{1,30}\))?\s*(?:—|–|--|-)\s+")


@dataclass
class Candidate:
    start: int
    end: int
    kind: str
    cue: Token | None
    cue_text: str | None
    mention: Mention | None
    floating: bool = False  # a quotation with no cue, continuing whoever spoke last
    para: int = 0
    source: str = "syntax"  # the pass that found it: syntax, after, before, dash, floating, transcript


def trim(ctx: Context, start: int, end: int) -> tuple[int, int]:
    """The span without edge punctuation or a dateline, widened to the quotations it cuts through."""
    text = ctx.text
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:—–-"):
        end -= 1
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    dateline = DATELINE.match(text, start, end)
    if dateline:
        start = dateline.end()  # "TALLAHASSEE — …": the place of the report, not what was said
    for m in ctx.marks.overlapping(start, end):
        if m.start < start or m.end > end:
            start, end = min(start, m.start), max(end, m.end)
    return start, end


def kind(ctx: Context, start: int, end: int) -> str:
    quoted = ctx.marks.quoted_chars(start, end)
    if quoted <= 0:
        return "indirect"
    return "direct" if quoted >= 0.9 * (end - start) else "mixed"


def dedupe(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Drop candidates inside another (speech reported within a report) and exact repeats."""
    cands.sort(key=lambda c: (c.start, -c.end))
    out: list[Candidate] = []
    for c in cands:
        if out and c.start >= out[-1].start and c.end <= out[-1].end:
            cue = _second_report(out[-1], c)
            if cue is not None:
                _end_before(text, out[-1], cue)
                out.append(c)
            continue
        if out and c.start < out[-1].end:
            p = out[-1]
            overlap = p.end - c.start
            if overlap > 0.5 * (c.end - c.start) or overlap > 0.5 * (p.end - p.start):
                if (c.end - c.start) > (p.end - p.start):
                    out[-1] = c
                continue
        out.append(c)
    return out


def _second_report(p: Candidate, c: Candidate) -> Token | None:
    """"…announced that he is stepping down, saying the party needs to move on": a participle
    inside an indirect report starts a second report (its cue is returned)."""
    cue = c.cue
    if cue is not None and cue.tag_ == "VBG" and p.start < cue.idx < c.start and cue.idx - p.start > 15 \
            and p.kind == "indirect" and c.cue is not p.cue:
        return cue
    return None


def _end_before(text: str, p: Candidate, cue: Token) -> None:
    cut = cue.idx
    while cut > p.start and text[cut - 1] in " ,;":
        cut -= 1
    p.end = cut
