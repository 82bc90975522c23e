"""The corpus ingested in two halves (the second half added incrementally) against the same
articles derived at once (`python -m analysis rebuild`): the same where it must be, and the
differences `analysis.incremental` lists as by design, bounded."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from analysis import corpus, indexes
from analysis.analyst_files import AnalystFiles
from analysis.pipeline import ingest
from analysis.store import Store

from .conftest import SEEDS

# Invented news of the shape the corpus holds (a dateline, named and described people, quotes
# with and without marks, a spokesperson, a returning surname), so the test needs nothing
# outside the project. Each story names people the seeds and the other stories name too.
_PEOPLE = [("Maria Keller", "a trade analyst at the Lindgren Institute", "Keller"),
           ("Tomas Varga", "the finance minister", "Varga"),
           ("Anna Brooks", "a spokeswoman for the Harbor Workers Union", "Brooks"),
           ("Daniel Osei", "a professor of economics at Eastfield University", "Osei"),
           ("Ruth Amari", "the mayor of Port Lewis", "Amari"),
           ("Kim Myong Gil", "North Korea's chief negotiator", "Kim")]
_TOPICS = ["the tariff talks", "the port strike", "the budget vote", "the nuclear talks",
           "the housing plan", "the river cleanup"]


def _story(i: int) -> str:
    a, b = _PEOPLE[i % len(_PEOPLE)], _PEOPLE[(i + 2) % len(_PEOPLE)]
    topic = _TOPICS[i % len(_TOPICS)]
    return (f"Officials weigh {topic} as deadline nears\n\ndate 2019-10-{10 + i:02d}\n\n"
            f"{a[0]}, {a[1]}, said on Monday that {topic} would need another week. "
            f"\u201cWe are not there yet, and nobody should pretend otherwise,\u201d {a[2]} said.\n\n"
            f"{b[0]}, {b[1]}, disagreed. \u201cThe outline is ready and the numbers add up,\u201d "
            f"{b[2]} told reporters in Stockholm. {b[2]} added that the United States and the European "
            f"Union had been briefed.\n\n"
            f"A spokesperson for the ministry said the government would publish its plan for {topic} "
            f"on Friday.\n")


@pytest.fixture(scope="module")
def halves(tmp_path_factory, nlp):
    """(incremental, full, first-half corpus before the update) for the seeds + 12 invented stories."""
    root = tmp_path_factory.mktemp("halves")
    first, second = root / "first", root / "second"
    first.mkdir()
    second.mkdir()
    for i, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        shutil.copy(path, (first if i % 2 == 0 else second) / path.name)
    for i in range(12):
        ((first if i % 2 == 0 else second) / f"story-{i:02d}.txt").write_text(_story(i), encoding="utf-8")
    store = Store(root / "store")
    ingest([first], store)
    before = corpus.open_corpus(store, AnalystFiles())
    report = ingest([second], store)
    assert report.derivation == "incremental"
    shutil.copytree(store.root, root / "full")
    full = Store(root / "full")
    with full.writer():
        assert corpus.update_corpus(full, AnalystFiles(), full=True).mode == "full"
    return corpus.open_corpus(store, AnalystFiles()), corpus.open_corpus(full, AnalystFiles()), before


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> set:
    return {tuple(tuple(v) if isinstance(v, list) else v for v in row) for row in con.execute(sql).fetchall()}


def test_the_same_articles_quotes_mentions_and_keys(halves):
    inc, full, _ = halves
    for sql in ("SELECT article_id, title, date, day FROM articles",
                "SELECT article_id, start, \"end\", text, speaker FROM quotes",
                "SELECT article_id, start, \"end\", text, canonical, label FROM entities",
                "SELECT * EXCLUDE (part) FROM speakers"):
        assert rows(inc, sql) == rows(full, sql), sql
    for con in (inc, full):  # the integer keys: unique, and every join lands on its row
        assert con.execute("SELECT count(DISTINCT article_no) = count(*) FROM articles").fetchone() == (True,)
        assert con.execute("SELECT count(DISTINCT quote_no) = count(*), min(quote_no) = 1, max(quote_no) = count(*) "
                           "FROM quotes").fetchone() == (True, True, True)
        assert con.execute("SELECT bool_and(q.article_no = a.article_no) FROM quotes q JOIN articles a USING (article_id)"
                           ).fetchone() == (True,)
        assert con.execute("SELECT count(*), bool_and(o.quote_no = q.quote_no AND o.article_no = q.article_no "
                           "AND o.speaker_key IS NOT DISTINCT FROM q.speaker_key) "
                           "FROM opinions o JOIN quotes q USING (article_id, start)").fetchone() == \
            (con.execute("SELECT count(*) FROM quotes").fetchone()[0], True)


def test_the_summary_tables_and_word_index_hold_exactly_the_rows(halves):
    """What the incremental update appended equals what the full index step builds from the same
    (incrementally named) mentions and quotes, compared by names rather than numbers."""
    inc, _, _ = halves
    rebuilt = duckdb.connect()
    for table in ("articles", "entities", "quotes", "opinions"):
        rebuilt.register(f"_{table}", inc.execute(f"SELECT * FROM {table}").df())
        rebuilt.execute(f"CREATE TABLE {table} AS SELECT * FROM _{table}")
    indexes.build(rebuilt)
    by_name = {
        "entity_index": "SELECT entity, entity_label, \"group\", numeric, mentions, articles, forms FROM entity_index",
        "entity_articles": "SELECT i.entity, a.article_id, ea.mentions FROM entity_articles ea "
                           "JOIN entity_index i USING (entity_no) JOIN articles a USING (article_no)",
        # A pair is stored once, lower entity number first; numbers differ, the pair does not.
        "entity_pairs": "SELECT least(s.entity, t.entity), greatest(s.entity, t.entity), a.article_id, p.sentences "
                        "FROM entity_pairs p "
                        "JOIN entity_index s ON s.entity_no = p.source_no JOIN entity_index t ON t.entity_no = p.target_no "
                        "JOIN articles a USING (article_no)",
        "search": "SELECT w.word, a.article_id, q.start FROM search_postings p JOIN search_words w USING (word_no) "
                  "JOIN articles a USING (article_no) LEFT JOIN quotes q USING (quote_no)",
        "units": "SELECT a.article_id, q.start, u.doc FROM search_units u JOIN articles a USING (article_no) "
                 "LEFT JOIN quotes q USING (quote_no)",
        "speaker_articles": "SELECT s.speaker_key, a.article_id FROM speaker_articles s JOIN articles a USING (article_no)",
        "entity_lists": "SELECT a.article_id, i.entity, l.mentions FROM (SELECT article_no, unnest(entity_nos) AS entity_no, "
                        "unnest(mentions) AS mentions FROM entity_lists) l JOIN entity_index i USING (entity_no) "
                        "JOIN articles a USING (article_no)",
        "quote_entities": "SELECT q.article_id, q.start, i.entity FROM quote_entities qe JOIN quotes q USING (quote_no) "
                          "JOIN entity_index i USING (entity_no)",
    }
    for name, sql in by_name.items():
        got, want = rows(inc, sql), rows(rebuilt, sql)
        if name == "entity_index":  # an old entity's majority label is not revisited (by design)
            got = {r[:1] + r[4:] for r in got}
            want = {r[:1] + r[4:] for r in want}
        assert got == want, (name, sorted(got ^ want)[:5])
    # Numbers of new rows follow the old ones and stay unique.
    for table, key in (("entity_index", "entity_no"), ("search_words", "word_no"), ("search_units", "unit_no")):
        assert inc.execute(f"SELECT count(DISTINCT {key}) = count(*) FROM {table}").fetchone() == (True,)


def test_no_grouped_statement_moves_and_every_new_one_has_a_claim(halves):
    inc, _, before = halves
    old = rows(before, "SELECT article_id, start, claim_id FROM opinions")
    assert old and old <= rows(inc, "SELECT article_id, start, claim_id FROM opinions")
    assert inc.execute("SELECT count(*) FROM opinions WHERE claim_id IS NULL").fetchone() == (0,)
    assert inc.execute("SELECT count(*) FROM opinions").fetchone() == inc.execute("SELECT count(*) FROM quotes").fetchone()


def test_claim_sizes_and_the_kept_claim_state_follow_the_new_statements(halves):
    """The state the next update files by (`opinions.STATE_TABLES`) is kept up to date: every
    claim's size is its statements' count, in `opinions` and in `opinion_claims`; every claim has
    a stored mean vector unless all its statements are fragments; the subject counts are the full
    derivation's; the lemma counts grow with the new statements."""
    inc, full, before = halves
    assert inc.execute("""SELECT count(*) FROM (SELECT claim_id, count(*) AS n, min(claim_size) AS lo,
                          max(claim_size) AS hi FROM opinions GROUP BY claim_id) WHERE n <> lo OR n <> hi""").fetchone() == (0,)
    assert inc.execute("""SELECT count(*) FROM opinion_claims c FULL JOIN
                          (SELECT claim_id, count(*) AS n FROM opinions GROUP BY claim_id) o USING (claim_id)
                          WHERE c.size IS DISTINCT FROM o.n""").fetchone() == (0,)
    assert inc.execute("SELECT count(DISTINCT claim_no) = count(*) FROM opinion_claims").fetchone() == (True,)
    assert inc.execute("SELECT count(*) FROM opinion_vectors ANTI JOIN opinion_claims USING (claim_no)").fetchone() == (0,)
    bases = "SELECT sum(n) FROM opinion_bases"
    assert inc.execute(bases).fetchone() == full.execute(bases).fetchone()
    # A lemma that is in its statement's subject's name is no feature, and a few subjects differ
    # by design (see `test_names_speakers_and_roles...`): the counts agree but for those.
    got, want = (c.execute("SELECT sum(df) FROM opinion_terms").fetchone()[0] for c in (inc, full))
    assert abs(got - want) <= 0.02 * want
    terms = "SELECT sum(df) FROM opinion_terms"
    assert before.execute(terms).fetchone()[0] < inc.execute(terms).fetchone()[0]


def test_the_name_counts_the_update_resolves_against_are_those_of_its_entities(halves):
    """`entity_names` and `entity_forms` grow with the new mentions: after the update they are
    what counting the updated `entities` afresh gives."""
    inc, _, before = halves
    for table, sql in (("entity_names", indexes.entity_names_sql()), ("entity_forms", indexes.entity_forms_sql())):
        assert rows(inc, f"SELECT * FROM {table}") == rows(inc, sql), table
        assert len(rows(before, f"SELECT * FROM {table}")) < len(rows(inc, f"SELECT * FROM {table}"))


def test_names_speakers_and_roles_differ_only_where_the_whole_corpus_decides(halves):
    """By design (analysis/incremental.py): an old mention or speaker key keeps its name when new
    articles would tip a full resolution elsewhere, an old entity's majority spelling and label
    stay, speakers not quoted in the new articles keep their role evidence. Those are few."""
    inc, full, before = halves
    total = inc.execute("SELECT count(*) FROM entities").fetchone()[0]
    inc_names = {(a, s): e for a, s, e in inc.execute("SELECT article_id, start, entity FROM entities").fetchall()}
    full_names = {(a, s): e for a, s, e in full.execute("SELECT article_id, start, entity FROM entities").fetchall()}
    differ = [k for k, e in inc_names.items() if full_names.get(k) != e]
    assert len(differ) <= 0.05 * total, differ[:10]
    # A new mention that differs goes where the corpus before the update read the same name.
    old_names = {e for (e,) in before.execute("SELECT DISTINCT entity FROM entities").fetchall()}
    new_articles = {a for (a,) in inc.execute("SELECT article_id FROM articles").fetchall()} - \
        {a for (a,) in before.execute("SELECT article_id FROM articles").fetchall()}
    for key in differ:
        assert key[0] not in new_articles or inc_names[key] in old_names, key

    inc_keys = dict(((a, s), k) for a, s, k in inc.execute("SELECT article_id, start, speaker_key FROM quotes").fetchall())
    full_keys = dict(((a, s), k) for a, s, k in full.execute("SELECT article_id, start, speaker_key FROM quotes").fetchall())
    moved = [k for k in inc_keys if inc_keys[k] != full_keys[k]]
    assert len(moved) <= 0.05 * len(inc_keys), moved
    # Speakers quoted in the new articles have the role a full derivation gives them.
    new_speakers = {k for (k,) in inc.execute("SELECT DISTINCT speaker_key FROM quotes WHERE article_id IN "
                                              f"({', '.join(repr(a) for a in new_articles)})").fetchall()}
    inc_roles = dict(((k,), r) for k, r in inc.execute("SELECT speaker_key, role FROM speakers_corpus").fetchall())
    full_roles = dict(((k,), r) for k, r in full.execute("SELECT speaker_key, role FROM speakers_corpus").fetchall())
    shared = [k for k in new_speakers if (k,) in inc_roles and (k,) in full_roles]
    assert shared
    assert sum(inc_roles[(k,)] == full_roles[(k,)] for k in shared) >= 0.9 * len(shared)


def test_the_codebook_themes_new_statements_as_a_full_derivation_does(tmp_path, nlp):
    """With an analyst's codebook in the store folder, the statements of new articles get their
    themes in the incremental update: the same groups as deriving everything."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for i in range(6):
        ((first if i % 2 == 0 else second) / f"story-{i:02d}.txt").write_text(_story(i), encoding="utf-8")
    store = Store(tmp_path / "store")
    store.root.mkdir(parents=True, exist_ok=True)
    (store.root / "codebook.yaml").write_text(
        "themes:\n  - name: Not ready yet\n    keywords: [not there yet, another week]\n", encoding="utf-8")
    ingest([first], store)
    assert ingest([second], store).derivation == "incremental"
    inc = corpus.open_corpus(store)
    themed = "SELECT article_id, start, group_id, group_source FROM opinions WHERE group_source = 'codebook'"
    got = rows(inc, themed)
    shutil.copytree(store.root, tmp_path / "full")
    full_store = Store(tmp_path / "full")
    with full_store.writer():
        corpus.update_corpus(full_store, full=True)
    assert got and got == rows(corpus.open_corpus(full_store), themed)
    new_articles = {a for (a,) in inc.execute("SELECT article_id FROM articles WHERE source LIKE '%second%'").fetchall()}
    assert new_articles & {r[0] for r in got}, "no statement of the new articles was themed"


def test_the_quote_text_is_stored_uncompressed_after_a_rebuild_and_an_update(halves):
    # The pages read the text of quotes spread over the table: uncompressed, DuckDB reads those
    # without decompressing whole vectors (`indexes._number_quotes`); an update's rows too.
    inc, full, _ = halves
    for con in (inc, full):
        kinds = {r[0] for r in con.execute(
            "SELECT DISTINCT compression FROM pragma_storage_info('corpus.quotes') "
            "WHERE column_name = 'text' AND segment_type = 'VARCHAR'").fetchall()}
        assert kinds == {"Uncompressed"}
