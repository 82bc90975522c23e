"""Typed records that flow from the loaders through the extractors into the store.

Every record is a plain dataclass so the store can derive its Parquet schema from the fields:
adding a field to a record adds a column, with no second schema to keep in step.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """One article as read from disk.

    `text` is the file's text exactly as decoded, so every character offset that an extractor
    reports (entities, quotes) points into the file a user can open. Header lines that the loader
    recognised as metadata (title, byline, date) stay in `text`; `body_start` marks where the
    article body begins so extractors can ignore the header.
    """

    article_id: str
    source: str  # path of the input file; "path#row" for one row of a JSON/CSV file
    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd, or None when the article gives no date
    outlet: str | None = None
    url: str | None = None
    body_start: int = 0
    encoding: str = "utf-8"

    @property
    def body(self) -> str:
        return self.text[self.body_start:]

    @property
    def word_count(self) -> int:
        return len(self.body.split())


@dataclass(frozen=True)
class Problem:
    """Something wrong with one input: reported with the file (and line) and never fatal.

    `rejected` problems cost an article (or a row); the others are notices, such as a file that
    was decoded with a fallback encoding but still ingested.
    """

    source: str
    reason: str
    line: int | None = None
    rejected: bool = True

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class EntityMention:
    """One named-entity mention with its character offsets in `Article.text`."""

    article_id: str
    start: int
    end: int
    text: str
    label: str
    canonical: str  # the name the mention counts under (within-article resolution, normalised)
    sentence: int  # sentence index in the article, for co-occurrence
    title: str | None = None  # honorific or office just before a name ("Mr", "Mrs", "Gov", "President")
    # PERSON mentions: what the sentence says the person is ("Republican presidential nominee",
    # "a nuclear affairs expert at MIT"), see analysis.descriptors
    descriptor: str | None = None


@dataclass
class Quote:
    """One quote with its attribution. Offsets are of the quote's content in `Article.text`."""

    article_id: str
    start: int
    end: int
    text: str
    kind: str  # "direct" | "indirect" | "mixed"
    cue: str | None = None
    speaker: str | None = None  # resolved full name or description, None when unknown
    speaker_mention: str | None = None  # the words at the cue: "she", "Narang"
    speaker_description: str | None = None
    speaker_label: str | None = None  # PERSON / ORG / GROUP / UNNAMED ...
    mention_start: int | None = None
    mention_end: int | None = None
    cue_start: int | None = None
    sentence: int | None = None
    paragraph: int | None = None  # paragraph index in the body, so consecutive quotes can be shown together
    channel: str | None = None  # the document or medium the words came through: "a statement", "the lawsuit"
    co_speakers: list[str] = field(default_factory=list)  # each person when several spoke: "X and Y said"


@dataclass
class Speaker:
    """A speaker as one article names them: the full name and every description it gives."""

    article_id: str
    name: str
    label: str  # PERSON, ORG, GROUP, UNNAMED
    description: str | None = None
    mentions: list[str] = field(default_factory=list)
    quote_count: int = 0


@dataclass
class Claim:
    """What one quote is about and what it asserts about it, read from the parse at ingest.

    Keyed like its quote (`article_id`, `start`), so the two join without a new identifier; kept
    as its own record so the quote extractor and this one evolve apart. `subject_key` is the
    within-article name the grouping starts from (an entity's canonical name, a noun phrase's
    lemmas, or the speaker's name for "I"/"we"); the corpus step resolves it further.
    """

    article_id: str
    start: int  # the quote's start offset
    subject: str | None  # as the article names it: "North Korea", "the talks", "Vipin Narang"
    subject_key: str | None  # what groups: "North Korea", "talk", "Vipin Narang"
    subject_kind: str  # "entity" | "speaker" | "noun" | "none"
    subject_label: str | None  # the entity label (PERSON, GPE, ...) for an entity subject
    mentions: list[str] = field(default_factory=list)  # entities the statement names (not its speaker)
    context: str | None = None  # the entity the text was about just before the quote
    predicate: str | None = None  # lemma of the main verb with its particle: "buy", "break down"
    claim: str = ""  # the assertion as the statement words it: "North Korea is also buying time"
    terms: list[str] = field(default_factory=list)  # content lemmas of the assertion (not the subject)
    words: list[str] = field(default_factory=list)  # the quote's other content lemmas (weaker features)
    negated: bool = False  # "did not fail", or reported through a denial ("deny that ...")
    modality: str | None = None  # "will", "could", "must", ...
    hedges: str | None = None  # "probably; I think"
    stance_score: float = 0.0  # cue words for (+) and against (-) the subject, after negation
    stance_evidence: str = ""
