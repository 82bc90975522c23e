"""A quote before its speaker is resolved, and the span rules every pass shares.

Each pass proposes candidates: a content span, the cue and the mention at the cue. Spans are
trimmed the same way whatever found them, and when two passes find the same words the
candidates are merged here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.tokens import Token

from analysis.quotes.marks import DASH_CHARS
from analysis.quotes.mentions import Mention

if TYPE_CHECKING:
    from analysis.quotes.context import Context

DATELINE = re.compile(r"[A-Z][A-Z.,'’ ]{2,40}(?:\([^)]{1,30}\))?\s*(?:—|–|―|--|-)\s+")


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
    source: str = "syntax"  # the pass that found it: syntax, label, after, before, dash, floating, transcript
    channel: str | None = None  # the document or medium the words came through
    co_speakers: list[str] = field(default_factory=list)


def trim(ctx: Context, start: int, end: int) -> tuple[int, int]:
    """The span without edge punctuation or a dateline, widened to the quotations it cuts through."""
    text = ctx.text
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:" + DASH_CHARS):
        end -= 1
    while start < end and (text[start].isspace() or text[start] in ",;:" + DASH_CHARS):
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
                if len(text[out[-1].start:out[-1].end].split()) < 3:
                    out.pop()  # "claimed great wealth and said …": what is left of the first is no report
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
    if cue is None or p.kind == "direct" or c.cue is p.cue or not (p.start < cue.idx and cue.idx - p.start > 15):
        return None
    if cue.tag_ == "VBG" and cue.idx < c.start:
        return cue
    if cue.dep_ == "conj" and cue.idx < c.start:
        cc = _coordinated_report(p, c, cue)
        if cc is not None:
            return cc
    # "… regional centers The S.E.C. said it would increase oversight": a cue with a subject of its
    # own inside the first report starts a second one (the parser missed a full stop)
    m = c.mention
    if m is not None and m.label != "PRON" and p.start + 15 < m.start < cue.idx < c.start and \
            m.head.dep_ in ("nsubj", "nsubjpass") and m.head.head.i == cue.i:
        first = m.head.doc[m.head.left_edge.i]
        if first.lower_ in ("the", "a", "an", "this") and first.is_title and not first.is_sent_start:
            return first  # a sentence that starts mid-sentence: the full stop before it went missing
    return None


def _coordinated_report(p: Candidate, c: Candidate, cue: Token) -> Token | None:
    """"…claimed great wealth and said it kept him independent": a speech verb coordinated with the
    first cue, or with the clause it reports, is a second report of its own, cut at the
    conjunction (the conjunction is returned). Deep inside the reported clause it is part of what
    was said ("… when the police found her and told her to leave")."""
    outer = p.cue
    if outer is None or not (cue.head.i == outer.i or (cue.head.dep_ == "ccomp" and cue.head.head.i == outer.i)):
        return None
    cc = next((t for t in cue.head.children if t.dep_ == "cc" and cue.head.i < t.i < cue.i), None)
    if cc is None or cue.i - cc.i > 2 or cc.idx <= p.start:
        return None
    if cue.head.i != outer.i and not any(t.dep_ in ("nsubj", "nsubjpass") for t in cue.children):
        # "The minister said the talks were over and added …": the parse hung the second verb on
        # the reported clause, but the one who goes on speaking is the reporter
        c.mention = p.mention
    return cc


def _end_before(text: str, p: Candidate, cue: Token) -> None:
    cut = cue.idx
    while cut > p.start and text[cut - 1] in " ,;":
        cut -= 1
    p.end = cut
