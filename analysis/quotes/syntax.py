"""Reported speech found from the parse: a reporting verb and the clause it governs.

"She said the plan was ready" (the verb's clausal complement), "The plan, she said, was ready"
and "The plan was ready, said Moreau" (the cue beside its clause), "According to Moreau, the
plan was ready". This pass finds indirect speech and quotes whose cue is in the same sentence;
verbs that report words only next to quotation marks ("laughed") count only when the clause
is quoted.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from analysis.quotes.candidates import Candidate, kind, trim
from analysis.quotes.lexicon import cue_text, is_according, is_cue, negated
from analysis.quotes.marks import QUOTE_TOKENS
from analysis.quotes.subjects import speaker_at

if TYPE_CHECKING:
    from analysis.quotes.context import Context

Span_ = tuple[int, int]
CUE_OBJECTS = {"dobj", "ccomp", "xcomp", "attr", "oprd", "dative", "acomp", "prt"}
SIDE_DEPS_AFTER = {"advcl", "conj", "cc", "punct", "prep", "npadvmod", "advmod", "parataxis", "dep"}


def syntactic_candidates(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for tok in ctx.doc[ctx.first_body_tok:]:
        if ctx.inside[tok.i] >= 0:
            continue  # speech reported inside someone's quotation is part of their quote
        span = _reported(ctx, tok)
        if span is None:
            continue
        s, e = trim(ctx, *span)
        if e - s < 8 or s < ctx.body_start or len(ctx.text[s:e].split()) < 3:
            continue
        m = speaker_at(ctx, tok)
        k = kind(ctx, s, e)
        if m is None and k == "indirect":
            continue  # reported speech with nobody reporting it is narration ("there's no telling what…")
        out.append(Candidate(s, e, k, tok, cue_text(tok), m, para=ctx.para_of(s)))
    return out


def _reported(ctx: Context, tok: Token) -> Span_ | None:
    """What the token reports when it is a cue: the content's character span."""
    if is_according(tok):
        return according_content(ctx, tok)
    if not is_cue(tok, direct=True) or negated(tok) or ctx.boilerplate(tok.idx):
        return None
    span = clause_content(ctx, tok)
    if span is not None and not is_cue(tok, direct=False) and kind(ctx, *trim(ctx, *span)) == "indirect":
        return None  # "she laughed that …": only a quotation makes this verb a cue
    return span


def clause_content(ctx: Context, cue: Token) -> Span_ | None:
    """Character span of what the cue reports, or None when the cue governs no clause."""
    pa, pb = ctx.para_tokens(cue)
    comps = [c for c in cue.children if c.dep_ == "ccomp" and (c.pos_ in ("VERB", "AUX") or ctx.inside[c.i] >= 0)]
    right = [c for c in comps if c.i > cue.i]
    comp = right[0] if right else (comps[-1] if comps else None)
    if comp is not None:
        return _complement(ctx, cue, comp, pa, pb)
    return _beside_cue(ctx, cue, pa, pb)


def _complement(ctx: Context, cue: Token, comp: Token, pa: int, pb: int) -> Span_ | None:
    """"She said [the plan was ready]": the clausal complement."""
    doc = ctx.doc
    a, b = comp.left_edge.i, comp.right_edge.i
    # a clause reported as speech has a subject or is itself quoted
    has_subj = any(x.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for x in comp.children)
    if not has_subj and ctx.inside[comp.i] < 0:
        return None
    if comp.i > cue.i:
        # the parse sometimes hangs the rest of the reported clause on the cue itself
        for c in cue.children:
            if c.i > b and c.dep_ not in SIDE_DEPS_AFTER:
                b = max(b, c.right_edge.i)
    a, b = max(a, pa), min(b, pb)
    if b < a:
        return None
    return doc[a].idx, doc[b].idx + len(doc[b].text)


def _beside_cue(ctx: Context, cue: Token, pa: int, pb: int) -> Span_ | None:
    """"…, said Moreau." / "…, she said." / "The talks, she said, were productive."."""
    doc = ctx.doc
    left = cue.i
    for c in cue.children:
        if c.i < cue.i and c.dep_ in ("nsubj", "nsubjpass", "aux", "neg", "advmod"):
            left = min(left, c.left_edge.i)
    k = left - 1
    while k >= pa and doc[k].is_space:
        k -= 1
    closed = not any(c.i > cue.i and c.dep_ in CUE_OBJECTS for c in cue.children)
    if not (closed and k > pa and doc[k].text in (",", "—", "–") and ctx.inside[k] < 0):
        return None
    sent = cue.sent
    start = max(pa, sent.start)
    if cue.head.i < cue.i:
        start = max(start, min(cue.head.left_edge.i, k))
    b = k - 1
    a = start
    while a < b and (doc[a].is_punct and doc[a].text not in QUOTE_TOKENS or doc[a].is_space):
        a += 1
    resumed = _resumed_after(ctx, cue, min(sent.end - 1, pb))
    if resumed is not None:
        b = resumed
    if not _reads_as_speech(doc, a, b):
        return None
    return doc[a].idx, doc[b].idx + len(doc[b].text)


def _resumed_after(ctx: Context, cue: Token, send: int) -> int | None:
    """"Acts of protest, Mr. Obama said, are acts of patriotism": the cue sits inside the
    reported words, which resume after it; the last token of the sentence, else None."""
    doc = ctx.doc
    r = cue.i
    for c in cue.children:
        if c.i > cue.i and c.dep_ in ("nsubj", "nsubjpass", "npadvmod", "advmod", "prep", "agent"):
            r = max(r, c.right_edge.i)
    if not (r + 1 < send and doc[r + 1].text == "," and ctx.inside[r + 1] < 0):
        return None
    e = send
    while e > r + 2 and (doc[e].is_punct and doc[e].text not in QUOTE_TOKENS or doc[e].is_space):
        e -= 1
    return e if e - (r + 2) >= 2 else None


def _reads_as_speech(doc: Doc, a: int, b: int) -> bool:
    """A clause with a verb and a subject, not an adverbial ("After the vote, she acknowledged")."""
    if b - a < 3 or not any(doc[x].pos_ in ("VERB", "AUX") for x in range(a, b + 1)):
        return False
    if not any(doc[x].dep_ in ("nsubj", "nsubjpass", "expl") for x in range(a, b + 1)):
        return False
    f = a + 1 if doc[a].pos_ == "CCONJ" and a + 1 < b else a
    return not (doc[f].pos_ in ("SCONJ", "ADP") or doc[f].tag_ in ("VBN", "VBG", "WRB"))


def according_content(ctx: Context, tok: Token) -> Span_ | None:
    """"According to X, …" / "…, according to X": the rest of the sentence."""
    doc = ctx.doc
    sent = tok.sent
    pa, pb = tok.left_edge.i, tok.right_edge.i
    nxt = pb + 1
    if nxt < len(doc) and doc[nxt].text == ":":
        return None  # the quotation after the colon is the mark pass's
    pa_, pb_ = ctx.para_tokens(tok)
    s, e = max(sent.start, pa_), min(sent.end - 1, pb_)
    while e > s and (doc[e].is_space or doc[e].is_punct and doc[e].text not in QUOTE_TOKENS):
        e -= 1
    if pa <= s + 1:
        a, b = pb + 1, e
    elif pb >= e - 1:
        a, b = s, pa - 1
    else:
        a, b = s, e
    while a < b and doc[a].is_punct and doc[a].text not in QUOTE_TOKENS:
        a += 1
    while b > a and doc[b].is_punct and doc[b].text not in QUOTE_TOKENS:
        b -= 1
    if b - a < 2:
        return None
    return doc[a].idx, doc[b].idx + len(doc[b].text)
