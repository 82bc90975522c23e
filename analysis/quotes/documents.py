"""A document as the speaker: "the complaint said", "the report says", "a statement read".

An analyst filtering by speaker wants whoever issued the words, with the document kept as the
channel they came through. The issuer is the one the article names: inside the document's own
noun phrase ("the Civic Action study"), where the article introduced that document ("economist
Jo Park wrote in a recent report", "the union issued a statement"), or else the organisation or
person that spoke just before ("Gatsby said its director was among the dead. A statement said …").
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from analysis.quotes.lexicon import AUTHORING_VERBS, DOCUMENT_NOUNS, NAME_ENTS, ORG_ENTS, is_cue
from analysis.quotes.memory import Memory, Said
from analysis.quotes.mentions import document_author
from analysis.quotes.subjects import subject_of

if TYPE_CHECKING:
    from analysis.quotes.context import Context

# How far back (paragraphs) the article may have introduced the document.
LOOK_BACK = 8
# Verbs that bring a document into the story, whose subject issued it ("released a report").
ISSUING_VERBS = AUTHORING_VERBS | {"file", "launch", "commission", "produce", "prepare", "unveil", "deliver", "give"}


def is_document(head: Token) -> bool:
    return head.pos_ in ("NOUN", "PROPN") and head.lemma_.lower() in DOCUMENT_NOUNS


def issuer(ctx: Context, memory: Memory, head: Token, para: int) -> Token | Said | None:
    """Who issued the document `head` names: a token naming them, a speaker already resolved, or None."""
    # "Ortiz released a report that says …", unless the document names who wrote it
    named = named_inside(ctx, head) or document_author(head) or _issued_by(head)
    if named is not None:
        return named
    earlier = _introduced_earlier(ctx, memory, head, para)
    if earlier is not None:
        return earlier
    return next((s for s in memory.recent() if s.para >= para - 1 and s.label in ("ORG", "PERSON")), None)


def named_inside(ctx: Context, head: Token) -> Token | None:
    """A name inside the document's noun phrase: "the Civic Action study", "the PBO report", "a
    speech Mrs. Clinton delivered" (the subject of a relative clause that issues it)."""
    for c in head.children:
        if c.i < head.i and c.dep_ in ("compound", "nmod", "poss") and _names_someone(ctx, c):
            return c
        if c.i > head.i and c.dep_ == "relcl" and c.lemma_.lower() in ISSUING_VERBS:
            subj = next((g for g in c.children if g.dep_ == "nsubj" and g.i > head.i), None)
            if subj is not None and _names_someone(ctx, subj):
                return subj
    return None


def _names_someone(ctx: Context, t: Token) -> bool:
    ent = ctx.people.ent_of.get(t.i)
    if ent is not None:
        return ent.label_ in NAME_ENTS | ORG_ENTS
    return t.pos_ == "PROPN"


def _introduced_earlier(ctx: Context, memory: Memory, head: Token, para: int) -> Token | None:
    """The author of the same document where the article first brought it up."""
    lemma = head.lemma_.lower()
    doc = ctx.doc
    for i in range(head.i - 1, ctx.first_body_tok - 1, -1):
        t = doc[i]
        if ctx.para_of(t.idx) < para - LOOK_BACK:
            break
        if t.lemma_.lower() != lemma or t.pos_ != "NOUN" or ctx.inside[i] >= 0 or memory.in_quote(t.idx):
            continue
        author = named_inside(ctx, t) or document_author(t) or _issued_by(t)
        if author is not None:
            return author
    return None


def _issued_by(t: Token) -> Token | None:
    """"The union released a report", "Park wrote in a recent report", "she said in a statement"."""
    verb = t.head
    if t.dep_ == "dobj" and verb.lemma_.lower() in ISSUING_VERBS:
        return subject_of(verb)
    if t.dep_ == "pobj" and verb.lower_ in ("in", "through", "via") and \
            (verb.head.lemma_.lower() in ISSUING_VERBS or is_cue(verb.head, direct=True)):
        return subject_of(verb.head)
    return None
