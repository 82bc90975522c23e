"""What kind of source a speaker is, in the categories of newsroom sourcing studies, and whose side.

A policy analyst weighs a quote by who gave it: a candidate's line, a ministry's statement, the
judgment of an academic, an NGO's appeal and a witness's account are read differently. The role
is guessed from the words the coverage itself uses about the speaker: descriptions gathered with
the quotes ("a nuclear affairs expert at ..."), titles before the name ("Sen.", "Republican
presidential nominee", "U.S. Secretary of State"), and the descriptions the articles give the
same person wherever they are named (`EntityMention.descriptor`). The phrase that decided is kept
so the analyst can check the guess at a glance. A plain `speakers.csv` (speaker, role, side,
note) written by the analyst wins over every guess.

Role ids are stable (URLs and `speakers.csv` files name them); `ROLE_LABELS` gives the words an
analyst reads. The five ids of the first version keep their meaning: `official` (now a
government official, diplomats and spokespeople included), `expert`, `state media`,
`journalist`, `unknown`.

The rules look at the head of each description first ("a nuclear affairs *expert* at ...", "the
chief North Korean *negotiator*", "a *spokesperson* for ... foreign ministry"), because the head
says what the person is while the rest says where they work: "a Korea expert at a university in
Seoul" is an expert, not a South Korean official. Heads such as "spokesman", "president" or
"director" take the kind of the institution named around them ("spokesman for the Justice
Department", "president of a labor union"). The word lists are data
(`analysis/data/roles.toml`); no person is named in them or here.
"""
from __future__ import annotations

import csv
import re
import tomllib
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import affiliation
from analysis.names import first_name_genders
from analysis.phrases import Hit, PhraseTable

VERSION = "13"

ROLE_LABELS: dict[str, str] = {
    "politician": "Politician or candidate",
    "official": "Government official",
    "expert": "Expert or analyst",
    "advocate": "Advocate or NGO",
    "business": "Business",
    "military": "Military or security",
    "journalist": "Journalist or media",
    "state media": "State media",
    "citizen": "Citizen or witness",
    "organisation": "Organisation or document",
    "anonymous": "Anonymous source",
    "unknown": "Unknown",
}
ROLES = tuple(ROLE_LABELS)
# What each role covers, for an analyst (and a judge) reading a role: the boundaries that matter.
ROLE_HELP: dict[str, str] = {
    "politician": "elected politicians and candidates (presidents, prime ministers, lawmakers, governors, mayors, "
                  "party leaders), former holders of high elected office, and campaign or party staff",
    "official": "government officials who hold no elected office: ministers and secretaries, diplomats, "
                "spokespeople and aides of a government, agencies, judges and prosecutors, international bodies",
    "expert": "academics, think-tank analysts, economists, pollsters, doctors and lawyers commenting, and "
              "former officials speaking as commentators",
    "advocate": "activists, advocacy groups and NGOs, unions, charities, clergy",
    "business": "executives, owners, investors and their companies",
    "military": "soldiers and officers, police, intelligence and security services",
    "journalist": "reporters, editors, columnists, hosts, and news outlets speaking for themselves",
    "state media": "news agencies and broadcasters controlled by a state, and what reaches the reader through them",
    "citizen": "ordinary people: residents, voters, witnesses, relatives, people quoted for what they live or see",
    "organisation": "a body or a document named as the source when no person is (a report, a poll, a company)",
    "anonymous": "an unnamed source the article does not identify ('a person familiar with the talks')",
    "unknown": "the coverage does not say what kind of source this is",
}
# When one speaker's descriptions disagree, the count of descriptions decides and this order
# breaks ties: being cited through a state agency or holding office is the stronger fact.
_PRIORITY = {role: i for i, role in enumerate((
    "state media", "official", "politician", "military", "expert", "advocate", "business",
    "journalist", "citizen", "anonymous", "organisation", "unknown"))}
# Roles that a named person cannot have: a person is not a document, and a named source is not
# anonymous (the description belonged to someone else).
_NOT_A_PERSON = frozenset({"organisation", "anonymous"})

ROLES_FILE = Path(__file__).resolve().parent / "data" / "roles.toml"
NOTHING = ""  # a rule's answer "this description names no role": later rules are not tried


@dataclass(frozen=True)
class RoleGuess:
    role: str
    side: str | None
    evidence: str


def _norm(phrase: str) -> str:
    return " ".join(phrase.lower().replace(".", "").replace("’", "'").split())


class Lexicon:
    """The word lists of `roles.toml`, compiled once."""

    def __init__(self, data: dict):
        self.heads: dict[str, str] = {}
        for role, words in data["heads"].items():
            for w in words:
                self.heads.setdefault(_norm(w), role)
        people = {_norm(k): v for k, v in data["generic_heads"].items()}
        self.unknown_body: dict[str, str] = {_norm(k): v for k, v in data["unknown_body_heads"].items()}
        self.generic: dict[str, str] = {**people, **{_norm(k): v for k, v in data["body_heads"].items()}}
        self.institutions = PhraseTable((w, kind) for kind, words in data["institutions"].items() for w in words)
        self.academic = PhraseTable((w, "expert") for w in data["institutions"]["expert"])
        self.high_offices = frozenset(_norm(w) for w in data["former"]["high_offices"])
        self.international = PhraseTable((w, "official") for w in data["international"]["bodies"])
        self.advocacy_names = _any_of(data["advocacy_names"]["words"])
        self.former = _any_of(data["former"]["markers"], prefix_only=True)
        self.fellow = re.compile(r"\b(?:" + "|".join(map(re.escape, data["fellow"]["qualifiers"])) + r")\s+fellows?\b",
                                 re.I)
        anon = data["anonymous_phrases"]
        self.anonymous_strong = PhraseTable((p, "anonymous") for p in anon["strong"])
        self.anonymous_weak = PhraseTable((p, "anonymous") for p in anon["weak"])
        self.anonymous_heads = frozenset(_norm(w) for w in anon["weak_heads"])
        media = data["state_media"]
        self.state_media = re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in media["names"]) + r")(?![\w-])|"
            + "|".join(media["phrases"]), re.I)
        # Words that may stand around an organisation's name without being part of it ("Wells
        # Fargo CEO"); body words such as "Department" are part of the name.
        self.titles = PhraseTable((w, "") for w, role in [*self.heads.items(), *people.items()]
                                  if role not in _NOT_A_PERSON)
        clauses = data["relative_clauses"]
        # "who heads X" -> "head of X"; "who served as X" -> "former X"; ...
        self.clauses: list[tuple[re.Pattern, str]] = [
            (_verbs(clauses["heads"]), r"head of \g<rest>"),
            (_verbs(clauses["headed"]), r"former head of \g<rest>"),
            (_verbs(clauses["founded"]), r"founder of \g<rest>"),
            (_verbs(clauses["served"]), r"former \g<rest>"),
            (_verbs(clauses["became"]), r"\g<rest>"),
            (_verbs(clauses["resident"]), r"resident of \g<rest>"),
            (_verbs(clauses["works"]), r"member of \g<rest>"),
            (_verbs(clauses["worked"]), r"former member of \g<rest>"),
            (_verbs(clauses["teaches"]), r"lecturer at \g<rest>"),
            (_verbs(clauses["taught"]), r"former lecturer at \g<rest>"),
            (_verbs(clauses["attended"]), r"attendee"),  # a member of the public
            (re.compile(r"^who\s+(?:.*?\s)?is\s+(?:now\s+)?(?P<rest>(?:a|an|the)\s.+)$", re.I), r"\g<rest>"),
            (re.compile(r"^who\s+(?:.*?\s)?was\s+(?P<rest>(?:a|an|the)\s.+)$", re.I), r"former \g<rest>"),
        ]

    def head_role(self, phrase: str) -> str | None:
        return self.heads.get(phrase)


def _verbs(verbs: list[str]) -> re.Pattern:
    """"who (now) heads X" for each verb given: X is the group `rest`."""
    alternatives = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in verbs)
    return re.compile(rf"^who\s+(?:now\s+|also\s+|once\s+)?(?:{alternatives})\s+(?P<rest>.+)$", re.I)


def _any_of(words: list[str], prefix_only: bool = False) -> re.Pattern:
    end = "" if prefix_only else r"(?![\w-])"
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + ")" + end, re.I)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    with ROLES_FILE.open("rb") as fh:
        return Lexicon(tomllib.load(fh))


# A head noun ends where the description moves on to affiliation or detail.
_HEAD_END = re.compile(
    r"\s(?:at|for|of|in|with|by|who|whom|which|that|from|on|to|under|specializing|specialising|based|"
    r"and|since|now|during|until|whose|about|representing|familiar|close\sto|knowledgeable|involved|responsible|"
    r"briefed|filed|released|published|issued|obtained|posted|reviewed|seen|written|signed|sent|made|given|"
    r"conducted|commissioned|prepared|surveyed|polled|interviewed|questioned|sampled|"
    r"(?:hired|employed|appointed|recruited|elected|chosen)\s+(?:by|to|in|as))\s|[,;:(—–]|\s-\s", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z.'’-]*")
_PRONOUNS = frozenset("he she they it him her them his hers their its i we you".split())
_LAWYER_HEADS = frozenset({"lawyer", "attorney", "counsel"})
# Experts a government body employs speak for it ("the IMF's chief economist"); its doctors and
# scholars keep their trade.
_STAFF_EXPERTS = frozenset({"economist", "analyst", "statistician", "scientist", "researcher", "demographer",
                            "epidemiologist", "specialist"})
_HONORIFICS = frozenset({"and", "mr", "mrs", "ms", "miss", "mx", "&"})
_NEWS_PIECES = frozenset({"article", "report", "editorial", "story", "column", "analysis", "investigation", "piece"})
_CHAIRS = frozenset({"chairman", "chairwoman", "chair", "chairperson", "vice chairman"})
# A lawyer speaking for a client ("a lawyer for the family", "Smith's attorney") speaks for that
# party, not as an expert.
_CLIENT = re.compile(r"\b(?:lawyers?|attorneys?)\s+(?:for|representing)\b|['’]s?\s+(?:\w+\s+)?(?:lawyers?|attorneys?)\b|"
                     r"\b(?:his|her|their|its)\s+(?:\w+\s+)?(?:lawyers?|attorneys?)\b", re.I)
_CLIENT_BODY = re.compile(r"\b(?:for|representing)\s+(?P<body>[^,;]+)|"
                          r"(?P<owner>[\w\s.&-]+?)['’]s?\s+(?:\w+\s+)?(?:lawyers?|attorneys?)\b", re.I)
# A private client: the lawyer of a family or of victims speaks for private people.
_PRIVATE_CLIENT = re.compile(r"\b(?:for|representing)\s+(?:the\s+|his\s+|her\s+|their\s+)?(?:\w+['’]s?\s+)?"
                             r"(?:family|families|relatives|parents|victims?|widow|widower|estate|loved\s+ones)\b|"
                             r"\b(?:family|families|victims?|widow)['’]s?\s+(?:\w+\s+)?(?:lawyers?|attorneys?)\b", re.I)


def _singular(word: str) -> str:
    if word.endswith("people") or word.endswith("ss"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("men") and len(word) > 4:
        return word[:-3] + "man"  # spokesmen, congressmen
    if word.endswith("s") and len(word) > 3:
        return word[:-1]
    return word


def _word_key(word: str) -> str:
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return w.strip(".'-").replace(".", "")


def _head(text: str) -> tuple[str | None, str]:
    """The head noun phrase of a description ("vice president", "expert") and the words up to it."""
    padded = " " + text + " "
    m = _HEAD_END.search(padded, 1)  # not before the first word ("published reports")
    prefix = (padded[: m.start()] if m else padded).strip()
    words = [k for k in (_word_key(w) for w in _WORD.findall(prefix)) if k]
    if not words:
        return None, prefix
    lex = lexicon()
    if m and m.group(0).strip().lower() == "of":
        # "chief of staff", "secretary of state": a head that spans the "of".
        following = _WORD.findall(padded[m.end():])
        if following:
            spanning = f"{words[-1]} of {_word_key(following[0])}"
            if spanning in lex.heads or spanning in lex.generic:
                return spanning, prefix
    for n in (3, 2, 1):
        if len(words) < n:
            continue
        phrase = " ".join(words[-n:])
        for cand in (phrase, " ".join([*words[-n:-1], _singular(words[-1])])):
            if cand in lex.generic or cand in lex.heads:
                return cand, prefix
    return _singular(words[-1]), prefix


# "NYPD", "LAPD": the initials U.S. cities give their police departments.
_POLICE_INITIALS = re.compile(r"(?<![\w-])[A-Z]{1,5}PD(?![\w-])")
# The capitalised name that an institution word stands in ("the Center of Media Justice").
_NAME_FROM = re.compile(r"(?:[A-Z][\w'’.&-]*|of|for|on|and|the|&)(?:\s+(?:[A-Z][\w'’.&-]*|of|for|on|and|the|&))*")


def _institution_kind(text: str, after: int = 0) -> str | None:
    """The kind of the first institution the text names ("the Justice Department" -> official).

    A centre or institute whose name names a cause ("Justice", "Equality") campaigns for it: an
    advocate, not a research body."""
    # "post-debate", "news-style": a lower-case word before a hyphen is a prefix, not a name.
    hits = [h for h in lexicon().institutions.find(text)
            if not (text[h.end:h.end + 1] == "-" and text[h.start:h.start + 1].islower())]
    police = _POLICE_INITIALS.search(text)
    if police:
        hits = sorted([*hits, Hit(police.start(), police.end(), police.group(0), "military")],
                      key=lambda h: h.start)
    later = [h for h in hits if h.start >= after] or hits
    if not later:
        return None
    first = later[0]
    if first.value == "expert" and text[first.start:first.start + 1].isupper():
        name = _NAME_FROM.match(text, first.start)
        if name and lexicon().advocacy_names.search(name.group(0)):
            return "advocate"
    return first.value


def _international(text: str) -> bool:
    """The description names a body of governments together (the U.N., the European Commission)."""
    return lexicon().international.first(text) is not None


def _names_other_body(text: str) -> bool:
    """The description names an organisation that no word list knows ("president of the Acme Guild")."""
    lex = lexicon()
    return affiliation.organisation(text, lex.institutions, lex.titles) is not None


def _generic_role(head: str, text: str, prefix: str) -> str | None:
    """Role of a head that belongs to an institution: the institution's kind, else the default."""
    default = lexicon().generic[head]
    kind = _institution_kind(text)
    if kind is not None:
        # The chair of a Senate committee or the president of a national government is a politician.
        chair = default == "politician" or head in _CHAIRS
        if default == "business" and kind == "journalist":
            return "business"  # a television network's executive or founder runs a company, not a newsroom
        if chair and kind == "official" and (head == "leader" or not _international(text)):
            return "politician"  # but "E.U. leaders" are the heads of its governments
        return kind
    if head in lexicon().unknown_body and _names_other_body(text):
        return lexicon().unknown_body[head]  # "executive director of the Acme Guild": a nonprofit
    if default in ("politician", "military", "citizen") and _names_other_body(text):
        return None  # the president of an organisation the lists do not know (a founder's is a firm)
    return default or None


def _head_role(head: str, text: str, prefix: str) -> str | None:
    lex = lexicon()
    if lex.heads.get(head) == "organisation" and _capitalised_head(text, head):
        return None  # "the New York Post" is a name, not a post on a website
    if head in _NEWS_PIECES and _institution_kind(re.sub(rf"\b{head}\w*", " ", text, flags=re.I)) == "journalist":
        return "journalist"  # "a Times article", "a network's report": the newsroom's own reporting
    if head == "architect" and re.search(r"\barchitects?\s+of\b", text, re.I) \
            and _institution_kind(text) in ("politician", "official"):
        return None  # "the architect of the senator's campaign" built no building: the other words decide
    if head == "fellow":
        return "expert" if lex.academic.first(text) or lex.fellow.search(text) else NOTHING
    if head in _LAWYER_HEADS:
        return _lawyer_role(text, prefix)
    if head in lex.generic:
        return _generic_role(head, text, prefix)
    role = lex.head_role(head)
    if head in _STAFF_EXPERTS and _institution_kind(text) == "official" \
            and not lex.former.search(text):
        return "official"  # "the IMF's chief economist", "an analyst at the Census Bureau" work for the body
    if role == "official":
        kind = _institution_kind(text)
        if kind == "military" and head not in lex.high_offices:
            return "military"  # "Pentagon officials", but the secretary of a security department is one
        if kind == "politician" and re.search(r"\bcampaign|\bparty\b|national committee", text, re.I):
            return "politician"  # campaign and party staff hold no government office
    return role


def _lawyer_role(text: str, prefix: str) -> str:
    """A lawyer speaks for a client whose kind the description names, else comments as an expert."""
    if _PRIVATE_CLIENT.search(text):
        return "citizen"
    client = _CLIENT_BODY.search(text)
    hits = lexicon().institutions.find(client.group("body") or client.group("owner")) if client else []
    kind = hits[-1].value if hits else None  # the body's own kind: "the hotel workers' union" is a union
    if kind is not None:
        return kind  # "a lawyer for the Justice Department" speaks for a government body
    return NOTHING if _has_client(text, prefix) else "expert"


def _capitalised_head(text: str, head: str) -> bool:
    words = [w for w in _WORD.findall(text) if _word_key(w) == head or _singular(_word_key(w)) == head]
    return bool(words) and words[0][:1].isupper() and not text.startswith(words[0])


def _has_client(text: str, prefix: str) -> bool:
    """"a lawyer for the family", "Smith's attorney", "Smith lawyer": speaking for a client."""
    if _CLIENT.search(text):
        return True
    words = prefix.split()
    before = words[-2] if len(words) >= 2 else ""
    return before[:1].isupper() and not affiliation.is_place(before) and before.lower() not in ("a", "an", "the")


def _after_former(role: str, head: str) -> str:
    """A former office holder speaks as a commentator, except from high elected office."""
    if role == "official":
        return "politician" if head in lexicon().high_offices else "expert"
    return role


def _side(role: str, text: str, former: bool = False) -> str | None:
    """The country, party or organisation a description ties the source to, as fits the role."""
    lex = lexicon()
    if role == "politician":
        return (affiliation.party(text) or affiliation.campaign(text) or affiliation.country(text)
                or (affiliation.US if affiliation.us_state(text) else None))
    if role in ("official", "military", "state media", "anonymous", "unknown"):
        return affiliation.country(text) or (affiliation.US if affiliation.us_state(text) else None)
    if role in ("expert", "advocate", "business", "journalist"):
        if former:
            return _former_side(text)
        return affiliation.organisation(text, lex.institutions, lex.titles) or affiliation.country(text)
    return None


_NOW = re.compile(r"\s(?:who|now|which|and is|and now)\s", re.I)


def _former_side(text: str) -> str | None:
    """"a former State Department official" -> "State Department (former)", unless the description
    says where the person is now ("a retired diplomat who now teaches at Georgetown")."""
    lex = lexicon()
    m = _NOW.search(text)
    if m:
        now = affiliation.organisation(text[m.start():], lex.institutions, lex.titles)
        if now:
            return now
    then = affiliation.organisation(text[:m.start()] if m else text, lex.institutions, lex.titles)
    return f"{then} (former)" if then else None


def _guess(role: str, text: str, former: bool = False) -> RoleGuess:
    return RoleGuess(role, _side(role, text, former), text)


# The agency is the channel the words reached the reader by: "cited by KCNA", "told Xinhua".
_CARRIED_BY = re.compile(r"\b(?:cited|quoted|carried|reported|published|released|broadcast)\s+(?:by|in|on)\b|"
                         r"\b(?:told|according\s+to|in\s+an?\s+interview\s+with)\b", re.I)


def _state_media_rule(text: str, context: str) -> RoleGuess | None:
    """A state agency or broadcaster named as the source, its staff ("RT host"), or the channel the
    words came by; not a company that merely deals with one ("the chief executive of a firm that
    produces RT programmes" is business)."""
    if not lexicon().state_media.search(text):
        return None
    head, prefix = _head(text)
    role = _head_role(head, text, prefix) if head else None
    if role in (None, NOTHING, "official", "journalist", "organisation") or _CARRIED_BY.search(text):
        if role == "journalist" and lexicon().former.search(prefix):
            return _guess("journalist", text)  # "a former RT correspondent" no longer speaks for the state
        return _guess("state media", text)
    return None


def _anonymous_rule(text: str, context: str) -> RoleGuess | None:
    lex = lexicon()
    if lex.anonymous_strong.first(text):
        return _guess("anonymous", text)
    head, _ = _head(text)
    if head in lex.anonymous_heads and lex.anonymous_weak.first(text):
        return _guess("anonymous", text)
    return None


def _party_tag_rule(text: str, context: str) -> RoleGuess | None:
    """"(D-Mass.)", "R-Fla": the tag U.S. papers put after a lawmaker's name."""
    if affiliation.has_party_tag(text):
        return _guess("politician", text)
    return None


def _head_rule(text: str, context: str) -> RoleGuess | None:
    head, prefix = _head(text)
    if head is None:
        return None
    role = _head_role(head, context, prefix)
    if role is None or role == NOTHING:
        return None if role is None else RoleGuess(NOTHING, None, text)
    former = bool(lexicon().former.search(prefix))
    if former:
        role = _after_former(role, head)
    return RoleGuess(role, _side(role, context, former and role == "expert"), text)


def _conjunct_rule(text: str, context: str) -> RoleGuess | None:
    """"the architect of her 2008 campaign and a close aide": each conjunct's head, in turn."""
    parts = [p.strip() for p in re.split(r"\s+and\s+|,\s+", text) if p.strip()]
    for part in parts[1:]:
        guess = _head_rule(part, context)
        if guess is not None and guess.role:
            return RoleGuess(guess.role, guess.side, text)
    return None


_POSSESSIVE_END = re.compile(r"['’]s?$")
# How news introduces an ordinary person: an age, a home town ("59, of Ashton, Md.", "of Dayton, Ohio").
_AGE = re.compile(r"^\d{1,3}(?:,|$)")
_HOME = re.compile(r"^(?:\d{1,3},\s+)?of\s+(?P<town>[A-Z][\w.'’ -]*?)(?:,\s+(?P<state>[A-Z][\w.]*(?:\s[A-Z][\w.]*)?))?$")
# "at the National Review", "with the Cato Institute": the body the person belongs to.
_AT_BODY = re.compile(r"^(?:at|with|of|from)\s+(?P<rest>(?:the\s+)?[A-Z].*)$")
# "one of the X", "nearly eight of 10 X", "two-thirds of X", "40 percent of X": the X are the source.
_ONE_OF = re.compile(r"^(?:(?:nearly|almost|about|around|roughly|some|only|just|at\s+least|more\s+than|fewer\s+than|"
                     r"less\s+than|over|under)\s+)?(?:an?\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                     r"some|many|most|several|half|all|none|majority|third|quarter|fifth|two-thirds|three-quarters|"
                     r"three-fourths|\d+(?:\.\d+)?)(?:\s*(?:percent|per\s+cent|%))?\s+"
                     r"(?:in|out\s+of|of)\s+(?:the\s+|his\s+|her\s+|their\s+|those\s+|these\s+)?(?:\d+\s+|ten\s+)?(?P<rest>.+)$",
                     re.I)
# "a group of parents", "a chorus of prominent Republicans": the people the group is made of.
_GROUP_OF = re.compile(r"^(?:(?:a|an|the)\s+)?(?:\w+\s+)?(?:group|handful|number|couple|pair|crowd|chorus|coalition|"
                       r"team|panel|band|host|gathering|delegation|bunch|dozen|dozens|hundreds|thousands)\s+of\s+"
                       r"(?P<rest>\w.+)$", re.I)
# "an analysis by Jane Doe, a tax scholar at ...": a document speaks with its author's standing.
_AUTHORED = re.compile(r"^(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,2}?(?:analysis|study|report|paper|book|column|op-ed|"
                       r"essay|memo|letter|survey|review)\s+(?:by|from)\s+(?:[A-Z][\w.'’-]*\s+){1,3}?[A-Z][\w.'’-]*,\s+"
                       r"(?P<rest>(?:a|an|the|his|her)\s.+)$")


def _resident_rule(text: str, context: str) -> RoleGuess | None:
    """"Jane Doe, 59, of Ashton, Md.": the age and town news gives a resident it quotes (a town
    with its state, or a known place; "of Acme Corp." is an employer)."""
    if _AGE.match(text):
        return RoleGuess("citizen", None, text)
    m = _HOME.match(text)
    if m and (m.group("state") or affiliation.is_place(m.group("town"))):
        return RoleGuess("citizen", None, text)
    return None


# "a former tax aide now teaching at ...": what the person is now, after what they were.
_NOW_AFTER_FORMER = re.compile(r"\s(?:and\s+|who\s+is\s+)?now\s+(?P<rest>\S.+)$", re.I)


def _rewrite_rule(text: str, context: str) -> RoleGuess | None:
    """A relative clause or "one of the X" read as the noun phrase it stands for; a past
    office followed by "now ..." read as the present."""
    now = _NOW_AFTER_FORMER.search(text)
    if now and lexicon().former.search(text[:now.start()]):
        rest = now.group("rest")
        guess = classify_description(rest) or classify_description("who " + rest)
        if guess is not None:
            return RoleGuess(guess.role, guess.side, text)
    m = _ONE_OF.match(text) or _AUTHORED.match(text) or _GROUP_OF.match(text)
    rewritten = m.group("rest") if m else None
    at = _AT_BODY.match(text) if rewritten is None else None
    if at:
        rewritten = "member of " + at.group("rest")
    if rewritten is None:
        for pattern, template in lexicon().clauses:
            if pattern.match(text):
                rewritten = pattern.sub(template, text)
                break
    if not rewritten or rewritten == text:
        return None
    guess = classify_description(rewritten)
    return RoleGuess(guess.role, guess.side, text) if guess else RoleGuess(NOTHING, None, text)


def _institution_rule(text: str, context: str) -> RoleGuess | None:
    """A name with no role head: the kind of institution its last capitalised institution word
    names ("Wall Street Journal", "Yahoo News"); lower-case words ("house arrest") are not names."""
    hits = [h for h in lexicon().institutions.find(text) if text[h.start:h.start + 1].isupper()]
    if not hits:
        return None
    return _guess(hits[-1].value, text)


_RULES = (_state_media_rule, _anonymous_rule, _party_tag_rule, _resident_rule, _rewrite_rule, _head_rule,
          _conjunct_rule, _institution_rule)


def classify_description(description: str, *, named_person: bool = False) -> RoleGuess | None:
    """The role one description gives, or None when it says nothing about the role.

    Order matters: the state-media test comes first because a spokesperson *cited by* a news
    agency reaches the reader as that agency's copy; then anonymity; then the party tag; then an
    age or home town; then relative clauses and "one of the X" read as noun phrases; then the
    head noun; then the heads of later conjuncts; then, with no head, the kind of institution
    named. For a named person (`named_person`), a bare institution name ("Canadian Press", next
    to a photo) says where the words were printed, not what the person is: it gives no role.
    """
    text = " ".join(description.split())
    if not text:
        return None
    if not any(c.isalpha() for c in text):
        return _resident_rule(text, text)  # "Jane Doe, 31, said": an age alone
    for rule in _RULES:
        if named_person and rule is _institution_rule and not _POSSESSIVE_END.search(text):
            continue  # but "NBC's Jane Doe" works there
        guess = rule(text, text)
        if guess is not None:
            return guess if guess.role else None
    return None


def find_side(text: str) -> str | None:
    """The country (or, failing that, the U.S. party) a phrase ties someone to."""
    return affiliation.country(text) or affiliation.party(text)


def _split(phrases: Iterable[str]) -> list[str]:
    """Description parts: the quote extractor joins an appositive and a title with "; "."""
    out: list[str] = []
    for p in phrases:
        if p and isinstance(p, str):
            out.extend(part.strip() for part in p.split(";") if part.strip())
    return out


def _name_words(name: str) -> set[str]:
    return {_word_key(w) for w in _WORD.findall(name)}


def _title_part(mention: str, name_words: set[str]) -> str:
    """What a mention says beyond the name: "President Doe" -> "President"."""
    words = mention.split()
    while words and _word_key(words[-1]) in name_words:
        words.pop()
    return " ".join(words)


def _names_of_people(name: str) -> bool:
    """"Jane Doe and John Roe": full names joined, each of two or more capitalised words."""
    parts = [p for p in _CONJOINED.split(name) if p]
    return len(parts) >= 2 and all(len(p.split()) >= 2 and all(w[:1].isupper() for w in p.split()) for p in parts)


def _evidence_phrases(name: str, person: bool, descriptions: Iterable[str], mentions: Iterable[str],
                      context: Iterable[str]) -> list[str]:
    """Every phrase that may tell the role, in the order they are shown as evidence."""
    own = _name_words(name) if person or _names_of_people(name) else set()
    phrases = _split(descriptions)
    for m in _split(mentions):
        if m.lower() in _PRONOUNS:
            continue
        part = _title_part(m, own) if person else m
        if part and part != name:
            phrases.append(part)
    if name and (not person or name[:1].islower()):
        phrases.append(name)
    phrases = [p.strip(" \"“”'‘’,;:") for p in phrases]
    phrases.extend(_split(context))
    # A phrase that is only words of the person's own name ("King" for a Mr. King) says nothing.
    # Nor do names joined with honorifics ("King and Mr. Schultz" for two hosts named King and Schultz).
    phrases = [p for p in phrases if not (own and _name_words(p) - _HONORIFICS and _name_words(p) - _HONORIFICS <= own)]
    return list(dict.fromkeys(phrases))


def guess_role(name: str, label: str | None, descriptions: Iterable[str],
               mentions: Iterable[str] = (), context: Iterable[str] = ()) -> RoleGuess:
    """Combine the evidence of every description, title, the name and the wider coverage.

    `descriptions` come with the quotes, `mentions` are the words at the quotes ("President
    Doe"), `context` the descriptions the corpus gives the same person elsewhere, most common
    first. Each phrase votes; the most frequent role wins and `_PRIORITY` breaks ties. The evidence
    shown is the first phrase that voted for the winner, and the side is the one that most phrases
    for the winner name.
    """
    name = (name or "").strip()
    descriptions, mentions = list(descriptions), list(mentions)
    person = (label or "").upper() == "PERSON" and not name[:1].islower()
    votes = []
    for phrase in _evidence_phrases(name, person, descriptions, mentions, context):
        g = classify_description(phrase, named_person=person and phrase != name)
        if g is not None and not (person and g.role in _NOT_A_PERSON):
            votes.append(g)
    # Words carried by a state agency reach the reader as that agency's copy, whoever the agency
    # cites ("a ministry spokesperson, cited by the state news agency"): that decides alone.
    state = [v for v in votes if v.role == "state media"]
    if state:
        votes = state
    if not votes:
        return _no_evidence(name, label, person)
    counts = Counter(v.role for v in votes)
    role = min(counts, key=lambda r: (-counts[r], _PRIORITY[r]))
    chosen = [v for v in votes if v.role == role]
    sides = Counter(v.side for v in chosen if v.side)
    side = sides.most_common(1)[0][0] if sides else None
    if side is None and role in ("official", "state media", "politician"):
        side = find_side(" ".join([name, *_split(descriptions)]))
    return RoleGuess(role, side, chosen[0].evidence)


def _no_evidence(name: str, label: str | None, person: bool) -> RoleGuess:
    """No phrase tells the role: a country speaks through its government ("North Korea said"), a
    named organisation is one, anything else is unknown."""
    if not person and name and affiliation.is_place(name) and affiliation.country(name):
        return RoleGuess("official", affiliation.country(name), name)
    if not person and (label or "").upper() == "ORG" and name:
        return RoleGuess("organisation", find_side(name), name)
    return RoleGuess("unknown", find_side(name) if name and not person else None, "")


@dataclass(frozen=True)
class Override:
    role: str | None
    side: str | None
    note: str | None


def _norm_key(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.lower()).split())


# The analyst may write a role as its id, its label, or with underscores ("state_media").
_ROLE_NAMES = {**{_norm_key(r): r for r in ROLES}, **{_norm_key(label): r for r, label in ROLE_LABELS.items()},
               "organization": "organisation", "organization or document": "organisation"}


def role_id(text: str) -> str | None:
    """The role id an analyst's word names ("Expert or analyst", "state_media"), or None."""
    return _ROLE_NAMES.get(_norm_key(text.replace("_", " ")))


def load_overrides(path: Path | str) -> dict[str, Override]:
    """Read `speakers.csv` (speaker, role, side, note); blank cells keep the guess.

    A bad row (unknown role, no speaker) is skipped with a warning naming the line, so one typo
    does not take the dashboard down.
    """
    path = Path(path)
    out: dict[str, Override] = {}
    with path.open(newline="", encoding="utf-8-sig") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
        reader = csv.DictReader(fh, delimiter=delimiter)
        for lineno, row in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
            speaker = row.get("speaker") or row.get("speaker_key") or row.get("name")
            if not speaker:
                warnings.warn(f"{path}:{lineno}: no speaker, row skipped", stacklevel=2)
                continue
            written = row.get("role") or ""
            role = role_id(written) if written else None
            if written and role is None:
                warnings.warn(f"{path}:{lineno}: unknown role {written.lower()!r} (use one of {', '.join(ROLES)}), "
                              "row skipped", stacklevel=2)
                continue
            out[_norm_key(speaker)] = Override(role, row.get("side") or None, row.get("note") or None)
    return out


def assign_roles(speakers: pd.DataFrame, overrides: Path | None) -> pd.DataFrame:
    """One role per corpus speaker: the rules' guess, unless the analyst's file says otherwise.

    Input columns: `speaker_key`, `label`, `descriptions` (list[str]), `mentions` (list[str]),
    optionally `context` (list[str], descriptions of the same person elsewhere in the corpus);
    any other column is kept. Adds `role`, `role_label`, `side`, `role_evidence`, `role_source`.
    """
    overrides_table = load_overrides(overrides) if overrides and Path(overrides).is_file() else {}
    has_context = "context" in speakers.columns
    keys: list[str] = []
    guesses: list[RoleGuess] = []
    phrases: list[list[str]] = []
    for row in speakers.itertuples(index=False):
        key = getattr(row, "speaker_key", None) or ""
        descriptions = _as_list(getattr(row, "descriptions", None))
        context = _as_list(getattr(row, "context", None)) if has_context else []
        keys.append(key)
        guesses.append(guess_role(key, getattr(row, "label", None), descriptions,
                                  _as_list(getattr(row, "mentions", None)), context))
        phrases.append(_split([*descriptions, *context]))
    guesses = _staff_of_politicians(keys, guesses, phrases)
    guesses = _conjoined_speakers(keys, guesses)
    guesses = _private_people(speakers, guesses)
    roles, sides, evidence, source = [], [], [], []
    for key, guess in zip(keys, guesses, strict=True):
        role, side, ev, src = guess.role, guess.side, guess.evidence or None, "guess"
        ov = overrides_table.get(_norm_key(key)) if key else None
        if ov is not None:
            role = ov.role or role
            side = ov.side if ov.side is not None else (side if role == guess.role else None)
            ev = ov.note or "set in speakers.csv"
            src = "override"
        roles.append(role)
        sides.append(side)
        evidence.append(ev)
        source.append(src)
    out = speakers.copy()
    out["role"] = pd.Series(roles, index=out.index, dtype="string")
    out["role_label"] = pd.Series([ROLE_LABELS[r] for r in roles], index=out.index, dtype="string")
    out["side"] = pd.Series(sides, index=out.index, dtype="string")
    out["role_evidence"] = pd.Series(evidence, index=out.index, dtype="string")
    out["role_source"] = pd.Series(source, index=out.index, dtype="string")
    return out


# The titles of a politician's staff, shared by both shapes below.
_STAFF_TITLES = (r"spokes(?:man|woman|person)|aide|adviser|advisor|press\s+secretary|communications?\s+director|"
                 r"strategist|speechwriter")
# "Stein spokeswoman", "a Doe campaign aide", "Roe's communications director": the staff of a named person.
_STAFF = re.compile(r"^(?:(?:a|an|the)\s+)?(?:top\s+|senior\s+|longtime\s+|chief\s+)?(?P<name>[A-Z][\w'’-]+?)(?:['’]s)?\s+"
                    rf"(?:campaign\s+)?(?:{_STAFF_TITLES}|chief\s+of\s+staff|manager|team|camp|staff)$")
# "a spokeswoman for Jane Doe", "a senior adviser to Doe's campaign": the same, the name after.
_STAFF_FOR = re.compile(r"^(?:(?:[Aa]n?|[Tt]he)\s+)?(?:top\s+|senior\s+|longtime\s+|chief\s+)?(?:campaign\s+)?"
                        rf"(?:{_STAFF_TITLES})\s+(?:for|to)\s+(?:[A-Z][\w.'’-]*\s+)*?(?P<name>[A-Z][\w'’-]+?)"
                        r"(?:['’]s)?(?:\s+(?:campaign|team))?$")


def _staff_of_politicians(keys: list[str], guesses: list[RoleGuess], phrases: list[list[str]]) -> list[RoleGuess]:
    """The spokesperson or aide of a person the coverage shows as a politician speaks for a
    politician: a campaign or party figure, on that politician's side."""
    politicians: dict[str, RoleGuess] = {}
    for key, guess in zip(keys, guesses, strict=True):
        words = key.split()
        if guess.role == "politician" and len(words) >= 2:
            politicians.setdefault(words[-1], guess)
    out = []
    for key, guess, said in zip(keys, guesses, phrases, strict=True):
        if guess.role in ("official", "unknown", "organisation"):
            for phrase in [key, *said]:  # an unnamed speaker is its own description ("A spokeswoman for Doe")
                m = _STAFF.match(phrase.strip()) or _STAFF_FOR.match(phrase.strip())
                boss = politicians.get(m.group("name")) if m else None
                if boss is not None and not lexicon().former.search(phrase):
                    side = boss.side or f"{m.group('name')} campaign"  # type: ignore[union-attr]
                    guess = RoleGuess("politician", side, phrase)
                    break
        out.append(guess)
    return out


PRIVATE_PERSON = "named in full without a title or affiliation anywhere in the coverage"
GIVEN_NAME_ONLY = "named by a given name only, without a title or affiliation anywhere in the coverage"
# A voice from the street is quoted once or twice; a person quoted at length is the story's
# subject, whom the article may introduce in ways the rules do not read.
PRIVATE_MAX_QUOTES = 3


def _private_people(speakers: pd.DataFrame, guesses: list[RoleGuess]) -> list[RoleGuess]:
    """News introduces officials, experts and office holders by what they are; a person it
    names in full in one article only, with no title, description or affiliation anywhere, is
    quoted as a private person (a voter, a witness, a parent at a rally), in a few quotes. So is
    a person it names by a common given name alone ("Melanie said"), however often quoted: public
    figures are named in full."""
    if "article_count" not in speakers.columns:
        return guesses
    spread = speakers["mentioned_articles"] if "mentioned_articles" in speakers.columns else speakers["article_count"]
    has_context = "context" in speakers.columns
    out = []
    for i, (row, guess) in enumerate(zip(speakers.itertuples(index=False), guesses, strict=True)):
        key = getattr(row, "speaker_key", None) or ""
        # A phrase of the person's own name ("Jane" for Jane Doe, as the parser may cut it) or an
        # honorific alone says nothing of a title or an affiliation.
        own = _name_words(key) | _HONORIFICS
        said = [p for p in _split([*_as_list(getattr(row, "descriptions", None)),
                                   *(_as_list(getattr(row, "context", None)) if has_context else [])])
                if not _name_words(p) <= own]
        words = key.split()
        if (guess.role == "unknown" and (getattr(row, "label", None) or "").upper() == "PERSON"
                and len(words) >= 2 and all(w[:1].isupper() for w in words) and not key.isupper()
                and not said and _spread(spread.iloc[i]) <= 1
                and _spread(getattr(row, "quote_count", 1)) <= PRIVATE_MAX_QUOTES):
            guess = RoleGuess("citizen", None, PRIVATE_PERSON)
        elif (guess.role == "unknown" and (getattr(row, "label", None) or "").upper() == "PERSON"
                and len(words) == 1 and words[0].lower() in first_name_genders()
                and not said and _spread(spread.iloc[i]) <= 1):
            guess = RoleGuess("citizen", None, GIVEN_NAME_ONLY)  # news names only private people so, at any length
        out.append(guess)
    return out


def _spread(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


_CONJOINED = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)")


def _conjoined_speakers(keys: list[str], guesses: list[RoleGuess]) -> list[RoleGuess]:
    """"Jane Doe and John Roe" quoted together speak in the role both have elsewhere in the
    coverage (two senators are politicians); people of different roles keep the pair unknown."""
    known = {k: g for k, g in zip(keys, guesses, strict=True) if g.role not in ("unknown", NOTHING)}
    by_surname: dict[str, list[RoleGuess]] = {}
    for k, g in known.items():
        if len(k.split()) >= 2:
            by_surname.setdefault(k.split()[-1], []).append(g)
    out = []
    for key, guess in zip(keys, guesses, strict=True):
        parts = [p for p in _CONJOINED.split(key) if p] if guess.role == "unknown" else []
        found: list[RoleGuess] = []
        for part in parts if len(parts) >= 2 else []:
            one = known.get(part)
            if one is None and len(by_surname.get(part.split()[-1], [])) == 1:
                one = by_surname[part.split()[-1]][0]
            if one is None:
                break  # a part the coverage gives no role: the pair stays unknown
            found.append(one)
        roles = {g.role for g in found}
        if len(parts) >= 2 and len(found) == len(parts) and len(roles) == 1:
            sides = {g.side for g in found}
            role = roles.pop()
            guess = RoleGuess(role, sides.pop() if len(sides) == 1 else None,
                              " and ".join(f"{p}: {g.evidence or ROLE_LABELS[role]}"
                                           for p, g in zip(parts, found, strict=True)))
        out.append(guess)
    return out


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        return [v for v in value if isinstance(v, str)]
    except TypeError:
        return []


def speaker_table(quotes: Iterable, key_of: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The `assign_roles` input built from Quote records, for callers without a corpus store.

    Mirrors what `analysis.corpus` gathers with SQL: per speaker key, the most common label and
    the distinct descriptions and mentions across articles.
    """
    rows: dict[str, dict] = {}
    for q in quotes:
        if not q.speaker:
            continue
        key = key_of.get(q.speaker, q.speaker) if key_of else q.speaker
        r = rows.setdefault(key, {"speaker_key": key, "labels": Counter(), "descriptions": [],
                                  "mentions": [], "quote_count": 0, "articles": set()})
        if q.speaker_label:
            r["labels"][q.speaker_label] += 1
        if q.speaker_description and q.speaker_description not in r["descriptions"]:
            r["descriptions"].append(q.speaker_description)
        if q.speaker_mention and q.speaker_mention not in r["mentions"]:
            r["mentions"].append(q.speaker_mention)
        r["quote_count"] += 1
        r["articles"].add(q.article_id)
    records = [{"speaker_key": r["speaker_key"],
                "label": r["labels"].most_common(1)[0][0] if r["labels"] else None,
                "descriptions": r["descriptions"], "mentions": r["mentions"],
                "quote_count": r["quote_count"], "article_count": len(r["articles"])}
               for r in rows.values()]
    return pd.DataFrame(records, columns=["speaker_key", "label", "descriptions", "mentions",
                                          "quote_count", "article_count"])
