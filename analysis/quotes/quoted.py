"""Quotes found from their quotation marks: what the parse misses.

A quotation introduced by a colon or a dash, split by its cue, running over paragraphs, or
floating after the previous speaker's quote is found here. A short quoted term with no cue, or
a quotation inside a noun phrase ('the "Buffett rule"', 'called it a "twist"'), is a scare
quote, a title or a label: no one's words.
"""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from spacy.tokens import Token

from analysis.names import NAME_PARTICLES, strip_titles
from analysis.quotes.candidates import Candidate
from analysis.quotes.context import SMALL_WORDS
from analysis.quotes.lexicon import NAME_ENTS, ORG_ENTS, cue_text, is_according, is_cue
from analysis.quotes.marks import DASH_CHARS, DASHES, DOUBLE_MARKS, QUOTE_TOKENS, Marked
from analysis.quotes.mentions import Mention, mention
from analysis.quotes.subjects import speaker_at

if TYPE_CHECKING:
    from analysis.quotes.context import Context

# How many tokens on either side of a quotation are searched for its cue.
MAX_REGION = 40
SENTENCE_END = {".", "!", "?"}
# Links through which a cue after a quotation may hang from the verb that governs the words between.
ANCHOR_DEPS = ("pcomp", "prep", "advcl", "xcomp", "conj", "pobj")


def mark_candidates(ctx: Context, taken: list[tuple[int, int]]) -> list[Candidate]:
    """A candidate for every quotation that the earlier passes did not cover and that is speech."""
    out: list[Candidate] = []
    taken_sorted = sorted(taken)
    starts = [t[0] for t in taken_sorted]
    for m in ctx.marks.items:
        if m.start < ctx.body_start or _covered(m, taken_sorted, starts):
            continue
        inner_words = len(_inner(ctx, m).split())
        if (inside_noun_phrase(ctx, m) or after_name_word(ctx, m)) and not (inner_words >= 8 and _ends_sentence(ctx, m)):
            continue  # 'the "Buffett rule"', 'on CBS's "Face the Nation," Ryan said': a name, not speech
        cue, source = _cue_of(ctx, m, inner_words)
        if cue is not None:
            if not _label(ctx, m, inner_words, cue):
                out.append(Candidate(m.start, m.end, "direct", cue, cue_text(cue), speaker_at(ctx, cue),
                                     para=m.para, source=source))
            continue
        cand = _without_cue(ctx, m, inner_words)
        if cand is not None:
            out.append(cand)
    return out


def _covered(m: Marked, taken: list[tuple[int, int]], starts: list[int]) -> bool:
    k = bisect.bisect_right(starts, m.start) - 1
    for kk in (k, k - 1):
        if 0 <= kk < len(taken):
            s, e = taken[kk]
            if s <= m.start and e >= m.end - 1 or (min(e, m.end) - max(s, m.start)) > 0.5 * (m.end - m.start):
                return True
    return False


def _cue_of(ctx: Context, m: Marked, inner_words: int) -> tuple[Token | None, str]:
    """The cue after the quotation, else the one before it, and which it was."""
    cue = _cue_after(ctx, m) if (m.closed and inner_words >= 1) else None
    if cue is not None:
        return cue, "after"
    cue = _cue_before(ctx, m)
    if cue is not None:
        return cue, "before"
    cue = _inverted_cue(ctx, m)
    return cue, "inverted"


def _label(ctx: Context, m: Marked, inner_words: int, cue: Token) -> bool:
    """'described as “deportation force”': a short quotation at a cue is a label, not a statement."""
    if inner_words < 2 and not _sentence_like(ctx, m):
        return True
    return inner_words < 4 and not is_according(cue) and not is_cue(cue, direct=False) and not _sentence_like(ctx, m)


def _without_cue(ctx: Context, m: Marked, inner_words: int) -> Candidate | None:
    """A quotation signed with a dash, or one that floats after the previous speaker's."""
    dash = _dash_speaker(ctx, m)
    if dash is not None and inner_words >= 3:
        return Candidate(m.start, m.end, "direct", None, "—", dash, para=m.para, source="dash")
    if ctx.boilerplate(m.start) or (m.para in ctx.transcript_paras and m.start <= ctx.para_starts[m.para] + 1):
        return None
    if m.continues or (_sentence_like(ctx, m) and _ends_sentence(ctx, m) and not _title_like(ctx, m)):
        return Candidate(m.start, m.end, "direct", None, None, None, floating=True, para=m.para, source="floating")
    return None


def _descends(tok: Token, cue: Token) -> bool:
    return tok.i == cue.i or cue.is_ancestor(tok)


def _cue_after(ctx: Context, m: Marked) -> Token | None:
    """A cue just after the closing mark: ', she said', ', said Oba, an expert', ', as X explained'."""
    doc = ctx.doc
    i = bisect.bisect_left(ctx.tok_starts, m.end)
    stop = min(len(doc), i + MAX_REGION)
    pe = ctx.para_ends[m.para]
    j = i
    while j < stop and doc[j].idx < pe:
        t = doc[j]
        if t.text in SENTENCE_END or (t.text in QUOTE_TOKENS and ctx.inside[j] < 0 and j > i and
                                      ctx.marks.opens_at(t.idx)):
            break
        if is_cue(t, direct=True) or is_according(t):
            return t if _governs_gap(doc, t, i, j) else None
        j += 1
    return None


def _governs_gap(doc, cue: Token, i: int, j: int) -> bool:
    """The cue itself, or the verb it hangs from ("cited a spokesperson … as saying"), must
    govern everything between the quotation (ending before token i) and the cue (token j)."""
    anchor = cue
    for _ in range(4):
        if all(doc[k].is_punct or _descends(doc[k], anchor) for k in range(i, j)):
            return True
        if anchor.head.i == anchor.i or anchor.dep_ not in ANCHOR_DEPS:
            return False
        anchor = anchor.head
    return False


def _cue_before(ctx: Context, m: Marked) -> Token | None:
    """A cue just before the opening mark: 'She said: “', 'According to X: “', 'he told reporters, “'."""
    doc = ctx.doc
    i = bisect.bisect_left(ctx.tok_starts, m.start) - 1
    ps = ctx.para_starts[m.para]
    while i >= ctx.first_body_tok and doc[i].is_space:
        i -= 1
    if i >= ctx.first_body_tok and doc[i].idx < ps and doc[i].text == ":" and m.para > 0 and \
            ctx.starts_paragraph(m.start):
        ps = ctx.para_starts[m.para - 1]  # 'The Times reports:' ending the paragraph before the quotation
    if i < ctx.first_body_tok or doc[i].idx < ps:
        return None
    lead = doc[i]
    if lead.text not in (":", ",") and lead.text not in DASHES and not is_cue(lead, direct=True):
        return None
    stop = max(ctx.first_body_tok, i - MAX_REGION)
    j = i
    while j >= stop and doc[j].idx >= ps:
        t = doc[j]
        if j < i and (t.text in SENTENCE_END or ctx.inside[j] >= 0 or t.text in QUOTE_TOKENS):
            return None
        if is_cue(t, direct=True) or is_according(t):
            if all(doc[k].is_punct or _descends(doc[k], t) for k in range(j + 1, i + 1)):
                return t
            return None
        j -= 1
    return None


def _inverted_cue(ctx: Context, m: Marked) -> Token | None:
    """'Said Ellis: “…”', 'Added the senator: “…”': a sentence that opens with the reporting
    verb, the speaker after it, and a colon before the quotation (the parse makes the verb part of
    the name or the speaker its object)."""
    doc = ctx.doc
    i = bisect.bisect_left(ctx.tok_starts, m.start) - 1
    while i >= ctx.first_body_tok and doc[i].is_space:
        i -= 1
    if i < ctx.first_body_tok or doc[i].text != ":" or doc[i].idx < ctx.para_starts[m.para]:
        return None
    j = i - 1
    while j >= ctx.first_body_tok and i - j <= 7 and doc[j].pos_ in ("PROPN", "NOUN", "DET", "ADJ") and \
            not (doc[j].tag_ in ("VBD", "VBN") or doc[j].is_sent_start):
        j -= 1
    cue = doc[j]
    opens = cue.is_sent_start or cue.idx == ctx.para_starts[m.para] or (j > 0 and doc[j - 1].text in SENTENCE_END)
    if j >= i - 1 or not opens or not cue.is_title or cue.tag_ not in ("VBD", "VBN") or \
            not is_cue(cue, direct=True):
        return None
    return cue


def _dash_speaker(ctx: Context, m: Marked) -> Mention | None:
    """'“…” — Jane Doe, minister of …': a name right after a dash that follows the quotation, as
    pull quotes, tweets and reader comments are signed. The name may be one the tagger missed."""
    doc = ctx.doc
    pe = ctx.para_ends[m.para]
    rest = ctx.text[m.end:pe]
    lead = rest.lstrip(" \u00a0")
    if lead[:1] not in DASH_CHARS or not lead[:1]:
        return None
    j = _next_word(ctx, bisect.bisect_left(ctx.tok_starts, pe - len(lead.lstrip(DASH_CHARS + " \u00a0"))), pe)
    if j is None:
        return None
    ent = ctx.people.ent_of.get(j)
    if ent is not None and ent.label_ in NAME_ENTS | ORG_ENTS:
        name_start = pe - len(lead.lstrip(DASH_CHARS + " \u00a0"))
        if ent.start_char < name_start:
            # "―\u00a0Jo Park": a dash glued to the name by a no-break space is one token with it
            raw = ctx.text[name_start:ent.end_char]
            return Mention(ent.root, name_start, ent.end_char, raw, "PERSON", name=strip_titles(raw)[0])
        return mention(ctx, ent.root)
    end = j
    while end + 1 < len(doc) and doc[end + 1].idx < pe and _name_word(doc[end + 1]) and end - j < 4:
        end += 1
    if not (doc[j].is_title and _name_word(doc[j])) or end == j:
        return None
    a, b = doc[j].idx, doc[end].idx + len(doc[end].text)
    return Mention(doc[end], a, b, ctx.text[a:b], "PERSON", name=strip_titles(ctx.text[a:b])[0])


def _next_word(ctx: Context, i: int, pe: int) -> int | None:
    """The first token from `i` that is not white space, within the paragraph."""
    doc = ctx.doc
    while i < len(doc) and doc[i].idx < pe and doc[i].is_space:
        i += 1
    return i if i < len(doc) and doc[i].idx < pe else None


def _name_word(t: Token) -> bool:
    """A word of a personal name: capitalised, an initial ("G."), or a particle ("de", "van")."""
    return (t.is_title or (len(t.text) == 2 and t.text[1] == "." and t.text[0].isupper())
            or t.lower_ in NAME_PARTICLES) and not t.is_punct


def _inner(ctx: Context, m: Marked) -> str:
    """The words between the marks, without the marks (one or two characters each)."""
    return ctx.text[m.start:m.end].strip(DOUBLE_MARKS + "‘’'` ")


def _sentence_like(ctx: Context, m: Marked) -> bool:
    """Whether the quotation stands as speech of its own rather than a term inside a sentence."""
    inner = _inner(ctx, m)
    words = inner.split()
    if len(words) < 3:
        return False
    before = ctx.text[ctx.para_starts[m.para]:m.start].rstrip()
    if not before or before[-1] in ".!?:;'`‘’" or before[-1] in DOUBLE_MARKS or before[-1] in DASH_CHARS:
        return True
    return len(words) >= 8 and inner[:1].isupper()


def inside_noun_phrase(ctx: Context, m: Marked) -> bool:
    """Whether the quotation follows a preposition, a determiner or a possessive."""
    i = bisect.bisect_left(ctx.tok_starts, m.start) - 1
    if i < ctx.first_body_tok or ctx.doc[i].idx < ctx.para_starts[m.para]:
        return False
    t = ctx.doc[i]
    return t.pos_ in ("ADP", "DET") or t.tag_ == "POS" or t.lower_ in ("'s", "’s")


def after_name_word(ctx: Context, m: Marked) -> bool:
    """Whether the quotation follows a preposition or a possessive ('on CBS’ “Face the Nation”',
    'in Trump’s “Art of the Deal”'): the title of a show or a work."""
    i = bisect.bisect_left(ctx.tok_starts, m.start) - 1
    if i < ctx.first_body_tok or ctx.doc[i].idx < ctx.para_starts[m.para]:
        return False
    t = ctx.doc[i]
    plural_possessive = t.text in ("’", "'") and i > 0 and ctx.doc[i - 1].lower_.endswith("s")
    return t.pos_ == "ADP" or t.tag_ == "POS" or plural_possessive


def _title_like(ctx: Context, m: Marked) -> bool:
    """“The Kid Who Would Be King”: every word capitalised and no sentence punctuation."""
    inner = _inner(ctx, m)
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", inner) if w.lower() not in SMALL_WORDS]
    if not words or inner[-1:] in ".?!,":
        return False
    return sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _ends_sentence(ctx: Context, m: Marked) -> bool:
    """A floating quote is a sentence of its own: it ends with its punctuation or the paragraph."""
    inner = _inner(ctx, m)
    if inner[-1:] in ".?!…:" or not m.closed:
        return True
    rest = ctx.text[m.end:ctx.para_ends[m.para]].lstrip()
    return not rest or rest[0] in ".?!'`‘’" or rest[0] in DOUBLE_MARKS
