"""The analyst's files are found in one place for every caller: the store folder, unless an
environment variable names another file."""
from __future__ import annotations

from analysis.analyst_files import AnalystFiles


def test_files_in_the_store_folder_are_found_whatever_the_working_folder(tmp_path, monkeypatch):
    for var in ("ANALYSIS_ALIASES", "ANALYSIS_SPEAKERS", "ANALYSIS_CODEBOOK"):
        monkeypatch.delenv(var, raising=False)
    store = tmp_path / "store"
    store.mkdir()
    assert AnalystFiles.find(store) == AnalystFiles()
    (store / "aliases.csv").write_text("alias,canonical\n", encoding="utf-8")
    (store / "speakers.csv").write_text("speaker,role\n", encoding="utf-8")
    (store / "codebook.yml").write_text("themes: []\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "aliases.csv").write_text("alias,canonical\nX,Y\n", encoding="utf-8")
    monkeypatch.chdir(elsewhere)  # a file in the working folder is not the store's
    found = AnalystFiles.find(store)
    assert found == AnalystFiles((store / "aliases.csv",), store / "speakers.csv", store / "codebook.yml")
    assert found.missing() == []


def test_environment_variables_win_and_name_several_alias_files(tmp_path, monkeypatch):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("alias,canonical\n", encoding="utf-8")
    monkeypatch.setenv("ANALYSIS_ALIASES", f"{a}:{b}")
    monkeypatch.setenv("ANALYSIS_SPEAKERS", str(tmp_path / "roles.csv"))
    monkeypatch.delenv("ANALYSIS_CODEBOOK", raising=False)
    files = AnalystFiles.find(tmp_path / "store")
    assert files.aliases == (a, b) and files.speakers == tmp_path / "roles.csv" and files.codebook is None
    assert files.missing() == [b, tmp_path / "roles.csv"]


def test_the_signature_changes_when_a_file_is_added_or_edited(tmp_path, monkeypatch):
    for var in ("ANALYSIS_ALIASES", "ANALYSIS_SPEAKERS", "ANALYSIS_CODEBOOK"):
        monkeypatch.delenv(var, raising=False)
    before = AnalystFiles.find(tmp_path).signature()
    (tmp_path / "speakers.csv").write_text("speaker,role\n", encoding="utf-8")
    added = AnalystFiles.find(tmp_path).signature()
    (tmp_path / "speakers.csv").write_text("speaker,role\nVipin Narang,expert\n", encoding="utf-8")
    edited = AnalystFiles.find(tmp_path).signature()
    assert len({before, added, edited}) == 3
