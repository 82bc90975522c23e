"""The expert-opinion views as SQL over the `opinions` table (`analysis.opinions.derive`).

Subjects → claims → statements, and who stands where: per subject the speakers in favour and
against (the camps), per claim its statements. Every view takes the analyst's filters like the
other pages (`analysis.filters.where` at the quote level: the opinions carry their quote's keys).
Speakers are ordered experts first, then journalists, officials and state media, and last the
speakers whose role is unknown or who are no one person ("North Koreans", an unnamed source).
SQL only: no Streamlit.
"""
from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from analysis.filters import Filters, where
from analysis.indexes import kept, sql_key
from analysis.queries import UNDATED, newest_first, title_sql

_SPEAKERS = "LEFT JOIN speakers_corpus s ON s.speaker_key = o.speaker_key"
ROLE_ORDER = ("expert", "journalist", "official", "state media")
# 0.. for the roles above, then the rest: unknown role, a group, no speaker at all.
RANK_SQL = ("CASE WHEN o.speaker_key IS NULL OR coalesce(s.label, '') = 'GROUP' THEN 9 "
            + " ".join(f"WHEN s.role = '{r}' THEN {i}" for i, r in enumerate(ROLE_ORDER)) + " ELSE 8 END")


def _net_stance(total: str) -> str:
    """The lean of a sum of stance scores."""
    return f"CASE WHEN {total} > 0 THEN 'positive' WHEN {total} < 0 THEN 'negative' ELSE 'neutral' END"


CELL_COLUMNS = "speaker_key, group_id, group_label, statements, positive, negative, neutral, score, evidence"


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: Iterable = ()) -> pd.DataFrame:
    return con.execute(sql, list(params)).df()


def _scope(con: duckdb.DuckDBPyConnection, f: Filters, subject: str | None = None, claim: str | None = None,
           speaker: str | None = None, speakers: bool = True, articles: bool = False) -> tuple[str, str, list]:
    """(FROM, WHERE, parameters) of the statements under the filters and the picks. The FROM
    leaves the articles out when no condition names their columns (unless `articles`): every
    statement has its article, so the join only costs (a probe per statement, a third of a
    subject's query at 100,000 articles); and the speakers (`s`) when `speakers` is False, for a
    query that reads no speaker's column (a speaker has one row: the join adds no statement).

    Under a filter that names single quotes (a search, an entity), the statements it keeps are
    kept once per connection and filter (`indexes.kept`, the columns the views read): they lie
    all over the table, which is sorted by subject, and each of the page's five to seven views
    read them again otherwise (0.02-0.04 s a view at 100,000 articles)."""
    source, conds, params, names_articles = _statements(con, f)
    for column, value in (("o.subject", subject), ("o.group_id", claim), ("coalesce(o.speaker_key, 'unknown')", speaker)):
        if value is not None:
            conds.append(f"{column} = ?")
            params.append(value)
    frm = _with_articles(source) if articles or names_articles else source
    return f"{frm} {_SPEAKERS}" if speakers else frm, " AND ".join(conds) or "TRUE", params


def _statements(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[str, list[str], list, bool]:
    """The statements under the filters (alias o): the relation, the conditions on it, their
    parameters, and whether the conditions read the articles (`a`)."""
    w = where(f, "quotes", quotes="o", con=con)
    if not w.names_quotes:
        return "opinions o", [w.sql], list(w.params), w.names_articles
    frm = _with_articles("opinions o") if w.names_articles else "opinions o"
    wanted = ", ".join(f"'{c}'" for c in KEPT_COLUMNS)
    sql = f"SELECT COLUMNS(lambda c: c IN ({wanted})) FROM (SELECT o.* FROM {frm} WHERE {w.sql})"
    kept_sql, kept_params = kept(con, "opinion_scope", sql_key(sql, w.params), sql, w.params, "*")
    return f"({kept_sql}) o", [], list(kept_params), False  # the kept statements met every condition


# The statements' columns the views read: what a kept scope holds (`_scope`).
KEPT_COLUMNS = ("quote_no", "article_no", "speaker_key", "subject", "group_id", "group_label", "stance",
                "stance_score", "stance_evidence", "claim_size", "negated", "hedges")


def _with_articles(source: str) -> str:
    """The statements of `source` (alias o) joined to their articles (alias a)."""
    return f"{source} JOIN articles a ON a.article_no = o.article_no"


def _cells(con: duckdb.DuckDBPyConnection, f: Filters, subject: str) -> tuple[str, list]:
    """A SELECT (and its parameters) of one subject's statements under the filters summed per
    speaker (NULL apart) and claim: statements, per stance, the stance score, the claim's label
    and the stance evidence (`CELL_COLUMNS`). Kept once per connection, filters and subject
    (`indexes.kept`): the claims, the camps and the grid of the subject all read it, instead of
    each aggregating the subject's statements again (176,000 for the largest subject at 100,000
    articles, 0.03-0.05 s each)."""
    frm, cond, params = _scope(con, f, subject=subject, speakers=False)
    sql = f"""
        SELECT o.speaker_key, o.group_id, any_value(o.group_label) AS group_label, count(*) AS statements,
               count(*) FILTER (WHERE o.stance = 'positive') AS positive,
               count(*) FILTER (WHERE o.stance = 'negative') AS negative,
               count(*) FILTER (WHERE o.stance = 'neutral') AS neutral,
               sum(o.stance_score) AS score,
               string_agg(o.stance_evidence, '; ') FILTER (WHERE o.stance_evidence <> '') AS evidence
        FROM {frm} WHERE {cond} GROUP BY 1, 2"""
    return kept(con, "opinion_cells", sql_key(sql, params), sql, params, CELL_COLUMNS)


def opinion_summary(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, float]:
    """Statements, subjects, claims, and the share of statements in a claim of two or more."""
    frm, cond, params = _scope(con, f, speakers=False)
    row = con.execute(f"""
        SELECT count(*), count(DISTINCT o.subject), count(DISTINCT o.group_id),
               coalesce(avg((o.claim_size >= 2)::INTEGER), 0)
        FROM {frm} WHERE {cond}""", params).fetchone()
    assert row is not None
    return {"statements": row[0], "subjects": row[1], "claims": row[2], "shared": float(row[3])}


def opinion_subjects(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 200) -> pd.DataFrame:
    """Subjects by number of statements: claims, speakers, and how many lean each way."""
    frm, cond, params = _scope(con, f, speakers=False)
    # Counted per subject, speaker and claim first (30,000 rows for 1.3 million statements at
    # 100,000 articles), then per subject: three distinct counts over every statement cost twice
    # as much. The speakers' roles are looked up for the first step's rows only.
    return _df(con, f"""
        WITH t AS MATERIALIZED (
            SELECT o.subject, o.speaker_key, o.group_id, count(*) AS n,
                   count(*) FILTER (WHERE o.stance = 'positive') AS positive,
                   count(*) FILTER (WHERE o.stance = 'negative') AS negative
            FROM {frm} WHERE {cond} GROUP BY 1, 2, 3),
        per_speaker AS (SELECT subject, speaker_key, sum(n) AS n, sum(positive) AS positive, sum(negative) AS negative
                        FROM t GROUP BY 1, 2),
        per_claim AS (SELECT subject, count(DISTINCT group_id) AS claims FROM t GROUP BY 1),
        per AS (SELECT p.subject, sum(p.n)::BIGINT AS statements, count(p.speaker_key) AS speakers,
                       count(p.speaker_key) FILTER (WHERE s.role = 'expert') AS experts,
                       sum(p.positive)::BIGINT AS positive, sum(p.negative)::BIGINT AS negative
                FROM per_speaker p LEFT JOIN speakers_corpus s ON s.speaker_key = p.speaker_key GROUP BY 1)
        SELECT per.subject, per.statements, c.claims, per.speakers, per.experts, per.positive, per.negative
        FROM per JOIN per_claim c USING (subject)
        ORDER BY per.statements DESC, per.subject LIMIT {int(limit)}""", params)


def opinion_claims(con: duckdb.DuckDBPyConnection, f: Filters, subject: str) -> pd.DataFrame:
    """The claims made about one subject, by number of statements, with their stance mix."""
    cells, params = _cells(con, f, subject)
    # One cell per speaker and claim: the claim's speakers are its cells with a speaker.
    return _df(con, f"""
        WITH c AS ({cells})
        SELECT c.group_id AS claim_id, any_value(c.group_label) AS claim, sum(c.statements)::BIGINT AS statements,
               count(c.speaker_key) AS speakers,
               string_agg(c.speaker_key, ', ' ORDER BY c.speaker_key) AS who,
               sum(c.positive)::BIGINT AS positive, sum(c.negative)::BIGINT AS negative,
               sum(c.neutral)::BIGINT AS neutral
        FROM c GROUP BY c.group_id ORDER BY statements DESC, claim""", params)


def opinion_camps(con: duckdb.DuckDBPyConnection, f: Filters, subject: str) -> pd.DataFrame:
    """Each speaker on one subject with the way they lean overall (the sum of their statements'
    stance), their role and the words that decided it: the camps are the speakers of one lean."""
    cells, params = _cells(con, f, subject)
    return _df(con, f"""
        WITH c AS ({cells}),
        o AS (SELECT speaker_key, sum(statements) AS statements, sum(score) AS score,
                     string_agg(evidence, '; ') AS evidence FROM c GROUP BY speaker_key)
        SELECT coalesce(o.speaker_key, 'unknown') AS speaker, any_value(s.role) AS role, any_value(s.side) AS side,
               min({RANK_SQL}) AS rank, {_net_stance("sum(o.score)")} AS stance, sum(o.statements)::BIGINT AS statements,
               string_agg(o.evidence, '; ') AS evidence
        FROM o LEFT JOIN speakers_corpus s ON s.speaker_key = o.speaker_key
        GROUP BY 1 ORDER BY rank, statements DESC, speaker""", params)


def opinion_grid(con: duckdb.DuckDBPyConnection, f: Filters, subject: str, max_speakers: int = 40,
                 max_claims: int = 12) -> pd.DataFrame:
    """Speaker × claim cells of one subject (statements and their net stance): the speakers with
    most statements on it (experts first) and its largest claims."""
    kept_cells, params = _cells(con, f, subject)
    return _df(con, f"""
        WITH o AS ({kept_cells}),
        cells AS (
            SELECT coalesce(o.speaker_key, 'unknown') AS speaker, min({RANK_SQL}) AS rank, any_value(s.role) AS role,
                   o.group_id AS claim_id, any_value(o.group_label) AS claim, sum(o.statements)::BIGINT AS statements,
                   {_net_stance("sum(o.score)")} AS stance
            FROM o LEFT JOIN speakers_corpus s ON s.speaker_key = o.speaker_key GROUP BY 1, o.group_id),
        top_claims AS (SELECT claim_id, sum(statements) AS n FROM cells GROUP BY claim_id
                       ORDER BY n DESC, claim_id LIMIT {int(max_claims)}),
        top_speakers AS (SELECT speaker, min(rank) AS rank, sum(statements) AS n FROM cells GROUP BY speaker
                         ORDER BY rank, n DESC, speaker LIMIT {int(max_speakers)})
        SELECT c.speaker, c.role, t.rank AS speaker_rank, c.claim_id, c.claim, c.statements, c.stance, k.n AS claim_statements
        FROM cells c JOIN top_claims k USING (claim_id) JOIN top_speakers t USING (speaker)
        ORDER BY t.rank, t.n DESC, c.speaker, k.n DESC, c.claim_id""", params)


def opinion_statements(con: duckdb.DuckDBPyConnection, f: Filters, subject: str | None = None,
                       claim: str | None = None, speaker: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """The statements behind a subject, a claim or a speaker's cell, newest first, with the
    stance evidence; at most `limit` of them (the count is `opinion_statement_count`)."""
    # Newest first: the articles' dates. The rows chosen on their keys, then read in full from the
    # same statements (the kept ones under a search: not the whole table again).
    frm, cond, params = _scope(con, f, subject, claim, speaker, speakers=False, articles=True)
    source = frm.removesuffix(_with_articles(""))
    return _df(con, f"""
        WITH chosen AS MATERIALIZED ({newest_first(f"SELECT o.quote_no, a.day FROM {frm} WHERE {cond}", limit)})
        SELECT o.subject, o.group_label AS claim, coalesce(o.speaker_key, 'unknown') AS speaker, s.role, o.stance,
               o.stance_evidence AS evidence, o.negated, o.hedges, q.text AS quote, {title_sql()} AS article,
               coalesce(a.date, '{UNDATED}') AS date, q.article_id
        FROM chosen c JOIN {source} ON o.quote_no = c.quote_no JOIN quotes q ON q.quote_no = c.quote_no
             JOIN articles a ON a.article_no = q.article_no LEFT JOIN speakers_corpus s ON s.speaker_key = o.speaker_key
        ORDER BY c.day DESC NULLS LAST, c.quote_no""", params)


def opinion_statement_count(con: duckdb.DuckDBPyConnection, f: Filters, subject: str | None = None,
                            claim: str | None = None, speaker: str | None = None) -> int:
    frm, cond, params = _scope(con, f, subject, claim, speaker, speakers=False)
    row = con.execute(f"SELECT count(*) FROM {frm} WHERE {cond}", params).fetchone()
    return int(row[0]) if row else 0
