"""`python -m analysis ingest` over the hostile folder of `tests/hostile.py` (issue 17).

One ingest of the whole folder (about a minute: one text is over spaCy's 1,000,000-character
limit and is parsed in pieces), then the checks: every good article stored, every bad file
named with its reason, the exit code the README gives (1: some inputs rejected), no traceback,
a peak memory under 1.5 GB, and a rerun that parses nothing again and fails nowhere.

The peak memory is that of the ingest process (getrusage of a wrapper's one child). Files
are ingested one after another, so no single file took the ingest above the peak of the
whole run; `bench/bench_hostile.py` measures each file on its own.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.commands.ingest import printable
from analysis.store import Store

from .conftest import ROOT
from .hostile import SPACY_MAX_LENGTH, HostileFolder, build_hostile_folder

MEMORY_CAP = 1.5 * 1024**3  # bytes

# Runs the command given as its arguments and writes the child's peak RSS (kB on Linux) to $PEAK_RSS_FILE.
WRAPPER = ("import os, resource, subprocess, sys\n"
           "code = subprocess.run(sys.argv[1:]).returncode\n"
           "open(os.environ['PEAK_RSS_FILE'], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
           "sys.exit(code)\n")


def ingest(folder: Path, store: Path, rss_file: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PEAK_RSS_FILE": str(rss_file)}
    return subprocess.run([sys.executable, "-c", WRAPPER, sys.executable, "-m", "analysis", "ingest", str(folder),
                           "--store", str(store), "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=900)


def section(stdout: str, title: str) -> list[str]:
    """The indented lines listed under `  notices: N` or `  rejected: N`."""
    lines = stdout.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(f"  {title}: ")), None)
    if start is None:
        return []
    out = []
    for line in lines[start + 1:]:
        if not line.startswith("    "):
            break
        out.append(line.strip())
    return out


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    folder = build_hostile_folder(root)
    out = ingest(folder.folder, root / "store", root / "rss")
    return folder, root / "store", out, int((root / "rss").read_text()) * 1024


def test_exit_code_says_some_inputs_were_rejected_and_nothing_crashed(run):
    _, _, out, _ = run
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Traceback" not in out.stderr and "Error" not in out.stderr, out.stderr
    assert "\x1b" not in out.stdout  # the escape in a file name is shown, not sent to the terminal
    assert "clear\\x1b[2J.txt: file is empty" in out.stdout


def test_every_good_article_is_stored(run):
    h, store, out, _ = run
    con = Store(store).connect(with_text=True)
    rows = con.execute("SELECT source, date, text, article_id FROM articles").fetchall()
    prefix = str(h.folder) + "/"
    stored = {source.removeprefix(prefix): (date, text, aid) for source, date, text, aid in rows}
    assert set(stored) == h.good
    assert f"ingested (parsed now): {len(h.good)}" in out.stdout
    assert {name for name in h.undated if stored[name][0] is not None} == set()
    assert stored["good.md"][0] == "2019-02-28"

    # The long text, parsed in pieces: entities and quotes all through it, at the right offsets.
    date, text, aid = stored["long.txt"]
    assert len(text) > SPACY_MAX_LENGTH
    for table, column in (("quotes", "text"), ("entities", "text")):
        found = con.execute(f'SELECT start, "end", {column} FROM {table} WHERE article_id = ?', [aid]).fetchall()
        assert max(start for start, _, _ in found) > 0.9 * len(text)
        assert all(text[start:end] == value for start, end, value in found)


def _named(lines: list[str], h: HostileFolder, expected: dict[str, str]) -> dict[str, str]:
    """Each expected source's line, or what is missing."""
    got = {}
    for name, words in expected.items():
        line = next((x for x in lines if x.startswith(printable(f"{h.folder}/{name}: "))), None)
        got[name] = "ok" if line and words in line else f"missing {words!r} in {line!r}"
    return got


def test_every_bad_file_is_named_with_its_reason(run):
    h, _, out, _ = run
    rejected = section(out.stdout, "rejected")
    assert _named(rejected, h, h.rejected) == dict.fromkeys(h.rejected, "ok")
    assert len(rejected) == len(h.rejected), rejected


def test_every_notice_names_the_file_and_what_was_done(run):
    h, _, out, _ = run
    notices = section(out.stdout, "notices")
    assert _named(notices, h, h.notices) == dict.fromkeys(h.notices, "ok")


def test_no_input_file_takes_the_ingest_over_the_memory_cap(run):
    *_, peak = run
    print(f"peak RSS of the hostile-folder ingest: {peak / 1024**2:.0f} MB")
    assert peak < MEMORY_CAP, f"peak RSS {peak / 1024**2:.0f} MB"


def test_a_rerun_parses_nothing_again_and_fails_nowhere(run, tmp_path):
    h, store, _, _ = run
    again = ingest(h.folder, store, tmp_path / "rss")
    assert again.returncode == 1
    assert "Traceback" not in again.stderr, again.stderr
    assert "ingested (parsed now): 0" in again.stdout
    assert f"already in the store, not parsed again: {len(h.good)}" in again.stdout
