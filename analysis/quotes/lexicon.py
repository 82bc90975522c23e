"""The words that introduce speech and the words that name who speaks.

Reporting verbs and the nouns of speakers are kept as data (`analysis/data/reporting_verbs.txt`,
`analysis/data/quote_words.txt`) so an analyst can extend the lists without touching code. A
verb is a cue only in a verbal reading: "the report" is a noun, "reported" a cue.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from analysis import wordlists

PERSONAL = {"he", "she", "him", "her"}
PLURAL_PRONOUNS = {"they", "them", "we"}
NAME_ENTS = {"PERSON"}
ORG_ENTS = {"ORG", "GPE", "NORP", "FAC"}

_words = wordlists.sections("quote_words.txt")
DOCUMENT_NOUNS = _words["document"]  # "the statement said" speaks for its author
NOT_PEOPLE = _words["not_person"]  # "the data show": neither a person nor an institution
ORG_NOUNS = _words["organisation"]  # "the company said" speaks for the organisation last named
ROLE_NOUNS = _words["role"]
AUTHORING_VERBS = _words["authoring"]
CITING_VERBS = _words["citing"]
REFUSALS = _words["refusal"]
SECTION_LABELS = _words["section_label"]  # "WATCH:" announces a section, never a transcript's speaker
NAMING_VERBS = _words["naming"]  # "called the plan “a disgrace”": the quoted label is the subject's words
DIRECTIVE_VERBS = _words["directive"]  # "urged voters to stay home"
PLEDGE_VERBS = _words["pledge"]  # "vowed to repeal the law"
INFERENCE_VERBS = _words["inference"]  # "the study suggests": a finding, not words
CLAIM_NOUNS = _words["claim_noun"]  # "her claim that …": the clause is her words
MEDIA_NOUNS = _words["medium"]  # "said in an interview", "wrote on Facebook": the channel of the words
# Heads of a description that name no person (an organisation, a document, a poll).
NOT_SPEAKER_NOUNS = ORG_NOUNS | DOCUMENT_NOUNS | NOT_PEOPLE
ROLE_SUFFIXES = ("er", "or", "ist", "ian", "man", "woman", "person", "ess", "ant", "ent")
PERSON_NOUNS = _words["person"]  # "the victim", "the forward": nouns for a person that no suffix tells
PARTY_MEMBERS = _words["party_member"]  # "the Ohio Republican said": one person, described by party
FEMALE_NOUNS = _words["female_noun"]
MALE_NOUNS = _words["male_noun"]


@lru_cache(maxsize=1)
def cue_lexicon() -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    """(lemmas for any speech, lemmas only next to quotation marks, verb -> particle) from the data file."""
    indirect: set[str] = set()
    direct_only: set[str] = set()
    phrasal: dict[str, str] = {}
    for row in wordlists.table("reporting_verbs.txt"):
        words = row[0].split()
        direct = len(row) > 1 and row[1] == "direct"
        if len(words) == 2:
            phrasal[words[0]] = words[1]
        elif direct:
            direct_only.add(words[0])
        else:
            indirect.add(words[0])
    return frozenset(indirect), frozenset(direct_only), phrasal


@lru_cache(maxsize=1)
def cue_words() -> frozenset[str]:
    """Every lemma that can make a token a cue for some pass: reporting verbs, naming, directive
    and pledge verbs, nouns of saying."""
    indirect, direct_only, phrasal = cue_lexicon()
    return frozenset(indirect | direct_only | set(phrasal) | NAMING_VERBS | DIRECTIVE_VERBS | PLEDGE_VERBS
                     | CLAIM_NOUNS)


def is_cue(tok: Token, *, direct: bool) -> bool:
    """Whether the token is a reporting verb; `direct`: also the verbs that need quotation marks."""
    if tok.pos_ not in ("VERB", "AUX") and tok.tag_ not in ("VBD", "VBZ", "VBP", "VBG", "VBN", "VB"):
        return False
    lemma = tok.lemma_.lower()
    indirect, direct_only, phrasal = cue_lexicon()
    if lemma in indirect or (direct and lemma in direct_only):
        return True
    particle = phrasal.get(lemma)
    return particle is not None and any(c.dep_ == "prt" and c.lower_ == particle for c in tok.children)


def is_according(tok: Token) -> bool:
    return tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children)


def cue_text(tok: Token) -> str:
    """The cue as an analyst reads it: "said", "according to", "pointed out"."""
    if is_according(tok):
        return "according to"
    _, _, phrasal = cue_lexicon()
    particle = phrasal.get(tok.lemma_.lower())
    if particle:
        return f"{tok.text} {particle}"
    return tok.text


def negated(cue: Token) -> bool:
    """"did not say whether", "declined to say why": the absence of a statement is not a quote; nor
    is a supposition ("Let's say you buy a house": no one says it)."""
    if any(c.dep_ == "neg" for c in cue.children):
        return True
    if cue.head.lower_ == "let" and cue.head.i < cue.i and \
            any(c.lower_ in ("'s", "’s", "us") for c in (*cue.children, *cue.head.children)):
        return True
    return cue.dep_ == "xcomp" and (cue.head.lemma_.lower() in REFUSALS or
                                    any(c.dep_ == "neg" for c in cue.head.children))


def names_oneself(cue: Token) -> bool:
    """"a man calling himself the Night Owl": the name someone goes by, not anything they said."""
    return cue.lemma_.lower() in NAMING_VERBS and any(
        c.dep_ == "dobj" and c.lower_ in ("himself", "herself", "themselves", "itself", "myself", "ourselves")
        for c in cue.children)


def role_noun(t: Token) -> bool:
    """A noun for a person in a role ("the North Korean foreign minister"), modified so that it
    points at one person; a bare "the move" or "the sector" is not."""
    lemma = t.lemma_.lower()
    if lemma in NOT_SPEAKER_NOUNS:
        return False
    modified = any(c.dep_ in ("amod", "compound", "nmod") for c in t.children)
    return modified and (lemma in ROLE_NOUNS or lemma.endswith(ROLE_SUFFIXES))


def person_noun(t: Token) -> bool:
    """A noun for one person: "the coach", "the 26-year-old forward", "the lanky professor"."""
    lemma = t.lemma_.lower()
    if party_member(t):
        return True
    if lemma in NOT_SPEAKER_NOUNS or t.tag_ != "NN":
        return False
    aged = any(c.dep_ in ("amod", "compound") and c.lower_.endswith("-old") for c in t.children)
    return aged or lemma in ROLE_NOUNS or lemma in PERSON_NOUNS or lemma.endswith(ROLE_SUFFIXES) or \
        lemma in FEMALE_NOUNS or lemma in MALE_NOUNS


def party_member(t: Token) -> bool:
    """"the Kentucky Republican", "the veteran Democrat": one party member, with a definite article."""
    return t.lower_ in PARTY_MEMBERS and t.tag_ in ("NN", "NNP", "JJ") and \
        any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in t.children)


def noun_gender(t: Token) -> str | None:
    """"f" for "the spokeswoman", "the mother"; "m" for "the father"; None when the noun does not say."""
    lemma = t.lemma_.lower()
    if lemma in FEMALE_NOUNS or lemma.endswith("woman"):
        return "f"
    if lemma in MALE_NOUNS or (lemma.endswith("man") and not lemma.endswith("human")):
        return "m"
    return None
