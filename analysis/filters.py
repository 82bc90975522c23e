"""The analyst's filters, what they mean in SQL, and how they read in words.

One definition for every page, as datasette keeps its filters apart from its views: a filter
means the same thing whichever page applies it, and a test can check it without a browser.

What a filter means at each level:

* speaker / role: quotes by those speakers (or by speakers with that role); at the article and
  entity levels, the articles in which such a quote appears;
* date: articles dated within the range; undated articles are left out by any date filter
  (`analysis.queries.date_exclusions` says how many);
* outlet, article: the articles' own fields;
* entity: articles that mention every entity picked, and at the quote level the quotes that name
  it (in the quote or its sentence); the entity views then count what those articles mention;
* entity type: entity mentions of that type (entity views only: every article has entities);
* text search `q`: every word in one quote, its speaker or the article title (through the word
  index of `analysis.indexes`); at the entity level also the entity's name;
* quote search `said`: every word in the text of one quote (never the speaker or the title); at
  the article level, the articles with such a quote.

Every value is bound as a parameter: no filter value is ever pasted into the SQL text.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import duckdb
import pandas as pd

from analysis import indexes
from analysis.entity_queries import NAME_LABELS

LEVELS = ("articles", "quotes")


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
    entities: tuple[str, ...] = ()
    said: str = ""

    @property
    def has_date(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    @property
    def active(self) -> bool:
        return self != Filters()

    def without(self, *names: str) -> Filters:
        """The same filters with some cleared: e.g. a speaker's profile ignores the speaker filter."""
        defaults = Filters()
        return replace(self, **{n: getattr(defaults, n) for n in names})

    def describe(self, article_title: str | None = None) -> str:
        """The filters in words, for a page caption: "speaker Vipin Narang; dated 2019-10-01 to
        2019-10-31; search “buying time”". Empty when nothing is set. Values are as typed: escape
        them before Markdown."""
        parts: list[str] = []
        if self.speakers:
            parts.append(("speakers " if len(self.speakers) > 1 else "speaker ") + _join(self.speakers))
        if self.role:
            parts.append(f"role {self.role}")
        if self.has_date:
            parts.append(_describe_dates(self.date_from, self.date_to))
        if self.outlets:
            parts.append(("outlets " if len(self.outlets) > 1 else "outlet ") + _join(self.outlets))
        if self.article:
            parts.append(f"article “{article_title or self.article}”")
        if self.entities:
            parts.append("naming " + " and ".join(self.entities))
        if self.entity_type:
            parts.append(f"entity type {self.entity_type}")
        if self.q.strip():
            parts.append(f"search “{self.q.strip()}”")
        if self.said.strip():
            parts.append(f"said “{self.said.strip()}”")
        return "; ".join(parts)


def _join(values: Sequence[str]) -> str:
    values = list(values)
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def _describe_dates(lo: dt.date | None, hi: dt.date | None) -> str:
    if lo is not None and hi is not None:
        return f"dated {lo.isoformat()}" if lo == hi else f"dated {lo.isoformat()} to {hi.isoformat()}"
    if lo is not None:
        return f"dated from {lo.isoformat()}"
    assert hi is not None
    return f"dated up to {hi.isoformat()}"


@dataclass
class Where:
    """A WHERE clause and its parameters, and which rows its conditions read besides the level's
    own: an article's columns (`a.`: dates, outlet, article, entities, or a speaker or search at
    the article level), or single quotes (a search or an entity at the quote level). A query can
    then leave out a join the conditions do not need, or count from a summary table."""

    sql: str = "TRUE"
    params: list = field(default_factory=list)
    names_articles: bool = False
    names_quotes: bool = False


def _in(column: str, values: Sequence[str], params: list) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join('?' for _ in values)})"


def _article_conditions(f: Filters, conds: list[str], params: list) -> None:
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


def _speaker_conditions(f: Filters, level: str, quotes: str, conds: list[str], params: list) -> None:
    """Speakers and roles: the quote itself, or (article level) an article quoting them, found in
    the speaker × article table rather than by scanning every quote."""
    alias = quotes if level == "quotes" else "q2"
    own: list[str] = []
    if f.speakers:
        own.append(_in(f"{alias}.speaker_key", f.speakers, params))
    if f.role:
        own.append(f"{alias}.speaker_key IN (SELECT speaker_key FROM speakers_corpus WHERE role = ?)")
        params.append(f.role)
    if not own:
        return
    if level == "quotes":
        conds.extend(own)
    else:
        conds.append("a.article_no IN (SELECT q2.article_no FROM speaker_articles q2 WHERE " + " AND ".join(own) + ")")


def _entity_conditions(f: Filters, level: str, quotes: str, con: duckdb.DuckDBPyConnection | None,
                       conds: list[str], params: list) -> None:
    """Each entity picked narrows the view: articles naming all of them (from the per-article
    summary, never the raw mentions), and at the quote level the quotes that name each one."""
    for entity in f.entities:
        conds.append("a.article_no IN (SELECT ea.article_no FROM entity_articles ea "
                     "JOIN entity_index ei ON ei.entity_no = ea.entity_no WHERE ei.entity = ?)")
        params.append(entity)
        if level == "quotes":
            sql = ("SELECT qe.quote_no FROM quote_entities qe "
                   "JOIN entity_index ei ON ei.entity_no = qe.entity_no WHERE ei.entity = ?")
            qp: list = [entity]
            if con is not None:
                # Kept once per connection and entity (`indexes.kept`): the table is sorted by
                # quote, so finding one entity's quotes reads all 3.8 million rows at 100,000
                # articles (~0.01 s), and each quote-level query of a page asked it again.
                sql, qp = indexes.kept(con, "entity_quotes", indexes.sql_key(sql, qp), sql, qp, "quote_no")
            conds.append(f"{quotes}.quote_no IN ({sql})")
            params.extend(qp)


def _search_condition(f: Filters, level: str, quotes: str, con: duckdb.DuckDBPyConnection | None,
                      conds: list[str], params: list) -> None:
    if f.q.strip():
        if level == "quotes":  # the quote, its speaker or its article's title
            sql, qp = indexes.quote_matches(f.q, quote=quotes, con=con)
            conds.append(sql)
        else:  # the article's title, quotes or speakers
            sql, qp = indexes.matching_articles(f.q, con)
            conds.append(f"a.article_no IN ({sql})")
        params.extend(qp)
    if f.said.strip():
        sql, qp = indexes.quote_text_matches(f.said, con)
        column = f"{quotes}.quote_no" if level == "quotes" else "a.article_no"
        conds.append(f"{column} IN (SELECT {'quote_no' if level == 'quotes' else 'article_no'} FROM ({sql}))")
        params.extend(qp)


def where(f: Filters, level: str, quotes: str = "q", con: duckdb.DuckDBPyConnection | None = None) -> Where:
    """The WHERE clause for `f` at `level`: "articles" (alias a) or "quotes" (q, a).

    Quote level expects `quotes q JOIN articles a` (or, with `quotes="o"`, the opinions, which
    carry the quote's `quote_no` and `speaker_key`); article level expects `articles a`. With
    `con`, a text search is matched once per connection and reused (`indexes.search_units`).
    The entity views take the article-level clause without the text search and the entity type,
    which `entity_scope` hands to `analysis.entity_queries` apart.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown filter level {level!r}")
    conds: list[str] = []
    params: list = []
    _article_conditions(f, conds, params)
    names_articles = bool(conds)
    _speaker_conditions(f, level, quotes, conds, params)
    names_articles |= level != "quotes" and bool(f.speakers or f.role)
    _entity_conditions(f, level, quotes, con, conds, params)
    searched = bool(f.q.strip() or f.said.strip())
    _search_condition(f, level, quotes, con, conds, params)
    quote_level = level == "quotes"
    return Where(" AND ".join(conds) if conds else "TRUE", params,
                 names_articles=names_articles or bool(f.entities) or (searched and not quote_level),
                 names_quotes=quote_level and (bool(f.entities) or searched))


@dataclass
class EntityScope:
    """The keyword arguments of `analysis.entity_queries` that stand for the analyst's filters."""

    where: str | None
    where_params: list
    labels: tuple[str, ...] | None
    q: str

    def kwargs(self) -> dict:
        return {"where": self.where, "where_params": self.where_params, "labels": self.labels, "q": self.q}


def entity_scope(f: Filters, con: duckdb.DuckDBPyConnection | None = None) -> EntityScope:
    """The filters for the entity views: article filters, the entity type (by default the named
    types: dates and numbers are not who or what the news is about) and the text search, which
    also matches entity names. The quote search (`said`) keeps the articles with such a quote
    (matched once per connection when `con` is given)."""
    w = where(f.without("q", "entity_type"), "articles", con=con)
    labels = (f.entity_type,) if f.entity_type else NAME_LABELS
    return EntityScope(None if w.sql == "TRUE" else w.sql, w.params, labels, f.q.strip())


def unknown_values(requested: Iterable[str], known: Iterable[str]) -> list[str]:
    """Values asked for (in a shared link, say) that the corpus lacks: shown as a notice."""
    known_set = set(known)
    return [v for v in requested if v not in known_set]


def period_range(period: dt.date | str, grain: str) -> tuple[dt.date, dt.date]:
    """The dates a clicked timeline bucket covers: what a click on a bar sets the date filter to."""
    start = pd.Timestamp(period).date()
    if grain == "day":
        return start, start
    if grain == "week":
        return start, start + dt.timedelta(days=6)
    if grain == "month":
        nxt = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        return start, nxt - dt.timedelta(days=1)
    return start.replace(month=1, day=1), start.replace(month=12, day=31)
