"""Who the story was just about: the speakers resolved so far and the people named lately.

"He", "the company" and a quotation with no cue all point back to whoever the story was just
about, so speakers are resolved in document order and each resolution is remembered here.
Someone named inside what a speaker said is rarely the next "he", so the quotes' own spans are
kept too.
"""
from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from analysis.quotes.context import Context

Key = tuple[str, ...]
Resolution = tuple[str | None, str | None, str | None]  # (speaker name, label, description)
NOBODY: Resolution = (None, None, None)


class Said(NamedTuple):
    """One resolved speaker at a position of the article."""

    pos: int
    name: str
    label: str
    key: Key | None
    para: int


class Memory:
    def __init__(self, ctx: Context, spans: list[tuple[int, int]]) -> None:
        self.ctx = ctx
        self.spans = sorted(spans)
        self.span_starts = [a for a, _ in self.spans]
        self.history: list[Said] = []

    def remember(self, pos: int, name: str, label: str, key: Key | None, para: int) -> None:
        self.history.append(Said(pos, name, label, key, para))

    def recent(self) -> list[Said]:
        """The last few speakers, latest first."""
        return self.history[-6:][::-1]

    def in_quote(self, pos: int) -> bool:
        k = bisect.bisect_right(self.span_starts, pos) - 1
        return k >= 0 and self.spans[k][1] > pos

    def person_options(self, pos: int, para: int, window: int = 3) -> list[tuple[int, Key]]:
        """People who can be referred back to: recent speakers and recent subjects, latest first;
        people named but not as a subject come last."""
        people = self.ctx.people
        options = [(s.pos, s.key) for s in self.recent()
                   if s.label == "PERSON" and s.key is not None and s.para >= para - window]
        fallback: list[tuple[int, Key]] = []
        k = people.latest_person_before(pos)
        seen = 0
        while k >= 0 and seen < 15:
            at = people.person_pos[k]
            if self.ctx.para_of(at) < para - window:
                break
            if self.in_quote(at):
                pass  # someone named inside what a speaker said is rarely the next "he"
            elif people.person_subj[k]:
                options.append((at, people.person_key[k]))
            else:
                fallback.append((at, people.person_key[k]))
            k -= 1
            seen += 1
        options.sort(key=lambda o: -o[0])
        return options + fallback

    def only_quotes_between(self, a: int, b: int) -> bool:
        """Whether every paragraph strictly between paragraphs a and b is (mostly) quotation."""
        ctx = self.ctx
        for p in range(a + 1, b):
            ps, pe = ctx.para_starts[p], ctx.para_ends[p]
            if ctx.marks.quoted_chars(ps, pe) < 0.8 * (pe - ps):
                return False
        return True
