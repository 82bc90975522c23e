"""Statement → subject + claim, read from the parse at ingest (the store keeps no parse).

For each quote, the clause that carries its assertion: the main predicate of the quoted span,
going through the speaker's own frame ("I think that X": the claim is X). Its subject is what the
statement is about, named as the entities are named ("North Korea", not "North Korea's"):

* an entity mention: its within-article canonical name (the corpus step maps it further);
* "I", "we": the speaker;
* "he", "she", "they", "their": the nearest fitting entity before it (a person for he/she, a
  group, place or organisation for they), within a few sentences;
* no usable subject ("what we are seeing resembles ...", "it is clear that ..."): the first
  entity inside the assertion, else its first noun phrase;
* otherwise the noun phrase, keyed by its lemmas ("the talks" → `talk`).

What it asserts: the predicate's lemma and the content lemmas of its arguments (the grouping's
features), negation, modality and hedges, a readable phrase taken from the statement, and the
general stance (`analysis.opinions.stance`). A quote reported through a denial ("The Trump regime
initially deny that talks had broken down") is a negated claim with its stance reversed: it is
not the speaker saying the talks failed.

Linear in the tokens of the quotes (plus short walks up the tree), next to the parse itself.
"""
from __future__ import annotations

import bisect
from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from analysis.entities import normalise
from analysis.opinions.stance import MINUS, Cues, load_cues, read_tokens
from analysis.records import Article, Claim, EntityMention, Quote

VERSION = "2"  # 2: a negated belief reverses the stance of what it frames

SPEAKER_PRONOUNS = frozenset({"i", "me", "my", "myself", "we", "us", "our", "ourselves"})
PERSON_PRONOUNS = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
GROUP_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
# Subjects that name nothing the statement is about: expletives, wh-words, indefinites.
EMPTY_SUBJECTS = frozenset({"it", "its", "there", "this", "that", "these", "those", "what", "which", "who", "whom",
                            "something", "anything", "everything", "nothing", "someone", "anyone", "everyone",
                            "somebody", "anybody", "everybody", "nobody", "one", "all", "some", "you", "thing",
                            "lot", "way"})
PERSON_LABELS = frozenset({"PERSON"})
GROUP_LABELS = frozenset({"NORP", "ORG", "GPE"})
SUBJECT_LABELS = frozenset({"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"})
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"})
LIGHT_VERBS = frozenset({"be", "have", "do", "get", "make", "go", "say", "tell", "think", "know"})
MODALS = {"can": "can", "ca": "can", "could": "could", "may": "may", "might": "might", "must": "must",
          "shall": "shall", "should": "should", "will": "will", "wo": "will", "'ll": "will", "would": "would",
          "'d": "would"}
PRONOUN_WINDOW = 600  # characters before a pronoun in which its antecedent is looked for
PHRASE_TOKENS = 14  # words of a claim phrase after its predicate


class Mentions:
    """The article's entity mentions, for "which entity is at this offset / nearest before it"."""

    def __init__(self, entities: Sequence[EntityMention]) -> None:
        self.items = sorted((e for e in entities if e.label in SUBJECT_LABELS), key=lambda e: e.start)
        self.starts = [e.start for e in self.items]

    def at(self, start: int, end: int) -> EntityMention | None:
        i = bisect.bisect_right(self.starts, end - 1) - 1
        while i >= 0 and self.items[i].end > start:
            if self.items[i].start < end:
                return self.items[i]
            i -= 1
        return None

    def inside(self, start: int, end: int, skip: str | None) -> EntityMention | None:
        i = bisect.bisect_left(self.starts, start)
        while i < len(self.items) and self.items[i].start < end:
            e = self.items[i]
            if e.end <= end and e.canonical != skip:
                return e
            i += 1
        return None

    def names_inside(self, start: int, end: int, skip: str | None) -> list[str]:
        i = bisect.bisect_left(self.starts, start)
        names: dict[str, None] = {}
        while i < len(self.items) and self.items[i].start < end:
            e = self.items[i]
            if e.end <= end and e.canonical != skip and e.canonical:
                names[e.canonical] = None
            i += 1
        return list(names)

    def before(self, pos: int, labels: frozenset[str]) -> EntityMention | None:
        i = bisect.bisect_left(self.starts, pos) - 1
        while i >= 0 and self.items[i].start >= pos - PRONOUN_WINDOW:
            if self.items[i].label in labels and self.items[i].end <= pos:
                return self.items[i]
            i -= 1
        return None


def extract_claims(doc: Doc, article: Article, quotes: Sequence[Quote],
                   entities: Sequence[EntityMention], cues: Cues | None = None) -> list[Claim]:
    """One claim per quote whose span the parse can align to."""
    cues = cues or load_cues()
    mentions = Mentions(entities)
    out = []
    for q in quotes:
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is None or not any(not t.is_punct for t in span):
            continue
        out.append(_claim(span, q, mentions, cues))
    return out


def _claim(span: Span, q: Quote, mentions: Mentions, cues: Cues) -> Claim:
    pred, frames, frame_negated = main_predicate(span, cues)
    subj = _subject_token(pred, span) if pred is not None else None
    subject, key, kind, label, subj_tokens = _subject(span, pred, subj, q, mentions)
    clause = _clause_tokens(pred, span) if pred is not None else list(span)
    terms = _terms(clause, subj_tokens, pred)
    in_clause = {t.i for t in clause} | subj_tokens
    words = [w for w in _terms([t for t in span if t.i not in in_clause], set(), None) if w not in terms]
    negated = (pred is not None and _has_neg(pred)) != frame_negated
    denied = _denied(span.doc, q, cues)
    score, evidence = _stance(span, pred, frame_negated, cues)
    if denied:
        score = -score
        evidence = [f"denied ({e[1:]})" if e.startswith(("+", MINUS)) else e for e in evidence]
        evidence = [("+" if score > 0 else MINUS if score < 0 else "") + e for e in evidence]
    hedges = frames + [t.lower_ for t in clause if cues.is_(t.lemma_.lower(), "hedge") and t.tag_ != "MD"]
    return Claim(
        article_id=q.article_id, start=q.start, subject=subject, subject_key=key, subject_kind=kind,
        subject_label=label, mentions=mentions.names_inside(span.start_char, span.end_char, q.speaker),
        context=_context(span, q, mentions), predicate=_predicate_lemma(pred) if pred is not None else None,
        claim=_phrase(span, pred, subj, subject, kind), terms=terms, words=words, negated=negated != denied,
        modality=_modality(pred) if pred is not None else None, hedges="; ".join(dict.fromkeys(hedges)) or None,
        stance_score=score, stance_evidence="; ".join(evidence))


def _stance(span: Span, pred: Token | None, frame_negated: bool, cues: Cues) -> tuple[float, list[str]]:
    """The statement's stance score and evidence. Words in parentheses are an aside ("(this is
    true)"), not the statement. Under a negated belief ("they don't believe the plan will work",
    "I doubt it will help") the complement's cues count reversed, the disbelief verb itself is
    no cue, and a complement without cues still reads as skeptical: doubting that something will
    happen is doubting whoever is to make it happen."""
    tokens = _outside_parentheses([t for t in span if not t.is_space])
    if not frame_negated or pred is None:
        reading = read_tokens(tokens, cues)
        return reading.score, reading.evidence
    inner_ids = {t.i for t in pred.subtree}
    inner = read_tokens([t for t in tokens if t.i in inner_ids], cues)
    outer = read_tokens([t for t in tokens if t.i not in inner_ids and not cues.is_(t.lemma_.lower(), "disbelief")],
                        cues)
    turned = [("+" if e.startswith(MINUS) else MINUS) + "not believed (" + e[1:] + ")" for e in inner.evidence]
    if not inner.score:
        return outer.score - 1.0, [*outer.evidence, f"{MINUS}not believed ({pred.text})"]
    return outer.score - inner.score, outer.evidence + turned


def _outside_parentheses(tokens: list[Token]) -> list[Token]:
    out, depth = [], 0
    for t in tokens:
        if t.text in "([":
            depth += 1
        elif t.text in ")]" and depth:
            depth -= 1
        elif not depth:
            out.append(t)
    return out


# ---------------------------------------------------------------------------------------------
# The clause


def main_predicate(span: Span, cues: Cues) -> tuple[Token | None, list[str], bool]:
    """The predicate of the quoted span's first full clause, through the speaker's own frames
    ("I think", "they don't believe"), those frames (they hedge the claim), and whether the
    frames negate it ("they don't believe the U.S. will bring a plan": not "will bring")."""
    tops = [t for t in span if (t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i) and not t.is_punct]
    if not tops or not any(t.pos_ in ("VERB", "AUX") for t in span):
        return None, [], False  # no verb: a phrase quoted for its words ("a total disaster"), no claim
    pred = next((t for t in tops if t.pos_ in ("VERB", "AUX") and any(c.dep_ in SUBJECT_DEPS for c in t.children)),
                None) or next((t for t in tops if t.pos_ in ("VERB", "AUX")), tops[0])
    frames: list[str] = []
    negated = False
    for _ in range(3):
        inner = _framed(pred, span, cues)
        if inner is None:
            break
        subj = _subject_token(pred, span)
        # "they don't / no longer believe X", "I doubt X": not X
        negs = _has_neg(pred) or any(c.dep_ == "advmod" and _has_neg(c) for c in pred.children)
        neg = negs != cues.is_(pred.lemma_.lower(), "disbelief")
        negated ^= neg
        frames.append(" ".join([*([subj.lower_] if subj is not None else []), *(["not"] if neg else []), pred.lower_]))
        pred = inner
    return pred, frames, negated


def _framed(pred: Token, span: Span, cues: Cues) -> Token | None:
    """"I think [X]", "they don't believe [X]": the complement clause X, when the frame's subject
    is a pronoun (in reported speech, mostly the speaker) or there is none."""
    if not (cues.is_(pred.lemma_.lower(), "frame") or cues.is_(pred.lemma_.lower(), "disbelief")):
        return None
    subj = _subject_token(pred, span)
    if subj is not None and subj.lower_ not in SPEAKER_PRONOUNS | PERSON_PRONOUNS | GROUP_PRONOUNS:
        return None
    return next((c for c in pred.children if c.dep_ == "ccomp" and span.start <= c.i < span.end), None)


def _subject_token(pred: Token, span: Span) -> Token | None:
    """The predicate's own subject, or the one it shares as a conjunct or complement
    ("North Korea is buying time ... and negotiate the terms")."""
    t = pred
    for _ in range(3):
        subj = next((c for c in t.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is not None:
            return subj
        if t.dep_ not in ("conj", "xcomp") or t.head.i == t.i:
            return None
        t = t.head
    return None


def _clause_tokens(pred: Token, span: Span) -> list[Token]:
    """The predicate's clause inside the span, without nested clauses that report someone else."""
    return [t for t in pred.subtree if span.start <= t.i < span.end and not t.is_space]


def _has_neg(pred: Token) -> bool:
    return any(c.dep_ == "neg" for c in pred.children)


def _denied(doc: Doc, q: Quote, cues: Cues) -> bool:
    """The quote is reported through a denial: "X denied that ...", "X rejected claims that ..."."""
    if q.cue_start is None:
        return False
    cue = doc.char_span(q.cue_start, q.cue_start + 1, alignment_mode="expand")
    return cue is not None and len(cue) > 0 and cues.is_(cue[0].lemma_.lower(), "denial")


def _modality(pred: Token) -> str | None:
    for c in pred.children:
        if c.dep_ in ("aux", "auxpass") and c.tag_ == "MD":
            return MODALS.get(c.lower_, c.lemma_.lower())
    if pred.dep_ in ("xcomp", "conj") and pred.head.i != pred.i:
        return next((MODALS.get(c.lower_, c.lemma_.lower()) for c in pred.head.children
                     if c.dep_ == "aux" and c.tag_ == "MD"), None)
    return None


def _predicate_lemma(pred: Token) -> str:
    prt = next((c.lower_ for c in pred.children if c.dep_ == "prt"), None)
    return f"{pred.lemma_.lower()} {prt}" if prt else pred.lemma_.lower()


def _terms(clause: list[Token], subject: set[int], pred: Token | None) -> list[str]:
    """Content lemmas of what is asserted: the grouping's features. The subject's own words are
    not among them (they decide the subject), nor light verbs that every statement has."""
    out = []
    for t in clause:
        if t.i in subject or t.pos_ not in CONTENT_POS or t.is_stop or not t.is_alpha and t.pos_ != "NUM":
            continue
        lemma = t.lemma_.lower()
        if lemma in LIGHT_VERBS or len(lemma) < 2:
            continue
        out.append(lemma)
    if pred is not None and any(c.dep_ == "prt" for c in pred.children) and pred.lemma_.lower() not in LIGHT_VERBS:
        out.append(_predicate_lemma(pred).replace(" ", "_"))
    return out


# ---------------------------------------------------------------------------------------------
# The subject


def _subject(span: Span, pred: Token | None, subj: Token | None, q: Quote,
             mentions: Mentions) -> tuple[str | None, str | None, str, str | None, set[int]]:
    """(subject as written, key, kind, entity label, token indices of the subject)."""
    if subj is not None:
        tokens = {t.i for t in subj.subtree}
        low = subj.lower_
        if low in SPEAKER_PRONOUNS:
            return (q.speaker, q.speaker, "speaker", None, tokens) if q.speaker else (None, None, "none", None, tokens)
        if _is_speaker(low, q):
            return q.speaker, q.speaker, "speaker", None, tokens
        if low in PERSON_PRONOUNS or low in GROUP_PRONOUNS:
            labels = PERSON_LABELS if low in PERSON_PRONOUNS else GROUP_LABELS
            e = mentions.before(subj.idx, labels)
            if e is not None:
                return e.canonical, e.canonical, "entity", e.label, tokens
        elif subj.dep_ != "csubj" and low not in EMPTY_SUBJECTS and subj.pos_ != "PRON":
            found = _named(subj, mentions)
            if found is not None:
                return (*found, tokens)
    return (*_fallback(span, pred, q, mentions), set())


def _is_speaker(pronoun: str, q: Quote) -> bool:
    """In reported speech "he"/"she" (a person speaking) or "they" (a group) is mostly the
    speaker: "Easley said he expects ...", "the negotiators said they had raised ..."."""
    if q.kind == "direct" or not q.speaker:
        return False
    person = q.speaker_label == "PERSON"
    return (pronoun in PERSON_PRONOUNS and person) or (pronoun in GROUP_PRONOUNS and not person)


def _named(head: Token, mentions: Mentions) -> tuple[str, str, str, str | None] | None:
    """A subject noun phrase as an entity (its head is part of a mention) or as lemmas."""
    e = mentions.at(head.idx, head.idx + len(head.text))
    if e is not None:
        return e.canonical, e.canonical, "entity", e.label
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    words = [c for c in head.children if c.dep_ == "compound" and c.i < head.i] + [head]
    key = " ".join(w.lemma_.lower() for w in words)
    text = normalise(" ".join(w.text for w in words))
    return (text, key, "noun", None) if key else None


def _fallback(span: Span, pred: Token | None, q: Quote,
              mentions: Mentions) -> tuple[str | None, str | None, str, str | None]:
    """No usable grammatical subject: the first entity the assertion names (not the speaker),
    else its first noun phrase."""
    start, end = span.start_char, span.end_char
    if pred is not None:
        sub = [t for t in pred.subtree if span.start <= t.i < span.end]
        if sub:
            start, end = sub[0].idx, sub[-1].idx + len(sub[-1].text)
    e = mentions.inside(start, end, q.speaker) or mentions.inside(span.start_char, span.end_char, q.speaker)
    if e is not None:
        return e.canonical, e.canonical, "entity", e.label
    for t in span:
        if t.pos_ == "NOUN" and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "attr") and not t.is_stop:
            found = _named(t, mentions)
            if found is not None:
                return found
    return None, None, "none", None


def _context(span: Span, q: Quote, mentions: Mentions) -> str | None:
    """The entity the article was about just before the quote (not its speaker): what a
    statement with a vague subject ("the plan", "people") is most likely about."""
    pos = min(span.start_char, q.mention_start if q.mention_start is not None else span.start_char,
              q.cue_start if q.cue_start is not None else span.start_char)
    i = bisect.bisect_left(mentions.starts, pos) - 1
    while i >= 0 and mentions.items[i].start >= pos - 2 * PRONOUN_WINDOW:
        e = mentions.items[i]
        if e.canonical and e.canonical != q.speaker and e.label in GROUP_LABELS | PERSON_LABELS:
            return e.canonical
        i -= 1
    return None


# ---------------------------------------------------------------------------------------------
# The phrase


def _phrase(span: Span, pred: Token | None, subj: Token | None, subject: str | None, kind: str) -> str:
    """The assertion in the statement's own words: its subject (named, when the statement says
    "they" or "I") and the predicate with the start of its complement, cut at the clause's end."""
    if pred is None:
        return _clip(span.text)
    doc = span.doc
    left = min([c.i for c in pred.lefts if c.dep_ in ("aux", "auxpass", "neg", "advmod") and c.i >= span.start]
               + [pred.i])
    right = pred.i
    for t in doc[pred.i + 1:min(span.end, pred.i + 1 + PHRASE_TOKENS)]:
        if t.is_punct and t.text in ",;:()—–-" or t.dep_ in ("mark", "cc") and t.i > pred.i + 2 or t.is_sent_start:
            break
        right = t.i
    words = doc[left:right + 1].text
    if subj is not None and span.start <= subj.i < span.end and subj.i < left:
        sub = [t for t in subj.subtree if t.i < left]
        if subj.lower_ not in SPEAKER_PRONOUNS | PERSON_PRONOUNS | GROUP_PRONOUNS and len(sub) <= 8:
            return _clip(doc[sub[0].i:right + 1].text)
    if subject and kind in ("entity", "speaker") and subj is not None:
        return _clip(f"[{subject}] {words}")
    return _clip(words)


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split()).strip(" \"“”‘’'")
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"
