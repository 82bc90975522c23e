"""Pronoun speakers: "he said", "they said", "it said", "I" in a first-person column.

"He"/"she" is the latest person who spoke or was the subject of a sentence nearby and whose
known gender agrees; "they" the group or organisation that spoke last or the plural subject just
before; "it" the organisation or unnamed body that spoke last; "I" the article's author.
"""
from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from analysis.names import PRONOUN_GENDER
from analysis.quotes.memory import NOBODY, Memory, Resolution
from analysis.quotes.mentions import Mention, mention

if TYPE_CHECKING:
    from analysis.quotes.context import Context

PERSONAL_FORMS = ("he", "she", "him", "her", "his", "hers")
OTHER_FORMS = ("they", "them", "we", "their", "it", "its")


def resolve_pronoun(ctx: Context, memory: Memory, m: Mention, para: int) -> Resolution:
    low = m.text.lower()
    if low in PERSONAL_FORMS:
        return _personal(ctx, memory, PRONOUN_GENDER[low], m.start, para)
    if low in OTHER_FORMS:
        return _collective(ctx, memory, low not in ("it", "its"), m.start, para)
    if low == "i" and ctx.article.author:
        return ctx.article.author, "PERSON", None
    return NOBODY


def _personal(ctx: Context, memory: Memory, want: str, pos: int, para: int) -> Resolution:
    names = ctx.people.names
    for _, key in memory.person_options(pos, para):
        g = names.gender.get(key)
        if g is None or g == want:
            names.gender.setdefault(key, want)
            name = names.names.get(key)
            if name:
                memory.remember(pos, name, "PERSON", key, para)
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
    if plural:
        people = ctx.people
        k = bisect.bisect_left(people.plural_pos, pos) - 1
        if k >= 0 and ctx.para_of(people.plural_pos[k]) >= para - 1 and (best is None or people.plural_pos[k] > best[0]):
            mm = mention(ctx, people.plural_tok[k])
            best = (people.plural_pos[k], mm.name or mm.text, "GROUP")
    if best is None:
        return NOBODY
    memory.remember(pos, best[1], best[2], None, para)
    return best[1], best[2], None
