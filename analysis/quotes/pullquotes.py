"""Quotations set off from the text: pull quotes and block quotations.

A pull quote is a paragraph of someone's words signed with their name and nothing else.

"We will not close a single school this year. Ana Ruiz" or "… knocking on their doors. Jo Lee,
Harbour Trust": news pages repeat a line of the story as a display quote, with no quotation
marks and no verb, the speaker's name (and perhaps their organisation) after the last sentence.
The name must be a person the article names elsewhere, so that a reporter's name closing the
story is not taken for a speaker.

A block quotation is a paragraph set off after a cue that ends the paragraph before it with a
colon ("The governor added:"), without quotation marks.
"""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from analysis.quotes.candidates import Candidate
from analysis.quotes.lexicon import cue_text, is_cue
from analysis.quotes.marks import DOUBLE_MARKS
from analysis.quotes.mentions import Mention
from analysis.quotes.subjects import speaker_at

if TYPE_CHECKING:
    from analysis.quotes.context import Context

_NAME = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’.-]+){1,3}"
SIGNED = re.compile(rf"(?<=[.!?…\"”’)])\s+({_NAME})(?:,\s*[A-Z][\w.&'’-]*(?:\s+[\w.&'’-]+){{0,4}})?\s*$")
MIN_WORDS = 6


def pull_quote_candidates(ctx: Context, taken: list[tuple[int, int]]) -> list[Candidate]:
    out: list[Candidate] = []
    names = ctx.people.names
    for p, (ps, pe) in enumerate(zip(ctx.para_starts, ctx.para_ends, strict=True)):
        if ctx.boilerplate_para(p) or ctx.caption(p) or p in ctx.transcript_paras:
            continue
        m = SIGNED.search(ctx.text, ps, pe)
        if m is None or len(ctx.text[ps:m.start()].split()) < MIN_WORDS:
            continue
        name = m.group(1)
        key = names.resolve_key(name, m.start(1))
        if key not in names.names or not _named_elsewhere(ctx, name, ps, pe):
            continue
        end = m.start()
        if sum(max(0, min(b, end) - max(a, ps)) for a, b in taken) > 0.5 * (end - ps):
            continue  # the words are already someone's quote
        last = bisect.bisect_left(ctx.tok_starts, m.end(1)) - 1
        said_by = Mention(ctx.doc[last], m.start(1), m.end(1), name, "PERSON", name=names.names[key])
        out.append(Candidate(ps, end, "direct", None, None, said_by, para=p, source="pull"))
    return out


def _named_elsewhere(ctx: Context, name: str, ps: int, pe: int) -> bool:
    """Whether the surname stands in the body outside this paragraph."""
    surname = name.split()[-1]
    body = ctx.text[ctx.body_start:]
    return body.count(surname) > ctx.text[ps:pe].count(surname)


def block_quote_candidates(ctx: Context, taken: list[tuple[int, int]]) -> list[Candidate]:
    """"The governor added:" closing a paragraph, then his words as the next paragraph."""
    out: list[Candidate] = []
    doc = ctx.doc
    for p in range(1, len(ctx.para_starts)):
        ps, pe = ctx.para_starts[p], ctx.para_ends[p]
        if ctx.text[ctx.para_ends[p - 1] - 1] != ":" or ctx.text[ps] in DOUBLE_MARKS or \
                ctx.boilerplate_para(p) or ctx.caption(p) or any(a < pe and ps < b for a, b in taken):
            continue
        colon = bisect.bisect_left(ctx.tok_starts, ctx.para_ends[p - 1] - 1)
        cue = doc[colon - 1] if colon > 0 else None
        if cue is None or not is_cue(cue, direct=True) or ctx.para_of(cue.idx) != p - 1:
            continue
        said_by = speaker_at(ctx, cue)
        if said_by is not None and len(ctx.text[ps:pe].split()) >= MIN_WORDS:
            out.append(Candidate(ps, pe, "direct", cue, cue_text(cue), said_by, para=p, source="block"))
    return out
