"""Personal names as news prints them: titles, honorifics, gendered titles and clean name text.

One module for every extractor (entities, quotes, speakers, aliases), so that "Commissioner
Jane Doe" and "Mx. Lee" lose their title the same way as an entity and as a speaker. The words
are data (`analysis/data/titles.tsv`, `analysis/data/name_parts.txt`); a word is looked up in
lower case without full stops, so "Mr.", "MR" and "mr" are one title.

Cleaning never changes what a name is, only what the span around it dragged in: brackets
("Jane Doe (D-Calif.)"), quotation marks, edge punctuation, a possessive, doubled spaces.
Hyphens, apostrophes and the full stops of initials inside a name stay ("Leif-Eric Easley",
"O'Brien", "Donald J. Trump").
"""
from __future__ import annotations

import re
from functools import lru_cache

from analysis import wordlists

VERSION = "1"  # part of the extractor version: a change to these rules reprocesses the corpus

_parts = wordlists.sections("name_parts.txt")
NAME_SUFFIXES = _parts["suffix"]
NAME_PARTICLES = _parts["particle"]
INSTITUTION_WORDS = _parts["institution"]

PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m",
                  "she": "f", "her": "f", "hers": "f", "herself": "f"}


class _Titles:
    """The rows of titles.tsv by kind."""

    def __init__(self) -> None:
        self.kind: dict[str, str] = {}
        self.gender: dict[str, str] = {}
        self.form: dict[str, str] = {}
        self.surname: set[str] = set()
        for row in wordlists.table("titles.tsv"):
            word, kind, gender, form, surname = (list(row) + [""] * 5)[:5]
            self.kind[word] = kind
            if gender:
                self.gender[word] = gender
            if form:
                self.form[word] = form
            if surname == "y":
                self.surname.add(word)


@lru_cache(maxsize=1)
def _titles() -> _Titles:
    return _Titles()


def word_key(word: str) -> str:
    """A word as the lists hold it: lower case, no full stops, no edge punctuation."""
    return word.lower().replace(".", "").strip(",;:'’\"()")


def is_title_word(word: str) -> bool:
    """Whether the word may stand before a name without being part of it (titles and their qualifiers)."""
    return word_key(word) in _titles().kind


def is_title(word: str) -> bool:
    """A title on its own: an honorific or an office, not a qualifier such as "former" or "foreign"."""
    return _titles().kind.get(word_key(word)) in ("courtesy", "office")


def is_courtesy(word: str) -> bool:
    """An honorific that says nothing of a role: Mr, Ms, Mx, Dr, Sir, Dame."""
    return _titles().kind.get(word_key(word)) == "courtesy"


def names_nobody(word: str) -> bool:
    """A title standing alone ("Mr.", "Senator") names nobody; one that is also a surname ("King") may."""
    key = word_key(word)
    return is_title(word) and key not in _titles().surname


def title_form(word: str) -> str | None:
    """How a title is stored ("Sen." -> "Sen", "Governor" -> "Gov"); None for a word that is no title."""
    if not is_title(word):
        return None
    key = word_key(word)
    return _titles().form.get(key, key.capitalize())


def title_gender(title: str) -> str | None:
    """"m"/"f" when the title words say it ("Mrs.", "Congresswoman", "First Lady"), else None."""
    genders = {_titles().gender[k] for k in (word_key(w) for w in title.split()) if k in _titles().gender}
    return genders.pop() if len(genders) == 1 else None


def gendered_forms() -> dict[str, str]:
    """Stored title forms that tell a gender: {"Mr": "m", "Mrs": "f", "Ms": "f", …}."""
    t = _titles()
    out: dict[str, str] = {}
    for word, g in t.gender.items():
        if t.kind[word] == "courtesy" and word in t.form:
            out[t.form[word]] = g
    return out


def leading_titles(words: list[str]) -> int:
    """How many leading words are titles, never all of them: a lone "Justice" or "King" is a name."""
    i = 0
    while i < len(words) - 1 and is_title_word(words[i]):
        i += 1
    return i


def strip_titles(text: str) -> tuple[str, str]:
    """Split leading titles from a name: "Secretary of State Mike Pompeo" -> ("Mike Pompeo", "Secretary of State").

    Only leading words are taken, and never the last word, so a surname that happens to be a
    title word ("Justice", "King") survives when it is all there is.
    """
    words = clean_name(text).split()
    i = leading_titles(words)
    return " ".join(words[i:]), " ".join(words[:i])


_BRACKETED = re.compile(r"\s*[(\[{][^)\]}]*[)\]}]")
_UNCLOSED = re.compile(r"\s*[(\[{].*$")
_QUOTES = re.compile(r"[\"“”„«»]")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)


def clean_name(text: str) -> str:
    """The name without brackets, quotation marks, possessive, edge punctuation or doubled spaces.

    "Jane Doe (D-Calif.)" -> "Jane Doe", "Hemming’s" -> "Hemming", "— Jane Doe," -> "Jane Doe".
    """
    text = _BRACKETED.sub("", text)
    text = _UNCLOSED.sub("", text)  # "Jane Doe (D" cut by the end of a span
    text = _QUOTES.sub("", text)
    text = " ".join(text.split())
    text = _POSSESSIVE.sub("", text)
    return _EDGE.sub("", text)


def is_suffix(word: str) -> bool:
    """"Jr.", "III", "PhD": after a name, never the surname."""
    return word_key(word) in NAME_SUFFIXES


@lru_cache(maxsize=1)
def first_name_genders() -> dict[str, str]:
    """Given names used overwhelmingly for one gender (`data/first_names.tsv`): a prior for "he"/"she"."""
    return {row[1].lower(): row[0] for row in wordlists.table("first_names.tsv") if len(row) >= 2}
