"""The people and organisations an article names, indexed for the speaker passes.

A short mention ("Narang") must find the full name ("Vipin Narang"), "he" must find the person
the story was just about, and "the mayor" the person the article called mayor. The NER of a
small model misses and mislabels names ("Whitebird said" tagged ORG), so proper-noun subjects
and runs of proper nouns stand in for what it missed. Names in parentheses and photo credits are
not the story's people.
"""
from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from analysis.names import PRONOUN_GENDER, clean_name, is_title_word, strip_titles
from analysis.quotes.lexicon import NAME_ENTS, ORG_ENTS
from analysis.speakers import NameIndex

if TYPE_CHECKING:
    from analysis.quotes.context import Context

Key = tuple[str, ...]
Described = tuple[str, Key | None, str]  # (name, key, PERSON or ORG)
SUBJECT_DEPS = ("nsubj", "nsubjpass")


def ent_name(text: str, ent: Span) -> str:
    """The entity as a name: no possessive, no leading "the"."""
    toks = [t for t in ent if not (t.tag_ == "POS" or t.lower_ in ("'s", "’s"))]
    while toks and toks[0].lower_ == "the":
        toks = toks[1:]
    if not toks:
        return ""
    return clean_name(text[toks[0].idx:toks[-1].idx + len(toks[-1].text)])


class People:
    """Names, person mentions in order (for pronouns), descriptions, organisations and plural subjects."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.ent_of: dict[int, Span] = {}
        self.names = NameIndex()
        persons = self._persons()
        for ent in persons:
            self.names.add(ent_name(ctx.text, ent), ent.start_char)
        self._runs()
        self._complete_lone_surnames()
        self._person_mentions(persons)
        self._propn_subjects()
        self._genders()
        self._descriptors()
        self._organisations()
        self._plural_subjects()

    def _persons(self) -> list[Span]:
        ctx = self.ctx
        persons: list[Span] = []
        for ent in ctx.doc.ents:
            if ent.start_char < ctx.body_start:
                continue
            for t in ent:
                self.ent_of[t.i] = ent
            if ent.label_ in NAME_ENTS:
                persons.append(ent)
        return [e for e in persons if not self.aside(e)]

    def _complete_lone_surnames(self) -> None:
        for key in [k for k in self.names.names if len(k) == 1]:
            # "Okafor" alone as PERSON, "Adaeze Okafor" untagged: the run gives the full name
            runs = self.runs_by_last.get(key[0])
            if runs and not any(len(other) > 1 for other in self.names.by_word.get(key[0], ())):
                self.names.add(runs[0][1], runs[0][0])

    def _person_mentions(self, persons: list[Span]) -> None:
        """Person mentions in order, for pronouns: position, name key, and whether it is a subject."""
        self.person_pos: list[int] = []
        self.person_key: list[Key] = []
        self.person_subj: list[bool] = []
        for ent in persons:
            if self.ctx.inside[ent.root.i] >= 0:
                continue
            key = self.names.resolve_key(ent_name(self.ctx.text, ent), ent.start_char)
            if not key:
                continue
            self.person_pos.append(ent.start_char)
            self.person_key.append(key)
            r = ent.root
            self.person_subj.append(r.dep_ in SUBJECT_DEPS or (r.dep_ == "appos" and r.head.dep_ in SUBJECT_DEPS))

    def _organisations(self) -> None:
        ctx = self.ctx
        self.org_pos: list[int] = []
        self.org_name: list[str] = []
        for ent in ctx.doc.ents:
            if ent.label_ == "ORG" and ent.start_char >= ctx.body_start and ctx.inside[ent.root.i] < 0:
                name = ent_name(ctx.text, ent)
                if name:
                    self.org_pos.append(ent.start_char)
                    self.org_name.append(name)

    def _plural_subjects(self) -> None:
        """Plural subjects, for "they": positions and head tokens."""
        ctx = self.ctx
        self.plural_pos: list[int] = []
        self.plural_tok: list[Token] = []
        for t in ctx.doc[ctx.first_body_tok:]:
            if t.dep_ in SUBJECT_DEPS and t.tag_ in ("NNS", "NNPS") and ctx.inside[t.i] < 0:
                self.plural_pos.append(t.idx)
                self.plural_tok.append(t)

    def aside(self, ent: Span) -> bool:
        """Names in parentheses or in photo credits ("Niall Carson / PA Images") are not the story's
        people and must not become the antecedent of "he"."""
        ctx = self.ctx
        p = ctx.para_of(ent.start_char)
        ps, pe = ctx.para_starts[p], ctx.para_ends[p]
        before = ctx.text[ps:ent.start_char]
        if before.rfind("(") > before.rfind(")"):
            return True
        after = ctx.text[ent.end_char:min(pe, ent.end_char + 3)]
        return "/" in after or "/" in before[-3:]

    def _propn_subjects(self) -> None:
        """Names the NER missed or mislabelled ("Whitebird said", tagged ORG) still count as people
        when they are the subject of a verb and match or look like a person's name."""
        ctx = self.ctx
        extra: list[tuple[int, Key, bool]] = []
        for t in ctx.doc[ctx.first_body_tok:]:
            if t.dep_ not in SUBJECT_DEPS or t.pos_ != "PROPN" or ctx.inside[t.i] >= 0:
                continue
            ent = self.ent_of.get(t.i)
            if ent is not None and ent.label_ in NAME_ENTS:
                continue
            if is_title_word(t.text) or ctx.boilerplate(t.idx):
                continue
            key = self.names.resolve_key(t.text, t.idx)
            if key not in self.names.names and ent is None and t.is_title and t.tag_ == "NNP":
                key = self._add_run(t)
            if key in self.names.names and (ent is None or ent.label_ in ORG_ENTS):
                extra.append((t.idx, key, True))
        if extra:
            rows = sorted(list(zip(self.person_pos, self.person_key, self.person_subj, strict=True)) + extra,
                          key=lambda r: r[0])
            self.person_pos = [r[0] for r in rows]
            self.person_key = [r[1] for r in rows]
            self.person_subj = [r[2] for r in rows]

    def _add_run(self, t: Token) -> Key:
        run = self.propn_run(t)
        longer = self.runs_by_last.get(t.lower_)
        if len(run.split()) < 2 and longer:
            self.names.add(longer[0][1], longer[0][0])  # "Marsh" after "Ian Marsh’s"
        self.names.add(run, t.idx)
        return self.names.resolve_key(run, t.idx)

    def propn_run(self, t: Token) -> str:
        """The proper-noun compound ending at `t` ("Vipin Narang"), within its paragraph."""
        ctx = self.ctx
        doc = ctx.doc
        a = t.i
        line = ctx.line_start_tok(t)
        while a - 1 >= line and doc[a - 1].pos_ == "PROPN" and doc[a - 1].dep_ in ("compound", "flat") \
                and doc[a - 1].head.i in range(a, t.i + 1):
            a -= 1
        return ctx.text[doc[a].idx:t.idx + len(t.text)]

    def _runs(self) -> None:
        """Multi-word proper-noun runs by their last word, to expand a surname the NER did not tie
        to a PERSON ("Vanderhoeven" -> "Pim Vanderhoeven")."""
        ctx = self.ctx
        doc = ctx.doc
        runs: dict[str, list[tuple[int, str]]] = {}
        for t in doc[ctx.first_body_tok:]:
            if t.pos_ != "PROPN" or t.dep_ in ("compound", "flat") or ctx.inside[t.i] >= 0:
                continue
            if t.i == 0 or doc[t.i - 1].pos_ != "PROPN":
                continue
            run = strip_titles(self.propn_run(t))[0]
            if len(run.split()) >= 2:
                runs.setdefault(t.lower_, []).append((t.idx, run))
        self.runs_by_last = runs

    def _descriptors(self) -> None:
        """Index people and organisations by the nouns that describe them, so that "the mayor" or
        "the company" can be traced back to "Mayor Jane Doe" or "buying company AcmeCorp"."""
        index: dict[str, list[tuple[int, str, Key | None, str]]] = {}

        def put(word: str, pos: int, name: str, key: Key | None, label: str) -> None:
            index.setdefault(word, []).append((pos, name, key, label))

        for ent in self.ctx.doc.ents:
            if ent.start_char >= self.ctx.body_start and ent.label_ in NAME_ENTS | {"ORG"}:
                self._describe(ent, put)
        self.descriptors = index

    def _describe(self, ent: Span, put: Callable[[str, int, str, Key | None, str], None]) -> None:
        """Every noun the article uses for this entity: in its name, before it, in apposition."""
        ctx = self.ctx
        root = ent.root
        key: Key | None = None
        if ent.label_ in NAME_ENTS:
            key = self.names.resolve_key(ent_name(ctx.text, ent), ent.start_char)
            name, label = self.names.names.get(key), "PERSON"
        else:
            name, label = ent_name(ctx.text, ent), "ORG"
        if not name:
            return
        before = list(ctx.doc[max(root.left_edge.i, ctx.line_start_tok(ent[0])):ent.start])
        words = [t for t in (list(ent) if label == "ORG" else []) + before
                 if t.pos_ in ("NOUN", "PROPN") and t.is_alpha]
        for c in root.children:
            if c.dep_ == "appos" and c.pos_ == "NOUN":
                words.append(c)
                words += [g for g in c.children if g.dep_ == "compound" and g.pos_ == "NOUN"]
        if root.dep_ == "appos" and root.head.pos_ == "NOUN":
            words.append(root.head)
        for t in words:
            put(t.lemma_.lower(), ent.start_char, name, key, label)

    def describe(self, word: str, pos: int) -> Described | None:
        """The latest person or organisation before `pos` that the article described with `word`."""
        best = None
        for p, name, key, label in self.descriptors.get(word, ()):
            if p < pos and (best is None or p > best[0]):
                best = (p, name, key, label)
        return None if best is None else best[1:]

    def _genders(self) -> None:
        """Guess each person's gender by a vote of the he/she that follow their mentions closely.

        One pronoun can belong to someone else ("Ruiz said Moreau would run; she had heard…"),
        so a gender is kept only when the votes clearly agree; titles (Mr., Ms.) were counted
        when the names were added. Used only to skip an incompatible antecedent for "he"/"she".
        """
        ctx = self.ctx
        votes: dict[Key, list[int]] = {}
        k = 0
        last_key: Key | None = None
        last_tok = -100
        for t in ctx.doc[ctx.first_body_tok:]:
            while k < len(self.person_pos) and self.person_pos[k] <= t.idx:
                last_key = self.person_key[k]
                last_tok = t.i
                k += 1
            g = PRONOUN_GENDER.get(t.lower_)
            if g and last_key is not None and t.i - last_tok <= 25 and ctx.inside[t.i] < 0:
                v = votes.setdefault(last_key, [0, 0])
                v[0 if g == "m" else 1] += 1
                last_key = None
        for key, (m, f) in votes.items():
            if key in self.names.gender:
                continue
            if m >= 2 * f and m > 0:
                self.names.gender[key] = "m"
            elif f >= 2 * m and f > 0:
                self.names.gender[key] = "f"

    def latest_person_before(self, pos: int) -> int:
        """Index into the person mentions of the last one before `pos` (-1 when none)."""
        return bisect.bisect_left(self.person_pos, pos) - 1
