"""The ingest derives the corpus tables before it exits; readers attach the newest complete
derivation and never derive after an ingest; while one runs, they serve the last complete corpus
and say so."""
from __future__ import annotations

import json
import shutil

from analysis import corpus
from analysis import derive as derive_mod
from analysis.analyst_files import AnalystFiles
from analysis.pipeline import ingest
from analysis.store import Store

from .conftest import SEEDS


def _no_derivation(monkeypatch) -> None:
    monkeypatch.setattr(derive_mod, "derive", lambda *a, **k: (_ for _ in ()).throw(AssertionError("derived")))


def _halves(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    files = sorted(SEEDS.glob("*.txt"))
    shutil.copy(files[0], first)
    for f in files[1:]:
        shutil.copy(f, second)
    return first, second


def test_the_ingest_derives_and_a_reader_only_attaches(tmp_path, nlp, monkeypatch):
    store = Store(tmp_path / "store")
    report = ingest([SEEDS], store)
    assert report.derivation == "full"
    pointer = json.loads((store.root / "derived" / corpus.POINTER).read_text())
    assert pointer["parts"] == list(store.signature())
    _no_derivation(monkeypatch)
    con = corpus.open_corpus(store, AnalystFiles())
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (3,)
    assert con.execute("SELECT count(*) FROM speakers_corpus WHERE speaker_key = 'Vipin Narang'").fetchone() == (1,)


def test_a_reader_keeps_its_corpus_until_it_reloads(tmp_path, nlp):
    first, second = _halves(tmp_path)
    store = Store(tmp_path / "store")
    ingest([first], store)
    old = corpus.open_corpus(store, AnalystFiles())
    old_key = corpus.corpus_key(store, AnalystFiles())
    ingest([second], store)
    assert corpus.corpus_key(store, AnalystFiles()) != old_key  # the dashboard's caches follow the pointer
    assert old.execute("SELECT count(*) FROM articles").fetchone() == (1,)  # the old file, though replaced
    assert corpus.open_corpus(store, AnalystFiles()).execute("SELECT count(*) FROM articles").fetchone() == (3,)
    assert len(list((store.root / "derived").glob("corpus-*.duckdb"))) == 1


def test_while_an_ingest_runs_readers_get_the_last_complete_corpus_and_a_notice(tmp_path, nlp, monkeypatch):
    first, second = _halves(tmp_path)
    store = Store(tmp_path / "store")
    ingest([first], store)
    assert corpus.pending_notice(store) is None
    # The second half committed, its derivation not yet done (an ingest killed before it, or one
    # still running): readers keep the derived corpus of the first half.
    ingest([second], store, derive=False)
    _no_derivation(monkeypatch)
    with store.writer():
        store.set_status(articles=2)
        assert corpus.pending_notice(store) == "2 new articles are being processed; reload in a minute."
        con = corpus.open_corpus(store, AnalystFiles())
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (1,)
        store.set_status(articles=0, deriving=True)  # counted from the parts the corpus lacks
        assert corpus.pending_notice(store) == "2 new articles are being processed; reload in a minute."
    notice = corpus.pending_notice(store)  # the ingest stopped before deriving: say how to finish
    assert notice is not None and "2 articles in the store are not on the dashboard" in notice
    assert "python -m analysis rebuild" in notice
    assert not store.writing()


def test_a_store_without_a_derivation_is_derived_once_by_a_reader(tmp_path, nlp, monkeypatch):
    store = Store(tmp_path / "store")
    ingest([SEEDS], store, derive=False)  # e.g. a store written before the ingest derived
    assert corpus.current(store) is None
    con = corpus.open_corpus(store, AnalystFiles())
    assert con.execute("SELECT count(*) FROM quotes WHERE speaker_key IS NOT NULL").fetchone()[0] > 0
    assert corpus.current(store) is not None
    _no_derivation(monkeypatch)
    corpus.open_corpus(store, AnalystFiles())


def test_rebuild_command_derives_everything_again(tmp_path, nlp, capsys):
    from analysis.cli import main

    store = Store(tmp_path / "store")
    ingest([SEEDS], store)
    before = corpus.current(store)
    assert main(["rebuild", "--store", str(store.root)]) == 0
    assert "full" in capsys.readouterr().out
    after = corpus.current(store)
    assert after is not None and before is not None and after.path != before.path and not before.path.exists()
    assert main(["rebuild", "--if-needed", "--store", str(store.root)]) == 0
    assert "unchanged" in capsys.readouterr().out
    with store.writer():
        assert main(["rebuild", "--store", str(store.root)]) == 2


def test_an_analyst_file_edit_derives_everything_at_the_next_ingest(tmp_path, nlp):
    first, second = _halves(tmp_path)
    store = Store(tmp_path / "store")
    ingest([first], store)
    (store.root / "speakers.csv").write_text("speaker,role,side,note\nVipin Narang,official,U.S.,test\n",
                                             encoding="utf-8")
    report = ingest([second], store)
    assert report.derivation == "full"
    con = corpus.open_corpus(store)
    assert con.execute("SELECT role FROM speakers_corpus WHERE speaker_key = 'Vipin Narang'").fetchone() == ("official",)


def test_the_dashboard_shows_the_last_complete_corpus_with_the_notice(tmp_path, nlp, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.dashboard_corpus import ROOT, use_store

    first, second = _halves(tmp_path)
    store = Store(tmp_path / "store")
    ingest([first], store)
    ingest([second], store, derive=False)
    use_store(monkeypatch, store.root)
    with store.writer():
        store.set_status(articles=2)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        notices = [str(i.value).replace("\\", "") for i in at.info]
        assert notices[0] == "2 new articles are being processed; reload in a minute.", notices
        titles = {str(m.label): str(m.value) for m in at.metric}
    assert titles.get("Articles") == "1", titles  # the first half only, never a half-updated corpus
    ingest([], store)  # the next ingest (nothing new to parse) derives what was left
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not any("processed" in str(i.value) for i in at.info)
    assert {str(m.label): str(m.value) for m in at.metric}.get("Articles") == "3"


def test_a_failed_incremental_update_derives_in_full(tmp_path, nlp, monkeypatch):
    from analysis import incremental

    first, second = _halves(tmp_path)
    store = Store(tmp_path / "store")
    ingest([first], store)

    def broken(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(incremental, "update", broken)
    report = ingest([second], store)
    assert report.derivation == "full"
    assert corpus.open_corpus(store, AnalystFiles()).execute("SELECT count(*) FROM articles").fetchone() == (3,)


def test_the_file_backed_rebuild_holds_what_the_in_memory_derivation_does(tmp_path, nlp):
    """`update_corpus(full=True)` derives in its output file (out-of-core); the tables are the
    same as the in-memory derivation's, and no working table is left in the file."""
    import duckdb

    store = Store(tmp_path / "store")
    ingest([SEEDS], store)
    report = corpus.update_corpus(store, AnalystFiles(), full=True)
    assert report.mode == "full" and report.path is not None and report.new_articles == 3
    memory = corpus.derived_connection(store, AnalystFiles())
    saved = duckdb.connect(str(report.path), read_only=True)
    tables = {r[0] for r in saved.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == set(corpus.CORPUS_TABLES)
    assert not list(report.path.parent.glob("*.spill"))
    for table, columns in (("entities", "article_id, start, text, entity, entity_label, \"group\""),
                           ("quotes", "quote_no, article_no, speaker, speaker_key"),
                           ("speakers_corpus", "speaker_key, role, side, entity"),
                           ("opinions", "quote_no, claim_id, stance"),
                           ("entity_index", "entity, entity_label, mentions, articles")):
        query = f"SELECT {columns} FROM {table} ORDER BY ALL"
        assert saved.execute(query).fetchall() == memory.execute(query).fetchall(), table


def test_the_derived_opinions_carry_their_quotes_keys_in_subject_order(tmp_path, nlp):
    """The full derivation groups the statements after the quotes are numbered and writes them by
    subject, so the index step does not rewrite them (`indexes.build(opinions_keyed=True)`): each
    statement still has its quote's number, article number and speaker key, and a subject's rows
    lie together."""
    import duckdb

    store = Store(tmp_path / "store")
    ingest([SEEDS], store)
    report = corpus.update_corpus(store, AnalystFiles(), full=True)
    assert report.path is not None
    con = duckdb.connect(str(report.path), read_only=True)
    rows = con.execute("""
        SELECT o.quote_no = q.quote_no AND o.article_no = q.article_no
               AND o.speaker_key IS NOT DISTINCT FROM q.speaker_key
        FROM opinions o JOIN quotes q USING (article_id, start)""").fetchall()
    assert len(rows) == con.execute("SELECT count(*) FROM quotes").fetchone()[0] > 0
    assert all(ok for (ok,) in rows)
    order = con.execute("SELECT subject, quote_no FROM opinions").fetchall()
    assert order == sorted(order)
