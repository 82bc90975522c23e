"""A claim's label: the claim phrase of its most typical statement, in that statement's words.

Word lists ("focus / acting / Pass") describe vocabulary, not what anyone claims. A member's own
phrase ("North Korea is also buying time") does, and it is checkable: it is in the statements.
The most typical member is the one closest to the claim's centre; among near ties the shorter
phrase wins, and a phrase that names its subject wins over one that starts with a pronoun.
"""
from __future__ import annotations

import numpy as np

FULL_WORDS = 5  # a statement of fewer words is a fragment, not a label
TIE = 0.05  # cosines this close to the best count as a tie
UNNAMED = ("it ", "this ", "that ", "they ", "he ", "she ", "we ", "i ")


def representatives(claims: np.ndarray, fit: np.ndarray, lengths: np.ndarray, vague: np.ndarray,
                    short: np.ndarray | None = None) -> np.ndarray:
    """Index of the representative statement of each claim (claims numbered 0..k-1), from each
    statement's closeness to its claim's centre, the length of its claim phrase, whether
    that phrase opens with a pronoun (`VAGUE_SQL`) and whether the statement is a fragment
    (`short`: under `FULL_WORDS` words, or no verb): a full statement names a claim, a fragment
    ("a disaster") does not, however close it is to the centre."""
    empty = lengths == 0
    short = np.zeros(len(claims), dtype=bool) if short is None else short
    # A full statement first, then closeness (in steps of TIE), then a named subject, then brevity.
    score = (np.floor(fit / TIE) * 1000 - short * 1_000_000 - vague * 500 - empty * 900
             - np.minimum(lengths, 499))
    order = np.lexsort((-score, claims))
    first = np.ones(len(order), dtype=bool)
    first[1:] = claims[order][1:] != claims[order][:-1]
    rep = np.empty(int(claims.max()) + 1 if len(claims) else 0, dtype=np.int64)
    rep[claims[order][first]] = order[first]
    return rep


def short_sql(claims: str, statement: str) -> str:
    """SQL: whether a statement is a fragment for labelling: `short` in `_op_st` (no verb, or
    fewer than `FULL_WORDS` words), or fewer than `FULL_WORDS` words in its claim phrase (a
    phrase that short is mostly a verb cut from what it is about: "demand more concessions")."""
    return (f"({statement}.short OR len(string_split(trim(coalesce({claims}.claim, '')), ' ')) < {FULL_WORDS})")


def vague_sql(claims: str) -> str:
    """SQL: whether the claim phrase of the claims row `claims` opens with a pronoun."""
    words = "|".join(w.strip() for w in UNNAMED)
    return f"regexp_matches(lower(coalesce({claims}.claim, '')), '^({words})\\b')"


def claim_id_sql(statement: str) -> str:
    """SQL: a claim's stable name from its representative statement row `statement` (its subject,
    article and offset, hashed): for URLs."""
    return (f"'c' || left(md5(concat_ws(chr(31), {statement}.subject_key, {statement}.article_id, "
            f"{statement}.start::VARCHAR)), 10)")
