"""Reported speech found from the parse: a reporting verb and the clause it governs.

"She said the plan was ready" (the verb's clausal complement), "The plan, she said, was ready"
and "The plan was ready, said Moreau" (the cue beside its clause), "According to Moreau, the
plan was ready". This pass finds indirect speech and quotes whose cue is in the same sentence;
verbs that report words only next to quotation marks ("laughed") count only when the clause
is quoted.
"""
from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from analysis.quotes.candidates import Candidate, kind, trim
from analysis.quotes.lexicon import (
    CLAIM_NOUNS,
    DIRECTIVE_VERBS,
    DOCUMENT_NOUNS,
    INFERENCE_VERBS,
    MEDIA_NOUNS,
    NOT_PEOPLE,
    PLEDGE_VERBS,
    cue_text,
    is_according,
    is_cue,
    names_oneself,
    negated,
)
from analysis.quotes.marks import DASH_CHARS, DOUBLE_MARKS, QUOTE_TOKENS
from analysis.quotes.mentions import Mention, mention
from analysis.quotes.quoted import after_name_word
from analysis.quotes.subjects import speaker_at
from analysis.quotes.trailing import trailing_cue

if TYPE_CHECKING:
    from analysis.quotes.context import Context

Span_ = tuple[int, int]
# Speech verbs whose object is hardly ever a noun: a noun right after one is the subject of what was said.
CLAUSE_ONLY_VERBS = {"say", "claim", "insist", "argue", "add", "state", "contend", "assert"}
CUE_OBJECTS = {"dobj", "ccomp", "xcomp", "attr", "oprd", "dative", "acomp", "prt"}
SIDE_DEPS_AFTER = {"advcl", "conj", "cc", "punct", "prep", "npadvmod", "advmod", "parataxis", "dep"}


def syntactic_candidates(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for tok in ctx.cue_tokens:
        if ctx.inside[tok.i] >= 0:
            continue  # speech reported inside someone's quotation is part of their quote
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in CLAIM_NOUNS:
            claimed = _claim(ctx, tok)
            if claimed is not None:
                out.append(claimed)
            continue
        span = _reported(ctx, tok)
        m = None
        if span is None or span[0] > tok.idx:
            trail = _trailing(ctx, tok)
            if trail is not None:
                span, m = trail
        if span is None:
            continue
        s, e = trim(ctx, *span)
        if e - s < 8 or s < ctx.body_start or len(ctx.text[s:e].split()) < 3:
            continue
        tok, m = (tok, m) if m is not None else _cue_and_speaker(ctx, tok, s)
        k = kind(ctx, s, e)
        if m is None and (k == "indirect" or tok.lemma_.lower() in DIRECTIVE_VERBS | PLEDGE_VERBS):
            continue  # reported speech with nobody reporting it is narration ("there's no telling what…")
        if _hearsay(tok):
            continue
        if m is not None and _finding(tok, m) and k == "indirect":
            continue
        out.append(Candidate(s, e, k, tok, cue_text(tok), m, para=ctx.para_of(s), channel=medium(tok)))
    return out


def _cue_and_speaker(ctx: Context, tok: Token, start: int) -> tuple[Token, Mention | None]:
    cue = _nearer_cue(ctx, tok, start) or tok
    return cue, speaker_at(ctx, cue)


def _nearer_cue(ctx: Context, tok: Token, start: int) -> Token | None:
    """"The ad closes with footage of the mayor saying at a rally, “…”": a verb of saying with no
    words of its own right before the quotation that the parse gave to a verb further away says
    it (the mayor, not the ad)."""
    if ctx.text[start] not in DOUBLE_MARKS:
        return None
    doc = ctx.doc
    for t in doc[tok.i + 1:bisect.bisect_left(ctx.tok_starts, start)]:
        if t.tag_ == "VBG" and is_cue(t, direct=False) and not negated(t) and \
                not any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in t.children) and \
                (t.dep_ == "acl" or any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)):
            return t
    return None


def _trailing(ctx: Context, tok: Token) -> tuple[Span_, Mention] | None:
    """"…, Foster writes." read from the words when the parse missed it (`trailing`)."""
    if negated(tok) or ctx.boilerplate(tok.idx):
        return None
    found = trailing_cue(ctx, tok)
    if found is None:
        return None
    (a, b), m = found
    doc = ctx.doc
    return (doc[a].idx, doc[b].idx + len(doc[b].text)), m


def _claim(ctx: Context, noun: Token) -> Candidate | None:
    """"Trump’s claim that there have been “thousands of shootings”": a noun of saying with its
    owner named, and the "that" clause it holds."""
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "PRON", "NOUN")), None)
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and c.i > noun.i and
                   any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
    if owner is None or clause is None or ctx.boilerplate(noun.idx):
        return None
    _, pb = ctx.para_tokens(noun)
    doc = ctx.doc
    a, b = clause.left_edge.i, min(clause.right_edge.i, pb)
    s, e = trim(ctx, doc[a].idx, doc[b].idx + len(doc[b].text))
    if len(ctx.text[s:e].split()) < 4:
        return None
    m = mention(ctx, owner)
    return Candidate(s, e, kind(ctx, s, e), noun, noun.text, m, para=ctx.para_of(s))


def _hearsay(cue: Token) -> bool:
    """"Morgana, we’re told, is …", "I am told": the writer passing on what they heard, no speaker."""
    return any(c.dep_ == "nsubjpass" and c.lower_ in ("i", "we", "you") for c in cue.children) and \
        not any(c.dep_ == "agent" for c in cue.children)


def _finding(cue: Token, m: Mention) -> bool:
    """"The study suggests …", "the data show …": a document or data reporting a finding, not
    anyone's words (a finding someone states is reported with their name)."""
    return m.label in ("UNNAMED", "GROUP") and cue.lemma_.lower() in INFERENCE_VERBS and \
        m.head.lemma_.lower() in DOCUMENT_NOUNS | NOT_PEOPLE


def medium(cue: Token) -> str | None:
    """The channel a cue names: "said in a statement", "wrote on Facebook", "told CBC in an interview"."""
    for c in cue.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "on", "via", "through"):
            for g in c.children:
                if g.dep_ == "pobj" and (g.lemma_.lower() in DOCUMENT_NOUNS | MEDIA_NOUNS):
                    return cue.doc[g.left_edge.i:g.i + 1].text
    return None


def _reported(ctx: Context, tok: Token) -> Span_ | None:
    """What the token reports when it is a cue: the content's character span."""
    if is_according(tok):
        return according_content(ctx, tok)
    lemma = tok.lemma_.lower()
    if lemma in DIRECTIVE_VERBS or lemma in PLEDGE_VERBS:
        if negated(tok) or ctx.boilerplate(tok.idx):
            return None
        directive = directive_content(ctx, tok)
        if directive is not None and (lemma in DIRECTIVE_VERBS or kind(ctx, *trim(ctx, *directive)) != "indirect"):
            return directive
    if not is_cue(tok, direct=True) or negated(tok) or ctx.boilerplate(tok.idx) or names_oneself(tok):
        return None
    span = clause_content(ctx, tok)
    if span is not None and not is_cue(tok, direct=False) and kind(ctx, *trim(ctx, *span)) == "indirect":
        return None  # "she laughed that …": only a quotation makes this verb a cue
    return span


def directive_content(ctx: Context, cue: Token) -> Span_ | None:
    """"urged voters to stay home", "vowed to repeal the law": the object and what it is told,
    or the promise. Only in the active voice: "was asked to leave" reports no one's words."""
    if cue.pos_ != "VERB" or any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children):
        return None
    doc = ctx.doc
    pa, pb = ctx.para_tokens(cue)
    told = next((c for c in cue.children if c.dep_ == "xcomp" and c.i > cue.i and c.pos_ in ("VERB", "AUX")
                 and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
    if told is None:
        return None
    obj = next((c for c in cue.children if c.dep_ in ("dobj", "dative") and cue.i < c.i < told.i), None)
    if obj is None and cue.lemma_.lower() in DIRECTIVE_VERBS and cue.lemma_.lower() != "ask":
        return None  # "he urged to …" without anyone urged is no directive the parse can vouch for
    a = max(obj.left_edge.i if obj is not None else told.left_edge.i, pa)
    b = min(told.right_edge.i, pb)
    if b - a < 2:
        return None
    return doc[a].idx, doc[b].idx + len(doc[b].text)


def clause_content(ctx: Context, cue: Token) -> Span_ | None:
    """Character span of what the cue reports, or None when the cue governs no clause."""
    pa, pb = ctx.para_tokens(cue)
    comps = [c for c in cue.children if (c.dep_ == "ccomp" and (c.pos_ in ("VERB", "AUX") or ctx.inside[c.i] >= 0))
             or _bare_clause(c, cue)] or _that_clause_on_object(cue)
    right = [c for c in comps if c.i > cue.i]
    comp = right[0] if right else (comps[-1] if comps else None)
    if comp is not None:
        found = _complement(ctx, cue, comp, pa, pb)
        if found is not None:
            return found
    return _beside_cue(ctx, cue, pa, pb) or _orphan_clause(ctx, cue, pb) or _object_as_subject(ctx, cue, pb)


def _that_clause_on_object(cue: Token) -> list[Token]:
    """"He told NBC’s “Today” show on Wednesday that he was not disrespectful": a that-clause the
    parser hung on the cue's object."""
    for obj in cue.children:
        if obj.dep_ in ("dobj", "dative") and obj.i > cue.i:
            for c in obj.children:
                if c.dep_ in ("acl", "relcl") and c.pos_ in ("VERB", "AUX") and \
                        any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children) and \
                        any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children):
                    return [c]
    return []


def _bare_clause(c: Token, cue: Token) -> bool:
    """"Trump said after the convention he would not accept": a clause with its own subject and
    no subordinating word, hung on the cue as an adverbial, is what was said."""
    return c.dep_ == "advcl" and c.i > cue.i and c.pos_ in ("VERB", "AUX") and \
        any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children) and \
        not any(g.dep_ == "mark" or g.tag_ == "WRB" for g in c.children if g.i < c.i)


def _object_as_subject(ctx: Context, cue: Token, pb: int) -> Span_ | None:
    """"The team has said single people and families would qualify": the parser took the reported
    clause's subject for the cue's object and left its verb without a subject."""
    doc = ctx.doc
    if cue.lemma_.lower() not in CLAUSE_ONLY_VERBS:
        return None
    obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i and c.pos_ in ("NOUN", "PROPN")), None)
    if obj is None:
        return None
    end = min(cue.sent.end - 1, pb)
    for v in doc[obj.right_edge.i + 1:end + 1]:
        if v.pos_ in ("VERB", "AUX") and v.tag_ in ("VBD", "VBZ", "VBP", "MD") and ctx.inside[v.i] < 0:
            verb = v if v.dep_ not in ("aux", "auxpass") else v.head
            if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children) or verb.is_ancestor(cue):
                return None
            b = min(max(verb.right_edge.i, v.i), end)
            while b > obj.i and doc[b].is_punct and doc[b].text not in QUOTE_TOKENS:
                b -= 1
            a = obj.left_edge.i
            return doc[a].idx, doc[b].idx + len(doc[b].text)
    return None


def _reported_clause(ctx: Context, cue: Token, comp: Token) -> bool:
    """A clause reported as speech has a subject or is itself quoted; inside a relative clause the
    subject is the word it hangs on ("a lack of leadership he says [has left the police adrift]")."""
    if ctx.inside[comp.i] >= 0:
        # a quotation after a preposition or a possessive names a show or a work: 'said on CBS’ “Face the Nation”'
        return not after_name_word(ctx, ctx.marks.items[ctx.inside[comp.i]])
    if any(x.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for x in comp.children):
        return True
    if any(x.dep_ == "mark" and x.lower_ == "that" for x in comp.children):
        return True  # "said that because they are Muslim does not mean …": the subject is a clause
    if comp.i > cue.i and _finite(comp) and not is_cue(comp, direct=True) and \
            ctx.para_of(comp.idx) == ctx.para_of(cue.idx):
        return True  # "says in Nova Scotia ambulances are missing the mark": the subject went elsewhere
    return cue.dep_ == "relcl" and comp.left_edge.i == cue.i + 1 and comp.pos_ in ("VERB", "AUX")


def _finite(verb: Token) -> bool:
    """A verb with tense: "are missing", "would help", "said" (not "to help", "helping")."""
    return verb.tag_ in ("VBD", "VBZ", "VBP") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBZ", "VBP", "MD") for c in verb.children)


def _complement(ctx: Context, cue: Token, comp: Token, pa: int, pb: int) -> Span_ | None:
    """"She said [the plan was ready]": the clausal complement."""
    doc = ctx.doc
    a, b = comp.left_edge.i, comp.right_edge.i
    if not _reported_clause(ctx, cue, comp):
        return None
    if not pa <= comp.i <= pb and not any(ctx.inside[k] >= 0 or doc[k].text in QUOTE_TOKENS for k in range(pa, cue.i)):
        # the parse ran over a paragraph break ("Story continues below advertisement"); only a
        # quotation broken over two paragraphs goes on in the cue's
        return None
    if comp.i < cue.i and any(doc[k].text in (":", ";") for k in range(b + 1, cue.i)):
        return None  # "the party announced a policy: its leader promised …": a colon ends the report
    if comp.i > cue.i and ctx.inside[comp.i] < 0 and _finite(comp) and \
            not any(x.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "mark") for x in comp.children):
        # the parser took the clause's subject into the cue's object or phrase: start after the cue
        a = min(a, next((c.left_edge.i for c in cue.children if cue.i < c.i < comp.i and
                         c.dep_ in ("prep", "dobj", "npadvmod")), a))
    if comp.i > cue.i:
        # the parse sometimes hangs the rest of the reported clause on the cue itself
        for c in cue.children:
            if c.i > b and (c.dep_ not in SIDE_DEPS_AFTER or _reason(c) or _second_clause(c)):
                b = max(b, c.right_edge.i)
        b = _past_abbreviation(ctx, b, pb)
    a, b = max(a, pa), min(b, pb)
    if comp.i < cue.i:
        a = _after_colon(ctx, a, b)
    if b < a:
        return None
    return doc[a].idx, doc[b].idx + len(doc[b].text)


def _reason(c: Token) -> bool:
    """"said the claim smacked of hypocrisy, because Democrats have …": a reason or concession the
    parser hung on the cue belongs to what was said."""
    return c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in ("because", "although", "though")
                                     for g in c.children)


def _second_clause(c: Token) -> bool:
    """"said the board had looked at it for years, but discussions have gone back and forth": a
    clause with a subject of its own coordinated after the report goes on with it (a second
    verb of the speaker, "and left", or a second cue, is not the words)."""
    return c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and not is_cue(c, direct=True) and \
        any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children)


def _past_abbreviation(ctx: Context, b: int, pb: int) -> int:
    """"he’s lost 16 lbs. since he signed up": a sentence the parser ended at an abbreviation goes on
    when the next one starts in lower case."""
    doc = ctx.doc
    nxt = b + 1
    while nxt <= pb and doc[nxt].is_punct and doc[nxt].text == ".":
        nxt += 1
    if nxt <= pb and nxt > b + 1 and doc[nxt].is_sent_start and doc[nxt].is_lower and ctx.inside[nxt] < 0:
        end = min(doc[nxt].sent.end - 1, pb)
        while end > nxt and doc[end].is_punct and doc[end].text not in QUOTE_TOKENS:
            end -= 1
        return end
    return b


def _orphan_clause(ctx: Context, cue: Token, pb: int) -> Span_ | None:
    """"Guest said too often, the ER becomes a safety net": the parser made the reported clause a
    sentence of its own. The cue has a subject and no object, and a clause with its own subject
    starts within a few words after it, in the same paragraph."""
    doc = ctx.doc
    if not is_cue(cue, direct=False) or any(c.dep_ in CUE_OBJECTS for c in cue.children):
        return None
    j = cue.i + 1
    while j <= pb and j <= cue.i + 4 and cue.is_ancestor(doc[j]) and doc[j].dep_ in ("advmod", "npadvmod", "punct"):
        if doc[j].text in (".", "!", "?"):
            return None  # "…, Foster writes. He argues …": the next sentence is not what was written
        j += 1
    if j > pb or cue.is_ancestor(doc[j]) or doc[j].is_punct or ctx.inside[j] >= 0:
        return None
    root = doc[j]
    while root.head.i != root.i and root.head.i > cue.i and not root.head.is_ancestor(cue):
        root = root.head
    if root.pos_ not in ("VERB", "AUX") or root.is_ancestor(cue) or \
            not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in root.children):
        return None
    a = cue.i + 1
    while a < j and doc[a].is_punct:
        a += 1
    b = min(root.right_edge.i, pb)
    while b > a and doc[b].is_punct and doc[b].text not in QUOTE_TOKENS:
        b -= 1
    return doc[a].idx, doc[b].idx + len(doc[b].text)


def _beside_cue(ctx: Context, cue: Token, pa: int, pb: int) -> Span_ | None:
    """"…, said Moreau." / "…, she said." / "The talks, she said, were productive."."""
    doc = ctx.doc
    left = cue.i
    for c in cue.children:
        if c.i < cue.i and c.dep_ in ("nsubj", "nsubjpass", "aux", "neg", "advmod"):
            left = min(left, c.left_edge.i)
    k = left - 1
    while k >= pa and doc[k].is_space:
        k -= 1
    closed = not any(c.i > cue.i and c.dep_ in CUE_OBJECTS and not (c.dep_ == "ccomp" and _adverbial(c))
                     for c in cue.children)
    if not (closed and k > pa and (doc[k].text == "," or doc[k].text in DASH_CHARS and doc[k].text != "-") and ctx.inside[k] < 0):
        return None
    sent = cue.sent
    start = max(pa, sent.start)
    if cue.head.i < cue.i:
        start = max(start, min(cue.head.left_edge.i, k))
    b = k - 1
    a = start
    while a < b and (doc[a].is_punct and doc[a].text not in QUOTE_TOKENS or doc[a].is_space):
        a += 1
    resumed = _resumed_after(ctx, cue, min(sent.end - 1, pb))
    if resumed is not None and not _reads_as_speech(doc, a, resumed):
        # "During his years in office, Mr. Obama said, a majority have come to believe …": the
        # words before the cue set the scene; the report is what follows it
        a = _after_cue_start(ctx, cue)
    if resumed is not None:
        b = resumed
    a = _after_colon(ctx, a, b)
    if not _reads_as_speech(doc, a, b):
        return None
    return doc[a].idx, doc[b].idx + len(doc[b].text)


def _after_colon(ctx: Context, a: int, b: int) -> int:
    """'Sen. Clara Moss scolded him: “You know better,” she said': a colon before a quotation
    ends the narration that introduces it; the words are the quotation."""
    doc = ctx.doc
    for k in range(b - 1, a, -1):
        if doc[k].text == ":" and ctx.inside[k] < 0 and ctx.inside[k + 1] < 0 and doc[k + 1].text in QUOTE_TOKENS:
            return k + 1
    return a


def _after_cue_start(ctx: Context, cue: Token) -> int:
    """The first word after a parenthetical cue and its comma ("…, she said, the talks …")."""
    r = cue.i
    for c in cue.children:
        if c.i > cue.i and c.dep_ in ("nsubj", "nsubjpass", "npadvmod", "advmod", "prep", "agent"):
            r = max(r, c.right_edge.i)
    return r + 2


def _adverbial(comp: Token) -> bool:
    """A clause the parser hung on the cue that opens with "as", "while", "after": circumstance, not
    what was said ("…, officials said, as rescuers searched for more victims")."""
    return any(c.dep_ == "mark" and c.lower_ in ("as", "while", "after", "before", "when", "because", "since")
               for c in comp.subtree if c.i < comp.i)


def _resumed_after(ctx: Context, cue: Token, send: int) -> int | None:
    """"Acts of protest, Mr. Obama said, are acts of patriotism": the cue sits inside the
    reported words, which resume after it; the last token of the sentence, else None."""
    doc = ctx.doc
    r = cue.i
    for c in cue.children:
        if c.i > cue.i and c.dep_ in ("nsubj", "nsubjpass", "npadvmod", "advmod", "prep", "agent"):
            r = max(r, c.right_edge.i)
    if not (r + 1 < send and doc[r + 1].text == "," and ctx.inside[r + 1] < 0):
        return None
    e = send
    while e > r + 2 and (doc[e].is_punct and doc[e].text not in QUOTE_TOKENS or doc[e].is_space):
        e -= 1
    return e if e - (r + 2) >= 2 else None


def _reads_as_speech(doc: Doc, a: int, b: int) -> bool:
    """A clause with a verb and a subject, not an adverbial ("After the vote, she acknowledged")."""
    if b - a < 3 or not any(doc[x].pos_ in ("VERB", "AUX") for x in range(a, b + 1)):
        return False
    if not any(doc[x].dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for x in range(a, b + 1)):
        return False
    f = a + 1 if doc[a].pos_ == "CCONJ" and a + 1 < b else a
    if doc[f].tag_ == "VBG" and doc[f].dep_ == "csubj":
        return True  # a gerund as the subject: "Meeting the costs can be impossible, she said"
    return not (doc[f].pos_ in ("SCONJ", "ADP") or doc[f].tag_ in ("VBN", "VBG", "WRB"))


def according_content(ctx: Context, tok: Token) -> Span_ | None:
    """"According to X, …" / "…, according to X": the rest of the sentence."""
    doc = ctx.doc
    sent = tok.sent
    pa, pb = tok.left_edge.i, tok.right_edge.i
    nxt = pb + 1
    if nxt < len(doc) and doc[nxt].text == ":":
        return None  # the quotation after the colon is the mark pass's
    pa_, pb_ = ctx.para_tokens(tok)
    s, e = max(sent.start, pa_), min(sent.end - 1, pb_)
    while e > s and (doc[e].is_space or doc[e].is_punct and doc[e].text not in QUOTE_TOKENS):
        e -= 1
    if pa <= s + 1:
        a, b = pb + 1, e
    elif pb >= e - 1:
        a, b = s, pa - 1
    else:
        a, b = s, e
    while a < b and doc[a].is_punct and doc[a].text not in QUOTE_TOKENS:
        a += 1
    while b > a and doc[b].is_punct and doc[b].text not in QUOTE_TOKENS:
        b -= 1
    if b - a < 2:
        return None
    return doc[a].idx, doc[b].idx + len(doc[b].text)
