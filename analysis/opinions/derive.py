"""The corpus-level `opinions` table: every statement with its subject, claim, stance and role.

`derive_opinions` regroups the whole corpus (on open after an ingest, or on demand);
`assign_new_statements` files statements that are not in `opinions` yet into the claims that
exist, moving no old statement (an incremental update after a small ingest). Both read:

* `quotes` (with `speaker_key`, `quote_no`, `article_no`), `articles`;
* `claims` (the ingest records of `analysis.opinions.claims`);
* `entities` with the corpus names (`entity`, `entity_label`), when present;
* `speakers_corpus` (one row per `speaker_key` with `role`, `side`), when present.

The grouping itself is sparse algebra on arrays that DuckDB hands over (`subjects`, `features`,
`grouping`); no Python runs per statement except the codebook, when there is one.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.opinions import features, grouping, labels, subjects
from analysis.opinions.codebook import apply_codebook
from analysis.store import table_columns

TABLE = "opinions"


def derive_opinions(con: duckdb.DuckDBPyConnection, codebook: Path | None = None,
                    params: grouping.Params | None = None) -> None:
    """Create or replace `opinions`: one row per statement (quote), grouped from scratch."""
    _ensure_claims(con)
    subjects.build(con)
    X = _matrix(con)
    rows = con.execute("""
        SELECT count(*) OVER (PARTITION BY s.subject_key) AS n,
               (dense_rank() OVER (ORDER BY s.subject_key NULLS LAST))::BIGINT AS g,
               CASE WHEN s.fragment THEN 0 ELSE sign(coalesce(c.stance_score, 0)) END::INTEGER AS lean,
               -- one speaker on one subject in one article; one subject in one article
               CASE WHEN s.speaker_key IS NOT NULL AND s.subject_key IS NOT NULL
                    THEN hash(s.article_id, s.speaker_key, s.subject_key) >> 3 END AS speaker_story,
               CASE WHEN s.subject_key IS NOT NULL THEN hash(s.article_id, s.subject_key) >> 3 END AS story
        FROM _op_st s LEFT JOIN claims c ON c.rowid = s.claim_row ORDER BY s.row_no""").fetchnumpy()
    claim_no = grouping.group(X, params, np.asarray(rows["n"]), subject=np.asarray(rows["g"]),
                              lean=np.asarray(rows["lean"]), speaker_story=_key(rows["speaker_story"]),
                              story=_key(rows["story"]))
    _write(con, X, claim_no, codebook)


def _key(column) -> np.ndarray:
    """A hashed key column as int64, -1 where it is NULL (masked)."""
    filled = np.ma.filled(column, 0) if np.ma.isMaskedArray(column) else np.asarray(column)
    out = filled.astype(np.uint64).astype(np.int64)
    if np.ma.isMaskedArray(column):
        out[np.ma.getmaskarray(column)] = -1
    return out


def assign_new_statements(con: duckdb.DuckDBPyConnection, codebook: Path | None = None,
                          params: grouping.Params | None = None) -> int:
    """File the quotes that `opinions` lacks into its existing claims (or new ones of their own);
    no statement already grouped moves. Returns how many were added. Without an `opinions`
    table this is `derive_opinions`."""
    if not table_columns(con, TABLE):
        derive_opinions(con, codebook, params)
        return _count(con, f"SELECT count(*) FROM {TABLE}")
    _ensure_claims(con)
    subjects.build(con)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _op_old AS
        SELECT s.row_no, o.claim_id FROM _op_st s JOIN {TABLE} o ON o.article_id = s.article_id AND o.start = s.start""")
    new = _count(con, "SELECT count(*) FROM _op_st WHERE row_no NOT IN (SELECT row_no FROM _op_old)")
    if not new:
        return 0
    X = _matrix(con)
    old = con.execute("SELECT row_no, claim_id FROM _op_old ORDER BY row_no").df()
    ids, claim_of_old = np.unique(old["claim_id"].astype(str).to_numpy(), return_inverse=True)
    old_rows = old["row_no"].to_numpy()
    M = grouping.means(X[old_rows], claim_of_old, len(ids))
    new_rows = np.setdiff1d(np.arange(X.shape[0]), old_rows)
    claim_no = np.empty(X.shape[0], dtype=np.int64)
    claim_no[old_rows] = claim_of_old
    claim_no[new_rows] = grouping.assign(X[new_rows], M, params)
    _write(con, X, claim_no, codebook, keep_ids=ids)
    return int(new)


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _ensure_claims(con: duckdb.DuckDBPyConnection) -> None:
    """A store written before claims were extracted has none: statements then stand alone until
    the next ingest reprocesses them (the extractor version changed)."""
    if not table_columns(con, "claims"):
        from analysis.records import Claim
        from analysis.store import schema_for

        con.register("_claims_empty", schema_for(Claim).empty_table())
        con.execute("CREATE TABLE claims AS SELECT * FROM _claims_empty")
        con.unregister("_claims_empty")


def _matrix(con: duckdb.DuckDBPyConnection):
    """The features of `_op_st` as a subject-paired sparse matrix (see `features`).

    Lemmas travel as 64-bit hashes, not strings: DuckDB unnests and filters them, numpy numbers
    the (subject, lemma) pairs. The subject's own name is no feature: it is in most of its
    statements and says what they are about, which the subject already says, not what they claim.
    """
    n = _count(con, "SELECT count(*) FROM _op_st")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _op_groups AS
        SELECT row_no, claim_row, (dense_rank() OVER (ORDER BY subject_key NULLS LAST))::INTEGER AS g,
               string_split(lower(coalesce(subject_key, '')), ' ') AS name FROM _op_st""")
    pairs = con.execute(f"""
        WITH c AS (
            SELECT g.row_no, g.name, list_distinct(c.terms) AS terms,
                   list_filter(list_distinct(c.words), lambda x: NOT list_contains(c.terms, x)) AS words, c.negated
            FROM claims c JOIN _op_groups g ON g.claim_row = c.rowid),
        t AS (
            SELECT row_no, name, unnest(terms) AS term, {features.TERM_WEIGHT}::FLOAT AS w FROM c
            UNION ALL SELECT row_no, name, unnest(words), {features.WORD_WEIGHT}::FLOAT FROM c
            UNION ALL SELECT row_no, name, '{features.NEGATED}', {features.TERM_WEIGHT}::FLOAT FROM c WHERE negated)
        SELECT row_no::INTEGER AS row_no, hash(term) AS term, w FROM t
        WHERE term IS NOT NULL AND NOT list_contains(name, term)""").fetchnumpy()
    group = con.execute("SELECT g FROM _op_groups ORDER BY row_no").fetchnumpy()["g"]
    con.execute("DROP TABLE _op_groups")
    fragment = np.asarray(con.execute("SELECT fragment FROM _op_st ORDER BY row_no").fetchnumpy()["fragment"], dtype=bool)
    X = features.subject_matrix(np.asarray(pairs["row_no"]), np.asarray(pairs["term"]),
                                np.asarray(pairs["w"]), np.asarray(group), n)
    if fragment.any():
        X = sp.csr_matrix(sp.diags((~fragment).astype(np.float32)) @ X)
        X.eliminate_zeros()
    return X


def _write(con: duckdb.DuckDBPyConnection, X, claim_no: np.ndarray, codebook: Path | None,
           keep_ids: np.ndarray | None = None) -> None:
    """`opinions` from `_op_st` and each statement's claim number; claims numbered below
    `len(keep_ids)` keep those ids (an incremental update)."""
    k = int(claim_no.max()) + 1 if len(claim_no) else 0
    fit = np.zeros(len(claim_no), dtype=np.float32)
    if k:
        fit = grouping.rowwise_dot(X, grouping.centres(X, claim_no, k), claim_no)
    meta = con.execute(f"SELECT length(coalesce(c.claim, '')) AS n, {labels.vague_sql('c')} AS vague, "
                       f"{labels.short_sql('c', 't')} AS short FROM _op_st t "
                       "LEFT JOIN claims c ON c.rowid = t.claim_row ORDER BY t.row_no").fetchnumpy()
    rep = labels.representatives(claim_no, fit, np.asarray(meta["n"]), np.asarray(meta["vague"], dtype=bool),
                                 np.asarray(meta["short"], dtype=bool))
    kept = np.full(k, None, dtype=object)
    if keep_ids is not None:
        kept[:len(keep_ids)] = keep_ids
    con.register("_op_grouped", pd.DataFrame({"row_no": np.arange(len(claim_no)), "claim_no": claim_no, "fit": fit}))
    con.register("_op_reps", pd.DataFrame({"claim_no": np.arange(k), "rep_row": rep, "kept_id": pd.array(kept, dtype="string"),
                                           "claim_size": np.bincount(claim_no, minlength=k)}))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _op_claims AS
        SELECT r.claim_no, coalesce(r.kept_id, {labels.claim_id_sql('t')}) AS claim_id,
               coalesce(cl.claim, left(q.text, 160)) AS claim_label, r.claim_size
        FROM _op_reps r JOIN _op_st t ON t.row_no = r.rep_row JOIN quotes q ON q.quote_no = t.quote_no
        LEFT JOIN claims cl ON cl.rowid = t.claim_row""")
    roles = table_columns(con, "speakers_corpus") >= {"speaker_key", "role", "side"}
    join_roles = "LEFT JOIN speakers_corpus r ON r.speaker_key = s.speaker_key" if roles else ""
    role_cols = "r.role, r.side" if roles else "NULL::VARCHAR AS role, NULL::VARCHAR AS side"
    con.execute(f"""
        CREATE OR REPLACE TABLE {TABLE} AS
        SELECT s.quote_no, q.article_no, s.article_id, s.start, s.speaker_key, q.kind, a.date,
               s.subject, s.subject_key, s.subject_kind, c.claim_id, c.claim_label, c.claim_size,
               cl.claim, coalesce(cl.negated, false) AS negated, cl.modality, cl.hedges,
               CASE WHEN cl.stance_score > 0 THEN 'positive' WHEN cl.stance_score < 0 THEN 'negative'
                    ELSE 'neutral' END AS stance,
               coalesce(cl.stance_score, 0) AS stance_score, coalesce(cl.stance_evidence, '') AS stance_evidence,
               g.fit AS claim_fit, c.claim_id AS group_id, c.claim_label AS group_label, 'auto' AS group_source,
               {role_cols}
        FROM _op_st s JOIN _op_grouped g USING (row_no) JOIN _op_claims c USING (claim_no)
        JOIN quotes q ON q.quote_no = s.quote_no
        LEFT JOIN claims cl ON cl.rowid = s.claim_row
        LEFT JOIN articles a ON a.article_no = q.article_no
        {join_roles}""")
    con.unregister("_op_grouped")
    con.unregister("_op_reps")
    for t in ("_op_st", "_op_claims"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    if codebook is not None:
        coded = apply_codebook(con.execute(f"SELECT o.*, q.text FROM {TABLE} o JOIN quotes q USING (quote_no)").df(),
                               codebook)
        con.register("_op_coded", coded)
        con.execute(f"CREATE OR REPLACE TABLE {TABLE} AS SELECT * EXCLUDE (text) FROM _op_coded ORDER BY quote_no")
        con.unregister("_op_coded")
