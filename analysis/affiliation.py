"""Whose side a source speaks for: the country, party or organisation its description names.

An analyst comparing coverage asks "which country's officials are quoted", "which party's
politicians", "experts from which institutions". The side is read from the same words as the
role (`analysis.roles`): a country by its name, adjective, capital or seat of government
("Pyongyang", "the Kremlin"), a U.S. party by name or by the "(R-S.C.)" tag after a lawmaker's
name, an organisation by the capitalised name in the description ("a historian at Ohio State
University in Columbus" -> "Ohio State University"). The word lists are data
(`analysis/data/sides.toml`).
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from analysis.names import INSTITUTION_WORDS, first_name_genders
from analysis.phrases import PhraseTable

SIDES_FILE = Path(__file__).resolve().parent / "data" / "sides.toml"
US = "U.S."


class Sides:
    """The side lexicons, read once."""

    def __init__(self, data: dict):
        self.country_names = PhraseTable((w, side) for side, words in data["countries"].items() for w in words)
        self.countries = PhraseTable((w, side) for table in ("countries", "country_bodies")
                                     for side, words in data[table].items() for w in words)
        self.parties = PhraseTable((w, side) for side, words in data["parties"].items() for w in words)
        self.party_letters: dict[str, str] = dict(data["party_letters"])
        self.us_states = PhraseTable((w, US) for w in data["us_states"]["names"])
        self.places = PhraseTable((w, "") for w in data["places"]["names"])
        letters = "".join(sorted(self.party_letters))
        # "(R-S.C.)", "R-Fla", "D-N.Y": a party letter and a state abbreviation.
        self.party_tag = re.compile(rf"(?<![\w-])\(?([{letters}])-(?:[A-Z][a-zA-Z]*\.?){{1,3}}\)?(?![\w-])")


@lru_cache(maxsize=1)
def sides() -> Sides:
    with SIDES_FILE.open("rb") as fh:
        return Sides(tomllib.load(fh))


def country(text: str) -> str | None:
    """The country the text names first ("the North Korean foreign minister" -> North Korea)."""
    hit = sides().countries.first(text)
    return hit.value if hit else None


def party(text: str) -> str | None:
    """The U.S. party the text names first, by name or by a "(D-Mass.)" tag."""
    s = sides()
    tag = s.party_tag.search(text)
    hit = s.parties.first(text)
    if tag and (hit is None or tag.start() < hit.start):
        return s.party_letters[tag.group(1)]
    return hit.value if hit else None


def has_party_tag(text: str) -> bool:
    return sides().party_tag.search(text) is not None


def us_state(text: str) -> bool:
    return sides().us_states.first(text) is not None


# A capitalised name: capitalised words (or acronyms, "U.S.") joined by a few lower-case linking
# words ("Center for Strategic and International Studies"), never starting or ending with one.
_CAP = r"(?:[A-Z][\w&'’.-]*)"
_LINK = r"(?:of|for|and|on|the|de|du|&)"
_NAME_RUN = re.compile(rf"{_CAP}(?:\s+(?:{_LINK}\s+)*{_CAP})*")
_AFTER_PREPOSITION = re.compile(r"\b(?:at|of|for|with|from|by)\s+(?:the\s+)?(?:[a-z-]+\s+)?$")
_IN_PLACE = re.compile(r"\b(?:in|near|outside|across)\s+(?:the\s+)?$", re.I)


def organisation(text: str, institution_words: PhraseTable, title_words: PhraseTable) -> str | None:
    """The organisation a description names, if it names one ("Wells Fargo CEO" -> Wells Fargo).

    Candidates are the capitalised names of the text with title words trimmed off their ends
    ("Globex Executive Director" -> Globex); a name that is only a place or a country,
    or that follows "in" (where, not whom for), is not an organisation. A name after
    "at/of/for/with" wins ("editor for the Cook Political Report"), one with an institution word
    ("University", "Department") next, then the first.
    """
    s = sides()
    candidates: list[tuple[bool, bool, int, str]] = []
    for m in _NAME_RUN.finditer(text):
        name = _trim_titles(m.group(0), title_words)
        before, after = text[:m.start()], text[m.end():]
        if not name or _only_place(name, s) or _IN_PLACE.search(before) or _person_name(name):
            continue
        preposition = bool(_AFTER_PREPOSITION.search(before))
        institution = institution_words.first(name) is not None
        # Otherwise only a name standing before a title counts ("Wells Fargo CEO"), and not a
        # capitalised first word that is an adjective ("Conservative economist").
        hit = title_words.first(after[:40])
        titled = name != m.group(0).strip() or (hit is not None and not after[:hit.start].strip())
        if not (preposition or institution or (titled and not _sentence_case_adjective(m, text))):
            continue
        if not (institution or titled) and _modifier(after):
            continue  # "with Korean politics", "using EB-5 funding": an adjective, not a name
        candidates.append((not preposition, not institution, m.start(), name))
    return min(candidates)[3] if candidates else None


def _person_name(name: str) -> bool:
    """"Jane Doe" in "the administration of former President Jane Doe": a person, not a body."""
    words = name.split()
    return len(words) >= 2 and words[0].lower() in first_name_genders() and not any(
        w.lower() in INSTITUTION_WORDS for w in words)


_FUNCTION_WORDS = frozenset("in at for of and on who which that with to from by since based or as".split())


def _modifier(after: str) -> bool:
    """The capitalised word is followed by a lower-case noun it modifies."""
    words = after.split()
    return bool(words) and words[0][:1].islower() and words[0].strip(",.;:").lower() not in _FUNCTION_WORDS


def _sentence_case_adjective(m: re.Match, text: str) -> bool:
    """"Conservative economist": one capitalised word opening the text, a lower-case word next."""
    word = m.group(0)
    return m.start() == 0 and " " not in word and word[1:].islower() and text[m.end():m.end() + 2].strip()[:1].islower()


def _trim_titles(name: str, title_words: PhraseTable) -> str:
    words = name.split()
    while words and (words[0].lower() in ("the", "a", "an") or words[0].rstrip(".").lower() in title_words
                     or words[0].lower() in _LINK_WORDS):
        words.pop(0)
    while words and (words[-1].rstrip(".").lower() in title_words or words[-1].lower() in _LINK_WORDS):
        words.pop()
    out = " ".join(words).strip(" ,;:")
    return re.sub(r"(?:['’]s?)$", "", out)


_LINK_WORDS = frozenset({"of", "for", "and", "on", "the", "de", "du", "&"})


def _only_place(name: str, s: Sides) -> bool:
    """True when every word of the name belongs to a country, party, U.S. state or place."""
    covered = [False] * len(name)
    for table in (s.country_names, s.parties, s.us_states, s.places):
        for h in table.find(name):
            for i in range(h.start, min(h.end, len(name))):
                covered[i] = True
    return all(covered[i] or not name[i].isalnum() for i in range(len(name)))


# "the Doe campaign", "Roe campaign spokesman", "the campaign of Jane Doe".
_CAMPAIGN = re.compile(r"((?:[A-Z][\w'’.-]+\s+){1,3})campaign\b|\bcampaign\s+of\s+((?:[A-Z][\w'’.-]+\s*){1,3})")


def campaign(text: str) -> str | None:
    """The campaign a description names ("Roe campaign spokesman" -> "Roe campaign")."""
    m = _CAMPAIGN.search(text)
    if not m:
        return None
    who = re.sub(r"['’]s?$", "", (m.group(1) or m.group(2)).strip())
    if who.lower() in ("the", "a", "his", "her", "their") or not who:
        return None
    return f"{who} campaign"


def is_place(word: str) -> bool:
    """A place, country or party name ("Miami", "Ohio", "French"), not a person or an organisation."""
    return bool(word) and _only_place(word, sides())
