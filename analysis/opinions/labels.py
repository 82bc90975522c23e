"""A claim's label: the claim phrase of its most typical statement, in that statement's words.

Word lists ("focus / acting / Pass") describe vocabulary, not what anyone claims. A member's own
phrase ("North Korea is also buying time") does, and it is checkable: it is in the statements.
The most typical member is the one closest to the claim's centre; among near ties the shorter
phrase wins, and a phrase that names its subject wins over one that starts with a pronoun.
"""
from __future__ import annotations

import numpy as np

TIE = 0.05  # cosines this close to the best count as a tie
UNNAMED = ("it ", "this ", "that ", "they ", "he ", "she ", "we ", "i ")


def representatives(claims: np.ndarray, fit: np.ndarray, lengths: np.ndarray, vague: np.ndarray) -> np.ndarray:
    """Index of the representative statement of each claim (claims numbered 0..k-1), from each
    statement's closeness to its claim's centre, the length of its claim phrase and whether
    that phrase opens with a pronoun (`VAGUE_SQL`)."""
    empty = lengths == 0
    # Closeness first (in steps of TIE), then a named subject, then brevity.
    score = np.floor(fit / TIE) * 1000 - vague * 500 - empty * 900 - np.minimum(lengths, 499)
    order = np.lexsort((-score, claims))
    first = np.ones(len(order), dtype=bool)
    first[1:] = claims[order][1:] != claims[order][:-1]
    rep = np.empty(int(claims.max()) + 1 if len(claims) else 0, dtype=np.int64)
    rep[claims[order][first]] = order[first]
    return rep


def vague_sql(claims: str) -> str:
    """SQL: whether the claim phrase of the claims row `claims` opens with a pronoun."""
    words = "|".join(w.strip() for w in UNNAMED)
    return f"regexp_matches(lower(coalesce({claims}.claim, '')), '^({words})\\b')"


def claim_id_sql(statement: str) -> str:
    """SQL: a claim's stable name from its representative statement row `statement` (its subject,
    article and offset, hashed): for URLs."""
    return (f"'c' || left(md5(concat_ws(chr(31), {statement}.subject_key, {statement}.article_id, "
            f"{statement}.start::VARCHAR)), 10)")
