"""Speaker resolution: from the mention at a cue to the name an analyst filters by.

A name becomes the fullest form the article gives ("Narang" -> "Vipin Narang"), a definite
description ("the coach", "the company") the person or organisation the article described
that way or was just about, a pronoun its antecedent (`pronouns`), and a quotation with no cue
the speaker of the quotation before it.
"""
from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from spacy.tokens import Token

from analysis.quotes.candidates import Candidate
from analysis.quotes.lexicon import DOCUMENT_NOUNS, NOT_PEOPLE, ORG_NOUNS
from analysis.quotes.memory import NOBODY, Key, Memory, Resolution
from analysis.quotes.mentions import Mention
from analysis.quotes.people import Described
from analysis.quotes.pronouns import resolve_pronoun

if TYPE_CHECKING:
    from analysis.quotes.context import Context


class Resolver:
    """Turns mentions into speaker names, in document order."""

    def __init__(self, ctx: Context, spans: list[tuple[int, int]] | None = None) -> None:
        self.ctx = ctx
        self.memory = Memory(ctx, spans or [])

    def resolve(self, cand: Candidate) -> Resolution:
        """(speaker name, label, description) for a candidate."""
        m = cand.mention
        if m is None:
            return self._floating(cand) if cand.floating else NOBODY
        if m.label == "PRON":
            return resolve_pronoun(self.ctx, self.memory, m, cand.para)
        if m.label == "PERSON":
            return self._person(m, cand.para)
        head = m.head
        if head.pos_ == "NOUN" and head.tag_ == "NN" and any(
                c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
            found = self.ctx.people.describe(head.lemma_.lower(), m.start) or self._definite(head, m.start, cand.para)
            if found is not None:
                name, key, label = found
                self.memory.remember(m.start, name, label, key, cand.para)
                return name, label, (m.text if label == "PERSON" else None)
        name = m.name or m.text
        self.memory.remember(m.start, name, m.label, None, cand.para)
        return name, m.label, m.description

    def _person(self, m: Mention, para: int) -> Resolution:
        """The fullest form of the name in the article, learning the name if it is new."""
        people = self.ctx.people
        names = people.names
        said = m.name or m.text
        key = names.resolve_key(said, m.start)
        if len(key) == 1 and key[0] in people.runs_by_last and (key not in names.names or
                                                                 len(names.names[key].split()) < 2):
            rpos, run = people.runs_by_last[key[0]][0]
            names.add(run, rpos)
            key = names.resolve_key(said, m.start)
        if key not in names.names:
            names.add(said, m.start)
            key = names.resolve_key(said, m.start)
        name = names.names.get(key, said)
        self.memory.remember(m.start, name, "PERSON", key, para)
        return name, "PERSON", m.description

    def _definite(self, head: Token, pos: int, para: int) -> Described | None:
        """"The company said" / "the coach said": the organisation or person the story is about just now."""
        ctx = self.ctx
        lemma = head.lemma_.lower()
        if lemma in ORG_NOUNS:
            return self._organisation(pos, para)
        if head.ent_type_ or lemma in DOCUMENT_NOUNS or lemma in NOT_PEOPLE:
            return None
        for _, key in self.memory.person_options(pos, para, window=2):
            name = ctx.people.names.names.get(key)
            if name:
                return name, key, "PERSON"
        return None

    def _organisation(self, pos: int, para: int) -> Described | None:
        """The organisation that spoke or was named last, within two paragraphs."""
        for said in self.memory.recent():
            if said.para < para - 2:
                break
            if said.label == "ORG":
                return said.name, None, "ORG"
        people = self.ctx.people
        k = bisect.bisect_left(people.org_pos, pos) - 1
        if k >= 0 and self.ctx.para_of(people.org_pos[k]) >= para - 2:
            return people.org_name[k], None, "ORG"
        return None

    def _floating(self, cand: Candidate) -> Resolution:
        """A quotation with no cue continues the last speaker; after narrative about someone, that
        person."""
        memory = self.memory
        if memory.history:
            last = memory.history[-1]
            if last.para >= cand.para - 1 or (last.para >= cand.para - 2 and
                                              memory.only_quotes_between(last.para, cand.para)):
                memory.remember(cand.start, last.name, last.label, last.key, cand.para)
                return last.name, last.label, None
        people = self.ctx.people
        k = people.latest_person_before(cand.start)
        if k >= 0 and self.ctx.para_of(people.person_pos[k]) >= cand.para - 1:
            key: Key = people.person_key[k]
            name = people.names.names.get(key)
            if name:
                memory.remember(cand.start, name, "PERSON", key, cand.para)
                return name, "PERSON", None
        return NOBODY
