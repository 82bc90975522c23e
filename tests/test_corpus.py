"""The corpus-level tables: derived once, kept in the store, re-derived when their inputs change."""
from __future__ import annotations

from analysis.analyst_files import AnalystFiles
from analysis.corpus import open_corpus
from analysis.pipeline import ingest
from analysis.store import Store

from .conftest import SEEDS


def test_roles_follow_an_edited_speakers_file_and_the_cache_is_reused(tmp_path, nlp, monkeypatch):
    store = Store(tmp_path / "store")
    ingest([SEEDS], store)
    overrides = tmp_path / "speakers.csv"
    files = AnalystFiles(speakers=overrides)

    con = open_corpus(store, files)
    role = "SELECT role, side FROM speakers_corpus WHERE speaker_key = 'Mintaro Oba'"
    assert con.execute(role).fetchone() == ("expert", "U.S. State Department (former)")
    assert con.execute("SELECT count(*) FROM opinions").fetchone()[0] == \
        con.execute("SELECT count(*) FROM quotes").fetchone()[0]
    (cache,) = (store.root / "derived").glob("corpus-*.duckdb")

    # A second open derives nothing: the opinion grouping is not even called.
    from analysis import opinions

    monkeypatch.setattr(opinions, "derive_opinions", lambda *a, **k: (_ for _ in ()).throw(AssertionError))
    again = open_corpus(store, files)
    assert again.execute(role).fetchone() == ("expert", "U.S. State Department (former)")
    monkeypatch.undo()

    overrides.write_text("speaker,role,side,note\nMintaro Oba,official,U.S.,back at State\n", encoding="utf-8")
    edited = open_corpus(store, files)
    assert edited.execute(role).fetchone() == ("official", "U.S.")
    assert not cache.exists()  # the superseded derivation is gone


def test_empty_store_opens_with_every_table(tmp_path):
    con = open_corpus(Store(tmp_path / "none"), AnalystFiles())
    for table in ("articles", "entities", "quotes", "speakers", "speakers_corpus", "opinions"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
