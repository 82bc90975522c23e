"""The summary tables and word index of `analysis.indexes` against the raw tables they summarise.

The dashboard counts entities from per-article summaries and finds search matches through a word
index; these tests recount the same figures the slow way (every mention, `ILIKE` over every
quote) on the seed corpus and require the same answer for each filter an analyst can set.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from analysis import indexes
from analysis import opinion_queries as OQ
from analysis import queries as Q
from analysis.corpus import complete_schema, open_connection
from analysis.filters import Filters, where
from analysis.pipeline import ingest
from analysis.store import Store

from .conftest import SEEDS

NUMERIC = str(tuple(indexes.NUMERIC_LABELS))  # SQL list of the date and number labels


@pytest.fixture(scope="module")
def con(tmp_path_factory, nlp):
    store = Store(tmp_path_factory.mktemp("indexes") / "store")
    ingest([SEEDS], store)
    corpus = open_connection(store)
    assert not corpus.notices
    return corpus.con


def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _ilike_articles(con, q: str) -> set[int]:
    """Articles whose title, a quote or a speaker name contains `q`, the way the views used to
    find them: a case-insensitive substring over every row."""
    pat = _like(q)
    rows = con.execute("""
        SELECT a.article_no FROM articles a WHERE a.title ILIKE ? ESCAPE '\\'
        UNION SELECT a.article_no FROM articles a JOIN quotes q USING (article_id)
        WHERE q.text ILIKE ? ESCAPE '\\' OR q.speaker_key ILIKE ? ESCAPE '\\'""", [pat, pat, pat]).fetchall()
    return {r[0] for r in rows}


def _indexed_articles(con, q: str) -> set[int]:
    sql, params = indexes.matching_articles(q)
    return {r[0] for r in con.execute(sql, params).fetchall()}


@pytest.mark.parametrize("q", ["Narang", "narang", "NARANG", "arang", "Pyongyang", "Stockholm", "talks",
                               "U.S.", "“", "100%", "_", "zzzz-not-there", "Kim", "Easley"])
def test_one_word_search_finds_what_ilike_finds(con, q):
    assert _indexed_articles(con, q) == _ilike_articles(con, q)


@pytest.mark.parametrize("q", ["Vipin Narang", "buying time", "North Korea", "the talks", "the United States"])
def test_phrase_search_finds_at_least_what_ilike_finds(con, q):
    # Several words: all of them in one title or quote. In double quotes: as typed, though a
    # line break or double space between the words still matches, which ILIKE would miss.
    for typed in (q, f'"{q}"'):
        found, reference = _indexed_articles(con, typed), _ilike_articles(con, q)
        assert found >= reference and found


def test_words_in_any_order_phrases_in_order(con):
    assert _indexed_articles(con, "Narang Vipin") == _indexed_articles(con, "Vipin Narang") != set()
    assert _indexed_articles(con, '"Narang Vipin"') == set()
    assert _indexed_articles(con, '"vipin   NARANG"') == _indexed_articles(con, '"Vipin Narang"') != set()
    assert _indexed_articles(con, '"Vipin Narang" zzzz-not-there') == set()
    assert _indexed_articles(con, "   ") == _indexed_articles(con, '""') == set()
    assert _indexed_articles(con, '"Narang') == _indexed_articles(con, "Narang")  # a stray quote is ignored


def test_search_words_and_phrases_are_parsed():
    s = indexes.parse_search('Kim "white  House" kim')
    assert s.words == ("kim", "white", "house") and s.phrases == (("white", "house"),)


def _reference_counts(con, f: Filters) -> dict[str, tuple[int, int]]:
    """Mentions and articles per entity from every raw mention, for the filters `f`."""
    w = where(f.without("q", "entity_type"), "articles")
    conds, params = [w.sql], list(w.params)
    if f.entity_type:
        conds.append("e.entity_label = ?")
        params.append(f.entity_type)
    else:
        conds.append(f"e.entity_label NOT IN {NUMERIC}")
    if f.q:  # one word, or one quoted phrase: what ILIKE can check
        text = f.q.strip('"')
        matched = sorted(_ilike_articles(con, text))
        conds.append("(e.entity ILIKE ? OR list_contains(?, a.article_no))")
        params += [_like(text), matched]
    rows = con.execute(f"""
        SELECT e.entity, count(*), count(DISTINCT e.article_id)
        FROM entities e JOIN articles a USING (article_id)
        WHERE e.entity IS NOT NULL AND {' AND '.join(conds)} GROUP BY 1""", params).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


FILTERS = [
    Filters(),
    Filters(entity_type="PERSON"),
    Filters(speakers=("Vipin Narang",)),
    Filters(date_from=dt.date(2019, 10, 1), date_to=dt.date(2019, 10, 31)),
    Filters(q="Easley"),
    Filters(q='"north korea"', entity_type="GPE"),
]


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: ",".join(k for k, v in vars(f).items() if v) or "none")
def test_entity_table_counts_every_mention(con, f):
    table = Q.entities_table(con, f, limit=10_000)
    got = {r.entity: (r.mentions, r.articles) for r in table.itertuples()}
    assert got == _reference_counts(con, f)
    assert got, "every filter here leaves some entities"


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: ",".join(k for k, v in vars(f).items() if v) or "none")
def test_overview_and_type_counts_agree_with_the_table(con, f):
    table = Q.entities_table(con, f, limit=10_000)
    counts = Q.overview_counts(con, f)
    assert (counts["entities"], counts["mentions"]) == (len(table), table.mentions.sum())
    types = Q.entity_type_counts(con, f).set_index("type")
    for label, group in table.groupby("type"):
        assert types.loc[label, "mentions"] == group.mentions.sum()
        assert types.loc[label, "entities"] == len(group)


def test_pair_matrix_counts_sentences_naming_both(con):
    nodes, edges = Q.entity_pairs(con, Filters(), top=25)
    assert len(nodes) == 25 and not edges.empty
    names = list(nodes.entity)
    reference = con.execute("""
        WITH m AS (SELECT DISTINCT article_id, sentence, entity FROM entities WHERE list_contains(?, entity))
        SELECT m1.entity, m2.entity, count(*) FROM m m1 JOIN m m2
          ON m1.article_id = m2.article_id AND m1.sentence = m2.sentence AND m1.entity < m2.entity
        GROUP BY 1, 2""", [names]).fetchall()
    assert {(s, t): n for s, t, n in reference} == {(r.source, r.target): r.sentences for r in edges.itertuples()}
    assert list(edges.sentences) == sorted(edges.sentences, reverse=True), "the strongest pairs first"


def test_timeline_splits_mentions_by_date(con):
    df, undated, grain = Q.entity_timeline(con, Filters(), top=3)
    table = Q.entities_table(con, Filters(), limit=3).set_index("entity")
    assert set(df.entity) <= set(table.index)
    per_entity = df.groupby("entity").mentions.sum()
    # Dated plus undated mentions of the three most mentioned entities are all their mentions.
    assert per_entity.sum() + undated == table.mentions.sum()
    assert undated > 0  # one seed has no date


def test_quote_and_statement_lists_are_counted_and_cut_newest_first(con):
    f = Filters()
    full = Q.quotes_table(con, f)
    assert Q.quotes_count(con, f) == len(full) > 5
    head = Q.quotes_table(con, f, limit=5)
    assert list(head.quote) == list(full.quote[:5])
    dates = list(full.date)
    dated = [d for d in dates if d != Q.UNDATED]
    assert dated == sorted(dated, reverse=True) and dates[len(dated):] == [Q.UNDATED] * (len(dates) - len(dated))
    narang = Filters(speakers=("Vipin Narang",))
    assert Q.quotes_count(con, narang) == len(Q.quotes_table(con, narang)) > 0
    statements = OQ.opinion_statements(con, f)
    assert OQ.opinion_statement_count(con, f) == len(statements) == len(full)
    assert len(OQ.opinion_statements(con, f, limit=7)) == 7


@pytest.mark.parametrize("q", ["Narang", "easley", "talks", "U.S.", "Pyongyang", '"buying time"', '"Vipin Narang"'])
def test_quote_search_finds_what_ilike_finds(con, q):
    pat = _like(q.strip('"'))
    reference = set(con.execute("""
        SELECT q.article_id, q.start FROM quotes q JOIN articles a USING (article_id)
        WHERE q.text ILIKE ? ESCAPE '\\' OR q.speaker_key ILIKE ? ESCAPE '\\' OR a.title ILIKE ? ESCAPE '\\'""",
                                [pat, pat, pat]).fetchall())
    found = {(r.article_id, r.start) for r in Q.quotes_table(con, Filters(q=q)).itertuples()}
    assert found == reference if " " not in q else found >= reference
    assert Q.quotes_count(con, Filters(q=q)) == len(found)


@pytest.mark.parametrize("speaker", ["Vipin Narang", "Mintaro Oba", "Ri Yong Ho"])
def test_speaker_topics_count_the_quotes_naming_each_entity(con, speaker):
    reference = con.execute(f"""
        SELECT e.entity, count(DISTINCT (q.article_id, q.start))
        FROM quotes q JOIN entities e ON e.article_id = q.article_id
             AND ((e.start >= q.start AND e."end" <= q."end") OR (q.sentence IS NOT NULL AND e.sentence = q.sentence))
        WHERE q.speaker_key = ? AND e.entity IS NOT NULL AND e.entity <> q.speaker_key
          AND e.entity_label NOT IN {NUMERIC}
        GROUP BY 1""", [speaker]).fetchall()
    topics = Q.speaker_topics(con, Filters(), speaker, limit=1000)
    assert dict(reference) == dict(zip(topics.entity, topics.quotes, strict=True))
    assert len(topics) > 0


def test_opinion_counts_cover_every_statement_once(con):
    subjects = OQ.opinion_subjects(con, Filters())
    assert subjects.statements.sum() == Q.quotes_count(con, Filters())
    reference = dict(con.execute("""
        SELECT o.subject, count(DISTINCT q.speaker_key) FROM opinions o
        JOIN quotes q ON q.article_id = o.article_id AND q.start = o.start GROUP BY 1""").fetchall())
    assert reference == dict(zip(subjects["subject"], subjects.speakers, strict=True))
    for subject in subjects.subject:
        claims = OQ.opinion_claims(con, Filters(), subject)
        assert claims.statements.sum() == subjects.set_index("subject").at[subject, "statements"]
    narang = Filters(speakers=("Vipin Narang",))
    assert OQ.opinion_statement_count(con, narang) == Q.quotes_count(con, narang)
    assert set(OQ.opinion_statements(con, narang).speaker) == {"Vipin Narang"}


def test_spellings_are_listed_once_whatever_the_apostrophe(con):
    table = Q.entities_table(con, Filters(), limit=10_000).set_index("entity")
    forms = table.loc["North Korea", "forms"]
    assert "North Korea" in forms and "North Korea's" in forms  # “North Korea’s” in the seeds
    assert all("\u2019" not in f for fs in table.forms for f in fs)
    assert all(len(fs) == len(set(fs)) for fs in table.forms)


def test_a_search_is_matched_once_per_connection_and_kept_within_bounds(con, monkeypatch):
    indexes.clear_search_cache(con)
    kept = "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'search_result_%'"
    f = Filters(q='"Vipin Narang"')
    first = Q.quotes_table(con.cursor(), f)
    # Two tables per search: the matching titles and quotes of the word index, and the quotes
    # they select (the quote-level condition).
    assert con.execute(kept).fetchone()[0] == 2
    # Another cursor (another session of the dashboard) reads the kept result: same rows.
    assert Q.quotes_table(con.cursor(), f).equals(first)
    assert Q.entities_table(con.cursor(), f).equals(Q.entities_table(con, f))
    assert con.execute(kept).fetchone()[0] == 2
    monkeypatch.setattr(indexes, "CACHED_SEARCHES", 3)
    monkeypatch.setattr(indexes, "KEEP_SECONDS", -1)  # (a search in use is never dropped under a session)
    for word in ["talks", "Pyongyang", "Stockholm", "Easley", "nuclear"]:
        Q.quotes_count(con, Filters(q=word))
    assert con.execute(kept).fetchone()[0] == 3
    indexes.clear_search_cache(con)
    assert con.execute(kept).fetchone()[0] == 0
    assert Q.quotes_table(con, f).equals(first)  # matched again from scratch


def test_sessions_asking_the_same_new_search_at_once_agree(con):
    from concurrent.futures import ThreadPoolExecutor

    indexes.clear_search_cache(con)
    f = Filters(q="North Korea")
    with ThreadPoolExecutor(4) as pool:
        counts = list(pool.map(lambda _: Q.quotes_count(con.cursor(), f), range(8)))
    assert len(set(counts)) == 1 and counts[0] > 0


def test_speaker_topics_leave_out_the_entity_the_speaker_is(tmp_path_factory):
    # A bare snapshot (no corpus step) is writable: link Vipin Narang to an entity he talks about,
    # as the corpus step links "Hillary Rodham Clinton" to the entity "Hillary Clinton".
    store = Store(tmp_path_factory.mktemp("topics") / "store")
    ingest([SEEDS], store)
    con = store.connect()
    complete_schema(con)
    before = Q.speaker_topics(con, Filters(), "Vipin Narang", limit=1000)
    assert len(before) >= 2
    linked = before.entity.iloc[0]
    con.execute("UPDATE speakers_corpus SET entity = ? WHERE speaker_key = 'Vipin Narang'", [linked])
    after = Q.speaker_topics(con, Filters(), "Vipin Narang", limit=1000)
    assert list(after.entity) == [e for e in before.entity if e != linked]


@pytest.mark.parametrize("f", [Filters(), Filters(speakers=("Vipin Narang", "Leif-Eric Easley")),
                               Filters(role="expert"), Filters(date_from=dt.date(2019, 10, 1)),
                               Filters(q="talks"), Filters(entities=("North Korea",))],
                         ids=["none", "speakers", "role", "dates", "search", "entity"])
def test_speaker_counts_from_the_speaker_article_table_are_the_quotes_own(con, f):
    """The speakers table counts quotes and articles per speaker from the speaker × article
    counts when no filter names a single quote, else from the quotes: either way what counting
    the quotes that pass the filters gives."""
    w = where(f, "quotes", con=con)
    want = {(s, n, a) for s, n, a in con.execute(f"""
        SELECT q.speaker_key, count(*), count(DISTINCT q.article_no) FROM quotes q
        JOIN articles a ON a.article_no = q.article_no WHERE {w.sql} AND q.speaker_key IS NOT NULL
        GROUP BY 1""", w.params).fetchall()}
    got = Q.speakers_table(con, f)
    assert {(s, int(n), int(a)) for s, n, a in zip(got["speaker"], got["quotes"], got["articles"], strict=True)} == want
    assert want or f.date_from is not None  # the seeds are undated: a date filter keeps none


def _evidence(value) -> list[str]:
    return sorted(value.split("; ")) if isinstance(value, str) else []


@pytest.mark.parametrize("f", [Filters(), Filters(speakers=("Vipin Narang",)), Filters(q="north korea"),
                               Filters(date_from=dt.date(2019, 1, 1), q="trump")], ids=str)
def test_claims_camps_and_grid_from_the_kept_cells_agree_with_the_statements(con, f):
    # Claims, camps and grid of a subject read its statements summed per speaker and claim, kept
    # once per connection; the same figures counted straight from the statements:
    indexes.clear_search_cache(con)
    w = where(f, "quotes", quotes="o", con=con)
    frm = ("opinions o JOIN articles a ON a.article_no = o.article_no "
           "LEFT JOIN speakers_corpus s ON s.speaker_key = o.speaker_key")
    table = OQ.opinion_subjects(con, f)
    reference = con.execute(f"""
        SELECT o.subject, count(*) AS statements, count(DISTINCT o.group_id) AS claims,
               count(DISTINCT o.speaker_key) AS speakers,
               count(DISTINCT o.speaker_key) FILTER (WHERE s.role = 'expert') AS experts,
               count(*) FILTER (WHERE o.stance = 'positive') AS positive,
               count(*) FILTER (WHERE o.stance = 'negative') AS negative
        FROM {frm} WHERE {w.sql} GROUP BY o.subject ORDER BY statements DESC, o.subject""", w.params).df()
    assert table.astype(str).values.tolist() == reference.astype(str).values.tolist()
    subjects = list(table.subject)
    for subject in subjects:
        params = [*w.params, subject]
        claims = con.execute(f"""
            SELECT o.group_id AS claim_id, count(*) AS statements, count(DISTINCT o.speaker_key) AS speakers,
                   string_agg(DISTINCT o.speaker_key, ', ' ORDER BY o.speaker_key) AS who,
                   count(*) FILTER (WHERE o.stance = 'positive') AS positive,
                   count(*) FILTER (WHERE o.stance = 'negative') AS negative,
                   count(*) FILTER (WHERE o.stance = 'neutral') AS neutral
            FROM {frm} WHERE {w.sql} AND o.subject = ? GROUP BY 1 ORDER BY 1""", params).df()
        got = OQ.opinion_claims(con, f, subject).sort_values("claim_id")
        cols = ["claim_id", "statements", "speakers", "who", "positive", "negative", "neutral"]
        assert got[cols].astype(str).values.tolist() == claims[cols].astype(str).values.tolist()
        camps = con.execute(f"""
            SELECT coalesce(o.speaker_key, 'unknown') AS speaker, any_value(s.role) AS role,
                   min({OQ.RANK_SQL}) AS rank, {OQ._net_stance("sum(o.stance_score)")} AS stance,
                   count(*) AS statements,
                   string_agg(o.stance_evidence, '; ') FILTER (WHERE o.stance_evidence <> '') AS evidence
            FROM {frm} WHERE {w.sql} AND o.subject = ? GROUP BY 1 ORDER BY 1""", params).df()
        got = OQ.opinion_camps(con, f, subject).sort_values("speaker")
        cols = ["speaker", "role", "rank", "stance", "statements"]
        assert got[cols].astype(str).values.tolist() == camps[cols].astype(str).values.tolist()
        assert [_evidence(e) for e in got.evidence] == [_evidence(e) for e in camps.evidence]
        grid = con.execute(f"""
            SELECT coalesce(o.speaker_key, 'unknown') AS speaker, o.group_id AS claim_id, count(*) AS statements,
                   {OQ._net_stance("sum(o.stance_score)")} AS stance
            FROM {frm} WHERE {w.sql} AND o.subject = ? GROUP BY 1, 2""", params).df()
        cells = OQ.opinion_grid(con, f, subject, max_speakers=1000, max_claims=1000)
        want = sorted(map(tuple, grid.astype(str).values.tolist()))
        assert sorted(map(tuple, cells[["speaker", "claim_id", "statements", "stance"]].astype(str).values.tolist())) == want
    assert subjects or f.active


PHRASE_DOCS = [
    "the white house said on monday\x1fjane roe",  # a quote and its speaker
    "a whitewash of the house budget\x1fjohn doe",
    "they painted the house white\x1fhouse painter",  # "white" ends the quote, "house" starts the speaker
    "the white  house\tand the white\nhouse again",
    "red white and blue houses\x1fsam",
    "an off-white housecoat on the bed",
    "the very old white house stood",
    "old white house, very old white house",
    "white\x1fhouse",
]


@pytest.mark.parametrize("q", ['"white house"', '"ite hou"', '"white house" monday', '"old white house"',
                               '"very old white house"', '"the very old white house stood"', '"house white"',
                               '"white and blue"', '"painted the house white house"', '"white house" "old white"'])
def test_phrases_from_word_positions_agree_with_the_pattern_on_the_text(q):
    # A quoted phrase is matched on where its words stand in the word index; the same units as
    # its pattern finds in the text (white space only between the words, never a field break).
    con = duckdb.connect()
    con.execute("CREATE TABLE search_units AS SELECT (i + 1)::INTEGER AS unit_no, (i + 1)::INTEGER AS article_no, "
                "(i + 1)::INTEGER AS quote_no, doc FROM (SELECT unnest(?) AS doc, unnest(range(?)) AS i)",
                [PHRASE_DOCS, len(PHRASE_DOCS)])
    con.execute(f"CREATE TABLE search_words AS {indexes.new_words_sql()}")
    con.execute(f"CREATE TABLE search_postings AS {indexes.postings_sql()}")
    search = indexes.parse_search(q)
    sql, params = indexes.matching_units(search)
    got = sorted(r[0] for r in con.execute(sql, params).fetchall())
    checks = [f"contains(doc, '{w}')" for w in search.words]
    checks += [f"regexp_matches(doc, '{indexes.phrase_pattern(p)}')" for p in search.phrases]
    want = sorted(r[0] for r in con.execute(f"SELECT unit_no FROM search_units WHERE {' AND '.join(checks)}").fetchall())
    assert got == want
    assert want or q == '"painted the house white house"'  # across the quote and its speaker: none


@pytest.mark.parametrize("said", ["narang", "vipin narang", "said", "buying time", '"buying time"', "north korea",
                                  '"north korea" talks', "oba", '"mintaro oba"', "trump kim"])
def test_the_quote_text_search_agrees_with_a_check_of_every_quote(con, said):
    # Candidates whose speaker's name holds none of the words are taken without reading their
    # text; the others are checked on it. Every quote checked on its text finds the same ones.
    search = indexes.parse_search(said)
    checks = [f"contains(lower(q.text), '{w}')" for w in search.words]
    checks += [f"regexp_matches(lower(q.text), '{indexes.phrase_pattern(p)}')" for p in search.phrases]
    want = sorted(con.execute(f"SELECT quote_no, article_no FROM quotes q WHERE {' AND '.join(checks)}").fetchall())
    for c in (None, con):
        indexes.clear_search_cache(con)
        sql, params = indexes.quote_text_matches(said, c)
        assert sorted(con.execute(sql, params).fetchall()) == want
    named = con.execute("SELECT count(*) FROM quotes WHERE contains(lower(speaker_key), 'narang')").fetchone()[0]
    assert named > 0  # the seeds quote Vipin Narang: a name that holds the words searched


def test_the_article_list_counts_each_articles_quotes(con):
    listed = Q.articles_list(con, Filters())
    counts = dict(con.execute("SELECT article_id, count(*) FROM quotes GROUP BY 1").fetchall())
    assert len(listed) > 0 and any(listed.quotes > 0)
    assert all(int(n) == counts.get(a, 0) for a, n in zip(listed.article_id, listed.quotes, strict=True))


def test_timeline_and_profile_counts_agree_with_the_quotes(con):
    # The timeline's undated quotes come from the same pass as the dated buckets; a profile's
    # quote and article counts from the speaker x article table.
    for f in (Filters(), Filters(speakers=("Vipin Narang",)), Filters(q="korea")):
        df, undated, _ = Q.quotes_over_time(con, f, "day")
        w = where(f, "quotes")
        dated, none = con.execute(f"""SELECT count(*) FILTER (WHERE a.day IS NOT NULL), count(*) FILTER (WHERE a.day IS NULL)
                                      FROM quotes q JOIN articles a ON a.article_no = q.article_no WHERE {w.sql}""",
                                  w.params).fetchone()
        assert (int(df.quotes.sum()), undated) == (dated, none) and not df.period.isna().any()
    for speaker in Q.filter_options(con)["speakers"][:5]:
        profile = Q.speaker_profile(con, speaker)
        assert (profile["quote_count"], profile["article_count"]) == con.execute(
            "SELECT count(*), count(DISTINCT article_id) FROM quotes WHERE speaker_key = ?", [speaker]).fetchone()


@pytest.mark.parametrize("q", ["Narang", "korea", '"north korea"', "Stockholm", "talks easley", "zzzz-not-there"])
def test_the_kept_matching_quotes_are_those_the_plain_condition_selects(con, q):
    # With a connection, a search's quotes are kept once (those matched in the index and every
    # quote of an article whose title matched); without, each quote is tested against both.
    # Statements carry their quote's keys: the same condition selects them.
    titled = con.execute("SELECT count(*) FROM articles WHERE contains(lower(title), 'korea')").fetchone()[0]
    assert titled > 0  # a title that matches: its quotes match through it
    for table, alias in (("quotes", "q"), ("opinions", "o")):
        plain, params = indexes.quote_matches(q, quote=alias)
        want = sorted(r[0] for r in con.execute(f"SELECT {alias}.quote_no FROM {table} {alias} WHERE {plain}",
                                                 params).fetchall())
        indexes.clear_search_cache(con)
        kept, params = indexes.quote_matches(q, quote=alias, con=con)
        got = sorted(r[0] for r in con.execute(f"SELECT {alias}.quote_no FROM {table} {alias} WHERE {kept}",
                                                params).fetchall())
        assert got == want
        assert want or q == "zzzz-not-there"


@pytest.mark.parametrize("q", ["korea", "Easley", '"north korea"', "korea talks"])
def test_entity_counts_under_a_search_that_also_names_entities_are_a_plain_recount(con, q):
    # Entities whose own name answers the search count all their mentions, the others only those
    # in matching articles: the kept counts take the two apart (`entity_queries._per_entity`).
    from analysis import entity_queries as EQ

    assert EQ._named(con, q) or q == "korea talks"
    hits = sorted(_indexed_articles(con, q))
    names, name_params = indexes.name_matches(q, "i.entity")
    want = {r[0]: (r[1], r[2]) for r in con.execute(f"""
        SELECT i.entity, sum(ea.mentions), count(*) FROM entity_articles ea JOIN entity_index i USING (entity_no)
        WHERE list_contains(?, ea.article_no) OR {names} GROUP BY 1""", [hits, *name_params]).fetchall()}
    indexes.clear_search_cache(con)
    got = EQ.entity_counts(con, q=q, labels=None, limit=None)
    assert {r.entity: (r.mentions, r.articles) for r in got.itertuples()} == want
    assert len(want) > 0


@pytest.mark.parametrize("f", [Filters(q="korea"), Filters(entities=("North Korea",)), Filters(said="talks"),
                               Filters(q="talks", date_from=dt.date(2019, 10, 1), date_to=dt.date(2019, 12, 31))],
                         ids=["search", "entity", "said", "search+dates"])
def test_opinion_views_under_a_search_count_the_statements_of_a_plain_condition(con, f):
    # Under a filter that names single quotes the statements are kept once and the views read
    # them; the same figures from the opinions table under the plain condition (no kept result).
    w = where(f, "quotes", quotes="o")
    plain = con.execute(f"""SELECT o.subject, o.group_id, o.quote_no, a.day FROM opinions o
                            JOIN articles a ON a.article_no = o.article_no WHERE {w.sql}""", w.params).df()
    assert len(plain) > 0
    indexes.clear_search_cache(con)
    summary = OQ.opinion_summary(con, f)
    assert (summary["statements"], summary["subjects"], summary["claims"]) == (
        len(plain), plain.subject.nunique(), plain.group_id.nunique())
    subjects = OQ.opinion_subjects(con, f)
    assert dict(zip(subjects.subject, subjects.statements, strict=True)) == plain.subject.value_counts().to_dict()
    subject = subjects.subject.iloc[0]
    mine = plain[plain.subject == subject].sort_values(["day", "quote_no"], ascending=[False, True],
                                                        na_position="last")
    assert OQ.opinion_statement_count(con, f, subject) == len(mine)
    listed = OQ.opinion_statements(con, f, subject, limit=3)
    quotes = dict(con.execute("SELECT quote_no, text FROM quotes").fetchall())
    assert list(listed.quote) == [quotes[n] for n in mine.quote_no[:3]]
    claims = OQ.opinion_claims(con, f, subject)
    assert dict(zip(claims.claim_id, claims.statements, strict=True)) == mine.group_id.value_counts().to_dict()


@pytest.mark.parametrize("entities", [("North Korea",), ("North Korea", "Vipin Narang"), ("Not An Entity",)])
def test_an_entity_filter_keeps_the_quotes_naming_it_as_the_plain_condition(con, entities):
    f = Filters(entities=entities)
    got = {}
    for c in (None, con):
        indexes.clear_search_cache(con)
        w = where(f, "quotes", con=c)
        got[c is None] = sorted(r[0] for r in con.execute(
            f"SELECT q.quote_no FROM quotes q JOIN articles a ON a.article_no = q.article_no WHERE {w.sql}",
            w.params).fetchall())
    assert got[True] == got[False]
    assert got[True] or entities == ("Not An Entity",)


@pytest.mark.parametrize("f", [Filters(), Filters(date_from=dt.date(2019, 10, 1), date_to=dt.date(2019, 12, 31)),
                               Filters(q="korea")], ids=["none", "dates", "search"])
def test_the_newest_rows_of_a_cut_list_are_the_head_of_the_full_list(con, f):
    # A cut list keeps the rows of the days that hold the newest (`queries.newest_first`): the
    # same rows, in the same order, as the head of the whole list, at any cut (within a day, at
    # the undated rows, past the end).
    full = Q.quotes_table(con, f)
    statements = OQ.opinion_statements(con, f)
    assert len(full) > 3 and len(statements) > 3
    for limit in (1, 2, 3, 5, 8, len(full) - 1, len(full), len(full) + 5):
        assert list(Q.quotes_table(con, f, limit).quote_id) == list(full.quote_id[:limit])
        cut = OQ.opinion_statements(con, f, limit=limit)
        assert list(zip(cut.article_id, cut.quote, strict=True)) == list(
            zip(statements.article_id[:limit], statements.quote[:limit], strict=True))


@pytest.mark.parametrize("f", [Filters(), Filters(q="korea")], ids=["none", "search"])
def test_the_entity_timeline_counts_its_undated_mentions_in_the_same_pass(con, f):
    from analysis import entity_queries as EQ
    from analysis.filters import entity_scope

    df, undated, grain = Q.entity_timeline(con, f, top=4, grain="month")
    scope = entity_scope(f, con)
    names = list(EQ.entity_counts(con, **scope.kwargs(), limit=4)["entity"])
    dated = EQ.entity_timeline(con, names, **scope.kwargs(), period="month")
    assert undated == EQ.undated_mentions(con, names, **scope.kwargs()) and undated > 0
    assert list(zip(df.entity, df.mentions, strict=True)) == list(zip(dated.entity, dated.mentions, strict=True))
    assert list(df.period) == list(pd.to_datetime(dated.period))
