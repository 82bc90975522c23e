"""The analyst's corrections (`analysis.corrections`): kept as a log in the store folder, applied
when the corpus is read (no re-parse, no rebuild), undone from the log; every view that counts
speakers or entities shows the corrected names."""
from __future__ import annotations

import pytest

from analysis import queries as Q
from analysis.corpus import open_connection
from analysis.corrections import CorrectionError, CorrectionLog
from analysis.filters import Filters
from analysis.store import Store
from tests.dashboard_corpus import seeded_store


@pytest.fixture(scope="module")
def seeds_root(tmp_path_factory):
    return seeded_store(tmp_path_factory.mktemp("corrections"))


@pytest.fixture
def store(seeds_root, tmp_path):
    """A copy of the seeded store, so each test's log starts empty."""
    import shutil

    root = tmp_path / "store"
    shutil.copytree(seeds_root, root)
    return Store(root)


def opened(store: Store):
    corpus = open_connection(store)
    assert not corpus.notices, corpus.notices
    return corpus.con


def speakers(con) -> dict[str, int]:
    return dict(zip(*[Q.speakers_table(con, Filters())[c] for c in ("speaker", "quotes")], strict=True))


def test_the_log_keeps_who_and_when_and_refuses_nonsense(store):
    log = CorrectionLog(store.root)
    assert log.all() == [] and log.signature() == ()
    made = log.add("rename_speaker", "North Koreans", "North Korean officials", who="ana")
    assert made.id == 1 and made.who == "ana" and made.at and made.active
    assert made.describe() == "rename speaker North Koreans to North Korean officials"
    first = log.signature()
    log.undo(1, who="ben")
    (undone,) = log.all()
    assert not undone.active and undone.undone_by == "ben" and log.signature() != first
    for kind, target, value in [("merge_speaker", "A", "A"), ("explode", "A", "B"), ("set_role", "", "expert")]:
        with pytest.raises(CorrectionError):
            log.add(kind, target, value)
    with pytest.raises(CorrectionError):
        log.undo(1)


def test_merging_speakers_moves_their_quotes_articles_and_keeps_the_target_row(store):
    before = speakers(opened(store))
    CorrectionLog(store.root).add("merge_speaker", "The Trump regime", "Trump")
    con = opened(store)
    after = speakers(con)
    assert "The Trump regime" not in after
    assert after["Trump"] == before["Trump"] + before["The Trump regime"]
    assert sum(after.values()) == sum(before.values())
    profile = Q.speaker_profile(con, "Trump")
    assert profile["role_evidence"] == "President" and profile["quote_count"] == after["Trump"]
    # Filters see the new name everywhere: quotes, and the articles quoting the speaker.
    assert Q.quotes_count(con, Filters(speakers=("Trump",))) == after["Trump"]
    assert Q.articles_count(con, Filters(speakers=("Trump",))) == 2
    assert Q.quotes_count(con, Filters(speakers=("The Trump regime",))) == 0


def test_a_rename_carries_the_role_and_a_split_gets_its_own(store):
    log = CorrectionLog(store.root)
    log.add("merge_speaker", "The Trump regime", "Trump")
    log.add("rename_speaker", "Trump", "Donald Trump")
    con = opened(store)
    after = speakers(con)
    assert "Trump" not in after and after["Donald Trump"] == 2
    assert Q.speaker_profile(con, "Donald Trump")["role"] == "official"
    log.add("split_speaker", "Donald Trump", "The Trump regime")
    con = opened(store)
    after = speakers(con)
    assert after["Donald Trump"] == 1 and after["The Trump regime"] == 1
    assert Q.speaker_profile(con, "The Trump regime")["quote_count"] == 1


def test_a_set_role_wins_with_its_evidence_and_undo_restores(store):
    log = CorrectionLog(store.root)
    made = log.add("set_role", "Mintaro Oba", "official", who="ana")
    log.add("set_side", "Mintaro Oba", "U.S.")
    con = opened(store)
    profile = Q.speaker_profile(con, "Mintaro Oba")
    assert (profile["role"], profile["side"]) == ("official", "U.S.")
    assert profile["role_evidence"].startswith("set by ana on ")
    assert "Mintaro Oba" in set(Q.quotes_table(con, Filters(role="official"))["speaker"])
    log.undo(made.id)
    profile = Q.speaker_profile(opened(store), "Mintaro Oba")
    assert (profile["role"], profile["side"]) == ("expert", "U.S.")


def entity_counts(con) -> dict[str, tuple[int, int]]:
    df = Q.entities_table(con, Filters(), limit=1000)
    return {e: (m, a) for e, m, a in zip(df["entity"], df["mentions"], df["articles"], strict=True)}


def test_merging_entities_recounts_mentions_articles_pairs_and_topics(store):
    con = opened(store)
    before = entity_counts(con)
    nodes, pairs = Q.entity_pairs(con, Filters(), 40)
    with_korea = pairs[(pairs.source == "North Korea") | (pairs.target == "North Korea")]
    CorrectionLog(store.root).add("merge_entity", "North Korean", "North Korea")
    con = opened(store)
    after = entity_counts(con)
    assert "North Korean" not in after
    assert after["North Korea"][0] == before["North Korea"][0] + before["North Korean"][0]
    assert after["North Korea"][1] == 3
    assert Q.articles_count(con, Filters(entities=("North Korea",))) == 3
    assert Q.articles_count(con, Filters(entities=("North Korean",))) == 0
    _, pairs_after = Q.entity_pairs(con, Filters(), 40)
    assert not ((pairs_after.source == "North Korean") | (pairs_after.target == "North Korean")).any()
    korea_after = pairs_after[(pairs_after.source == "North Korea") | (pairs_after.target == "North Korea")]
    assert korea_after.sentences.sum() >= with_korea.sentences.sum()
    assert (pairs_after.source != pairs_after.target).all()
    topics = Q.speaker_topics(con, Filters(), "Vipin Narang")
    assert "North Korean" not in set(topics.entity)


def test_renaming_and_splitting_an_entity(store):
    log = CorrectionLog(store.root)
    log.add("rename_entity", "United States", "U.S.")
    con = opened(store)
    names = entity_counts(con)
    assert "United States" not in names and names["U.S."][0] == 15
    log.add("split_entity", "U.S.", "US")
    names = entity_counts(opened(store))
    assert names["US"][0] >= 1 and names["U.S."][0] + names["US"][0] == 15


def test_a_correction_of_the_dashboard_shows_without_a_rebuild(store, monkeypatch):
    """Applying corrections never re-derives the corpus tables: the derivation is not even called."""
    opened(store)
    from analysis import derive

    monkeypatch.setattr(derive, "derive", lambda *a, **k: (_ for _ in ()).throw(AssertionError))
    CorrectionLog(store.root).add("merge_speaker", "The Trump regime", "Trump")
    assert "The Trump regime" not in speakers(opened(store))


def test_speakers_merged_from_one_article_count_that_article_once(store):
    # The per-speaker counts read one row per speaker and article (`speaker_articles`); a merge
    # of two speakers quoted in the same article must leave one row for it, as a recount does.
    con = opened(store)
    a, b = con.execute("""
        SELECT x.speaker_key, y.speaker_key FROM speaker_articles x JOIN speaker_articles y
          ON x.article_no = y.article_no AND x.speaker_key < y.speaker_key
        ORDER BY x.n + y.n DESC, 1, 2 LIMIT 1""").fetchone()
    CorrectionLog(store.root).add("merge_speaker", a, b)
    con = opened(store)
    want = {k: (n, arts) for k, n, arts in con.execute(
        "SELECT speaker_key, count(*), count(DISTINCT article_id) FROM quotes WHERE speaker_key IS NOT NULL GROUP BY 1"
    ).fetchall()}
    table = Q.speakers_table(con, Filters())
    assert {r.speaker: (r.quotes, r.articles) for r in table.itertuples()} == want
    top = Q.top_speakers(con, Filters(), limit=1000)
    assert {r.speaker: (r.quotes, r.articles) for r in top.itertuples()} == want
    assert a not in want and want[b][1] < want[b][0]
    co = Q.co_speakers(con, Filters(), b, limit=1000)
    shared = dict(con.execute("""
        SELECT q.speaker_key, count(DISTINCT q.article_no) FROM quotes q
        WHERE q.speaker_key <> ? AND q.article_no IN (SELECT article_no FROM quotes WHERE speaker_key = ?)
        GROUP BY 1""", [b, b]).fetchall())
    assert dict(zip(co.speaker, co.shared_articles, strict=True)) == shared and shared


@pytest.mark.parametrize("f", [Filters(q="korea"), Filters(speakers=("Vipin Narang",)), Filters(said="talks")],
                         ids=["search", "speaker", "said"])
def test_entity_counts_under_a_filter_after_a_merge_are_a_recount_of_the_corrected_mentions(store, f):
    # Counts per entity over a set of articles read the per-article entity lists; a merge
    # rewrites the lists of the articles naming the merged entities (`_entity_summaries`).
    from analysis.filters import where

    CorrectionLog(store.root).add("merge_entity", "North Korean", "North Korea")
    con = opened(store)
    w = where(f.without("q"), "articles")
    search = ""
    params = list(w.params)
    if f.q:
        search = " AND (a.article_id IN (SELECT article_id FROM quotes WHERE contains(lower(text), ?) " \
                 "OR contains(lower(speaker_key), ?)) OR contains(lower(a.title), ?) OR contains(lower(e.entity), ?))"
        params += [f.q] * 4
    want = {k: (m, n) for k, m, n in con.execute(f"""
        SELECT e.entity, count(*), count(DISTINCT e.article_id) FROM entities e JOIN articles a USING (article_id)
        JOIN entity_index i ON i.entity = e.entity
        WHERE {w.sql} AND NOT i.numeric AND i.entity_label NOT IN ('DATE') {search} GROUP BY 1""", params).fetchall()}
    got = Q.entities_table(con, f, limit=10_000)
    names = set(Q.entities_table(con, Filters(), limit=10_000).entity)
    assert {r.entity: (r.mentions, r.articles) for r in got.itertuples()} == {k: v for k, v in want.items() if k in names}
    assert "North Korea" in set(got.entity) and "North Korean" not in set(got.entity)
