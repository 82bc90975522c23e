"""Statements → claims: statements that assert the same thing about the same subject.

The vectors of `features` only meet within a subject, so the grouping runs once over the whole
corpus, in chunks, with sparse products:

1. Seeding, one pass in chunks: a statement joins the nearest claim seeded by an earlier chunk
   when close enough (`Params.seed`); the rest of the chunk is linked among itself at the same
   threshold and each connected set starts a claim.
2. Refining: every statement moves to the claim whose members it is closest to on average
   (`Params.join`), else it stands alone. Two rounds settle it, and they undo the chains that
   linking can make.
3. Attaching: a statement left alone joins the claim whose core it is closest to on average,
   when it shares enough with it (`Params.attach`); the cores do not move meanwhile.
4. In a subject of a handful of statements (mostly one story), lone statements that share a
   weighty lemma make one claim.

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
    attach: float = 0.02  # average cosine to a claim's core at which a lone statement joins it
    small_subject: int = 6  # in a subject this small, lone statements that share anything are one claim
    rounds: int = 2
    chunk: int = 5_000


def group(X: sp.csr_matrix, params: Params | None = None, subject_size: np.ndarray | None = None) -> np.ndarray:
    """Claim number of each statement (0..k-1, numbered by first member). `subject_size`: the
    number of statements of each statement's subject (for `Params.small_subject`)."""
    p = params or Params()
    n = X.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    labels = _seed(X, p)
    for _ in range(p.rounds):
        labels = _refine(X, labels, p.join)
    labels = _attach(X, labels, p.attach)
    if subject_size is not None:
        labels = _small_subjects(X, labels, subject_size <= p.small_subject)
    return _renumber(labels)


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
        own = _renumber(_seed(X_new[rest], p))
        out[rest] = means.shape[0] + own
    return out


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


def _attach(X: sp.csr_matrix, labels: np.ndarray, attach: float) -> np.ndarray:
    """Statements left alone join the claim whose members (its core, as formed above) they are
    closest to on average, when they share anything worth `attach` with them. The cores do not
    move while statements attach, so attaching cannot chain one claim into the next."""
    k = int(labels.max()) + 1
    size = np.bincount(labels, minlength=k)
    alone = np.flatnonzero(size[labels] == 1)
    if not len(alone) or not (size >= 2).any():
        return labels
    core = np.flatnonzero(size[labels] >= 2)
    M = means(X[core], labels[core], k)
    best, sim = nearest(X[alone], M)
    ok = sim >= attach
    out = labels.copy()
    out[alone[ok]] = best[ok]
    return out


def _small_subjects(X: sp.csr_matrix, labels: np.ndarray, small: np.ndarray) -> np.ndarray:
    """A subject of a handful of statements is mostly one story: its lone statements that share
    a lemma of weight make one claim (statements of other subjects share no column)."""
    size = np.bincount(labels)
    alone = np.flatnonzero((size[labels] == 1) & small)
    if len(alone) < 2:
        return labels
    S = sp.csr_matrix(X[alone] @ X[alone].T)
    S.data[S.data <= 0] = 0
    S.eliminate_zeros()
    _, comp = connected_components(S, directed=False)
    out = labels.copy()
    out[alone] = int(labels.max()) + 1 + comp
    return out


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Labels 0..k-1 in order of first appearance."""
    uniq, first, inv = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[order] = np.arange(len(uniq))
    return rank[inv]
