"""Statements as vectors that only meet statements about the same subject.

Each statement is a TF-IDF vector over the lemmas of what it asserts (`Claim.terms`, full weight)
and the rest of the quote (`Claim.words`, less). The columns are (subject, lemma) pairs, not
lemmas: two statements about different subjects share no column, so one sparse product over the
whole corpus compares each statement only with statements (and claims) of its own subject. That
is what lets 1.3 million statements be grouped in one pass of sparse algebra, with no loop over
subjects, and what makes a claim belong to one subject by construction.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

TERM_WEIGHT = 1.0  # a lemma of the assertion itself
WORD_WEIGHT = 0.4  # a lemma elsewhere in the quote
NEGATED = "(not)"  # a feature of negated claims: "did not fail" and "failed" make different claims
LATENT_DIMS = 64  # latent-semantic dimensions (over the whole corpus)
LATENT_KEEP = 10  # the strongest dimensions kept per statement
LATENT_WEIGHT = 6.0
SVD_SAMPLE = 60_000  # statements the projection is fitted on


@dataclass
class Pairs:
    """The features as flat arrays: one entry per (statement, lemma) occurrence."""

    rows: np.ndarray  # statement index
    terms: np.ndarray  # lemma index
    weights: np.ndarray  # TERM_WEIGHT or WORD_WEIGHT


def idf(pairs: Pairs, n_rows: int, n_terms: int) -> np.ndarray:
    """Smoothed inverse document frequency of each lemma over the statements."""
    present = np.unique(pairs.rows.astype(np.int64) * n_terms + pairs.terms)
    df = np.bincount(present % n_terms, minlength=n_terms)
    return (np.log((1.0 + n_rows) / (1.0 + df)) + 1.0).astype(np.float32)


def subject_matrix(pairs: Pairs, subjects: np.ndarray, weights: np.ndarray,
                   columns: dict[int, int] | None = None) -> tuple[sp.csr_matrix, dict[int, int]]:
    """Rows: statements; columns: (subject, lemma) pairs; L2-normalised TF-IDF.

    `columns` maps a pair key (subject × number of lemmas + lemma) to its column; given, the
    matrix uses it (new statements against existing claims) and pairs it lacks are dropped;
    otherwise it is made from these statements and returned.
    """
    n_rows = len(subjects)
    n_terms = int(weights.shape[0])
    key = subjects[pairs.rows].astype(np.int64) * n_terms + pairs.terms
    if columns is None:
        uniq, col = np.unique(key, return_inverse=True)
        columns = dict(zip(uniq.tolist(), range(len(uniq)), strict=True))
        keep = np.ones(len(key), dtype=bool)
    else:
        col = np.fromiter((columns.get(k, -1) for k in key.tolist()), dtype=np.int64, count=len(key))
        keep = col >= 0
    values = (pairs.weights * weights[pairs.terms]).astype(np.float32)
    X = sp.csr_matrix((values[keep], (pairs.rows[keep], col[keep])), shape=(n_rows, len(columns)))
    X.sum_duplicates()
    X.data = np.log1p(X.data)  # a lemma repeated in a long quote counts less than linearly
    return normalize_rows(X), columns


def normalize_rows(X: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ X, dtype=np.float32)


def with_latent(pairs: Pairs, n_rows: int, n_terms: int, weights: np.ndarray,
                seed: int = 0) -> tuple[Pairs, np.ndarray]:
    """The pairs plus each statement's strongest latent-semantic dimensions, as extra "lemmas".

    Two statements about one subject often make one point in different words ("stall" and
    "buy time"). Lemmas that keep company across the corpus load on the same dimensions of a
    truncated SVD, so the dimensions a statement loads on most let it meet statements that
    share no word with it. Kept sparse (a few dimensions per statement, signed), they pair with
    the subject like lemmas do, and the grouping stays one sparse product.
    """
    from sklearn.decomposition import TruncatedSVD

    dims = min(LATENT_DIMS, n_terms - 1, n_rows - 1)
    if dims < 2:
        return pairs, weights
    G = sp.csr_matrix(((pairs.weights * weights[pairs.terms]).astype(np.float32), (pairs.rows, pairs.terms)),
                      shape=(n_rows, n_terms))
    G = normalize_rows(G)
    rng = np.random.default_rng(seed)
    sample = rng.choice(n_rows, size=min(n_rows, SVD_SAMPLE), replace=False)
    svd = TruncatedSVD(n_components=dims, random_state=seed).fit(G[sample])
    keep = min(LATENT_KEEP, dims)
    rows, cols, vals = [], [], []
    for a in range(0, n_rows, 100_000):
        Z = np.asarray(G[a:a + 100_000] @ svd.components_.T, dtype=np.float32)
        Z /= np.maximum(np.linalg.norm(Z, axis=1, keepdims=True), 1e-9)
        top = np.argpartition(-np.abs(Z), keep - 1, axis=1)[:, :keep]
        z = np.take_along_axis(Z, top, axis=1)
        rows.append(np.repeat(np.arange(a, a + len(Z)), keep))
        cols.append((n_terms + 2 * top + (z < 0)).ravel())
        vals.append(np.abs(z).ravel() * LATENT_WEIGHT)
    extra = Pairs(np.concatenate(rows), np.concatenate(cols).astype(np.int64), np.concatenate(vals).astype(np.float32))
    ok = extra.weights > 0
    merged = Pairs(np.concatenate([pairs.rows, extra.rows[ok]]), np.concatenate([pairs.terms, extra.terms[ok]]),
                   np.concatenate([pairs.weights, extra.weights[ok]]))
    return merged, np.concatenate([weights, np.ones(2 * dims, dtype=np.float32)])
