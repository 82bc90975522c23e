"""Entity types corrected from what the article itself shows, and headline fragments cut back.

The small spaCy model labels a capitalised word by the look of its sentence: in a headline every
word is capitalised, so "Obama Says" and "Clinton Plan" come out as people; a company written
without "Inc." ("Patriot"), a town ("in Ferguson") or a hotel ("the Trump Tower") come out as
people too. An analyst reading the article would not be fooled, because the article says
elsewhere what the name is. These rules read that evidence, within one article:

* Headline lines: a line whose words are capitalised whatever their kind (the first line when it
  repeats the title, or a line where the capitalised words outside any entity are nearly all the
  long words), as headlines, captions and video titles are. A multi-word entity there is cut back
  to the part of it that the article uses as a name outside headlines ("Obama Says" ->
  "Obama"); a PERSON there that the body never names ("Will Tell") is no entity.
* A PERSON name ending with a word of a building ("Hotel", "Tower") is FAC, with a word of an
  organisation ("Foundation", "Corp") ORG, and a name that is a political group ("Democrats")
  NORP.
* A short all-capital PERSON name ("CNN") is ORG, and a one-word PERSON name the article puts
  "in" somewhere ("in Ferguson", "Ferguson, Mo.") or that the tagger takes for a place elsewhere
  in the article is GPE, unless the article shows it as a person:
  a title, a description, a gendered pronoun after it, a known given name, or a word of one of its
  people's full names.

The word lists are data (`analysis/data/entity_types.txt`).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict

from spacy.tokens import Doc

from analysis import names, wordlists
from analysis.mentions import ORG, PERSON, PLACE_LABELS, RawMention, name_keys, normalise

_LISTS = wordlists.sections("entity_types.txt")
FACILITY_WORDS = _LISTS["facility"]
ORGANISATION_WORDS = _LISTS["organisation"]
GROUP_WORDS = _LISTS["group"]
PLACE_BEFORE = _LISTS["place_before"]
GENDERED_NOUNS = {**{w: "f" for w in _LISTS["female"]}, **{w: "m" for w in _LISTS["male"]}}

_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*")
_PLACE_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(PLACE_BEFORE)) + r")\s+$", re.I)
# "Ferguson, Mo.", "Tulsa, Okla.", "Dayton, OH": a town and its state; and the state itself after
# the town ("Trout Brook, N.B.", "Toronto, Ont").
_STATE_AFTER = re.compile(r"^,\s+(?:[A-Z][a-z]{1,5}\.|[A-Z]{2}\b)")
_TOWN_BEFORE = re.compile(r"[A-Z][a-z]+,\s+$")
MIN_HEADLINE_WORDS = 2
HEADLINE_SHARE = 0.8


def headline_ranges(doc: Doc, text: str, title: str | None, body_start: int) -> list[tuple[int, int]]:
    """Character ranges of the lines written in title case: headlines, captions, video titles."""
    spans = sorted((ent.start_char, ent.end_char) for ent in doc.ents)
    starts = [a for a, _ in spans]
    out = []
    pos = body_start
    for line in text[body_start:].split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        if (title and start == body_start and _same_words(line, title)) or _title_case(line, start, spans, starts):
            out.append((start, end))
    return out


def _same_words(line: str, title: str) -> bool:
    """The line is the title, or the start of it ("Derelict Obama and Clinton;" of a longer title)."""
    a = [w.lower() for w in _WORD.findall(line)]
    b = [w.lower() for w in _WORD.findall(title)]
    return bool(a) and a == b[:len(a)]


_LONG_LOWER = re.compile(r"(?<![\w'’.-])[a-z][a-z'’.-]{3,}")
_LONG_UPPER = re.compile(r"(?<![\w'’.-])[A-Z][A-Za-z'’.-]{3,}")


def _title_case(line: str, offset: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Long words outside entities are capitalised (at least two, nearly all of them)."""
    lower = len(_LONG_LOWER.findall(line))
    if len(_LONG_UPPER.findall(line)) < max(MIN_HEADLINE_WORDS, 4 * lower):
        return False  # most lines: prose, decided without looking at the entities
    upper = 0
    for m in _LONG_UPPER.finditer(line):
        at = offset + m.start()
        i = bisect_right(starts, at) - 1
        if i < 0 or spans[i][1] <= at:  # not inside an entity
            upper += 1
    return upper >= MIN_HEADLINE_WORDS and upper >= HEADLINE_SHARE * (upper + lower)


def mark_headlines(raws: list[RawMention], ranges: list[tuple[int, int]]) -> None:
    """Flag the mentions in headline lines and cut multi-word ones back to a name the body uses."""
    if not ranges:
        return
    for r in raws:
        r.headline = any(a <= r.start < b for a, b in ranges)
    known = {r.canonical: r.label for r in raws if not r.headline}
    for name, label in list(known.items()):  # the surname of a body name counts: "Doe Speech" -> "Doe"
        keys = name_keys(name) if label == PERSON else None
        if keys is not None:
            known.setdefault(keys[1], PERSON)
    for r in raws:
        if r.headline and " " in r.canonical and r.canonical not in known:
            _cut_to_known(r, known)
    # A title-case "name" the body never uses is the headline's words, not a person ("Will Tell").
    raws[:] = [r for r in raws if not (r.headline and r.label == PERSON and r.canonical not in known)]


def _cut_to_known(r: RawMention, known: dict[str, str]) -> None:
    """"Obama Says" -> "Obama": the longest run of the mention's words that the body names."""
    words = list(re.finditer(r"\S+", r.text))
    for size in range(len(words) - 1, 0, -1):
        for i in range(len(words) - size + 1):
            a, b = words[i].start(), words[i + size - 1].end()
            label = known.get(normalise(r.text[a:b], PERSON)) or known.get(normalise(r.text[a:b]))
            if label is None:
                continue
            r.start, r.end, r.text = r.start + a, r.start + b, r.text[a:b]
            r.label = label
            r.canonical = normalise(r.text, label)
            return


def correct_types(raws: list[RawMention], text: str) -> None:
    """Relabel PERSON mentions whose name or context says they are a place, a body or a group."""
    for r in raws:
        if r.label == PERSON:
            _drop_credit(r)
            _drop_trailing_title(r)
    _drop_leading_words(raws)
    for r in raws:
        if r.label == PERSON:
            r.label = _type_of_name(r.canonical) or PERSON
    shown_as_person = _person_evidence(raws)
    place_cues: dict[str, int] = defaultdict(int)
    for r in raws:
        # A name the tagger itself takes for a place elsewhere in the article is a place cue too.
        r.placed = r.label == PERSON and _placed(r, text)
        if " " not in r.canonical and (r.label in PLACE_LABELS or r.placed):
            place_cues[r.canonical] += 1
    for r in raws:
        if r.label == PERSON and r.canonical not in shown_as_person:
            if _acronym(r.canonical):
                r.label = ORG
            elif place_cues.get(r.canonical):
                r.label = "GPE"
    _short_forms_of_bodies(raws, shown_as_person, place_cues)


def _drop_leading_words(raws: list[RawMention]) -> None:
    """"Miss Universe Alicia Machado", "Crooked Hillary Clinton": a word before a given name that is
    no given name itself is a title or an epithet, not part of the name; on its own in the same
    article ("Miss Universe") it names nobody, and goes."""
    given = names.first_name_genders()
    dropped: set[str] = set()
    for r in raws:
        words = r.canonical.split(" ")
        if r.label != PERSON or len(words) < 3 or words[0].lower() in given or words[1].lower() not in given:
            continue
        if words[0].lower() in names.NAME_PARTICLES:
            continue
        dropped.add(words[0])
        m = re.match(r"\S+\s+", r.text)
        if m:
            r.start += m.end()
            r.text = r.text[m.end():]
        r.canonical = " ".join(words[1:])
    if dropped:
        raws[:] = [r for r in raws if not (r.label == PERSON and r.canonical in dropped)]


def _short_forms_of_bodies(raws: list[RawMention], shown_as_person: set[str], place_cues: dict[str, int]) -> None:
    """"Patriot" after "Patriot Coal", "Charlotte Panthers" in an article about the city of Charlotte:
    a one-word PERSON name that opens one organisation's name of the article, never shown as a
    person, is that organisation; a PERSON name that opens with one of the article's places and
    ends like a team or a company ("Panthers") is an organisation."""
    bodies: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for r in raws:
        if r.label in (ORG, "FAC") and " " in r.canonical and _capitalised(r.canonical):
            bodies[r.canonical.split(" ")[0]].add(r.canonical)
            labels[r.canonical] = r.label
    titled = {r.canonical for r in raws if r.label == PERSON and r.title}
    for r in raws:
        if r.label != PERSON:
            continue
        words = r.canonical.split(" ")
        if len(words) == 1 and r.canonical not in shown_as_person and len(bodies.get(r.canonical, ())) == 1:
            r.canonical = next(iter(bodies[r.canonical]))
            r.label = labels[r.canonical]
        elif len(words) > 1 and r.canonical not in titled and place_cues.get(words[0]) \
                and words[-1].endswith("s") and not words[-1].endswith("ss"):
            r.label = ORG


_NOT_NAME_WORDS = frozenset("my your our their his her its not is are was were the this that".split())


def _drop_credit(r: RawMention) -> None:
    """"Jane Doe / AP" (a photo credit): the name is the part before the slash."""
    if " / " in r.canonical or "/" in r.canonical.split(" ")[-1]:
        head = r.canonical.split("/")[0].strip()
        cut = r.text.find("/")
        if head and cut > 0:
            r.canonical = head
            r.text = r.text[:cut].rstrip()
            r.end = r.start + len(r.text)


def _drop_trailing_title(r: RawMention) -> None:
    """"Charlotte Mayor" (in "Charlotte Mayor Jennifer Roberts") is a place and an office, not a name."""
    words = r.canonical.split(" ")
    cut = len(words)
    while cut > 1 and names.is_title(words[cut - 1]) and names.names_nobody(words[cut - 1]):
        cut -= 1
    if cut < len(words):
        r.canonical = " ".join(words[:cut])
        m = re.match(r"\S+(?:\s+\S+){%d}" % (cut - 1), r.text)
        if m:
            r.end = r.start + m.end()
            r.text = m.group(0)


def descriptor_gender(descriptor: str | None) -> str | None:
    """"the nominee's daughter" -> "f": the gender the nouns of a description agree on."""
    if not descriptor:
        return None
    found = {GENDERED_NOUNS[w] for w in re.findall(r"[a-z]+", descriptor.lower()) if w in GENDERED_NOUNS}
    return found.pop() if len(found) == 1 else None


def _type_of_name(name: str) -> str | None:
    words = [w.lower().strip(".,'’") for w in name.split()]
    if not words:
        return None
    if len(words) == 1:
        if words[0] in GROUP_WORDS:
            return "NORP"
        return ORG if words[0] in ORGANISATION_WORDS else None  # "Coal" in "Buy Mines, Sell Coal"
    if any(w.split("'")[0] in _NOT_NAME_WORDS for w in words):
        return "WORK_OF_ART"  # "My Name's Not George": a title, not a person
    if words[-1] in FACILITY_WORDS:
        return "FAC"
    if words[-1] in ORGANISATION_WORDS or (words[0] in ORGANISATION_WORDS and words[1] == "of"):
        return ORG
    return None


def _capitalised(name: str) -> bool:
    """A name, not a phrase the tagger ran on into ("Patriot 13 percent")."""
    return all(w[:1].isupper() or w in ("of", "and", "&", "the", "for") for w in name.split(" "))


def _acronym(name: str) -> bool:
    return 2 <= len(name) <= 5 and name.isalpha() and name.isupper()


def _placed(r: RawMention, text: str) -> bool:
    """"in Ferguson", "Ferguson, Mo.", but not "in Trump's view"."""
    after = text[r.end:r.end + 12]
    if after.startswith("'") or after.startswith("’"):
        return False
    before = text[max(0, r.start - 12):r.start]
    state = len(r.canonical) <= 5 and bool(_TOWN_BEFORE.search(before))
    return bool(_PLACE_BEFORE.search(before) or _STATE_AFTER.match(after) or state)


def _person_evidence(raws: list[RawMention]) -> set[str]:
    """Names the article shows as a person: titled, described as a person ("the nominee", "a
    lawyer"), followed by "he"/"she" often enough, a full name opening with a given name, or a word
    of a multi-word person name of the article."""
    shown: set[str] = set()
    genders = names.first_name_genders()
    mentions: Counter[str] = Counter()
    cues: Counter[str] = Counter()
    for r in raws:
        if r.label != PERSON or r.headline:
            continue
        mentions[r.canonical] += 1
        cues[r.canonical] += bool(r.cue)
        # A given name alone is no evidence: "Charlotte" and "Virginia" are places too.
        if r.title or _personal(r.descriptor) or (" " in r.canonical and r.canonical.split()[0].lower() in genders):
            shown.add(r.canonical)
        keys = name_keys(r.canonical)
        if keys is not None:
            shown.update(keys)
    # A pronoun after a name may be about someone else in the sentence: a cue counts when it
    # follows a fair share of the name's mentions.
    shown.update(n for n, c in cues.items() if c and c >= CUE_SHARE * mentions[n])
    return shown


CUE_SHARE = 0.2
_PERSON_SUFFIXES = ("er", "or", "ist", "ian", "man", "woman", "person", "ee", "ent", "ant", "ive", "ary")
_NOT_PERSON_NOUNS = frozenset("""former latter other under over after longer older younger earlier later better bigger
    never ever either neither rather together whether another further major minor prior current recent
    significant important""".split())


def _personal(descriptor: str | None) -> bool:
    """A description that names a kind of person ("the Republican nominee", "Mrs.", "his wife"),
    not an adjective ("former", "bankrupt")."""
    if not descriptor:
        return False
    for part in descriptor.split(";"):
        words = re.findall(r"[A-Za-z][A-Za-z.'’-]*", part)
        if not words:
            continue
        head = words[-1].lower().rstrip(".").removesuffix("'s").removesuffix("’s")
        if names.is_title(head) or head in GENDERED_NOUNS or part.strip().startswith("("):
            return True
        if head not in _NOT_PERSON_NOUNS and len(head) > 4 and head.endswith(_PERSON_SUFFIXES):
            return True
    return False
