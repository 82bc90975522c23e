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
