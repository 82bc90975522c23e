"""Where speakers agree: statements grouped into positions and themes, with a stance signal.

An analyst wants to see at a glance that several experts say the same thing ("North Korea is
stalling to extract concessions") while the officials say another ("the talks were good"). Three
layers do that:

1. Positions. A lexicon of cue phrases sorts arguments about what a side is doing into a few
   concepts (stalling or pressure for concessions, talks failing, bad faith, threats). A
   statement whose dominant cue is one of them joins that position, whatever else it mentions:
   "buying time" and "stall on actual negotiations" share no word but make one point.
2. Themes. Everything else (and large positions, inside) is grouped by shared wording: TF-IDF over
   light-stemmed words and word pairs, a latent-semantic projection, mini-batch k-means; small
   sets are merged bottom-up instead. Sparse algebra and mini-batches keep 100,000 statements
   within a couple of minutes on two cores. Each group is labelled with the phrases that set it
   apart from the rest of the corpus, spelt as its statements spell them. A group whose leading
   phrase few of its statements share has no theme; its statements go to an explicit
   "unsorted" group rather than under a label that misdescribes them.
3. The analyst's codebook on top (YAML or CSV): a theme with keywords or example statements
   either *pins* the matching statements into a group with the analyst's name, or (with
   `pin: false`) only *names* the automatic groups most of whose statements match. It is applied
   to already-grouped rows (`apply_codebook`), so editing it never needs a re-parse or a
   re-clustering.

Stance is the same lexicon read for polarity, not a classifier: skeptical cues (stalling,
failure, distrust, threats, criticism) against hopeful ones (progress, engagement, optimism),
a negator shortly before a cue turning it. The phrases that decided it are returned so a reader
can judge; statements with no cue are neutral. The codebook may add cue phrases.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import itertools
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

VERSION = "3"

UNSORTED_ID = "unsorted"
UNSORTED_LABEL = "(no common theme)"

# ---------------------------------------------------------------------------------------------
# Tokens


# Function words plus the words every quote in news shares (reporting verbs, hedges), which
# would otherwise decide the grouping.
STOP_WORDS = frozenset("""
    a about above after again against all almost along already also although always am among an
    and another any anybody anyone anything are aren't around as at be became because become been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each either else enough even ever every everyone everything
    few for from further get gets getting got had hadn't has hasn't have haven't having he he'd
    he'll he's her here hers herself him himself his how however i i'd i'll i'm i've if in into is
    isn't it it's its itself just least less let let's like likely made make makes making many
    may maybe me might more most much must mustn't my myself neither never no nobody none nor not
    nothing now of off often on once one only or other others otherwise our ours ourselves out over
    own per perhaps quite rather really same say said says saying see seem seems shall shan't she
    she'd she'll she's should shouldn't since so some somebody someone something sometimes still
    such than that that's the their theirs them themselves then there there's these they they'd
    they'll they're they've thing things think this those though through thus to told too toward
    towards under until up upon us very via was wasn't way we we'd we'll we're we've well were
    weren't what what's whatever when whenever where whether which while who who's whoever whole
    whom whose why will with within without won't would wouldn't yes yet you you'd you'll you're
    you've your yours yourself yourselves mr mrs ms dr going go goes gone want wants wanted know
    knows knew come comes came take takes took put tell telling added adding according asked
    ask asking stated statement noted note believe believes believed lot lots kind sort able
    okay ok oh yeah
""".split())
# Words too common in any news quote to say what it is about on their own. They still count
# inside a word pair ("climate change", "White House", "raise questions"), where they do.
GENERIC_WORDS = frozenset("""
    back try tried trying look looked looking looks happen happened happening happens day days
    time times year years people person thing lot way new big little long right part place point
    points fact case number week weeks month months today tomorrow yesterday last next first second
    third ago sure need needs needed use used using keep kept give gave given giving find found show
    shows showed shown call called calling start started end ended feel felt mean means meant ask talk talked talking said saying
    done doing help leave left move live hold bring brought
    stand set change question
    questions run running ran work working worked job great good bad best better lot else whole
    real different important clear whether every including include includes including getting
    become becoming continue continued continues trying able likely possible half least today's
    mr. ms. u.s. american americans country countries world state states united nation national
    government president campaign election political politics plan plans planned u.s one two three
    four five six seven eight nine ten hundred thousand issue issues
""".split())
_TOKEN = re.compile(r"[a-z][a-z'’.-]*[a-z]|[a-z]")
CONCEPT_PREFIX = "#"  # concept features ("#stalling") cannot collide with words, which start with a letter
_QUOTE_CHARS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A crude suffix stripper, so "stalling", "stalled" and "stalls" count as one word.

    No stemmer ships with scikit-learn and a parse is not available here (statements come from
    the store as text); the stem is never shown, only the commonest surface form is.
    """
    w = word
    if len(w) <= 4:
        return w[:-1] if len(w) == 4 and w.endswith("s") and not w.endswith("ss") else w
    for suffix, repl in (("ies", "y"), ("ations", "ate"), ("ation", "ate"), ("ions", ""),
                         ("ion", ""), ("ings", ""), ("ing", ""), ("edly", ""), ("ed", ""),
                         ("es", "e"), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                break
            w = w[: -len(suffix)] + repl
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    return w


class Tokens:
    """Turn a statement into stemmed unigrams and bigrams, remembering how each was spelt.

    Bigrams are formed over content words only, so "buying time" and "buy more time" both give
    "buy time"; the surface counter lets labels print "buying time" rather than "buy tim".
    """

    def __init__(self, lexicon: "CompiledLexicon | None" = None) -> None:
        self.surface: dict[str, Counter] = {}
        self.lexicon = lexicon
        self.lengths: list[int] = []  # content words per statement, in the order seen

    def words(self, text: str) -> list[tuple[str, str]]:
        text = text.lower().translate(_QUOTE_CHARS)
        out = []
        for tok in _TOKEN.findall(text):
            tok = tok.strip(".'-")
            if tok.endswith("'s"):
                tok = tok[:-2]
            if len(tok) < 2 or tok in STOP_WORDS or tok.replace(".", "").isdigit():
                continue
            out.append((stem(tok), tok))
        return out

    def __call__(self, text: str) -> list[str]:
        words = self.words(text)
        self.lengths.append(len(words))
        feats = [s for s, w in words if w not in GENERIC_WORDS]
        feats += [f"{a[0]} {b[0]}" for a, b in itertools.pairwise(words)
                  if not (a[1] in GENERIC_WORDS and b[1] in GENERIC_WORDS)]
        if self.lexicon is not None:
            low = text.lower().translate(_QUOTE_CHARS)
            feats += sorted({CONCEPT_PREFIX + c for _, _, c, negated in self.lexicon.find(low) if not negated})
        for s, w in words:
            c = self.surface.get(s)
            if c is None:
                c = self.surface[s] = Counter()
            if len(c) < 8 or w in c:
                c[w] += 1
        return feats

    def spell(self, feature: str) -> str:
        if feature.startswith(CONCEPT_PREFIX) and self.lexicon is not None:
            return self.lexicon.display.get(feature[1:], feature[1:])
        return " ".join(self.surface[p].most_common(1)[0][0] if p in self.surface else p
                        for p in feature.split(" "))


# ---------------------------------------------------------------------------------------------
# Stance

# Cue phrases (regular expressions over lower-cased text), sorted into the concepts that
# commentary on talks, deals and policies turns on. They do two jobs: their polarity gives the
# stance signal, and the concept is added to the statement's words for grouping, so that
# "buying time" and "stall on actual negotiations" count as the same point although they share
# no word. General to negotiation and policy coverage; the codebook may add phrases.
CONCEPTS: dict[str, tuple[int, str, tuple[str, ...]]] = {
    # name: (polarity, label shown in group labels, cues)
    # Stalling and pressure are one position in commentary on talks: a side playing for time to
    # extract concessions. Kept apart they would split the experts who make that one point.
    "tactics": (-1, "stalling, buying time, pressure", (
        r"stall(?:s|ed|ing)?", r"buy(?:s|ing)? (?:more |some )?time", r"bought (?:more |some )?time",
        r"play(?:s|ing|ed)? for time", r"drag(?:s|ged|ging)? (?:its |their |his |her )?feet",
        r"run(?:s|ning)? out the clock", r"stonewall(?:s|ed|ing)?", r"delay(?:s|ed|ing)?",
        r"delaying tactics?",
        r"(?:apply|applies|applied|applying|put|puts|putting|maximum) pressure", r"pressure",
        r"leverage", r"concessions?", r"forc(?:e|es|ed|ing) (?:[\w.]+ ){1,3}to", r"extract(?:s|ed|ing)?",
        r"coerc(?:e|ed|ion|ive)", r"blackmail", r"ultimatum", r"brinkmanship",
        r"demand(?:s|ed|ing)? more", r"negotiating tactics?")),
    "breakdown": (-1, "failure, breakdown", (
        r"set up to fail", r"collaps(?:e|ed|es|ing)", r"break ?down", r"broke(?:n)? down", r"impasse",
        r"deadlock(?:ed)?", r"stalemate", r"fail(?:ed|s|ing|ure|ures)?", r"walk(?:ed|ing|s)? (?:out|away)",
        r"walkout", r"suspend(?:ed|s)?", r"dead end", r"going nowhere", r"no progress", r"no deal")),
    "distrust": (-1, "distrust, bad faith", (
        r"cheat(?:s|ed|ing)?", r"lie(?:s|d)?", r"lying", r"liars?", r"not (?:a )?(?:reliable|serious|sincere|credible)",
        r"unreliable", r"insincere", r"no intention", r"wishful thinking",
        r"mislead(?:ing)?", r"misled", r"deceiv(?:e|ed|ing)", r"deception", r"can(?:no|')t be trusted",
        r"distrust", r"mistrust", r"doubt(?:s|ful|ed)?", r"skeptic(?:al|ism)?", r"sceptic(?:al|ism)?",
        r"unlikely", r"empty (?:promises?|words|gestures?)", r"propaganda",
        r"pointless", r"no point", r"won't work",
        r"will not work", r"rigged", r"fraud(?:ulent)?", r"dishonest")),
    "threat": (-1, "threats, hostility", (
        r"hostil(?:e|ity)", r"threat(?:s|en|ens|ened|ening)?", r"danger(?:ous)?", r"provocat(?:ion|ions|ive)",
        r"aggress(?:ion|ive)", r"menac(?:e|ing)", r"reckless")),
    "criticism": (-1, "criticism", (
        r"wrong", r"bad", r"terrible", r"horrible", r"worse", r"worst", r"disaster(?:ous)?", r"mistakes?",
        r"disappoint(?:ed|ing|ment)?", r"worr(?:y|ied|ies|ying)", r"concern(?:ed|ing)?", r"problem(?:s|atic)?",
        r"unfair", r"illegal", r"corrupt(?:ion)?", r"scandal(?:s|ous)?", r"crisis", r"chaos", r"outrage(?:ous)?",
        r"disgrace(?:ful)?", r"shameful", r"embarrass(?:ing|ment)", r"unacceptable", r"ridiculous",
        r"irresponsible", r"incompetent", r"weak")),
    "progress": (1, "praise, progress", (
        r"good", r"productive", r"constructive", r"positive", r"progress", r"breakthrough",
        r"step forward", r"success(?:ful|fully)?", r"succeed(?:s|ed)?",
        r"agreement", r"deal (?:was |is )?reached", r"historic", r"great")),
    "engagement": (1, "engagement, cooperation", (
        r"resum(?:e|ed|es|ing)", r"keep (?:\w+ )?alive", r"willing(?:ness)?",
        r"cooperat(?:e|ion|ive)", r"dialogue", r"meet again", r"commit(?:ted|ment)", r"opportunit(?:y|ies)",
        r"peace(?:ful)?", r"reconcil(?:e|iation)", r"compromise")),
    "optimism": (1, "optimism, confidence", (
        r"optimis(?:m|tic)", r"hopeful", r"promising", r"encourag(?:ed|ing)", r"confident", r"confidence",
        r"welcome(?:d|s)?", r"excit(?:ed|ing)", r"proud", r"trust(?:ed)?", r"strong support",
        r"look(?:s|ing)? forward")),
}
NEGATORS = re.compile(r"\b(?:not|no|never|n't|without|hardly|nor|cannot|can't|won't|isn't|wasn't|"
                      r"aren't|don't|doesn't|didn't|rather than|instead of)\b(?:(?!\b(?:but|yet|although)\b)[\w\s,]){0,20}$")


@dataclass
class StanceLexicon:
    """Concepts with their cue phrases; extra phrases from a codebook join the concept `extra`."""

    concepts: dict[str, tuple[int, str, tuple[str, ...]]] = field(default_factory=lambda: dict(CONCEPTS))

    def compiled(self) -> "CompiledLexicon":
        return CompiledLexicon(self.concepts)


class CompiledLexicon:
    """One regex for every cue, longest alternatives first, with the concept of each cue."""

    def __init__(self, concepts: dict[str, tuple[int, str, tuple[str, ...]]]) -> None:
        cues = [(cue, name) for name, (_, _, cs) in concepts.items() for cue in cs]
        self.polarity = {name: pol for name, (pol, _, _) in concepts.items()}
        self.display = {name: disp for name, (_, disp, _) in concepts.items()}
        # Speed matters (every statement, every time the corpus opens): the regex engine tries
        # alternatives one by one, so cues are bucketed by their first letter behind a
        # lookahead, and one word-boundary test stands outside the alternation so that inside a
        # word the match fails at once. Cues that start with a group come first; inside a bucket
        # the longest cue is tried first, and the engine still backtracks to a shorter one.
        buckets: dict[str, list[tuple[str, str]]] = {}
        for cue, name in cues:
            buckets.setdefault(cue[0] if cue[0].isalpha() else "", []).append((cue, name))
        parts, self.names = [], []
        for key in sorted(buckets):
            alts = sorted(buckets[key], key=lambda c: len(c[0]), reverse=True)
            self.names += [name for _, name in alts]
            body = "|".join(f"({cue})" for cue, _ in alts)
            parts.append(f"(?={re.escape(key)})(?:{body})" if key else body)
        self.regex = re.compile("(?<![\\w-])(?:" + "|".join(parts) + ")(?![\\w-])")

    def find(self, low: str) -> Iterable[tuple[int, int, str, bool]]:
        """(start, end, concept, negated) for each cue in lower-cased text."""
        for m in self.regex.finditer(low):
            concept = self.names[m.lastindex - 1]
            neg = NEGATORS.search(low[max(0, m.start() - 30):m.start()])
            negated = bool(neg) and not m.group(0).startswith(("not ", "no ", "can"))
            yield m.start(), m.end(), concept, negated


def stance_of(text: str, lexicon: "CompiledLexicon | None" = None) -> tuple[str, str, int]:
    """(stance, evidence, score) of one statement; see `read_statements`."""
    r = read_statements([text], lexicon)
    return r.stance[0], r.evidence[0], r.score[0]


_DEFAULT_LEXICON = CompiledLexicon(CONCEPTS)

# ---------------------------------------------------------------------------------------------
# Codebook


@dataclass
class Theme:
    name: str
    keywords: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    pin: bool = True

    @property
    def group_id(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")[:40]
        return f"theme:{slug or hashlib.sha1(self.name.encode()).hexdigest()[:8]}"


@dataclass
class Codebook:
    themes: list[Theme] = field(default_factory=list)
    stance: StanceLexicon | None = None


def _keyword_pattern(keyword: str) -> str:
    """An analyst's keyword as a regex: words take common inflections, `*` is any word ending.

    "buy time" matches "buying time"; "negotiate" matches "negotiating"; "stall*" anything
    starting with "stall". Regex syntax is not exposed, so a keyword cannot break the matcher.
    """
    parts = []
    for word in keyword.lower().translate(_QUOTE_CHARS).split():
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"[\w'-]*")
        elif len(word) <= 3:
            parts.append(re.escape(word) + r"(?:s|es|ed|ing)?")
        elif word.endswith("e"):
            parts.append(re.escape(word[:-1]) + r"(?:e|es|ed|ing|ion|ions)")
        elif word.endswith("y"):
            parts.append(re.escape(word[:-1]) + r"(?:y|ies|ied|ying|ys)")
        else:
            parts.append(re.escape(word) + r"(?:s|es|ed|ing|" + re.escape(word[-1]) + r"ed|" + re.escape(word[-1]) + r"ing)?")
    return r"\s+(?:\w+\s+){0,2}?".join(parts) if len(parts) > 1 else (parts[0] if parts else "")


def load_codebook(path: Path | str) -> Codebook:
    """Read a codebook: YAML (`themes: [{name, keywords, examples, pin}]`, optional
    `stance: {skeptical: [...], hopeful: [...]}`) or CSV (`theme, keywords, examples, pin` with
    `;`-separated keywords and `|`-separated examples; rows of the same theme are merged).

    Example (`codebook.yaml`)::

        themes:
          - name: North Korea plays for time
            keywords: [buy time, stall*, "drag* feet"]
            examples: ["North Korea is buying time to expand its arsenal"]
          - name: Sanctions relief
            keywords: [sanctions relief, lift* sanctions]
          - name: Talks broke down        # only renames automatic groups where most match
            keywords: [broke down, collapse*]
            pin: false
        stance:
          skeptical: [smoke and mirrors]
          hopeful: [turning point]
    """
    path = Path(path)
    book = Codebook()
    by_name: dict[str, Theme] = {}

    def theme(name: str) -> Theme:
        if name not in by_name:
            by_name[name] = Theme(name)
            book.themes.append(by_name[name])
        return by_name[name]

    def as_list(v, sep: str) -> list[str]:
        if v is None:
            return []
        if isinstance(v, str):
            return [s.strip() for s in v.split(sep) if s.strip()]
        return [str(s).strip() for s in v if str(s).strip()]

    def as_bool(v) -> bool:
        if v is None or v == "":
            return True
        if isinstance(v, bool):
            return v
        return str(v).strip().lower() not in ("false", "no", "0", "n")

    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        items = data.get("themes", []) if isinstance(data, dict) else data
        if isinstance(items, dict):  # {name: {keywords: …}} or {name: [keywords]}
            items = [{"name": k, **(v if isinstance(v, dict) else {"keywords": v})} for k, v in items.items()]
        for i, item in enumerate(items or []):
            if not isinstance(item, dict) or not (item.get("name") or item.get("theme")):
                warnings.warn(f"{path}: theme {i + 1} has no name, skipped", stacklevel=2)
                continue
            t = theme(str(item.get("name") or item.get("theme")))
            t.keywords += as_list(item.get("keywords"), ";")
            t.examples += as_list(item.get("examples"), "|")
            t.pin = as_bool(item.get("pin"))
        st = data.get("stance") if isinstance(data, dict) else None
        if isinstance(st, dict):
            concepts = dict(CONCEPTS)
            for key, pol in (("skeptical", -1), ("hopeful", 1)):
                extra = tuple(p for p in (_keyword_pattern(k) for k in as_list(st.get(key), ";")) if p)
                if extra:
                    concepts[f"codebook {key}"] = (pol, f"{key} (codebook)", extra)
            book.stance = StanceLexicon(concepts)
    else:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            sample = fh.read(4096)
            fh.seek(0)
            reader = csv.DictReader(fh, delimiter="\t" if sample.count("\t") > sample.count(",") else ",")
            for lineno, row in enumerate(reader, start=2):
                row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
                name = row.get("theme") or row.get("name")
                if not name:
                    warnings.warn(f"{path}:{lineno}: no theme name, row skipped", stacklevel=2)
                    continue
                t = theme(name)
                t.keywords += as_list(row.get("keywords") or row.get("keyword"), ";")
                t.examples += as_list(row.get("examples") or row.get("example"), "|")
                if row.get("pin"):
                    t.pin = as_bool(row.get("pin"))
    return book


def _theme_scores(texts: Sequence[str], themes: Sequence[Theme]) -> np.ndarray:
    """Statements × themes: keyword hits, plus similarity to the theme's example statements.

    Examples are compared with a TF-IDF fitted here on the statements and examples together, so
    applying a codebook needs only the stored texts.
    """
    scores = np.zeros((len(texts), len(themes)), dtype=np.float32)
    if not themes or not len(texts):
        return scores
    low = [t.lower().translate(_QUOTE_CHARS) for t in texts]
    for j, th in enumerate(themes):
        pats = [p for p in (_keyword_pattern(k) for k in th.keywords) if p]
        if pats:
            rx = re.compile(r"(?<![\w-])(?:" + "|".join(pats) + r")(?![\w-])")
            scores[:, j] += np.fromiter((len(rx.findall(t)) for t in low), dtype=np.float32, count=len(low))
    if any(th.examples for th in themes):
        from sklearn.feature_extraction.text import TfidfVectorizer

        examples = [(j, e) for j, th in enumerate(themes) for e in th.examples]
        vec = TfidfVectorizer(analyzer=Tokens(), sublinear_tf=True)
        vec.fit(list(texts) + [e for _, e in examples])
        X = vec.transform(texts)
        E = vec.transform([e for _, e in examples])
        sim = (X @ E.T).toarray()
        for k, (j, _) in enumerate(examples):
            hit = sim[:, k] >= EXAMPLE_SIMILARITY
            scores[hit, j] = np.maximum(scores[hit, j], 0) + 1 + sim[hit, k]
    return scores


EXAMPLE_SIMILARITY = 0.3
NAME_SHARE = 0.5  # share of an automatic group that must match a naming-only theme


def apply_codebook(grouped: pd.DataFrame, codebook: Path | Codebook | None) -> pd.DataFrame:
    """Put the analyst's themes over an automatic grouping (the output of `group_opinions`).

    Pinned themes take every statement that matches them (best-scoring theme wins, the first
    listed on ties); naming-only themes rename automatic groups where at least half of the
    statements match. Works from `auto_group_id`/`auto_group_label`, so it can be re-run with an
    edited codebook on stored rows. Stance is recomputed when the codebook adds cue phrases.
    """
    out = grouped.copy()
    out["group_id"] = out["auto_group_id"]
    out["group_label"] = out["auto_group_label"]
    out["group_source"] = np.where(out["auto_group_id"] == UNSORTED_ID, "unsorted", "auto")
    if codebook is None:
        return out
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    if book.stance is not None:
        lex = book.stance.compiled()
        st = [stance_of(t, lex) for t in out["text"].fillna("")]
        out["stance"] = [s[0] for s in st]
        out["stance_evidence"] = [s[1] for s in st]
        out["stance_score"] = [s[2] for s in st]
    if not book.themes or out.empty:
        return out
    scores = _theme_scores(out["text"].fillna("").tolist(), book.themes)
    pinned = [j for j, th in enumerate(book.themes) if th.pin]
    naming = [j for j, th in enumerate(book.themes) if not th.pin]
    gid = out["group_id"].to_numpy(dtype=object).copy()
    glabel = out["group_label"].to_numpy(dtype=object).copy()
    gsrc = out["group_source"].to_numpy(dtype=object).copy()
    if naming:
        auto = out["auto_group_id"].to_numpy(dtype=object)
        for j in naming:
            match = scores[:, j] > 0
            for g in pd.unique(auto[match]):
                members = auto == g
                if g != UNSORTED_ID and match[members].mean() >= NAME_SHARE:
                    glabel[members] = book.themes[j].name
                    gsrc[members] = "codebook name"
    if pinned:
        sub = scores[:, pinned]
        best = sub.argmax(axis=1)
        hit = sub.max(axis=1) > 0
        for i in np.flatnonzero(hit):
            th = book.themes[pinned[best[i]]]
            gid[i], glabel[i], gsrc[i] = th.group_id, th.name, "codebook"
    out["group_id"], out["group_label"], out["group_source"] = gid, glabel, gsrc
    return out


# ---------------------------------------------------------------------------------------------
# Automatic grouping


@dataclass
class GroupingParams:
    n_groups_per: int = 40  # about one automatic group per this many statements
    max_groups: int = 300
    split_min: int = 80  # a position with fewer statements stays one group
    n_components: int = 100  # latent dimensions (large sets)
    small_set: int = 300  # below this, bottom-up merging on TF-IDF instead of k-means
    small_distance: float = 0.9  # cosine distance under which a small set's statements merge
    max_df: float = 0.02  # share of statements above which a word does not define a group
    min_tokens: int = 3  # a statement with no position and fewer content words: unsorted
    min_coherence: float = 0.12  # mean cosine to the group centre below this: unsorted
    min_similarity: float = 0.05  # a statement this far from its centre: unsorted
    label_terms: int = 3
    min_label_share: float = 0.25  # a topic group's leading phrase must be in this share of it
    min_position_phrase_share: float = 0.15
    rejoin_similarity: float = 0.3  # an unsorted statement this close to a group's centre joins it
    random_state: int = 0


# The concepts that are arguments about what a side is doing, and so make a position that
# several speakers can share. Praise, criticism, optimism and engagement are too general to group
# on ("a good guy", "a problem for the party"): they only count for the stance.
POSITION_CONCEPTS = ("tactics", "breakdown", "distrust", "threat")


@dataclass
class Reading:
    """What the lexicon finds in each statement: concept counts, stance, evidence, score."""

    concepts: list[str]
    counts: np.ndarray  # statements × concepts, non-negated cue hits
    stance: list[str]
    evidence: list[str]
    score: list[int]

    def positions(self) -> np.ndarray:
        """Index of each statement's dominant concept, -1 for none; ties go to the earlier concept."""
        if not self.concepts:
            return np.full(len(self.stance), -1)
        w = self.counts * np.array([1.0 if c in POSITION_CONCEPTS or c.startswith("codebook") else 0.0
                                    for c in self.concepts])
        # Earlier concepts win ties: subtract a tiny amount growing with the column index.
        w = w - np.arange(len(self.concepts)) * 1e-6 * (w > 0)
        best = w.argmax(axis=1)
        return np.where(w.max(axis=1) > 0, best, -1)


def read_statements(texts: Sequence[str], lexicon: CompiledLexicon | None = None) -> Reading:
    """Run the cue lexicon once over every statement (stance and position both come from it)."""
    lex = lexicon or _DEFAULT_LEXICON
    concepts = list(lex.polarity)
    col = {c: j for j, c in enumerate(concepts)}
    counts = np.zeros((len(texts), len(concepts)), dtype=np.float32)
    stance, evidence, score = [], [], []
    for i, text in enumerate(texts):
        low = text.lower().translate(_QUOTE_CHARS)
        total = 0
        parts = []
        for start, end, concept, negated in lex.find(low):
            # "not good" counts against; "not a failure" only cancels the cue, because denying a
            # bad outcome ("rather than the breakdown of talks, ...") is seldom praise.
            pol = lex.polarity[concept] if not negated else (-1 if lex.polarity[concept] > 0 else 0)
            total += pol
            sign = "+" if pol > 0 else "−" if pol < 0 else "±"
            parts.append(sign + ("not " if negated else "") + text[start:end])
            if not negated:
                counts[i, col[concept]] += 1
        stance.append("hopeful" if total > 0 else "skeptical" if total < 0 else "neutral")
        evidence.append("; ".join(parts))
        score.append(total)
    return Reading(concepts, counts, stance, evidence, score)


LABEL_MIN_RATIO = 0.15


def _labels(X_bin: sp.csr_matrix, assign: np.ndarray, k: int, terms: np.ndarray, spell, n_terms: int,
            df_all: np.ndarray, n_all: int) -> list[list[tuple[str, float, int]]]:
    """Per group, the phrases most particular to it (share inside × log-lift over the corpus).

    Word pairs are preferred: a unigram is dropped when a chosen pair contains it, because
    "buying time" says more than "buying" and "time".
    """
    onehot = sp.csr_matrix((np.ones(len(assign)), (assign, np.arange(len(assign)))), shape=(k, len(assign)))
    counts = (onehot @ X_bin).tocsr()
    sizes = np.bincount(assign, minlength=k).astype(float)
    pair_bonus = np.array([1.15 if " " in t else 1.0 for t in terms])
    base = (df_all + 1.0) / n_all
    out = []
    for c in range(k):
        row = counts.getrow(c)
        idx, cnt = row.indices, row.data
        if sizes[c] == 0 or len(idx) == 0:
            out.append([])
            continue
        share = cnt / sizes[c]
        score = share * np.maximum(np.log(share / base[idx]), 0) * pair_bonus[idx]
        score[cnt < min(2, sizes[c])] = 0
        chosen: list[str] = []
        share_of: dict[str, float] = {}
        col_of: dict[str, int] = {}
        order = np.argsort(-score)[:30]
        top = score[order[0]] if len(order) else 0
        for j in order:
            # A phrase much weaker than the first one describes a minority of the group.
            if score[j] <= 0 or len(chosen) >= n_terms or score[j] < LABEL_MIN_RATIO * top:
                break
            term = terms[idx[j]]
            parts = set(term.split(" "))
            if any(parts <= set(c_.split(" ")) for c_ in chosen):
                continue
            if " " in term:
                chosen = [c_ for c_ in chosen if not set(c_.split(" ")) <= parts]
            chosen.append(term)
            share_of[term] = float(share[j])
            col_of[term] = int(idx[j])
        out.append([(spell(t, c), share_of[t], col_of[t]) for t in chosen])
    return out


def default_n_groups(n: int, params: GroupingParams | None = None) -> int:
    """About one group per 40 statements: enough to separate themes in a week of coverage, few
    enough that a reader can scan the list of labels."""
    p = params or GroupingParams()
    return int(min(p.max_groups, max(1, round(n / p.n_groups_per))))


@dataclass
class Grouping:
    assign: np.ndarray  # group index per statement, -1 for unsorted
    labels: list[str]
    phrases: list[list[str]]
    positions: list[str | None]  # the concept each group was formed on, None for topic groups
    reading: Reading
    fit: np.ndarray | None = None  # cosine of each statement to its group's centre (0 unsorted)


def cluster(texts: Sequence[str], params: GroupingParams | None = None,
            lexicon: CompiledLexicon | None = None) -> Grouping:
    """Automatic groups: first by position (the dominant cue concept), then by topic inside it.

    Position first, because the analyst's question is who agrees with whom: "stalling to gain
    leverage" must be one group whether the statement mentions missiles or sanctions. Inside a
    large position, and among statements with no cue, k-means on a latent-semantic projection of
    the TF-IDF (fitted once for all) separates the topics; small sets are merged bottom-up.
    """
    from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    p = params or GroupingParams()
    lex = lexicon or _DEFAULT_LEXICON
    n = len(texts)
    reading = read_statements(texts, lex)
    assign = np.full(n, -1, dtype=np.int64)
    empty = Grouping(assign, [], [], [], reading)
    if n == 0:
        return empty
    tok = Tokens()
    vec = TfidfVectorizer(analyzer=tok, sublinear_tf=True, dtype=np.float32, norm=None)
    try:
        X = vec.fit_transform(texts).tocsr()
    except ValueError:  # no usable word at all
        return empty
    terms = vec.get_feature_names_out()
    n_words = np.array(tok.lengths[-n:], dtype=np.int64)
    # Only features that two statements share can bring them together; the others only dilute
    # the cosine, which matters most in a small set of long quotes. Concept features are left to
    # the position step.
    # Words in more than a few percent of statements ("people", "new", a front-runner's name)
    # make groups of everything that mentions them, not themes; in a small set nothing is that
    # common, so the bound is relaxed there.
    df = np.bincount(X.indices, minlength=X.shape[1])
    words = np.array([not t.startswith(CONCEPT_PREFIX) for t in terms])
    # A corpus with a narrow vocabulary (one story, a synthetic set) would lose most statements
    # to that bound, so it is relaxed when it leaves too few statements with any word.
    loose = np.flatnonzero((df >= 2) & (df <= max(2, 0.5 * n)) & words)
    cols = np.flatnonzero((df >= 2) & (df <= max(p.max_df * n, min(0.5 * n, 30))) & words)
    if len(loose) and len(cols) < len(loose):
        covered = lambda c: np.count_nonzero(np.diff(X[:, c].tocsr().indptr))  # noqa: E731
        if covered(cols) < 0.6 * covered(loose):
            cols = loose
    if len(cols) == 0:
        return empty
    X = normalize(X[:, cols])
    terms, df = terms[cols], df[cols]
    has_words = np.diff(X.indptr) > 0

    Z = None  # latent vectors, fitted once on every statement with shared words
    if n >= p.small_set and X.shape[1] > 2:
        dims = max(2, min(p.n_components, X.shape[1] - 1, n - 1))
        Z = np.zeros((n, dims), dtype=np.float32)
        rows = np.flatnonzero(has_words)
        Z[rows] = normalize(TruncatedSVD(n_components=dims, random_state=p.random_state)
                            .fit_transform(X[rows]))

    position = reading.positions()
    groups: list[tuple[np.ndarray, str | None]] = []  # (member indices, position concept)

    def split(members: np.ndarray, concept: str | None) -> None:
        members = members[has_words[members]] if concept is None else members
        if concept is None:
            members = members[n_words[members] >= p.min_tokens]
        if len(members) == 0:
            return
        k = default_n_groups(len(members), p) if (concept is None or len(members) >= p.split_min) else 1
        if k <= 1 or len(members) < 3:
            if concept is not None or len(members) >= 2:
                groups.append((members, concept))
            return
        with_words = members[has_words[members]]
        if concept is not None and len(with_words) < len(members):
            groups.append((members[~has_words[members]], concept))
            members = with_words
            if len(members) < 3:
                groups.append((members, concept))
                return
        if Z is None:
            lab = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                          distance_threshold=p.small_distance).fit_predict(X[members].toarray())
            V = normalize(X[members].toarray())
        else:
            V = Z[members]
            km = MiniBatchKMeans(n_clusters=min(k, len(members)), random_state=p.random_state,
                                 batch_size=4096, n_init=1, max_iter=100, reassignment_ratio=0.01)
            lab = km.fit_predict(V)
        kk = int(lab.max()) + 1
        # k-means can leave a cluster empty on large inputs: its centre is zero, not the NaN mean
        # of nothing (which made grouping 1.27M statements fail).
        sizes = np.bincount(lab, minlength=kk)
        onehot = sp.csr_matrix((np.ones(len(lab)), (lab, np.arange(len(lab)))), shape=(kk, len(lab)))
        sums = np.asarray(onehot @ V)
        centres = normalize(sums / np.maximum(sizes, 1)[:, None])
        sims = np.einsum("ij,ij->i", V, centres[lab])
        coherence = np.bincount(lab, weights=sims, minlength=kk) / np.maximum(sizes, 1)
        leftover = []
        for c in range(kk):
            inside = lab == c
            if concept is None:
                good = inside & (sims >= p.min_similarity)
                if coherence[c] < p.min_coherence or good.sum() < 2:
                    continue
                groups.append((members[good], None))
            else:
                if sizes[c] >= 2:
                    groups.append((members[inside], concept))
                else:
                    leftover.append(members[inside])
        if leftover:  # statements of a position that fit none of its topics stay with the position
            groups.append((np.concatenate(leftover), concept))

    for j, concept in enumerate(reading.concepts):
        split(np.flatnonzero(position == j), concept)
    split(np.flatnonzero(position == -1), None)

    groups.sort(key=lambda g: -len(g[0]))
    for gi, (members, _) in enumerate(groups):
        assign[members] = gi
    if not groups:
        return empty
    rows = assign >= 0
    X_bin = (X[rows] > 0).astype(np.float32).tocsr()
    def spell(term: str, group: int) -> str:
        """The commonest spelling of a stemmed phrase among the group's own statements."""
        stems = term.split(" ")
        seen: Counter = Counter()
        for i in groups[group][0][:300]:
            ws = tok.words(texts[i])
            for j in range(len(ws) - len(stems) + 1):
                if all(ws[j + m][0] == stems[m] for m in range(len(stems))):
                    seen[" ".join(w for _, w in ws[j:j + len(stems)])] += 1
        if not seen:
            return tok.spell(term)
        low = seen.most_common(1)[0][0]
        # As the articles write it: "White House", "Ted Cruz", but "foreign policy".
        # Function words dropped between the two words come back: "secretary of State".
        rx = re.compile(r"(?<!\w)" + r"\W+(?:[a-z]+\W+){0,2}?".join(re.escape(w) for w in low.split())
                        + r"(?!\w)", re.I)
        cased: Counter = Counter()
        for i in groups[group][0][:100]:
            cased.update(m.group(0) for m in rx.finditer(texts[i].translate(_QUOTE_CHARS)))
        return cased.most_common(1)[0][0] if cased else low

    phrases = _labels(X_bin, assign[rows], len(groups), terms, spell, p.label_terms, df, n)
    # A topic group whose leading phrase few of its statements share has no common theme: its
    # statements go to "unsorted" rather than under a label that misdescribes them. A position
    # group keeps its members (the position is what they share) and shows only shared phrases.
    kept, labels, kept_phrases, key_cols = [], [], [], []
    for (members, concept), ph in zip(groups, phrases, strict=True):
        if concept is None and (not ph or ph[0][1] < p.min_label_share):
            assign[members] = -1
            continue
        if concept is not None:
            ph = [x for x in ph if x[1] >= p.min_position_phrase_share]

        topic = " / ".join(t for t, _, _ in ph)
        if concept is not None:
            head = lex.display.get(concept, concept)
            labels.append(f"{head}: {topic}" if topic else head)
        else:
            labels.append(topic)
        kept.append((members, concept))
        kept_phrases.append([t for t, _, _ in ph])
        key_cols.append([c for _, _, c in ph])
    order = sorted(range(len(kept)), key=lambda i: -len(kept[i][0]))
    kept = [kept[i] for i in order]
    labels = [labels[i] for i in order]
    kept_phrases = [kept_phrases[i] for i in order]
    key_cols = [key_cols[i] for i in order]
    assign[:] = -1
    for gi, (members, _) in enumerate(kept):
        assign[members] = gi
    fit = np.zeros(n, dtype=np.float32)
    rows = np.flatnonzero(assign >= 0)
    if len(rows):
        onehot = sp.csr_matrix((np.ones(len(rows)), (assign[rows], np.arange(len(rows)))), shape=(len(kept), len(rows)))
        centres = normalize(onehot @ X[rows])
        # Second chance for what k-means put in a group without a theme: join the closest
        # topic group when near enough to its centre. Position groups take no one this way.
        topic = np.array([c is None for _, c in kept])
        loose = np.flatnonzero((assign < 0) & has_words & (position == -1) & (n_words >= p.min_tokens))
        if len(loose) and topic.any():
            K = sp.csr_matrix((np.ones(sum(map(len, key_cols))),
                               ([g for g, cs in enumerate(key_cols) for _ in cs], [c for cs in key_cols for c in cs])),
                              shape=(len(kept), X.shape[1]))
            for chunk in np.array_split(loose, max(1, len(loose) // 20_000)):
                sim = (X[chunk] @ centres.T).toarray()
                sim[:, ~topic] = 0
                sim[(X[chunk] @ K.T).toarray() == 0] = 0  # must use one of the label's phrases
                best = sim.argmax(axis=1)
                ok = sim[np.arange(len(chunk)), best] >= p.rejoin_similarity
                assign[chunk[ok]] = best[ok]
            rows = np.flatnonzero(assign >= 0)
            # Number the groups by their final size again.
            order = np.argsort(-np.bincount(assign[rows], minlength=len(kept)), kind="stable")
            rank = np.empty_like(order)
            rank[order] = np.arange(len(order))
            assign[rows] = rank[assign[rows]]
            centres = centres[order]
            kept = [kept[i] for i in order]
            labels = [labels[i] for i in order]
            kept_phrases = [kept_phrases[i] for i in order]
        # Row by group: broadcasting each centre to its members' rows would copy a dense-ish
        # centre once per statement (gigabytes at 100,000 statements).
        for gi in range(len(kept)):
            members = np.flatnonzero(assign == gi)
            fit[members] = (X[members] @ centres[gi].T).toarray().ravel()
    # Labels are what a reader filters on, so two groups never share one.
    seen: Counter = Counter()
    for i, label in enumerate(labels):
        seen[label] += 1
        if seen[label] > 1:
            labels[i] = f"{label} ({seen[label]})"
    return Grouping(assign, labels, kept_phrases, [c for _, c in kept], reading, fit)


def group_opinions(statements: pd.DataFrame, codebook: Path | None, roles: pd.DataFrame | None,
                   params: GroupingParams | None = None) -> pd.DataFrame:
    """One row per statement with its group, the group's label, and the stance signal.

    Input columns: `article_id`, `start`, `text`, `speaker_key`, `kind`, `date` (others are kept).
    Output adds `group_id`, `group_label`, `group_source` ('auto' | 'codebook' | 'codebook name'
    | 'unsorted'), `position` (the cue concept an automatic group was formed on), `auto_group_id`,
    `auto_group_label` (so an edited codebook can be re-applied with `apply_codebook`),
    `stance`, `stance_evidence`, `stance_score`, and `role`/`side` when `roles` (the
    `assign_roles` output) is given.
    """
    out = statements.copy().reset_index(drop=True)
    texts = out["text"].fillna("").astype(str).tolist() if "text" in out else [""] * len(out)
    g = cluster(texts, params)
    k = len(g.labels)
    ids = np.array([f"g{i + 1:03d}" for i in range(k)] + [UNSORTED_ID], dtype=object)
    names = np.array(list(g.labels) + [UNSORTED_LABEL], dtype=object)
    pos = np.array(list(g.positions) + [None], dtype=object)
    idx = np.where(g.assign >= 0, g.assign, k)
    out["auto_group_id"] = pd.Series(ids[idx], dtype="string")
    out["auto_group_label"] = pd.Series(names[idx], dtype="string")
    out["position"] = pd.Series(pos[idx], dtype="string")
    out["group_fit"] = pd.Series(g.fit if g.fit is not None else np.zeros(len(out)), dtype="float32")
    out["stance"] = pd.Series(g.reading.stance, dtype="string")
    out["stance_evidence"] = pd.Series(g.reading.evidence, dtype="string")
    out["stance_score"] = pd.Series(g.reading.score, dtype="int64")
    if roles is not None:
        ok = "speaker_key" in out and "speaker_key" in roles and len(roles)
        r = roles.drop_duplicates("speaker_key").set_index("speaker_key") if ok else None
        for col in ("role", "side"):
            if r is not None and col in r:
                out[col] = out["speaker_key"].map(r[col]).astype("string")
            else:
                out[col] = pd.Series(pd.NA, index=out.index, dtype="string")
    out = apply_codebook(out, codebook)
    for col in ("group_id", "group_label", "group_source"):
        out[col] = out[col].astype("string")
    return out


# ---------------------------------------------------------------------------------------------
# Summaries for the dashboard and the note


def summarize_groups(grouped: pd.DataFrame, examples: int = 2) -> pd.DataFrame:
    """Per group: size, speakers, experts, articles, dates, stance counts and example statements."""
    rows = []
    for (gid, label), g in grouped.groupby(["group_id", "group_label"], sort=False, dropna=False):
        speakers = g["speaker_key"].dropna().value_counts() if "speaker_key" in g else pd.Series(dtype=int)
        experts = (g.loc[g["role"] == "expert", "speaker_key"].dropna().unique().tolist()
                   if "role" in g else [])
        stance = g["stance"].value_counts()
        dates = g["date"].dropna() if "date" in g else pd.Series(dtype=str)
        # The statements closest to the group's centre, one per speaker where possible.
        ex = (g.sort_values("group_fit", ascending=False) if "group_fit" in g else g)
        ex = pd.concat([ex.drop_duplicates("speaker_key"), ex]).drop_duplicates(["article_id", "start"])
        rows.append({
            "group_id": gid, "group_label": label, "statements": len(g),
            "speakers": speakers.index.tolist()[:20], "speaker_count": int(speakers.size),
            "experts": experts, "articles": int(g["article_id"].nunique()),
            "first_date": dates.min() if len(dates) else None,
            "last_date": dates.max() if len(dates) else None,
            "skeptical": int(stance.get("skeptical", 0)), "hopeful": int(stance.get("hopeful", 0)),
            "neutral": int(stance.get("neutral", 0)),
            "examples": ex["text"].head(examples).tolist(),
        })
    return pd.DataFrame(rows).sort_values("statements", ascending=False, kind="stable").reset_index(drop=True)


def speaker_stances(grouped: pd.DataFrame) -> pd.DataFrame:
    """Per speaker (and group): how many statements lean each way, and the phrases that did it."""
    g = grouped.dropna(subset=["speaker_key"])
    agg = g.groupby(["speaker_key", "group_label"]).agg(
        statements=("text", "size"),
        skeptical=("stance", lambda s: int((s == "skeptical").sum())),
        hopeful=("stance", lambda s: int((s == "hopeful").sum())),
        score=("stance_score", "sum"),
        evidence=("stance_evidence", lambda s: "; ".join(x for x in s if x)[:300]),
    ).reset_index()
    return agg.sort_values(["speaker_key", "statements"], ascending=[True, False]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Benchmark: `python -m analysis.opinions --bench 100000 FOLDER…`


def _bench(argv: list[str] | None = None) -> int:
    """Time `group_opinions` on N statements made from the sentences of real articles.

    Sentences stand in for statements (same length and vocabulary), repeated with 15% of their
    words dropped at random so that repeats are not identical. No parse is needed.
    """
    import argparse
    import random
    import resource
    import time

    ap = argparse.ArgumentParser(prog="python -m analysis.opinions")
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--bench", type=int, default=100_000, metavar="N")
    ap.add_argument("--codebook", type=Path)
    args = ap.parse_args(argv)
    sentences: list[str] = []
    for root in args.paths:
        for f in sorted(root.rglob("*.txt") if root.is_dir() else [root]):
            text = f.read_text(encoding="utf-8", errors="replace")
            sentences += [s.strip() for s in re.split(r"(?<=[.!?”\"])\s+", text) if 40 <= len(s.strip()) <= 400]
    if not sentences:
        print("no sentences found")
        return 2
    rnd = random.Random(0)
    texts = []
    for i in range(args.bench):
        s = sentences[i % len(sentences)]
        if i >= len(sentences):
            s = " ".join(w for w in s.split() if rnd.random() > 0.15)
        texts.append(s)
    df = pd.DataFrame({"article_id": [f"a{i // 12}" for i in range(len(texts))], "start": range(len(texts)),
                       "text": texts, "speaker_key": [f"s{i % 5000}" for i in range(len(texts))],
                       "kind": "direct", "date": "2020-01-01"})
    started = time.perf_counter()
    out = group_opinions(df, args.codebook, None)
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(df)} statements ({len(set(sentences))} distinct sentences) grouped in {seconds:.1f} s, "
          f"peak RSS {rss:.0f} MB; {out['group_id'].nunique()} groups, "
          f"{(out['group_id'] == UNSORTED_ID).mean():.0%} unsorted")
    for rec in summarize_groups(out, examples=0).head(10).itertuples():
        print(f"  {rec.statements:6d}  {rec.group_label}")
    return 0


if __name__ == "__main__":
    raise SystemExit(_bench())
