"""Statements → claims: statements that assert the same thing about the same subject.

The vectors of `features` only meet within a subject, so the grouping runs once over the whole
corpus, in chunks, with sparse products:

1. Seeding, one pass in chunks: a statement joins the nearest claim seeded by an earlier chunk
   when close enough (`Params.seed`); the rest of the chunk is linked among itself at the same
   threshold and each connected set starts a claim.
2. Refining: every statement moves to the claim whose members it is closest to on average
   (`Params.join`), else it stands alone. Two rounds settle it, and they undo the chains that
   linking can make.
3. In a subject of a handful of statements (mostly one story), statements that share a weighty
   lemma, or lean the same way on it (the speakers' camp), make one claim with the claims they
   are in.
4. One story: the statements still alone that one speaker makes about one subject in one
   article, then those that one article makes about one subject, make one claim each (one per
   lean where leans oppose). A reader recognises them as one point however they are worded,
   which word overlap cannot see ("the ferry is late every morning", "fares doubled this
   winter").
5. Pairing: a statement still alone joins the statement of its subject it is nearest to, alone
   or in a claim, when they share enough (`Params.partner`). Its nearest one only, and a lone
   statement only when that one chose it back, so weak links cannot chain a subject together.

Across stories a claim needs more than within one (`Params.cross`). After step 2, a claim whose
members come from several stories (article and subject) keeps each story's part only when that
part is close, on average, to the members from the other stories; a part that is not becomes a
claim of its own (`_cross_story`). After step 4, a statement still alone joins the claim that
holds most of its speaker's, then its article's, statements on its subject (`_join_story`), and
in step 5 a statement joins a claim of another story only when it is as close to the claim's
members on average. The camps of step 3 (small subjects) are left as they are.

Measured on the PolNeAR dev statements (issue 15, BENCHMARKS.md 4c): blind readers found the
odd one out in 96 % of the tasks whose members came from one article, and in 66 % of those whose
members came from several (one common word, "time" or "need", joins short statements of
unrelated stories under a big subject); hence the tighter test across stories. Within a story,
the claims that seeding and refining make are the coherent ones; attaching lone statements to a claim by their average
closeness to its members, or filing them by lean across a large subject, raised the share in
shared claims but made groups a reader cannot tell from chance, and was dropped. Chains of
single-word links across stories ("a big win", "big crowds", "Big Ben") were most of the
claims a blind reader could not tell apart; one article's statements on one subject were not.

A statement that nothing is close to stays alone under its subject: there is no global bin.
`assign` puts new statements into existing claims the same way, without moving any old one.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from analysis.opinions.features import normalize_rows


@dataclass(frozen=True)
class Params:
    seed: float = 0.2  # cosine at which two statements start a claim together
    join: float = 0.1  # average cosine to a claim's members at which a statement stays in it
    small_subject: int = 6  # in a subject this small, statements that share anything are one claim
    partner: float = 0.1  # cosine to its nearest statement at which a lone statement joins it
    cross: float = 0.3  # average cosine across stories at which a story's statements stay in a claim
    rounds: int = 2
    chunk: int = 5_000
    pair_chunk: int = 1_000  # lone statements compared with every statement at once


def group(X: sp.csr_matrix, params: Params | None = None, subject_size: np.ndarray | None = None, *,
          subject: np.ndarray | None = None, lean: np.ndarray | None = None,
          speaker_story: np.ndarray | None = None, story: np.ndarray | None = None) -> np.ndarray:
    """Claim number of each statement (0..k-1, numbered by first member). `subject_size`: the
    number of statements of each statement's subject (for `Params.small_subject`); `subject`
    (a number per subject) and `lean` (the sign of each statement's stance), when given, join
    the statements of a small subject that lean the same way. `story` (a number per article and
    subject, -1 for none) first splits a claim across stories into what is close across them
    (`_cross_story`, `Params.cross`); then with `speaker_story` (per article, speaker and subject)
    the statements still alone that share one make a claim, one per lean where leans oppose, and
    those still alone join the claim holding most of their story (`stories`); a lone statement
    joins another story's claim only at the same closeness (`_pair`)."""
    p = params or Params()
    n = X.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    labels = _seed(X, p)
    for _ in range(p.rounds):
        labels = _refine(X, labels, p.join)
    if story is not None:
        labels = _cross_story(X, labels, story, p.cross)
    if subject_size is not None:
        camp = None if subject is None or lean is None else np.where(lean != 0, subject * 2 + (lean > 0), -1)
        labels = _small_subjects(X, labels, subject_size <= p.small_subject, camp)
    labels = stories(labels, speaker_story, story, lean)
    labels = _pair(X, labels, p.partner, p.pair_chunk, story, p.cross)
    return _renumber(labels)


def stories(labels: np.ndarray, speaker_story: np.ndarray | None, story: np.ndarray | None,
            lean: np.ndarray | None = None) -> np.ndarray:
    """The story steps of `group`: the statements still alone of one speaker's story, then of one
    article's, make one claim (`_one_story`); those still alone join the claim that holds most
    of their speaker's story, then of their article's (`_join_story`)."""
    keys = [k for k in (speaker_story, story) if k is not None]
    for key in keys:
        labels = _one_story(labels, key, lean)
    for key in keys:
        labels = _join_story(labels, key)
    return labels


def centres(X: sp.csr_matrix, labels: np.ndarray, k: int | None = None) -> sp.csr_matrix:
    """Normalised mean vector of each claim (for a statement's closeness to its claim)."""
    k = int(labels.max()) + 1 if k is None else k
    return normalize_rows(sums(X, labels, k))


def means(X: sp.csr_matrix, labels: np.ndarray, k: int | None = None) -> sp.csr_matrix:
    """Mean member vector of each claim: its product with a statement is the statement's average
    cosine to the members."""
    k = int(labels.max()) + 1 if k is None else k
    size = np.bincount(labels, minlength=k).astype(np.float32)
    return sp.csr_matrix(sp.diags(1.0 / np.maximum(size, 1)) @ sums(X, labels, k))


def nearest(X: sp.csr_matrix, C: sp.csr_matrix, chunk: int = 5_000) -> tuple[np.ndarray, np.ndarray]:
    """(index, cosine) of each row's nearest centre; -1 and 0 where it shares nothing with any."""
    best = np.full(X.shape[0], -1, dtype=np.int64)
    sim = np.zeros(X.shape[0], dtype=np.float32)
    CT = C.T.tocsc()
    for a in range(0, X.shape[0], chunk):
        S = sp.csr_matrix(X[a:a + chunk] @ CT)
        rows, arg, mx = row_argmax(S)
        best[a + rows] = arg
        sim[a + rows] = mx
    return best, sim


def row_argmax(S: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows with an entry, column of each one's largest entry, that entry), vectorised and linear
    in the entries: scipy's own `argmax(axis=1)` loops over rows in Python."""
    counts = np.diff(S.indptr)
    rows = np.flatnonzero(counts)
    if not len(rows):
        return rows, rows, np.zeros(0, dtype=np.float32)
    starts = S.indptr[rows]
    mx = np.maximum.reduceat(S.data, starts)
    row_of = np.repeat(np.arange(len(rows)), counts[rows])
    position = np.where(S.data == mx[row_of], np.arange(len(S.data)), len(S.data))
    first = np.minimum.reduceat(position, starts)
    return rows, S.indices[first].astype(np.int64), mx


def assign(X_new: sp.csr_matrix, means: sp.csr_matrix, params: Params | None = None) -> np.ndarray:
    """Claims of new statements: the existing claim whose members they are closest to on average
    (`means`: mean member vector per claim), if close enough; else new claims (numbered from
    `means.shape[0]`), seeded among the new statements themselves."""
    p = params or Params()
    best, sim = nearest(X_new, means, p.chunk)
    out = np.where(sim >= p.join, best, -1)
    rest = np.flatnonzero(out < 0)
    if len(rest):
        out[rest] = means.shape[0] + seed(X_new[rest], p)
    return out


def seed(X: sp.csr_matrix, params: Params | None = None) -> np.ndarray:
    """Claims among statements alone (0..k-1 by first member): the seeding pass of `group`, which
    new statements that join no existing claim go through."""
    return _renumber(_seed(X, params or Params())) if X.shape[0] else np.zeros(0, dtype=np.int64)


def _seed(X: sp.csr_matrix, p: Params) -> np.ndarray:
    n = X.shape[0]
    labels = np.full(n, -1, dtype=np.int64)
    leaders = sp.csr_matrix((0, X.shape[1]), dtype=np.float32)  # the first member of each claim
    for a in range(0, n, p.chunk):
        rows = np.arange(a, min(n, a + p.chunk))
        best, sim = nearest(X[rows], leaders, p.chunk) if leaders.shape[0] else (rows * 0 - 1, np.zeros(len(rows)))
        joined = sim >= p.seed
        labels[rows[joined]] = best[joined]
        free = rows[~joined]
        if len(free):
            comp = _linked(X[free], p.seed)
            labels[free] = leaders.shape[0] + comp
            first = np.unique(comp, return_index=True)[1]
            leaders = sp.vstack([leaders, X[free[first]]], format="csr")
    return labels


def _linked(X: sp.csr_matrix, threshold: float) -> np.ndarray:
    """Connected sets of rows linked by cosine ≥ threshold, numbered by first row."""
    S = sp.csr_matrix(X @ X.T)
    S.data[S.data < threshold] = 0
    S.eliminate_zeros()
    _, comp = connected_components(S, directed=False)
    return _renumber(comp)


def rowwise_dot(X: sp.csr_matrix, T: sp.csr_matrix, labels: np.ndarray, chunk: int = 5_000) -> np.ndarray:
    """x_i · T[labels[i]] for every row, a chunk at a time: `T[labels]` at once would copy a
    claim's vector once per member (gigabytes at a million statements)."""
    out = np.zeros(X.shape[0], dtype=np.float32)
    for a in range(0, X.shape[0], chunk):
        out[a:a + chunk] = np.asarray(X[a:a + chunk].multiply(T[labels[a:a + chunk]]).sum(axis=1)).ravel()
    return out


def sums(X: sp.csr_matrix, labels: np.ndarray, k: int) -> sp.csr_matrix:
    """Sum of the member vectors of each claim."""
    onehot = sp.csr_matrix((np.ones(len(labels), dtype=np.float32), (labels, np.arange(len(labels)))),
                           shape=(k, len(labels)))
    return sp.csr_matrix(onehot @ X)


def _refine(X: sp.csr_matrix, labels: np.ndarray, join: float) -> np.ndarray:
    """One round: each statement to the claim whose members it is closest to on average (its
    own claim counted without itself), or alone when that average is under `join`.

    The average over members, not the cosine to a normalised centre: a big claim's centre is
    close to any statement of its subject, and would swallow them all.
    """
    k = int(labels.max()) + 1
    size = np.bincount(labels, minlength=k).astype(np.float32)
    T = sums(X, labels, k)
    own = (rowwise_dot(X, T, labels) - 1.0) / np.maximum(size[labels] - 1, 1)
    own[size[labels] < 2] = 0.0
    M = sp.csr_matrix(sp.diags(1.0 / np.maximum(size, 1)) @ T)
    M = sp.csr_matrix(sp.diags((size >= 2).astype(np.float32)) @ M)
    best, sim = nearest(X, M)
    # The nearest by mean may be the statement's own claim, where it counted itself: use `own`.
    mine = best == labels
    sim[mine] = own[mine]
    take_own = own >= sim
    best[take_own], sim[take_own] = labels[take_own], own[take_own]
    out = np.where(sim >= join, best, -1)
    alone = np.flatnonzero(out < 0)
    out[alone] = k + np.arange(len(alone))
    return _renumber(out)


def _small_subjects(X: sp.csr_matrix, labels: np.ndarray, small: np.ndarray,
                    camp: np.ndarray | None = None) -> np.ndarray:
    """A subject of a handful of statements is mostly one story: its statements that share a
    lemma of weight (statements of other subjects share no column) and do not lean opposite
    ways, or that lean the same way (`camp`: one number per subject and lean, odd for positive,
    -1 for none), make one claim together with the claims they are already in."""
    rows = np.flatnonzero(small)
    if len(rows) < 2:
        return labels
    S = sp.csr_matrix(X[rows] @ X[rows].T).tocoo()
    keep = S.data > 0
    if camp is not None:
        # Statements that lean opposite ways are opposing camps, whatever words they share.
        sign = np.where(camp[rows] < 0, 0, np.where(camp[rows] % 2 == 1, 1, -1))
        keep &= sign[S.row] * sign[S.col] >= 0
    S = sp.csr_matrix((S.data[keep], (S.row[keep], S.col[keep])), shape=S.shape)
    links = [S, _same(labels[rows])]
    if camp is not None:
        links.append(_same(np.where(camp[rows] >= 0, camp[rows], -1 - np.arange(len(rows)))))
    _, comp = connected_components(sum(links[1:], links[0]), directed=False)
    out = labels.copy()
    out[rows] = int(labels.max()) + 1 + comp
    return out


def _one_story(labels: np.ndarray, story: np.ndarray, lean: np.ndarray | None = None) -> np.ndarray:
    """Statements still alone that share a `story` number (-1: none) make one claim: what one
    article says about one subject, read by its reader as one point, however it is worded.
    Where such statements lean opposite ways they are opposing camps: each lean (and the
    neutral ones) makes its own claim. A statement in a claim with others stays there: claims are
    never merged here. Linear: a sort of the lone statements by story."""
    alone = np.bincount(labels)[labels] == 1
    rows = np.flatnonzero((story >= 0) & alone)
    if len(rows) < 2:
        return labels
    key = story[rows]
    if lean is not None:
        sign = np.sign(lean[rows]).astype(np.int64)
        _, inv = np.unique(key, return_inverse=True)
        pos = np.bincount(inv, weights=sign > 0) > 0
        neg = np.bincount(inv, weights=sign < 0) > 0
        split = (pos & neg)[inv]
        key = key * 3 + np.where(split, sign + 1, 0)
    _, first, inv = np.unique(key, return_index=True, return_inverse=True)
    out = labels.copy()
    out[rows] = labels[rows[first[inv]]]
    return out


def _cross_story(X: sp.csr_matrix, labels: np.ndarray, story: np.ndarray, threshold: float,
                 chunk: int = 5_000) -> np.ndarray:
    """A claim whose members come from several stories (`story`: a number per article and
    subject, -1 for none) keeps each story's part only when that part's members are, on
    average, at least `threshold` close to the claim's members from the other stories. A part
    that is not becomes a claim of its own: a reader tells one story's statements apart from
    another's, and one word in common ("time", "need") does not make them one point.

    Linear: the sums of each claim's and each part's vectors, and one dot product per statement
    with each (no pair of statements is compared)."""
    n = len(labels)
    if n < 2:
        return labels
    story_no = np.where(story >= 0, np.unique(story, return_inverse=True)[1], -1)
    k = int(labels.max()) + 1
    width = int(story_no.max()) + 2 + n
    # A statement without a story is a part of its own.
    part_key = labels.astype(np.int64) * width + np.where(story_no >= 0, story_no, int(story_no.max()) + 1 + np.arange(n))
    _, part = np.unique(part_key, return_inverse=True)
    m = int(part.max()) + 1
    claim_of = np.zeros(m, dtype=np.int64)
    claim_of[part] = labels
    size = np.bincount(labels, minlength=k)
    part_size = np.bincount(part, minlength=m)
    rest = size[claim_of] - part_size
    if not (rest > 0).any():
        return labels
    to_claim = np.bincount(part, weights=rowwise_dot(X, sums(X, labels, k), labels, chunk), minlength=m)
    to_part = np.bincount(part, weights=rowwise_dot(X, sums(X, part, m), part, chunk), minlength=m)
    average = (to_claim - to_part) / np.maximum(part_size * rest, 1)
    leave = (rest > 0) & (average < threshold)
    if not leave.any():
        return labels
    out = labels.copy()
    moved = leave[part]
    out[moved] = k + part[moved]
    return _renumber(out)


def _join_story(labels: np.ndarray, story: np.ndarray) -> np.ndarray:
    """Statements still alone join the claim that holds most statements of their `story` (-1:
    none; ties to the claim numbered first): the rest of what one speaker, or one article, says
    about one subject goes with the point they make there. Linear: a sort."""
    size = np.bincount(labels)[labels]
    grouped = np.flatnonzero((size >= 2) & (story >= 0))
    alone = np.flatnonzero((size == 1) & (story >= 0))
    if not len(grouped) or not len(alone):
        return labels
    # (story, claim) pairs packed in one integer: a 1-D unique sorts ~20x faster than a 2-D one
    stories_, story_no = np.unique(story[grouped], return_inverse=True)
    k = int(labels.max()) + 1
    packed, count = np.unique(story_no.astype(np.int64) * k + labels[grouped], return_counts=True)
    keys, claims = stories_[packed // k], packed % k
    # per story: the most members, then the lowest claim number
    order = np.lexsort((claims, -count, keys))
    keys, claims = keys[order], claims[order]
    first = np.r_[True, keys[1:] != keys[:-1]]
    keys, claims = keys[first], claims[first]
    at = np.searchsorted(keys, story[alone])
    at = np.minimum(at, len(keys) - 1)
    hit = keys[at] == story[alone]
    out = labels.copy()
    out[alone[hit]] = claims[at[hit]]
    return out


def cross_story(X: sp.csr_matrix, labels: np.ndarray, story: np.ndarray, threshold: float) -> np.ndarray:
    """`_cross_story` for new statements that joined no existing claim (`derive.assign_new_statements`)."""
    return _cross_story(X, labels, story, threshold)


def renumber(labels: np.ndarray) -> np.ndarray:
    """Labels 0..k-1 in order of first appearance."""
    return _renumber(labels)


def _same(keys: np.ndarray) -> sp.csr_matrix:
    """Links from each row to the first row of the same key (a star per key)."""
    _, first, inv = np.unique(keys, return_index=True, return_inverse=True)
    n = len(keys)
    return sp.csr_matrix((np.ones(n, dtype=np.float32), (np.arange(n), first[inv])), shape=(n, n))


def _pair(X: sp.csr_matrix, labels: np.ndarray, threshold: float, chunk: int,
          story: np.ndarray | None = None, cross: float = 0.0) -> np.ndarray:
    """Each statement still alone joins the statement of its subject nearest to it (alone or in a
    claim), when at least `threshold` close; a claim of another `story` (-1: none), only when at
    least `cross` close to its members on average. One link per lone statement: a claim never
    reaches another through them, and a chain of weak links cannot sweep a whole subject
    together."""
    size = np.bincount(labels)
    alone = np.flatnonzero(size[labels] == 1)
    if not len(alone):
        return labels
    XT = X.T.tocsc()
    src, dst = [], []
    for a in range(0, len(alone), chunk):
        rows = alone[a:a + chunk]
        S = sp.csr_matrix(X[rows] @ XT).tocoo()
        other = rows[S.row] != S.col
        S = sp.csr_matrix((S.data[other], (S.row[other], S.col[other])), shape=S.shape)
        hit, arg, mx = row_argmax(S)
        ok = mx >= threshold
        src.append(rows[hit[ok]])
        dst.append(arg[ok])
    n = X.shape[0]
    s, d = np.concatenate(src), np.concatenate(dst)
    # A lone statement joins a claim, or a lone statement that chose it back: never a lone
    # statement that chose a third one, so weak links cannot chain across the corpus ("a big
    # win" - "big crowds" - "Big Ben": three stories, one word).
    choice = np.full(n, -1, dtype=np.int64)
    choice[s] = d
    keep = (size[labels[d]] >= 2) | (choice[d] == s)
    if story is not None:
        # A claim of another story needs more than a word in common with one member: the
        # statement is as close to its members on average as a story's part must be to stay
        # in a claim of other stories (`_cross_story`).
        far = np.flatnonzero(keep & (size[labels[d]] >= 2) & ((story[s] != story[d]) | (story[s] < 0)))
        if len(far):
            claims = labels[d[far]]
            k = int(labels.max()) + 1
            average = rowwise_dot(X[s[far]], sums(X, labels, k), claims, chunk) / size[claims]
            keep[far[average < cross]] = False
    s, d = s[keep], d[keep]
    G = sp.csr_matrix((np.ones(len(s), dtype=np.float32), (s, d)), shape=(n, n)) + _same(labels)
    _, comp = connected_components(G, directed=False)
    return comp


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Labels 0..k-1 in order of first appearance."""
    uniq, first, inv = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[order] = np.arange(len(uniq))
    return rank[inv]
