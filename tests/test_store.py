"""The corpus store: incremental, atomic under a kill, readable while an ingest writes."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from analysis import pipeline
from analysis.pipeline import ingest
from analysis.store import Store

from .conftest import ROOT, SEEDS


def count(store: Store, table: str) -> int:
    return store.connect().execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def synthetic_corpus(folder: Path, n: int) -> Path:
    """n distinct articles built from the seeds' paragraphs (distinct text → distinct ids)."""
    paragraphs = [p for f in sorted(SEEDS.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n\n")
                  if len(p) > 200]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = "\n\n".join(paragraphs[(i + k) % len(paragraphs)] for k in range(3))
        (folder / f"article_{i:03d}.txt").write_text(f"Report number {i}\n\n{body}\n", encoding="utf-8")
    return folder


def test_ingest_seeds_then_nothing_to_parse(tmp_path, nlp, monkeypatch):
    store = Store(tmp_path / "store")
    assert store.is_empty() and count(store, "articles") == 0
    report = ingest([SEEDS], store)
    assert (report.loaded, report.ingested, report.unchanged) == (3, 3, 0)
    con = store.connect()
    rows = con.execute("SELECT title, author, date, word_count FROM articles ORDER BY source").fetchall()
    assert rows[0][:3] == ("They’re Not Wrong", "SK Ashby", None)
    assert rows[2][2] == "2019-10-08"
    assert count(store, "entities") > 50 and count(store, "quotes") > 5
    assert store.article_text(con.execute("SELECT min(article_id) FROM articles").fetchone()[0])

    def no_parsing(*a, **k):
        raise AssertionError("a second ingest of unchanged articles must not parse")

    monkeypatch.setattr(pipeline, "process_articles", no_parsing)
    again = ingest([SEEDS], store)
    assert (again.ingested, again.unchanged) == (0, 3)
    assert count(store, "articles") == 3


def test_new_extractor_version_reprocesses_from_stored_text(tmp_path, nlp, monkeypatch):
    store = Store(tmp_path / "store")
    ingest([SEEDS], store)
    quotes_before = count(store, "quotes")
    monkeypatch.setattr(pipeline, "PIPELINE_VERSION", "test-bump")
    # No paths given: the stored articles are redone from the text kept in the store.
    report = ingest([], store)
    assert report.ingested == 3 and report.reprocessed == 3
    assert len(store.part_dirs()) == 1  # the superseded part is gone
    con = store.connect()
    assert con.execute("SELECT DISTINCT extractor_version FROM articles").fetchall() == [
        (pipeline.extractor_version(),)]
    assert count(store, "articles") == 3 and count(store, "quotes") == quotes_before


def test_changed_metadata_rewrites_the_article(tmp_path, nlp):
    store = Store(tmp_path / "store")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text((SEEDS / "003_60916ff5a57a2136.txt").read_text(encoding="utf-8"), encoding="utf-8")
    ingest([folder], store)
    (folder / "metadata.csv").write_text("filename,publisher\na.txt,Example Outlet\n", encoding="utf-8")
    report = ingest([folder], store)
    assert report.ingested == 1
    assert store.connect().execute("SELECT outlet FROM articles").fetchall() == [("Example Outlet",)]


def test_half_written_batch_is_invisible(tmp_path, nlp):
    store = Store(tmp_path / "store")
    ingest([SEEDS], store)
    junk = store.staging_dir / "20990101T000000-deadbeef"
    junk.mkdir(parents=True)
    (junk / "articles.parquet").write_bytes(b"PAR1 truncated")
    assert count(store, "articles") == 3
    ingest([SEEDS], store)  # the next writer clears staging
    assert not junk.exists()


def test_killed_ingest_leaves_a_readable_store_and_a_rerun_finishes(tmp_path):
    corpus = synthetic_corpus(tmp_path / "in", 60)
    store_dir = tmp_path / "store"
    cmd = [sys.executable, "-m", "analysis", "ingest", str(corpus), "--store", str(store_dir),
           "--commit-every", "5", "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    store = Store(store_dir)
    deadline = time.time() + 240
    while len(store.part_dirs()) < 2 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed; make the corpus bigger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = count(store, "articles")
    assert 0 < partial < 60 and partial % 5 == 0  # whole batches only
    con = store.connect()
    orphans = con.execute("SELECT count(*) FROM quotes WHERE article_id NOT IN (SELECT article_id FROM articles)")
    assert orphans.fetchone()[0] == 0

    rerun = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"already in the store, not parsed again: {partial}" in rerun.stdout
    assert count(store, "articles") == 60
    assert store.connect().execute("SELECT count(DISTINCT article_id) FROM articles").fetchone()[0] == 60


def test_dashboard_can_read_while_an_ingest_writes(tmp_path, nlp):
    corpus = synthetic_corpus(tmp_path / "in", 30)
    store = Store(tmp_path / "store")
    errors: list[Exception] = []
    seen: list[int] = []
    done = threading.Event()

    def reader():
        while not done.is_set():
            try:
                seen.append(count(store, "articles"))
            except Exception as exc:  # noqa: BLE001 - any failure to read is the bug under test
                errors.append(exc)
            time.sleep(0.01)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        ingest([corpus], store, commit_every=3)
    finally:
        done.set()
        thread.join()
    assert not errors
    assert seen == sorted(seen) and seen[-1] <= 30
    assert count(store, "articles") == 30


def test_second_writer_is_refused(tmp_path):
    from analysis.store import StoreBusy

    store = Store(tmp_path / "store")
    with store.writer():
        with pytest.raises(StoreBusy):
            with Store(tmp_path / "store").writer():
                pass


def test_edited_file_replaces_its_old_text(tmp_path, nlp):
    """An article id is its text, so an edited file is a new id: the old version must go."""
    store = Store(tmp_path / "store")
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "a.txt"
    path.write_text("Talks resume\n\nNarang said North Korea is buying time.\n", encoding="utf-8")
    ingest([folder], store)
    path.write_text("Talks resume\n\nNarang said North Korea is stalling for concessions.\n", encoding="utf-8")
    report = ingest([str(path.resolve())], store)  # the same file, named another way
    assert (report.ingested, report.replaced) == (1, 1)
    con = store.connect()
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert [r[0] for r in con.execute("SELECT text FROM quotes").fetchall()] == [
        "North Korea is stalling for concessions"]
    # The old text, if it comes back, is an article again.
    path.write_text("Talks resume\n\nNarang said North Korea is buying time.\n", encoding="utf-8")
    ingest([folder], store)
    assert [r[0] for r in store.connect().execute("SELECT text FROM quotes").fetchall()] == [
        "North Korea is buying time"]


def test_reader_survives_reprocessing_that_removes_parts(tmp_path, nlp, monkeypatch):
    corpus = synthetic_corpus(tmp_path / "in", 12)
    store = Store(tmp_path / "store")
    ingest([corpus], store, commit_every=2)
    monkeypatch.setattr(pipeline, "PIPELINE_VERSION", "reader-test")
    errors: list[Exception] = []
    done = threading.Event()

    def reader():
        while not done.is_set():
            try:
                assert count(store, "articles") == 12
            except Exception as exc:  # noqa: BLE001 - any failure to read is the bug under test
                errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        report = ingest([], store, commit_every=2)
    finally:
        done.set()
        thread.join()
    assert report.reprocessed == 12 and report.parts_removed == 6
    assert not errors, errors[:3]


def test_an_extractor_failure_costs_one_article_its_quotes_not_the_ingest(tmp_path, nlp, monkeypatch):
    from analysis import quotes

    real = quotes.extract_quotes

    def flaky(doc, article):
        if "SK Ashby" in article.text:
            raise ValueError("parse tree the rules did not expect")
        return real(doc, article)

    monkeypatch.setattr(quotes, "extract_quotes", flaky)
    report = ingest([SEEDS], Store(tmp_path / "store"))
    assert report.ingested == 3
    (problem,) = report.problems
    assert problem.source.endswith("000_b08667397bbd2785.txt") and not problem.rejected
    assert "quotes extraction failed (ValueError" in problem.reason
    con = Store(tmp_path / "store").connect()
    assert con.execute("SELECT count(DISTINCT article_id) FROM quotes").fetchone()[0] == 2
    assert con.execute("SELECT count(DISTINCT article_id) FROM entities").fetchone()[0] == 3


def test_parts_from_before_a_new_field_still_read(tmp_path, nlp):
    """A store written by an older version lacks today's columns; readers see them empty."""
    import pyarrow.parquet as pq

    store = Store(tmp_path / "store")
    ingest([SEEDS], store)
    (part,) = store.part_dirs()
    old = pq.read_table(part / "entities.parquet").drop_columns(["title"])
    pq.write_table(old, part / "entities.parquet")
    con = store.connect()
    assert con.execute("SELECT count(*), count(title) FROM entities").fetchone()[1] == 0
