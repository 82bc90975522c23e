"""The words that introduce speech and the words that name who speaks.

Reporting verbs are kept as data (`analysis/data/reporting_verbs.txt`) so an analyst can
extend the list without touching code. A verb is a cue only in a verbal reading: "the report"
is a noun, "reported" a cue.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

CUE_FILE = Path(__file__).resolve().parent.parent / "data" / "reporting_verbs.txt"

PERSONAL = {"he", "she", "him", "her"}
PLURAL_PRONOUNS = {"they", "them", "we"}
NAME_ENTS = {"PERSON"}
ORG_ENTS = {"ORG", "GPE", "NORP", "FAC"}

# Nouns for what is written or published: "the statement said" speaks for its author.
DOCUMENT_NOUNS = {"statement", "email", "e-mail", "release", "letter", "report", "post", "tweet", "memo",
                  "book", "article", "column", "essay", "op-ed", "blog", "speech", "testimony", "affidavit",
                  "study", "note", "message", "filing", "document", "decision", "ruling", "survey"}
# Definite subjects of speech verbs that are neither people nor institutions.
NOT_PEOPLE = {"data", "poll", "survey", "figure", "number", "evidence", "research", "analysis", "law", "bill",
              "rule", "policy", "plan", "order", "sign", "website", "site", "page", "video", "book", "headline"}
AUTHORING_VERBS = {"send", "write", "issue", "release", "email", "e-mail", "sign", "post", "publish", "author",
                   "tweet", "provide", "distribute", "submit"}
# Nouns that name an institution: "the company said" speaks for the organisation last named.
ORG_NOUNS = {"company", "firm", "agency", "bank", "department", "ministry", "government", "group", "organization",
             "organisation", "union", "board", "council", "committee", "association", "institute", "party", "club",
             "team", "league", "university", "school", "city", "province", "state", "police", "court", "commission",
             "office", "service", "network", "website", "newspaper", "station", "corporation", "authority",
             "administration", "campaign", "charity", "foundation", "hospital", "force", "military", "army",
             "embassy", "regulator", "watchdog", "airline", "retailer", "carrier", "operator", "startup",
             "business", "coalition", "organizer", "organiser", "band", "district", "municipality", "county",
             "region", "country", "nation", "industry", "sector", "centre", "center", "lab", "laboratory", "store",
             "chain", "brand", "maker", "manufacturer", "developer", "provider", "utility", "insurer", "lender",
             "exchange", "fund", "institution", "body", "panel", "caucus", "senate", "house", "parliament",
             "legislature", "cabinet", "tribunal", "unit", "division", "branch", "bureau", "directorate",
             "secretariat", "federation", "alliance", "channel", "publisher", "outlet", "paper"}
# Heads of a description that name no person (an organisation, a document, a poll).
NOT_SPEAKER_NOUNS = frozenset(ORG_NOUNS | DOCUMENT_NOUNS | NOT_PEOPLE)
ROLE_NOUNS = {"official", "chief", "head", "spokesperson", "spokesman", "spokeswoman", "expert", "envoy",
              "diplomat", "judge", "mayor", "president", "premier", "senator", "secretary", "minister", "general",
              "lawmaker", "analyst", "economist", "scientist", "activist", "candidate", "nominee", "delegate",
              "representative", "aide", "adviser", "advisor", "founder", "executive", "director", "chair",
              "leader", "negotiator", "prosecutor", "lawyer", "attorney", "officer", "commander", "ambassador"}
ROLE_SUFFIXES = ("er", "or", "ist", "ian", "man", "woman", "person", "ess", "ant", "ent")
CITING_VERBS = {"cite", "quote"}
REFUSALS = {"decline", "refuse", "fail", "hesitate"}


@lru_cache(maxsize=1)
def cue_lexicon() -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    """(lemmas for any speech, lemmas only next to quotation marks, verb -> particle) from the data file."""
    indirect: set[str] = set()
    direct_only: set[str] = set()
    phrasal: dict[str, str] = {}
    for raw in CUE_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split("\t")
        words = parts[0].split()
        direct = len(parts) > 1 and parts[1].strip() == "direct"
        if len(words) == 2:
            phrasal[words[0]] = words[1]
        elif direct:
            direct_only.add(words[0])
        else:
            indirect.add(words[0])
    return frozenset(indirect), frozenset(direct_only), phrasal


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
    """"did not say whether", "declined to say why": the absence of a statement is not a quote."""
    if any(c.dep_ == "neg" for c in cue.children):
        return True
    return cue.dep_ == "xcomp" and (cue.head.lemma_.lower() in REFUSALS or
                                    any(c.dep_ == "neg" for c in cue.head.children))


def role_noun(t: Token) -> bool:
    """A noun for a person in a role ("the North Korean foreign minister"), modified so that it
    points at one person; a bare "the move" or "the sector" is not."""
    lemma = t.lemma_.lower()
    if lemma in NOT_SPEAKER_NOUNS:
        return False
    modified = any(c.dep_ in ("amod", "compound", "nmod") for c in t.children)
    return modified and (lemma in ROLE_NOUNS or lemma.endswith(ROLE_SUFFIXES))
