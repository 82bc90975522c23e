"""Where the article's quotations are: every stretch between double quotation marks, paragraph
by paragraph.

Marks are read from the characters, not the tokens, because outlets write them every way:
curly or straight, two apostrophes or backticks for a double mark (older wire copy), British
single marks with double ones nested inside, and a quotation that runs over several
paragraphs opens each of them again without closing the one before.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.quotes.context import Context

DOUBLE_MARKS = '"“”„«»‟″'
OPENING_ONLY = "“„«‟"
CLOSING_ONLY = "”»"
QUOTE_TOKENS = set(DOUBLE_MARKS) | {"''", "``", "‘", "’"}
DASH_CHARS = "—–―‒-"  # em, en, horizontal bar, figure dash, hyphen: all stand for a dash in news copy
DASHES = {*DASH_CHARS, "--"}
PAIR_FILLER = "\u2060"  # stands in for the second character of '' and `` while scanning
SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[—–―]))‘(?=[^\W_])", re.M)
DOUBLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[—–―]))[“\"](?=\S)", re.M)


@dataclass
class Marked:
    """A stretch of text between double quotation marks, marks included."""

    start: int
    end: int
    para: int
    closed: bool
    continues: bool = False  # opens a paragraph after a paragraph whose quote never closed
    used: bool = False


class Marks:
    """The quotations of one article in text order, and which token sits inside which."""

    def __init__(self, ctx: Context) -> None:
        text = _scannable(ctx.text, ctx.text[ctx.body_start:])
        found: list[Marked] = []
        unclosed = False
        for p, (ps, pe) in enumerate(zip(ctx.para_starts, ctx.para_ends, strict=True)):
            in_para, unclosed = _scan_paragraph(text, p, ps, pe, unclosed)
            found.extend(in_para)
        self.items = found
        self.starts = [m.start for m in found]
        # which mark (if any) each token sits inside, strictly between its marks
        inside = [-1] * len(ctx.doc)
        for k, m in enumerate(found):
            a = bisect.bisect_left(ctx.tok_starts, m.start + 1)
            b = bisect.bisect_left(ctx.tok_starts, m.end - 1)
            for ti in range(a, b):
                inside[ti] = k
        self.inside = inside

    def overlapping(self, start: int, end: int) -> list[Marked]:
        i = max(bisect.bisect_right(self.starts, start) - 1, 0)
        out = []
        while i < len(self.items) and self.items[i].start < end:
            m = self.items[i]
            if m.end > start:
                out.append(m)
            i += 1
        return out

    def quoted_chars(self, start: int, end: int) -> int:
        return sum(max(0, min(end, m.end) - max(start, m.start)) for m in self.overlapping(start, end))

    def opens_at(self, char: int) -> bool:
        """Whether a quotation opens at this character."""
        k = bisect.bisect_left(self.starts, char)
        return k < len(self.items) and self.items[k].start == char


def single_quote_style(body: str) -> bool:
    """Whether the article quotes speech in single quotation marks (‘…’), as British outlets do."""
    singles = len(SINGLE_OPEN.findall(body))
    return singles >= 3 and singles > 2 * len(DOUBLE_OPEN.findall(body))


def _scannable(text: str, body: str) -> str:
    """The text with every speech mark written as a double mark, same length and offsets."""
    # some outlets (and older wire copy) write double quotes as two apostrophes or backticks
    text = text.replace("''", '"' + PAIR_FILLER).replace("``", '"' + PAIR_FILLER)
    if single_quote_style(body):
        # British style: ‘…’ for speech and “…” inside it. Swap their roles for the scan;
        # a ’ followed by a letter stays an apostrophe (don’t, Ri’s).
        text = re.sub(r"[“”\"]", "\u02ba", text)
        text = text.replace("‘", "“")
        # "the workers’ union": after an s and before a word, ’ is a plural possessive
        text = re.sub(r"(?<![sS])’(?![^\W_])|’(?=[.,;:!?)\]—–―‒-]|\s*$)", "”", text, flags=re.M)
    return text


def _roles(text: str, i: int, ps: int, pe: int) -> tuple[bool, bool]:
    """(may open, may close) for the mark at `i`, from the characters around it."""
    ch = text[i]
    before = text[i - 1] if i > ps else " "
    after = text[i + 1] if i + 1 < pe else " "
    opener = (before.isspace() or before in "([{/:" + DASH_CHARS or before in DOUBLE_MARKS) and not after.isspace()
    closer = not before.isspace() and (after.isspace() or not after.isalnum())
    if ch in OPENING_ONLY and not closer:
        opener = True
    if ch in CLOSING_ONLY and not opener:
        closer = True
    if not opener and not closer and before.isspace() and after.isspace():
        closer = True  # "the term 'outreach,' " he said": a space after the inner quotation's mark
    return opener, closer


def _close_end(text: str, i: int) -> int:
    return i + 2 if text[i + 1:i + 2] == PAIR_FILLER else i + 1


def _scan_paragraph(text: str, p: int, ps: int, pe: int, was_unclosed: bool) -> tuple[list[Marked], bool]:
    """The quotations of one paragraph, and whether its last one is left open.

    A paragraph that opens with a mark after one whose quotation never closed continues it."""
    found: list[Marked] = []

    def add(start: int, end: int, closed: bool) -> None:
        found.append(Marked(start, end, p, closed, continues=was_unclosed and not found and start == ps))

    open_at: int | None = None
    for i in range(ps, pe):
        if text[i] not in DOUBLE_MARKS:
            continue
        opener, closer = _roles(text, i, ps, pe)
        if open_at is None:
            if opener or i == ps:
                open_at = i
        elif closer and not (opener and not text[open_at + 1:i].strip(" " + PAIR_FILLER)):
            if i > open_at + 1:
                add(open_at, _close_end(text, i), True)
            open_at = None
        elif opener:
            if text[open_at + 1:i].strip():
                add(open_at, open_at + 1 + len(text[open_at + 1:i].rstrip()), False)
            open_at = i
    unclosed = open_at is not None and bool(text[open_at + 1:pe].strip(" " + PAIR_FILLER))
    if open_at is not None and unclosed:
        add(open_at, pe, False)
    return found, unclosed
