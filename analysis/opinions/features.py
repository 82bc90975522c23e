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


@dataclass(frozen=True)
class Columns:
    """What each column of a `subject_matrix` is: its subject number and lemma hash; and each
    lemma's document frequency (`terms`, `df`) as the IDF read it."""

    group: np.ndarray
    term: np.ndarray
    terms: np.ndarray
    df: np.ndarray


def subject_matrix(rows: np.ndarray, terms: np.ndarray, weights: np.ndarray, groups: np.ndarray,
                   n_rows: int, *, prior_df: dict[int, int] | None = None,
                   prior_rows: int = 0) -> tuple[sp.csr_matrix, Columns]:
    """Rows: statements; columns: (subject, lemma) pairs; L2-normalised TF-IDF.

    `rows`, `terms` (a lemma's hash), `weights`: one entry per lemma of a statement, each lemma
    once per statement; `groups`: each statement's subject number. A lemma's weight is scaled
    by its rarity over all statements (IDF) and damped (log), so a long quote does not outweigh.
    `prior_df`, `prior_rows`: the document frequencies and number of the statements grouped
    before (an incremental update weighs new statements by the whole corpus's rarity).
    """
    import pandas as pd

    term_no, uniq = pd.factorize(terms)
    uniq = np.asarray(uniq, dtype=np.uint64)
    df = np.bincount(term_no, minlength=len(uniq))
    if prior_df:
        df = df + np.fromiter((prior_df.get(int(t), 0) for t in uniq), dtype=np.int64, count=len(uniq))
    idf = (np.log((1.0 + n_rows + prior_rows) / (1.0 + df)) + 1.0).astype(np.float32)
    key = groups[rows].astype(np.int64) * max(1, len(uniq)) + term_no
    col, col_key = pd.factorize(key)
    del key
    col_key = np.asarray(col_key, dtype=np.int64)
    values = np.log1p(weights.astype(np.float32) * idf[term_no])
    n_cols = int(col.max()) + 1 if len(col) else 0
    X = sp.csr_matrix((values, (rows, col.astype(np.int32))), shape=(n_rows, n_cols))
    width = max(1, len(uniq))
    return normalize_rows(X), Columns(col_key // width, uniq[col_key % width] if len(uniq) else col_key.astype(np.uint64),
                                      uniq, df)


def column_keys(subject_hash: np.ndarray, term_hash: np.ndarray) -> np.ndarray:
    """One 64-bit key per (subject, lemma) column, from the two hashes: how stored claim vectors
    and a new statement's vector meet (`derive.assign_new_statements`), whatever the numbering
    of either matrix's columns."""
    with np.errstate(over="ignore"):
        return (subject_hash.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) ^ term_hash.astype(np.uint64)


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
