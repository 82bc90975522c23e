"""A named-entity mention while the article's rules are applied, and the name it counts under.

Shared by the entity steps of one article (`analysis.entities` extracts, `analysis.entity_types`
corrects the type, `analysis.article_people` joins short forms to the article's people) and by the
corpus step (`analysis.aliases`), so that all of them normalise a name the same way.

Text normalisation: whitespace and line breaks collapse to one space, typographic quotes and
dashes become ASCII, surrounding punctuation, a leading "the" (or "a" before a capital: `a Mitt
Romney`) and a possessive `’s` go; a trailing full stop goes unless it ends an abbreviation
(`U.S.`, `Inc.`). PERSON names also lose titles (`Mr.`, `Sen.`, `President`), because they name the
role, not the person; the title is kept with the mention (`RawMention.title`).
"""
from __future__ import annotations

import re

from analysis import names

PERSON = "PERSON"
ORG = "ORG"
NORP = "NORP"
PLACE_LABELS = frozenset({"GPE", "LOC"})
# Labels that spaCy confuses with PERSON for a bare surname; a PERSON reading elsewhere in the
# same article wins over them.
PERSONABLE_LABELS = frozenset({"ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"})
# Labels whose one-word mentions may be a short form of a person's full name.
SHORT_FORM_LABELS = frozenset({PERSON, ORG, "GPE", "NORP", "PRODUCT", "WORK_OF_ART"})

# Titles, honorifics and name suffixes are the names module's (`analysis.names`), shared with quotes and speakers.
NAME_SUFFIXES = names.NAME_SUFFIXES

_SPACE = re.compile(r"\s+")
_TRANSLATE = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u201b": "'", "\u02bc": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-",
    "\u00a0": " ", "\u200b": "",
})
# Leading/trailing characters that are never part of a name.
_STRIP = " \"'()[]{}<>,;:!?*•|/\\-_#@~^+=…"
_LEADING_THE = re.compile(r"^(?:[Tt][Hh][Ee]\s+|an?\s+(?=[A-Z]))")  # "the", and "a" before a name
_POSSESSIVE = re.compile(r"(?:'s|')$", re.IGNORECASE)


def normalise(text: str, label: str = "") -> str:
    """The name a mention counts under inside its article; "" when nothing name-like is left."""
    name = _SPACE.sub(" ", text.translate(_TRANSLATE)).strip(_STRIP)
    for _ in range(3):  # "the U.S.’s", "‘the Trump’" - a few rounds settle every combination
        before = name
        name = _LEADING_THE.sub("", name)
        if name.endswith("'s") or name.endswith("'S") or (name.endswith("s'") or name.endswith("S'")):
            name = _POSSESSIVE.sub("", name)
        name = _strip_final_stop(name).strip(_STRIP)
        if name == before:
            break
    if label == PERSON:
        name = strip_honorifics(name)
        if names.names_nobody(name):  # a bare "Mr." names nobody
            return ""
    return name


def _strip_final_stop(name: str) -> str:
    """Drop a sentence full stop (`Trump.`) but keep one that ends an abbreviation (`U.S.`, `Inc.`)."""
    if not name.endswith("."):
        return name
    last = name.rsplit(" ", 1)[-1][:-1]
    if "." in last or len(last) <= 4 or names.is_suffix(last):
        return name
    return name[:-1]


def strip_honorifics(name: str) -> str:
    words = name.split(" ")
    return " ".join(words[names.leading_titles(words):])


def title_of(words: list[str]) -> str | None:
    """The title nearest the name among the words just before it (nearest last), if any;
    qualifiers ("former", "foreign") are passed over."""
    for i in range(len(words) - 1, -1, -1):
        title = names.title_form(words[i])
        if title is not None:
            if title == "President" and i > 0 and names.word_key(words[i - 1]) == "vice":
                return "Vice President"
            return title
        if not names.is_title_word(words[i]):
            return None
    return None


def name_keys(name: str) -> tuple[str, str] | None:
    """(first word, last word) of a multi-word person name, ignoring Jr./III; None for one word."""
    words = name.split(" ")
    while len(words) > 1 and names.is_suffix(words[-1]):
        words.pop()
    if len(words) < 2:
        return None
    return words[0], words[-1]


class RawMention:
    """A mention while the article's rules are applied; becomes an EntityMention at the end."""

    __slots__ = ("start", "end", "text", "label", "canonical", "sentence", "title", "descriptor", "cue",
                 "headline", "placed")

    def __init__(self, start: int, end: int, text: str, label: str, canonical: str, sentence: int,
                 title: str | None = None, descriptor: str | None = None, cue: str | None = None):
        self.start, self.end, self.text = start, end, text
        self.label, self.canonical, self.sentence, self.title = label, canonical, sentence, title
        self.descriptor = descriptor
        self.cue = cue  # "m"/"f": the gender a pronoun after a one-word name gives it ("Obama said his ...")
        self.headline = False  # stands in a headline line, where capitals say nothing
        self.placed = False  # written as a place: "in Ferguson", "Tulsa, Okla."

    @property
    def gender(self) -> str | None:
        """The gender the mention itself shows: its title ("Mrs."), else a pronoun after it."""
        return (names.title_gender(self.title) if self.title else None) or self.cue

    def __repr__(self) -> str:
        return f"RawMention({self.text!r}, {self.label}, {self.canonical!r}, title={self.title!r})"


