"""Named-entity mentions from the spaCy parse made at ingest, with a within-article canonical name.

Raw spaCy output counts badly: `Trump` is PERSON in one sentence and ORG in the next, `North
Korea’s` is a different string from `North Korea`, `Narang` is not obviously `Vipin Narang`, and a
headline's "Obama Says" is not a person. This module settles what one article alone can settle,
so that per-article counts already read right to a person; what needs the whole corpus (alias
table, a label settled by majority, a surname that the article never expands) is left to
`analysis.aliases`, which runs when the store loads and therefore never needs a re-parse.

The steps, each linear in the number of entities of the article:

1. Every entity of the body becomes a mention with its normalised name (`analysis.mentions`), the
   title before it ("Mr", "Sen"), what the sentence says the person is
   (`analysis.descriptors`) and, for a one-word name, the gender of a pronoun right after it.
   Occurrences of the article's names that the tagger passed over are added.
2. Types are corrected from the article's own evidence and headline fragments are cut back
   (`analysis.entity_types`).
3. Short forms join the article's full names, checked against gender and titles, and labels
   that depend on the article's people are fixed (`analysis.article_people`).

Mentions inside the header lines (before `Article.body_start`) are skipped; they repeat the
title and byline and would double-count. `sentence` is the index of the sentence in
`doc.sents`, counted over the whole text, so two mentions co-occur in a sentence exactly when
they have the same (article_id, sentence).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter

from spacy.tokens import Doc, Span

from analysis import article_people, entity_types, names
from analysis.descriptors import describe
from analysis.mentions import (  # re-exported: the corpus step and the commands import them from here
    NAME_SUFFIXES,
    NORP,
    ORG,
    PERSON,
    SHORT_FORM_LABELS,
    RawMention,
    name_keys,
    normalise,
    strip_honorifics,
    title_of,
)
from analysis.records import Article, EntityMention

__all__ = ["NAME_SUFFIXES", "NORP", "ORG", "PERSON", "extract_entities", "name_keys", "normalise",
           "sentence_starts", "strip_honorifics", "title_of"]

VERSION = "11"  # 11: descriptors read a fronted "Writing for X," and a title in the sentence before

RECOVER_LABELS = frozenset({PERSON, ORG, "GPE", "NORP"})
PRONOUN_WINDOW = 12  # tokens after a one-word name in which a pronoun may tell its gender


def sentence_starts(doc: Doc) -> list[int]:
    """Character offsets where the doc's sentences start: `EntityMention.sentence` and
    `Quote.sentence` both index into this, and the views join on them being equal."""
    return [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]


def extract_entities(doc: Doc, article: Article) -> list[EntityMention]:
    """Every entity mention of the article body, with the article's canonical name and a fixed label."""
    starts = sentence_starts(doc)
    raws = [r for r in (_mention(doc, ent, article, starts) for ent in doc.ents) if r is not None]
    raws.extend(_recover_missed(raws, article.text, article.body_start, starts, doc))
    raws.sort(key=lambda r: r.start)
    entity_types.mark_headlines(raws, entity_types.headline_ranges(doc, article.text, article.title,
                                                                   article.body_start))
    entity_types.correct_types(raws, article.text)
    article_people.resolve(raws)
    return [EntityMention(article.article_id, r.start, r.end, r.text, r.label, r.canonical, r.sentence,
                          r.title, r.descriptor if r.label == PERSON else None) for r in raws]


def _mention(doc: Doc, ent: Span, article: Article, starts: list[int]) -> RawMention | None:
    text = article.text
    start, end = ent.start_char, ent.end_char
    # Offsets cover the words only: spaCy sometimes includes a line break at an edge.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < article.body_start or start >= end:
        return None
    label = ent.label_
    canonical = normalise(text[start:end], label)
    if not canonical or not any(c.isalnum() for c in canonical):
        return None
    title = _title(doc, ent) if label in SHORT_FORM_LABELS else None
    person = label == PERSON
    # An organisation's name may turn out to be a person's (`entity_types.correct_types`): its
    # description is kept until the label is settled.
    return RawMention(start, end, text[start:end], label, canonical, bisect_right(starts, start) - 1, title,
                      describe(doc, ent, text) if person or label == ORG else None,
                      _pronoun_after(doc, ent) if person and " " not in canonical else None)


def _title(doc: Doc, ent: Span) -> str | None:
    """The title inside the entity ("Sen. Ted Cruz") or just before it ("Mr. Trump")."""
    lead: list[str] = []
    for w in ent.text.split()[:-1]:
        if not names.is_title_word(w):
            break
        lead.append(w)
    if lead:
        return title_of(lead)
    before = doc[max(0, ent.start - 3):ent.start]
    if not any(t.text[:1].isupper() for t in before):
        return None  # titles are capitalised ("former" alone is no title): most names have none before them
    return title_of([t.text for t in before])


def _pronoun_after(doc: Doc, ent: Span) -> str | None:
    """"Obama said his ...": the gender of the first personal pronoun after a one-word name in its
    sentence, if no other name comes first. A weak cue, used only to choose among namesakes."""
    stop = min(ent.sent.end, ent.end + PRONOUN_WINDOW)
    for tok in doc[ent.end:stop]:
        if tok.ent_type_ == PERSON:
            return None
        g = names.PRONOUN_GENDER.get(tok.lower_)
        if g:
            return g
    return None


def _recover_missed(raws: list[RawMention], text: str, body_start: int, starts: list[int],
                    doc: Doc | None = None) -> list[RawMention]:
    """Occurrences of the article's own names that the tagger passed over.

    The small model misses a name now and then ("Trump and his entire family", "All Trump’s
    talk", "Palmer said he would"), and an analyst counting by hand would not: a name the article
    tags elsewhere counts wherever it stands, written the same way, as a whole word; so does the
    surname of one of its people where the tagger reads it as a proper noun. One regular-expression
    scan.
    """
    labels: dict[str, Counter[str]] = {}
    for r in raws:
        if r.label in RECOVER_LABELS and len(r.text) >= 3 and r.text[:1].isupper() and "\n" not in r.text:
            labels.setdefault(r.text, Counter())[r.label] += 1
    surnames = _surnames(raws, labels) if doc is not None else set()
    if not labels and not surnames:
        return []
    names_ = sorted({*labels, *surnames}, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names_) + r")(?![\w-])")
    taken = sorted((r.start, r.end) for r in raws)
    found: list[RawMention] = []
    for m in pattern.finditer(text, body_start):
        i = bisect_right(taken, (m.start(), float("inf"))) - 1
        if (i >= 0 and taken[i][1] > m.start()) or (i + 1 < len(taken) and taken[i + 1][0] < m.end()):
            continue  # inside or across a mention the tagger did find
        name = m.group(0)
        label = labels[name].most_common(1)[0][0] if name in labels else PERSON
        span = doc.char_span(m.start(), m.end()) if doc is not None and label == PERSON else None
        if name not in labels and (span is None or any(t.pos_ != "PROPN" for t in span)):
            continue  # a surname that is also a word ("Will", "Young") counts only as a proper noun
        descriptor = cue = None
        if span is not None and doc is not None:
            descriptor = describe(doc, span, text)
            cue = _pronoun_after(doc, span) if " " not in name else None
        found.append(RawMention(m.start(), m.end(), name, label, normalise(name, label),
                                bisect_right(starts, m.start()) - 1, None, descriptor, cue))
    return found


def _surnames(raws: list[RawMention], labels: dict[str, Counter[str]]) -> set[str]:
    """Last words of the article's multi-word PERSON names, for `_recover_missed`."""
    out = set()
    for r in raws:
        keys = name_keys(r.canonical) if r.label == PERSON else None
        if keys is not None and len(keys[1]) >= 3 and keys[1][:1].isupper() and keys[1] not in labels:
            out.add(keys[1])
    return out
