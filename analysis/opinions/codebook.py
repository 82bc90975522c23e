"""The analyst's codebook: the one way domain knowledge enters the grouping.

A codebook (YAML or CSV) lists themes with keywords or example statements. A theme either *pins*
the matching statements into a group under the analyst's name, or (`pin: false`) only *names*
the automatic claims most of whose statements match. It may also add stance cues
(`stance: {skeptical: [...], hopeful: [...]}`, or `negative`/`positive`). It is applied to
already-grouped rows (`apply_codebook`), so editing it never needs a re-parse or a regrouping.

Example (`codebook.yaml`)::

    themes:
      - name: North Korea plays for time
        keywords: [buy time, stall*, "drag* feet"]
        examples: ["North Korea is buying time to expand its arsenal"]
      - name: Sanctions relief
        keywords: [sanctions relief, lift* sanctions]
      - name: Talks broke down        # only renames automatic claims where most match
        keywords: [broke down, collapse*]
        pin: false
    stance:
      skeptical: [smoke and mirrors]
      hopeful: [turning point]
"""
from __future__ import annotations

import csv
import hashlib
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.opinions.stance import TextCues, label

EXAMPLE_SIMILARITY = 0.3
NAME_SHARE = 0.5  # share of an automatic claim that must match a naming-only theme
STANCE_KEYS = {"skeptical": -1, "negative": -1, "hopeful": 1, "positive": 1}
_QUOTE_CHARS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


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
    stance: TextCues | None = None


def keyword_pattern(keyword: str) -> str:
    """An analyst's keyword as a regex: words take common inflections, `*` is any word ending.

    "buy time" matches "buying time"; "negotiate" matches "negotiating"; "stall*" anything
    starting with "stall". Regex syntax is not exposed, so a keyword cannot break the matcher.
    """
    parts = [_word_pattern(w) for w in keyword.lower().translate(_QUOTE_CHARS).split()]
    return r"\s+(?:\w+\s+){0,2}?".join(parts) if len(parts) > 1 else (parts[0] if parts else "")


def _word_pattern(word: str) -> str:
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"[\w'-]*"
    if len(word) <= 3:
        return re.escape(word) + r"(?:s|es|ed|ing)?"
    if word.endswith("e"):
        return re.escape(word[:-1]) + r"(?:e|es|ed|ing|ion|ions)"
    if word.endswith("y"):
        return re.escape(word[:-1]) + r"(?:y|ies|ied|ying|ys)"
    last = re.escape(word[-1])
    return re.escape(word) + rf"(?:s|es|ed|ing|{last}ed|{last}ing)?"


def _as_list(v, sep: str) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [s.strip() for s in v.split(sep) if s.strip()]
    return [str(s).strip() for s in v if str(s).strip()]


def _as_bool(v) -> bool:
    if v is None or v == "":
        return True
    if isinstance(v, bool):
        return v
    return str(v).strip().lower() not in ("false", "no", "0", "n")


class _Builder:
    """Themes by name, in the order first seen: rows of one theme are merged."""

    def __init__(self) -> None:
        self.book = Codebook()
        self.by_name: dict[str, Theme] = {}

    def theme(self, name: str) -> Theme:
        if name not in self.by_name:
            self.by_name[name] = Theme(name)
            self.book.themes.append(self.by_name[name])
        return self.by_name[name]


def load_codebook(path: Path | str) -> Codebook:
    """Read a codebook: YAML (`themes: [{name, keywords, examples, pin}]`, optional `stance`) or
    CSV (`theme, keywords, examples, pin` with `;`-separated keywords and `|`-separated examples)."""
    path = Path(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        return _load_yaml(path)
    return _load_csv(path)


def _load_yaml(path: Path) -> Codebook:
    import yaml

    b = _Builder()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    items = data.get("themes", []) if isinstance(data, dict) else data
    if isinstance(items, dict):  # {name: {keywords: …}} or {name: [keywords]}
        items = [{"name": k, **(v if isinstance(v, dict) else {"keywords": v})} for k, v in items.items()]
    for i, item in enumerate(items or []):
        if not isinstance(item, dict) or not (item.get("name") or item.get("theme")):
            warnings.warn(f"{path}: theme {i + 1} has no name, skipped", stacklevel=2)
            continue
        t = b.theme(str(item.get("name") or item.get("theme")))
        t.keywords += _as_list(item.get("keywords"), ";")
        t.examples += _as_list(item.get("examples"), "|")
        t.pin = _as_bool(item.get("pin"))
    st = data.get("stance") if isinstance(data, dict) else None
    if isinstance(st, dict):
        patterns = [(re.compile(r"(?<![\w-])(?:" + p + r")(?![\w-])"), sign)
                    for key, sign in STANCE_KEYS.items() for p in map(keyword_pattern, _as_list(st.get(key), ";")) if p]
        b.book.stance = TextCues(tuple(patterns)) if patterns else None
    return b.book


def _load_csv(path: Path) -> Codebook:
    b = _Builder()
    with path.open(newline="", encoding="utf-8-sig") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        reader = csv.DictReader(fh, delimiter="\t" if sample.count("\t") > sample.count(",") else ",")
        for lineno, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            name = row.get("theme") or row.get("name")
            if not name:
                warnings.warn(f"{path}:{lineno}: no theme name, row skipped", stacklevel=2)
                continue
            t = b.theme(name)
            t.keywords += _as_list(row.get("keywords") or row.get("keyword"), ";")
            t.examples += _as_list(row.get("examples") or row.get("example"), "|")
            if row.get("pin"):
                t.pin = _as_bool(row.get("pin"))
    return b.book


def theme_scores(texts: Sequence[str], themes: Sequence[Theme]) -> np.ndarray:
    """Statements × themes: keyword hits, plus similarity to the theme's example statements
    (a TF-IDF fitted here on the statements and examples together: only stored text is needed)."""
    scores = np.zeros((len(texts), len(themes)), dtype=np.float32)
    if not themes or not len(texts):
        return scores
    low = [t.lower().translate(_QUOTE_CHARS) for t in texts]
    for j, th in enumerate(themes):
        pats = [p for p in (keyword_pattern(k) for k in th.keywords) if p]
        if pats:
            rx = re.compile(r"(?<![\w-])(?:" + "|".join(pats) + r")(?![\w-])")
            scores[:, j] += np.fromiter((len(rx.findall(t)) for t in low), dtype=np.float32, count=len(low))
    examples = [(j, e) for j, th in enumerate(themes) for e in th.examples]
    if examples:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vec = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(list(low) + [e.lower() for _, e in examples])
        sim = (vec.transform(low) @ vec.transform([e.lower() for _, e in examples]).T).toarray()
        for k, (j, _) in enumerate(examples):
            hit = sim[:, k] >= EXAMPLE_SIMILARITY
            scores[hit, j] = np.maximum(scores[hit, j], 0) + 1 + sim[hit, k]
    return scores


def apply_codebook(grouped: pd.DataFrame, codebook: Path | Codebook | None) -> pd.DataFrame:
    """Put the analyst's themes over the automatic claims (`claim_id`, `claim_label`).

    Pinned themes take every statement that matches them (best-scoring theme wins, the first
    listed on ties); naming-only themes rename automatic claims where at least half of the
    statements match. Sets `group_id`, `group_label`, `group_source` ('auto' | 'codebook' |
    'codebook name'); re-run with an edited codebook on the same rows. Codebook stance cues are
    added to each statement's stance score, with their evidence.
    """
    out = grouped.copy()
    out["group_id"] = out["claim_id"].astype("string")
    out["group_label"] = out["claim_label"].astype("string")
    out["group_source"] = pd.Series("auto", index=out.index, dtype="string")
    if codebook is None or out.empty:
        return out
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    if book.stance is not None:
        _add_stance(out, book.stance)
    if book.themes:
        _apply_themes(out, book.themes)
    return out


def _add_stance(out: pd.DataFrame, cues: TextCues) -> None:
    readings = [cues.read(t) for t in out["text"].fillna("")]
    score = out["stance_score"].fillna(0).astype(float).to_numpy() + np.array([r.score for r in readings], dtype=float)
    extra = ["; ".join(r.evidence) for r in readings]
    out["stance_score"] = score
    out["stance"] = pd.Series([label(s) for s in score], index=out.index, dtype="string")
    out["stance_evidence"] = ["; ".join(x for x in (old, new) if x)
                              for old, new in zip(out["stance_evidence"].fillna(""), extra, strict=True)]


def _apply_themes(out: pd.DataFrame, themes: list[Theme]) -> None:
    scores = theme_scores(out["text"].fillna("").tolist(), themes)
    gid = out["group_id"].to_numpy(dtype=object).copy()
    glabel = out["group_label"].to_numpy(dtype=object).copy()
    gsrc = out["group_source"].to_numpy(dtype=object).copy()
    auto = out["claim_id"].to_numpy(dtype=object)
    for j, th in enumerate(themes):
        if th.pin:
            continue
        match = scores[:, j] > 0
        for g in pd.unique(auto[match]):
            members = auto == g
            if match[members].mean() >= NAME_SHARE:
                glabel[members] = th.name
                gsrc[members] = "codebook name"
    pinned = [j for j, th in enumerate(themes) if th.pin]
    if pinned:
        sub = scores[:, pinned]
        best = sub.argmax(axis=1)
        for i in np.flatnonzero(sub.max(axis=1) > 0):
            th = themes[pinned[best[i]]]
            gid[i], glabel[i], gsrc[i] = th.group_id, th.name, "codebook"
    out["group_id"] = pd.Series(gid, index=out.index, dtype="string")
    out["group_label"] = pd.Series(glabel, index=out.index, dtype="string")
    out["group_source"] = pd.Series(gsrc, index=out.index, dtype="string")
