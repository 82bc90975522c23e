"""Statements as vectors that only meet statements about the same subject.

Each statement is a TF-IDF vector over the lemmas of what it asserts (`Claim.terms`, full weight)
and the rest of the quote (`Claim.words`, less). The columns are (subject, lemma) pairs, not
lemmas: two statements about different subjects share no column, so one sparse product over the
whole corpus compares each statement only with statements (and claims) of its own subject. That
is what lets 1.3 million statements be grouped in one pass of sparse algebra, with no loop over
subjects, and what makes a claim belong to one subject by construction.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

TERM_WEIGHT = 1.0  # a lemma of the assertion itself
WORD_WEIGHT = 0.4  # a lemma elsewhere in the quote
NEGATED = "(not)"  # a feature of negated claims: "did not fail" and "failed" make different claims


def subject_matrix(rows: np.ndarray, terms: np.ndarray, weights: np.ndarray, groups: np.ndarray,
                   n_rows: int) -> sp.csr_matrix:
    """Rows: statements; columns: (subject, lemma) pairs; L2-normalised TF-IDF.

    `rows`, `terms` (a lemma's hash), `weights`: one entry per lemma of a statement, each lemma
    once per statement; `groups`: each statement's subject number. A lemma's weight is scaled
    by its rarity over all statements (IDF) and damped (log), so a long quote does not outweigh.
    """
    import pandas as pd

    term_no, uniq = pd.factorize(terms)
    df = np.bincount(term_no, minlength=len(uniq))
    idf = (np.log((1.0 + n_rows) / (1.0 + df)) + 1.0).astype(np.float32)
    key = groups[rows].astype(np.int64) * max(1, len(uniq)) + term_no
    col, _ = pd.factorize(key)
    del key
    values = np.log1p(weights.astype(np.float32) * idf[term_no])
    n_cols = int(col.max()) + 1 if len(col) else 0
    X = sp.csr_matrix((values, (rows, col.astype(np.int32))), shape=(n_rows, n_cols))
    return normalize_rows(X)


def normalize_rows(X: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to unit length, in place (no copy of the matrix)."""
    X = sp.csr_matrix(X, dtype=np.float32)
    counts = np.diff(X.indptr)
    norms = np.ones(X.shape[0], dtype=np.float32)
    full = np.flatnonzero(counts)
    if len(full):
        norms[full] = np.sqrt(np.add.reduceat(X.data * X.data, X.indptr[full]))
    norms[norms == 0] = 1.0
    X.data /= np.repeat(norms, counts)
    return X
