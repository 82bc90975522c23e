"""Every question the dashboard asks of the corpus, as SQL over the `analysis.corpus` snapshot.

The pages only lay out what these functions return, so that each number on screen has one
definition here that a test can check without a browser. Every query takes a DuckDB connection
and, when the analyst's filters apply, a `Filters`; `analysis.filters.where` turns those into the
WHERE clause of the level a view works at (articles or quotes; the entity views pass them on
through `entity_scope` to `analysis.entity_queries`), so the same filter means the same thing on
every page. SQL only: no Streamlit, no HTML, no ingest.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import duckdb
import pandas as pd

from analysis import entity_queries as EQ
from analysis.filters import Filters, Where, entity_scope, where
from analysis.store import table_columns

UNDATED = "undated"
UNATTRIBUTED = "unattributed"  # a quote whose speaker the extractor could not tell: said so, never blank
MAX_ENTITY_CHOICES = 1000  # the entity filter lists the most mentioned; a link may name any other


def title_sql(alias: str = "a") -> str:
    """An article's title, or for an untitled one the base name of its file: never the
    server's path (`/srv/feeds/…/x.txt`), which means nothing to a reader and says too much."""
    return f"coalesce({alias}.title, regexp_extract({alias}.source, '([^/\\\\]+)$', 1))"


def url_sql(alias: str = "a") -> str:
    """An article's address only when it is a web address: a `javascript:` or `file:` "url" from a
    hostile metadata file never becomes a link on a page."""
    return f"CASE WHEN regexp_matches({alias}.url, '^https?://[^\\s]+$') THEN {alias}.url END"


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: Iterable = ()) -> tuple[Any, ...]:
    """The single row of an aggregate query (which always has one)."""
    row = con.execute(sql, list(params)).fetchone()
    if row is None:
        raise RuntimeError(f"an aggregate query returned no row: {sql[:80]}")
    return row


QUOTES_BARE = "quotes q JOIN articles a ON a.article_no = q.article_no"
# Quotes per speaker and article under a quote-level WHERE: the first step of counting quotes and
# distinct articles per speaker (cheaper than count(DISTINCT) over every quote).
_PER_SPEAKER_ARTICLE = ("SELECT q.speaker_key, q.article_no, count(*) AS n FROM " + QUOTES_BARE
                        + " WHERE {where} AND q.speaker_key IS NOT NULL GROUP BY 1, 2")


def _per_speaker_article(w: Where, extra: str = "") -> str:
    """`_PER_SPEAKER_ARTICLE` under `w` (and `extra` conditions on `q.speaker_key`/`q.article_no`),
    from the speaker × article counts when no condition names a single quote (only speakers,
    roles, dates, outlets, articles): 0.09 -> 0.02 s for the overview's speakers at 100,000
    articles. That table holds one row per speaker and article, corrected too (a merge of two
    speakers quoted in one article groups their quotes again, `corrections._apply_speakers`), so
    its rows are taken as they are: grouping half a million rows again cost 0.07 s."""
    if w.names_quotes:
        return _PER_SPEAKER_ARTICLE.format(where=w.sql + extra).replace(QUOTES_BARE, _quotes_from(w))
    articles = " JOIN articles a ON a.article_no = q.article_no" if w.names_articles else ""
    return ("SELECT q.speaker_key, q.article_no, q.n::BIGINT AS n FROM speaker_articles q"
            f"{articles} WHERE {w.sql}{extra}")


def _quotes_from(w: Where) -> str:
    """The quotes, joined to their articles only when a condition of `w` reads an article's
    column: every quote has its article, so the join adds no row, only a probe per quote."""
    return QUOTES_BARE if w.names_articles else "quotes q"


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: Iterable = ()) -> pd.DataFrame:
    return con.execute(sql, list(params)).df()


# ---------------------------------------------------------------------------------------------
# Sidebar options

def filter_options(con: duckdb.DuckDBPyConnection) -> dict:
    """Every value a sidebar filter can take, from the whole corpus (not the filtered view)."""
    speakers = [r[0] for r in con.execute(
        "SELECT speaker_key FROM quotes WHERE speaker_key IS NOT NULL GROUP BY speaker_key "
        "ORDER BY count(*) DESC, speaker_key").fetchall()]
    outlets = [r[0] for r in con.execute(
        "SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY count(*) DESC, outlet").fetchall()]
    roles = [r[0] for r in con.execute(
        "SELECT role FROM speakers_corpus WHERE role IS NOT NULL GROUP BY role ORDER BY count(*) DESC, role").fetchall()]
    types = [r[0] for r in con.execute(
        "SELECT entity_label FROM entity_index WHERE entity_label IS NOT NULL GROUP BY entity_label "
        "ORDER BY sum(mentions) DESC, entity_label").fetchall()]
    entities = [r[0] for r in con.execute(
        f"SELECT entity FROM entity_index WHERE NOT numeric ORDER BY articles DESC, entity LIMIT {MAX_ENTITY_CHOICES}"
    ).fetchall()]
    articles = con.execute(
        f"SELECT article_id, {title_sql('articles')} AS title, date FROM articles ORDER BY date DESC NULLS LAST, title").df()
    lo, hi, undated = _one(con,
        "SELECT min(day), max(day), "
        "count(*) FILTER (WHERE day IS NULL) FROM articles")
    return {"speakers": speakers, "outlets": outlets, "roles": roles, "entity_types": types, "entities": entities,
            "articles": dict(zip(articles["article_id"], articles["title"], strict=True)),
            "date_min": lo, "date_max": hi, "undated": int(undated or 0)}


def unknown_entities(con: duckdb.DuckDBPyConnection, names: Iterable[str]) -> list[str]:
    """The names (from a link's entity filter) that are no entity of this corpus."""
    names = list(names)
    known = {r[0] for r in con.execute("SELECT entity FROM entity_index WHERE entity IN (SELECT unnest(?))",
                                       [names]).fetchall()}
    return [n for n in names if n not in known]


# ---------------------------------------------------------------------------------------------
# Overview

def overview_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, int]:
    wa, wq = where(f, "articles", con=con), where(f, "quotes", con=con)
    articles, undated, words = _one(con,
        f"SELECT count(*), count(*) FILTER (WHERE a.date IS NULL), coalesce(sum(a.word_count), 0) "
        f"FROM articles a WHERE {wa.sql}", wa.params)
    quotes, speakers = _one(con,
        f"SELECT count(*), count(DISTINCT q.speaker_key) FROM {QUOTES_BARE} WHERE {wq.sql}", wq.params)
    entities, mentions = EQ.entity_totals(con, **entity_scope(f, con).kwargs())
    return {"articles": articles, "undated": undated, "words": int(words), "quotes": quotes,
            "speakers": speakers, "entities": entities, "mentions": mentions}


def date_exclusions(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, int]:
    """How many articles the date filter leaves out, split into undated and out of range."""
    if not f.has_date:
        return {"undated": 0, "out_of_range": 0}
    base = f.without("date_from", "date_to")
    w = where(base, "articles", con=con)
    lo = f.date_from or dt.date.min
    hi = f.date_to or dt.date.max
    undated, outside = _one(con,
        f"SELECT count(*) FILTER (WHERE a.day IS NULL), "
        f"count(*) FILTER (WHERE a.day NOT BETWEEN ? AND ?) FROM articles a WHERE {w.sql}",
        [lo, hi, *w.params])
    return {"undated": undated, "out_of_range": outside}


def speaker_facet(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 12) -> pd.DataFrame:
    """How many quotes each speaker has under the other filters (the speaker filter left out),
    as Datasette shows counts beside a facet's values."""
    w = where(f.without("speakers"), "quotes", con=con)
    return _df(con, f"""
        SELECT q.speaker_key AS speaker, count(*) AS quotes FROM {QUOTES_BARE}
        WHERE {w.sql} AND q.speaker_key IS NOT NULL
        GROUP BY 1 ORDER BY quotes DESC, speaker LIMIT {int(limit)}""", w.params)


def outlet_facet(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 12) -> pd.DataFrame:
    """Articles per outlet under the other filters (the outlet filter left out)."""
    w = where(f.without("outlets"), "articles", con=con)
    return _df(con, f"""
        SELECT a.outlet, count(*) AS articles FROM articles a
        WHERE {w.sql} AND a.outlet IS NOT NULL GROUP BY 1 ORDER BY articles DESC, a.outlet LIMIT {int(limit)}""",
               w.params)


def role_facet(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Quotes per speaker role under the other filters (the role filter left out)."""
    w = where(f.without("role"), "quotes", con=con)
    return _df(con, f"""
        SELECT s.role, count(*) AS quotes FROM {QUOTES_BARE} JOIN speakers_corpus s ON s.speaker_key = q.speaker_key
        WHERE {w.sql} AND s.role IS NOT NULL GROUP BY 1 ORDER BY quotes DESC, s.role""", w.params)


def articles_list(con: duckdb.DuckDBPyConnection, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """The article list: title, author, date (or "undated"), outlet, word count, quotes; newest
    first, at most `limit` rows (the overview's article count says how many there are)."""
    w = where(f, "articles", con=con)
    lim = f"LIMIT {int(limit)}" if limit else ""
    return _df(con, f"""
        WITH shown AS (SELECT * FROM articles a WHERE {w.sql}
                       ORDER BY a.day DESC NULLS LAST, {title_sql()}, a.article_no {lim})
        SELECT a.article_id, {title_sql()} AS title, a.author,
               coalesce(a.date, '{UNDATED}') AS date, a.outlet, a.word_count,
               coalesce(n.quotes, 0) AS quotes, {url_sql()} AS url, regexp_extract(a.source, '([^/\\\\]+)$', 1) AS file
        FROM shown a LEFT JOIN (SELECT article_no, count(*) AS quotes FROM quotes
                                WHERE article_no IN (SELECT article_no FROM shown) GROUP BY 1) n USING (article_no)
        ORDER BY a.day DESC NULLS LAST, {title_sql()}, a.article_no""", w.params)


def articles_count(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    w = where(f, "articles", con=con)
    return int(_one(con, f"SELECT count(*) FROM articles a WHERE {w.sql}", w.params)[0])


GRAINS = ("day", "week", "month", "year")


def _granularity(con: duckdb.DuckDBPyConnection, f: Filters, grain: str | None = None) -> str:
    """The bucket a timeline counts by: the one asked for, else the finest that keeps the bars
    few enough to read (a day up to six weeks, a week up to a year, a month up to five years)."""
    if grain in GRAINS:
        return grain
    w = where(f, "articles", con=con)
    lo, hi = _one(con, f"SELECT min(a.day), max(a.day) FROM articles a WHERE {w.sql}", w.params)
    if lo is None or (hi - lo).days <= 45:
        return "day"
    if (hi - lo).days <= 366:
        return "week"
    if (hi - lo).days <= 5 * 366:
        return "month"
    return "year"


def quotes_over_time(con: duckdb.DuckDBPyConnection, f: Filters,
                     grain: str | None = None) -> tuple[pd.DataFrame, int, str]:
    """Quotes per day, week, month or year (by article date; `grain` None picks one), the
    undated quotes, and the bucket used."""
    grain = _granularity(con, f, grain)
    w = where(f, "quotes", con=con)
    # Distinct speakers per period in two steps (period × speaker, then per period): DuckDB's
    # count(DISTINCT) is several times slower over a million quotes.
    # The undated quotes are the bucket without a period: one pass over the quotes for both.
    df = _df(con, f"""
        WITH per AS (SELECT date_trunc('{grain}', a.day) AS period, q.speaker_key, count(*) AS n
                     FROM {QUOTES_BARE} WHERE {w.sql} GROUP BY 1, 2)
        SELECT period, sum(n)::BIGINT AS quotes, count(speaker_key) AS speakers
        FROM per GROUP BY period ORDER BY period NULLS LAST""", w.params)
    df, count = _split_undated(df, "quotes")
    return df, count, grain


def _split_undated(df: pd.DataFrame, count: str) -> tuple[pd.DataFrame, int]:
    """A timeline's rows without a period (undated articles, counted in the same pass) taken
    out, and their `count` summed: what the chart cannot place, said beside it."""
    none = df["period"].isna()
    return df[~none].reset_index(drop=True), int(df.loc[none, count].sum())


def top_speakers(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 15) -> pd.DataFrame:
    w = where(f, "quotes", con=con)
    return _df(con, f"""
        WITH per AS ({_per_speaker_article(w)})
        SELECT p.speaker_key AS speaker, sum(p.n)::BIGINT AS quotes, count(*) AS articles,
               any_value(s.role) AS role, any_value(s.description) AS description
        FROM per p LEFT JOIN speakers_corpus s ON s.speaker_key = p.speaker_key
        GROUP BY p.speaker_key ORDER BY quotes DESC, speaker LIMIT {int(limit)}""", w.params)


def top_entities(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 15) -> pd.DataFrame:
    df = EQ.entity_counts(con, **entity_scope(f, con).kwargs(), limit=limit)
    return df.rename(columns={"entity_label": "type"})[["entity", "type", "mentions", "articles"]]


def articles_by_outlet(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    w = where(f, "articles", con=con)
    return _df(con, f"""
        SELECT coalesce(a.outlet, 'unknown outlet') AS outlet, count(*) AS articles,
               (a.outlet IS NULL) AS unknown
        FROM articles a WHERE {w.sql} GROUP BY a.outlet ORDER BY articles DESC, outlet""", w.params)


# ---------------------------------------------------------------------------------------------
# Quotes

def quotes_table(con: duckdb.DuckDBPyConnection, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """The quotes view: one row per quote with its attribution and article, newest first.

    A page lists the first `limit` rows (at 100,000 articles an unfiltered view holds over a
    million quotes, which no one reads in a table and which take seconds to move); `quotes_count`
    says how many there are, and the download asks again without a limit.
    """
    w = where(f, "quotes", con=con)
    # The rows are chosen on keys alone and only those are read in full (late materialisation):
    # sorting a million quote texts to keep a thousand costs more than the whole page.
    return _df(con, f"""
        WITH chosen AS MATERIALIZED ({newest_first(f"SELECT q.quote_no, a.day FROM {QUOTES_BARE} WHERE {w.sql}", limit)})
        SELECT q.text AS quote, coalesce(q.speaker_key, '{UNATTRIBUTED}') AS speaker, s.role, q.cue, q.kind,
               {title_sql()} AS article, a.outlet, coalesce(a.date, '{UNDATED}') AS date, {url_sql()} AS url,
               q.speaker_description AS description, q.article_id, q.start, q."end",
               q.article_id || ':' || q.start AS quote_id
        FROM chosen c JOIN quotes q ON q.quote_no = c.quote_no JOIN articles a ON a.article_no = q.article_no
             LEFT JOIN speakers_corpus s ON s.speaker_key = q.speaker_key
        ORDER BY c.day DESC NULLS LAST, c.quote_no""", w.params)


def newest_first(rows: str, limit: int | None) -> str:
    """The `quote_no, day` rows of the SELECT `rows`, newest first (undated last, then by
    quote), at most `limit`. With a limit, the rows of the days that hold the newest `limit` are
    found first from the count per day, and only those are sorted: keeping the newest thousand of
    176,000 statements or 1.3 million quotes by a top-n over all of them cost 0.02-0.05 s at
    100,000 articles (its sort keys are built for every row)."""
    if not limit:
        return f"SELECT quote_no, day FROM ({rows}) ORDER BY day DESC NULLS LAST, quote_no"
    return f"""
        WITH candidates AS MATERIALIZED ({rows}),
        days AS (SELECT day, count(*) AS n FROM candidates WHERE day IS NOT NULL GROUP BY day),
        cut AS (SELECT max(day) AS day FROM (SELECT day, sum(n) OVER (ORDER BY day DESC) AS newer FROM days)
                WHERE newer >= {int(limit)})
        SELECT c.quote_no, c.day FROM candidates c, cut
        WHERE cut.day IS NULL OR c.day >= cut.day
        ORDER BY c.day DESC NULLS LAST, c.quote_no LIMIT {int(limit)}"""


def quotes_count(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    w = where(f, "quotes", con=con)
    return int(_one(con, f"SELECT count(*) FROM {QUOTES_BARE} WHERE {w.sql}", w.params)[0])


def quote_position(con: duckdb.DuckDBPyConnection, f: Filters, quote_id: str, limit: int) -> int | None:
    """Where the quote `article_id:start` stands in `quotes_table(f, limit)`, or None when the
    filters leave it out or it is beyond the rows listed: a shared link reopens that row."""
    article_id, _, start = quote_id.rpartition(":")
    if not article_id or not start.isdigit():
        return None
    w = where(f, "quotes", con=con)
    row = con.execute(f"""
        WITH ranked AS (SELECT q.article_id, q.start,
                               row_number() OVER (ORDER BY a.day DESC NULLS LAST, q.quote_no) - 1 AS pos
                        FROM {QUOTES_BARE} WHERE {w.sql})
        SELECT pos FROM ranked WHERE article_id = ? AND start = ?""", [*w.params, article_id, int(start)]).fetchone()
    return int(row[0]) if row is not None and row[0] < limit else None


# ---------------------------------------------------------------------------------------------
# Speakers

def speaker_profile(con: duckdb.DuckDBPyConnection, speaker: str) -> dict | None:
    row = con.execute("SELECT * FROM speakers_corpus WHERE speaker_key = ?", [speaker]).df()
    if row.empty:
        return None
    out = row.iloc[0].to_dict()
    descs = con.execute(
        "SELECT speaker_description, count(*) AS n FROM quotes WHERE speaker_key = ? AND speaker_description IS NOT NULL "
        "GROUP BY 1 ORDER BY n DESC", [speaker]).fetchall()
    out["descriptions"] = [d[0] for d in descs]
    # From the speaker x article counts (one row per speaker and article, corrections included).
    out["quote_count"], out["article_count"] = _one(
        con, "SELECT coalesce(sum(n), 0)::BIGINT, count(DISTINCT article_no) FROM speaker_articles WHERE speaker_key = ?",
        [speaker])
    return out


def speaker_forms(con: duckdb.DuckDBPyConnection, speaker: str) -> list[str]:
    """The names the articles use for a speaker (what a split can take out), most quoted first."""
    return [r[0] for r in con.execute(
        "SELECT speaker FROM quotes WHERE speaker_key = ? AND speaker IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1",
        [speaker]).fetchall()]


def entity_forms(con: duckdb.DuckDBPyConnection, entity: str) -> list[str]:
    """An entity's spellings in the articles (what a split can take out), most frequent first."""
    row = con.execute("SELECT forms FROM entity_index WHERE entity = ?", [entity]).fetchone()
    return list(row[0]) if row and row[0] is not None else []


def speaker_timeline(con: duckdb.DuckDBPyConnection, f: Filters, speaker: str,
                     grain: str | None = None) -> tuple[pd.DataFrame, int, str]:
    return quotes_over_time(con, replace(f, speakers=(speaker,)), grain)


def speaker_topics(con: duckdb.DuckDBPyConnection, f: Filters, speaker: str, limit: int = 15) -> pd.DataFrame:
    """What a speaker is quoted about: entities (not dates or numbers) named inside their quotes or
    in the quote's sentence, by the number of quotes naming them; never the speaker themself,
    under their speaker name or the entity they are linked to ("Hillary Rodham Clinton" is the
    entity "Hillary Clinton")."""
    w = where(replace(f, speakers=(speaker,)), "quotes", con=con)
    # Counted per entity number, the names looked up for the counts only; every quote is the
    # speaker's, so the speaker's own names are two values, not a join per quote.
    return _df(con, f"""
        WITH c AS (SELECT qe.entity_no, count(*) AS quotes FROM quote_entities qe
                   WHERE qe.quote_no IN (SELECT q.quote_no FROM {_quotes_from(w)} WHERE {w.sql}) GROUP BY 1)
        SELECT i.entity, i.entity_label AS type, c.quotes
        FROM c JOIN entity_index i ON i.entity_no = c.entity_no
        WHERE NOT i.numeric AND i.entity <> ?
          AND NOT EXISTS (SELECT 1 FROM speakers_corpus s WHERE s.speaker_key = ? AND s.entity = i.entity)
        ORDER BY c.quotes DESC, i.entity LIMIT {int(limit)}""", [*w.params, speaker, speaker])


def co_speakers(con: duckdb.DuckDBPyConnection, f: Filters, speaker: str, limit: int = 15) -> pd.DataFrame:
    """Who appears with a speaker: other speakers quoted in the same articles."""
    w = where(f.without("speakers"), "quotes", con=con)
    return _df(con, f"""
        WITH per AS ({_per_speaker_article(w, " AND q.speaker_key <> ? AND q.article_no IN "
                                              "(SELECT article_no FROM speaker_articles WHERE speaker_key = ?)")})
        SELECT p.speaker_key AS speaker, any_value(s.role) AS role,
               count(*) AS shared_articles, sum(p.n)::BIGINT AS their_quotes
        FROM per p LEFT JOIN speakers_corpus s ON s.speaker_key = p.speaker_key
        GROUP BY p.speaker_key ORDER BY shared_articles DESC, their_quotes DESC, speaker LIMIT {int(limit)}""",
               [*w.params, speaker, speaker])


def speakers_table(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    w = where(f, "quotes", con=con)
    return _df(con, f"""
        WITH per AS ({_per_speaker_article(w)})
        SELECT p.speaker_key AS speaker, any_value(s.description) AS description, any_value(s.role) AS role,
               any_value(s.side) AS side, sum(p.n)::BIGINT AS quotes, count(*) AS articles
        FROM per p LEFT JOIN speakers_corpus s ON s.speaker_key = p.speaker_key
        GROUP BY p.speaker_key ORDER BY quotes DESC, speaker""", w.params)


# ---------------------------------------------------------------------------------------------
# Entities

def entity_type_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    scope = entity_scope(f, con)
    if not f.entity_type:  # every type, dates and numbers included: this chart is where one picks them
        scope.labels = None
    df = EQ.entity_label_counts(con, **scope.kwargs(), with_articles=False)
    return df.rename(columns={"entity_label": "type"})[["type", "mentions", "entities"]]


def entity_timeline(con: duckdb.DuckDBPyConnection, f: Filters, top: int = 6,
                    grain: str | None = None) -> tuple[pd.DataFrame, int, str]:
    """Mentions over time of the `top` most mentioned entities (dated articles only), and the
    mentions of those entities in undated articles, which the chart cannot place."""
    grain = _granularity(con, f, grain)
    scope = entity_scope(f, con)
    names = list(EQ.entity_counts(con, **scope.kwargs(), limit=top)["entity"])
    if not names:
        return pd.DataFrame(columns=["period", "entity", "mentions"]), 0, grain
    df, undated = _split_undated(EQ.entity_timeline(con, names, **scope.kwargs(), period=grain, undated=True),
                                 "mentions")
    df["period"] = pd.to_datetime(df["period"])
    return df[["period", "entity", "mentions"]], undated, grain


def entity_pairs(con: duckdb.DuckDBPyConnection, f: Filters, top: int = 12) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The `top` entities (most mentioned first) and, for every two of them, how many sentences
    name both: the cells of a matrix that reads the strongest pairs at a glance."""
    scope = entity_scope(f, con)
    nodes = EQ.entity_counts(con, **scope.kwargs(), limit=top).rename(columns={"entity_label": "type"})
    nodes = nodes[["entity", "type", "mentions"]]
    if nodes.empty:
        return nodes, pd.DataFrame(columns=["source", "target", "sentences"])
    pairs = EQ.cooccurrence(con, **scope.kwargs(), among=list(nodes["entity"]), limit=None)
    pairs = pairs.rename(columns={"count": "sentences"})[["source", "target", "sentences"]]
    return nodes, pairs.sort_values(["sentences", "source", "target"], ascending=[False, True, True],
                                    ignore_index=True)


def entities_table(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 500) -> pd.DataFrame:
    """The entity table: mentions and articles in the filtered view, and how the corpus writes it."""
    df = EQ.entity_counts(con, **entity_scope(f, con).kwargs(), limit=limit)
    df["forms"] = df["forms"].apply(lambda v: list(v) if v is not None and len(v) else [])
    return df.rename(columns={"entity_label": "type"})[["entity", "type", "mentions", "articles", "forms"]]


# ---------------------------------------------------------------------------------------------
# Outlets side by side

def outlet_roles(con: duckdb.DuckDBPyConnection, f: Filters, outlets: int = 8) -> pd.DataFrame:
    """For the outlets with most quotes (or those of the outlet filter): quotes by source role,
    and each role's share of the outlet's quotes."""
    w = where(f, "quotes", con=con)
    return _df(con, f"""
        WITH per AS (SELECT a.outlet, coalesce(s.role, 'unknown') AS role, count(*) AS quotes
                     FROM {QUOTES_BARE} LEFT JOIN speakers_corpus s ON s.speaker_key = q.speaker_key
                     WHERE {w.sql} AND a.outlet IS NOT NULL GROUP BY 1, 2),
             top AS (SELECT outlet FROM per GROUP BY outlet ORDER BY sum(quotes) DESC, outlet LIMIT {int(outlets)})
        SELECT outlet, role, quotes::BIGINT AS quotes,
               quotes / sum(quotes) OVER (PARTITION BY outlet) AS share
        FROM per WHERE outlet IN (SELECT outlet FROM top) ORDER BY outlet, quotes DESC, role""", w.params)


def outlet_speakers(con: duckdb.DuckDBPyConnection, f: Filters, outlets: int = 8, per_outlet: int = 10) -> pd.DataFrame:
    """Each outlet's most quoted speakers (its top `per_outlet`), with their role."""
    w = where(f, "quotes", con=con)
    return _df(con, f"""
        WITH per AS (SELECT a.outlet, q.speaker_key AS speaker, count(*) AS quotes
                     FROM {QUOTES_BARE} WHERE {w.sql} AND a.outlet IS NOT NULL AND q.speaker_key IS NOT NULL
                     GROUP BY 1, 2),
             top AS (SELECT outlet FROM per GROUP BY outlet ORDER BY sum(quotes) DESC, outlet LIMIT {int(outlets)}),
             ranked AS (SELECT *, row_number() OVER (PARTITION BY outlet ORDER BY quotes DESC, speaker) AS rank
                        FROM per WHERE outlet IN (SELECT outlet FROM top))
        SELECT r.outlet, r.rank, r.speaker, s.role, r.quotes
        FROM ranked r LEFT JOIN speakers_corpus s ON s.speaker_key = r.speaker
        WHERE r.rank <= {int(per_outlet)} ORDER BY r.outlet, r.rank""", w.params)


def outlet_stances(con: duckdb.DuckDBPyConnection, f: Filters, outlets: int = 8) -> pd.DataFrame:
    """Each outlet's statements by stance (from the opinion step), and each stance's share."""
    if "stance" not in table_columns(con, "opinions"):
        return pd.DataFrame(columns=["outlet", "stance", "statements", "share"])
    w = where(f, "quotes", quotes="o", con=con)
    return _df(con, f"""
        WITH per AS (SELECT a.outlet, coalesce(o.stance, 'neutral') AS stance, count(*) AS statements
                     FROM opinions o JOIN articles a ON a.article_no = o.article_no
                     WHERE {w.sql} AND a.outlet IS NOT NULL GROUP BY 1, 2),
             top AS (SELECT outlet FROM per GROUP BY outlet ORDER BY sum(statements) DESC, outlet LIMIT {int(outlets)})
        SELECT outlet, stance, statements::BIGINT AS statements,
               statements / sum(statements) OVER (PARTITION BY outlet) AS share
        FROM per WHERE outlet IN (SELECT outlet FROM top) ORDER BY outlet, statements DESC, stance""", w.params)


# Article reader

def article_meta(con: duckdb.DuckDBPyConnection, article_id: str) -> dict | None:
    """An article's fields for the reader; `file` is its file's base name (never the server's path)."""
    df = _df(con, f"""SELECT * EXCLUDE (source, title, url), {title_sql('articles')} AS title,
                             {url_sql('articles')} AS url,
                             regexp_extract(source, '([^/\\\\]+)$', 1) AS file
                      FROM articles WHERE article_id = ?""", [article_id])
    return None if df.empty else df.iloc[0].to_dict()


def article_quotes(con: duckdb.DuckDBPyConnection, article_id: str) -> pd.DataFrame:
    return _df(con, f"""
        SELECT q.text AS quote, coalesce(q.speaker_key, q.speaker, '{UNATTRIBUTED}') AS speaker, s.role, q.cue, q.kind,
               q.speaker_mention AS mention, q.start, q."end"
        FROM quotes q LEFT JOIN speakers_corpus s ON s.speaker_key = q.speaker_key
        WHERE q.article_id = ? ORDER BY q.start""", [article_id])


def article_entities(con: duckdb.DuckDBPyConnection, article_id: str) -> pd.DataFrame:
    return _df(con, """
        SELECT e.start, e."end", e.text, coalesce(e.entity, e.canonical) AS entity,
               coalesce(e.entity_label, e.label) AS type
        FROM entities e WHERE e.article_id = ? ORDER BY e.start""", [article_id])


