"""Entity counts, timelines, outlets and co-occurrence (`analysis.entity_queries`) on the seeds."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from analysis import entity_queries as q
from analysis import indexes
from analysis.store import SCHEMAS
from tests.entity_cases import WRITTEN


@pytest.fixture(scope="module")
def con(seeds, corpus):
    articles = pd.DataFrame([dict(article_id=a.article_id, date=a.date, outlet=a.outlet, title=a.title)
                             for a, _ in seeds]
                            + [dict(article_id=WRITTEN.article_id, date="2019-10-07", outlet="written",
                                    title="written")])
    c = duckdb.connect()
    c.register("_articles", articles)
    c.register("_entities", corpus)
    c.execute("CREATE TABLE articles AS SELECT * FROM _articles")
    c.execute("CREATE TABLE entities AS SELECT * FROM _entities")
    c.register("_quotes", SCHEMAS["quotes"].empty_table())  # no quotes here, but the store's table
    c.execute("CREATE TABLE quotes AS SELECT *, speaker AS speaker_key FROM _quotes")
    indexes.number_rows(c)
    indexes.build(c)  # the summary tables the counts read, as the corpus step builds them
    return c


def test_entity_counts(con):
    top = q.entity_counts(con, limit=5).set_index("entity")
    assert top.loc["North Korea", "articles"] == 4
    assert top.loc["Donald Trump", "entity_label"] == "PERSON"
    assert not q.entity_counts(con, labels=None, limit=None).empty
    assert set(q.entity_counts(con, labels=["PERSON"]).entity_label) == {"PERSON"}
    groups = q.entity_counts(con, by="group", labels=["GPE", "NORP"], limit=None).set_index("group")
    assert groups.loc["North Korea", "mentions"] == (
        q.entity_counts(con, labels=["GPE", "NORP"], limit=None).set_index("entity")
        .loc[["North Korea", "North Korean"], "mentions"].sum())


def test_entity_counts_where(con):
    only = q.entity_counts(con, where="a.outlet = 'written'", limit=None)
    assert set(only.entity) == {"Donald Trump", "White House", "North Korea"}
    # Placeholders in the fragment come before the function's own parameters.
    dated = q.entity_counts(con, "TRY_CAST(a.date AS DATE) >= ?", ["2019-10-07"], labels=["PERSON"], limit=None)
    assert "Donald Trump" in set(dated.entity) and set(dated.entity_label) == {"PERSON"}
    pairs = q.cooccurrence(con, "a.outlet = ?", ["written"], scope="article", entity="Donald Trump", limit=None)
    assert set(pairs.source) | set(pairs.target) == {"Donald Trump", "White House", "North Korea"}
    assert q.entity_by_outlet(con, ["North Korea"], "a.outlet = ?", ["written"]).articles.sum() == 1
    assert len(q.entity_articles(con, "North Korea", "coalesce(a.outlet, '') <> ?", ["written"])) == 3


def test_entity_timeline_and_outlet(con):
    tl = q.entity_timeline(con, ["Donald Trump"], period="month")
    assert not tl.empty and set(tl.entity) == {"Donald Trump"}
    assert tl.mentions.sum() <= con.execute("SELECT count(*) FROM entities WHERE entity='Donald Trump'").fetchone()[0]
    by_outlet = q.entity_by_outlet(con, ["North Korea"])
    assert by_outlet.articles.sum() == 4
    assert (by_outlet.outlet_articles >= by_outlet.articles).all()


def test_entity_articles(con):
    arts = q.entity_articles(con, "Vipin Narang")
    assert len(arts) == 1 and arts.mentions.iloc[0] == 2


def test_cooccurrence(con):
    pairs = q.cooccurrence(con, scope="sentence", limit=None)
    assert (pairs.source < pairs.target).all()
    assert not pairs[pairs.source.str.contains("couple")].shape[0]  # dates are not in the network
    narang = q.cooccurrence(con, scope="article", entity="Vipin Narang", labels=["PERSON", "GPE"], limit=None)
    assert set(narang.source).union(narang.target) >= {"Vipin Narang", "Mintaro Oba", "North Korea"}
    by_article = q.cooccurrence(con, scope="article", limit=None).set_index(["source", "target"])
    assert by_article.loc[("Donald Trump", "North Korea"), "count"] == 4


def test_kept_per_entity_counts_agree_with_a_recount_of_the_mentions(con):
    # The per-entity counts of one scope are kept once per connection and shared by the entity
    # page's views: first use, reuse and a fresh count from the raw mentions all agree.
    indexes.clear_search_cache(con)
    where, params = "coalesce(a.outlet, '') <> ?", ["written"]
    recount = con.execute("""
        SELECT e.entity, e.entity_label, count(*) AS mentions, count(DISTINCT e.article_id) AS articles
        FROM entities e JOIN articles a USING (article_id)
        WHERE e.entity IS NOT NULL AND coalesce(a.outlet, '') <> ? GROUP BY ALL""", params).df()
    named = recount[recount.entity_label.isin(q.NAME_LABELS)]
    kept = "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'kept_result_%'"
    first = q.entity_counts(con, where, params, limit=None)
    assert con.execute(kept).fetchone()[0] == 1
    again = q.entity_counts(con, where, params, limit=None)
    assert first.equals(again)
    got = first.set_index("entity")[["mentions", "articles"]].sort_index()
    want = named.set_index("entity")[["mentions", "articles"]].sort_index()
    assert got.astype(int).equals(want.astype(int))
    assert q.entity_totals(con, where, params) == (len(named), int(named.mentions.sum()))
    labels = q.entity_label_counts(con, where, params, with_articles=False).set_index("entity_label")
    by_label = recount.groupby("entity_label").agg(entities=("entity", "count"), mentions=("mentions", "sum"))
    assert labels[["entities", "mentions"]].astype(int).sort_index().equals(by_label.astype(int).sort_index())
    assert con.execute(kept).fetchone()[0] == 1  # one scope, one kept count
    only = q.entity_counts(con, where, params, labels=["PERSON"], entities=["Donald Trump"], limit=None)
    assert list(only.entity) == ["Donald Trump"]
    indexes.clear_search_cache(con)
    assert con.execute(kept).fetchone()[0] == 0
    assert q.entity_counts(con, where, params, limit=None).equals(first)


@pytest.mark.parametrize("search", ["", "Trump", "summit sequel", "korea", "\"north korea\""])
def test_cooccurrence_under_a_search_agrees_with_a_recount_of_each_pair_row(con, search):
    # The pairs are summed per entity number before their names are looked up; a search keeps a
    # pair's rows in matching articles, or every row when both names match it. The same counts
    # taken row by row, with the search's condition on each row:
    where, wparams = "coalesce(a.outlet, '') <> ?", ["written"]
    got = q.cooccurrence(con, where, wparams, labels=q.NAME_LABELS, q=search, top_entities=None, limit=None)
    arts, aparams = indexes.matching_articles(search)
    names = [indexes.name_matches(search, n) for n in ("i1.entity", "i2.entity")]
    row_cond = (f"(p.article_no IN ({arts}) OR ({names[0][0]} AND {names[1][0]}))" if search.strip() else "TRUE")
    want = con.execute(f"""
        SELECT least(i1.entity, i2.entity) AS source, greatest(i1.entity, i2.entity) AS target,
               sum(p.sentences)::BIGINT AS count, count(*) AS articles
        FROM entity_pairs p JOIN entity_index i1 ON i1.entity_no = p.source_no
             JOIN entity_index i2 ON i2.entity_no = p.target_no
        WHERE p.article_no IN (SELECT a.article_no FROM articles a WHERE {where})
          AND list_contains(?, i1.entity_label) AND list_contains(?, i2.entity_label) AND {row_cond}
        GROUP BY 1, 2 ORDER BY count DESC, 1, 2""",
        [*wparams, list(q.NAME_LABELS), list(q.NAME_LABELS),
         *((aparams + names[0][1] + names[1][1]) if search.strip() else [])]).df()
    assert len(want) > 0
    assert got[["source", "target", "count", "articles"]].astype(str).values.tolist() == \
        want.astype(str).values.tolist()


@pytest.mark.parametrize("search", ["Trump", "korea", "summit sequel", '"white house"'])
def test_entity_counts_under_a_search_agree_with_a_row_by_row_count(con, search):
    # A search keeps the mentions in matching articles and every mention of an entity whose own
    # name matches: the names are matched once among the entities, the same as row by row.
    indexes.clear_search_cache(con)
    got = q.entity_counts(con, q=search, limit=None)
    arts, aparams = indexes.matching_articles(search)
    names, nparams = indexes.name_matches(search, "i.entity")
    want = con.execute(f"""
        SELECT i.entity, sum(ea.mentions)::BIGINT AS mentions, count(*) AS articles
        FROM entity_articles ea JOIN entity_index i ON i.entity_no = ea.entity_no
        WHERE list_contains(?, i.entity_label) AND (ea.article_no IN ({arts}) OR {names})
        GROUP BY 1 ORDER BY mentions DESC, articles DESC, 1""", [list(q.NAME_LABELS), *aparams, *nparams]).df()
    assert len(want) > 0
    assert got[["entity", "mentions", "articles"]].astype(str).values.tolist() == want.astype(str).values.tolist()
    totals = q.entity_totals(con, q=search)
    assert totals == (len(want), int(want.mentions.sum()))
