"""The article as every pass sees it: body, paragraphs and tokens, with its quotation marks
(`Marks`) and the people it names (`People`) indexed once, so that each later question is a
bisect, not a scan.

The parse of a small model runs sentences over paragraph breaks (a heading glued to the next
line); a quote or a speaker never does, so the passes clip what they take to its paragraph.
"""
from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc, Token

from analysis.quotes.marks import Marks
from analysis.quotes.people import People
from analysis.records import Article

# Link lines to other stories ("READ MORE: Trudeau says …"): their headline is no quote here.
BOILERPLATE = re.compile(
    r"(?:READ MORE|MORE|RELATED|WATCH|LISTEN|SEE ALSO|ALSO READ|READ|Read more|Related|Watch|VIDEO|PHOTOS?)"
    r"(?:\s+[A-Z]+){0,2}\s*:")
SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "at", "by", "with", "from", "as"}


class Context:
    """Per-article lookups shared by the passes."""

    def __init__(self, doc: Doc, article: Article) -> None:
        self.doc = doc
        self.text = article.text
        self.article = article
        self.body_start = article.body_start or headline_end(article.text)
        self.tok_starts = [t.idx for t in doc]
        self.first_body_tok = bisect.bisect_left(self.tok_starts, self.body_start)
        self._paragraphs()
        self.transcript_paras: set[int] = set()  # paragraphs that are lines of an interview transcript
        self.marks = Marks(self)
        self.inside = self.marks.inside  # per token: the quotation it sits inside, or -1
        self.people = People(self)

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

    def boilerplate(self, char: int) -> bool:
        """Whether the paragraph is a link to another story ("READ MORE: Trudeau says …"), whose
        headline is not a quote in this article."""
        return self._boiler[self.para_of(char)]

    def boilerplate_para(self, p: int) -> bool:
        return self._boiler[p]

    def para_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, char) - 1)

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
