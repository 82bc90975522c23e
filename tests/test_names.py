"""Names as news prints them: one list of titles for every extractor, and clean name text."""
from __future__ import annotations

import pytest

from analysis import names, wordlists
from analysis.entities import normalise, title_of
from analysis.speakers import NameIndex, key_tokens


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


def test_entities_and_speakers_strip_the_same_titles():
    for raw in ("Commissioner Jane Doe", "Mx. Robin Lee", "Foreign Minister Wang Lin", "Coach Dana Brooks"):
        assert normalise(raw, "PERSON") == names.strip_titles(raw)[0]


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
    assert title_of(["former", "Foreign", "Minister"]) == "Minister"
    assert title_of(["Vice", "President"]) == "Vice President"
    assert names.gendered_forms() == {"Mr": "m", "Mrs": "f", "Ms": "f"}


def test_a_bare_title_names_nobody_but_a_surname_may():
    assert normalise("Mr.", "PERSON") == "" and normalise("Senator", "PERSON") == ""
    assert normalise("King", "PERSON") == "King"


def test_honorific_gender_reaches_pronoun_resolution():
    idx = NameIndex()
    idx.add("Mx. Robin Lee", 0)
    idx.add("Congresswoman Dana Brooks", 10)
    assert key_tokens("Robin Lee") not in idx.gender
    assert idx.gender[key_tokens("Dana Brooks")] == "f"


def test_every_ingest_list_is_hashed_into_the_extractor_version():
    from analysis.pipeline import extractor_version

    on_disk = {p.name for p in wordlists.DATA.iterdir() if p.suffix in (".txt", ".tsv", ".csv", ".toml")}
    assert on_disk - set(wordlists.INGEST_FILES) == set(wordlists.CORPUS_FILES), "every list must be hashed"
    assert extractor_version().endswith(".d" + wordlists.ingest_hash())


def test_word_lists_hold_no_word_twice():
    for name in wordlists.INGEST_FILES:
        if name.endswith(".tsv"):
            rows = wordlists.table(name)
            keys = [tuple(r).__str__().lower() if name == "stance_cues.tsv" else r[0 if name == "titles.tsv" else 1].lower()
                    for r in rows]
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
