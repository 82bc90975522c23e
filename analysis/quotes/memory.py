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

    def person_options(self, pos: int, para: int, window: int = 3, quote_start: int | None = None) -> list[tuple[int, Key]]:
        """People who can be referred back to, most likely first: for a pronoun at a quotation
        (`quote_start`), someone the sentence before it has just introduced; then recent speakers
        and recent subjects (latest first); then people named but not as a subject."""
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
        introduced = self._introduced(quote_start, para) if quote_start is not None else []
        return introduced + options + fallback

    def introduced_subject(self, quote_start: int, para: int) -> Key | None:
        """The person who is the subject of the main clause of the sentence right before a quotation
        in its paragraph, named after the last speaker and not them: "“…,” Roe said. / On the radio,
        Ruiz rejected the plan. “It helps no one.”" is Ruiz's."""
        ctx, people = self.ctx, self.ctx.people
        last = self.history[-1] if self.history else None
        if last is None or ctx.starts_paragraph(quote_start):
            return None
        target = ctx.sentence_of(quote_start) - 1
        k = people.latest_person_before(quote_start)
        while k >= 0 and people.person_pos[k] > last.pos and ctx.sentence_of(people.person_pos[k]) >= target:
            at = people.person_pos[k]
            if ctx.sentence_of(at) == target and ctx.para_of(at) == para and not self.in_quote(at):
                tok = ctx.doc[bisect.bisect_left(ctx.tok_starts, at)]
                ent = people.ent_of.get(tok.i)
                root = ent.root if ent is not None else tok
                if root.dep_ == "nsubj" and root.head.dep_ == "ROOT" and people.person_key[k] != last.key:
                    return people.person_key[k]
            k -= 1
        return None

    def _introduced(self, quote_start: int, para: int) -> list[tuple[int, Key]]:
        """The person the sentence before a quotation introduces after the last speaker:
        "… for accountant Jo Park, 50. “It helped,” she says." Its subject if it has one, else the
        last person it names; nobody when it names the last speaker again. Only within the
        quotation's paragraph, or the one before when the quotation opens its paragraph."""
        ctx, people = self.ctx, self.ctx.people
        last = next((s for s in reversed(self.history) if s.label == "PERSON"), None)
        if last is None:
            return []
        target = ctx.sentence_of(quote_start) - 1
        while target > 0 and ctx.furniture_sentence(target):
            target -= 1  # "WATCH: …" or a subhead between the introduction and the quotation
        allowed = {para}
        if ctx.starts_paragraph(quote_start):
            prev = para - 1
            while prev > 0 and (ctx.furniture(prev) or ctx.boilerplate_para(prev)):
                allowed.add(prev)
                prev -= 1
            allowed.add(prev)
        if ctx.sentence_of(last.pos) == target or ctx.pronoun_subject_in(target):
            return []  # "Still, he denied Mr. Roe’s request.": the story stays with whoever "he" was
        named: list[int] = []
        k = people.latest_person_before(quote_start)
        while k >= 0 and people.person_pos[k] > last.pos and ctx.sentence_of(people.person_pos[k]) >= target:
            at = people.person_pos[k]
            if ctx.sentence_of(at) == target and ctx.para_of(at) in allowed and not self.in_quote(at):
                if people.person_key[k] == last.key:
                    return []
                if not people.person_poss[k]:
                    named.append(k)
            k -= 1
        if not named:
            return []
        best = next((i for i in named if people.person_subj[i]), named[0])
        return [(people.person_pos[best], people.person_key[best])]

    def only_quotes_between(self, a: int, b: int) -> bool:
        """Whether every paragraph strictly between paragraphs a and b is (mostly) quotation."""
        ctx = self.ctx
        for p in range(a + 1, b):
            ps, pe = ctx.para_starts[p], ctx.para_ends[p]
            if ctx.marks.quoted_chars(ps, pe) < 0.8 * (pe - ps):
                return False
        return True
