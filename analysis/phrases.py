"""Whole-word lookup of many lexicon phrases in a short text, longest phrase first.

The role and side rules ask the same question of every description: which of these few hundred
phrases ("state department", "north korean", "chief executive") does it contain, and where. One
compiled alternation per lexicon answers it in one pass; Python's regex alternation takes the first
alternative that matches at a position, so the phrases are sorted longest first and "white house"
wins over "house".

Short all-letter abbreviations ("US", "UK", "RT", "EU") are also common words or word pieces in
lower case ("us", "rt"), so they match only when written in capitals.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def _key(phrase: str) -> str:
    return " ".join(phrase.lower().replace("’", "'").split())


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    phrase: str  # the lexicon phrase, lower case
    value: str  # what the lexicon maps it to


class PhraseTable:
    """A mapping from phrases to values, searched for as whole words in a text."""

    def __init__(self, table: Mapping[str, str] | Iterable[tuple[str, str]]):
        pairs = table.items() if isinstance(table, Mapping) else table
        self.values: dict[str, str] = {}
        for phrase, value in pairs:
            self.values.setdefault(_key(phrase), value)
        # A full stop ends "u.s." and "co.", so the right boundary is "not a word character"
        # only after a letter; a phrase ending in "." needs none.
        alternatives = sorted(self.values, key=len, reverse=True)
        body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in alternatives) or "(?!)"
        self._regex = re.compile(rf"(?<![\w-])(?:{body})(?:(?<=\.)|(?![\w]))", re.I)

    def find(self, text: str) -> list[Hit]:
        hits = []
        for m in self._regex.finditer(text.replace("’", "'")):
            found = m.group(0)
            phrase = _key(found)
            if len(phrase) <= 3 and phrase.isalpha() and not found.isupper():
                continue  # "us", "rt": only the capitalised abbreviation counts
            hits.append(Hit(m.start(), m.end(), phrase, self.values[phrase]))
        return hits

    def first(self, text: str) -> Hit | None:
        hits = self.find(text)
        return hits[0] if hits else None

    def __contains__(self, phrase: str) -> bool:
        return _key(phrase) in self.values

    def get(self, phrase: str, default: str | None = None) -> str | None:
        return self.values.get(_key(phrase), default)
