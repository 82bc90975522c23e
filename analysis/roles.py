"""What kind of source a speaker is: expert, official, state media, journalist or unknown.

A policy analyst weighs a quote by who gave it: the judgment of people who study the file
(academics, think-tank analysts, former officials speaking as commentators) is read differently
from the line of a government or of its news agency. The role is guessed from the words the
articles themselves use about the speaker (appositions and titles gathered with the quotes), and
the phrase that decided it is kept so the analyst can check the guess at a glance. A plain
`speakers.csv` (speaker, role, side, note) written by the analyst wins over every guess.

The rules look at the head of each description first ("a nuclear affairs *expert* at ...",
"the chief North Korean *negotiator*", "a *spokesperson* for ... foreign ministry"), because the
head says what the person is while the rest says where they work: "a Korea expert at a
university in Seoul" is an expert, not a South Korean official. Keyword lists below are general
(offices, academic titles, news agencies); no person is named in the code.
"""
from __future__ import annotations

import csv
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

VERSION = "2"

ROLES = ("expert", "official", "state media", "journalist", "unknown")
# When one speaker's descriptions disagree, the count of descriptions decides and this order
# breaks ties: being cited through a state agency or holding office is the stronger fact.
_PRIORITY = {"state media": 0, "official": 1, "expert": 2, "journalist": 3, "unknown": 4}

# State-controlled news agencies and broadcasters, and the phrases articles use for them.
STATE_MEDIA_NAMES = (
    "kcna", "korean central news agency", "korean central television", "kctv", "rodong sinmun",
    "uriminzokkiri", "xinhua", "china central television", "cctv", "cgtn", "global times",
    "people's daily", "tass", "ria novosti", "rt", "sputnik", "irna", "press tv", "fars news",
    "tasnim", "sana", "vietnam news agency", "granma", "prensa latina", "kcbs",
)
STATE_MEDIA_PHRASES = (
    r"state[- ](?:run |controlled |owned |official )?(?:news agency|media|television|tv|broadcaster|"
    r"newspaper|news outlet|outlet|radio|mouthpiece)",
    r"official (?:news agency|media|mouthpiece|newspaper)",
    r"(?:government|party|regime)[- ](?:run |controlled )?(?:news agency|newspaper|mouthpiece|media)",
)

# Head nouns. Plural forms are matched by stripping a final "s".
EXPERT_HEADS = frozenset("""
    expert analyst professor scholar researcher fellow lecturer academic economist scientist
    historian specialist observer watcher pollster sinologist kremlinologist theorist
    strategist-analyst consultant-analyst
""".split())
JOURNALIST_HEADS = frozenset("""
    journalist reporter correspondent editor columnist writer author commentator anchor host
    blogger contributor broadcaster pundit
""".split())
OFFICIAL_HEADS = frozenset("""
    president vice-president minister secretary ambassador envoy negotiator diplomat spokesperson
    spokesman spokeswoman official senator sen congressman congresswoman lawmaker legislator
    representative rep governor gov mayor chairman chairwoman chair leader chancellor premier king
    queen general commander adviser advisor aide delegate delegation counterpart undersecretary
    under-secretary attorney prosecutor judge justice speaker whip ministry department government
    administration military army navy officer deputy director-general ministers officials
    authorities authority regime cabinet council mission embassy consul chief
""".split())
# Sources that are documents, not speakers: "early results of the exit poll", "a study by
# economists at ...". Their institution words must not make them experts.
DOCUMENT_HEADS = frozenset("poll survey study report analysis data result record document figure "
                           "statistic estimate filing website memo letter email statement release "
                           "transcript book article".split())
# People running for office: parties to the story, not office holders (yet) nor commentators.
CANDIDATE_HEADS = frozenset("candidate hopeful nominee contender challenger front-runner frontrunner "
                            "runner-up running-mate mate".split())
# "Fellow" is an academic title only in these company ("senior fellow"), not in "fellow Democrats".
FELLOW_TITLES = re.compile(r"\b(?:senior|research|visiting|resident|nonresident|non-resident|"
                           r"postdoctoral|distinguished|adjunct|policy|faculty)\s+fellow", re.I)
# Words that mark a title as held in the past: a former office holder speaks as a commentator.
FORMER = re.compile(r"\b(?:former|ex-|onetime|one-time|retired|erstwhile|then-)", re.I)
# Institutions where experts work: decides when the head is not telling ("director of the Asia
# program at the Wilson Center").
EXPERT_PLACES = re.compile(
    r"\b(?:universit(?:y|ies)|college|institute|institution|school of|think[- ]tank|"
    r"cent(?:er|re) for|foundation|endowment|council on|brookings|rand corporation|heritage|"
    r"chatham house|academy|laborator(?:y|ies)|research|studies|program(?:me)? (?:on|at)|"
    r"polytechnic|observatory)\b", re.I)
EXPERT_WORDS = re.compile(
    r"\b(?:expert|analyst|professor|prof\.|scholar|researcher|research fellow|senior fellow|"
    r"lecturer|academic|economist|political scientist|historian|specialist|specializing|"
    r"specialising|pollster)s?\b", re.I)
# Offices that remain a politician's identity after they leave them: a "former president" or a
# "former senator" in campaign coverage is a party figure, not a commentator.
HIGH_OFFICES = frozenset("president vice-president secretary minister leader senator sen governor gov congressman congresswoman "
                         "representative rep mayor premier chancellor king queen speaker".split())
# Words in a bare name that tell what kind of speaker it is ("the State Department", "U.S. officials").
ORG_OFFICIAL = re.compile(
    r"\b(?:ministry|department|white house|pentagon|kremlin|blue house|government|administration|"
    r"embassy|officials?|authorities|negotiators?|delegation|military|police|army|navy|cabinet|"
    r"foreign office|state council|spokes(?:person|man|woman))\b", re.I)
TITLE_PREFIX = re.compile(
    r"^(?:(?:u\.s\.|us|former|acting|deputy|vice|chief|top|senior)\s+)*"
    r"(?P<title>president|prime minister|secretary|minister|sen\.|senator|rep\.|gov\.|governor|"
    r"ambassador|envoy|mayor|chancellor|premier|prof\.|professor|dr\.)\b", re.I)
PERSON_HEADS = EXPERT_HEADS | JOURNALIST_HEADS | OFFICIAL_HEADS | CANDIDATE_HEADS  # heads that name a person
CAMPAIGN = re.compile(r"\bcampaign\b", re.I)

# Countries and parties, in the order they are tried: the longer name must win over the shorter
# one it contains ("North Korea" before "Korea").
SIDES: tuple[tuple[str, str], ...] = (
    ("North Korea", r"north korea(?:n|'s|’s)?|dprk|pyongyang|kcna|korean central|rodong"),
    ("South Korea", r"south korea(?:n|'s|’s)?|seoul|blue house|rok\b"),
    ("U.S.", r"u\.s\.|\bus\b|united states|american|washington|state department|white house|pentagon|"
             r"trump administration|obama administration|congress(?:ional)?|the senate|cia\b|fbi\b"),
    ("China", r"china|chinese|beijing|xinhua|global times|people's daily|cctv|cgtn"),
    ("Japan", r"japan(?:ese)?|tokyo"),
    ("Russia", r"russia(?:n)?|moscow|kremlin|tass|ria novosti|sputnik"),
    ("Iran", r"iran(?:ian)?|tehran|irna"),
    ("United Kingdom", r"britain|british|u\.k\.|united kingdom|downing street|foreign office"),
    ("European Union", r"european union|\beu\b|brussels"),
    ("United Nations", r"united nations|\bu\.n\.|\bun\b security council"),
    ("Israel", r"israel(?:i)?"),
    ("Ukraine", r"ukrain(?:e|ian)|kyiv|kiev"),
    ("France", r"france|french|elysee|élysée"),
    ("Germany", r"germany|german|berlin"),
    ("Sweden", r"sweden|swedish|stockholm"),
)
PARTIES: tuple[tuple[str, str], ...] = (
    ("Republican", r"republican|\bgop\b|\(r-|\br-[a-z]{2}\b"),
    ("Democratic", r"democrat(?:ic)?|\(d-|\bd-[a-z]{2}\b"),
)
_SIDE_RES = [(side, re.compile(rf"(?:{pattern})", re.I)) for side, pattern in SIDES]
_PARTY_RES = [(side, re.compile(rf"(?:{pattern})", re.I)) for side, pattern in PARTIES]
_STATE_MEDIA_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in STATE_MEDIA_NAMES) + r")(?![\w-])|"
    + "|".join(STATE_MEDIA_PHRASES), re.I)
# A head noun ends where the description moves on to affiliation or detail.
_HEAD_END = re.compile(
    r"\s(?:at|for|of|in|with|by|who|whom|which|that|from|on|to|under|specializing|specialising|based|"
    r"and|since|now|during|until|whose|about)\s|[,;:(—–]|\s-\s", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z.'’-]*")
_PRONOUNS = frozenset("he she they it him her them his hers their its i we you".split())


@dataclass(frozen=True)
class RoleGuess:
    role: str
    side: str | None
    evidence: str


def _head(description: str) -> tuple[str | None, str]:
    """The head noun of a description and the words before it ("nuclear affairs expert")."""
    m = _HEAD_END.search(" " + description + " ")
    prefix = (" " + description + " ")[: m.start()] if m else description
    words = _WORD.findall(prefix)
    if not words:
        return None, ""
    head = words[-1].lower().strip(".'’")
    if head.endswith("'s") or head.endswith("’s"):
        head = head[:-2]
    return head, prefix.strip()


def _singular(word: str) -> str:
    if word.endswith("people"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def find_side(text: str) -> str | None:
    """The country (or, failing that, the U.S. party) a phrase ties someone to."""
    best: tuple[int, str] | None = None
    for side, rx in _SIDE_RES:
        m = rx.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), side)
    if best:
        return best[1]
    for side, rx in _PARTY_RES:
        if rx.search(text):
            return side
    return None


def classify_description(description: str) -> RoleGuess | None:
    """The role one description gives, or None when it says nothing about the role.

    Order matters: the state-media test comes first because a spokesperson *cited by* a news
    agency reaches the reader as that agency's copy; then the head noun; then, when the head is
    uninformative, expert words or places anywhere in the phrase.
    """
    text = " ".join(description.split())
    if not text:
        return None
    if _STATE_MEDIA_RE.search(text):
        return RoleGuess("state media", find_side(text), text)
    head, prefix = _head(text)
    head_s = _singular(head) if head else None
    former = bool(FORMER.search(prefix))
    if head_s in DOCUMENT_HEADS or (head_s not in PERSON_HEADS and any(
            _singular(w.lower()) in DOCUMENT_HEADS for w in _WORD.findall(prefix))):
        return None  # a poll or a report is cited, not a person with a role
    if head_s == "fellow" and not (FELLOW_TITLES.search(text) or EXPERT_PLACES.search(text)):
        return None
    if head_s in EXPERT_HEADS:
        return RoleGuess("expert", None, text)
    if head_s in CANDIDATE_HEADS:
        return RoleGuess("unknown", find_side(text), text)
    if head_s in JOURNALIST_HEADS:
        return RoleGuess("journalist", None, text)
    if head_s in OFFICIAL_HEADS or (head and head in OFFICIAL_HEADS):
        if former:
            if head_s in HIGH_OFFICES:
                return RoleGuess("unknown", find_side(text), text)
            return RoleGuess("expert", None, text)
        # Campaign staff speak for a party to the story but hold no office.
        if CAMPAIGN.search(text) and head_s not in HIGH_OFFICES:
            return RoleGuess("unknown", find_side(text), text)
        # "director of X University's Y program" is an academic post, not an office.
        if head_s in {"chief", "chair", "director", "deputy"} and EXPERT_PLACES.search(text):
            return RoleGuess("expert", None, text)
        return RoleGuess("official", find_side(text), text)
    if EXPERT_WORDS.search(text) or (EXPERT_PLACES.search(text) and not ORG_OFFICIAL.search(text)):
        return RoleGuess("expert", None, text)
    if ORG_OFFICIAL.search(text):
        if FORMER.search(text):
            return RoleGuess("expert", None, text)
        if CAMPAIGN.search(text):
            return RoleGuess("unknown", find_side(text), text)
        return RoleGuess("official", find_side(text), text)
    if re.search(r"\b(?:newspaper|magazine|news|times|post|journal|reuters|associated press|"
                 r"bloomberg|cnn|bbc|nbc|abc|cbs|fox|msnbc|npr)\b", text, re.I) and \
            re.search(r"\b(?:wrote|reported|column|report|editorial)\b", text, re.I):
        return RoleGuess("journalist", None, text)
    return None


def _title_evidence(mention: str) -> RoleGuess | None:
    """A title standing before a name in a mention ("Secretary of State Jane Doe")."""
    m = TITLE_PREFIX.match(mention.strip())
    if not m:
        return None
    title = m.group("title").lower()
    if title in {"prof.", "professor"}:
        return RoleGuess("expert", None, mention.strip())
    if title == "dr.":
        return None
    guess = classify_description(mention.strip())
    return guess if guess and guess.role != "unknown" else None


def guess_role(name: str, label: str | None, descriptions: Iterable[str],
               mentions: Iterable[str] = ()) -> RoleGuess:
    """Combine the evidence of every description, title and the name itself into one role.

    Each phrase votes; the most frequent role wins and `_PRIORITY` breaks ties. The evidence
    shown is the first phrase that voted for the winner, and the side is the one that most
    phrases for the winner name.
    """
    votes: list[RoleGuess] = []
    for d in descriptions:
        if d and isinstance(d, str):
            g = classify_description(d)
            if g:
                votes.append(g)
    for m in mentions:
        if m and isinstance(m, str) and m.strip().lower() not in _PRONOUNS:
            # A title before the name ("Secretary of State Jane Doe"), or a mention that is
            # itself a description ("U.S. negotiators", "the state news agency").
            g = _title_evidence(m) or classify_description(m)
            if g and g.role != "unknown":
                votes.append(g)
    name = (name or "").strip()
    # The name itself is evidence when it is a description or an organisation ("KCNA",
    # "a spokesperson for the foreign ministry", "U.S. negotiators") rather than a person's name.
    if name and (label or "").upper() != "PERSON" or (name and name[:1].islower()):
        g = classify_description(name)
        if g:
            votes.append(g)
    elif name and _STATE_MEDIA_RE.fullmatch(name):
        votes.append(RoleGuess("state media", find_side(name), name))
    # The same phrase seen as name and as mention is one piece of evidence, not two.
    votes = list({v.evidence.lower(): v for v in votes}.values())
    # Words carried by a state agency reach the reader as that agency's copy, whoever the agency
    # cites ("a ministry spokesperson, cited by the state news agency"): that decides alone.
    state = [v for v in votes if v.role == "state media"]
    if state:
        votes = state
    if not votes:
        side = find_side(name) if name and (label or "").upper() != "PERSON" else None
        return RoleGuess("unknown", side, "")
    counts = Counter(v.role for v in votes)
    role = min(counts, key=lambda r: (-counts[r], _PRIORITY[r]))
    chosen = [v for v in votes if v.role == role]
    sides = Counter(v.side for v in chosen if v.side)
    side = sides.most_common(1)[0][0] if sides else None
    if role == "unknown" and side is None and (label or "").upper() != "PERSON":
        side = find_side(name)  # "North Koreans", "the Chinese side": a side even without a role
    if side is None and role in ("official", "state media"):
        side = find_side(" ".join([name, *(d for d in descriptions if isinstance(d, str))]))
    return RoleGuess(role, side if role in ("official", "state media", "unknown") else None,
                     chosen[0].evidence)


@dataclass(frozen=True)
class Override:
    role: str | None
    side: str | None
    note: str | None


def _norm_key(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.lower()).split())


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
            role = (row.get("role") or "").lower() or None
            if role == "state_media":
                role = "state media"
            if role is not None and role not in ROLES:
                warnings.warn(f"{path}:{lineno}: unknown role {role!r} (use one of {', '.join(ROLES)}), "
                              "row skipped", stacklevel=2)
                continue
            out[_norm_key(speaker)] = Override(role, row.get("side") or None, row.get("note") or None)
    return out


def assign_roles(speakers: pd.DataFrame, overrides: Path | None) -> pd.DataFrame:
    """One role per corpus speaker: the rules' guess, unless the analyst's file says otherwise.

    Input columns: `speaker_key`, `label`, `descriptions` (list[str]), `mentions` (list[str]);
    any other column is kept. Adds `role`, `side`, `role_evidence`, `role_source`.
    """
    overrides_table = load_overrides(overrides) if overrides and Path(overrides).is_file() else {}
    roles, sides, evidence, source = [], [], [], []
    for row in speakers.itertuples(index=False):
        key = getattr(row, "speaker_key", None) or ""
        descriptions = _as_list(getattr(row, "descriptions", None))
        mentions = _as_list(getattr(row, "mentions", None))
        guess = guess_role(key, getattr(row, "label", None), descriptions, mentions)
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
    out["side"] = pd.Series(sides, index=out.index, dtype="string")
    out["role_evidence"] = pd.Series(evidence, index=out.index, dtype="string")
    out["role_source"] = pd.Series(source, index=out.index, dtype="string")
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
