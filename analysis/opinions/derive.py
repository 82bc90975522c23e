"""The corpus-level `opinions` table: every statement with its subject, claim, stance and role.

`derive_opinions` regroups the whole corpus (a full derivation); `assign_new_statements` files
statements that are not in `opinions` yet into the claims that exist, moving no old statement
(an incremental update after a daily ingest). Both read:

* `quotes` (with `speaker_key`, `quote_no`, `article_no`), `articles`;
* `claims` (the ingest records of `analysis.opinions.claims`);
* `entities` with the corpus names (`entity`, `entity_label`), when present;
* `speakers_corpus` (one row per `speaker_key` with `role`, `side`), when present.

The grouping itself is sparse algebra on arrays that DuckDB hands over (`subjects`, `features`,
`grouping`); no Python runs per statement except the codebook, when there is one.

A full derivation also keeps what filing a new statement needs, so that it never has to read
the corpus's statements again (`STATE_TABLES`): each claim's mean member vector keyed by
(subject, lemma) hashes (`opinion_vectors`), its id, size and norm (`opinion_claims`), each
lemma's document frequency (`opinion_terms`, for the IDF) and each subject's counts
(`opinion_bases`, which decide the shared subjects). A new statement's closeness to every claim
of its subject is then one SQL join of its few (subject, lemma) keys against those vectors.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import scipy.sparse as sp

from analysis.opinions import features, grouping, labels, subjects
from analysis.opinions.codebook import apply_codebook
from analysis.store import create_table, table_columns

TABLE = "opinions"
STATE_TABLES = ("opinion_vectors", "opinion_claims", "opinion_terms", "opinion_bases")


def derive_opinions(con: duckdb.DuckDBPyConnection, codebook: Path | None = None,
                    params: grouping.Params | None = None) -> None:
    """Create or replace `opinions`: one row per statement (quote), grouped from scratch, and the
    state tables that `assign_new_statements` files new statements by."""
    file_statements(con)
    group_filed(con, codebook, params)


def file_statements(con: duckdb.DuckDBPyConnection) -> None:
    """The first half of `derive_opinions`: every statement filed under its corpus subject
    (`subjects.build`: the temporary `_op_st`), in SQL alone. A full derivation runs it as a step
    of its own, with all of DuckDB's memory (at 100,000 articles its joins took 11 s under the
    limit the grouping's Python work needs, against 6 s)."""
    _ensure_claims(con)
    subjects.build(con)


def group_filed(con: duckdb.DuckDBPyConnection, codebook: Path | None = None,
                params: grouping.Params | None = None) -> None:
    """The second half of `derive_opinions`: the statements of `_op_st` grouped into claims, and
    `opinions` and the state tables written."""
    X, cols, keys = _matrix(con)
    rows = _row_keys(con)
    claim_no = grouping.group(X, params, rows["n"], subject=rows["g"], lean=rows["lean"],
                              speaker_story=rows["speaker_story"], story=rows["story"])
    _write(con, X, claim_no, codebook)
    _save_state(con, X, cols, keys, claim_no)
    con.execute("DROP TABLE IF EXISTS _op_claims")
    con.execute("DROP TABLE IF EXISTS _op_base_counts")


def _row_keys(con: duckdb.DuckDBPyConnection) -> dict[str, np.ndarray]:
    """Per statement of `_op_st` (in row order): its subject's size `n` and number `g`, its
    `lean`, and its story keys (`grouping.group`)."""
    rows = con.execute("""
        SELECT count(*) OVER (PARTITION BY s.subject_key) AS n,
               (dense_rank() OVER (ORDER BY s.subject_key NULLS LAST))::BIGINT AS g,
               CASE WHEN s.fragment THEN 0 ELSE sign(coalesce(c.stance_score, 0)) END::INTEGER AS lean,
               -- one speaker on one subject in one article; one subject in one article
               CASE WHEN s.speaker_key IS NOT NULL AND s.subject_key IS NOT NULL
                    THEN hash(s.article_id, s.speaker_key, s.subject_key) >> 3 END AS speaker_story,
               CASE WHEN s.subject_key IS NOT NULL THEN hash(s.article_id, s.subject_key) >> 3 END AS story
        FROM _op_st s LEFT JOIN claims c ON c.rowid = s.claim_row ORDER BY s.row_no""").fetchnumpy()
    return {"n": np.asarray(rows["n"]), "g": np.asarray(rows["g"]), "lean": np.asarray(rows["lean"]),
            "speaker_story": _key(rows["speaker_story"]), "story": _key(rows["story"])}


def _key(column) -> np.ndarray:
    """A hashed key column as int64, -1 where it is NULL (masked)."""
    filled = np.ma.filled(column, 0) if np.ma.isMaskedArray(column) else np.asarray(column)
    out = filled.astype(np.uint64).astype(np.int64)
    if np.ma.isMaskedArray(column):
        out[np.ma.getmaskarray(column)] = -1
    return out


def assign_new_statements(con: duckdb.DuckDBPyConnection, codebook: Path | None = None,
                          params: grouping.Params | None = None, statements: str = "quotes") -> int:
    """File the statements of `statements` (quotes) that `opinions` lacks into its existing claims,
    or into new claims of their own; no statement already grouped moves. Returns how many were
    added. Without an `opinions` table (or its state tables: a file derived before they were
    kept) this is `derive_opinions`.

    Each new statement goes to the claim whose members it is closest to on average, when that is
    at least `Params.cross` (it is of another story than the claim's); the rest are seeded among
    themselves. Their vectors are weighed by the whole corpus's lemma rarity and their subjects
    decided by its subject counts, both kept from before and updated here, so the next update
    reads them too. By design a claim's label and the statement it is named after stay as they
    were (a full regroup may name it by a new member)."""
    if not table_columns(con, TABLE) or any(not table_columns(con, t) for t in STATE_TABLES):
        derive_opinions(con, codebook, params)
        return _count(con, f"SELECT count(*) FROM {TABLE}")
    p = params or grouping.Params()
    _ensure_claims(con)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _op_new AS
        SELECT q.* FROM {statements} q ANTI JOIN {TABLE} o ON o.article_id = q.article_id AND o.start = q.start""")
    new = _count(con, "SELECT count(*) FROM _op_new")
    if not new:
        con.execute("DROP TABLE _op_new")
        return 0
    subjects.build(con, "_op_new", prior_bases="opinion_bases")
    # A subject the corpus already shows keeps the name it shows (`build` names it from the
    # new statements alone).
    con.execute(f"""
        UPDATE _op_st s SET subject = o.subject
        FROM (SELECT subject_key, any_value(subject) AS subject FROM {TABLE}
              WHERE subject_key IN (SELECT subject_key FROM _op_st) GROUP BY subject_key) o
        WHERE s.subject_key = o.subject_key""")
    prior_rows = _count(con, f"SELECT count(*) FROM {TABLE}")
    X, cols, keys = _matrix(con, prior_rows=prior_rows)
    con.register("_op_new_x", _keyed_entries(X, keys))
    best = con.execute("""
        SELECT row_no, arg_max(claim_no, sim) AS claim_no, max(sim) AS sim FROM (
            SELECT x.row_no, v.claim_no, sum(x.w * v.w) AS sim
            FROM _op_new_x x JOIN opinion_vectors v USING (col) GROUP BY ALL)
        GROUP BY row_no""").fetchnumpy()
    k_old = _count(con, "SELECT coalesce(max(claim_no) + 1, 0) FROM opinion_claims")
    n = X.shape[0]
    claim_no = np.full(n, -1, dtype=np.int64)
    sim = np.zeros(n, dtype=np.float32)
    hit = np.asarray(best["row_no"], dtype=np.int64)
    sim[hit] = np.asarray(best["sim"], dtype=np.float32)
    # A new statement is of a new article, another story than the claim's: it joins at
    # `Params.cross`, as a story's statements stay in a claim of other stories (`grouping`).
    close = sim[hit] >= max(p.join, p.cross)
    joined = hit[close]
    claim_no[joined] = np.asarray(best["claim_no"], dtype=np.int64)[close]
    rest = np.flatnonzero(claim_no < 0)
    fit = np.zeros(n, dtype=np.float32)
    if len(joined):  # closeness to the claim's centre: its mean vector, normalised
        norms = con.execute("SELECT claim_no, norm FROM opinion_claims WHERE claim_no IN (SELECT unnest(?))",
                            [np.unique(claim_no[joined]).tolist()]).fetchnumpy()
        norm_of = dict(zip(norms["claim_no"].tolist(), norms["norm"].tolist(), strict=True))
        fit[joined] = sim[joined] / np.maximum([norm_of.get(int(c), 1.0) for c in claim_no[joined]], 1e-6)
    if len(rest):
        # Seeded among themselves, then what one article says about one subject, as a full
        # grouping files it (the new articles' statements are all here, so their stories are whole).
        own = grouping.seed(X[rest], p)
        row_keys = _row_keys(con)
        own = grouping.cross_story(X[rest], own, row_keys["story"][rest], p.cross)
        own = grouping.stories(own, row_keys["speaker_story"][rest], row_keys["story"][rest], row_keys["lean"][rest])
        own = grouping.renumber(own)
        claim_no[rest] = k_old + own
        if own.max(initial=-1) >= 0:
            fit[rest] = grouping.rowwise_dot(X[rest], grouping.centres(X[rest], own), own)
    _append(con, cols, claim_no, fit, k_old, codebook)
    con.unregister("_op_new_x")
    for t in ("_op_new", "_op_st", "_op_base_counts"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
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


def _matrix(con: duckdb.DuckDBPyConnection, prior_rows: int = 0) -> tuple[sp.csr_matrix, features.Columns, np.ndarray]:
    """The features of `_op_st` as a subject-paired sparse matrix (see `features`), what its
    columns are, and each column's 64-bit (subject, lemma) key (`features.column_keys`), by
    which stored claim vectors and new statements meet.

    Lemmas travel as 64-bit hashes, not strings: DuckDB unnests and filters them, numpy numbers
    the (subject, lemma) pairs. The subject's own name is no feature: it is in most of its
    statements and says what they are about, which the subject already says, not what they claim.
    `prior_rows`: the statements grouped before, whose lemma counts `opinion_terms` holds.
    """
    n = _count(con, "SELECT count(*) FROM _op_st")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _op_groups AS
        SELECT row_no, claim_row, (dense_rank() OVER (ORDER BY subject_key NULLS LAST))::INTEGER AS g,
               hash(subject_key) AS subject_hash,
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
    groups = con.execute("SELECT g, subject_hash FROM _op_groups ORDER BY row_no").fetchnumpy()
    con.execute("DROP TABLE _op_groups")
    group = np.asarray(groups["g"])
    subject_hash = np.zeros(int(group.max()) + 1 if len(group) else 0, dtype=np.uint64)
    subject_hash[group] = np.asarray(groups["subject_hash"], dtype=np.uint64)
    prior_df: dict[int, int] | None = None
    if prior_rows:
        con.register("_op_terms", pa.table({"term": pa.array(np.unique(np.asarray(pairs["term"], dtype=np.uint64)))}))
        prior_df = dict(con.execute("SELECT term, df FROM opinion_terms SEMI JOIN _op_terms USING (term)").fetchall())
        con.unregister("_op_terms")
    fragment = np.asarray(con.execute("SELECT fragment FROM _op_st ORDER BY row_no").fetchnumpy()["fragment"], dtype=bool)
    X, cols = features.subject_matrix(np.asarray(pairs["row_no"]), np.asarray(pairs["term"]),
                                      np.asarray(pairs["w"]), group, n, prior_df=prior_df, prior_rows=prior_rows)
    if fragment.any():
        X = sp.csr_matrix(sp.diags((~fragment).astype(np.float32)) @ X)
        X.eliminate_zeros()
    keys = features.column_keys(subject_hash[cols.group], cols.term) if X.shape[1] else np.zeros(0, np.uint64)
    return X, cols, keys


def _keyed_entries(X: sp.csr_matrix, keys: np.ndarray) -> pa.Table:
    """The entries of `X` as rows (row_no, col: the column's key, w), for SQL."""
    coo = X.tocoo()
    return pa.table({"row_no": pa.array(coo.row.astype(np.int64)), "col": pa.array(keys[coo.col], pa.uint64()),
                     "w": pa.array(coo.data.astype(np.float32))})


def _save_state(con: duckdb.DuckDBPyConnection, X: sp.csr_matrix, cols: features.Columns,
                keys: np.ndarray, claim_no: np.ndarray) -> None:
    """The state tables (`STATE_TABLES`) after a full grouping; `_op_claims` and
    `_op_base_counts` still exist."""
    k = int(claim_no.max()) + 1 if len(claim_no) else 0
    M = grouping.means(X, claim_no, k).tocoo() if k else sp.coo_matrix((0, X.shape[1]), dtype=np.float32)
    create_table(con, "opinion_vectors", pa.table({
        "claim_no": pa.array(M.row.astype(np.int32)), "col": pa.array(keys[M.col], pa.uint64()),
        "w": pa.array(M.data.astype(np.float32))}), order="col")
    norm = np.sqrt(np.bincount(M.row, weights=M.data.astype(np.float64) ** 2, minlength=k)).astype(np.float32)
    con.register("_op_norms", pa.table({"claim_no": pa.array(np.arange(k, dtype=np.int32)), "norm": pa.array(norm)}))
    con.execute("""
        CREATE OR REPLACE TABLE opinion_claims AS
        SELECT c.claim_no::INTEGER AS claim_no, c.claim_id, c.claim_size::INTEGER AS size, n.norm
        FROM _op_claims c JOIN _op_norms n USING (claim_no) ORDER BY claim_no""")
    con.unregister("_op_norms")
    create_table(con, "opinion_terms", pa.table({
        "term": pa.array(cols.terms, pa.uint64()), "df": pa.array(np.asarray(cols.df, dtype=np.int64))}), order="term")
    con.execute("CREATE OR REPLACE TABLE opinion_bases AS SELECT * FROM _op_base_counts ORDER BY base")


def _append(con: duckdb.DuckDBPyConnection, cols: features.Columns, claim_no: np.ndarray, fit: np.ndarray,
            k_old: int, codebook: Path | None) -> None:
    """The new statements of `_op_st` (their vectors' entries registered as `_op_new_x`) into
    `opinions` with their claims (`claim_no`: below `k_old` an existing claim, else a new one),
    and the state tables updated: the claims they joined get their new size and mean, new claims
    are added."""
    new_claims = claim_no >= k_old
    reps = np.zeros(0, dtype=np.int64)
    if new_claims.any():
        pick = np.flatnonzero(new_claims)
        reps = pick[_representatives(con, claim_no[pick] - k_old, fit, pick)]
    con.register("_op_grouped", pd.DataFrame({"row_no": np.arange(len(claim_no)), "claim_no": claim_no, "fit": fit}))
    con.register("_op_reps", pd.DataFrame({"claim_no": k_old + np.arange(len(reps)), "rep_row": reps}))
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _op_added AS
        SELECT claim_no, count(*)::INTEGER AS added FROM _op_grouped GROUP BY claim_no""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _op_claims AS
        SELECT r.claim_no, {labels.claim_id_sql('t')} AS claim_id,
               coalesce(cl.claim, left(q.text, 160)) AS claim_label, a.added AS claim_size
        FROM _op_reps r JOIN _op_st t ON t.row_no = r.rep_row JOIN quotes q ON q.quote_no = t.quote_no
        LEFT JOIN claims cl ON cl.rowid = t.claim_row JOIN _op_added a USING (claim_no)
        UNION ALL
        SELECT c.claim_no, c.claim_id, o.claim_label, c.size + a.added
        FROM opinion_claims c JOIN _op_added a USING (claim_no)
        JOIN (SELECT claim_id, any_value(claim_label) AS claim_label FROM {TABLE}
              WHERE claim_id IN (SELECT c2.claim_id FROM opinion_claims c2 SEMI JOIN _op_added USING (claim_no))
              GROUP BY claim_id) o USING (claim_id)""")
    con.unregister("_op_reps")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _op_rows AS {_rows_sql(con)}")
    con.unregister("_op_grouped")
    if codebook is not None:
        _code(con, "_op_rows", codebook, temp=True)
    con.execute(f"INSERT INTO {TABLE} BY NAME SELECT * FROM _op_rows ORDER BY quote_no")
    con.execute(f"""
        UPDATE {TABLE} o SET claim_size = c.claim_size FROM _op_claims c
        WHERE o.claim_id = c.claim_id AND c.claim_no < {k_old}""")
    # The state: the joined claims' means (size-weighted with the new members), the new claims'
    # means, their sizes and norms, the lemma counts and the subject counts.
    con.register("_op_of", pa.table({"row_no": pa.array(np.arange(len(claim_no), dtype=np.int64)),
                                     "claim_no": pa.array(claim_no.astype(np.int32))}))
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _op_vec AS
        WITH added AS (SELECT f.claim_no, x.col, sum(x.w) AS w FROM _op_new_x x JOIN _op_of f USING (row_no) GROUP BY ALL),
        old AS (SELECT v.* FROM opinion_vectors v SEMI JOIN _op_added a ON a.claim_no = v.claim_no),
        sizes AS (SELECT a.claim_no, coalesce(c.size, 0) AS size, a.added FROM _op_added a
                  LEFT JOIN opinion_claims c USING (claim_no))
        SELECT claim_no::INTEGER AS claim_no, col,
               ((coalesce(o.w, 0) * s.size + coalesce(n.w, 0)) / (s.size + s.added))::FLOAT AS w
        FROM old o FULL JOIN added n USING (claim_no, col) JOIN sizes s USING (claim_no)""")
    con.unregister("_op_of")
    con.execute("DELETE FROM opinion_vectors WHERE claim_no IN (SELECT claim_no FROM _op_added)")
    con.execute("INSERT INTO opinion_vectors SELECT * FROM _op_vec")
    con.execute("DELETE FROM opinion_claims WHERE claim_no IN (SELECT claim_no FROM _op_added)")
    con.execute("""
        INSERT INTO opinion_claims
        SELECT c.claim_no::INTEGER, c.claim_id, c.claim_size::INTEGER, sqrt(sum(v.w * v.w))::FLOAT
        FROM _op_claims c JOIN _op_vec v USING (claim_no) GROUP BY ALL""")
    con.execute("""
        INSERT INTO opinion_claims
        SELECT c.claim_no::INTEGER, c.claim_id, c.claim_size::INTEGER, 0::FLOAT
        FROM _op_claims c ANTI JOIN _op_vec v USING (claim_no)""")
    con.register("_op_df", pa.table({"term": pa.array(cols.terms, pa.uint64()), "df": pa.array(np.asarray(cols.df, np.int64))}))
    con.execute("DELETE FROM opinion_terms WHERE term IN (SELECT term FROM _op_df)")
    con.execute("INSERT INTO opinion_terms SELECT * FROM _op_df")
    con.unregister("_op_df")
    con.execute("CREATE OR REPLACE TABLE opinion_bases AS SELECT * FROM _op_base_counts ORDER BY base")
    for t in ("_op_vec", "_op_added", "_op_claims", "_op_rows"):
        con.execute(f"DROP TABLE IF EXISTS {t}")


def _write(con: duckdb.DuckDBPyConnection, X, claim_no: np.ndarray, codebook: Path | None) -> None:
    """`opinions` from `_op_st` and each statement's claim number (a full grouping); leaves
    `_op_claims` for the state."""
    k = int(claim_no.max()) + 1 if len(claim_no) else 0
    fit = np.zeros(len(claim_no), dtype=np.float32)
    if k:
        fit = grouping.rowwise_dot(X, grouping.centres(X, claim_no, k), claim_no)
    rep = _representatives(con, claim_no, fit)
    con.register("_op_grouped", pd.DataFrame({"row_no": np.arange(len(claim_no)), "claim_no": claim_no, "fit": fit}))
    con.register("_op_reps", pd.DataFrame({"claim_no": np.arange(k), "rep_row": rep,
                                           "claim_size": np.bincount(claim_no, minlength=k)}))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _op_claims AS
        SELECT r.claim_no, {labels.claim_id_sql('t')} AS claim_id,
               coalesce(cl.claim, left(q.text, 160)) AS claim_label, r.claim_size
        FROM _op_reps r JOIN _op_st t ON t.row_no = r.rep_row JOIN quotes q ON q.quote_no = t.quote_no
        LEFT JOIN claims cl ON cl.rowid = t.claim_row""")
    # In the order the opinion views read (a subject's rows together, see `indexes.build`).
    con.execute(f"CREATE OR REPLACE TABLE {TABLE} AS {_rows_sql(con)} ORDER BY subject, quote_no")
    con.unregister("_op_grouped")
    con.unregister("_op_reps")
    con.execute("DROP TABLE IF EXISTS _op_st")
    if codebook is not None:
        _code(con, TABLE, codebook)


def _representatives(con: duckdb.DuckDBPyConnection, claims: np.ndarray, fit: np.ndarray,
                     rows: np.ndarray | None = None) -> np.ndarray:
    """`labels.representatives` of the statements of `_op_st` (only `rows` of them, when given;
    `claims` then numbers their claims 0..k-1): the index, among them, of each claim's
    representative statement."""
    meta = con.execute(f"SELECT length(coalesce(c.claim, '')) AS n, {labels.vague_sql('c')} AS vague, "
                       f"{labels.short_sql('c', 't')} AS short FROM _op_st t "
                       "LEFT JOIN claims c ON c.rowid = t.claim_row ORDER BY t.row_no").fetchnumpy()
    pick = slice(None) if rows is None else rows
    return labels.representatives(claims, fit[pick], np.asarray(meta["n"])[pick], np.asarray(meta["vague"], dtype=bool)[pick],
                                  np.asarray(meta["short"], dtype=bool)[pick])


def _code(con: duckdb.DuckDBPyConnection, table: str, codebook: Path, temp: bool = False) -> None:
    """The analyst's codebook applied to the opinion rows of `table` (rewritten by subject and quote)."""
    coded = apply_codebook(con.execute(f"SELECT o.*, q.text FROM {table} o JOIN quotes q USING (quote_no)").df(),
                           codebook)
    create_table(con, table, coded.drop(columns="text"), temporary=temp, order="subject, quote_no")


def _rows_sql(con: duckdb.DuckDBPyConnection) -> str:
    """SQL: the `opinions` rows of the statements of `_op_st`, from `_op_grouped` (row_no, claim_no,
    fit) and `_op_claims` (claim_no, claim_id, claim_label, claim_size)."""
    roles = table_columns(con, "speakers_corpus") >= {"speaker_key", "role", "side"}
    join_roles = "LEFT JOIN speakers_corpus r ON r.speaker_key = s.speaker_key" if roles else ""
    role_cols = "r.role, r.side" if roles else "NULL::VARCHAR AS role, NULL::VARCHAR AS side"
    return f"""
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
        {join_roles}"""
