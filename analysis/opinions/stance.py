"""General stance: which way a statement leans toward what it is about, and the words that say so.

Not a classifier: evaluative words of general English (`data/stance_cues.tsv`: "good", "fail",
"unfit", "progress"), each turned by a negation in its clause ("not reliable", "no progress"),
and the whole turned when the statement is reported through a denial ("deny that talks had
broken down"). Every decision keeps its evidence phrase so the reader can judge it. Words of one
subject's coverage are never built in: the analyst's codebook adds them (`extra_cues`).

Two readings share the cue list: `read_tokens` on the parse at ingest (negation from the
dependency tree), and `read_text` on stored text when a codebook adds cues later (negation from
the few words before the cue), so that editing a codebook never needs a re-parse.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

CUE_FILE = Path(__file__).resolve().parent.parent / "data" / "stance_cues.tsv"
KINDS = ("positive", "negative", "denial", "hedge", "frame", "disbelief")
NEGATORS = frozenset({"not", "n't", "no", "never", "hardly", "without", "nor", "neither", "nobody", "nothing",
                      "none", "cannot", "barely", "scarcely"})
# Dependencies that open a new clause: a negation beyond one does not reach the cue.
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl", "csubj", "parataxis", "conj", "ROOT"})
MINUS = "\u2212"


@dataclass(frozen=True)
class Cues:
    """Cue lemmas by kind; two-word cues ("break down", "buy time") kept as word pairs."""

    words: dict[str, frozenset[str]]
    pairs: dict[tuple[str, str], frozenset[str]]

    def kinds(self, lemma: str) -> frozenset[str]:
        return self.words.get(lemma, frozenset())

    def is_(self, lemma: str, kind: str) -> bool:
        return kind in self.words.get(lemma, ())


@lru_cache(maxsize=4)
def load_cues(path: Path = CUE_FILE) -> Cues:
    """Read the cue file: `lemma<TAB>kind` a line, `#` comments. A lemma may have several kinds."""
    words: dict[str, set[str]] = {}
    pairs: dict[tuple[str, str], set[str]] = {}
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        cue, _, kind = line.partition("\t")
        kind = kind.strip()
        if kind not in KINDS:
            raise ValueError(f"{path}:{lineno}: unknown cue kind {kind!r} (one of {', '.join(KINDS)})")
        parts = tuple(cue.lower().split())
        if len(parts) == 1:
            words.setdefault(parts[0], set()).add(kind)
        elif len(parts) == 2:
            pairs.setdefault((parts[0], parts[1]), set()).add(kind)
    return Cues({k: frozenset(v) for k, v in words.items()}, {k: frozenset(v) for k, v in pairs.items()})


CONTRASTS = frozenset({"but", "yet", "however"})
BEFORE_CONTRAST, AFTER_CONTRAST = 0.5, 1.5  # "X, but Y": Y is the point (as VADER weighs "but")


@dataclass
class Reading:
    """The stance signal of one statement: a signed score, the label, and the evidence phrases."""

    score: float = 0.0
    evidence: list[str] = field(default_factory=list)

    @property
    def stance(self) -> str:
        return label(self.score)

    def add(self, sign: int, phrase: str, negated: bool, weight: float = 1.0) -> None:
        if negated:
            sign = -sign
        self.score += sign * weight
        self.evidence.append(("+" if sign > 0 else MINUS) + ("not " if negated else "") + phrase)


def label(score: float) -> str:
    """Positive or negative toward the subject; neutral when no cue (or cues cancel)."""
    return "positive" if score > 0 else "negative" if score < 0 else "neutral"


# ---------------------------------------------------------------------------------------------
# On the parse (ingest)


def _negated(tok) -> bool:
    """A negator on the word or on the words it hangs from, up to its clause: "not good",
    "no progress", "is not a reliable partner", "did not fail"."""
    t = tok
    for _ in range(3):
        if any(c.lower_ in NEGATORS and c.dep_ in ("neg", "det", "advmod", "preconj") for c in t.children):
            return True
        if t.dep_ in CLAUSE_DEPS or t.head.i == t.i:
            return False
        t = t.head
    return False


def _polarity(kinds: Iterable[str]) -> int:
    kinds = set(kinds)
    return 1 if "positive" in kinds else -1 if "negative" in kinds else 0


def _contrast_weights(tokens: Sequence) -> list[float]:
    """Per token: less weight before a "but" in its sentence, more after it."""
    weights = [1.0] * len(tokens)
    for i, tok in enumerate(tokens):
        if tok.lower_ in CONTRASTS and tok.dep_ in ("cc", "advmod", "mark"):
            for j in range(i - 1, -1, -1):
                if tokens[j].sent.start != tok.sent.start:
                    break
                weights[j] = BEFORE_CONTRAST
            for j in range(i + 1, len(tokens)):
                if tokens[j].sent.start != tok.sent.start:
                    break
                weights[j] = AFTER_CONTRAST
    return weights


def read_tokens(tokens: Sequence, cues: Cues | None = None) -> Reading:
    """Stance of a statement from its parsed tokens. Words of a two-word cue count once."""
    cues = cues or load_cues()
    reading = Reading()
    weights = _contrast_weights(tokens)
    skip = -1
    for i, tok in enumerate(tokens):
        if i <= skip or tok.is_punct:
            continue
        lemma = tok.lemma_.lower()
        if i + 1 < len(tokens):
            pair = cues.pairs.get((lemma, tokens[i + 1].lemma_.lower()))
            if pair and _polarity(pair):
                reading.add(_polarity(pair), f"{tok.text} {tokens[i + 1].text}", _negated(tok), weights[i])
                skip = i + 1
                continue
        sign = _polarity(cues.kinds(lemma))
        if sign and tok.pos_ in ("ADJ", "NOUN", "VERB", "ADV", "AUX", "INTJ"):
            reading.add(sign, tok.text, _negated(tok), weights[i])
    return reading


# ---------------------------------------------------------------------------------------------
# On stored text (codebook cues added after ingest)

_NEGATED_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(NEGATORS - {"n't"})) + r"|\w+n't)\b(?:\W+\w+){0,2}\W*$")


@dataclass(frozen=True)
class TextCues:
    """Extra cue phrases (regular expressions over lower-cased text) with their sign."""

    patterns: tuple[tuple[re.Pattern, int], ...] = ()

    def read(self, text: str) -> Reading:
        low = text.lower().replace("\u2019", "'")
        reading = Reading()
        for rx, sign in self.patterns:
            for m in rx.finditer(low):
                negated = bool(_NEGATED_BEFORE.search(low[max(0, m.start() - 40):m.start()]))
                reading.add(sign, text[m.start():m.end()], negated)
        return reading
