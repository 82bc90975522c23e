"""The article as every pass sees it: body, paragraphs and tokens, with its quotation marks
(`Marks`) and the people it names (`People`) indexed once, so that each later question is a
bisect, not a scan.

The parse of a small model runs sentences over paragraph breaks (a heading glued to the next
line); a quote or a speaker never does, so the passes clip what they take to its paragraph.
"""
from __future__ import annotations

import bisect
import re
from typing import cast

from spacy.attrs import IDX
from spacy.symbols import PROPN
from spacy.tokens import Doc, Token

from analysis.names import PRONOUN_GENDER
from analysis.quotes.lexicon import cue_words
from analysis.quotes.marks import Marks
from analysis.quotes.people import People
from analysis.records import Article

# Link lines to other stories ("READ MORE: Trudeau says …"): their headline is no quote here.
BOILERPLATE = re.compile(
    r"(?:READ MORE|MORE|RELATED|WATCH|LISTEN|SEE ALSO|ALSO READ|READ|Read more|Related|Watch|VIDEO|PHOTOS?)"
    r"(?:\s+[A-Z]+){0,2}\s*:")
# A photo caption: the gallery button before it, the photographer's credit closing it ("… at a rally
# in May. (Jane Roe/The Daily Courier)", "… in 2015. Jo Lee/Reuters"), or where each one stands.
_CREDIT = r"(?:[A-Z][\w.'-]*\s?){1,4}/\s?[A-Z][\w.'&-]*(?:[\s/]+[A-Z][\w.'&-]*){0,4}"
CAPTION = re.compile(r"^Open this photo in gallery|\bvia Getty Images\b|\([^()]*\b(?:[Pp]hoto|PHOTO)\b[^()]*\)\s*$"
                     rf"|\(\s*(?:For\s)?{_CREDIT}\s*\)\s*$|[.!?]\s+{_CREDIT}\s*$"
                     r"|\b[A-Z][\w'’-]+,\s(?:far\s)?(?:left|right|centre|center),")  # "daughters Judy, left, and …"
SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "at", "by", "with", "from", "as"}


class Context:
    """Per-article lookups shared by the passes."""

    def __init__(self, doc: Doc, article: Article) -> None:
        self.doc = doc
        self.text = article.text
        self.article = article
        self.body_start = article.body_start or headline_end(article.text)
        self.tok_starts: list[int] = cast(list[int], doc.to_array([IDX]).reshape(-1).tolist()) if len(doc) else []
        self.sent_starts = [sent.start_char for sent in doc.sents] if doc.has_annotation("SENT_START") else [0]
        self.first_body_tok = bisect.bisect_left(self.tok_starts, self.body_start)
        self._paragraphs()
        self.transcript_paras: set[int] = set()  # paragraphs that are lines of an interview transcript
        self.marks = Marks(self)
        self.inside = self.marks.inside  # per token: the quotation it sits inside, or -1
        self._scan_tokens()
        self.people = People(self)

    def _scan_tokens(self) -> None:
        """One pass over the body's tokens, keeping those a later pass looks at: possible cues
        (by lemma), proper nouns, subjects and gendered pronouns. Every pass then walks a short
        list, not the doc. Attributes are compared as the parser's integer ids, which is cheap."""
        strings = self.doc.vocab.strings
        words = cue_words()
        is_word: dict[int, bool] = {}
        subject_deps = {strings.add("nsubj"), strings.add("nsubjpass")}
        pronouns = {strings.add(p) for p in PRONOUN_GENDER}
        according = strings.add("according")
        self.cue_tokens: list[Token] = []
        self.propn_tokens: list[Token] = []
        self.subject_tokens: list[Token] = []
        self.pronoun_tokens: list[Token] = []  # he, she and their forms, for the gender vote
        for t in self.doc[self.first_body_tok:]:
            lemma = t.lemma
            hit = is_word.get(lemma)
            if hit is None:
                hit = is_word[lemma] = strings[lemma].lower() in words
            lower = t.lower
            if hit or lower == according:
                self.cue_tokens.append(t)
            if t.pos == PROPN:
                self.propn_tokens.append(t)
            if t.dep in subject_deps:
                self.subject_tokens.append(t)
            if lower in pronouns:
                self.pronoun_tokens.append(t)

    def _paragraphs(self) -> None:
        starts: list[int] = []
        ends: list[int] = []
        pos = self.body_start
        for line in self.text[self.body_start:].split("\n"):
            stripped = line.strip()
            if stripped:
                lead = len(line) - len(line.lstrip())
                starts.append(pos + lead)
                ends.append(pos + lead + len(stripped))
            pos += len(line) + 1
        self.para_starts = starts
        self.para_ends = ends
        self._boiler = [bool(BOILERPLATE.match(self.text[a:min(b, a + 40)])) for a, b in zip(starts, ends, strict=True)]
        self._caption = [bool(CAPTION.search(self.text[a:b])) for a, b in zip(starts, ends, strict=True)]

    def boilerplate(self, char: int) -> bool:
        """Whether the paragraph is a link to another story ("READ MORE: Trudeau says …"), whose
        headline is not a quote in this article."""
        return self._boiler[self.para_of(char)]

    def boilerplate_para(self, p: int) -> bool:
        return self._boiler[p]

    def caption(self, p: int) -> bool:
        """Whether paragraph p is a photo caption: the people it names stand in a picture, not in
        the story, and are never the next "he" or "the company"."""
        return self._caption[p]

    def para_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, char) - 1)

    def sentence_of(self, char: int) -> int:
        return bisect.bisect_right(self.sent_starts, char) - 1

    def pronoun_subject_in(self, sentence: int) -> bool:
        """Whether the sentence has "he", "she" or "they" as a subject outside quotation marks."""
        if not 0 <= sentence < len(self.sent_starts):
            return False
        a = bisect.bisect_left(self.tok_starts, self.sent_starts[sentence])
        end = self.sent_starts[sentence + 1] if sentence + 1 < len(self.sent_starts) else len(self.text)
        b = bisect.bisect_left(self.tok_starts, end)
        return any(t.dep_ in ("nsubj", "nsubjpass") and t.lower_ in ("he", "she", "they") and self.inside[t.i] < 0
                   for t in self.doc[a:b])

    def furniture_sentence(self, sentence: int) -> bool:
        """Whether the sentence stands in a furniture or link paragraph ("WATCH: …", a subhead)."""
        p = self.para_of(self.sent_starts[sentence])
        return self.furniture(p) or self.boilerplate_para(p)

    def furniture(self, p: int) -> bool:
        """A short line with no sentence punctuation: a subhead, a link or page furniture ("Story
        continues below advertisement"), whose names are no one the story is about."""
        line = self.text[self.para_starts[p]:self.para_ends[p]]
        return len(line.split()) <= 8 and line[-1:] not in ".!?:;\"”’'),"

    def starts_paragraph(self, char: int) -> bool:
        """Whether only quotation marks or spaces stand between the paragraph's start and `char`."""
        p = self.para_of(char)
        return not self.text[self.para_starts[p]:char].strip(" \u00a0\"“‘'`")

    def para_tokens(self, tok: Token) -> tuple[int, int]:
        """First and last token index of the paragraph holding `tok`."""
        p = self.para_of(tok.idx)
        a = bisect.bisect_left(self.tok_starts, self.para_starts[p])
        b = bisect.bisect_left(self.tok_starts, self.para_ends[p]) - 1
        return a, max(a, b)

    def line_start_tok(self, tok: Token) -> int:
        return bisect.bisect_left(self.tok_starts, self.para_starts[self.para_of(tok.idx)])

    def span_text(self, a: int, b: int) -> str:
        """Text of tokens a..b inclusive."""
        doc = self.doc
        return self.text[doc[a].idx:doc[b].idx + len(doc[b].text)]


def headline_end(text: str) -> int:
    """Where the body starts when the loader found no header: after a first line in headline case.

    "Obama Says African-American Museum Will Tell of 'Suffering and Delight.'" is a title, not a
    quote by someone called "Obama Says"."""
    stripped = text.lstrip()
    first = stripped.split("\n", 1)[0].strip()
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", first) if w.lower() not in SMALL_WORDS]
    capitalised = sum(w[0].isupper() for w in words)
    if len(words) < 4 or "\n" not in stripped or capitalised < 0.9 * len(words) or \
            (first.endswith(".") and (capitalised < len(words) or len(words) < 5)):
        return 0
    return len(text) - len(stripped) + len(stripped.split("\n", 1)[0]) + 1
