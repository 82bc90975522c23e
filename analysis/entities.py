"""Named-entity mentions from the spaCy parse made at ingest, with a within-article canonical name.

Raw spaCy output counts badly: `Trump` is PERSON in one sentence and ORG in the next, `North
Korea’s` is a different string from `North Korea`, and `Narang` is not obviously `Vipin Narang`.
This module settles what one article alone can settle, so that per-article counts already read
right to a person; what needs the whole corpus (alias table, a label settled by majority, a
surname that the article never expands) is left to `analysis.aliases`, which runs when the store
loads and therefore never needs a re-parse.

Rules, all linear in the number of entities of the article:

* Text normalisation: whitespace and line breaks collapse to one space, typographic quotes and
  dashes become ASCII, surrounding punctuation, a leading "the" (or "a" before a capital: `a
  Mitt Romney`) and a possessive `’s` go; a
  trailing full stop goes unless it ends an abbreviation (`U.S.`, `Inc.`). PERSON names also lose
  honorifics (`Mr.`, `Sen.`, `President`), because they name the role, not the person.
* Short forms: a one-word PERSON/ORG name that is the last (or first) word of exactly one
  multi-word PERSON name of the same article becomes that name (`Narang` -> `Vipin Narang`).
  When several people share the surname, the one named at least twice as often as any other
  wins (`Bush` in an article about Jeb Bush that once mentions George W. Bush), else the one
  the article gave the same title (`President Bush` after `President George W. Bush`);
  otherwise, and for a shared first word (two Kims), the short form is left for the corpus
  step, not guessed. The title before a name (`Mr`, `Mrs`, `Gov`) is kept with the mention:
  the corpus step uses Mr/Mrs/Ms to tell Bill from Hillary Clinton.
* Labels: a name that the article tags PERSON somewhere is PERSON wherever spaCy tagged it ORG
  (`the Trump regime`), and a GPE/LOC whose name (or its singular) is a NORP in the same article
  is NORP (`the North Koreans`). A hyphenated ORG such as `Trump-Kim` whose parts are the
  article's people (or places) is split into one mention per part, with offsets of the part.
* Mentions inside the header lines (before `Article.body_start`) are skipped; they repeat the
  title and byline and would double-count.

`sentence` is the index of the sentence in `doc.sents`, counted over the whole text, so two
mentions co-occur in a sentence exactly when they have the same (article_id, sentence).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable

from spacy.tokens import Doc

from analysis import names
from analysis.descriptors import describe
from analysis.records import Article, EntityMention

VERSION = "4"

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


def sentence_starts(doc: Doc) -> list[int]:
    """Character offsets where the doc's sentences start: `EntityMention.sentence` and
    `Quote.sentence` both index into this, and the views join on them being equal."""
    return [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]


class _Raw:
    """A mention while the article's rules are applied; becomes an EntityMention at the end."""

    __slots__ = ("start", "end", "text", "label", "canonical", "sentence", "title", "descriptor")

    def __init__(self, start: int, end: int, text: str, label: str, canonical: str, sentence: int,
                 title: str | None = None, descriptor: str | None = None):
        self.start, self.end, self.text = start, end, text
        self.label, self.canonical, self.sentence, self.title = label, canonical, sentence, title
        self.descriptor = descriptor


def extract_entities(doc: Doc, article: Article) -> list[EntityMention]:
    """Every entity mention of the article body, with the article's canonical name and a fixed label."""
    starts = sentence_starts(doc)
    text = article.text
    raws: list[_Raw] = []
    for ent in doc.ents:
        start, end = ent.start_char, ent.end_char
        # Offsets cover the words only: spaCy sometimes includes a line break at an edge.
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < article.body_start or start >= end:
            continue
        label = ent.label_
        canonical = normalise(text[start:end], label)
        if not canonical or not any(c.isalnum() for c in canonical):
            continue
        title = None
        if label in SHORT_FORM_LABELS:
            inside = ent.text.split()
            lead: list[str] = []
            for w in inside[:-1]:
                if not names.is_title_word(w):
                    break
                lead.append(w)
            title = title_of(lead) if lead else title_of([t.text for t in doc[max(0, ent.start - 3):ent.start]])
        raws.append(_Raw(start, end, text[start:end], label, canonical,
                         bisect_right(starts, start) - 1, title, describe(doc, ent) if label == PERSON else None))
    raws.extend(_recover_missed(raws, text, article.body_start, starts))
    raws.sort(key=lambda r: r.start)
    _resolve_article(raws)
    return [EntityMention(article.article_id, r.start, r.end, r.text, r.label, r.canonical, r.sentence,
                          r.title, r.descriptor if r.label == PERSON else None) for r in raws]


RECOVER_LABELS = frozenset({PERSON, ORG, "GPE", "NORP"})


def _recover_missed(raws: list[_Raw], text: str, body_start: int, starts: list[int]) -> list[_Raw]:
    """Occurrences of the article's own names that the tagger passed over.

    The small model misses a name now and then ("Trump and his entire family", "All Trump’s
    talk"), and an analyst counting by hand would not: a name the article tags elsewhere counts
    wherever it stands, written the same way, as a whole word. One regular-expression scan.
    """
    labels: dict[str, Counter[str]] = {}
    for r in raws:
        if r.label in RECOVER_LABELS and len(r.text) >= 3 and r.text[:1].isupper() and "\n" not in r.text:
            labels.setdefault(r.text, Counter())[r.label] += 1
    if not labels:
        return []
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(labels, key=len, reverse=True))
                         + r")(?![\w-])")
    taken = sorted((r.start, r.end) for r in raws)
    found: list[_Raw] = []
    for m in pattern.finditer(text, body_start):
        i = bisect_right(taken, (m.start(), float("inf"))) - 1
        if (i >= 0 and taken[i][1] > m.start()) or (i + 1 < len(taken) and taken[i + 1][0] < m.end()):
            continue  # inside or across a mention the tagger did find
        name = m.group(0)
        label = labels[name].most_common(1)[0][0]
        found.append(_Raw(m.start(), m.end(), name, label, normalise(name, label),
                          bisect_right(starts, m.start()) - 1))
    return found


def _resolve_article(raws: list[_Raw]) -> None:
    """Apply the within-article rules in place (see the module docstring)."""
    labels_by_name: dict[str, Counter[str]] = {}
    for r in raws:
        labels_by_name.setdefault(r.canonical, Counter())[r.label] += 1

    persons = {name for name, c in labels_by_name.items() if c[PERSON]}
    norps = {name for name, c in labels_by_name.items() if c[NORP]}

    # One-word short forms of the article's multi-word person names.
    short: dict[str, set[str]] = {}
    for name in persons:
        keys = name_keys(name)
        if keys is None:
            continue
        for word in keys:
            short.setdefault(word, set()).add(name)
    by_last: dict[str, set[str]] = {}
    for name in persons:
        keys = name_keys(name)
        if keys is not None:
            by_last.setdefault(keys[1], set()).add(name)

    titles_of: dict[str, set[str]] = {}
    for r in raws:
        if r.title and r.canonical in persons and " " in r.canonical:
            titles_of.setdefault(r.canonical, set()).add(r.title)

    def expand(word: str, title: str | None = None) -> str | None:
        # A surname match beats a first-name match: "Clinton" with Hillary and Bill Clinton is
        # ambiguous even if some Clinton is also a first name. Among several people with the
        # surname, the one the article names at least twice as often as any other is meant.
        # Nearness is no guide: "Mrs. Clinton" right after "Bill Clinton" is still Hillary.
        full = by_last.get(word) or short.get(word)
        if not full:
            return None
        if len(full) == 1:
            return next(iter(full))
        if word not in by_last:
            return None
        ranked = sorted(full, key=lambda n: -labels_by_name[n][PERSON])
        if labels_by_name[ranked[0]][PERSON] >= 2 * labels_by_name[ranked[1]][PERSON]:
            return ranked[0]
        # "President Bush" after "former President George W. Bush" and "Gov. Jeb Bush".
        titled = [n for n in full if title and title in titles_of.get(n, ())]
        if len(titled) == 1:
            return titled[0]
        return None

    out: list[_Raw] = []
    for r in raws:
        name = r.canonical
        if r.label in SHORT_FORM_LABELS and " " not in name:
            if "-" in name and r.label != PERSON:
                parts = _split_hyphenated(r, persons, labels_by_name, expand)
                if parts:
                    out.extend(parts)
                    continue
            full = expand(name, r.title)
            if full is not None and (r.label in (PERSON, ORG) or name in persons):
                r.canonical, r.label = full, PERSON
                out.append(r)
                continue
        if r.label in PERSONABLE_LABELS and name in persons:
            counts = labels_by_name[name]
            if r.label == ORG or counts[PERSON] >= counts[r.label]:
                r.label = PERSON
        elif r.label in PLACE_LABELS and (name in norps or (name.endswith("s") and name[:-1] in norps)):
            r.label = NORP
        out.append(r)
    raws[:] = out


def _split_hyphenated(r: _Raw, persons: set[str], labels_by_name: dict[str, Counter[str]],
                      expand) -> list[_Raw]:
    """`Trump-Kim` (ORG) -> `Trump` + `Kim` (PERSON) when a part is one of the article's people."""
    parts = r.text.split("-") if "-" in r.text else []
    if len(parts) < 2 or not all(p[:1].isupper() and p.isalpha() for p in parts):
        return []
    resolved: list[tuple[str, str | None]] = []
    for p in parts:
        full = expand(p)
        if full is not None:
            resolved.append((full, PERSON))
        elif p in persons:
            resolved.append((p, PERSON))
        elif p in labels_by_name:
            resolved.append((p, labels_by_name[p].most_common(1)[0][0]))
        else:
            resolved.append((p, None))
    if not any(label == PERSON for _, label in resolved):
        return []
    out: list[_Raw] = []
    offset = r.start
    for p, (name, label) in zip(parts, resolved, strict=True):
        out.append(_Raw(offset, offset + len(p), p, label or PERSON, name, r.sentence))
        offset += len(p) + 1
    return out


def extract_all(pairs: Iterable[tuple[Article, Doc]]) -> list[EntityMention]:
    """Convenience for callers that hold (article, doc) pairs, such as the CLI and tests."""
    out: list[EntityMention] = []
    for article, doc in pairs:
        out.extend(extract_entities(doc, article))
    return out
