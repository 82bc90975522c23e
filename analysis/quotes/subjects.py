"""Who speaks at a cue: the subject of the reporting verb, found through the parse.

The subject is followed through control and relative clauses ("…, who told reporters", "cited
X as saying", "declined to say"). Where the parse lost it, typically because a heading or a
photo caption was glued to the paragraph, the words right before the cue or the name that
opens the paragraph stand in.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from analysis.names import strip_titles
from analysis.quotes.lexicon import (
    CITING_VERBS,
    DOCUMENT_NOUNS,
    NAME_ENTS,
    PERSONAL,
    PLURAL_PRONOUNS,
    is_according,
    is_cue,
    person_noun,
)
from analysis.quotes.marks import DOUBLE_MARKS
from analysis.quotes.mentions import Mention, mention, np_text

if TYPE_CHECKING:
    from analysis.quotes.context import Context

SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Links up the tree through which a cue inherits the subject of the verb it depends on.
INHERITING_DEPS = ("advcl", "xcomp", "conj", "pcomp", "prep", "pobj", "acl", "ccomp")


def speaker_at(ctx: Context, cue: Token) -> Mention | None:
    """Who speaks at this cue, with guards against the parse's usual failures."""
    inverted = _inverted_subject(ctx, cue)
    if inverted is not None:
        return _after_cue(ctx, mention(ctx, inverted), cue)
    subj = subject_of(cue)
    if subj is not None and (subj.idx < ctx.body_start or ctx.para_of(subj.idx) != ctx.para_of(cue.idx)):
        subj = None  # the parse glued a heading, caption or byline to this paragraph
    if subj is None:
        subj = _adjacent_subject(ctx, cue)
    if subj is None:
        return None
    m = mention(ctx, subj)
    if subj.dep_ == "dobj" and subj.head.lemma_.lower() in CITING_VERBS:
        _add_relay(ctx, subj, m)
    if ctx.inside[subj.i] >= 0 or any(ch in m.text for ch in DOUBLE_MARKS):
        # a quoted fragment parsed as the subject ("Moreau, who lost 16 lbs. “and two belt loops”
        # between May and October, says …"): take the person named earlier in the clause
        person = _person_before(ctx, cue)
        return mention(ctx, person) if person is not None else None
    return m


def _inverted_subject(ctx: Context, cue: Token) -> Token | None:
    """'Said Ellis: “…”', 'Added the senator: “…”': the reporting verb opens the sentence and the
    speaker follows it up to a colon; the parse makes the verb part of the name or the speaker
    its object. The last noun before the colon heads the speaker's phrase."""
    doc = ctx.doc
    if not cue.is_title or cue.tag_ not in ("VBD", "VBN") or cue.i + 2 >= len(doc):
        return None
    if not (cue.is_sent_start or cue.idx in ctx.para_starts or (cue.i > 0 and doc[cue.i - 1].text in (".", "!", "?"))):
        return None
    j = cue.i + 1
    while j < len(doc) and j - cue.i <= 7 and (doc[j].pos_ in ("PROPN", "NOUN", "DET", "ADJ") or doc[j].text == "."):
        j += 1
    if j >= len(doc) or doc[j].text != ":" or j == cue.i + 1:
        return None
    k = j - 1
    while k > cue.i and doc[k].pos_ not in ("PROPN", "NOUN"):
        k -= 1
    return doc[k] if k > cue.i else None


def _after_cue(ctx: Context, m: Mention, cue: Token) -> Mention:
    """The mention without the cue the tagger took into the name ("Said Ellis")."""
    if m.start <= cue.idx < m.end:
        start = cue.doc[cue.i + 1].idx
        m.text = ctx.text[start:m.end]
        m.start = start
        m.name = strip_titles(m.text)[0] if m.label == "PERSON" else m.text
    return m


def _add_relay(ctx: Context, subj: Token, m: Mention) -> None:
    """"KCNA cited a spokesperson … as saying": who relayed the words is part of who spoke."""
    relay = next((c for c in subj.head.children if c.dep_ == "nsubj"), None)
    if relay is None:
        return
    verb = subj.head
    done = verb.text.lower() if verb.tag_ in ("VBD", "VBN") else verb.lemma_.lower() + "d"
    cited = f"{done} by {np_text(ctx, relay)}"
    m.description = f"{m.description}; {cited}" if m.description else cited


def subject_of(cue: Token) -> Token | None:
    """The token that names who speaks for this cue, following control and relative clauses."""
    if is_according(cue):
        return _according_object(cue)
    subjects = [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
    if subjects:
        c = min(subjects, key=lambda c: abs(c.i - cue.i))  # a caption glued to the sentence can bring a second one
        if c.tag_ in ("WP", "WDT") or c.lower_ in ("who", "that", "which"):
            return cue.head if cue.dep_ == "relcl" else _antecedent(c)
        if c.lower_.startswith(("’", "'")) and c.i > 0:
            return c.doc[c.i - 1]  # "he’s said": the clitic was parsed as the subject
        return c
    if cue.dep_ == "relcl":
        return cue.head
    return _inherited_subject(cue)


def _antecedent(rel: Token) -> Token | None:
    """The noun a relative pronoun stands for when the parse did not attach its clause to it ("they
    turned to the county police, which reported …"): the noun right before it, past a comma."""
    if rel.lower_ not in ("who", "which") or rel.i == 0:
        return None
    prev = rel.doc[rel.i - 1]
    if prev.text == "," and prev.i > 0:
        prev = rel.doc[prev.i - 1]
    return prev if prev.pos_ in ("NOUN", "PROPN") else None


def _according_object(cue: Token) -> Token | None:
    for c in cue.children:
        if c.lower_ == "to":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
            for g in c.children:
                # "according to show insiders": a noun the tagger took for a verb, its object the head
                obj = next((o for o in g.children if o.dep_ == "dobj"), None) if g.dep_ == "pcomp" else None
                if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
                    return obj
    return None


def _inherited_subject(cue: Token) -> Token | None:
    """The subject of the verb the cue depends on: "she declined to say", "he left, saying"."""
    t = cue
    through_prep = False
    for _ in range(6):
        if t.dep_ not in INHERITING_DEPS or t.head.i == t.i:
            return None
        h = t.head
        if t.dep_ == "acl":
            if h.pos_ in ("NOUN", "PROPN") and h.lemma_.lower() in DOCUMENT_NOUNS:
                return h
            # "a clip of Mayor Tom Reyes saying …", "footage of the mayor saying …": who is saying it
            # (not a name they give: "men calling themselves the Watchers")
            speaks = t.tag_ == "VBG" and not any(c.dep_ == "dobj" for c in t.children)
            return h if speaks and (h.pos_ == "PROPN" or person_noun(h)) else None
        if (t.dep_ == "prep" and t.lower_ == "as") or t.dep_ == "pobj":
            through_prep = True  # "cited X as saying", "placed X in the position of promising"
        if t.dep_ == "advcl" and t.tag_ == "VBG" and h.dep_ == "ccomp" and is_cue(h.head, direct=False):
            h = h.head  # "X said the province will stick to it, insisting …": X insists
        if h.pos_ in ("VERB", "AUX"):
            found, stop = _verb_subject(h, object_speaks=through_prep or t.dep_ == "xcomp")
            if found is not None or stop or t.dep_ == "ccomp":
                return found
        t = h
    return None


def _verb_subject(h: Token, *, object_speaks: bool) -> tuple[Token | None, bool]:
    """(speaker, stop looking) at a governing verb: its object after "cited X as saying" or
    "urged X to say", else its subject."""
    if object_speaks:
        for c in h.children:
            if c.dep_ == "dobj" and (c.pos_ in ("PROPN", "NOUN") or (c.pos_ == "PRON" and c.lower_ != "it")):
                return c, True
    subjects = [c for c in h.children if c.dep_ in SUBJECT_DEPS]
    if len(subjects) > 1:
        # a line the parse glued on from the paragraph before can bring a second subject ("… Any
        # takers?”\n\nHale then appeared on radio and began by saying …"): the verb's own paragraph's
        subjects = [c for c in subjects if not _paragraph_between(c, h)] or subjects
    if subjects:
        c = subjects[0]
        if c.tag_ in ("WP", "WDT"):
            return (h.head if h.dep_ == "relcl" else None), True
        return c, True
    return None, False


def _paragraph_between(a: Token, b: Token) -> bool:
    lo, hi = sorted((a.i, b.i))
    return any(t.is_space and "\n" in t.text or "\n" in t.whitespace_ for t in a.doc[lo:hi])


def _person_before(ctx: Context, cue: Token) -> Token | None:
    pa, _ = ctx.para_tokens(cue)
    best = None
    for i in range(max(pa, cue.sent.start), cue.i):
        ent = ctx.people.ent_of.get(i)
        if ent is not None and ent.label_ in NAME_ENTS and ctx.inside[i] < 0 and i == ent.end - 1:
            best = ctx.doc[i]
    return best


def _adjacent_subject(ctx: Context, cue: Token) -> Token | None:
    """The speaker when the parse lost the subject, typically because a heading or caption was glued
    to the paragraph: the noun right before the cue ("…\n\nHaley said"), or the name that opens
    the paragraph ("Jane Roe, principal researcher at a shelter network, said")."""
    if is_according(cue):
        return None
    doc = ctx.doc
    pa, _ = ctx.para_tokens(cue)
    k = cue.i - 1
    while k >= pa and doc[k].dep_ in ("aux", "neg", "advmod") and doc[k].pos_ != "PROPN":
        k -= 1
    if k < pa:
        return None
    t = doc[k]
    if t.pos_ == "PROPN" or (t.pos_ == "PRON" and t.lower_ in PERSONAL | PLURAL_PRONOUNS) or \
            (t.pos_ == "NOUN" and t.tag_ in ("NNS", "NN") and k == pa):
        return t
    if t.text == "," and cue.i - pa <= 30:
        return _paragraph_opening_name(ctx, pa, cue.i)
    return None


def _paragraph_opening_name(ctx: Context, pa: int, end: int) -> Token | None:
    """The last token of the name that opens the paragraph, before token `end`."""
    doc = ctx.doc
    ent_of = ctx.people.ent_of
    j = pa
    while j < end and doc[j].pos_ == "PROPN" and ent_of.get(j) is None:
        j += 1
    ent = ent_of.get(j) if j < end else None
    if ent is not None and ent.label_ in NAME_ENTS:
        return doc[ent.end - 1]
    if doc[pa].pos_ == "PROPN":
        j = pa
        while j + 1 < end and doc[j + 1].pos_ == "PROPN":
            j += 1
        return doc[j]
    return None
