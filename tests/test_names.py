"""Names as news prints them: one list of titles for every extractor, and clean name text."""
from __future__ import annotations

import pytest

from analysis import names, wordlists


@pytest.mark.parametrize("raw, expected", [
    ("Commissioner Jane Doe", ("Jane Doe", "Commissioner")),
    ("Mx. Robin Lee", ("Robin Lee", "Mx.")),
    ("U.S. Secretary of State Mike Pompeo", ("Mike Pompeo", "U.S. Secretary of State")),
    ("former Prime Minister Anna Berg", ("Anna Berg", "former Prime Minister")),
    ("Justice", ("Justice", "")),
    ("King", ("King", "")),
])
def test_strip_titles(raw, expected):
    assert names.strip_titles(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("Jane Doe (D-Calif.)", "Jane Doe"),
    ("Jane Doe (D", "Jane Doe"),
    ("Riefian “Ifan” Fajarsyah", "Riefian Ifan Fajarsyah"),
    ("— Jane Doe,", "Jane Doe"),
    ("Hemming’s", "Hemming"),
    ("Leif-Eric  Easton", "Leif-Eric Easton"),
    ("Donald J. Trump", "Donald J. Trump"),
    ("Conan O'Brien", "Conan O'Brien"),
])
def test_clean_name_never_keeps_brackets_or_stray_punctuation(raw, expected):
    assert names.clean_name(raw) == expected


def test_titles_tell_gender_and_form():
    assert names.title_gender("Mrs.") == "f" and names.title_gender("First Lady") == "f"
    assert names.title_gender("Congressman") == "m" and names.title_gender("Senator") is None
    assert names.title_form("Sen.") == "Sen" and names.title_form("governor") == "Gov"
    assert names.title_form("former") is None, "a qualifier is no title on its own"
    assert names.gendered_forms() == {"Mr": "m", "Mrs": "f", "Ms": "f"}


def test_word_lists_hold_no_word_twice():
    for name in wordlists.INGEST_FILES:
        if name.endswith(".tsv"):
            keys = [row[0 if name == "titles.tsv" else 1].lower() for row in wordlists.table(name)]
            assert len(keys) == len(set(keys)), name
        elif name != "reporting_verbs.txt":
            seen: dict[str, list[str]] = {}
            section = ""
            for line in wordlists.lines(name):
                word = line.strip()
                if word.startswith("["):
                    section = word
                    continue
                seen.setdefault(section, []).append(word)
            for section, words in seen.items():
                assert len(words) == len(set(words)), f"{name} {section}"
    verbs = [row[0] for row in wordlists.table("reporting_verbs.txt")]
    assert len(verbs) == len(set(verbs))
