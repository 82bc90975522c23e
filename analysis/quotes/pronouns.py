"""Pronoun speakers: "he said", "they said", "it said", "I" in a first-person column.

"He"/"she" is the latest person who spoke or was the subject of a sentence nearby and whose
known gender agrees; "they" the group or organisation that spoke last or the plural subject just
before; "it" the organisation or unnamed body that spoke last; "I" the article's author.
"""
from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from analysis.names import PRONOUN_GENDER, first_name_genders
from analysis.quotes.memory import NOBODY, Memory, Resolution
from analysis.quotes.mentions import Mention, mention

if TYPE_CHECKING:
    from analysis.quotes.context import Context

PERSONAL_FORMS = ("he", "she", "him", "her", "his", "hers")
OTHER_FORMS = ("they", "them", "we", "their", "it", "its")
# How many paragraphs back "he"/"she" may reach when no one fits nearer.
FAR_WINDOW = 6


def resolve_pronoun(ctx: Context, memory: Memory, m: Mention, para: int, quote_start: int) -> Resolution:
    low = m.text.lower()
    if low in PERSONAL_FORMS:
        return _personal(ctx, memory, PRONOUN_GENDER[low], m.start, para, quote_start)
    if low in OTHER_FORMS:
        return _collective(ctx, memory, low not in ("it", "its"), m.start, para)
    if low == "i" and ctx.article.author:
        return ctx.article.author, "PERSON", None
    return NOBODY


def _personal(ctx: Context, memory: Memory, want: str, pos: int, para: int, quote_start: int) -> Resolution:
    names = ctx.people.names
    for _, key in memory.person_options(pos, para, quote_start=quote_start):
        g = names.gender.get(key)
        if g is None or g == want:
            names.gender.setdefault(key, want)
            name = names.names.get(key)
            if name:
                memory.remember(pos, name, "PERSON", key, para)
                return name, "PERSON", None
    # No one near: a subhead, a photo caption or a paragraph of context since the last speaker
    # ("… Quill says. / (photo caption) / Paragraph about the findings. / “…,” she added."). Further
    # back, only the last person who spoke, when the article has made their gender clear and their
    # given name does not say otherwise (a "Keith" is no "she").
    last = next((s for s in memory.recent() if s.label == "PERSON" and s.key is not None), None)
    if last is not None and last.key is not None and last.para >= para - FAR_WINDOW and \
            names.gender.get(last.key) == want and first_name_genders().get(last.key[0]) in (None, want):
        name = names.names.get(last.key)
        if name:
            memory.remember(pos, name, "PERSON", last.key, para)
            return name, "PERSON", None
    return NOBODY


def _collective(ctx: Context, memory: Memory, plural: bool, pos: int, para: int) -> Resolution:
    best: tuple[int, str, str] | None = None
    for said in memory.recent():
        if said.para < para - 3:
            break
        if (plural and said.label in ("GROUP", "ORG")) or (not plural and said.label in ("ORG", "UNNAMED")):
            best = (said.pos, said.name, said.label)
            break
    people = ctx.people
    if plural:
        k = bisect.bisect_left(people.plural_pos, pos) - 1
        while k >= 0 and memory.in_quote(people.plural_pos[k]):
            k -= 1  # "Almost all revenues, they promise, will be returned": the subject of the words
        if k >= 0 and ctx.para_of(people.plural_pos[k]) >= para - 1 and (best is None or people.plural_pos[k] > best[0]):
            mm = mention(ctx, people.plural_tok[k])
            best = (people.plural_pos[k], mm.name or mm.text, "GROUP")
    elif best is None:
        best = _latest_organisation(ctx, memory, pos, para)
    if best is None:
        return NOBODY
    memory.remember(pos, best[1], best[2], None, para)
    return best[1], best[2], None


def _latest_organisation(ctx: Context, memory: Memory, pos: int, para: int) -> tuple[int, str, str] | None:
    """"EDC declined to answer. “We are obliged …,” it said.": the organisation named last as a
    subject in this paragraph or the one before."""
    people = ctx.people
    k = bisect.bisect_left(people.org_pos, pos) - 1
    while k >= 0 and ctx.para_of(people.org_pos[k]) >= para - 1:
        if people.org_subj[k] and not memory.in_quote(people.org_pos[k]):
            return people.org_pos[k], people.full_org(people.org_name[k]), "ORG"
        k -= 1
    return None
