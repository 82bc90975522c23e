"""What the article says a named speaker is, wherever it says it.

A speaker quoted as "Narang" is described where the article first named him ("Vipin Narang, a
nuclear affairs expert at MIT"), or in the sentence before the quote ("In it, the North Korean
foreign minister contradicted … According to Ri Yong Ho: …").
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from analysis.names import clean_name
from analysis.quotes.candidates import Candidate
from analysis.quotes.lexicon import NAME_ENTS, role_noun
from analysis.quotes.mentions import mention, np_text
from analysis.quotes.people import ent_name
from analysis.records import Speaker

if TYPE_CHECKING:
    from analysis.quotes.context import Context


def fill_descriptions(ctx: Context, speakers: dict[str, Speaker]) -> None:
    """Give named speakers the description the article gives them anywhere (appositive or title)."""
    names = ctx.people.names
    want = {names.resolve_key(n): sp for n, sp in speakers.items() if sp.label == "PERSON" and not sp.description}
    if not want:
        return
    for ent in ctx.doc.ents:
        if ent.label_ not in NAME_ENTS or ent.start_char < ctx.body_start:
            continue
        sp = want.get(names.resolve_key(ent_name(ctx.text, ent), ent.start_char))
        if sp is None or sp.description:
            continue
        p = ctx.para_of(ent.start_char)
        if " / " in ctx.text[ctx.para_starts[p]:ctx.para_ends[p]] or ctx.people.aside(ent):
            continue  # photo captions and credits
        m = mention(ctx, ent.root)
        if m.description:
            sp.description = m.description


def descriptions_from_previous_sentence(ctx: Context, cands: list[Candidate], speakers: dict[str, Speaker]) -> None:
    """"In it, the North Korean foreign minister contradicted … According to Ri Yong Ho: “…”":
    a role introduced as the subject of the sentence just before a named speaker's quote, with no
    name of its own, describes that speaker."""
    doc = ctx.doc
    names = ctx.people.names
    for c in cands:
        m = c.mention
        if m is None or m.label != "PERSON" or m.head.pos_ != "PROPN":
            continue
        sp = speakers.get(names.names.get(names.resolve_key(m.name or m.text, m.start)) or "")
        if sp is None or sp.description:
            continue
        sent = m.head.sent
        if sent.start == 0:
            continue
        prev = doc[sent.start - 1].sent
        if ctx.para_of(prev.start_char) != ctx.para_of(m.start):
            continue
        for t in prev:
            if _unnamed_role_subject(ctx, t):
                sp.description = clean_name(np_text(ctx, t))
                break


def _unnamed_role_subject(ctx: Context, t: Token) -> bool:
    """"the North Korean foreign minister" as a subject, with no name inside it."""
    if not (t.dep_ == "nsubj" and t.pos_ == "NOUN" and t.tag_ == "NN" and not t.ent_type_ and role_noun(t)):
        return False
    if not any(d.dep_ == "det" and d.lower_ == "the" for d in t.children):
        return False
    ent_of = ctx.people.ent_of
    return not any(ent_of.get(x.i) is not None and ent_of[x.i].label_ in NAME_ENTS for x in t.subtree)
