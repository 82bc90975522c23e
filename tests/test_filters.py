"""The analyst's filters alone (`analysis.filters`): every filter and every combination of them
selects what it says, at the article and the quote level, with every value bound as a parameter.

A tiny corpus written here (four articles, six quotes) is filtered twice: by the SQL of `where`
and by a plain Python reading of what each filter means; the two must agree.
"""
from __future__ import annotations

import datetime as dt
import itertools

import duckdb
import pandas as pd
import pytest

from analysis import indexes
from analysis.filters import Filters, entity_scope, period_range, unknown_values, where

ARTICLES = [  # article_id, date, outlet, title
    ("a1", "2019-10-05", "Reuters", "Talks in Stockholm"),
    ("a2", "2019-10-08", "AP", "Talks break down"),
    ("a3", None, "Reuters", "An undated analysis"),
    ("a4", "2019-02-28", "O'Hara & Sons <News>", "Hanoi summit ends early"),
]
QUOTES = [  # article_id, start, text, speaker_key
    ("a1", 10, "the talks were good", "Morgan Ortagus"),
    ("a1", 50, "North Korea is buying time", "Vipin Narang"),
    ("a2", 10, "the talks broke down", "Kim Myong Gil"),
    ("a3", 10, "they are stalling for concessions", "Vipin Narang"),
    ("a4", 10, "sometimes you have to walk", "Donald Trump"),
    ("a4", 60, "an unattributed remark about time", None),
]
ENTITIES = [  # article_id, start, sentence, entity: a1's second quote is in sentence 1
    ("a1", 60, 1, "North Korea"), ("a1", 0, 0, "Stockholm"), ("a2", 200, 5, "North Korea"),
    ("a4", 12, 0, "Hanoi"),
]
ROLES = {"Morgan Ortagus": "official", "Vipin Narang": "expert", "Kim Myong Gil": "official",
         "Donald Trump": "politician"}

# One value per filter, chosen to be awkward in SQL text: quotes, a semicolon, brackets.
VALUES = {
    "speakers": ("Vipin Narang",),
    "date_from": dt.date(2019, 10, 5),  # a1's date: both bounds are inclusive
    "date_to": dt.date(2019, 10, 5),
    "outlets": ("Reuters", "O'Hara & Sons <News>"),
    "article": "a1",
    "role": "official",
    "q": "time",
    "entities": ("North Korea",),
    "said": "talks",
}
INJECTED = {"speakers": ("x'); DROP TABLE quotes; --",), "outlets": ("'; SELECT 1; --",),
            "article": "a1' OR '1'='1", "role": "official' OR 1=1 --", "q": "time' OR '1'='1",
            "entities": ("North Korea' OR '1'='1",), "said": "talks' OR '1'='1"}


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    arts = pd.DataFrame(ARTICLES, columns=["article_id", "date", "outlet", "title"])
    arts["source"] = arts["article_id"] + ".txt"
    quotes = pd.DataFrame([dict(article_id=a, start=s, end=s + len(t), text=t, speaker=k, speaker_key=k,
                                sentence=s // 40) for a, s, t, k in QUOTES])
    mentions = pd.DataFrame([dict(article_id=a, start=s, end=s + len(e), text=e, label="GPE", canonical=e, entity=e,
                                  entity_label="GPE", sentence=n) for a, s, n, e in ENTITIES])
    c.register("_a", arts)
    c.register("_q", quotes)
    c.execute("CREATE TABLE articles AS SELECT * FROM _a")
    c.execute("CREATE TABLE quotes AS SELECT * FROM _q")
    c.register("_e", mentions)
    c.execute("CREATE TABLE entities AS SELECT * FROM _e")
    c.register("_r", pd.DataFrame(list(ROLES.items()), columns=["speaker_key", "role"]))
    c.execute("CREATE TABLE speakers_corpus AS SELECT * FROM _r")
    indexes.number_rows(c)
    indexes.build(c)
    return c


def _words_in(q: str, text: str) -> bool:
    return all(w in text.lower() for w in q.lower().split())


def _article_passes(f: Filters, article_id: str, date: str | None, outlet: str) -> bool:
    day = dt.date.fromisoformat(date) if date else None
    if f.has_date and (day is None or (f.date_from and day < f.date_from) or (f.date_to and day > f.date_to)):
        return False
    return not ((f.outlets and outlet not in f.outlets) or (f.article and article_id != f.article))


def _speaker_passes(f: Filters, speaker: str | None) -> bool:
    return (not f.speakers or speaker in f.speakers) and (not f.role or ROLES.get(speaker or "") == f.role)


def _names(article_id: str, sentence: int | None = None) -> set[str]:
    return {e for a, _, n, e in ENTITIES if a == article_id and (sentence is None or n == sentence)}


def expected_quotes(f: Filters) -> set[tuple[str, int]]:
    """What each filter means, read directly off the lists above: a quote passes when its article
    does, its speaker does, and every searched word is in the quote and its speaker, or in the
    title of its article."""
    arts = {a: (d, o, t) for a, d, o, t in ARTICLES}
    out = set()
    for a, start, text, k in QUOTES:
        date, outlet, title = arts[a]
        if not (_article_passes(f, a, date, outlet) and _speaker_passes(f, k)):
            continue
        if f.q and not (_words_in(f.q, f"{text} {k or ''}") or _words_in(f.q, title)):
            continue
        if f.said and not _words_in(f.said, text):
            continue
        if not set(f.entities) <= _names(a, start // 40):
            continue
        out.add((a, start))
    return out


def expected_articles(f: Filters) -> set[str]:
    """An article passes on its own fields, on one speaker it quotes who passes the speaker and
    role filters, and on a searched title or one quote holding every word."""
    keep = set()
    for a, date, outlet, title in ARTICLES:
        quotes = [(text, k) for qa, _, text, k in QUOTES if qa == a]
        if not _article_passes(f, a, date, outlet):
            continue
        if (f.speakers or f.role) and not any(k and _speaker_passes(f, k) for _, k in quotes):
            continue
        if f.q and not (_words_in(f.q, title) or any(_words_in(f.q, f"{t} {k or ''}") for t, k in quotes)):
            continue
        if f.said and not any(_words_in(f.said, t) for t, _ in quotes):
            continue
        if not set(f.entities) <= _names(a):
            continue
        keep.add(a)
    return keep


def combinations():
    names = list(VALUES)
    for n in range(len(names) + 1):
        for chosen in itertools.combinations(names, n):
            yield Filters(**{k: VALUES[k] for k in chosen})


ALL = list(combinations())


def test_every_combination_is_tried():
    assert len(ALL) == 2 ** len(VALUES) == 512


@pytest.mark.parametrize("f", ALL, ids=lambda f: f.describe() or "none")
def test_quote_level_selects_what_the_filters_say(con, f):
    w = where(f, "quotes")
    got = set(con.execute(f"SELECT q.article_id, q.start FROM quotes q JOIN articles a ON a.article_no = q.article_no "
                          f"WHERE {w.sql}", w.params).fetchall())
    assert got == expected_quotes(f)


@pytest.mark.parametrize("f", ALL, ids=lambda f: f.describe() or "none")
def test_article_level_selects_what_the_filters_say(con, f):
    w = where(f, "articles")
    got = {r[0] for r in con.execute(f"SELECT a.article_id FROM articles a WHERE {w.sql}", w.params).fetchall()}
    assert got == expected_articles(f)


@pytest.mark.parametrize("level", ["articles", "quotes"])
@pytest.mark.parametrize("f", ALL, ids=lambda f: f.describe() or "none")
def test_values_are_bound_never_pasted(f, level):
    w = where(f, level)
    assert w.sql.count("?") == len(w.params)
    for value in (VALUES[k] for k in VALUES if getattr(f, k) not in (None, (), "")):
        for v in (value if isinstance(value, tuple) else (value,)):
            if isinstance(v, str):
                assert v not in w.sql


@pytest.mark.parametrize("level", ["articles", "quotes"])
def test_hostile_values_select_nothing_and_break_nothing(con, level):
    for name, value in INJECTED.items():
        w = where(Filters(**{name: value}), level)
        table = "quotes q JOIN articles a ON a.article_no = q.article_no" if level == "quotes" else "articles a"
        assert con.execute(f"SELECT count(*) FROM {table} WHERE {w.sql}", w.params).fetchone()[0] == 0, name
    assert con.execute("SELECT count(*) FROM quotes").fetchone()[0] == len(QUOTES)


def test_no_filter_is_true_and_an_unknown_level_is_refused():
    assert where(Filters(), "quotes").sql == "TRUE" and where(Filters(), "articles").params == []
    with pytest.raises(ValueError):
        where(Filters(), "entities")


def test_undated_articles_are_left_out_by_any_date_bound(con):
    for f in (Filters(date_from=dt.date(1900, 1, 1)), Filters(date_to=dt.date(2100, 1, 1))):
        assert "a3" not in expected_articles(f)
        w = where(f, "articles")
        got = {r[0] for r in con.execute(f"SELECT a.article_id FROM articles a WHERE {w.sql}", w.params).fetchall()}
        assert got == {"a1", "a2", "a4"}


def test_entity_scope_keeps_the_search_and_type_apart():
    scope = entity_scope(Filters(outlets=("AP",), q="talks", entity_type="PERSON"))
    assert scope.labels == ("PERSON",) and scope.q == "talks"
    assert scope.where is not None and "search" not in scope.where and scope.where_params == ["AP"]
    assert entity_scope(Filters()).where is None


def test_describe_reads_as_words():
    f = Filters(speakers=("Vipin Narang", "Mintaro Oba"), date_from=dt.date(2019, 10, 1),
                date_to=dt.date(2019, 10, 31), outlets=("Reuters",), role="expert", q='"buying time"')
    assert f.describe() == ("by Vipin Narang or Mintaro Oba; speakers with the role expert; dated 2019-10-01 to "
                            "2019-10-31; from Reuters; matching “\"buying time\"”")
    assert Filters(date_from=dt.date(2019, 10, 8), date_to=dt.date(2019, 10, 8)).describe() == "dated 2019-10-08"
    assert Filters(article="a1").describe("Talks in Stockholm") == "in the article “Talks in Stockholm”"
    assert Filters().describe() == "" and not Filters().active and Filters(q="x").active
    assert Filters(entities=("North Korea", "China"), said="buying time").describe() == \
        "articles naming North Korea and China; quotes saying “buying time”"


def test_the_quote_search_never_matches_the_speaker_or_the_title(con):
    for word, level in (("narang", "quotes"), ("hanoi", "quotes"), ("narang", "articles")):
        w = where(Filters(said=word), level)
        table = "quotes q JOIN articles a ON a.article_no = q.article_no" if level == "quotes" else "articles a"
        assert con.execute(f"SELECT count(*) FROM {table} WHERE {w.sql}", w.params).fetchone()[0] == 0
    w = where(Filters(q="narang"), "quotes")
    assert con.execute(f"SELECT count(*) FROM quotes q JOIN articles a ON a.article_no = q.article_no WHERE {w.sql}",
                       w.params).fetchone()[0] == 2


def test_period_range_and_unknown_values():
    assert period_range("2019-10-08", "day") == (dt.date(2019, 10, 8), dt.date(2019, 10, 8))
    assert period_range("2019-10-07", "week") == (dt.date(2019, 10, 7), dt.date(2019, 10, 13))
    assert period_range("2019-02-01", "month") == (dt.date(2019, 2, 1), dt.date(2019, 2, 28))
    assert period_range("2019-01-01", "year") == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    assert unknown_values(["Vipin Narang", "Nobody"], ["Vipin Narang"]) == ["Nobody"]
