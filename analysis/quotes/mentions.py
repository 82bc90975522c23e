"""The words that name a speaker at a cue, and what they tell about the speaker.

A mention is a pronoun ("she"), a name with its titles ("Secretary of State Mike Pompeo"), an
organisation, a group ("U.S. negotiators") or a description ("a spokesperson for the ministry").
Titles and appositives become the speaker's description; a document ("her statement said",
"a statement e-mailed by Jane Doe") speaks for its author.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from analysis.names import clean_name, is_courtesy, strip_titles
from analysis.quotes.lexicon import (
    AUTHORING_VERBS,
    DOCUMENT_NOUNS,
    NAME_ENTS,
    ORG_ENTS,
    PERSONAL,
    PLURAL_PRONOUNS,
    is_cue,
    party_member,
)

if TYPE_CHECKING:
    from analysis.quotes.context import Context

NOUN_PHRASE_DEPS = ("prep", "compound", "amod", "nummod", "poss", "case", "nmod", "pobj")


@dataclass
class Mention:
    """The words that name a speaker at the cue, and what they tell us."""

    head: Token
    start: int
    end: int
    text: str
    label: str  # PERSON, ORG, GROUP, UNNAMED, PRON
    name: str | None = None  # for PERSON/ORG: the name without titles
    description: str | None = None
    channel: str | None = None  # the document the words came through: "her statement"
    others: list[Mention] = field(default_factory=list)  # the people named with this one: "X and Y said"


def mention(ctx: Context, head: Token) -> Mention:
    """The mention whose head is `head`: its span, label, name and description."""
    low = head.lower_.replace("’", "'").split("'")[0]  # "he’s" tokenised as one word
    if head.pos_ == "PRON" or low in PERSONAL or low in PLURAL_PRONOUNS or low in ("i", "it", "we"):
        return Mention(head, head.idx, head.idx + len(low), ctx.text[head.idx:head.idx + len(low)], "PRON")
    found = _named_appositive(ctx, head) or _document_speaker(ctx, head)
    if found is not None:
        return found
    ent = ctx.people.ent_of.get(head.i)
    if party_member(head):  # "the Kentucky Republican": a description, not a name
        np = np_text(ctx, head)
        s_ = max(head.left_edge, ctx.doc[ctx.para_tokens(head)[0]]).idx
        return Mention(head, s_, s_ + len(np), np, "UNNAMED", name=clean_name(np))
    if (head.pos_ == "PROPN" and not head.is_lower) or (ent is not None and ent.label_ in NAME_ENTS):
        return _with_others(ctx, _proper_mention(ctx, head, ent))  # a lower-case "union" is no name
    if head.is_title and ctx.people.names.resolve_key(head.text) in ctx.people.names.names and len(head.text) > 2:
        # a surname the tagger took for a common noun ("Baker writes")
        return Mention(head, head.idx, head.idx + len(head.text), head.text, "PERSON", name=head.text)
    np = np_text(ctx, head)
    s_ = max(head.left_edge, ctx.doc[ctx.para_tokens(head)[0]]).idx
    label = "ORG" if ent is not None and ent.label_ in ORG_ENTS else (
        "GROUP" if head.tag_ in ("NNS", "NNPS") else "UNNAMED")
    return Mention(head, s_, s_ + len(np), np, label, name=clean_name(np), description=appositive(ctx, head))


def _with_others(ctx: Context, m: Mention) -> Mention:
    """"Both Sandmann and Phillips said": everyone named in the coordination spoke."""
    head = m.head
    if m.label != "PERSON" or not any(c.dep_ == "cc" and c.lower_ == "and" for c in head.children):
        return m
    others = [mention(ctx, c) for c in head.children if c.dep_ == "conj" and c.i > head.i and c.pos_ == "PROPN"]
    others = [o for o in others if o.label == "PERSON"]
    if others:
        m.others = others
        m.end = max(o.end for o in others)
        m.text = ctx.text[m.start:m.end]
    return m


def _is_person(ctx: Context, tok: Token) -> bool:
    ent = ctx.people.ent_of.get(tok.i)
    return ent is not None and ent.label_ in NAME_ENTS


def _is_organisation(ctx: Context, tok: Token) -> bool:
    ent = ctx.people.ent_of.get(tok.i)
    return ent is not None and ent.label_ == "ORG"


def _named_appositive(ctx: Context, head: Token) -> Mention | None:
    """A noun with a named appositive: "her spokesperson, Jane Doe, said", "One red-state
    Democrat, Sen. Jane Roe of Montana, said", "the aid group Northbridge said": the name
    speaks, the noun describes."""
    if not (head.pos_ == "NOUN" or (head.pos_ == "PROPN" and not _is_person(ctx, head))):
        return None
    for c in head.children:
        if c.dep_ == "appos" and c.pos_ == "PROPN" and (_is_person(ctx, c) or head.pos_ == "NOUN" and _is_organisation(ctx, c)):
            m = mention(ctx, c)
            m.description = m.description or clean_name(np_text(ctx, head, stop_at=c))
            return m
    return None


def _document_speaker(ctx: Context, head: Token) -> Mention | None:
    """"Foster's book says", "her statement said", "a statement e-mailed by Jane Doe said":
    the author speaks."""
    if head.pos_ != "NOUN" or head.lemma_.lower() not in DOCUMENT_NOUNS:
        return None
    author = next((c for c in head.children if c.dep_ == "poss" and (c.pos_ == "PROPN" or c.lower_ in
                                                                      ("his", "her", "their", "its"))), None)
    author = author or document_author(head)
    if author is None:
        return None
    m = mention(ctx, author)
    m.channel = np_text(ctx, head)
    return m


def _name_bounds(ctx: Context, head: Token, ent: Span | None) -> tuple[int, int]:
    """First and last token of the name around `head`, without "the", possessive or punctuation."""
    doc = ctx.doc
    if ent is not None and (ent.label_ in NAME_ENTS or (ent.label_ in ORG_ENTS and ent.root.i == head.i)):
        a, b = ent.start, ent.end - 1
    else:
        a = b = head.i
        while a - 1 >= 0 and doc[a - 1].pos_ == "PROPN" and doc[a - 1].head.i in range(a, head.i + 1) \
                and doc[a - 1].dep_ in ("compound", "flat", "nmod", "amod"):
            a -= 1
    pa, pb = ctx.para_tokens(head)
    a, b = max(a, pa, ctx.line_start_tok(head)), min(b, pb)
    while b > a and (doc[b].tag_ == "POS" or doc[b].lower_ in ("'s", "’s") or doc[b].is_punct):
        b -= 1
    while a < b and (doc[a].lower_ == "the" or doc[a].is_punct or doc[a].is_space):
        a += 1
    while b > a and doc[b].is_title and is_cue(doc[b], direct=False):
        b -= 1  # headline case: "Obama Says"
    return a, b


def _name_label(ctx: Context, head: Token, ent: Span | None, name: str) -> str:
    if (ent is None or ent.label_ in NAME_ENTS) and ctx.people.is_organisation(name):
        return "ORG"
    if ent is not None and ent.label_ in ORG_ENTS:
        if ctx.people.names.resolve_key(name) in ctx.people.names.names:
            return "PERSON"
        return "GROUP" if ent.label_ == "NORP" or head.tag_ == "NNPS" else "ORG"
    if ent is None and head.tag_ == "NNPS":
        return "GROUP"
    return "PERSON"


def _honorific_only(words: str) -> bool:
    """"Mr.", "the Dr.": words that tell nothing of who the person is."""
    return all(w.lower() == "the" or is_courtesy(w) for w in words.split())


def _name_description(ctx: Context, head: Token, a: int, title: str) -> str | None:
    """What the words around a name say of the person: the appositive, the words before the
    name ("nuclear affairs expert Jane Doe") and the titles taken off it."""
    doc = ctx.doc
    parts = []
    left = max(head.left_edge.i, ctx.para_tokens(head)[0], ctx.line_start_tok(head))
    while left < a and doc[left].pos_ in ("DET", "CCONJ", "PUNCT", "ADV", "PRON", "SPACE"):
        left += 1
    if left < a:
        raw = ctx.span_text(left, a - 1)
        pre = clean_name(re.split(r"[()/|]", raw)[-1])  # not across a photo credit
        if pre and any(ch.isalpha() for ch in pre) and doc[a - 1].pos_ in ("NOUN", "PROPN") \
                and not _honorific_only(pre) and not raw.rstrip().endswith("-"):
            parts.append(pre)
    if title and not _honorific_only(title):
        parts.append(title)
    appos = appositive(ctx, head)
    if appos:
        parts = [appos] + parts
    return "; ".join(d for d in parts if d) or None


def _proper_mention(ctx: Context, head: Token, ent: Span | None) -> Mention:
    a, b = _name_bounds(ctx, head, ent)
    raw = ctx.span_text(a, b)
    name, title = strip_titles(raw)
    label = _name_label(ctx, head, ent, name)
    if label != "PERSON":
        name = clean_name(raw)
    s_, e_ = ctx.doc[a].idx, ctx.doc[b].idx + len(ctx.doc[b].text)
    return Mention(head, s_, e_, ctx.text[s_:e_], label, name=name,
                   description=_name_description(ctx, head, a, title))


def appositive(ctx: Context, head: Token) -> str | None:
    _, pb = ctx.para_tokens(head)
    for c in head.children:
        if c.dep_ == "appos" and c.i > head.i and c.pos_ not in ("PRON", "NUM"):
            d = clean_name(ctx.span_text(c.left_edge.i, min(c.right_edge.i, pb)))
            if d and len(d) > 2:
                return d
    return None


def document_author(head: Token) -> Token | None:
    """The name that wrote or sent a document: "a statement e-mailed by Jane Doe", "a letter from Acme"."""
    for c in head.children:
        if c.dep_ == "acl" and c.lemma_.lower() in AUTHORING_VERBS:  # "a statement e-mailed by …"
            for g in c.children:
                if g.dep_ != "agent":
                    continue
                for obj in g.children:
                    if obj.dep_ == "pobj" and obj.pos_ == "PROPN":
                        return obj
        if c.dep_ == "prep" and c.lower_ in ("from", "by"):
            for obj in c.children:
                if obj.dep_ == "pobj" and obj.pos_ == "PROPN":
                    return obj
    return None


def np_text(ctx: Context, head: Token, stop_at: Token | None = None) -> str:
    """The noun phrase of a speaker without its relative clauses and appositives."""
    doc = ctx.doc
    pa, pb = ctx.para_tokens(head)
    right = head.i
    for c in head.children:
        if c.i > head.i and c.dep_ in NOUN_PHRASE_DEPS:
            right = max(right, c.right_edge.i)
    if stop_at is not None:
        right = min(right, stop_at.i - 1)
    left = max(head.left_edge.i, pa)
    right = min(right, left + 14, pb)
    while right > left and (doc[right].is_punct or doc[right].is_space):
        right -= 1
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    return ctx.span_text(left, right)
