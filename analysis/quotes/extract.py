"""`extract_quotes`: the passes in order, then one record per quote and per speaker."""
from __future__ import annotations

import bisect

from spacy.tokens import Doc

from analysis.quotes.candidates import Candidate, dedupe
from analysis.quotes.context import Context
from analysis.quotes.descriptions import descriptions_from_previous_sentence, fill_descriptions
from analysis.quotes.naming import naming_candidates
from analysis.quotes.pullquotes import block_quote_candidates, pull_quote_candidates
from analysis.quotes.quoted import mark_candidates
from analysis.quotes.resolve import Resolver
from analysis.quotes.syntax import syntactic_candidates
from analysis.quotes.transcripts import transcript_candidates
from analysis.records import Article, Quote, Speaker

# The most words a cue between the two halves of a split quotation takes ("Easley told me by email").
SPLIT_CUE_WORDS = 12


def extract_quotes(doc: Doc, article: Article) -> tuple[list[Quote], list[Speaker]]:
    """Every quote in the article body with its speaker, and the article's speakers."""
    ctx = Context(doc, article)
    cands = find_candidates(ctx)
    resolver = Resolver(ctx, [(c.start, c.end) for c in cands])
    quotes: list[Quote] = []
    speakers: dict[str, Speaker] = {}
    sent_starts = ctx.sent_starts
    prev: Candidate | None = None
    for c in cands:
        name, label, desc = resolver.resolve(c)
        if name:
            _count(speakers, article.article_id, c, name, label, desc)
        q = _record(article, c, name, label, desc, max(0, bisect.bisect_right(sent_starts, c.start) - 1))
        if c.floating and prev is not None and name and quotes and quotes[-1].speaker == name:
            _second_half(ctx, prev, c, q)
        quotes.append(q)
        prev = c
    fill_descriptions(ctx, speakers)
    descriptions_from_previous_sentence(ctx, cands, speakers)
    for q in quotes:
        if q.speaker and q.speaker in speakers:
            q.speaker_description = speakers[q.speaker].description
    return quotes, list(speakers.values())


def find_candidates(ctx: Context) -> list[Candidate]:
    """The passes in order: syntax, labels, transcripts, pull and block quotes, quotation marks, each
    skipping what is taken."""
    cands = dedupe(ctx.text, syntactic_candidates(ctx))
    cands += naming_candidates(ctx, [(c.start, c.end) for c in cands])
    cands += transcript_candidates(ctx, [(c.start, c.end) for c in cands])
    cands += pull_quote_candidates(ctx, [(c.start, c.end) for c in cands])
    cands += block_quote_candidates(ctx, [(c.start, c.end) for c in cands])
    cands += mark_candidates(ctx, [(c.start, c.end) for c in cands])
    cands = dedupe(ctx.text, cands)
    for c in cands:
        # full names given at any cue help resolve short mentions anywhere in the article
        m = c.mention
        if m is not None and m.label == "PERSON" and m.name and len(m.name.split()) >= 2:
            ctx.people.names.add(m.name, m.start)
    return cands


def _second_half(ctx: Context, first: Candidate, second: Candidate, q: Quote) -> None:
    """"“We cannot wait,” she said. “The budget is stretched.”": the cue between the halves of a
    split quotation attributes both, so the second half keeps its mention (not a quotation that
    continues on its own in a later sentence or paragraph)."""
    m, cue = first.mention, first.cue
    if m is None or cue is None or not (first.end <= m.start and cue.idx < second.start):
        return
    between = ctx.text[first.end:second.start]
    if "\n" in between or len(between.split()) > SPLIT_CUE_WORDS or not between.rstrip().endswith((".", ",", ":")) \
            or ctx.sentence_of(second.start) - ctx.sentence_of(cue.idx) > 1:
        return  # "“…,” Roe said. The mayor left. “…”": a sentence between, the cue is no longer at hand
    q.speaker_mention, q.mention_start, q.mention_end = m.text, m.start, m.end


def _count(speakers: dict[str, Speaker], article_id: str, c: Candidate, name: str, label: str | None,
           desc: str | None) -> None:
    sp = speakers.get(name)
    if sp is None:
        sp = speakers[name] = Speaker(article_id, name, label or "UNNAMED")
    if desc and not sp.description:
        sp.description = desc
    if c.mention is not None and c.mention.text not in sp.mentions:
        sp.mentions.append(c.mention.text)
    sp.quote_count += 1


def _record(article: Article, c: Candidate, name: str | None, label: str | None, desc: str | None,
            sentence: int) -> Quote:
    m = c.mention
    return Quote(
        article_id=article.article_id, start=c.start, end=c.end, text=article.text[c.start:c.end],
        kind=c.kind, cue=c.cue_text, speaker=name, speaker_mention=m.text if m else None,
        speaker_description=desc, speaker_label=label,
        mention_start=m.start if m else None, mention_end=m.end if m else None,
        cue_start=c.cue.idx if c.cue is not None else None, sentence=sentence, paragraph=c.para,
        channel=c.channel or (m.channel if m else None), co_speakers=list(c.co_speakers),
    )
