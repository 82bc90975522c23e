"""Entity counts as SQL over the store: the numbers behind the entity table, timeline, outlet and network views.

Every function takes a DuckDB connection holding

* `articles(article_id, date, outlet, title, …)` and
* `entities(<EntityMention columns>, entity, entity_label, "group")` (see `analysis.aliases`),

and an optional `where`, an SQL fragment over the `articles` columns with alias `a` (for example
`a.date >= ? AND a.outlet = ?`, with `where_params` for its `?` placeholders, as
`analysis.queries.where` builds it; a fragment at the entity level may use `e` too). Counting in
DuckDB keeps the views fast at 100,000 articles: nothing here loops over rows in Python.
Entity names and labels are passed as positional parameters, never pasted into the SQL.

`mentions` counts mentions; `articles` counts distinct articles, the figure to rank by when one
article repeating a name twenty times should not outweigh twenty articles naming it once.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

PERIODS = ("day", "week", "month", "quarter", "year")
# Labels of things with a name. Dates, times and numbers are entities to spaCy but noise in a
# ranking or a network, so the views count these unless asked for `labels=None` (every label).
NAME_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW",
                                "PRODUCT", "WORK_OF_ART", "LANGUAGE")


def _filters(where: str | None, where_params: Sequence, labels: Sequence[str] | None,
             entities: Sequence[str] | None, params: list) -> str:
    """The WHERE body; appends its parameters to `params` in the order of their placeholders."""
    clauses = []
    if where:
        clauses.append(f"({where})")
        params.extend(where_params)
    if labels:
        clauses.append("list_contains(?, e.entity_label)")
        params.append(list(labels))
    if entities:
        clauses.append("list_contains(?, e.entity)")
        params.append(list(entities))
    return " AND ".join(clauses) if clauses else "TRUE"


def _run(con, sql: str, params: list) -> pd.DataFrame:
    return con.execute(sql, params).df()


def entity_counts(con, where: str | None = None, where_params: Sequence = (), *, labels: Sequence[str] | None = NAME_LABELS,
                  by: str = "entity", limit: int | None = 100) -> pd.DataFrame:
    """Mentions and articles per entity (or per `group`, which puts demonyms with their country)."""
    if by not in ("entity", "group"):
        raise ValueError("by must be 'entity' or 'group'")
    key = 'e."group"' if by == "group" else "e.entity"
    params: list = []
    sql = f"""
        SELECT {key} AS {'"group"' if by == 'group' else 'entity'},
               mode(e.entity_label) AS entity_label,
               count(*) AS mentions,
               count(DISTINCT e.article_id) AS articles
        FROM entities e JOIN articles a USING (article_id)
        WHERE {_filters(where, where_params, labels, None, params)}
        GROUP BY 1
        ORDER BY mentions DESC, articles DESC, 1
        {f'LIMIT {int(limit)}' if limit else ''}
    """
    return _run(con, sql, params)


def entity_label_counts(con, where: str | None = None, where_params: Sequence = ()) -> pd.DataFrame:
    """Distinct entities, mentions and articles per label: the overview line of the entity page."""
    params: list = []
    sql = f"""
        SELECT e.entity_label, count(DISTINCT e.entity) AS entities, count(*) AS mentions,
               count(DISTINCT e.article_id) AS articles
        FROM entities e JOIN articles a USING (article_id)
        WHERE {_filters(where, where_params, None, None, params)}
        GROUP BY 1 ORDER BY mentions DESC
    """
    return _run(con, sql, params)


def entity_timeline(con, entities: Sequence[str] | None = None, where: str | None = None,
                    where_params: Sequence = (), *,
                    period: str = "month", labels: Sequence[str] | None = None) -> pd.DataFrame:
    """Mentions and articles per entity and period; articles without a date are left out."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    params: list = []
    sql = f"""
        SELECT date_trunc('{period}', TRY_CAST(a.date AS DATE))::DATE AS period, e.entity,
               count(*) AS mentions, count(DISTINCT e.article_id) AS articles
        FROM entities e JOIN articles a USING (article_id)
        WHERE TRY_CAST(a.date AS DATE) IS NOT NULL AND {_filters(where, where_params, labels, entities, params)}
        GROUP BY 1, 2 ORDER BY 1, mentions DESC, 2
    """
    return _run(con, sql, params)


def entity_by_outlet(con, entities: Sequence[str] | None = None, where: str | None = None,
                     where_params: Sequence = (), *, labels: Sequence[str] | None = None) -> pd.DataFrame:
    """Mentions and articles per outlet and entity, with the outlet's article total for shares.

    `where` may only use article columns here (`a.`): the totals count articles, not mentions.
    """
    params: list = list(where_params) if where else []
    sql = f"""
        WITH f AS (SELECT * FROM articles a WHERE {f'({where})' if where else 'TRUE'}),
        totals AS (SELECT coalesce(outlet, '(unknown)') AS outlet, count(*) AS outlet_articles
                   FROM f GROUP BY 1)
        SELECT coalesce(a.outlet, '(unknown)') AS outlet, e.entity, count(*) AS mentions,
               count(DISTINCT e.article_id) AS articles, any_value(t.outlet_articles) AS outlet_articles
        FROM entities e JOIN f a USING (article_id)
             JOIN totals t ON t.outlet = coalesce(a.outlet, '(unknown)')
        WHERE {_filters(None, (), labels, entities, params)}
        GROUP BY 1, 2 ORDER BY 1, mentions DESC, 2
    """
    return _run(con, sql, params)


def entity_articles(con, entity: str, where: str | None = None, where_params: Sequence = (), *,
                    limit: int | None = 200) -> pd.DataFrame:
    """The articles that name an entity, most mentions first: the drill-down from any count."""
    params: list = [entity]
    sql = f"""
        SELECT e.article_id, any_value(a.title) AS title, any_value(a.date) AS date,
               any_value(a.outlet) AS outlet, count(*) AS mentions, min(e.start) AS first_start
        FROM entities e JOIN articles a USING (article_id)
        WHERE e.entity = ? AND {_filters(where, where_params, None, None, params)}
        GROUP BY 1 ORDER BY mentions DESC, date DESC NULLS LAST, 1
        {f'LIMIT {int(limit)}' if limit else ''}
    """
    return _run(con, sql, params)


def cooccurrence(con, where: str | None = None, where_params: Sequence = (), *, scope: str = "sentence",
                 labels: Sequence[str] | None = NAME_LABELS, entity: str | None = None,
                 top_entities: int | None = 200, limit: int | None = 200,
                 min_count: int = 1) -> pd.DataFrame:
    """Pairs of entities named in the same sentence (or article), with how many sentences (articles).

    Pairs are unordered (`source` < `target`). Only the `top_entities` most-mentioned entities
    (after the filters) take part, which bounds the self-join at any corpus size and is what a
    readable network shows anyway; `entity` restricts the pairs to one entity's neighbours.
    """
    if scope not in ("sentence", "article"):
        raise ValueError("scope must be 'sentence' or 'article'")
    params: list = []
    unit = "e.article_id, e.sentence" if scope == "sentence" else "e.article_id"
    unit_cols = "article_id, sentence" if scope == "sentence" else "article_id"
    m_where = _filters(where, where_params, labels, None, params)
    top = f"""
        , top AS (SELECT entity FROM m GROUP BY entity
                  ORDER BY count(*) DESC, entity LIMIT {int(top_entities)})
    """ if top_entities else ""
    in_top = ""
    if top_entities:
        in_top = "AND (entity IN (SELECT entity FROM top)" + (" OR entity = ?)" if entity is not None else ")")
        if entity is not None:
            params.append(entity)
    focus = ""
    if entity is not None:
        focus = "AND (x.entity = ? OR y.entity = ?)"
        params += [entity, entity]
    params.append(int(min_count))
    sql = f"""
        WITH m AS (
            SELECT {unit}, e.entity
            FROM entities e JOIN articles a USING (article_id)
            WHERE {m_where}
        ){top},
        u AS (SELECT DISTINCT {unit_cols}, entity FROM m WHERE TRUE {in_top})
        SELECT x.entity AS source, y.entity AS target, count(*) AS count,
               count(DISTINCT x.article_id) AS articles
        FROM u x JOIN u y USING ({unit_cols})
        WHERE x.entity < y.entity {focus}
        GROUP BY 1, 2
        HAVING count(*) >= ?
        ORDER BY count DESC, 1, 2
        {f'LIMIT {int(limit)}' if limit else ''}
    """
    return _run(con, sql, params)
