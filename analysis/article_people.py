"""Who each short name in one article is: the full name the article itself uses, checked against
gender and titles.

An article names a person in full once or twice and then by surname ("Narang"), first name
("Hillary"), or title and surname ("Mrs. Obama", "President Obama"). The short form is the full
name of the same article that contains it, when the evidence agrees:

* Gender: a gendered title on the short form ("Mr.", "Mrs.", "Congresswoman") must fit the
  person's gender, known from the titles the article puts before the full name or, failing
  that, from the given name (`analysis.names.first_name_genders`). "Mr. Obama" in an article that
  names only Michelle Obama is not her: it is another Obama, whom the article does not name in
  full and whom the corpus step (`analysis.aliases`) identifies.
* Such an unnamed other person also makes the bare surname doubtful: "Obama" goes to Michelle
  Obama only if the article speaks of her at least twice as often as of "Mr. Obama".
* A multi-word name that ends a longer name of the article ("Suu Kyi", "Wasserman Schultz") is
  that name, when only one name ends so.
* An office before the short form ("President Clinton") must be one the article gives the full
  name; otherwise the short form is left for the corpus step, which knows whom the coverage
  calls so.
* Several people with the surname (Jeb and George W. Bush): the one a pronoun right after the
  short form fits ("Clinton said she"), else the one the article names at least twice as often as
  all others, else the one the article gave the same title ("President Bush"); otherwise, and for
  a first name shared by several people (two Kims), the short form is left for the corpus step.

Label fixes that need the article's people: a name the article tags PERSON somewhere is PERSON
where spaCy tagged it ORG ("the Trump regime"); a given name tagged as a place ("Melania") that is
the first name of one of the article's people is that person; a GPE/LOC whose name (or its
singular) is a NORP of the same article is NORP ("the North Koreans"); a hyphenated ORG such as
"Trump-Kim" whose parts are the article's people is split into one mention per part.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from analysis import names
from analysis.entity_types import descriptor_gender
from analysis.mentions import (
    NORP,
    ORG,
    PERSON,
    PERSONABLE_LABELS,
    PLACE_LABELS,
    SHORT_FORM_LABELS,
    RawMention,
    name_keys,
)

DOMINANCE = 2  # a candidate must be named this many times as often as the alternatives


class ArticlePeople:
    """The people one article names in full, their gender and titles, and who a short form may be."""

    def __init__(self, raws: Iterable[RawMention]):
        raws = list(raws)
        self.labels: dict[str, Counter[str]] = defaultdict(Counter)
        for r in raws:
            self.labels[r.canonical][r.label] += 1
        body = [r for r in raws if not r.headline]
        self.persons = {r.canonical for r in body if r.label == PERSON}
        self.by_last: dict[str, set[str]] = defaultdict(set)
        self.by_first: dict[str, set[str]] = defaultdict(set)
        for name in self.persons:
            keys = name_keys(name)
            if keys is not None:
                self.by_first[keys[0]].add(name)
                self.by_last[keys[1]].add(name)
        # "Suu Kyi" after "Aung San Suu Kyi", "Wasserman Schultz" after "Debbie Wasserman Schultz".
        self.tails: dict[str, set[str]] = defaultdict(set)
        for name in self.persons:
            words = name.split(" ")
            for k in range(2, len(words)):
                self.tails[" ".join(words[-k:]).lower()].add(name)
        self.named = Counter(r.canonical for r in body if r.label == PERSON)
        self.titles: dict[str, set[str]] = defaultdict(set)
        self.word_genders: dict[str, Counter[str]] = defaultdict(Counter)  # from titles: "Mr. Obama"
        self.word_cues: dict[str, Counter[str]] = defaultdict(Counter)  # from pronouns: "Obama said his"
        self.placed = {r.canonical for r in raws if r.placed}
        for r in body:
            g = names.title_gender(r.title) if r.title else None
            if " " in r.canonical and r.title:
                self.titles[r.canonical].add(r.title)
            elif g and r.label in SHORT_FORM_LABELS:
                self.word_genders[r.canonical][g] += 1
            elif r.cue and " " not in r.canonical:
                self.word_cues[r.canonical][r.cue] += 1
        self.gender = _genders(body, {n for n in self.persons if " " in n})

    def expand(self, word: str, gender: str | None = None, cue: str | None = None,
               title: str | None = None) -> str | None:
        """The article's full name that `word` stands for, or None when the article does not settle it.

        `gender` comes from a title on the short form and rules people out; `cue` comes from a
        pronoun after it and only chooses among several.
        """
        full = self.by_last.get(word) or self.by_first.get(word)
        if not full:
            return None
        cands = sorted(c for c in full if _fits(gender, self.gender.get(c)))
        if title and names.is_title(title) and not names.is_courtesy(title):
            # "President Clinton" in an article that names only Hillary Clinton, untitled: the office
            # says who, and the article does not; the corpus step reads the title.
            cands = [c for c in cands if title in self.titles.get(c, ())]
        if not cands or (gender is None and self._unnamed_other_outweighs(word, cands)):
            return None
        if len(cands) == 1:
            return cands[0]
        if word not in self.by_last:
            return None  # a first name several people share
        return self._choose(cands, cue or self._agreed_cue(word), title)

    def _agreed_cue(self, word: str) -> str | None:
        """The gender every pronoun after the article's bare uses of the word agrees on."""
        cues = self.word_cues.get(word)
        return next(iter(cues)) if cues and len(cues) == 1 else None

    def _unnamed_other_outweighs(self, word: str, cands: list[str]) -> bool:
        """"Mr. Obama" fifteen times and "Michelle Obama" once: a bare "Obama" is not her."""
        genders = {self.gender.get(c) for c in cands}
        if None in genders:
            return False  # a candidate of unknown gender may be the titled one too
        seen = self.word_genders.get(word, Counter())
        other = sum(n for g, n in seen.items() if g not in genders)
        mine = sum(self.named[c] for c in cands) + sum(n for g, n in seen.items() if g in genders)
        return other > 0 and mine < DOMINANCE * other

    def _choose(self, cands: list[str], cue: str | None, title: str | None) -> str | None:
        if cue:
            fitting = [c for c in cands if self.gender.get(c) in (cue, None)]
            if len(fitting) == 1:
                return fitting[0]
        ranked = sorted(cands, key=lambda n: -self.named[n])
        if self.named[ranked[0]] >= DOMINANCE * self.named[ranked[1]]:
            return ranked[0]
        # "President Bush" after "former President George W. Bush" and "Gov. Jeb Bush".
        titled = [n for n in cands if title and title in self.titles.get(n, ())]
        return titled[0] if len(titled) == 1 else None


def _fits(gender: str | None, person_gender: str | None) -> bool:
    return gender is None or person_gender is None or gender == person_gender


def _genders(raws: Iterable[RawMention], full_names: set[str]) -> dict[str, str]:
    """A person's gender: the gendered titles and nouns the article puts around the full name
    ("Mrs.", "his daughter"), if they agree, else the given name's."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for r in raws:
        if r.canonical in full_names:
            g = (names.title_gender(r.title) if r.title else None) or descriptor_gender(r.descriptor)
            if g:
                votes[r.canonical][g] += 1
    given = names.first_name_genders()
    out: dict[str, str] = {}
    for name in full_names:
        if len(votes[name]) == 1:
            out[name] = next(iter(votes[name]))
        elif name.split()[0].lower() in given:
            out[name] = given[name.split()[0].lower()]
    return out


def resolve(raws: list[RawMention]) -> None:
    """Apply the article's identity and label rules to its mentions, in place."""
    people = ArticlePeople(raws)
    norps = {name for name, c in people.labels.items() if c[NORP]}
    out: list[RawMention] = []
    for r in raws:
        out.extend(_resolve_one(r, people, norps))
    raws[:] = out


def _resolve_one(r: RawMention, people: ArticlePeople, norps: set[str]) -> list[RawMention]:
    name = r.canonical
    if r.label in SHORT_FORM_LABELS and len(people.tails.get(name.lower(), ())) == 1:
        r.canonical, r.label = next(iter(people.tails[name.lower()])), PERSON
        return [r]
    if r.label in SHORT_FORM_LABELS and " " not in name:
        if "-" in name and r.label != PERSON:
            parts = split_hyphenated(r, people)
            if parts:
                return parts
        if r.label in (PERSON, ORG) or name in people.persons or _given_name_of(name, people):
            full = people.expand(name, names.title_gender(r.title) if r.title else None, r.cue, r.title)
            if full is not None:
                r.canonical, r.label = full, PERSON
                return [r]
    _fix_label(r, people, norps)
    return [r]


def _given_name_of(word: str, people: ArticlePeople) -> bool:
    """"Melania" tagged as a place is the first name of the article's Melania Trump (but "in
    Charlotte" is a place whatever the article's Charlottes)."""
    return word.lower() in names.first_name_genders() and word in people.by_first and word not in people.placed


def _fix_label(r: RawMention, people: ArticlePeople, norps: set[str]) -> None:
    name = r.canonical
    if r.label in PERSONABLE_LABELS and name in people.persons:
        counts = people.labels[name]
        if r.label == ORG or counts[PERSON] >= counts[r.label]:
            r.label = PERSON
    elif r.label in PLACE_LABELS and (name in norps or (name.endswith("s") and name[:-1] in norps)):
        r.label = NORP


def split_hyphenated(r: RawMention, people: ArticlePeople) -> list[RawMention]:
    """`Trump-Kim` (ORG) -> `Trump` + `Kim` (PERSON) when a part is one of the article's people."""
    parts = r.text.split("-")
    if len(parts) < 2 or not all(p[:1].isupper() and p.isalpha() for p in parts):
        return []
    resolved = [_part(p, people) for p in parts]
    if not any(label == PERSON for _, label in resolved):
        return []
    out: list[RawMention] = []
    offset = r.start
    for p, (name, label) in zip(parts, resolved, strict=True):
        out.append(RawMention(offset, offset + len(p), p, label or PERSON, name, r.sentence))
        offset += len(p) + 1
    return out


def _part(p: str, people: ArticlePeople) -> tuple[str, str | None]:
    full = people.expand(p)
    if full is not None:
        return full, PERSON
    if p in people.persons:
        return p, PERSON
    if p in people.labels:
        return p, people.labels[p].most_common(1)[0][0]
    return p, None
