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

from analysis.names import clean_name
from analysis.quotes.candidates import Candidate
from analysis.quotes.documents import is_document, issuer
from analysis.quotes.lexicon import ORG_NOUNS, noun_gender, party_member, person_noun
from analysis.quotes.memory import NOBODY, Memory, Resolution, Said
from analysis.quotes.mentions import Mention, mention, np_text
from analysis.quotes.people import Described, gender_by_title
from analysis.quotes.pronouns import resolve_pronoun

if TYPE_CHECKING:
    from analysis.quotes.context import Context


def _fits(head: Token, name: str) -> bool:
    """Whether a description's proper adjectives are in the name: "the Canadian government"
    fits "Government of Canada" ("Canad…"), not "Australian Government"."""
    words = [c.lower_ for c in head.children if c.dep_ in ("amod", "compound") and c.is_title]
    low = name.lower()
    return all(w[:5] in low for w in words)


class Resolver:
    """Turns mentions into speaker names, in document order."""

    def __init__(self, ctx: Context, spans: list[tuple[int, int]] | None = None) -> None:
        self.ctx = ctx
        self.memory = Memory(ctx, spans or [])

    def resolve(self, cand: Candidate) -> Resolution:
        """(speaker name, label, description) for a candidate; sets its channel and co-speakers."""
        m = cand.mention
        if m is None:
            return self._floating(cand) if cand.floating else NOBODY
        if m.others:
            return self._together(m, cand)
        return self._mention(m, cand, by_document=True)

    def _mention(self, m: Mention, cand: Candidate, *, by_document: bool) -> Resolution:
        if m.label == "PRON":
            return resolve_pronoun(self.ctx, self.memory, m, cand.para, cand.start)
        if m.label == "PERSON":
            return self._person(m, cand.para)
        head = m.head
        if by_document and is_document(head):
            found = self._issuer(m, cand)
            if found is not None:
                return found
        if (head.pos_ == "NOUN" and head.tag_ == "NN" or party_member(head)) and any(
                c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
            described = self._described(head, m.start) or self._definite(head, m.start, cand.para)
            if described is not None:
                name, key, label = described
                self.memory.remember(m.start, name, label, key, cand.para)
                return name, label, (m.text if label == "PERSON" else None)
            bare = not any(c.dep_ in ("prep", "relcl", "acl", "appos") for c in head.children)
            first = self._introduced_unnamed(head) if bare and person_noun(head) else None
            if first is not None:
                # "a justice official … the official said": the description that brought them in
                name = clean_name(np_text(self.ctx, first))
                self.memory.remember(m.start, name, "UNNAMED", None, cand.para)
                return name, "UNNAMED", None
        name = m.name or m.text
        if m.label == "ORG":
            name = self.ctx.people.full_org(name)
        self.memory.remember(m.start, name, m.label, None, cand.para)
        return name, m.label, m.description

    def _described(self, head: Token, pos: int) -> Described | None:
        """Whom the article described with this noun; an organisation noun ("the bank") only an
        organisation, never the person in "Bank President Mario Draghi"."""
        found = self.ctx.people.describe(head.lemma_.lower(), pos)
        if found is not None and head.lemma_.lower() in ORG_NOUNS and found[2] != "ORG":
            return None
        if found is not None and found[2] == "ORG" and not _fits(head, found[0]):
            return None  # "the Canadian government" was never described as the Australian one
        return found

    def _issuer(self, m: Mention, cand: Candidate) -> Resolution | None:
        """The issuer of a document that speaks ("the complaint said"), the document kept as the channel."""
        head = m.head
        found = issuer(self.ctx, self.memory, head, cand.para)
        if isinstance(found, Said):
            singular = head.tag_ == "NN" and any(c.dep_ == "det" for c in head.children)
            if not singular:
                return None  # "city documents say": no one statement to pin on the last speaker
            self.memory.remember(m.start, found.name, found.label, found.key, cand.para)
            cand.channel = m.text
            return found.name, found.label, None
        if found is None:
            return None
        name, label, desc = self._mention(mention(self.ctx, found), cand, by_document=False)
        if not name:
            return None
        cand.channel = m.text
        return name, label, desc

    def _together(self, m: Mention, cand: Candidate) -> Resolution:
        """"X and Y said": both are the speaker, each kept by name."""
        names = [self._person(p, cand.para)[0] for p in (m, *m.others)]
        cand.co_speakers = [n for n in names if n]
        joined = " and ".join(cand.co_speakers)
        self.memory.remember(m.start, joined, "GROUP", None, cand.para)
        return joined, "GROUP", None

    def _person(self, m: Mention, para: int) -> Resolution:
        """The fullest form of the name in the article, learning the name if it is new."""
        people = self.ctx.people
        names = people.names
        said = m.name or m.text
        gender = gender_by_title(self.ctx.text, m.text, m.start)
        key = names.resolve_key(said, m.start, gender)
        if len(key) == 1 and key[0] in people.runs_by_last and (key not in names.names or
                                                                 len(names.names[key].split()) < 2):
            rpos, run = people.runs_by_last[key[0]][0]
            names.add(run, rpos)
            key = names.resolve_key(said, m.start, gender)
        if key not in names.names:
            names.add(said, m.start)
            key = names.resolve_key(said, m.start, gender)
        name = names.names.get(key, said)
        self.memory.remember(m.start, name, "PERSON", key, para)
        return name, "PERSON", m.description

    def _definite(self, head: Token, pos: int, para: int) -> Described | None:
        """"The company said", "the 26-year-old forward said": the organisation or the person the
        story is about just now, when the description fits them ("the Canadian government" is
        never the Australian one, "the father" never a woman). A description the article first
        gave someone unnamed ("a justice official … the official said") is no one named (`_mention`
        gives the first description)."""
        lemma = head.lemma_.lower()
        if lemma in ORG_NOUNS:
            found = self._organisation(pos, para)
            return found if found is not None and _fits(head, found[0]) else None
        if not person_noun(head) or self._introduced_unnamed(head) is not None:
            return None
        names = self.ctx.people.names
        want = noun_gender(head)
        for _, key in self.memory.person_options(pos, para, window=2):
            name = names.names.get(key)
            if name and (want is None or names.gender.get(key) in (None, want)):
                return name, key, "PERSON"
        return None

    def _introduced_unnamed(self, head: Token) -> Token | None:
        """The noun with which the article brought in someone with "a"/"an" before ("a justice official")."""
        doc = self.ctx.doc
        lemma = head.lemma_.lower()
        for t in doc[max(self.ctx.first_body_tok, head.i - 400):head.i]:
            if t.lemma_.lower() == lemma and t.pos_ == "NOUN" and \
                    any(c.dep_ == "det" and c.lower_ in ("a", "an", "one") for c in t.children):
                return None if any(c.dep_ == "appos" for c in t.children) else t
        return None

    def _organisation(self, pos: int, para: int) -> Described | None:
        """The organisation that spoke last, else the one named last (as a subject, if one was),
        within two paragraphs."""
        for said in self.memory.recent():
            if said.para < para - 2:
                break
            if said.label == "ORG":
                return said.name, None, "ORG"
        ctx, people = self.ctx, self.ctx.people
        k = bisect.bisect_left(people.org_pos, pos) - 1
        named: int | None = None
        while k >= 0 and ctx.para_of(people.org_pos[k]) >= para - 2:
            if people.org_subj[k] or ctx.sentence_of(people.org_pos[k]) >= ctx.sentence_of(pos) - 1:
                named = k  # a subject, or whatever the sentence just before named ("… by TransLink. The agency said")
                break
            named = k if named is None else named
            k -= 1
        return None if named is None else (people.full_org(people.org_name[named]), None, "ORG")

    def _floating(self, cand: Candidate) -> Resolution:
        """A quotation with no cue continues the last speaker; after narrative about someone, that
        person; after a sentence about someone else in its paragraph, that person ("“…,” Roe said.
        / Ruiz, a nurse, rejected the plan as costly. “It helps no one.”")."""
        memory = self.memory
        key = memory.introduced_subject(cand.start, cand.para)
        name = self.ctx.people.names.names.get(key) if key is not None else None
        if name:
            memory.remember(cand.start, name, "PERSON", key, cand.para)
            return name, "PERSON", None
        if memory.history:
            last = memory.history[-1]
            if last.para >= cand.para - 1 or (last.para >= cand.para - 2 and
                                              memory.only_quotes_between(last.para, cand.para)):
                memory.remember(cand.start, last.name, last.label, last.key, cand.para)
                return last.name, last.label, None
        people = self.ctx.people
        k = people.latest_person_before(cand.start)
        if k >= 0 and self.ctx.para_of(people.person_pos[k]) >= cand.para - 1:
            key = people.person_key[k]
            name = people.names.names.get(key)
            if name:
                memory.remember(cand.start, name, "PERSON", key, cand.para)
                return name, "PERSON", None
        return NOBODY
