"""The people and organisations an article names, indexed for the speaker passes.

A short mention ("Narang") must find the full name ("Vipin Narang"), "he" must find the person
the story was just about, and "the mayor" the person the article called mayor. The NER of a
small model misses and mislabels names ("Whitebird said" tagged ORG), so proper-noun subjects
and runs of proper nouns stand in for what it missed. Names in parentheses and photo credits are
not the story's people.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from analysis.names import INSTITUTION_WORDS, PRONOUN_GENDER, clean_name, is_title_word, strip_titles, title_gender
from analysis.quotes.lexicon import NAME_ENTS, ORG_ENTS, ORG_NOUNS, PERSON_NOUNS, ROLE_NOUNS, ROLE_SUFFIXES, is_cue
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
    if len(toks) > 1 and toks[0].tag_ in ("VBD", "VBN") and is_cue(toks[0], direct=False):
        toks = toks[1:]  # 'Said Ellis: “…”': the cue that opens the sentence is no first name
    if not toks:
        return ""
    return clean_name(text[toks[0].idx:toks[-1].idx + len(toks[-1].text)])


_WORD_BEFORE = re.compile(r"(\w+)\.?\s+$")


def gender_by_title(text: str, mention: str, start: int) -> str | None:
    """The gender the title of a name at `start` gives, written in the mention or just before it
    ("Mrs. Hale" is not "Tom Hale")."""
    title = strip_titles(mention)[1]
    if not title:
        before = _WORD_BEFORE.search(text, max(0, start - 16), start)
        title = before.group(1) if before else ""
    return title_gender(title) if title else None


class People:
    """Names, person mentions in order (for pronouns), descriptions, organisations and plural subjects."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.ent_of: dict[int, Span] = {}
        self._ent_names: dict[int, str] = {}
        self.names = NameIndex()
        persons = self._persons()
        for ent in persons:
            self.names.add(self.name_of(ent), ent.start_char)
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
        return [e for e in persons if not self.aside(e) and not self._not_a_person(e)]

    def _not_a_person(self, ent: Span) -> bool:
        """Title-case junk tagged PERSON: a subhead or page furniture, a name with a digit or an
        institution's word in it ("James M. Hill High School", "Bill C-48", "Acme LLP")."""
        if self.ctx.furniture(self.ctx.para_of(ent.start_char)):
            return True
        if is_title_word(ent[-1].text) or (ent.root.dep_ == "appos" and self._in_person(ent.root.head)):
            return True  # "Jim Roe, Yellowhead MP, said": the apposition describes Roe
        return any(t.is_digit or any(ch.isdigit() for ch in t.text) or t.lower_.strip(".") in INSTITUTION_WORDS
                   for t in ent)

    def name_of(self, ent: Span) -> str:
        """`ent_name` of an entity of this article, worked out once."""
        name = self._ent_names.get(ent.start)
        if name is None:
            name = self._ent_names[ent.start] = ent_name(self.ctx.text, ent)
        return name

    def _in_person(self, t: Token) -> bool:
        ent = self.ent_of.get(t.i)
        return ent is not None and ent.label_ in NAME_ENTS

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
        self.person_poss: list[bool] = []  # "Roe’s request": named only as an owner
        for ent in persons:
            if self.ctx.inside[ent.root.i] >= 0 or self.ctx.caption(self.ctx.para_of(ent.start_char)):
                continue  # someone in a photo is not the next "he"
            key = self.names.resolve_key(self.name_of(ent), ent.start_char,
                                         gender_by_title(self.ctx.text, ent.text, ent.start_char))
            if not key:
                continue
            self.person_pos.append(ent.start_char)
            self.person_key.append(key)
            r = ent.root
            self.person_subj.append(r.dep_ in SUBJECT_DEPS or (r.dep_ == "appos" and r.head.dep_ in SUBJECT_DEPS)
                                    or self._opens_paragraph(ent))
            self.person_poss.append(r.dep_ == "poss")

    def _opens_paragraph(self, ent: Span) -> bool:
        """A name that opens its paragraph is what the paragraph is about, whatever the parse says
        (a heading glued to the paragraph often costs the name its subject link)."""
        return ent.start_char == self.ctx.para_starts[self.ctx.para_of(ent.start_char)]

    def _organisations(self) -> None:
        """Organisations named in the body, in order, and the fullest form of each short one."""
        ctx = self.ctx
        self.org_pos: list[int] = []
        self.org_name: list[str] = []
        self.org_subj: list[bool] = []
        pictured: set[str] = set()
        for ent in ctx.doc.ents:
            if ent.label_ != "ORG" or ent.start_char < ctx.body_start or ctx.inside[ent.root.i] >= 0:
                continue
            p = ctx.para_of(ent.start_char)
            if self.aside(ent) or "/" in ent.text or ctx.furniture(p):
                continue  # photo credits ("Reuters/Getty Images") and subheads
            name = self.name_of(ent)
            if name and ctx.caption(p):
                pictured.add(name)  # its full name still spells out a short form, it is no antecedent
            elif name:
                self.org_pos.append(ent.start_char)
                self.org_name.append(name)
                self.org_subj.append(ent.root.dep_ in SUBJECT_DEPS)
        self.org_names = set(self.org_name) | pictured
        for t in ctx.subject_tokens:  # "EDC declined": an organisation's name the tagger missed here
            if t.pos_ == "PROPN" and t.i not in self.ent_of and t.text in self.org_names and ctx.inside[t.i] < 0 \
                    and not ctx.caption(ctx.para_of(t.idx)):
                self.org_pos.append(t.idx)
                self.org_name.append(t.text)
                self.org_subj.append(True)
        order = sorted(range(len(self.org_pos)), key=lambda k: self.org_pos[k])
        self.org_pos = [self.org_pos[k] for k in order]
        self.org_name = [self.org_name[k] for k in order]
        self.org_subj = [self.org_subj[k] for k in order]
        self._org_forms = _org_short_forms(self.org_names, ctx.text)

    def is_organisation(self, name: str) -> bool:
        """A name the article tags as an organisation and never as part of a person's full name
        ("Facebook", tagged PERSON in one sentence and ORG in the next)."""
        if name not in self.org_names and name not in self._org_forms:
            return False
        key = self.names.resolve_key(name)
        return not (key in self.names.names and len(key) > 1) and \
            not any(len(other) > 1 for w in key for other in self.names.by_word.get(w, ()))

    def full_org(self, name: str) -> str:
        """"Suncor" -> "Suncor Energy Inc.", "EDC" -> "Export Development Canada" when the article
        names the organisation in full."""
        return self._org_forms.get(name, name)

    def _plural_subjects(self) -> None:
        """Plural subjects, for "they": positions and head tokens."""
        ctx = self.ctx
        self.plural_pos: list[int] = []
        self.plural_tok: list[Token] = []
        for t in ctx.subject_tokens:
            if t.tag_ in ("NNS", "NNPS") and ctx.inside[t.i] < 0 and _people_like(t):
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
        extra: list[tuple[int, Key, bool, bool]] = []
        for t in ctx.subject_tokens:
            if t.pos_ != "PROPN" or ctx.inside[t.i] >= 0:
                continue
            ent = self.ent_of.get(t.i)
            if ent is not None and ent.label_ in NAME_ENTS:
                continue
            p = ctx.para_of(t.idx)
            if is_title_word(t.text) or ctx.boilerplate_para(p) or ctx.furniture(p) or ctx.caption(p):
                continue
            key = self.names.resolve_key(t.text, t.idx)
            if key not in self.names.names and ent is None and t.is_title and t.tag_ == "NNP":
                key = self._add_run(t)
            if key in self.names.names and (ent is None or ent.label_ in ORG_ENTS):
                extra.append((t.idx, key, True, False))
        if extra:
            rows = sorted(list(zip(self.person_pos, self.person_key, self.person_subj, self.person_poss, strict=True))
                          + extra, key=lambda r: r[0])
            self.person_pos = [r[0] for r in rows]
            self.person_key = [r[1] for r in rows]
            self.person_subj = [r[2] for r in rows]
            self.person_poss = [r[3] for r in rows]

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
        for t in ctx.propn_tokens:
            if t.dep_ in ("compound", "flat") or ctx.inside[t.i] >= 0:
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
            if ent.start_char >= self.ctx.body_start and ent.label_ in NAME_ENTS | {"ORG"} and \
                    not self.ctx.caption(self.ctx.para_of(ent.start_char)):
                self._describe(ent, put)
        self.descriptors = index

    def _describe(self, ent: Span, put: Callable[[str, int, str, Key | None, str], None]) -> None:
        """Every noun the article uses for this entity: in its name, before it, in apposition."""
        ctx = self.ctx
        root = ent.root
        key: Key | None = None
        if ent.label_ in NAME_ENTS:
            key = self.names.resolve_key(self.name_of(ent), ent.start_char)
            name, label = self.names.names.get(key), "PERSON"
        else:
            name, label = self.name_of(ent), "ORG"
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
        for t in ctx.pronoun_tokens:
            while k < len(self.person_pos) and self.person_pos[k] <= t.idx:
                last_key = self.person_key[k]
                last_tok = bisect.bisect_left(ctx.tok_starts, self.person_pos[k])
                k += 1
            g = PRONOUN_GENDER[t.lower_]
            if last_key is not None and self._object_of(t, self.person_pos[k - 1]):
                continue  # "Clara Moss scolded him": an object is someone other than its clause's subject
            if last_key is not None and t.i - last_tok <= 25 and ctx.inside[t.i] < 0:
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

    def _object_of(self, pronoun: Token, pos: int) -> bool:
        """Whether the pronoun is the object of a verb whose subject is the name at `pos`: "him"
        in "Moss scolded him" is not Moss (English says "herself" for that)."""
        if pronoun.dep_ not in ("dobj", "dative", "pobj"):
            return False
        verb = pronoun.head.head if pronoun.dep_ == "pobj" else pronoun.head
        for c in verb.children:
            if c.dep_ in SUBJECT_DEPS:
                ent = self.ent_of.get(c.i)
                if (ent.start_char if ent is not None else c.idx) == pos:
                    return True
        return False

    def latest_person_before(self, pos: int) -> int:
        """Index into the person mentions of the last one before `pos` (-1 when none)."""
        return bisect.bisect_left(self.person_pos, pos) - 1


def _people_like(t: Token) -> bool:
    """A plural that can say something: "officials", "Democrats", "the companies", not "revenues"."""
    lemma = t.lemma_.lower()
    return t.tag_ == "NNPS" or t.ent_type_ in ("NORP", "ORG") or lemma in ORG_NOUNS or lemma in PERSON_NOUNS \
        or lemma in ROLE_NOUNS or lemma.endswith(ROLE_SUFFIXES) or lemma in ("people", "police", "authority")


_ORG_SMALL = {"of", "the", "and", "for", "on", "in", "&"}


_ACRONYM = re.compile(r"\b[A-Z]{3,6}\b")
_LEADING_THE = re.compile(r"^The\s+")


def _org_short_forms(names: set[str], text: str) -> dict[str, str]:
    """Short form -> full name, for short forms that match exactly one longer name: its first words,
    or its initials as an acronym (spelled out as an organisation, or anywhere in the article:
    "PBO" -> "Parliamentary Budget Officer")."""
    out: dict[str, str] = {}
    full = [n for n in names if len(n.split()) >= 2]
    by_first: dict[str, set[str]] = {}
    by_initials: dict[str, set[str]] = {}
    for f in full:
        by_first.setdefault(f.split()[0], set()).add(f)
        by_initials.setdefault(_initials(f), set()).add(f)
    for short in names:
        words = short.split()
        if len(words) > 2 or not short[:1].isupper():
            continue
        plain = short.replace(".", "")
        matches = {f for f in by_first.get(words[0], ()) if f != short and f.split()[:len(words)] == words}
        if plain.isupper() and len(plain) >= 2:
            matches |= by_initials.get(plain, set()) - {short}
        if len(matches) == 1:
            out[short] = matches.pop()
    acronyms = {m.group(0) for m in _ACRONYM.finditer(text)} - set(out)
    if not acronyms:
        return out
    spelled_out: dict[str, set[str]] | None = None
    for acronym in acronyms:  # an acronym the tagger missed: "EDC says", "the PBO said"
        spelled = by_initials.get(acronym, set())
        if not spelled:
            if spelled_out is None:
                spelled_out = {}
                for r in _CAPITALISED_RUN.finditer(text):
                    run = _LEADING_THE.sub("", r.group(0))
                    spelled_out.setdefault(_initials(run), set()).add(run)
            spelled = spelled_out.get(acronym, set())
        if len(spelled) == 1:
            out[acronym] = next(iter(spelled))
    return out


_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:(?:of|the|and|for|on)\s+)?[A-Z][a-z]+)+")


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in _ORG_SMALL)
