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


@dataclass
class Pairs:
    """The features as flat arrays: one entry per (statement, lemma) occurrence."""

    rows: np.ndarray  # statement index
    terms: np.ndarray  # lemma index
    weights: np.ndarray  # TERM_WEIGHT or WORD_WEIGHT


def idf(pairs: Pairs, n_rows: int, n_terms: int) -> np.ndarray:
    """Smoothed inverse document frequency of each lemma over the statements (the pairs hold
    each statement's lemma once)."""
    df = np.bincount(pairs.terms, minlength=n_terms)
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

