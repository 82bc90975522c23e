"""Labels and voiced words: a quotation that is the object of a naming verb.

"Clinton called half of his supporters “deplorables”", "the department expressed “deep
concern”", "she criticized the law as a “crazy system”": the quoted words are the subject's,
though no verb of saying introduces them. The guard against scare quotes is the shape: a
subject, a naming verb, and a quotation that is the label itself, reached from the verb through
its object only. A quoted word inside a longer description ("called the ending a “twist” that
nobody saw coming") is the writer's emphasis, not the subject's words, and a quoted title
("praised “The Long Winter Road”") names a work.
"""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from spacy.tokens import Token

from analysis.quotes.candidates import Candidate, kind, trim
from analysis.quotes.context import SMALL_WORDS
from analysis.quotes.lexicon import NAMING_VERBS, cue_text, names_oneself, negated
from analysis.quotes.marks import DOUBLE_MARKS, QUOTE_TOKENS, Marked
from analysis.quotes.subjects import speaker_at

if TYPE_CHECKING:
    from analysis.quotes.context import Context

# Verbs whose unquoted complement is a label too ("called it a bandage solution that …").
PLAIN_NAMING_VERBS = {"call", "describe", "characterize", "characterise", "label", "brand", "dub", "term"}
# How far after the verb the label may start, in tokens.
MAX_OBJECT = 16
# Links inside an object that open a clause of their own: past one, the quotation is no label.
CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "parataxis", "mark"}
JOINERS = {",", "and", "or", "a", "an", "the"}


def naming_candidates(ctx: Context, taken: list[tuple[int, int]]) -> list[Candidate]:
    out: list[Candidate] = []
    for v in ctx.cue_tokens:
        if v.pos_ != "VERB" or v.lemma_.lower() not in NAMING_VERBS or ctx.inside[v.i] >= 0:
            continue
        if negated(v) or _passive(v) or names_oneself(v) or ctx.boilerplate(v.idx):
            continue
        span = label_span(ctx, v) or plain_label_span(ctx, v)
        if span is None:
            continue
        s, e = trim(ctx, *span)
        if any(a <= s and e <= b for a, b in taken):
            continue
        m = speaker_at(ctx, v)
        if m is not None and not _generic(m.head):
            out.append(Candidate(s, e, kind(ctx, s, e), v, cue_text(v), m, para=ctx.para_of(s), source="label"))
    return out


def _generic(head: Token) -> bool:
    """"Critics called it a ‘disaster’": a bare plural noun is people in general, whose label is
    the writer's summary, not words anyone can be quoted for."""
    return head.tag_ == "NNS" and not head.ent_type_ and not any(
        c.dep_ in ("det", "poss", "nummod", "compound", "amod") for c in head.children)


def _passive(v: Token) -> bool:
    """"was described as “…”": who described it is not the subject."""
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)


def label_span(ctx: Context, v: Token) -> tuple[int, int] | None:
    """From the verb's object to the end of the quoted label, or None when no quotation is the label."""
    doc = ctx.doc
    _, pb = ctx.para_tokens(v)
    end = min(pb, v.sent.end - 1, v.i + MAX_OBJECT)
    j = v.i + 1
    while j <= end and ctx.inside[j] < 0:
        if doc[j].text not in QUOTE_TOKENS and not _in_object(doc[j], v):
            return None
        j += 1
    if j > end:
        return None
    k = ctx.inside[j]
    m = ctx.marks.items[k]
    named_object = any(not doc[x].is_punct for x in range(v.i + 1, j))
    if (not named_object and _title_like(ctx.text[m.start:m.end])) or _described_further(ctx, k, v.sent.end):
        return None  # a work's title as the object ("praised “The Long Winter Road”"), or emphasis
    last = _joined_marks(ctx, k, v.sent.end)
    return min(doc[v.i + 1].idx, m.start), max(last.end, _modifiers_end(ctx, k, min(pb, v.sent.end - 1)))


def plain_label_span(ctx: Context, v: Token) -> tuple[int, int] | None:
    """"The institute called the program one of the biggest commitments in its history": an
    unquoted label is the subject's words too when it is a phrase of its own (four words or more)
    after a verb that only names ("call", "describe … as"), never a short name ("call him Bobby")."""
    if v.lemma_.lower() not in PLAIN_NAMING_VERBS:
        return None
    _, pb = ctx.para_tokens(v)
    comp = next((c for c in v.children if c.i > v.i and (c.dep_ in ("oprd", "xcomp", "acomp") or
                                                          (c.dep_ == "prep" and c.lower_ == "as"))), None)
    if comp is None:
        return None
    a, b = comp.left_edge.i, min(comp.right_edge.i, pb)
    words = [t for t in ctx.doc[a:b + 1] if t.is_alpha and t.lower_ != "as"]
    if len(words) < 4 or any(ctx.inside[t.i] >= 0 for t in words):
        return None
    doc = ctx.doc
    while b > a and doc[b].is_punct:
        b -= 1
    return doc[v.i + 1].idx, doc[b].idx + len(doc[b].text)


def _in_object(t: Token, v: Token) -> bool:
    """A word of the verb's object or of the preposition that introduces the label ("as", "to",
    "for being"): no clause of its own, no second verb coordinated with the first."""
    if t.dep_ in CLAUSE_DEPS:
        return False
    if t.dep_ in ("conj", "cc") and (t.head.i == v.i or t.pos_ in ("VERB", "AUX")):
        return False
    if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound", "pcomp", "aux", "auxpass"):
        return False
    if t.is_punct and t.text not in ("-", "’", "'"):
        return False
    return v.is_ancestor(t)


def _described_further(ctx: Context, k: int, sent_end: int) -> bool:
    """A clause outside quotation k that hangs on a word inside it: the quoted word is part of a
    longer description ("a “twist” that nobody saw coming")."""
    doc = ctx.doc
    m = ctx.marks.items[k]
    after = bisect.bisect_left(ctx.tok_starts, m.end)
    for t in doc[after:min(sent_end, after + 25)]:
        if t.dep_ in ("relcl", "acl") and ctx.inside[t.i] != k and ctx.inside[t.head.i] == k:
            return True
    return False


def _modifiers_end(ctx: Context, k: int, last_tok: int) -> int:
    """Where the words that modify the quoted label end ("a “champion” for its members")."""
    doc = ctx.doc
    m = ctx.marks.items[k]
    a, b = bisect.bisect_left(ctx.tok_starts, m.start + 1), bisect.bisect_left(ctx.tok_starts, m.end - 1)
    roots = [t for t in doc[a:b] if ctx.inside[t.head.i] != k]
    if not roots:
        return m.end
    right = min(max(t.right_edge.i for t in roots[:3]), last_tok)
    while right > 0 and doc[right].is_punct and doc[right].text not in QUOTE_TOKENS:
        right -= 1
    return doc[right].idx + len(doc[right].text)


def _joined_marks(ctx: Context, k: int, sent_end: int) -> Marked:
    """The last of several labels in a row from quotation k: “losers” and “sad”, a “bully” and a “narcissist”."""
    doc = ctx.doc
    items = ctx.marks.items
    para = items[k].para
    while k + 1 < len(items) and items[k + 1].para == para:
        a = bisect.bisect_left(ctx.tok_starts, items[k].end)
        b = bisect.bisect_left(ctx.tok_starts, items[k + 1].start)
        if b >= sent_end or b - a > 4 or not all(doc[x].lower_ in JOINERS for x in range(a, b)):
            break
        k += 1
    return items[k]


def _title_like(quoted: str) -> bool:
    """“The Long Winter Road”: a title in headline case names a work, not words anyone used."""
    inner = quoted.strip(DOUBLE_MARKS + "‘’'` ")
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", inner) if w.lower() not in SMALL_WORDS]
    return len(words) >= 2 and all(w[0].isupper() for w in words) and inner[-1:] not in ".?!,"
