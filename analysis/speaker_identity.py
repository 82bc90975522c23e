"""One corpus key per speaker: the person the quote's own article names, and no phrase as a speaker.

The quote extractor names a speaker as its article does ("Obama", "President Obama", "Obama
Speech" in a caption), and a few of its names are not speakers at all ("his body mass index",
"Mr", "the state"). Corpus-wide merging by name alone (`analysis.speakers.corpus_speaker_names`)
cannot tell whether an article's "Obama" is Barack or Michelle; the entity step can, because it
reads the article's titles and full names (`analysis.article_people`, `analysis.corpus_people`).
So a speaker's key is decided per article:

1. Hygiene: trailing function words go ("the former secretary of state and"); a bare title, a
   number or share ("Twelve percent"), a lone function word ("Let"), a phrase that opens with a
   pronoun or a determiner and names no kind of source ("his body mass index", "the state") and
   a lower-case phrase that names neither a source nor people ("other changes") are not
   speakers: their quotes are unattributed (key NULL).
2. A person's name (with or without its title) is the PERSON entity its article's own mentions
   of that name resolve to, when one entity has at least twice the mentions of any other; a
   title-case phrase that is not itself a mention ("Obama Speech") is the person whose mention
   it starts with.
3. The names so chosen, and all other speakers as they are written, are merged across the corpus
   by `corpus_speaker_names` (spelling variants, dominant full names), weighted by quotes.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from functools import lru_cache

import pandas as pd

from analysis import names
from analysis.mentions import PERSON, normalise
from analysis.roles import classify_description
from analysis.speakers import corpus_speaker_names, looks_like_name

VERSION = "1"  # part of the corpus cache key

_FUNCTION_WORDS = frozenset("""a an the and or but of to for with by at in on from as that which who whom whose
    this these those it its his her their our my your he she they we i you let there here than then so if""".split())
_OPENING = frozenset("his her their its our my your the this that these those whose whom which many some any".split())
_NUMBER = re.compile(r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                     r"forty|fifty|hundred)\b[\s-]*(?:percent|per cent|%)", re.I)
DOMINANCE = 2


@lru_cache(maxsize=1 << 18)
def clean_speaker(name: str) -> str | None:
    """The speaker name without stray words at its end, or None when it names no source."""
    words = names.clean_name(name).split()
    while words and words[-1].lower() in _FUNCTION_WORDS:
        words.pop()
    if not words:
        return None
    text = " ".join(words)
    if len(words) == 1 and (words[0].lower() in _FUNCTION_WORDS or names.names_nobody(words[0])):
        return None
    if _NUMBER.search(text):
        return None
    if text[:1].islower() and classify_description(text) is None and not _people(words[-1]):
        return None  # "his body mass index", "the state", "other changes": no kind of source, no people
    if words[0].lower() in _OPENING and words[0][:1].isupper() and classify_description(text) is None \
            and not _people(words[-1]):
        return None  # "Many of whom", "The state" at a sentence start
    return text


# Vague but real sources ("critics said"), and the endings of nouns for people ("an architect").
_VAGUE_SOURCES = frozenset("""critics opponents proponents skeptics sceptics detractors allies backers others rivals
    defenders foes admirers fans family families relatives parents neighbors neighbours locals crowd audience""".split())
# ("-er" is left out: "cancer", "paper"; the people it ends, "voter" or "lawyer", are in the role lists.)
_PEOPLE_ENDINGS = ("ist", "ian", "ant", "ent", "man", "men", "woman", "women", "person", "people", "ee",
                   "ect", "ists", "ians", "ants", "ents", "ees", "ects")


def _people(head: str) -> bool:
    """A head noun that names people: a vague source, or a noun with a people ending."""
    word = head.lower().strip(".,'’")
    return word in _VAGUE_SOURCES or (len(word) > 3 and word.endswith(_PEOPLE_ENDINGS)
                                      and not word.endswith(("ment", "ments")))


def speaker_keys(pairs: pd.DataFrame, mentions: pd.DataFrame, known: Mapping[str, int] | None = None) -> pd.DataFrame:
    """The corpus key of every (article, speaker) pair.

    `pairs`: article_id, speaker, n (quotes). `mentions`: article_id, text, entity, n for the
    PERSON mentions of those articles. Returns article_id, speaker, speaker_key (None: no speaker).
    `known`: speaker keys the corpus already has, with their quote counts (an incremental update
    of new articles): they take part in the merge, so a new variant joins the known name, and
    keep their own keys.
    """
    index = _ArticleNames(mentions)
    chosen: list[str | None] = []
    for article, speaker in zip(pairs["article_id"].tolist(), pairs["speaker"].tolist(), strict=True):
        clean = clean_speaker(speaker) if isinstance(speaker, str) else None
        chosen.append(index.person(article, clean) or clean if clean else None)
    weights: Counter[str] = Counter()
    for name, n in zip(chosen, pairs["n"].tolist(), strict=True):
        if name:
            weights[name] += int(n)
    if known:
        words = {w for name in weights for w in name.lower().split()}
        for key, n in known.items():  # only names that could merge with a new one (a shared word)
            if key and words.intersection(key.lower().split()):
                weights[key] += int(n)
    merged = corpus_speaker_names(weights.elements())
    if known:
        merged = {c: (k if c not in known else c) for c, k in merged.items()}
    return pd.DataFrame({"article_id": pairs["article_id"], "speaker": pairs["speaker"],
                         "speaker_key": [merged.get(c, c) if c else None for c in chosen]},
                        columns=["article_id", "speaker", "speaker_key"]).astype("string")


def name_forms(speakers: list[str]) -> pd.DataFrame:
    """Per speaker as written, every form of a name its key can be looked up by in its article's
    PERSON mentions (`_ArticleNames.person`; see `mention_form`): the mentions of other forms
    play no part in `speaker_keys`, so a large corpus hands it only those that match."""
    rows: list[tuple[str, str]] = []
    for speaker in speakers:
        clean = clean_speaker(speaker) if isinstance(speaker, str) else None
        name = _name_of(clean) if clean else None
        if name is None:
            continue
        words = name.split()
        looked = {name, *words[1:], *(" ".join(words[:size]) for size in range(1, len(words)))}
        rows.extend((speaker, form) for form in sorted({mention_form(f) for f in looked}))
    return pd.DataFrame(rows, columns=["speaker", "form"], dtype="string")


@lru_cache(maxsize=1 << 18)
def mention_form(text: str) -> str:
    """The form by which a mention's text (or a speaker's name) is matched: `_ArticleNames`."""
    return normalise(text, PERSON).lower()


@lru_cache(maxsize=1 << 18)
def _name_of(speaker: str) -> str | None:
    """The name a speaker's key is looked up by, without titles; None if it is no person's name."""
    if speaker.isupper() and len(speaker.split()) <= 2:
        speaker = speaker.title()  # "WALLACE:" in a transcript
    if not looks_like_name(speaker):
        return None
    return names.strip_titles(speaker)[0]


class _ArticleNames:
    """Per article, which entity each written form of a person's name resolved to, and how often."""

    def __init__(self, mentions: pd.DataFrame):
        self.forms: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        normal: dict[str, str] = {}
        for a, text, entity, n in zip(mentions["article_id"].tolist(), mentions["text"].tolist(),
                                      mentions["entity"].tolist(), mentions["n"].tolist(), strict=True):
            if not isinstance(text, str) or not isinstance(entity, str):
                continue
            form = normal.get(text)
            if form is None:
                form = normal[text] = mention_form(text)
            self.forms[(a, form)][entity] += int(n)

    def person(self, article: str, speaker: str) -> str | None:
        """The entity the article's mentions of this name resolve to, if one clearly does."""
        name = _name_of(speaker)
        if name is None:
            return None
        found = self._entity(article, name)
        if found is not None:
            return found
        words = name.split()
        for size in range(len(words) - 1, 0, -1):  # "Obama Speech": the mention it starts with,
            rest = words[size:]  # when the other words are no name of the article ("John Smith" is)
            if any((article, mention_form(w)) in self.forms for w in rest):
                return None
            found = self._entity(article, " ".join(words[:size]))
            if found is not None:
                return found
        return None

    def _entity(self, article: str, name: str) -> str | None:
        counts = self.forms.get((article, mention_form(name)))
        if not counts:
            return None
        ranked = counts.most_common()
        if len(ranked) == 1 or ranked[0][1] >= DOMINANCE * sum(n for _, n in ranked[1:]):
            return ranked[0][0]
        return None
