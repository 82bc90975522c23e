"""Entity counts as SQL over the corpus: the numbers behind the entity table, timeline, outlet and
network views, for the dashboard (`analysis.queries`) and for any report.

Every function takes a DuckDB connection holding the corpus tables with the summary tables of
`analysis.indexes` (`entity_index`, `entity_articles`, `entity_pairs`, `articles.article_no`),
and optionally

* `where`, an SQL fragment over the `articles` columns with alias `a` (for example
  `a.date >= ? AND a.outlet = ?`, with `where_params` for its `?` placeholders, as
  `analysis.queries.where` builds it);
* `labels`, the entity types to count (by default the named ones, see `NAME_LABELS`);
* `q`, a text search (`analysis.indexes.Search`: every word, "quoted phrases" as typed):
  mentions of entities whose name matches it, and every mention in an article whose title, a
  quote or a speaker name matches it.

Counting reads the per-article summary, never the 8 million raw mentions of a 100,000-article
corpus, and with no article filter the per-entity totals alone; that is what keeps a filter
change on the entity page within the dashboard's budget (see BENCHMARKS.md). Entity names and
labels are passed as parameters, never pasted into the SQL.

`mentions` counts mentions; `articles` counts distinct articles, the figure to rank by when one
article repeating a name twenty times should not outweigh twenty articles naming it once.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis.indexes import kept, matching_articles, name_matches, sql_key

PERIODS = ("day", "week", "month", "quarter", "year")
# Labels of things with a name. Dates, times and numbers are entities to spaCy but noise in a
# ranking or a network, so the views count these unless asked for `labels=None` (every label).
NAME_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW",
                                "PRODUCT", "WORK_OF_ART", "LANGUAGE")


@dataclass
class _Scope:
    """Which entity × article rows a count covers: the FROM clause and the WHERE body."""

    per_article: bool
    conds: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)

    with_articles: bool = False

    @property
    def from_(self) -> str:
        if not self.per_article:
            return "entity_index i"
        return ("entity_articles ea JOIN entity_index i ON i.entity_no = ea.entity_no"
                + (" JOIN articles a ON a.article_no = ea.article_no" if self.with_articles else ""))

    @property
    def where(self) -> str:
        return " AND ".join(self.conds) if self.conds else "TRUE"


def _scope(con, where: str | None, where_params: Sequence, labels: Sequence[str] | None,
           entities: Sequence[str] | None, q: str = "", *, per_article: bool = False,
           with_articles: bool = False) -> _Scope:
    """The rows to count. Without an article filter or search the per-entity totals answer
    (`per_article` False) unless the caller needs articles (distinct counts); `with_articles`
    joins the article columns as `a` (dates, outlets).

    The article filter is a set of article numbers (`IN (SELECT …)`) rather than a join: DuckDB
    then evaluates the filter (which may hold a speaker subquery) once over the articles and
    probes the summary with integers, three to four times faster than filtering the join.
    """
    q = (q or "").strip()
    s = _Scope(per_article=per_article or with_articles or bool(where) or bool(q), with_articles=with_articles)
    if where and with_articles:  # the articles are joined anyway: filter them there
        s.conds.append(f"({where})")
        s.params.extend(where_params)
    elif where:
        s.conds.append(_in_articles("ea.article_no", where))
        s.params.extend(where_params)
    if labels or entities is not None:
        conds, params = _entity_conditions(labels, entities)
        s.conds.append(conds)
        s.params.extend(params)
    if q:
        sql, params = matching_articles(q, con)
        named = _named(con, q)
        if named:
            s.conds.append(f"(ea.article_no IN ({sql}) OR ea.entity_no IN ({_int_list(named)}))")
        else:  # a plain semi join: no name answers the search
            s.conds.append(f"ea.article_no IN ({sql})")
        s.params += params
    return s


def _named(con, q: str) -> list[int]:
    """The numbers of the entities whose own name answers the search `q` (a few at most): looked
    up once among the entities, so that a count tests each summary row against a list of
    numbers instead of a subquery (which DuckDB joins with every row, OR-ed with the articles)."""
    names, params = name_matches(q, "n.entity")
    return [r[0] for r in con.execute(f"SELECT n.entity_no FROM entity_index n WHERE {names} ORDER BY 1",
                                      params).fetchall()]


def _int_list(numbers: Sequence[int]) -> str:
    """Integers (entity numbers read from the corpus) as an SQL list."""
    return ", ".join(str(int(n)) for n in numbers)


def _per_entity(con, where: str | None, where_params: Sequence, q: str) -> tuple[str, list]:
    """A SELECT (and its parameters) of `entity_no, mentions, articles` per entity (every label) in the articles of
    `where` and the search `q`, for a scope that reads the per-article summary.

    Kept once per connection and scope (`indexes.kept`): a page counts the same scope three to
    five times (the entity page's types, timeline, network and table; the overview's totals and
    top entities), and each count reads the summary rows of every article in scope (about 0.05 s
    under a speaker filter at 100,000 articles)."""
    q = (q or "").strip()
    # The articles in scope, and their entity lists (`indexes.build_entity_lists`): a read of the
    # lists of those articles rather than a test of every summary row (0.04 -> 0.02 s a search
    # at 100,000 articles).
    conds: list[str] = []
    params: list = []
    if where:
        conds.append(_in_articles("l.article_no", where))
        params.extend(where_params)
    hits, hit_params = matching_articles(q, con) if q else ("", [])
    if q:
        conds.append(f"l.article_no IN ({hits})")
        params.extend(hit_params)
    rows = (f"SELECT unnest(l.entity_nos) AS entity_no, unnest(l.mentions) AS mentions FROM entity_lists l "
            f"WHERE {' AND '.join(conds) if conds else 'TRUE'}")
    named = _named(con, q) if q else []
    if named:
        # Apart, the other rows of the entities whose name matches: a few entities' runs of the
        # summary, which is sorted by entity (an OR with the articles tested every row).
        s = _scope(con, where, where_params, None, None, "", per_article=True)
        rows += (f" UNION ALL SELECT ea.entity_no, ea.mentions FROM entity_articles ea WHERE {s.where} "
                 f"AND ea.entity_no IN ({_int_list(named)}) "
                 f"AND ea.article_no NOT IN (SELECT h.article_no FROM ({hits}) h WHERE h.article_no IS NOT NULL)")
        params += [*s.params, *hit_params]
    sql = (f"SELECT r.entity_no, sum(r.mentions)::BIGINT AS mentions, count(*)::BIGINT AS articles "
           f"FROM ({rows}) r GROUP BY 1")
    return kept(con, "entity_counts", sql_key(sql, params), sql, params, "entity_no, mentions, articles")


def _counted(con, where: str | None, where_params: Sequence, q: str, labels: Sequence[str] | None,
             entities: Sequence[str] | None = None) -> tuple[str, list]:
    """A FROM clause over the scope's kept per-entity counts (`_per_entity`, alias `c`) joined to
    `entity_index i` under the label and entity conditions, and its parameters."""
    base, params = _per_entity(con, where, where_params, q)
    conds, cparams = _entity_conditions(labels, entities)
    return f"({base}) c JOIN entity_index i ON i.entity_no = c.entity_no WHERE {conds}", [*params, *cparams]


def _reads_articles(where: str | None, q: str) -> bool:
    """Whether a scope reads the per-article summary (as `_scope` decides without `per_article`)."""
    return bool(where) or bool((q or "").strip())


def _entity_conditions(labels: Sequence[str] | None, entities: Sequence[str] | None) -> tuple[str, list]:
    """The label and entity-name conditions of `_scope` on `entity_index i` alone."""
    conds, params = [], []
    if labels:
        conds.append("list_contains(?, i.entity_label)")
        params.append(list(labels))
    if entities is not None:
        conds.append("list_contains(?, i.entity)")
        params.append(list(entities))
    return (" AND ".join(conds) if conds else "TRUE"), params


def _in_articles(column: str, where: str) -> str:
    """`column` (an article number) is one of the articles `where` keeps."""
    return f"{column} IN (SELECT a.article_no FROM articles a WHERE {where})"


def _run(con, sql: str, params: list) -> pd.DataFrame:
    return con.execute(sql, params).df()


def entity_counts(con, where: str | None = None, where_params: Sequence = (), *, labels: Sequence[str] | None = NAME_LABELS,
                  by: str = "entity", limit: int | None = 100, q: str = "",
                  entities: Sequence[str] | None = None) -> pd.DataFrame:
    """Mentions and articles per entity (or per `group`, which puts demonyms with their country),
    most mentioned first, with `forms`: the entity's most frequent spellings in the corpus."""
    if by not in ("entity", "group"):
        raise ValueError("by must be 'entity' or 'group'")
    lim = f"LIMIT {int(limit)}" if limit else ""
    if by == "entity" and _reads_articles(where, q):
        # Count per entity number first and look the names and forms up for the rows kept:
        # carrying the name and the forms list through the aggregation costs three times more.
        from_, params = _counted(con, where, where_params, q, labels, entities)
        return _run(con, f"""
            SELECT i.entity, i.entity_label, c.mentions, c.articles, i.forms FROM {from_}
            ORDER BY c.mentions DESC, c.articles DESC, i.entity {lim}""", params)
    s = _scope(con, where, where_params, labels, entities, q, per_article=by == "group")
    if by == "group":
        sql = f"""
            SELECT i."group", mode(i.entity_label) AS entity_label, sum(ea.mentions)::BIGINT AS mentions,
                   count(DISTINCT ea.article_no) AS articles
            FROM {s.from_} WHERE {s.where}
            GROUP BY 1 ORDER BY mentions DESC, articles DESC, 1 {lim}"""
    else:
        sql = f"""
            SELECT i.entity, i.entity_label, i.mentions::BIGINT AS mentions, i.articles::BIGINT AS articles, i.forms
            FROM {s.from_} WHERE {s.where}
            ORDER BY mentions DESC, articles DESC, i.entity {lim}"""
    return _run(con, sql, s.params)


def entity_totals(con, where: str | None = None, where_params: Sequence = (), *,
                  labels: Sequence[str] | None = NAME_LABELS, q: str = "") -> tuple[int, int]:
    """(distinct entities, mentions) in scope: the overview's headline figures."""
    if _reads_articles(where, q):  # from the scope's per-entity counts: one row per entity named in it
        from_, params = _counted(con, where, where_params, q, labels)
        row = con.execute(f"SELECT count(*), coalesce(sum(c.mentions), 0) FROM {from_}", params).fetchone()
    else:
        s = _scope(con, where, where_params, labels, None, q)
        row = con.execute(f"SELECT count(*), coalesce(sum(i.mentions), 0) FROM {s.from_} WHERE {s.where}",
                          s.params).fetchone()
    return int(row[0]), int(row[1])


def entity_label_counts(con, where: str | None = None, where_params: Sequence = (), *,
                        labels: Sequence[str] | None = None, q: str = "", with_articles: bool = True) -> pd.DataFrame:
    """Distinct entities, mentions (and, unless `with_articles` is False, articles) per label."""
    if not with_articles and _reads_articles(where, q):  # from the scope's per-entity counts
        from_, params = _counted(con, where, where_params, q, labels)
        return _run(con, f"""
            SELECT i.entity_label, count(*) AS entities, sum(c.mentions)::BIGINT AS mentions FROM {from_}
            GROUP BY 1 ORDER BY mentions DESC, 1""", params)
    s = _scope(con, where, where_params, labels, None, q, per_article=with_articles)
    if s.per_article:
        cols = "count(DISTINCT ea.entity_no) AS entities, sum(ea.mentions)::BIGINT AS mentions"
        if with_articles:
            cols += ", count(DISTINCT ea.article_no) AS articles"
    else:
        cols = "count(*) AS entities, sum(i.mentions)::BIGINT AS mentions"
    sql = f"""
        SELECT i.entity_label, {cols}
        FROM {s.from_} WHERE {s.where}
        GROUP BY 1 ORDER BY mentions DESC, 1
    """
    return _run(con, sql, s.params)


def entity_timeline(con, entities: Sequence[str] | None = None, where: str | None = None,
                    where_params: Sequence = (), *,
                    period: str = "month", labels: Sequence[str] | None = None, q: str = "",
                    undated: bool = False) -> pd.DataFrame:
    """Mentions and articles per entity and period; articles without a date are left out, or
    with `undated` counted in rows whose period is NULL (what `undated_mentions` counts, in the
    same pass over the summary)."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    s = _scope(con, where, where_params, labels, entities, q, with_articles=True)
    sql = f"""
        SELECT date_trunc('{period}', a.day)::DATE AS period, i.entity,
               sum(ea.mentions)::BIGINT AS mentions, count(*) AS articles
        FROM {s.from_}
        WHERE {'TRUE' if undated else 'a.day IS NOT NULL'} AND {s.where}
        GROUP BY 1, 2 ORDER BY 1 NULLS LAST, mentions DESC, 2
    """
    return _run(con, sql, s.params)


def undated_mentions(con, entities: Sequence[str] | None = None, where: str | None = None,
                     where_params: Sequence = (), *, labels: Sequence[str] | None = None, q: str = "") -> int:
    """Mentions in articles without a date, counted on their own: the reference that
    `entity_timeline(undated=True)`'s rows without a period must match (the pages take those)."""
    s = _scope(con, where, where_params, labels, entities, q, with_articles=True)
    row = con.execute(f"SELECT coalesce(sum(ea.mentions), 0) FROM {s.from_} WHERE a.day IS NULL AND {s.where}",
                      s.params).fetchone()
    return int(row[0])


def entity_by_outlet(con, entities: Sequence[str] | None = None, where: str | None = None,
                     where_params: Sequence = (), *, labels: Sequence[str] | None = None) -> pd.DataFrame:
    """Mentions and articles per outlet and entity, with the outlet's article total for shares.

    `where` may only use article columns here (`a.`): the totals count articles, not mentions.
    """
    s = _scope(con, where, where_params, labels, entities, with_articles=True)
    params = [*(list(where_params) if where else []), *s.params]
    sql = f"""
        WITH totals AS (SELECT coalesce(a.outlet, '(unknown)') AS outlet, count(*) AS outlet_articles
                        FROM articles a WHERE {f'({where})' if where else 'TRUE'} GROUP BY 1)
        SELECT coalesce(a.outlet, '(unknown)') AS outlet, i.entity, sum(ea.mentions)::BIGINT AS mentions,
               count(*) AS articles, any_value(t.outlet_articles) AS outlet_articles
        FROM {s.from_} JOIN totals t ON t.outlet = coalesce(a.outlet, '(unknown)')
        WHERE {s.where}
        GROUP BY 1, 2 ORDER BY 1, mentions DESC, 2
    """
    return _run(con, sql, params)


def entity_articles(con, entity: str, where: str | None = None, where_params: Sequence = (), *,
                    limit: int | None = 200) -> pd.DataFrame:
    """The articles that name an entity, most mentions first: the drill-down from any count."""
    params: list = [entity]
    if where:
        params.extend(where_params)
    sql = f"""
        SELECT e.article_id, any_value(a.title) AS title, any_value(a.date) AS date,
               any_value(a.outlet) AS outlet, count(*) AS mentions, min(e.start) AS first_start
        FROM entities e JOIN articles a USING (article_id)
        WHERE e.entity = ? AND {f'({where})' if where else 'TRUE'}
        GROUP BY 1 ORDER BY mentions DESC, date DESC NULLS LAST, 1
        {f'LIMIT {int(limit)}' if limit else ''}
    """
    return _run(con, sql, params)


def cooccurrence(con, where: str | None = None, where_params: Sequence = (), *, scope: str = "sentence",
                 labels: Sequence[str] | None = NAME_LABELS, entity: str | None = None,
                 top_entities: int | None = 200, limit: int | None = 200,
                 min_count: int = 1, q: str = "", among: Sequence[str] | None = None) -> pd.DataFrame:
    """Pairs of entities named in the same sentence (or article), with how many sentences (articles).

    Pairs are unordered (`source` < `target` by name). Only the `top_entities` most-mentioned
    entities (after the filters) take part, which is what a readable network shows anyway;
    `entity` restricts the pairs to one entity's neighbours (and always takes part); `among`
    names the entities to pair instead (the nodes a caller has already counted). Sentence pairs
    come from `entity_pairs`, which holds named (non-numeric) entities only. Both sources have
    one row per pair and article, so `articles` is a plain row count.
    """
    if scope not in ("sentence", "article"):
        raise ValueError("scope must be 'sentence' or 'article'")
    top = list(among) if among is not None else None
    if top is None and top_entities:
        top = list(entity_counts(con, where, where_params, labels=labels, limit=top_entities, q=q)["entity"])
        if entity is not None and entity not in top:
            top.append(entity)
    ids = _entity_numbers(con, top if top is not None else ([entity] if entity is not None else None))
    if ids is not None and not ids:
        return pd.DataFrame(columns=["source", "target", "count", "articles"])
    pairs, conds, params = _pair_rows(ids, top is not None, where, where_params, scope)
    # Sum per pair of entity numbers first and look the names up for the pairs left (0.09 ->
    # 0.03 s for the network of the top twelve at 100,000 articles): the label, entity and name
    # conditions are the pair's own. A search keeps a pair's rows in matching articles, or all
    # its rows when both names match it: both sums are taken, the names choose.
    q = (q or "").strip()
    hit = ""
    if q:
        sql, qp = matching_articles(q, con)
        hit = f", p.article_no IN ({sql}) AS hit"
        params = [*qp, *params]
    rows = (f"SELECT p.source_no, p.target_no, p.article_no, {'p.sentences' if scope == 'sentence' else '1'} AS n{hit} "
            f"FROM {pairs} WHERE {' AND '.join(conds) if conds else 'TRUE'}")
    sums = "sum(r.n) AS n_all, count(*) AS a_all"
    if q:
        sums += ", sum(r.n) FILTER (WHERE r.hit) AS n_hit, count(*) FILTER (WHERE r.hit) AS a_hit"
    outer: list[str] = []
    outer_params: list = []
    if labels:
        outer.append("list_contains(?, i1.entity_label) AND list_contains(?, i2.entity_label)")
        outer_params += [list(labels), list(labels)]
    count, articles = "c.n_all", "c.a_all"
    if q:
        names = [name_matches(q, n) for n in ("i1.entity", "i2.entity")]
        both = " AND ".join(c for c, _ in names)
        name_params = [v for _, ps in names for v in ps]
        count = f"CASE WHEN {both} THEN c.n_all ELSE coalesce(c.n_hit, 0) END"
        articles = f"CASE WHEN {both} THEN c.a_all ELSE c.a_hit END"
        params += name_params * 2  # the two CASEs, in the order they are written
        outer.append(f"(c.a_hit > 0 OR ({both}))")
        outer_params += name_params
    if entity is not None:
        outer.append("(i1.entity = ? OR i2.entity = ?)")
        outer_params += [entity, entity]
    params += [*outer_params, int(min_count)]
    sql = f"""
        WITH c AS (SELECT r.source_no, r.target_no, {sums} FROM ({rows}) r GROUP BY 1, 2),
        named AS (SELECT least(i1.entity, i2.entity) AS source, greatest(i1.entity, i2.entity) AS target,
                         {count} AS n, {articles} AS a
                  FROM c JOIN entity_index i1 ON i1.entity_no = c.source_no
                         JOIN entity_index i2 ON i2.entity_no = c.target_no
                  WHERE {' AND '.join(outer) if outer else 'TRUE'})
        SELECT source, target, sum(n)::BIGINT AS count, sum(a)::BIGINT AS articles
        FROM named GROUP BY 1, 2 HAVING sum(n) >= ?
        ORDER BY count DESC, 1, 2
        {f'LIMIT {int(limit)}' if limit else ''}
    """
    return _run(con, sql, params)


def _pair_rows(ids: list[int] | None, among: bool, where: str | None, where_params: Sequence,
               scope: str) -> tuple[str, list[str], list]:
    """The pair rows `cooccurrence` sums (alias p: source_no, target_no, article_no, and
    sentences for the sentence scope), the conditions on them and their parameters: pairs among
    `ids` (or, `among` False, any pair with one of them), in the articles of `where`."""
    params: list = []
    conds = []
    if where:
        conds.append(_in_articles("p.article_no", where))
        params.extend(where_params)
    if scope == "sentence":
        pairs = "entity_pairs p"
        if ids is not None:
            id_list = ", ".join(str(int(i)) for i in ids)
            if among:
                conds.append(f"p.source_no IN ({id_list}) AND p.target_no IN ({id_list})")
            else:  # one entity's neighbours among all entities
                conds.append(f"(p.source_no IN ({id_list}) OR p.target_no IN ({id_list}))")
    else:
        ids_sql = f"WHERE entity_no IN ({', '.join(str(int(i)) for i in ids)})" if ids is not None else ""
        pairs = (f"(SELECT x.entity_no AS source_no, y.entity_no AS target_no, x.article_no, 1 AS n "
                 f"FROM (SELECT * FROM entity_articles {ids_sql}) x "
                 f"JOIN (SELECT * FROM entity_articles {ids_sql}) y "
                 f"ON x.article_no = y.article_no AND x.entity_no < y.entity_no) p")
    return pairs, conds, params


def _entity_numbers(con, names: Sequence[str] | None) -> list[int] | None:
    if names is None:
        return None
    rows = con.execute("SELECT entity_no FROM entity_index WHERE list_contains(?, entity)", [list(names)]).fetchall()
    return [r[0] for r in rows]
