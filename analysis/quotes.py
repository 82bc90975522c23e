"""Quotes and who said them, from one parsed article.

Two passes meet in the middle. The syntactic pass starts from reporting verbs ("said", "told",
"according to") and takes the clause they govern: that finds indirect speech and quotes whose
cue is in the same sentence. The quotation-mark pass starts from the marks: it catches what
the parse misses (quotes introduced by a colon or a dash, quotes split by their cue, quotes
that run over paragraphs, floating quotes that continue the previous speaker) and drops short
quoted terms with no cue at all, which are scare quotes or titles, not anyone's words.
Between them, interview transcripts ("PENCE: Well, look, …") are attributed by their labels.

Speakers are resolved in document order (`Resolver`), because "he", "the company" and a quote
with no cue all point back to whoever the story was just about. The parse of a small model
fails in known ways (headings and photo credits glued to the next sentence, a quoted fragment
taken for a subject), so spans and speakers are clipped to their paragraph and checked.

Everything is linear in the number of tokens (plus walks up the dependency tree), because this
runs on every article at ingest and must stay cheap next to the parse itself.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from analysis.entities import sentence_starts
from analysis.records import Article, Quote, Speaker
from analysis.speakers import PRONOUN_GENDER, TITLE_WORDS, NameIndex, clean_name, strip_titles

VERSION = "3"

CUE_FILE = Path(__file__).with_name("data") / "reporting_verbs.txt"

DOUBLE_MARKS = '"“”„«»‟″'
OPENING_ONLY = "“„«‟"
QUOTE_TOKENS = set(DOUBLE_MARKS) | {"''", "``", "‘", "’"}
PAIR_FILLER = "\u2060"  # stands in for the second character of '' and `` while scanning
CLOSING_ONLY = "”»"
SENTENCE_END = {".", "!", "?"}
DASHES = {"—", "–", "-", "--"}
PERSONAL = {"he", "she", "him", "her"}
PLURAL_PRONOUNS = {"they", "them", "we"}
NAME_ENTS = {"PERSON"}
ORG_ENTS = {"ORG", "GPE", "NORP", "FAC"}
# Heads of noun phrases that speak for an institution rather than as a person's name.
MAX_REGION = 40
BOILERPLATE = re.compile(
    r"(?:READ MORE|MORE|RELATED|WATCH|LISTEN|SEE ALSO|ALSO READ|READ|Read more|Related|Watch|VIDEO|PHOTOS?)"
    r"(?:\s+[A-Z]+){0,2}\s*:")
DATELINE = re.compile(r"[A-Z][A-Z.,'’ ]{2,40}(?:\([^)]{1,30}\))?\s*(?:—|–|--|-)\s+")
# Labels before a colon that announce a section, never a speaker in a transcript.
SECTION_LABELS = {"watch", "read", "more", "related", "update", "updated", "note", "correction", "editor", "photo",
                  "photos", "video", "listen", "also", "see", "below", "above", "breaking", "analysis", "opinion",
                  "source", "sources", "credit", "file", "q", "a", "question", "answer", "live", "latest"}


@lru_cache(maxsize=1)
def cue_lexicon() -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    """(lemmas for any speech, lemmas only next to quotation marks, verb -> particle) from the data file.

    Kept as data so an analyst can extend the list without touching code.
    """
    indirect: set[str] = set()
    direct_only: set[str] = set()
    phrasal: dict[str, str] = {}
    for raw in CUE_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split("\t")
        words = parts[0].split()
        direct = len(parts) > 1 and parts[1].strip() == "direct"
        if len(words) == 2:
            phrasal[words[0]] = words[1]
        elif direct:
            direct_only.add(words[0])
        else:
            indirect.add(words[0])
    return frozenset(indirect), frozenset(direct_only), phrasal


def is_cue(tok: Token, *, direct: bool) -> bool:
    if tok.pos_ not in ("VERB", "AUX") and tok.tag_ not in ("VBD", "VBZ", "VBP", "VBG", "VBN", "VB"):
        return False
    lemma = tok.lemma_.lower()
    indirect, direct_only, phrasal = cue_lexicon()
    if lemma in indirect or (direct and lemma in direct_only):
        return True
    particle = phrasal.get(lemma)
    return particle is not None and any(c.dep_ == "prt" and c.lower_ == particle for c in tok.children)


def is_according(tok: Token) -> bool:
    return tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children)


@dataclass
class Marked:
    """A stretch of text between double quotation marks, marks included."""

    start: int
    end: int
    para: int
    closed: bool
    continues: bool = False  # opens a paragraph after a paragraph whose quote never closed
    used: bool = False


@dataclass
class Mention:
    """The words that name a speaker at the cue, and what they tell us."""

    head: Token
    start: int
    end: int
    text: str
    label: str  # PERSON, ORG, GROUP, UNNAMED, PRON
    name: str | None = None  # for PERSON/ORG: the name without titles
    description: str | None = None


@dataclass
class Candidate:
    start: int
    end: int
    kind: str
    cue: Token | None
    cue_text: str | None
    mention: Mention | None
    floating: bool = False
    para: int = 0
    source: str = "syntax"


class Context:
    """Per-article lookups built once, so every later question is a bisect, not a scan."""

    def __init__(self, doc: Doc, article: Article) -> None:
        self.doc = doc
        self.text = article.text
        self.article = article
        self.body_start = article.body_start or _headline_end(article.text)
        self.tok_starts = [t.idx for t in doc]
        self.first_body_tok = bisect.bisect_left(self.tok_starts, self.body_start)
        self._paragraphs()
        self._marks()
        self._entities()

    # paragraphs and marks -------------------------------------------------------------------
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
        p = self.para_of(char)
        return self._boiler[p]

    def para_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, char) - 1)

    def _marks(self) -> None:
        # some outlets (and older wire copy) write double quotes as two apostrophes or backticks
        text = self.text.replace("''", '"' + PAIR_FILLER).replace("``", '"' + PAIR_FILLER)
        if _single_quote_style(self.text[self.body_start:]):
            # British style: ‘…’ for speech and “…” inside it. Swap their roles for the scan;
            # a ’ followed by a letter stays an apostrophe (don’t, Ri’s).
            text = re.sub(r"[“”\"]", "\u02ba", text)
            text = text.replace("‘", "“")
            # "the workers’ union": after an s and before a word, ’ is a plural possessive
            text = re.sub(r"(?<![sS])’(?![^\W_])|’(?=[.,;:!?)\]—–-]|\s*$)", "”", text, flags=re.M)
        marks: list[Marked] = []
        prev_unclosed = False
        for p, (ps, pe) in enumerate(zip(self.para_starts, self.para_ends, strict=True)):
            open_at: int | None = None
            first_in_para = True
            was_unclosed = prev_unclosed
            for i in range(ps, pe):
                ch = text[i]
                if ch not in DOUBLE_MARKS:
                    continue
                before = text[i - 1] if i > ps else " "
                after = text[i + 1] if i + 1 < pe else " "
                opener = (before.isspace() or before in "([{—–-/:" or before in DOUBLE_MARKS) and not after.isspace()
                closer = not before.isspace() and (after.isspace() or not after.isalnum())
                if ch in OPENING_ONLY and not closer:
                    opener = True
                if ch in CLOSING_ONLY and not opener:
                    closer = True
                if open_at is None:
                    if opener or (i == ps):
                        open_at = i
                    continue
                if closer and not (opener and text[open_at + 1:i].strip(" " + PAIR_FILLER) == ""):
                    if i > open_at + 1:
                        end = i + 2 if text[i + 1:i + 2] == PAIR_FILLER else i + 1
                        marks.append(Marked(open_at, end, p, True,
                                            continues=first_in_para and was_unclosed and open_at == ps))
                        first_in_para = False
                    open_at = None
                elif opener:
                    if text[open_at + 1:i].strip():
                        end = open_at + 1 + len(text[open_at + 1:i].rstrip())
                        marks.append(Marked(open_at, end, p, False,
                                            continues=first_in_para and was_unclosed and open_at == ps))
                        first_in_para = False
                    open_at = i
            prev_unclosed = False
            if open_at is not None and text[open_at + 1:pe].strip(" " + PAIR_FILLER):
                marks.append(Marked(open_at, pe, p, False,
                                    continues=first_in_para and was_unclosed and open_at == ps))
                prev_unclosed = True
            else:
                prev_unclosed = False
        self.marks = marks
        self.mark_starts = [m.start for m in marks]
        # which mark (if any) each token sits inside, strictly between its marks
        inside = [-1] * len(self.doc)
        for k, m in enumerate(marks):
            a = bisect.bisect_left(self.tok_starts, m.start + 1)
            b = bisect.bisect_left(self.tok_starts, m.end - 1)
            for ti in range(a, b):
                inside[ti] = k
        self.inside = inside

    def marks_overlapping(self, start: int, end: int) -> list[Marked]:
        i = bisect.bisect_right(self.mark_starts, start) - 1
        out = []
        i = max(i, 0)
        while i < len(self.marks) and self.marks[i].start < end:
            m = self.marks[i]
            if m.end > start:
                out.append(m)
            i += 1
        return out

    def quoted_chars(self, start: int, end: int) -> int:
        n = 0
        for m in self.marks_overlapping(start, end):
            n += max(0, min(end, m.end) - max(start, m.start))
        return n

    # entities and names ---------------------------------------------------------------------
    def _entities(self) -> None:
        doc = self.doc
        self.ent_of: dict[int, Span] = {}
        self.names = NameIndex()
        persons: list[Span] = []
        for ent in doc.ents:
            if ent.start_char < self.body_start:
                continue
            for t in ent:
                self.ent_of[t.i] = ent
            if ent.label_ in NAME_ENTS:
                persons.append(ent)
        persons = [e for e in persons if not self._aside(e)]
        for ent in persons:
            self.names.add(_ent_name_text(ent), ent.start_char)
        self._runs()
        for key in [k for k in self.names.names if len(k) == 1]:
            # "Okafor" alone as PERSON, "Adaeze Okafor" untagged: the run gives the full name
            runs = self.runs_by_last.get(key[0])
            if runs and not any(len(other) > 1 for other in self.names.by_word.get(key[0], ())):
                self.names.add(runs[0][1], runs[0][0])
        # person mentions in order, for pronouns: (char, key, is_subject)
        self.person_pos: list[int] = []
        self.person_key: list[tuple[str, ...]] = []
        self.person_subj: list[bool] = []
        for ent in persons:
            if self.inside[ent.root.i] >= 0:
                continue
            key = self.names.resolve_key(_ent_name_text(ent), ent.start_char)
            if not key:
                continue
            self.person_pos.append(ent.start_char)
            self.person_key.append(key)
            r = ent.root
            self.person_subj.append(r.dep_ in ("nsubj", "nsubjpass") or (
                r.dep_ == "appos" and r.head.dep_ in ("nsubj", "nsubjpass")))
        self._propn_subjects()
        self._genders()
        self._descriptors(persons)
        # plural subjects for "they": positions and head tokens
        self.org_pos: list[int] = []
        self.org_name: list[str] = []
        for ent in doc.ents:
            if ent.label_ == "ORG" and ent.start_char >= self.body_start and self.inside[ent.root.i] < 0:
                name = _ent_name_text(ent)
                if name:
                    self.org_pos.append(ent.start_char)
                    self.org_name.append(name)
        self.plural_pos: list[int] = []
        self.plural_tok: list[Token] = []
        for t in doc[self.first_body_tok:]:
            if (t.dep_ in ("nsubj", "nsubjpass") and t.tag_ in ("NNS", "NNPS") and self.inside[t.i] < 0):
                self.plural_pos.append(t.idx)
                self.plural_tok.append(t)

    def _aside(self, ent: Span) -> bool:
        """Names in parentheses or in photo credits ("Niall Carson / PA Images") are not the story's
        people and must not become the antecedent of "he"."""
        p = self.para_of(ent.start_char)
        ps, pe = self.para_starts[p], self.para_ends[p]
        before = self.text[ps:ent.start_char]
        if before.rfind("(") > before.rfind(")"):
            return True
        after = self.text[ent.end_char:min(pe, ent.end_char + 3)]
        return "/" in after or "/" in before[-3:]

    def _propn_subjects(self) -> None:
        """Names the NER missed or mislabelled ("Whitebird said", tagged ORG) still count as people
        when they are the subject of a verb and match or look like a person's name."""
        doc = self.doc
        extra: list[tuple[int, tuple[str, ...], bool]] = []
        for t in doc[self.first_body_tok:]:
            if t.dep_ not in ("nsubj", "nsubjpass") or t.pos_ != "PROPN" or self.inside[t.i] >= 0:
                continue
            ent = self.ent_of.get(t.i)
            if ent is not None and ent.label_ in NAME_ENTS:
                continue
            key = self.names.resolve_key(t.text, t.idx)
            if t.lower_ in TITLE_WORDS or self.boilerplate(t.idx):
                continue
            if key not in self.names.names and ent is None and t.is_title and t.tag_ == "NNP":
                run = self.propn_run(t)
                longer = self.runs_by_last.get(t.lower_)
                if len(run.split()) < 2 and longer:
                    self.names.add(longer[0][1], longer[0][0])  # "Marsh" after "Ian Marsh’s"
                self.names.add(run, t.idx)
                key = self.names.resolve_key(run, t.idx)
            if key in self.names.names and (ent is None or ent.label_ in ORG_ENTS):
                extra.append((t.idx, key, True))
        if extra:
            rows = sorted(list(zip(self.person_pos, self.person_key, self.person_subj, strict=True)) + extra, key=lambda r: r[0])
            self.person_pos = [r[0] for r in rows]
            self.person_key = [r[1] for r in rows]
            self.person_subj = [r[2] for r in rows]

    def propn_run(self, t: Token) -> str:
        """The proper-noun compound ending at `t` ("Vipin Narang"), within its paragraph."""
        doc = self.doc
        a = t.i
        line = bisect.bisect_left(self.tok_starts, self.para_starts[self.para_of(t.idx)])
        while a - 1 >= line and doc[a - 1].pos_ == "PROPN" and doc[a - 1].dep_ in ("compound", "flat") \
                and doc[a - 1].head.i in range(a, t.i + 1):
            a -= 1
        return _text_of(doc)[doc[a].idx:t.idx + len(t.text)]

    def _runs(self) -> None:
        """Multi-word proper-noun runs by their last word, to expand a surname the NER did not tie
        to a PERSON ("Vanderhoeven" -> "Pim Vanderhoeven")."""
        doc = self.doc
        runs: dict[str, list[tuple[int, str]]] = {}
        for t in doc[self.first_body_tok:]:
            if t.pos_ != "PROPN" or t.dep_ in ("compound", "flat") or self.inside[t.i] >= 0:
                continue
            if t.i == 0 or doc[t.i - 1].pos_ != "PROPN":
                continue
            run = strip_titles(self.propn_run(t))[0]
            if len(run.split()) >= 2:
                runs.setdefault(t.lower_, []).append((t.idx, run))
        self.runs_by_last = runs

    def _descriptors(self, persons: list[Span]) -> None:
        """Index people and organisations by the nouns that describe them, so that "the mayor" or
        "the company" can be traced back to "Mayor Jane Doe" or "buying company AcmeCorp"."""
        doc = self.doc
        index: dict[str, list[tuple[int, str, tuple[str, ...] | None, str]]] = {}

        def put(word: str, pos: int, name: str, key: tuple[str, ...] | None, label: str) -> None:
            index.setdefault(word, []).append((pos, name, key, label))

        for ent in doc.ents:
            if ent.start_char < self.body_start or ent.label_ not in NAME_ENTS | {"ORG"}:
                continue
            root = ent.root
            line_start = bisect.bisect_left(self.tok_starts, self.para_starts[self.para_of(ent.start_char)])
            if ent.label_ in NAME_ENTS:
                key = self.names.resolve_key(_ent_name_text(ent), ent.start_char)
                name = self.names.names.get(key)
                if not name:
                    continue
                label = "PERSON"
            else:
                key, name, label = None, _ent_name_text(ent), "ORG"
                if not name:
                    continue
                for t in ent:
                    if t.pos_ in ("NOUN", "PROPN") and t.is_alpha:
                        put(t.lemma_.lower(), ent.start_char, name, key, label)
            for t in doc[max(root.left_edge.i, line_start):ent.start]:
                if t.pos_ in ("NOUN", "PROPN") and t.is_alpha:
                    put(t.lemma_.lower(), ent.start_char, name, key, label)
            for c in root.children:
                if c.dep_ == "appos" and c.pos_ == "NOUN":
                    put(c.lemma_.lower(), ent.start_char, name, key, label)
                    for g in c.children:
                        if g.dep_ == "compound" and g.pos_ == "NOUN":
                            put(g.lemma_.lower(), ent.start_char, name, key, label)
            if root.dep_ == "appos" and root.head.pos_ == "NOUN":
                put(root.head.lemma_.lower(), ent.start_char, name, key, label)
        self.descriptors = index

    def describe(self, word: str, pos: int) -> tuple[str, tuple[str, ...] | None, str] | None:
        """The latest person or organisation before `pos` that the article described with `word`."""
        best = None
        for p, name, key, label in self.descriptors.get(word, ()):
            if p < pos and (best is None or p > best[0]):
                best = (p, name, key, label)
        return None if best is None else best[1:]

    def _genders(self) -> None:
        """Guess each person's gender by a vote of the he/she that follow their mentions closely.

        One pronoun can belong to someone else ("Ruiz said Moreau would run; she had heard…"),
        so a gender is kept only when the votes clearly agree; titles (Mr., Ms.) were counted
        when the names were added. Used only to skip an incompatible antecedent for "he"/"she".
        """
        doc = self.doc
        votes: dict[tuple[str, ...], list[int]] = {}
        k = 0
        last_key: tuple[str, ...] | None = None
        last_tok = -100
        for t in doc[self.first_body_tok:]:
            while k < len(self.person_pos) and self.person_pos[k] <= t.idx:
                last_key = self.person_key[k]
                last_tok = t.i
                k += 1
            g = PRONOUN_GENDER.get(t.lower_)
            if g and last_key is not None and t.i - last_tok <= 25 and self.inside[t.i] < 0:
                v = votes.setdefault(last_key, [0, 0])
                v[0 if g == "m" else 1] += 1
                last_key = None
        for key, (m, f) in votes.items():
            if key in self.names.gender:
                continue
            if m >= 2 * f and m > 0:
                self.names.gender[key] = "m"
            elif f >= 2 * m and f > 0:
                self.names.gender[key] = "f"

    def tok_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.tok_starts, char) - 1)


def _headline_end(text: str) -> int:
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


SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[—–]))‘(?=[^\W_])", re.M)
DOUBLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[—–]))[“\"](?=\S)", re.M)


def _single_quote_style(body: str) -> bool:
    """Whether the article quotes speech in single quotation marks (‘…’), as British outlets do."""
    singles = len(SINGLE_OPEN.findall(body))
    return singles >= 3 and singles > 2 * len(DOUBLE_OPEN.findall(body))


_TEXT_CACHE: list = [None, ""]


def _text_of(doc: Doc) -> str:
    """`doc.text` rebuilds the string from every token on each call; keep the current doc's."""
    if _TEXT_CACHE[0] is not doc:
        _TEXT_CACHE[0], _TEXT_CACHE[1] = doc, doc.text
    return _TEXT_CACHE[1]


def _ent_name_text(ent: Span) -> str:
    toks = [t for t in ent if not (t.tag_ == "POS" or t.lower_ in ("'s", "’s"))]
    while toks and toks[0].lower_ == "the":
        toks = toks[1:]
    if not toks:
        return ""
    return clean_name(_text_of(ent.doc)[toks[0].idx:toks[-1].idx + len(toks[-1].text)])


def _span_text(doc: Doc, a: int, b: int) -> str:
    """Text of tokens a..b inclusive."""
    return _text_of(doc)[doc[a].idx:doc[b].idx + len(doc[b].text)]


# speakers at the cue ----------------------------------------------------------------------
def _subject_of(cue: Token) -> Token | None:
    """The token that names who speaks for this cue, following control and relative clauses."""
    if is_according(cue):
        for c in cue.children:
            if c.lower_ == "to":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        return None
    subjects = [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
    subjects.sort(key=lambda c: abs(c.i - cue.i))  # a caption glued to the sentence can bring a second one
    for c in subjects[:1]:
        if c.tag_ in ("WP", "WDT") or c.lower_ in ("who", "that", "which"):
            return cue.head if cue.dep_ == "relcl" else None
        if c.lower_.startswith(("’", "'")) and c.i > 0:
            return c.doc[c.i - 1]  # "he’s said": the clitic was parsed as the subject
        return c
    if cue.dep_ == "relcl":
        return cue.head
    t = cue
    through_prep = False
    for _ in range(6):
        if t.dep_ not in ("advcl", "xcomp", "conj", "pcomp", "prep", "pobj", "acl", "ccomp") or t.head is t:
            return None
        h = t.head
        if t.dep_ == "acl":
            return h if h.pos_ in ("NOUN", "PROPN") and h.lemma_.lower() in DOCUMENT_NOUNS else None
        if (t.dep_ == "prep" and t.lower_ == "as") or t.dep_ == "pobj":
            through_prep = True  # "cited X as saying", "placed X in the position of promising"
        if h.pos_ in ("VERB", "AUX"):
            if through_prep or t.dep_ == "xcomp":
                for c in h.children:
                    if c.dep_ == "dobj" and (c.pos_ in ("PROPN", "NOUN") or (c.pos_ == "PRON" and c.lower_ != "it")):
                        return c
            for c in h.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    if c.tag_ in ("WP", "WDT"):
                        return h.head if h.dep_ == "relcl" else None
                    return c
            if t.dep_ == "ccomp":
                return None
        t = h
    return None


DOCUMENT_NOUNS = {"statement", "email", "e-mail", "release", "letter", "report", "post", "tweet", "memo",
                  "book", "article", "column", "essay", "op-ed", "blog", "speech", "testimony", "affidavit",
                  "study", "note", "message", "filing", "document", "decision", "ruling", "survey"}


# Definite subjects of speech verbs that are neither people nor institutions.
NOT_PEOPLE = {"data", "poll", "survey", "figure", "number", "evidence", "research", "analysis", "law", "bill",
              "rule", "policy", "plan", "order", "sign", "website", "site", "page", "video", "book", "headline"}
AUTHORING_VERBS = {"send", "write", "issue", "release", "email", "e-mail", "sign", "post", "publish", "author",
                   "tweet", "provide", "distribute", "submit"}
# Nouns that name an institution: "the company said" speaks for the organisation last named.
ORG_NOUNS = {"company", "firm", "agency", "bank", "department", "ministry", "government", "group", "organization",
             "organisation", "union", "board", "council", "committee", "association", "institute", "party", "club",
             "team", "league", "university", "school", "city", "province", "state", "police", "court", "commission",
             "office", "service", "network", "website", "newspaper", "station", "corporation", "authority",
             "administration", "campaign", "charity", "foundation", "hospital", "force", "military", "army",
             "embassy", "regulator", "watchdog", "airline", "retailer", "carrier", "operator", "startup",
             "business", "coalition", "organizer", "organiser", "band", "district", "municipality", "county",
             "region", "country", "nation", "industry", "sector", "centre", "center", "lab", "laboratory", "store",
             "chain", "brand", "maker", "manufacturer", "developer", "provider", "utility", "insurer", "lender",
             "exchange", "fund", "institution", "body", "panel", "caucus", "senate", "house", "parliament",
             "legislature", "cabinet", "tribunal", "unit", "division", "branch", "bureau", "directorate",
             "secretariat", "federation", "alliance", "channel", "publisher", "outlet", "paper"}
# Heads of a description that name no person (an organisation, a document, a poll).
NOT_SPEAKER_NOUNS = frozenset(ORG_NOUNS | DOCUMENT_NOUNS | NOT_PEOPLE)


def _mention(ctx: Context, head: Token) -> Mention:
    doc = ctx.doc
    text = ctx.text
    low = head.lower_.replace("’", "'").split("'")[0]  # "he’s" tokenised as one word
    pa, pb = _para_tokens(ctx, head)
    if head.pos_ == "PRON" or low in PERSONAL or low in PLURAL_PRONOUNS or low in ("i", "it", "we"):
        return Mention(head, head.idx, head.idx + len(low), ctx.text[head.idx:head.idx + len(low)], "PRON")
    head_ent = ctx.ent_of.get(head.i)
    if head.pos_ == "NOUN" or (head.pos_ == "PROPN" and (head_ent is None or head_ent.label_ not in NAME_ENTS)):
        # a noun with a named appositive: "her spokesperson, Jane Doe, said",
        # "One red-state Democrat, Sen. Jane Roe of Montana, said"
        for c in head.children:
            if c.dep_ == "appos" and c.pos_ == "PROPN" and ctx.ent_of.get(c.i) is not None \
                    and ctx.ent_of[c.i].label_ in NAME_ENTS:
                m = _mention(ctx, c)
                m.description = m.description or clean_name(_np_text(ctx, head, stop_at=c))
                return m
    if head.pos_ == "NOUN":
        # "a statement e-mailed by Jane Doe said", "a statement from the ministry said"
        if head.lemma_.lower() in DOCUMENT_NOUNS:
            for c in head.children:
                if c.dep_ == "poss" and (c.pos_ == "PROPN" or c.lower_ in ("his", "her", "their", "its")):
                    return _mention(ctx, c)  # "Foster's book says", "her statement said"
            author = _document_author(ctx, head)
            if author is not None:
                m = _mention(ctx, author)
                return Mention(m.head, m.start, m.end, m.text, m.label, m.name, m.description)
    ent = ctx.ent_of.get(head.i)
    if head.pos_ == "PROPN" or (ent is not None and ent.label_ in NAME_ENTS):
        if ent is not None and (ent.label_ in NAME_ENTS or (ent.label_ in ORG_ENTS and ent.root.i == head.i)):
            a, b = ent.start, ent.end - 1
        else:
            a = b = head.i
            while a - 1 >= 0 and doc[a - 1].pos_ == "PROPN" and doc[a - 1].head.i in range(a, head.i + 1) \
                    and doc[a - 1].dep_ in ("compound", "flat", "nmod", "amod"):
                a -= 1
        a, b = max(a, pa), min(b, pb)
        a = max(a, _line_start_tok(ctx, head))
        while b > a and (doc[b].tag_ == "POS" or doc[b].lower_ in ("'s", "’s") or doc[b].is_punct):
            b -= 1
        while a < b and (doc[a].lower_ == "the" or doc[a].is_punct or doc[a].is_space):
            a += 1
        while b > a and doc[b].is_title and is_cue(doc[b], direct=False):
            b -= 1  # headline case: "Obama Says"
        raw = _span_text(doc, a, b)
        name, title = strip_titles(raw)
        label = "PERSON"
        if ent is not None and ent.label_ in ORG_ENTS:
            label = "GROUP" if ent.label_ == "NORP" or head.tag_ == "NNPS" else "ORG"
            if ctx.names.resolve_key(name) in ctx.names.names:
                label = "PERSON"
        elif ent is None and head.tag_ == "NNPS":
            label = "GROUP"
        if label != "PERSON":
            name = clean_name(raw)
        desc_parts = []
        left = max(head.left_edge.i, pa, _line_start_tok(ctx, head))
        while left < a and doc[left].pos_ in ("DET", "CCONJ", "PUNCT", "ADV", "PRON", "SPACE"):
            left += 1
        if left < a:
            pre = _span_text(doc, left, a - 1)
            pre = clean_name(re.split(r"[()/|]", pre)[-1])  # not across a photo credit
            if pre and any(ch.isalpha() for ch in pre) and doc[a - 1].pos_ in ("NOUN", "PROPN") \
                    and not all(w.lower().rstrip(".") in HONORIFICS for w in pre.split()) \
                    and not _span_text(doc, left, a - 1).rstrip().endswith("-"):
                desc_parts.append(pre)
        if title and not all(w.lower().rstrip(".") in HONORIFICS for w in title.split()):
            desc_parts.append(title)
        appos = _appositive(ctx, head)
        if appos:
            desc_parts = [appos] + desc_parts
        desc = "; ".join(d for d in desc_parts if d) or None
        s_, e_ = doc[a].idx, doc[b].idx + len(doc[b].text)
        return Mention(head, s_, e_, text[s_:e_], label, name=name, description=desc)
    if head.is_title and ctx.names.resolve_key(head.text) in ctx.names.names and len(head.text) > 2:
        # a surname the tagger took for a common noun ("Baker writes")
        return Mention(head, head.idx, head.idx + len(head.text), head.text, "PERSON", name=head.text)
    np = _np_text(ctx, head)
    s_ = max(head.left_edge, doc[pa]).idx
    label = "ORG" if ent is not None and ent.label_ in ORG_ENTS else (
        "GROUP" if head.tag_ in ("NNS", "NNPS") else "UNNAMED")
    return Mention(head, s_, s_ + len(np), np, label, name=clean_name(np), description=_appositive(ctx, head))


def _line_start_tok(ctx: Context, tok: Token) -> int:
    p = ctx.para_of(tok.idx)
    return bisect.bisect_left(ctx.tok_starts, ctx.para_starts[p])


def _appositive(ctx: Context, head: Token) -> str | None:
    doc = ctx.doc
    _, pb = _para_tokens(ctx, head)
    for c in head.children:
        if c.dep_ == "appos" and c.i > head.i and c.pos_ not in ("PRON", "NUM"):
            b = min(c.right_edge.i, pb)
            d = clean_name(_span_text(doc, c.left_edge.i, b))
            if d and len(d) > 2:
                return d
    return None


def _document_author(ctx: Context, head: Token) -> Token | None:
    for c in head.children:
        if c.dep_ == "acl" and c.lemma_.lower() in AUTHORING_VERBS:
            for g in c.children:
                if g.dep_ == "agent":
                    for obj in g.children:
                        if obj.dep_ == "pobj" and obj.pos_ == "PROPN":
                            return obj
        if c.dep_ == "prep" and c.lower_ in ("from", "by"):
            for obj in c.children:
                if obj.dep_ == "pobj" and obj.pos_ == "PROPN":
                    return obj
    return None


def _np_text(ctx: Context, head: Token, stop_at: Token | None = None) -> str:
    """The noun phrase of a speaker without its relative clauses and appositives."""
    doc = ctx.doc
    pa, pb = _para_tokens(ctx, head)
    right = head.i
    for c in head.children:
        if c.i > head.i and c.dep_ in ("prep", "compound", "amod", "nummod", "poss", "case", "nmod", "pobj"):
            right = max(right, c.right_edge.i)
    if stop_at is not None:
        right = min(right, stop_at.i - 1)
    left = max(head.left_edge.i, pa)
    right = min(right, left + 14, pb)
    while right > left and (doc[right].is_punct or doc[right].is_space):
        right -= 1
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    return _text_of(doc)[doc[left].idx:doc[right].idx + len(doc[right].text)]


# content spans ----------------------------------------------------------------------------
def _trim(ctx: Context, start: int, end: int) -> tuple[int, int]:
    text = ctx.text
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:—–-" ):
        end -= 1
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    dateline = DATELINE.match(text, start, end)
    if dateline:
        start = dateline.end()  # "TALLAHASSEE — …": the place of the report, not what was said
    # a quotation that the span cuts through is taken whole
    for m in ctx.marks_overlapping(start, end):
        if m.start < start or m.end > end:
            start, end = min(start, m.start), max(end, m.end)
    return start, end


def _kind(ctx: Context, start: int, end: int) -> str:
    quoted = ctx.quoted_chars(start, end)
    if quoted <= 0:
        return "indirect"
    return "direct" if quoted >= 0.9 * (end - start) else "mixed"


def _para_tokens(ctx: Context, tok: Token) -> tuple[int, int]:
    """First and last token index of the paragraph holding `tok`.

    spaCy's sentences sometimes run over a paragraph break (a heading glued to the next line);
    a quote or a speaker never does, so spans are clipped to the paragraph.
    """
    p = ctx.para_of(tok.idx)
    a = bisect.bisect_left(ctx.tok_starts, ctx.para_starts[p])
    b = bisect.bisect_left(ctx.tok_starts, ctx.para_ends[p]) - 1
    return a, max(a, b)


CUE_OBJECTS = {"dobj", "ccomp", "xcomp", "attr", "oprd", "dative", "acomp", "prt"}
SIDE_DEPS_AFTER = {"advcl", "conj", "cc", "punct", "prep", "npadvmod", "advmod", "parataxis", "dep"}


def _clause_content(ctx: Context, cue: Token) -> tuple[int, int] | None:
    """Character span of what the cue reports, or None when the cue governs no clause."""
    doc = ctx.doc
    pa, pb = _para_tokens(ctx, cue)
    comps = [c for c in cue.children if c.dep_ == "ccomp" and (c.pos_ in ("VERB", "AUX") or ctx.inside[c.i] >= 0)]
    right = [c for c in comps if c.i > cue.i]
    comp = right[0] if right else (comps[-1] if comps else None)
    if comp is not None:
        a, b = comp.left_edge.i, comp.right_edge.i
        # a clause reported as speech has a subject or is itself quoted
        has_subj = any(x.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for x in comp.children)
        if not has_subj and ctx.inside[comp.i] < 0:
            return None
        if comp.i > cue.i:
            # the parse sometimes hangs the rest of the reported clause on the cue itself
            for c in cue.children:
                if c.i > b and c.dep_ not in SIDE_DEPS_AFTER:
                    b = max(b, c.right_edge.i)
        a, b = max(a, pa), min(b, pb)
        if b < a:
            return None
        return doc[a].idx, doc[b].idx + len(doc[b].text)
    # "…, said Moreau." / "…, she said." / "The talks, she said, were productive."
    left = cue.i
    for c in cue.children:
        if c.i < cue.i and c.dep_ in ("nsubj", "nsubjpass", "aux", "neg", "advmod"):
            left = min(left, c.left_edge.i)
    k = left - 1
    while k >= pa and doc[k].is_space:
        k -= 1
    closed = not any(c.i > cue.i and c.dep_ in CUE_OBJECTS for c in cue.children)
    if closed and k > pa and doc[k].text in (",", "—", "–") and ctx.inside[k] < 0:
        head_tok = cue.head if cue.head.i < cue.i else None
        start = pa
        sent = cue.sent
        start = max(start, sent.start)
        if head_tok is not None and head_tok.i != cue.i:
            start = max(start, min(head_tok.left_edge.i, k))
        b = k - 1
        a = start
        while a < b and (doc[a].is_punct and doc[a].text not in QUOTE_TOKENS or doc[a].is_space):
            a += 1
        # "Acts of protest, Mr. Obama said, are acts of patriotism": the cue sits inside the quote
        r = cue.i
        for c in cue.children:
            if c.i > cue.i and c.dep_ in ("nsubj", "nsubjpass", "npadvmod", "advmod", "prep", "agent"):
                r = max(r, c.right_edge.i)
        send = min(sent.end - 1, pb)
        if r + 1 < send and doc[r + 1].text == "," and ctx.inside[r + 1] < 0:
            e = send
            while e > r + 2 and (doc[e].is_punct and doc[e].text not in QUOTE_TOKENS or doc[e].is_space):
                e -= 1
            if e - (r + 2) >= 2:
                b = e
        if b - a < 3 or not any(doc[x].pos_ in ("VERB", "AUX") for x in range(a, b + 1)):
            return None
        if not any(doc[x].dep_ in ("nsubj", "nsubjpass", "expl") for x in range(a, b + 1)):
            return None
        f = a + 1 if doc[a].pos_ == "CCONJ" and a + 1 < b else a
        if doc[f].pos_ in ("SCONJ", "ADP") or doc[f].tag_ in ("VBN", "VBG", "WRB"):
            return None  # "After the vote, she acknowledged": an adverbial, not what was said
        return doc[a].idx, doc[b].idx + len(doc[b].text)
    return None


def _according_content(ctx: Context, tok: Token) -> tuple[int, int] | None:
    doc = ctx.doc
    sent = tok.sent
    pa, pb = tok.left_edge.i, tok.right_edge.i
    nxt = pb + 1
    if nxt < len(doc) and doc[nxt].text == ":":
        return None  # the quotation after the colon is the mark pass's
    pa_, pb_ = _para_tokens(ctx, tok)
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


def _syntactic_candidates(ctx: Context) -> list[Candidate]:
    doc = ctx.doc
    out: list[Candidate] = []
    for tok in doc[ctx.first_body_tok:]:
        if ctx.inside[tok.i] >= 0:
            continue  # speech reported inside someone's quotation is part of their quote
        if is_according(tok):
            span = _according_content(ctx, tok)
            cue_text = "according to"
        elif is_cue(tok, direct=True):
            if _negated(tok) or ctx.boilerplate(tok.idx):
                continue
            span = _clause_content(ctx, tok)
            cue_text = _cue_text(tok)
            if span is not None and not is_cue(tok, direct=False):
                s, e = _trim(ctx, *span)
                if _kind(ctx, s, e) == "indirect":
                    continue
        else:
            continue
        if span is None:
            continue
        s, e = _trim(ctx, *span)
        if e - s < 8 or s < ctx.body_start or len(ctx.text[s:e].split()) < 3:
            continue
        mention = _speaker_at(ctx, tok)
        kind = _kind(ctx, s, e)
        if mention is None and kind == "indirect":
            continue  # reported speech with nobody reporting it is narration ("there's no telling what…")
        out.append(Candidate(s, e, kind, tok, cue_text, mention, para=ctx.para_of(s)))
    return out


def _speaker_at(ctx: Context, cue: Token) -> Mention | None:
    """Who speaks at this cue, with guards against the parse's usual failures."""
    subj = _subject_of(cue)
    if subj is not None and ctx.para_of(subj.idx) != ctx.para_of(cue.idx):
        subj = None  # the parse glued a heading or caption to this paragraph
    subj = subj or _adjacent_subject(ctx, cue)
    if subj is None:
        return None
    mention = _mention(ctx, subj)
    if subj.dep_ == "dobj" and subj.head.lemma_.lower() in CITING_VERBS:
        # "KCNA cited a spokesperson … as saying": who relayed the words is part of who spoke
        relay = next((c for c in subj.head.children if c.dep_ == "nsubj"), None)
        if relay is not None:
            verb = subj.head
            done = verb.text.lower() if verb.tag_ in ("VBD", "VBN") else verb.lemma_.lower() + "d"
            cited = f"{done} by {_np_text(ctx, relay)}"
            mention.description = f"{mention.description}; {cited}" if mention.description else cited
    if ctx.inside[subj.i] >= 0 or any(ch in mention.text for ch in DOUBLE_MARKS):
        # a quoted fragment parsed as the subject ("Moreau, who lost 16 lbs. “and two belt loops”
        # between May and October, says …"): take the person named earlier in the clause
        person = _person_before(ctx, cue)
        return _mention(ctx, person) if person is not None else None
    return mention


def _person_before(ctx: Context, cue: Token) -> Token | None:
    pa, _ = _para_tokens(ctx, cue)
    start = max(pa, cue.sent.start)
    best = None
    for i in range(start, cue.i):
        ent = ctx.ent_of.get(i)
        if ent is not None and ent.label_ in NAME_ENTS and ctx.inside[i] < 0 and i == ent.end - 1:
            best = ctx.doc[i]
    return best


CITING_VERBS = {"cite", "quote"}
REFUSALS = {"decline", "refuse", "fail", "hesitate"}


def _negated(cue: Token) -> bool:
    """"did not say whether", "declined to say why": the absence of a statement is not a quote."""
    if any(c.dep_ == "neg" for c in cue.children):
        return True
    return cue.dep_ == "xcomp" and (cue.head.lemma_.lower() in REFUSALS or
                                    any(c.dep_ == "neg" for c in cue.head.children))


def _adjacent_subject(ctx: Context, cue: Token) -> Token | None:
    """The speaker when the parse lost the subject, typically because a heading or caption was glued
    to the paragraph: the noun right before the cue ("…\n\nHaley said"), or the name that opens
    the paragraph ("Jane Roe, principal researcher at a shelter network, said")."""
    if is_according(cue):
        return None
    doc = ctx.doc
    pa, _ = _para_tokens(ctx, cue)
    k = cue.i - 1
    while k >= pa and doc[k].dep_ in ("aux", "neg", "advmod") and doc[k].pos_ != "PROPN":
        k -= 1
    if k < pa:
        return None
    t = doc[k]
    if t.pos_ == "PROPN" or (t.pos_ == "PRON" and t.lower_ in PERSONAL | PLURAL_PRONOUNS) or \
            (t.pos_ == "NOUN" and t.tag_ in ("NNS", "NN") and k == pa):
        return t
    if t.text == "," and cue.i - pa <= 30:
        first = doc[pa]
        ent = ctx.ent_of.get(first.i)
        j = pa
        while j < cue.i and doc[j].pos_ == "PROPN" and ctx.ent_of.get(j) is None:
            j += 1
        ent = ctx.ent_of.get(j) if j < cue.i else None
        if ent is not None and ent.label_ in NAME_ENTS:
            return doc[ent.end - 1]
        if first.pos_ == "PROPN":
            j = pa
            while j + 1 < cue.i and doc[j + 1].pos_ == "PROPN":
                j += 1
            return doc[j]
    return None


def _cue_text(tok: Token) -> str:
    _, _, phrasal = cue_lexicon()
    particle = phrasal.get(tok.lemma_.lower())
    if particle:
        return f"{tok.text} {particle}"
    return tok.text


# quotation-mark pass ----------------------------------------------------------------------
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
                                      _is_open_mark(ctx, t)):
            break
        if is_cue(t, direct=True) or is_according(t):
            # the cue itself, or the verb it hangs from ("cited a spokesperson … as saying"),
            # must govern everything between the quotation and the cue
            anchor = t
            for _ in range(4):
                if all(doc[k].is_punct or _descends(doc[k], anchor) for k in range(i, j)):
                    return t
                if anchor.head is anchor or anchor.dep_ not in ("pcomp", "prep", "advcl", "xcomp", "conj", "pobj"):
                    break
                anchor = anchor.head
            return None
        j += 1
    return None


def _is_open_mark(ctx: Context, t: Token) -> bool:
    k = bisect.bisect_left(ctx.mark_starts, t.idx)
    return k < len(ctx.marks) and ctx.marks[k].start == t.idx


def _cue_before(ctx: Context, m: Marked) -> Token | None:
    """A cue just before the opening mark: 'She said: “', 'According to X: “', 'he told reporters, “'."""
    doc = ctx.doc
    i = bisect.bisect_left(ctx.tok_starts, m.start) - 1
    if i < ctx.first_body_tok:
        return None
    ps = ctx.para_starts[m.para]
    if doc[i].idx < ps:
        return None
    lead = doc[i]
    if lead.text not in (":", ",", "—", "–", "-") and not (is_cue(lead, direct=True)):
        return None
    stop = max(ctx.first_body_tok, i - MAX_REGION)
    j = i
    while j >= stop and doc[j].idx >= ps:
        t = doc[j]
        if j < i and (t.text in SENTENCE_END or ctx.inside[j] >= 0 or (t.text in QUOTE_TOKENS)):
            return None
        if is_cue(t, direct=True) or is_according(t):
            if all(doc[k].is_punct or _descends(doc[k], t) for k in range(j + 1, i + 1)):
                return t
            return None
        j -= 1
    return None


def _dash_speaker(ctx: Context, m: Marked) -> Token | None:
    """'“…” — Jane Doe, minister of …': a name right after a dash that follows the quotation."""
    doc = ctx.doc
    i = bisect.bisect_left(ctx.tok_starts, m.end)
    if i + 1 >= len(doc) or doc[i].text not in DASHES or doc[i].idx >= ctx.para_ends[m.para]:
        return None
    t = doc[i + 1]
    ent = ctx.ent_of.get(t.i)
    if ent is not None and ent.label_ in NAME_ENTS | ORG_ENTS:
        return ent.root
    return None


def _inner(ctx: Context, m: Marked) -> str:
    """The words between the marks, without the marks (one or two characters each)."""
    return ctx.text[m.start:m.end].strip(DOUBLE_MARKS + "‘’'` ")


def _sentence_like(ctx: Context, m: Marked) -> bool:
    """Whether the quotation stands as speech of its own rather than a term inside a sentence."""
    text = ctx.text
    inner = _inner(ctx, m)
    words = inner.split()
    if len(words) < 3:
        return False
    ps = ctx.para_starts[m.para]
    before = text[ps:m.start].rstrip()
    if not before or before[-1] in ".!?:;'`‘’" or before[-1] in DOUBLE_MARKS or before[-1] in "—–-":
        return True
    return len(words) >= 8 and inner[:1].isupper()


HONORIFICS = {"the", "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "mx"}
SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "at", "by", "with", "from", "as"}


def _inside_noun_phrase(ctx: Context, m: Marked) -> bool:
    """Whether the quotation follows a preposition, a determiner or a possessive."""
    i = bisect.bisect_left(ctx.tok_starts, m.start) - 1
    if i < ctx.first_body_tok or ctx.doc[i].idx < ctx.para_starts[m.para]:
        return False
    t = ctx.doc[i]
    return t.pos_ in ("ADP", "DET") or t.tag_ == "POS" or t.lower_ in ("'s", "’s")


def _title_like(ctx: Context, m: Marked) -> bool:
    """“The Kid Who Would Be King”: every word capitalised and no sentence punctuation."""
    inner = _inner(ctx, m)
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", inner) if w.lower() not in SMALL_WORDS]
    if not words or inner[-1:] in ".?!,":
        return False
    return sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _ends_sentence(ctx: Context, m: Marked) -> bool:
    """A floating quote is a sentence of its own: it ends with its punctuation or the paragraph."""
    text = ctx.text
    inner = _inner(ctx, m)
    if inner[-1:] in ".?!…:" or not m.closed:
        return True
    pe = ctx.para_ends[m.para]
    rest = text[m.end:pe].lstrip()
    return not rest or rest[0] in ".?!'`‘’" or rest[0] in DOUBLE_MARKS


def _mark_candidates(ctx: Context, taken: list[tuple[int, int]]) -> list[Candidate]:
    out: list[Candidate] = []
    taken_sorted = sorted(taken)
    starts = [t[0] for t in taken_sorted]
    for m in ctx.marks:
        if m.start < ctx.body_start:
            continue
        k = bisect.bisect_right(starts, m.start) - 1
        covered = False
        for kk in (k, k - 1):
            if 0 <= kk < len(taken_sorted):
                s, e = taken_sorted[kk]
                if s <= m.start and e >= m.end - 1 or (min(e, m.end) - max(s, m.start)) > 0.5 * (m.end - m.start):
                    covered = True
        if covered:
            continue
        inner_words = len(_inner(ctx, m).split())
        if _inside_noun_phrase(ctx, m) and not (inner_words >= 8 and _ends_sentence(ctx, m)):
            continue  # 'the "Buffett rule"', 'on CBS's "Face the Nation," Ryan said': a name, not speech
        cue = _cue_after(ctx, m) if (m.closed and inner_words >= 1) else None
        source = "after"
        if cue is None:
            cue = _cue_before(ctx, m)
            source = "before"
        if cue is not None:
            if inner_words < 2 and not _sentence_like(ctx, m):
                continue
            if inner_words < 4 and not is_according(cue) and not is_cue(cue, direct=False) \
                    and not _sentence_like(ctx, m):
                continue  # 'described as “deportation force”': a label, not a statement
            mention = _speaker_at(ctx, cue)
            cue_text = "according to" if is_according(cue) else _cue_text(cue)
            out.append(Candidate(m.start, m.end, "direct", cue, cue_text, mention, para=m.para, source=source))
            continue
        dash = _dash_speaker(ctx, m)
        if dash is not None and inner_words >= 3:
            out.append(Candidate(m.start, m.end, "direct", None, "—", _mention(ctx, dash), para=m.para,
                                 source="dash"))
            continue
        if ctx.boilerplate(m.start) or (m.para in getattr(ctx, "transcript_paras", ()) and
                                        m.start <= ctx.para_starts[m.para] + 1):
            continue
        if m.continues or (_sentence_like(ctx, m) and _ends_sentence(ctx, m) and not _title_like(ctx, m)):
            out.append(Candidate(m.start, m.end, "direct", None, None, None, floating=True, para=m.para,
                                 source="floating"))
    return out


TRANSCRIPT = re.compile(r"""["“]?((?:[A-Z][A-Za-z'’.-]*\.?\s){0,3}[A-Z][A-Za-z'’-]+)\s?:\s+\S""")


def _transcript_candidates(ctx: Context, taken: list[tuple[int, int]]) -> list[Candidate]:
    """Interview transcripts: "PENCE: Well, look, …" is Mike Pence speaking.

    Only a label that names a person of the article counts, so datelines ("WASHINGTON:") and
    section labels stay out."""
    out: list[Candidate] = []
    text = ctx.text
    doc = ctx.doc
    found = []
    for p, (ps, pe) in enumerate(zip(ctx.para_starts, ctx.para_ends, strict=True)):
        if not ctx._boiler[p]:
            m = TRANSCRIPT.match(text, ps, pe)
            if m is not None and len(m.group(1)) >= 3 and \
                    not any(w.lower().strip(".") in SECTION_LABELS for w in m.group(1).split()):
                found.append((p, pe, m))
    repeated = {lab for lab, n in Counter(m.group(1) for _, _, m in found).items() if n >= 2 and lab.isupper()}
    ctx.transcript_paras = {p for p, _, m in found if m.group(1) in repeated}
    for p, pe, m in found:
        label = m.group(1)
        key = ctx.names.resolve_key(label.title() if label.isupper() else label)
        if key not in ctx.names.names:
            if label not in repeated:
                continue
            ctx.names.add(label.title(), m.start(1))  # a speaker's label used throughout a transcript
            key = ctx.names.resolve_key(label.title())
        ctx.transcript_paras.add(p)
        start = m.end() - 1
        end = pe
        if any(a <= start < b for a, b in taken):
            continue
        first = bisect.bisect_left(ctx.tok_starts, m.start(1))
        last = bisect.bisect_left(ctx.tok_starts, m.end(1)) - 1
        head = doc[max(first, last)]
        label_mention = Mention(head, m.start(1), m.end(1), label, "PERSON",
                                name=ctx.names.names[key])
        out.append(Candidate(start, end, "direct", None, ":", label_mention, para=p, source="transcript"))
    return out


# resolution -------------------------------------------------------------------------------
class Resolver:
    """Turns mentions into speaker names, remembering who spoke last for pronouns and floating quotes."""

    def __init__(self, ctx: Context, spans: list[tuple[int, int]] | None = None) -> None:
        self.ctx = ctx
        self.spans = sorted(spans or [])
        self.span_starts = [a for a, _ in self.spans]
        self.history: list[tuple[int, str, str, tuple[str, ...] | None, int]] = []  # (pos, name, label, key, para)

    def resolve(self, cand: Candidate) -> tuple[str | None, str | None, str | None]:
        """(speaker name, label, description) for a candidate, in document order."""
        ctx = self.ctx
        if cand.mention is None:
            if cand.floating:
                return self._floating(cand)
            return None, None, None
        m = cand.mention
        pos = m.start
        if m.label == "PRON":
            return self._pronoun(m, cand)
        if m.label == "PERSON":
            key = ctx.names.resolve_key(m.name or m.text, pos)
            if len(key) == 1 and key[0] in ctx.runs_by_last and (key not in ctx.names.names or
                                                                  len(ctx.names.names[key].split()) < 2):
                runs = ctx.runs_by_last[key[0]]
                rpos, run = runs[0]
                ctx.names.add(run, rpos)
                key = ctx.names.resolve_key(m.name or m.text, pos)
            if key not in ctx.names.names:
                ctx.names.add(m.name or m.text, pos)
                key = ctx.names.resolve_key(m.name or m.text, pos)
            name = ctx.names.names.get(key, m.name or m.text)
            self._remember(pos, name, "PERSON", key, cand.para)
            return name, "PERSON", m.description
        head = m.head
        if head.pos_ == "NOUN" and head.tag_ == "NN" and any(
                c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
            found = ctx.describe(head.lemma_.lower(), pos)
            if found is None:
                found = self._definite(head, pos, cand.para)
            if found is not None:
                name, key, label = found
                self._remember(pos, name, label, key, cand.para)
                return name, label, (m.text if label == "PERSON" else None)
        name = m.name or m.text
        self._remember(pos, name, m.label, None, cand.para)
        return name, m.label, m.description

    def _definite(self, head: Token, pos: int, para: int) -> tuple[str, tuple[str, ...] | None, str] | None:
        """"The company said" / "the coach said": the organisation or person the story is about just now."""
        ctx = self.ctx
        if head.lemma_.lower() in ORG_NOUNS:
            for _hpos, name, label, _key, hpara in reversed(self.history[-6:]):
                if hpara < para - 2:
                    break
                if label == "ORG":
                    return name, None, "ORG"
            k = bisect.bisect_left(ctx.org_pos, pos) - 1
            if k >= 0 and ctx.para_of(ctx.org_pos[k]) >= para - 2:
                return ctx.org_name[k], None, "ORG"
            return None
        if head.ent_type_ or head.lemma_.lower() in DOCUMENT_NOUNS or head.lemma_.lower() in NOT_PEOPLE:
            return None
        options = self._person_options(pos, para, window=2)
        for _, key in options:
            name = ctx.names.names.get(key)
            if name:
                return name, key, "PERSON"
        return None

    def _person_options(self, pos: int, para: int, window: int = 3) -> list[tuple[int, tuple[str, ...]]]:
        """People who can be referred back to: recent speakers and recent subjects, latest first."""
        ctx = self.ctx
        options: list[tuple[int, tuple[str, ...]]] = []
        for hpos, _name, label, key, hpara in reversed(self.history[-6:]):
            if label == "PERSON" and key is not None and hpara >= para - window:
                options.append((hpos, key))
        k = bisect.bisect_left(ctx.person_pos, pos) - 1
        seen = 0
        fallback: list[tuple[int, tuple[str, ...]]] = []
        while k >= 0 and seen < 15:
            if ctx.para_of(ctx.person_pos[k]) < para - window:
                break
            if self._in_quote(ctx.person_pos[k]):
                pass  # someone named inside what a speaker said is rarely the next "he"
            elif ctx.person_subj[k]:
                options.append((ctx.person_pos[k], ctx.person_key[k]))
            else:
                fallback.append((ctx.person_pos[k], ctx.person_key[k]))
            k -= 1
            seen += 1
        options.sort(key=lambda o: -o[0])
        return options + fallback

    def _in_quote(self, pos: int) -> bool:
        k = bisect.bisect_right(self.span_starts, pos) - 1
        return k >= 0 and self.spans[k][1] > pos

    def _remember(self, pos: int, name: str, label: str, key: tuple[str, ...] | None, para: int) -> None:
        self.history.append((pos, name, label, key, para))

    def _floating(self, cand: Candidate) -> tuple[str | None, str | None, str | None]:
        if self.history:
            pos, name, label, key, para = self.history[-1]
            if para >= cand.para - 1 or (para >= cand.para - 2 and self._only_quotes_between(para, cand.para)):
                self.history.append((cand.start, name, label, key, cand.para))
                return name, label, None
        # a quotation with no cue after narrative about someone: the person last mentioned
        ctx = self.ctx
        k = bisect.bisect_left(ctx.person_pos, cand.start) - 1
        if k >= 0 and ctx.para_of(ctx.person_pos[k]) >= cand.para - 1:
            key = ctx.person_key[k]
            name = ctx.names.names.get(key)
            if name:
                self.history.append((cand.start, name, "PERSON", key, cand.para))
                return name, "PERSON", None
        return None, None, None

    def _only_quotes_between(self, a: int, b: int) -> bool:
        ctx = self.ctx
        for p in range(a + 1, b):
            ps, pe = ctx.para_starts[p], ctx.para_ends[p]
            if ctx.quoted_chars(ps, pe) < 0.8 * (pe - ps):
                return False
        return True

    def _pronoun(self, m: Mention, cand: Candidate) -> tuple[str | None, str | None, str | None]:
        ctx = self.ctx
        low = m.text.lower()
        pos = m.start
        para = cand.para
        if low in ("he", "she", "him", "her", "his", "hers"):
            want = PRONOUN_GENDER[low]
            options = self._person_options(pos, para)
            for _, key in options:
                g = ctx.names.gender.get(key)
                if g is None or g == want:
                    ctx.names.gender.setdefault(key, want)
                    name = ctx.names.names.get(key)
                    if name:
                        self._remember(pos, name, "PERSON", key, para)
                        return name, "PERSON", None
            return None, None, None
        if low in ("they", "them", "we", "their", "it", "its"):
            plural = low not in ("it", "its")
            best: tuple[int, str, str] | None = None
            for hpos, name, label, _key, hpara in reversed(self.history[-6:]):
                if hpara < para - 3:
                    break
                if (plural and label in ("GROUP", "ORG")) or (not plural and label in ("ORG", "UNNAMED")):
                    best = (hpos, name, label)
                    break
            if plural:
                k = bisect.bisect_left(ctx.plural_pos, pos) - 1
                if k >= 0 and ctx.para_of(ctx.plural_pos[k]) >= para - 1 and (best is None or ctx.plural_pos[k] > best[0]):
                    t = ctx.plural_tok[k]
                    mm = _mention(ctx, t)
                    best = (ctx.plural_pos[k], mm.name or mm.text, "GROUP")
            if best is not None:
                self._remember(pos, best[1], best[2], None, para)
                return best[1], best[2], None
            return None, None, None
        if low == "i" and ctx.article.author:
            return ctx.article.author, "PERSON", None
        return None, None, None


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """Drop candidates inside another (speech reported within a report) and exact repeats."""
    cands.sort(key=lambda c: (c.start, -c.end))
    out: list[Candidate] = []
    for c in cands:
        if out:
            p = out[-1]
            if c.start >= p.start and c.end <= p.end:
                cue = c.cue
                if cue is not None and cue.tag_ == "VBG" and p.start < cue.idx < c.start and cue.idx - p.start > 15 \
                        and p.kind == "indirect" and c.cue is not p.cue:
                    # "…announced that he is stepping down, saying the party needs to move on":
                    # the participle starts a second report, so the first ends before it
                    text = _text_of(cue.doc)
                    cut = cue.idx
                    while cut > p.start and text[cut - 1] in " ,;":
                        cut -= 1
                    p.end = cut
                    out.append(c)
                continue
            if c.start < p.end:
                overlap = p.end - c.start
                if overlap > 0.5 * (c.end - c.start) or overlap > 0.5 * (p.end - p.start):
                    if (c.end - c.start) > (p.end - p.start):
                        out[-1] = c
                    continue
        out.append(c)
    return out


def extract_quotes(doc: Doc, article: Article) -> tuple[list[Quote], list[Speaker]]:
    """Every quote in the article body with its speaker, and the article's speakers."""
    ctx = Context(doc, article)
    cands = _syntactic_candidates(ctx)
    cands = _dedupe(cands)
    cands += _transcript_candidates(ctx, [(c.start, c.end) for c in cands])
    cands += _mark_candidates(ctx, [(c.start, c.end) for c in cands])
    cands = _dedupe(cands)
    for c in cands:
        # full names given at any cue help resolve short mentions anywhere in the article
        m = c.mention
        if m is not None and m.label == "PERSON" and m.name and len(m.name.split()) >= 2:
            ctx.names.add(m.name, m.start)
    resolver = Resolver(ctx, [(c.start, c.end) for c in cands])
    quotes: list[Quote] = []
    speakers: dict[str, Speaker] = {}
    sent_starts = sentence_starts(doc)
    for c in cands:
        name, label, desc = resolver.resolve(c)
        m = c.mention
        if name:
            sp = speakers.get(name)
            if sp is None:
                sp = speakers[name] = Speaker(article.article_id, name, label or "UNNAMED")
            if desc and not sp.description:
                sp.description = desc
            if m is not None and m.text not in sp.mentions:
                sp.mentions.append(m.text)
            sp.quote_count += 1
        sent = max(0, bisect.bisect_right(sent_starts, c.start) - 1)
        quotes.append(Quote(
            article_id=article.article_id, start=c.start, end=c.end, text=article.text[c.start:c.end],
            kind=c.kind, cue=c.cue_text, speaker=name, speaker_mention=m.text if m else None,
            speaker_description=desc, speaker_label=label,
            mention_start=m.start if m else None, mention_end=m.end if m else None,
            cue_start=c.cue.idx if c.cue is not None else None, sentence=sent, paragraph=c.para,
        ))
    _fill_descriptions(ctx, speakers)
    _descriptions_from_previous_sentence(ctx, cands, speakers)
    for q in quotes:
        if q.speaker and q.speaker in speakers:
            q.speaker_description = speakers[q.speaker].description
    _TEXT_CACHE[0], _TEXT_CACHE[1] = None, ""  # hold no parsed doc between articles
    return quotes, list(speakers.values())


ROLE_NOUNS = {"official", "chief", "head", "spokesperson", "spokesman", "spokeswoman", "expert", "envoy",
              "diplomat", "judge", "mayor", "president", "premier", "senator", "secretary", "minister", "general",
              "lawmaker", "analyst", "economist", "scientist", "activist", "candidate", "nominee", "delegate",
              "representative", "aide", "adviser", "advisor", "founder", "executive", "director", "chair",
              "leader", "negotiator", "prosecutor", "lawyer", "attorney", "officer", "commander", "ambassador"}
ROLE_SUFFIXES = ("er", "or", "ist", "ian", "man", "woman", "person", "ess", "ant", "ent")


def _role_noun(t: Token) -> bool:
    """A noun for a person in a role ("the North Korean foreign minister"), modified so that it
    points at one person; a bare "the move" or "the sector" is not."""
    lemma = t.lemma_.lower()
    if lemma in NOT_SPEAKER_NOUNS:
        return False
    modified = any(c.dep_ in ("amod", "compound", "nmod") for c in t.children)
    return modified and (lemma in ROLE_NOUNS or lemma.endswith(ROLE_SUFFIXES))


def _descriptions_from_previous_sentence(ctx: Context, cands: list[Candidate],
                                         speakers: dict[str, Speaker]) -> None:
    """"In it, the North Korean foreign minister contradicted … According to Ri Yong Ho: “…”":
    a role introduced as the subject of the sentence just before a named speaker's quote, with no
    name of its own, describes that speaker."""
    doc = ctx.doc
    for c in cands:
        m = c.mention
        if m is None or m.label != "PERSON" or m.head.pos_ != "PROPN":
            continue
        name = ctx.names.names.get(ctx.names.resolve_key(m.name or m.text, m.start))
        sp = speakers.get(name or "")
        if sp is None or sp.description:
            continue
        sent = m.head.sent
        if sent.start == 0:
            continue
        prev = doc[sent.start - 1].sent
        if ctx.para_of(prev.start_char) != ctx.para_of(m.start):
            continue
        for t in prev:
            if t.dep_ == "nsubj" and t.pos_ == "NOUN" and t.tag_ == "NN" and not t.ent_type_ and _role_noun(t) \
                    and any(d.dep_ == "det" and d.lower_ == "the" for d in t.children) \
                    and t.lemma_.lower() not in NOT_SPEAKER_NOUNS \
                    and not any(ctx.ent_of.get(x.i) is not None and ctx.ent_of[x.i].label_ in NAME_ENTS
                                for x in t.subtree):
                sp.description = clean_name(_np_text(ctx, t))
                break


def _fill_descriptions(ctx: Context, speakers: dict[str, Speaker]) -> None:
    """Give named speakers the description the article gives them anywhere (appositive or title)."""
    want = {ctx.names.resolve_key(n): sp for n, sp in speakers.items()
            if sp.label == "PERSON" and not sp.description}
    if not want:
        return
    for ent in ctx.doc.ents:
        if ent.label_ not in NAME_ENTS or ent.start_char < ctx.body_start:
            continue
        key = ctx.names.resolve_key(_ent_name_text(ent), ent.start_char)
        sp = want.get(key)
        if sp is None or sp.description:
            continue
        p = ctx.para_of(ent.start_char)
        if " / " in ctx.text[ctx.para_starts[p]:ctx.para_ends[p]] or ctx._aside(ent):
            continue  # photo captions and credits
        m = _mention(ctx, ent.root)
        if m.description:
            sp.description = m.description
