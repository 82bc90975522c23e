"""Every question the dashboard asks of the corpus, as SQL over the `analysis.corpus` snapshot.

The pages only lay out what these functions return, so that each number on screen has one
definition here that a test can check without a browser. Every query takes a DuckDB connection
and a `Filters`; the one WHERE builder (`where`) turns the analyst's filters into SQL for the
level a view works at (articles or quotes; the entity views pass it on through `entity_scope`
to `analysis.entity_queries`), so that the same filter means the same thing on every page.
No Streamlit here: the app caches these results keyed on the filters.

What a filter means at each level:

* speaker / role: quotes by those speakers (or by speakers with that role); at the article and
  entity levels, the articles in which such a quote appears;
* date: articles dated within the range; undated articles are left out by any date filter and
  `date_exclusions` says how many;
* outlet, article: the articles' own fields;
* entity type: entity mentions of that type (entity views only: every article has entities);
* text search `q`: case-insensitive substring of the quote, the speaker or the article title
  (at the article level, of any of its quotes, speakers or its title, found through the word
  index of `analysis.indexes`); at the entity level also of the entity's name.
"""
from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import duckdb
import pandas as pd

from analysis import entity_queries as EQ
from analysis import indexes
from analysis.store import table_columns

log = logging.getLogger(__name__)

UNDATED = "undated"


# ---------------------------------------------------------------------------------------------
# Filters

@dataclass(frozen=True)
class Filters:
    """The analyst's global filters. Frozen and made of tuples so it can be a cache key."""

    speakers: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    outlets: tuple[str, ...] = ()
    article: str | None = None
    entity_type: str | None = None
    role: str | None = None
    q: str = ""

    @property
    def has_date(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    def without(self, *names: str) -> "Filters":
        """The same filters with some cleared: e.g. a speaker's profile ignores the speaker filter."""
        defaults = Filters()
        return replace(self, **{n: getattr(defaults, n) for n in names})


@dataclass
class Where:
    sql: str = "TRUE"
    params: list = field(default_factory=list)


def _in(column: str, values: Sequence[str], params: list) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join('?' for _ in values)})"


def where(f: Filters, level: str, quotes: str = "q", con: duckdb.DuckDBPyConnection | None = None) -> Where:
    """The WHERE clause for `f` at `level`: "articles" (alias a) or "quotes" (q, a).

    Quote level expects `quotes q JOIN articles a` (or, with `quotes="o"`, the opinions, which
    carry the quote's `quote_no` and `speaker_key`); article level expects `articles a`. With
    `con`, a text search is matched once per connection and reused (`indexes.search_units`).
    The entity views take the article-level clause without the text search
    and the entity type, which `entity_scope` hands to `analysis.entity_queries` apart.
    """
    if level not in {"articles", "quotes"}:
        raise ValueError(f"unknown filter level {level!r}")
    conds: list[str] = []
    params: list = []
    # Article fields.
    if f.date_from is not None:
        conds.append("a.day >= ?")
        params.append(f.date_from)
    if f.date_to is not None:
        conds.append("a.day <= ?")
        params.append(f.date_to)
    if f.outlets:
        conds.append(_in("a.outlet", f.outlets, params))
    if f.article:
        conds.append("a.article_id = ?")
        params.append(f.article)
    # Speakers and roles: the quote itself, or an article quoting them.
    speaker_conds: list[str] = []
    speaker_params: list = []
    qa = quotes if level == "quotes" else "q2"
    if f.speakers:
        speaker_conds.append(_in(f"{qa}.speaker_key", f.speakers, speaker_params))
    if f.role:
        speaker_conds.append(f"{qa}.speaker_key IN (SELECT speaker_key FROM speakers_corpus WHERE role = ?)")
        speaker_params.append(f.role)
    if speaker_conds:
        if level == "quotes":
            conds.extend(speaker_conds)
        else:  # articles quoting them, from the speaker × article table (no scan of every quote)
            conds.append("a.article_no IN (SELECT q2.article_no FROM speaker_articles q2 WHERE "
                         + " AND ".join(speaker_conds) + ")")
        params.extend(speaker_params)
    if f.q.strip():
        if level == "quotes":  # the quote, its speaker or its article's title: through the word index
            sql, qp = indexes.quote_matches(f.q, quote=quotes, con=con)
            conds.append(sql)
            params += qp
        else:  # the article's title, quotes or speakers: through the word index
            sql, qp = indexes.matching_articles(f.q, con)
            conds.append(f"a.article_no IN ({sql})")
            params += qp
    return Where(" AND ".join(conds) if conds else "TRUE", params)


@dataclass
class EntityScope:
    """The keyword arguments of `analysis.entity_queries` that stand for the analyst's filters."""

    where: str | None
    where_params: list
    labels: tuple[str, ...] | None
    q: str

    def kwargs(self) -> dict:
        return {"where": self.where, "where_params": self.where_params, "labels": self.labels, "q": self.q}


def entity_scope(f: Filters) -> EntityScope:
    """The filters for the entity views: article filters, the entity type (by default the named
    types: dates and numbers are not who or what the news is about) and the text search, which
    also matches entity names."""
    w = where(f.without("q", "entity_type"), "articles")
    labels = (f.entity_type,) if f.entity_type else EQ.NAME_LABELS
    return EntityScope(None if w.sql == "TRUE" else w.sql, w.params, labels, f.q.strip())


QUOTES_BARE = "quotes q JOIN articles a ON a.article_no = q.article_no"
# Quotes per speaker and article under a quote-level WHERE: the first step of counting quotes and
# distinct articles per speaker (cheaper than count(DISTINCT) over every quote).
_PER_SPEAKER_ARTICLE = ("SELECT q.speaker_key, q.article_no, count(*) AS n FROM " + QUOTES_BARE
                        + " WHERE {where} AND q.speaker_key IS NOT NULL GROUP BY 1, 2")


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: Iterable = ()) -> pd.DataFrame:
    return con.execute(sql, list(params)).df()


# ---------------------------------------------------------------------------------------------
# Opening the corpus

@dataclass
class Corpus:
    """A connection plus what was missing while opening it (shown as a notice, never a crash)."""

    con: duckdb.DuckDBPyConnection
    notices: list[str] = field(default_factory=list)


def open_connection(store) -> Corpus:
    """The corpus-level snapshot (`analysis.corpus.open_corpus`), or the bare store snapshot
    completed with plain defaults when the corpus step is unavailable or fails.

    Why a fallback: the corpus step depends on several extractor modules and analyst files, and
    one broken piece must not take the whole dashboard down; articles and quotes still show.
    """
    notices: list[str] = []
    try:
        from analysis.corpus import open_corpus

        con = open_corpus(store)
    except Exception as exc:
        log.exception("corpus-level analysis failed; using the plain store snapshot")
        notices.append(f"Corpus-level analysis (speaker names across articles, roles, opinion groups) "
                       f"is unavailable: {type(exc).__name__}: {exc}")
        con = store.connect()
    complete_schema(con)
    return Corpus(con, notices)


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(table_columns(con, table))


def complete_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Add the derived columns the queries use when the corpus step did not provide them."""
    ent = table_columns(con, "entities")
    if "entity" not in ent:
        con.execute("ALTER TABLE entities ADD COLUMN entity VARCHAR")
        con.execute("UPDATE entities SET entity = canonical")
    if "entity_label" not in ent:
        con.execute("ALTER TABLE entities ADD COLUMN entity_label VARCHAR")
        con.execute("UPDATE entities SET entity_label = label")
    if "speaker_key" not in table_columns(con, "quotes"):
        con.execute("ALTER TABLE quotes ADD COLUMN speaker_key VARCHAR")
        con.execute("UPDATE quotes SET speaker_key = speaker")
    sc = table_columns(con, "speakers_corpus")
    if not sc:
        con.execute("""
            CREATE TABLE speakers_corpus AS
            SELECT q.speaker_key, mode(q.speaker_label) AS label,
                   max(q.speaker_description) AS description,
                   CAST(NULL AS VARCHAR) AS role, CAST(NULL AS VARCHAR) AS side,
                   CAST(NULL AS VARCHAR) AS role_evidence, CAST(NULL AS VARCHAR) AS entity,
                   count(*) AS quote_count, count(DISTINCT q.article_id) AS article_count
            FROM quotes q WHERE q.speaker_key IS NOT NULL GROUP BY q.speaker_key""")
    else:
        for col in ("label", "description", "role", "side", "role_evidence", "entity"):
            if col not in sc:
                con.execute(f"ALTER TABLE speakers_corpus ADD COLUMN {col} VARCHAR")
    if not indexes.has_indexes(con):
        indexes.build(con)


def has_opinions(con: duckdb.DuckDBPyConnection) -> bool:
    return {"quote_no", "group_label", "stance"} <= table_columns(con, "opinions")


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
    articles = con.execute(
        "SELECT article_id, coalesce(title, source) AS title, date FROM articles ORDER BY date DESC NULLS LAST, title").df()
    lo, hi, undated = con.execute(
        "SELECT min(day), max(day), "
        "count(*) FILTER (WHERE day IS NULL) FROM articles").fetchone()
    return {"speakers": speakers, "outlets": outlets, "roles": roles, "entity_types": types,
            "articles": dict(zip(articles["article_id"], articles["title"], strict=True)),
            "date_min": lo, "date_max": hi, "undated": int(undated or 0)}


def unknown_values(requested: Iterable[str], known: Iterable[str]) -> list[str]:
    """Values asked for (in a shared link, say) that the corpus lacks: shown as a notice."""
    known_set = set(known)
    return [v for v in requested if v not in known_set]


# ---------------------------------------------------------------------------------------------
# Overview

def overview_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, int]:
    wa, wq = where(f, "articles", con=con), where(f, "quotes", con=con)
    articles, undated, words = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE a.date IS NULL), coalesce(sum(a.word_count), 0) "
        f"FROM articles a WHERE {wa.sql}", wa.params).fetchone()
    quotes, speakers = con.execute(
        f"SELECT count(*), count(DISTINCT q.speaker_key) FROM {QUOTES_BARE} WHERE {wq.sql}", wq.params).fetchone()
    entities, mentions = EQ.entity_totals(con, **entity_scope(f).kwargs())
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
    undated, outside = con.execute(
        f"SELECT count(*) FILTER (WHERE a.day IS NULL), "
        f"count(*) FILTER (WHERE a.day NOT BETWEEN ? AND ?) FROM articles a WHERE {w.sql}",
        [lo, hi, *w.params]).fetchone()
    return {"undated": undated, "out_of_range": outside}


def articles_list(con: duckdb.DuckDBPyConnection, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """The article list: title, author, date (or "undated"), outlet, word count, quotes; newest
    first, at most `limit` rows (the overview's article count says how many there are)."""
    w = where(f, "articles", con=con)
    lim = f"LIMIT {int(limit)}" if limit else ""
    return _df(con, f"""
        WITH shown AS (SELECT * FROM articles a WHERE {w.sql}
                       ORDER BY a.day DESC NULLS LAST, coalesce(a.title, a.source), a.article_no {lim})
        SELECT a.article_id, coalesce(a.title, a.source) AS title, a.author,
               coalesce(a.date, '{UNDATED}') AS date, a.outlet, a.word_count,
               coalesce(n.quotes, 0) AS quotes, a.url, a.source
        FROM shown a LEFT JOIN (SELECT article_id, count(*) AS quotes FROM quotes
                                WHERE article_id IN (SELECT article_id FROM shown) GROUP BY 1) n USING (article_id)
        ORDER BY a.day DESC NULLS LAST, coalesce(a.title, a.source), a.article_no""", w.params)


def articles_count(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    w = where(f, "articles", con=con)
    return int(con.execute(f"SELECT count(*) FROM articles a WHERE {w.sql}", w.params).fetchone()[0])


def _granularity(con: duckdb.DuckDBPyConnection, f: Filters) -> str:
    w = where(f, "articles", con=con)
    lo, hi = con.execute(f"SELECT min(a.day), max(a.day) "
                         f"FROM articles a WHERE {w.sql}", w.params).fetchone()
    if lo is None or (hi - lo).days <= 120:
        return "day"
    if (hi - lo).days <= 3 * 365:
        return "month"
    return "year"


def quotes_over_time(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[pd.DataFrame, int, str]:
    """Quotes per day/month/year (by article date), the undated quotes, and the bucket size."""
    grain = _granularity(con, f)
    w = where(f, "quotes", con=con)
    # Distinct speakers per period in two steps (period × speaker, then per period): DuckDB's
    # count(DISTINCT) is several times slower over a million quotes.
    df = _df(con, f"""
        WITH per AS (SELECT date_trunc('{grain}', a.day) AS period, q.speaker_key, count(*) AS n
                     FROM {QUOTES_BARE} WHERE {w.sql} AND a.day IS NOT NULL GROUP BY 1, 2)
        SELECT period, sum(n)::BIGINT AS quotes, count(speaker_key) AS speakers
        FROM per GROUP BY period ORDER BY period""", w.params)
    undated = con.execute(f"SELECT count(*) FROM {QUOTES_BARE} WHERE {w.sql} AND a.day IS NULL",
                          w.params).fetchone()[0]
    return df, undated, grain


def period_range(period: dt.date | str, grain: str) -> tuple[dt.date, dt.date]:
    """The dates a clicked timeline bucket covers: what a click on a bar sets the date filter to."""
    start = pd.Timestamp(period).date()
    if grain == "day":
        return start, start
    if grain == "month":
        nxt = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        return start, nxt - dt.timedelta(days=1)
    return start.replace(month=1, day=1), start.replace(month=12, day=31)


def top_speakers(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 15) -> pd.DataFrame:
    w = where(f, "quotes", con=con)
    return _df(con, f"""
        WITH per AS ({_PER_SPEAKER_ARTICLE.format(where=w.sql)})
        SELECT p.speaker_key AS speaker, sum(p.n)::BIGINT AS quotes, count(*) AS articles,
               any_value(s.role) AS role, any_value(s.description) AS description
        FROM per p LEFT JOIN speakers_corpus s ON s.speaker_key = p.speaker_key
        GROUP BY p.speaker_key ORDER BY quotes DESC, speaker LIMIT {int(limit)}""", w.params)


def top_entities(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 15) -> pd.DataFrame:
    df = EQ.entity_counts(con, **entity_scope(f).kwargs(), limit=limit)
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
    lim = f"LIMIT {int(limit)}" if limit else ""
    # The rows are chosen on keys alone and only those are read in full (late materialisation):
    # sorting a million quote texts to keep a thousand costs more than the whole page.
    return _df(con, f"""
        WITH chosen AS (SELECT q.quote_no, a.day FROM {QUOTES_BARE} WHERE {w.sql}
                        ORDER BY a.day DESC NULLS LAST, q.quote_no {lim})
        SELECT q.text AS quote, coalesce(q.speaker_key, 'unknown') AS speaker, s.role, coalesce(q.cue, '') AS cue, q.kind,
               coalesce(a.title, a.source) AS article, a.outlet, coalesce(a.date, '{UNDATED}') AS date,
               q.speaker_description AS description, q.article_id, q.start, q."end"
        FROM chosen c JOIN quotes q ON q.quote_no = c.quote_no JOIN articles a ON a.article_no = q.article_no
             LEFT JOIN speakers_corpus s ON s.speaker_key = q.speaker_key
        ORDER BY c.day DESC NULLS LAST, c.quote_no""", w.params)


def quotes_count(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    w = where(f, "quotes", con=con)
    return int(con.execute(f"SELECT count(*) FROM {QUOTES_BARE} WHERE {w.sql}", w.params).fetchone()[0])


def paragraph_around(text: str, start: int, end: int, max_chars: int = 1500) -> tuple[str, int, int]:
    """The paragraph (blank-line or line delimited) holding [start, end), and the span within it."""
    p0 = max(text.rfind("\n", 0, start) + 1, 0)
    p1 = text.find("\n", end)
    p1 = len(text) if p1 == -1 else p1
    if p1 - p0 > max_chars:  # one-paragraph articles: a window around the quote instead
        p0 = max(p0, start - max_chars // 3)
        p1 = min(p1, end + max_chars // 3)
    return text[p0:p1], start - p0, end - p0


def quote_in_paragraph_html(text: str, start: int, end: int, speaker: str | None) -> str:
    """The paragraph with the quote marked; every piece of article text is escaped."""
    para, s, e = paragraph_around(text, start, end)
    title = html.escape(f"quoted: {speaker or 'unknown speaker'}", quote=True)
    return (html.escape(para[:s]) + f'<mark class="quote" title="{title}">' + html.escape(para[s:e])
            + "</mark>" + html.escape(para[e:]))


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
    out["quote_count"] = con.execute("SELECT count(*) FROM quotes WHERE speaker_key = ?", [speaker]).fetchone()[0]
    out["article_count"] = con.execute("SELECT count(DISTINCT article_id) FROM quotes WHERE speaker_key = ?",
                                       [speaker]).fetchone()[0]
    return out


def speaker_timeline(con: duckdb.DuckDBPyConnection, f: Filters, speaker: str) -> tuple[pd.DataFrame, int, str]:
    return quotes_over_time(con, replace(f, speakers=(speaker,)))


def speaker_topics(con: duckdb.DuckDBPyConnection, f: Filters, speaker: str, limit: int = 15) -> pd.DataFrame:
    """What a speaker is quoted about: entities (not dates or numbers) named inside their quotes or
    in the quote's sentence, by the number of quotes naming them; never the speaker themself,
    under their speaker name or the entity they are linked to ("Hillary Rodham Clinton" is the
    entity "Hillary Clinton")."""
    w = where(replace(f, speakers=(speaker,)), "quotes", con=con)
    return _df(con, f"""
        WITH mine AS (SELECT q.quote_no, q.speaker_key FROM {QUOTES_BARE} WHERE {w.sql})
        SELECT i.entity, any_value(i.entity_label) AS type, count(*) AS quotes
        FROM mine m JOIN quote_entities qe ON qe.quote_no = m.quote_no
             JOIN entity_index i ON i.entity_no = qe.entity_no
             LEFT JOIN speakers_corpus s ON s.speaker_key = m.speaker_key
        WHERE NOT i.numeric AND i.entity <> m.speaker_key AND i.entity IS DISTINCT FROM s.entity
        GROUP BY i.entity ORDER BY quotes DESC, i.entity LIMIT {int(limit)}""", w.params)


def co_speakers(con: duckdb.DuckDBPyConnection, f: Filters, speaker: str, limit: int = 15) -> pd.DataFrame:
    """Who appears with a speaker: other speakers quoted in the same articles."""
    w = where(f.without("speakers"), "quotes", con=con)
    return _df(con, f"""
        WITH per AS ({_PER_SPEAKER_ARTICLE.format(where=w.sql + " AND q.speaker_key <> ? AND q.article_no IN "
                                                  "(SELECT article_no FROM speaker_articles WHERE speaker_key = ?)")})
        SELECT p.speaker_key AS speaker, any_value(s.role) AS role,
               count(*) AS shared_articles, sum(p.n)::BIGINT AS their_quotes
        FROM per p LEFT JOIN speakers_corpus s ON s.speaker_key = p.speaker_key
        GROUP BY p.speaker_key ORDER BY shared_articles DESC, their_quotes DESC, speaker LIMIT {int(limit)}""",
               [*w.params, speaker, speaker])


def speakers_table(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    w = where(f, "quotes", con=con)
    return _df(con, f"""
        WITH per AS ({_PER_SPEAKER_ARTICLE.format(where=w.sql)})
        SELECT p.speaker_key AS speaker, any_value(s.description) AS description, any_value(s.role) AS role,
               any_value(s.side) AS side, sum(p.n)::BIGINT AS quotes, count(*) AS articles
        FROM per p LEFT JOIN speakers_corpus s ON s.speaker_key = p.speaker_key
        GROUP BY p.speaker_key ORDER BY quotes DESC, speaker""", w.params)


# ---------------------------------------------------------------------------------------------
# Entities

def entity_type_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    scope = entity_scope(f)
    if not f.entity_type:  # every type, dates and numbers included: this chart is where one picks them
        scope.labels = None
    df = EQ.entity_label_counts(con, **scope.kwargs(), with_articles=False)
    return df.rename(columns={"entity_label": "type"})[["type", "mentions", "entities"]]


def entity_timeline(con: duckdb.DuckDBPyConnection, f: Filters, top: int = 6) -> tuple[pd.DataFrame, int, str]:
    """Mentions over time of the `top` most mentioned entities (dated articles only), and the
    mentions of those entities in undated articles, which the chart cannot place."""
    grain = _granularity(con, f)
    scope = entity_scope(f)
    names = list(EQ.entity_counts(con, **scope.kwargs(), limit=top)["entity"])
    if not names:
        return pd.DataFrame(columns=["period", "entity", "mentions"]), 0, grain
    df = EQ.entity_timeline(con, names, **scope.kwargs(), period=grain)
    undated = EQ.undated_mentions(con, names, **scope.kwargs())
    df["period"] = pd.to_datetime(df["period"])
    return df[["period", "entity", "mentions"]], undated, grain


def entity_cooccurrence(con: duckdb.DuckDBPyConnection, f: Filters, top: int = 25) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes (the `top` entities) and edges (how many sentences name both) for the network."""
    scope = entity_scope(f)
    nodes = EQ.entity_counts(con, **scope.kwargs(), limit=top).rename(columns={"entity_label": "type"})
    nodes = nodes[["entity", "type", "mentions"]]
    if nodes.empty:
        return nodes, pd.DataFrame(columns=["source", "target", "sentences"])
    edges = EQ.cooccurrence(con, **scope.kwargs(), among=list(nodes["entity"]), limit=None)
    return nodes, edges.rename(columns={"count": "sentences"})[["source", "target", "sentences"]]


def circle_layout(names: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Positions on a circle, most mentioned first: stable, and readable up to a few dozen nodes."""
    import math

    n = max(len(names), 1)
    return {name: (math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)) for i, name in enumerate(names)}


def entities_table(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 500) -> pd.DataFrame:
    """The entity table: mentions and articles in the filtered view, and how the corpus writes it."""
    df = EQ.entity_counts(con, **entity_scope(f).kwargs(), limit=limit)
    df["forms"] = df["forms"].apply(lambda v: list(v) if v is not None and len(v) else [])
    return df.rename(columns={"entity_label": "type"})[["entity", "type", "mentions", "articles", "forms"]]


# ---------------------------------------------------------------------------------------------
# Expert opinions

# The opinions carry their quote's keys (`analysis.indexes`), so the views filter and count them
# without joining the quotes; the statement list joins the quotes for the rows it shows.
OPINIONS_FROM = "opinions o JOIN articles a ON a.article_no = o.article_no"


def opinion_groups(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    w = where(f, "quotes", quotes="o", con=con)
    return _df(con, f"""
        WITH per AS (
            SELECT o.group_label, o.speaker_key, count(*) AS n,
                   count(*) FILTER (WHERE o.stance = 'positive') AS positive,
                   count(*) FILTER (WHERE o.stance = 'negative') AS negative
            FROM {OPINIONS_FROM} WHERE {w.sql} GROUP BY 1, 2)
        SELECT group_label AS "group", sum(n)::BIGINT AS statements, count(speaker_key) AS speakers,
               sum(positive)::BIGINT AS positive, sum(negative)::BIGINT AS negative
        FROM per GROUP BY group_label ORDER BY statements DESC, "group" """, w.params)


def opinion_matrix(con: duckdb.DuckDBPyConnection, f: Filters, max_speakers: int = 30,
                   max_groups: int = 30) -> pd.DataFrame:
    """Speaker × group cells: statement count and the dominant stance, for the heatmap; the
    `max_speakers` speakers with most statements and, among their statements, the `max_groups`
    largest groups (a heatmap of hundreds of columns shows nothing)."""
    w = where(f, "quotes", quotes="o", con=con)
    return _df(con, f"""
        WITH cells AS (
            SELECT coalesce(o.speaker_key, 'unknown') AS speaker, o.group_label AS "group",
                   count(*) AS statements, mode(o.stance) AS stance,
                   avg(CASE o.stance WHEN 'positive' THEN 1 WHEN 'negative' THEN -1 ELSE 0 END) AS stance_score
            FROM {OPINIONS_FROM} WHERE {w.sql} GROUP BY 1, 2),
        top AS (SELECT speaker FROM cells GROUP BY speaker ORDER BY sum(statements) DESC, speaker
                LIMIT {int(max_speakers)}),
        top_groups AS (SELECT "group" FROM cells WHERE speaker IN (SELECT speaker FROM top)
                       GROUP BY "group" ORDER BY sum(statements) DESC, "group" LIMIT {int(max_groups)})
        SELECT * FROM cells WHERE speaker IN (SELECT speaker FROM top) AND "group" IN (SELECT "group" FROM top_groups)
        ORDER BY speaker, "group" """, w.params)


def _statement_filter(con, f: Filters, speaker: str | None, group: str | None) -> tuple[str, list]:
    w = where(f, "quotes", quotes="o", con=con)
    extra, params = [], list(w.params)
    if speaker:
        extra.append("coalesce(o.speaker_key, 'unknown') = ?")
        params.append(speaker)
    if group:
        extra.append("o.group_label = ?")
        params.append(group)
    return " AND ".join([w.sql, *extra]), params


def opinion_statements(con: duckdb.DuckDBPyConnection, f: Filters, speaker: str | None = None,
                       group: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """The statements behind the opinion views (of one speaker and group when a cell is picked),
    newest first, at most `limit` of them: see `quotes_table` for why a page lists only the
    first rows and chooses them on keys alone."""
    cond, params = _statement_filter(con, f, speaker, group)
    lim = f"LIMIT {int(limit)}" if limit else ""
    return _df(con, f"""
        WITH chosen AS (SELECT o.quote_no, a.day FROM {OPINIONS_FROM} WHERE {cond}
                        ORDER BY a.day DESC NULLS LAST, o.quote_no {lim})
        SELECT o.group_label AS "group", coalesce(o.speaker_key, 'unknown') AS speaker, s.role, o.stance,
               o.stance_evidence AS evidence, q.text AS quote, coalesce(a.title, a.source) AS article,
               coalesce(a.date, '{UNDATED}') AS date, q.article_id
        FROM chosen c JOIN opinions o ON o.quote_no = c.quote_no JOIN quotes q ON q.quote_no = c.quote_no
             JOIN articles a ON a.article_no = q.article_no LEFT JOIN speakers_corpus s ON s.speaker_key = o.speaker_key
        ORDER BY c.day DESC NULLS LAST, c.quote_no""", params)


def opinion_statement_count(con: duckdb.DuckDBPyConnection, f: Filters, speaker: str | None = None,
                            group: str | None = None) -> int:
    cond, params = _statement_filter(con, f, speaker, group)
    return int(con.execute(f"SELECT count(*) FROM {OPINIONS_FROM} WHERE {cond}", params).fetchone()[0])


# ---------------------------------------------------------------------------------------------
# Article reader

def article_meta(con: duckdb.DuckDBPyConnection, article_id: str) -> dict | None:
    df = _df(con, "SELECT * FROM articles WHERE article_id = ?", [article_id])
    return None if df.empty else df.iloc[0].to_dict()


def article_quotes(con: duckdb.DuckDBPyConnection, article_id: str) -> pd.DataFrame:
    return _df(con, """
        SELECT q.text AS quote, coalesce(q.speaker_key, q.speaker, 'unknown') AS speaker, s.role, q.cue, q.kind,
               q.speaker_mention AS mention, q.start, q."end"
        FROM quotes q LEFT JOIN speakers_corpus s ON s.speaker_key = q.speaker_key
        WHERE q.article_id = ? ORDER BY q.start""", [article_id])


def article_entities(con: duckdb.DuckDBPyConnection, article_id: str) -> pd.DataFrame:
    return _df(con, """
        SELECT e.start, e."end", e.text, coalesce(e.entity, e.canonical) AS entity,
               coalesce(e.entity_label, e.label) AS type
        FROM entities e WHERE e.article_id = ? ORDER BY e.start""", [article_id])


def highlight_html(text: str, entities: pd.DataFrame | Iterable[dict], quotes: pd.DataFrame | Iterable[dict],
                   body_start: int = 0) -> str:
    """The article as HTML with quotes and entities marked; every text piece goes through html.escape.

    Quotes become `<mark class="quote" title="speaker">`, entities `<span class="ent">` with the
    type and canonical name on hover. Spans that overlap a quote boundary are dropped rather
    than nested wrongly; entities inside a quote are nested in it. Paragraphs keep their breaks.
    """
    ents = _records(entities)
    qs = sorted(_records(quotes), key=lambda r: int(r["start"]))
    # Quotes: keep non-overlapping ones.
    kept_q: list[dict] = []
    for q in qs:
        if int(q["start"]) < 0 or int(q["end"]) > len(text) or int(q["end"]) <= int(q["start"]):
            continue
        if kept_q and int(q["start"]) < int(kept_q[-1]["end"]):
            continue
        kept_q.append(q)
    # Entities: drop those crossing a quote boundary or overlapping each other.
    def crosses(e: dict) -> bool:
        s, t = int(e["start"]), int(e["end"])
        return any((s < int(q["start"]) < t) or (s < int(q["end"]) < t) for q in kept_q)
    kept_e: list[dict] = []
    for e in sorted(ents, key=lambda r: int(r["start"])):
        s, t = int(e["start"]), int(e["end"])
        if s < body_start or t > len(text) or t <= s or crosses(e):
            continue
        if kept_e and s < int(kept_e[-1]["end"]):
            continue
        kept_e.append(e)
    events: list[tuple[int, int, str]] = []  # (offset, order, html): closes before opens at one offset
    for q in kept_q:
        who = q.get("speaker") or "unknown speaker"
        title = html.escape(f"{who} ({q.get('kind') or 'quote'}; cue: {q.get('cue') or '-'})", quote=True)
        events.append((int(q["start"]), 2, f'<mark class="quote" title="{title}">'))
        events.append((int(q["end"]), 0, "</mark>"))
    for e in kept_e:
        title = html.escape(f"{e.get('type') or ''}: {e.get('entity') or e.get('text') or ''}", quote=True)
        cls = "ent ent-" + "".join(ch for ch in str(e.get("type") or "x").lower() if ch.isalnum())
        events.append((int(e["start"]), 3, f'<span class="{cls}" title="{title}">'))
        events.append((int(e["end"]), 1, "</span>"))
    events.sort(key=lambda ev: (ev[0], ev[1]))
    out: list[str] = []
    pos = 0
    for off, _, tag in events:
        out.append(_escape_text(text[pos:off]))
        out.append(tag)
        pos = off
    out.append(_escape_text(text[pos:]))
    return "".join(out)


def _escape_text(s: str) -> str:
    return html.escape(s).replace("\n", "<br>\n")


def _records(rows) -> list[dict]:
    if rows is None:
        return []
    if isinstance(rows, pd.DataFrame):
        return rows.to_dict("records")
    return list(rows)


# ---------------------------------------------------------------------------------------------
# Session uploads (the Add page): processed articles kept in the visitor's session only

def uploads_frames(processed: Sequence) -> dict[str, pd.DataFrame]:
    """Tables for a session's processed uploads (`analysis.store.ProcessedArticle` objects)."""
    arts, quotes, ents = [], [], []
    for p in processed:
        a = p.article
        arts.append({"article_id": a.article_id, "title": a.title or a.source, "author": a.author,
                     "date": a.date or UNDATED, "outlet": a.outlet, "word_count": a.word_count,
                     "quotes": len(p.quotes), "entities": len(p.entities), "source": a.source})
        for q in p.quotes:
            quotes.append({"article_id": a.article_id, "quote": q.text, "speaker": q.speaker or "unknown",
                           "cue": q.cue, "kind": q.kind, "start": q.start, "end": q.end,
                           "article": a.title or a.source})
        for e in p.entities:
            ents.append({"article_id": a.article_id, "start": e.start, "end": e.end, "text": e.text,
                         "entity": e.canonical, "type": e.label})
    return {"articles": pd.DataFrame(arts, columns=["article_id", "title", "author", "date", "outlet", "word_count",
                                                    "quotes", "entities", "source"]),
            "quotes": pd.DataFrame(quotes, columns=["article_id", "quote", "speaker", "cue", "kind", "start", "end",
                                                    "article"]),
            "entities": pd.DataFrame(ents, columns=["article_id", "start", "end", "text", "entity", "type"])}


@dataclass
class UploadResult:
    processed: list = field(default_factory=list)  # ProcessedArticle
    problems: list = field(default_factory=list)  # analysis.records.Problem
    duplicates: list = field(default_factory=list)


def process_uploads(files: Sequence[tuple[str, bytes]], pasted: str = "", progress=None, nlp=None,
                    max_bytes: int | None = None) -> UploadResult:
    """Process uploaded files and pasted text for one visitor's session, without touching the store.

    The files go through the same loaders as the CLI (written to a private temporary folder
    under their base names, so a crafted name cannot escape it) and therefore get the same
    per-file problems; then `analysis.pipeline.process_articles` extracts from them.
    """
    import tempfile
    from pathlib import Path

    from analysis.loaders import DEFAULT_MAX_BYTES, load_paths, parse_text_article
    from analysis.pipeline import process_articles

    result = UploadResult()
    articles = []
    with tempfile.TemporaryDirectory(prefix="upload-") as tmp:
        paths = []
        for i, (name, data) in enumerate(files):
            base = Path(name).name or f"upload-{i}"
            folder = Path(tmp) / f"{i:03d}"  # one folder each: two uploads may share a name
            folder.mkdir()
            path = folder / base
            path.write_bytes(data)
            paths.append(path)
        if paths:
            loaded = load_paths(paths, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
            result.problems.extend(loaded.problems)
            result.duplicates.extend(loaded.duplicates)
            prefix = str(Path(tmp)) + "/"
            for a in loaded.articles:  # report the name the visitor knows, not the temp path
                articles.append(replace(a, source=_strip_tmp(a.source, prefix)))
            result.problems = [replace(p, source=_strip_tmp(p.source, prefix)) for p in result.problems]
            result.duplicates = [(_strip_tmp(s, prefix), _strip_tmp(f, prefix)) for s, f in result.duplicates]
    if pasted.strip():
        articles.append(parse_text_article(pasted, "pasted text"))
    seen = set()
    unique = []
    for a in articles:
        if a.article_id in seen:
            result.duplicates.append((a.source, "another article in this upload"))
            continue
        seen.add(a.article_id)
        unique.append(a)
    if progress:
        progress(0, len(unique))
    for i, p in enumerate(process_articles(unique, nlp=nlp), start=1):
        result.processed.append(p)
        if progress:
            progress(i, len(unique))
    return result


def _strip_tmp(source: str, prefix: str) -> str:
    if source.startswith(prefix):
        rest = source[len(prefix):]
        return rest.split("/", 1)[1] if "/" in rest else rest
    return source
