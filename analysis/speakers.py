"""Who a speaker is: one name per person within an article, and one name per person across the corpus.

An analyst filters by speaker, so "Narang", "Vipin Narang" and "he" must land on the same row.
There is no coreference model to lean on (none installs offline for spaCy 3), so resolution is by
rules over names: a later, shorter mention ("Narang", "President Trump") is the fullest earlier
or later name in the article that contains it; titles are taken off the name and kept as a
description. Across articles the same idea applies with frequency deciding between candidates,
plus fuzzy matching for spelling variants ("Kim Jong-un" / "Kim Jong Un").
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from analysis.names import (
    INSTITUTION_WORDS,
    NAME_PARTICLES,
    PRONOUN_GENDER,
    clean_name,
    first_name_genders,
    is_suffix,
    strip_titles,
    title_gender,
)

__all__ = ["PRONOUN_GENDER", "NameIndex", "clean_name", "corpus_speaker_names", "key_tokens", "looks_like_name",
           "strip_titles"]

VERSION = "1"  # part of the extractor version: a change here reprocesses the corpus


@lru_cache(maxsize=65536)
def key_tokens(name: str) -> tuple[str, ...]:
    """Lower-cased, accent-free name words for comparison, without titles and suffixes (cached:
    an article asks for the same few names hundreds of times)."""
    base, _ = strip_titles(name)
    base = unicodedata.normalize("NFKD", base)
    base = "".join(c for c in base if not unicodedata.combining(c))
    words = re.findall(r"[\w]+", base.lower().replace("’", "'").replace("'s ", " "))
    while len(words) > 1 and is_suffix(words[-1]):
        words.pop()
    return tuple(words)


@dataclass
class NameIndex:
    """The person names of one article, so that a short mention can be expanded to the fullest one."""

    names: dict[tuple[str, ...], str] = field(default_factory=dict)  # key tokens -> printed name
    first_pos: dict[tuple[str, ...], int] = field(default_factory=dict)
    last_pos: dict[tuple[str, ...], list[int]] = field(default_factory=lambda: defaultdict(list))
    by_word: dict[str, set[tuple[str, ...]]] = field(default_factory=lambda: defaultdict(set))
    gender: dict[tuple[str, ...], str] = field(default_factory=dict)

    def add(self, text: str, pos: int) -> tuple[str, ...]:
        name, title = strip_titles(text)
        key = key_tokens(name)
        if not key:
            return key
        if key not in self.names:
            self.names[key] = name
            self.first_pos[key] = pos
            for w in key:
                self.by_word[w].add(key)
        self.last_pos[key].append(pos)
        g = title_gender(title) if title else None
        if g:
            self.gender.setdefault(key, g)
        if len(key) >= 2 and key not in self.gender:
            g = first_name_genders().get(key[0])
            if g:
                self.gender[key] = g
        return key

    def resolve_key(self, text: str, pos: int | None = None, gender: str | None = None) -> tuple[str, ...]:
        """The key of the fullest name in the article that this mention can stand for.

        A mention stands for a longer name when its words are all in it and it ends with the
        same surname ("Narang" -> "Vipin Narang"), or when a one-word mention is the first word
        of names that put the family name first ("Kim" -> "Kim Myong Gil"). Between several
        candidates the longest wins, then the one mentioned closest before `pos`. A `gender` the
        mention's title gives ("Mrs. Hale") rules out the names of the other gender ("Tom Hale").
        """
        key = key_tokens(text)
        if not key:
            return key
        pools = [self.by_word.get(w, set()) for w in key]
        if not pools or not all(pools):
            return key
        cands = set.intersection(*pools)
        best: list[tuple[str, ...]] = []
        for cand in cands:
            if cand == key:
                best.append(cand)
                continue
            if not set(key) <= set(cand):
                continue
            if key[-1] == cand[-1] or (len(key) == 1 and key[0] == cand[0]) or len(key) >= 2:
                if gender is None or self.gender.get(cand) in (None, gender):
                    best.append(cand)
        if not best:
            return key
        longest = max(len(c) for c in best)
        best = [c for c in best if len(c) == longest]
        if len(best) == 1:
            return best[0]

        def closeness(c: tuple[str, ...]) -> tuple[int, int]:
            before = [p for p in self.last_pos.get(c, []) if pos is None or p <= pos]
            return (1 if before else 0, max(before) if before else -self.first_pos.get(c, 0))

        return max(best, key=closeness)

    def resolve(self, text: str, pos: int | None = None) -> str:
        key = self.resolve_key(text, pos)
        if key in self.names:
            return self.names[key]
        return strip_titles(text)[0]


def looks_like_name(text: str) -> bool:
    """A person's name has every word capitalised (bar particles such as "van" or "bin") and no word
    that makes it an institution ("General Motors", "New York Times") or a party."""
    words = clean_name(text).split()
    if not words or any(w.lower().strip(".,") in INSTITUTION_WORDS for w in words):
        return False
    if text.isupper() and len(text) > 4:
        return False
    return all(w[:1].isupper() or w.lower() in NAME_PARTICLES or w.lower().startswith("al-") for w in words)


def corpus_speaker_names(names: Iterable[str]) -> dict[str, str]:
    """Map every per-article speaker name to one corpus-wide name for the same person.

    Full names with the same words (ignoring titles, case and accents) are one person; a
    shorter variant ("Trump", "President Trump") joins the full name that contains it when one
    full name clearly dominates (three quarters of the uses), so "Clinton" stays apart when
    Hillary and Bill are both quoted. Spelling variants of the same full name ("Kim Jong-un",
    "Kim Jong Un") are joined by fuzzy matching within names sharing a surname, which keeps the
    comparison far from quadratic on a real corpus. The canonical spelling is the most used one.
    Descriptions ("a spokesperson for ...") pass through unchanged.
    """
    counts = Counter(sorted(n for n in names if n))  # sorted: the merges do not hang on input order
    keys: dict[str, tuple[str, ...]] = {n: key_tokens(n) for n in counts}
    groups = _NameGroups()
    for n, c in counts.items():
        k = keys[n]
        if k and len(k) <= 4 and looks_like_name(n):  # descriptions, groups and organisations are not merged
            groups.add(k, strip_titles(n)[0], c)
    groups.join_spelling_variants()
    groups.join_short_variants()
    out: dict[str, str] = {}
    for n in counts:
        k = keys[n]
        out[n] = groups.spelling(k) if k in groups.parent and looks_like_name(n) and len(k) <= 4 else n
    return out


SPELLING_SIMILARITY = 92  # rapidfuzz ratio at which two full names are one spelled two ways
MAX_VARIANTS = 200  # names compared pairwise within one surname group, the most used first
SHORT_SHARE = 0.75  # a short variant joins a full name that has this share of the candidates' uses


class _NameGroups:
    """Union-find over name keys: which keys are one person, and how each group is spelled."""

    def __init__(self) -> None:
        self.count: Counter[tuple[str, ...]] = Counter()
        self.spellings: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        self.parent: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._spelling: dict[tuple[str, ...], str] = {}
        self._by_root: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)

    def add(self, key: tuple[str, ...], spelling: str, n: int) -> None:
        self.count[key] += n
        self.spellings[key][spelling] += n
        self.parent.setdefault(key, key)

    def find(self, k: tuple[str, ...]) -> tuple[str, ...]:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def _union(self, a: tuple[str, ...], b: tuple[str, ...]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if self.count[ra] >= self.count[rb]:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb

    def join_spelling_variants(self) -> None:
        """1. Spelling variants among full names that share the start of a surname."""
        by_last: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for k in self.count:
            if len(k) >= 2:
                by_last[k[-1][:4]].append(k)
        for group in by_last.values():
            if len(group) > MAX_VARIANTS:
                group = sorted(group, key=lambda k: -self.count[k])[:MAX_VARIANTS]
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    if a[0][:1] == b[0][:1] and ("".join(a) == "".join(b)
                                                 or fuzz.ratio(" ".join(a), " ".join(b)) >= SPELLING_SIMILARITY):
                        self._union(a, b)

    def join_short_variants(self) -> None:
        """2. Shorter variants into the dominant full name that contains them, same surname."""
        total: Counter[tuple[str, ...]] = Counter()
        for k, c in self.count.items():
            total[self.find(k)] += c
        full_by_word: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        for k in self.count:
            if len(k) >= 2:
                for w in k:
                    full_by_word[w].add(k)
        for k in sorted(self.count, key=len):
            pools = [full_by_word.get(w, set()) for w in k]
            if not all(pools):
                continue
            cands = {self.find(c) for c in set.intersection(*pools) if len(c) > len(k) and c[-1] == k[-1]}
            cands.discard(self.find(k))
            if not cands:
                continue
            weights = Counter({c: total[c] for c in sorted(cands)})
            top, weight = weights.most_common(1)[0]
            if len(cands) == 1 or weight >= SHORT_SHARE * sum(weights.values()):
                self.parent[self.find(k)] = top

    def spelling(self, key: tuple[str, ...]) -> str:
        """3. The group's spelling: the most used full name; between equals the plainest: two or
        three words, no initials, no repeated word ("Donald Trump" over "Donald J. Trump",
        "Crooked Hillary Clinton")."""
        root = self.find(key)
        if not self._by_root:  # one pass over every key, the first time a spelling is asked for
            for k, sp in self.spellings.items():
                self._by_root[self.find(k)].update(sp)
        if root not in self._spelling:
            sp = self._by_root[root]
            full = {s: c for s, c in sp.items() if len(key_tokens(s)) >= 2} or dict(sp)

            def plain(s: str) -> tuple:
                words = s.split()
                initials = sum(1 for w in words if len(w.rstrip(".")) == 1)
                repeated = len(words) - len({w.lower() for w in words})
                return (full[s], -repeated, -initials, -abs(len(words) - 2.5), -len(s))

            self._spelling[root] = max(full, key=plain)
        return self._spelling[root]
