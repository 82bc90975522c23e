"""Reported speech closed by its cue: "…, Foster writes.", "…, argued Palvetzian.", "“…,” Lee states.".

English puts the speaker and the verb after the words as a short tail: a comma, a noun phrase
and a reporting verb (in either order), perhaps when or where it was said, and the end of the
sentence. The tail is read from the words themselves, because the parse of such a sentence is
often wrong: "states" tagged as a plural noun, "argued Palvetzian" parsed with the speaker as
the verb's object, "those that were white, Foster writes" with the subject taken from the
reported clause. What was said is everything before the comma, from the start of the sentence.
"""
from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from analysis.quotes.lexicon import PERSONAL, PLURAL_PRONOUNS, cue_lexicon
from analysis.quotes.marks import QUOTE_TOKENS
from analysis.quotes.mentions import Mention, mention

if TYPE_CHECKING:
    from analysis.quotes.context import Context

SENTENCE_END = {".", "!", "?"}
# Forms of reporting verbs the lemmatizer may miss when the tagger reads them as nouns.
IRREGULAR = {"said": "say", "says": "say", "wrote": "write", "told": "tell", "tells": "tell"}
# Words of a speaker's phrase ("Foster", "the former minister", "Dr. Jo Lee", "he"), at most MAX_PHRASE.
PHRASE_POS = {"PROPN", "NOUN", "DET", "ADJ", "NUM"}
MAX_PHRASE = 6
# When and where it was said, after the verb ("on Monday", "in a statement"), at most MAX_TAIL words.
TAIL_POS = {"ADP", "DET", "NOUN", "PROPN", "ADJ", "NUM", "ADV"}
MAX_TAIL = 6
# Links after a verb to what it says or does: with one, the verb does not close a report.
OBJECTS = ("dobj", "ccomp", "xcomp", "attr", "oprd", "dative")


def trailing_cue(ctx: Context, cue: Token) -> tuple[tuple[int, int], Mention] | None:
    """(content token span, speaker) when `cue` closes its sentence as a tail, else None."""
    if not _verb_form(cue):
        return None
    found = _speaker_then_cue(ctx, cue) or _cue_then_speaker(ctx, cue)
    if found is None:
        return None
    comma, head = found
    content = _content(ctx, comma)
    if content is None:
        return None
    return content, mention(ctx, head)


def _verb_form(t: Token) -> bool:
    """A finite form of a reporting verb, by its spelling: the tagger may call "states" a noun."""
    low = t.lower_
    indirect, _, _ = cue_lexicon()
    lemma = IRREGULAR.get(low) or t.lemma_.lower()
    if lemma not in indirect or not t.text[:1].islower():
        return False
    return low in (lemma + "s", lemma + "es", lemma + "d", lemma + "ed") or low in IRREGULAR or \
        (lemma.endswith("y") and low == lemma[:-1] + "ies")


def _ends_sentence(ctx: Context, i: int) -> bool:
    """Whether the sentence ends at token i: a full stop, or the end of the paragraph."""
    doc = ctx.doc
    _, pb = ctx.para_tokens(doc[min(i, len(doc) - 1)])
    return i > pb or i >= len(doc) or doc[i].text in SENTENCE_END


def _after_tail(ctx: Context, j: int) -> int | None:
    """Where the sentence ends when, from token j, only when or where it was said stands before
    its end (None when more follows: the cue does not close the sentence)."""
    doc = ctx.doc
    k = j
    while k < len(doc) and k - j <= MAX_TAIL and not _ends_sentence(ctx, k):
        if doc[k].pos_ not in TAIL_POS or ctx.inside[k] >= 0:
            return None
        k += 1
    return k if _ends_sentence(ctx, k) else None


def _phrase_head(ctx: Context, a: int, b: int) -> Token | None:
    """The head of a speaker's phrase spanning tokens a..b: its last noun or a pronoun."""
    doc = ctx.doc
    if b < a or b - a >= MAX_PHRASE:
        return None
    words = doc[a:b + 1]
    if len(words) == 1 and words[0].lower_ in PERSONAL | PLURAL_PRONOUNS:
        return words[0]
    if any(t.pos_ not in PHRASE_POS and t.text != "." or ctx.inside[t.i] >= 0 for t in words):
        return None
    nouns = [t for t in words if t.pos_ in ("PROPN", "NOUN")]
    return nouns[-1] if nouns and (nouns[-1].pos_ == "PROPN" or nouns[-1].is_title or words[0].pos_ == "DET") else None


def _speaker_then_cue(ctx: Context, cue: Token) -> tuple[int, Token] | None:
    """"…, Foster writes." / "…, the minister said on Monday.": (comma, speaker's head)."""
    doc = ctx.doc
    end = _after_tail(ctx, cue.i + 1)
    if end is None or any(cue.i < c.i < end and c.dep_ in OBJECTS for c in cue.children):
        return None  # "Mexico said enough": the verb's object is what was said
    pa, _ = ctx.para_tokens(cue)
    k = cue.i - 1
    while k >= pa and k >= cue.i - MAX_PHRASE and doc[k].text not in (",", *QUOTE_TOKENS):
        k -= 1
    if k < pa or doc[k].text not in (",", *QUOTE_TOKENS):
        return None
    comma = k - 1 if doc[k].text in QUOTE_TOKENS and k > pa and doc[k - 1].text == "," else k
    if doc[comma].text != ",":
        return None
    head = _phrase_head(ctx, k + 1, cue.i - 1)
    return (comma, head) if head is not None else None


def _cue_then_speaker(ctx: Context, cue: Token) -> tuple[int, Token] | None:
    """"…, argued Palvetzian." / "…, said the minister.": (comma, speaker's head)."""
    doc = ctx.doc
    k = cue.i - 1
    if k > 0 and doc[k].text in QUOTE_TOKENS:
        k -= 1
    if k <= 0 or doc[k].text != ",":
        return None
    j = cue.i + 1
    while j < len(doc) and j - cue.i <= MAX_PHRASE and not _ends_sentence(ctx, j) and doc[j].text != ",":
        j += 1
    if not _ends_sentence(ctx, j):
        return None
    head = _phrase_head(ctx, cue.i + 1, j - 1)
    return (k, head) if head is not None else None


def _content(ctx: Context, comma: int) -> tuple[int, int] | None:
    """Tokens of what was said: the quotation the comma closes, else from the start of the
    sentence (or of the paragraph) to just before the comma, when that reads as a clause."""
    doc = ctx.doc
    pa, _ = ctx.para_tokens(doc[comma])
    b = comma - 1
    if ctx.inside[comma] >= 0:  # "“…,” Lee states": the quotation
        a = bisect.bisect_left(ctx.tok_starts, ctx.marks.items[ctx.inside[comma]].start)
    else:
        a = comma - 1
        while a > pa and not _sentence_ends_before(doc, a, pa):
            a -= 1
    while a < b and (doc[a].is_space or doc[a].is_punct and doc[a].text not in QUOTE_TOKENS):
        a += 1
    if b - a < 3 or not _clause(doc, a, b):
        return None
    return a, b


def _sentence_ends_before(doc: Doc, a: int, pa: int) -> bool:
    """Whether a sentence ends just before token a: "… years." or "… climate.”"."""
    prev = doc[a - 1].text
    return prev in SENTENCE_END or (prev in QUOTE_TOKENS and a - 2 >= pa and doc[a - 2].text in SENTENCE_END)


def _clause(doc: Doc, a: int, b: int) -> bool:
    """A clause with a verb and a subject, not an adverbial ("But when Congress cut funding")."""
    if not any(doc[x].pos_ in ("VERB", "AUX") for x in range(a, b + 1)):
        return False
    if not any(doc[x].dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for x in range(a, b + 1)):
        return False
    f = a + 1 if doc[a].pos_ == "CCONJ" and a + 1 < b else a
    while f < b and doc[f].text in QUOTE_TOKENS:
        f += 1
    # a gerund may open the clause as its subject ("Cutting the route would save money")
    return not (doc[f].pos_ in ("SCONJ", "ADP") or doc[f].tag_ in ("VBN", "WRB"))
