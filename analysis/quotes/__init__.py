"""Quotes and who said them, from one parsed article: `extract_quotes(doc, article)`.

Two passes meet in the middle. The syntactic pass (`syntax`) starts from reporting verbs
(`lexicon`: "said", "told", "according to") and takes the clause they govern: that finds
indirect speech and quotes whose cue is in the same sentence; a cue that closes its sentence
("…, Foster writes.") is also read from the words, where the parse of such a tail often fails
(`trailing`). The quotation-mark pass (`quoted`, over the marks found by `marks`) catches what
the parse misses (quotes introduced by a colon or a dash, quotes split by their cue, quotes that
run over paragraphs, floating quotes that continue the previous speaker) and drops short quoted
terms with no cue at all, which are scare quotes or titles, not anyone's words; a quotation that
is the label a naming verb gives ("called the plan “a disgrace”") is its subject's (`naming`).
Between them, interview transcripts ("PENCE: Well, look, …") are attributed by their labels
(`transcripts`), pull quotes ("… every driver. Ana Ruiz") by the name that signs them, and block
quotations by the cue that ends the paragraph before them with a colon (`pullquotes`).

The words at a cue become a mention (`subjects`, `mentions`); speakers are resolved in document
order (`resolve`, `pronouns`, `memory`), because "he", "the company" and a quote with no cue all
point back to whoever the story was just about, using the article's people (`people`); a
document that speaks stands for its issuer (`documents`), and a named speaker gets the
description the article gives them anywhere (`descriptions`). The parse of a small model fails
in known ways (headings and photo credits glued to the next sentence, a quoted fragment taken
for a subject), so spans and speakers are clipped to their paragraph and checked (`context`).

Everything is linear in the number of tokens (plus walks up the dependency tree), because this
runs on every article at ingest and must stay cheap next to the parse itself.
"""
from __future__ import annotations

from analysis.quotes.extract import extract_quotes

VERSION = "6"

__all__ = ["VERSION", "extract_quotes"]
