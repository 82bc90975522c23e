"""Entity mentions within one article: offsets, sentences, names and short forms (`analysis.entities`)."""
from __future__ import annotations

import pytest

from analysis.entities import normalise
from tests.entity_cases import article_mentions, run_on


def test_offsets_point_into_the_file_and_skip_the_header(seeds, seed_mentions):
    for article, _ in seeds:
        mentions = seed_mentions[article.source]
        assert mentions
        for m in mentions:
            assert article.text[m.start:m.end] == m.text
            assert m.start >= article.body_start
            assert m.text == m.text.strip()


def test_sentence_index_is_the_spacy_sentence(seeds, seed_mentions):
    for article, doc in seeds:
        sents = list(doc.sents)
        for m in seed_mentions[article.source]:
            assert sents[m.sentence].start_char <= m.start < sents[m.sentence].end_char


def test_short_surname_joins_the_full_name_in_the_article(seed_mentions):
    ms = article_mentions(seed_mentions, "000")
    narang = [m for m in ms if m.text == "Narang"]
    assert narang and all(m.canonical == "Vipin Narang" and m.label == "PERSON" for m in narang)


def test_possessive_and_leading_the_are_normalised(seed_mentions):
    ms = article_mentions(seed_mentions, "000")
    by_text = {m.text: m.canonical for m in ms}
    assert by_text["North Korea’s"] == "North Korea"
    assert by_text["the United States"] == "United States"


def test_person_tagged_org_in_the_same_article_becomes_person(seed_mentions):
    # spaCy tags "The Trump regime" ORG in the first seed; the article names Trump as a person.
    ms = article_mentions(seed_mentions, "000")
    assert {m.label for m in ms if m.canonical == "Trump"} == {"PERSON"}


def test_demonym_tagged_place_becomes_norp(seed_mentions):
    ms = article_mentions(seed_mentions, "000")
    assert [m.label for m in ms if m.text == "the North Koreans"] == ["NORP"]


def test_hyphenated_pair_of_people_is_split(seed_mentions):
    ms = article_mentions(seed_mentions, "001")
    assert not any("-" in m.canonical and "Trump" in m.canonical for m in ms)
    first = [m for m in ms if m.sentence == 0 and m.label == "PERSON"]
    assert ("Trump", "PERSON") in {(m.text, m.label) for m in first}
    assert ("Kim", "PERSON") in {(m.text, m.label) for m in first}


@pytest.mark.parametrize("raw,label,expected", [
    ("North Korea’s", "GPE", "North Korea"),
    ("the United States", "GPE", "United States"),
    ("The White House", "ORG", "White House"),
    ("U.S.", "GPE", "U.S."),
    ("Acme Inc.", "ORG", "Acme Inc."),
    ("Trump.", "PERSON", "Trump"),
    ("Sanders’", "PERSON", "Sanders"),
    ("Sen. Ted Cruz", "PERSON", "Ted Cruz"),
    ("Mr. Trump", "PERSON", "Trump"),
    ("First Lady Michelle Obama", "PERSON", "Michelle Obama"),
    ("Massachusetts Institute\nof  Technology", "ORG", "Massachusetts Institute of Technology"),
    ("“Hillary Clinton,", "PERSON", "Hillary Clinton"),
    ("O’Rourke", "PERSON", "O'Rourke"),
    ("Donald Trump Jr.", "PERSON", "Donald Trump Jr."),
    ("Mr.", "PERSON", ""),
    ("a Mitt Romney", "PERSON", "Mitt Romney"),
    ("a couple of weeks", "DATE", "a couple of weeks"),
    ("THE UNITED STATES", "GPE", "UNITED STATES"),
])
def test_normalise(raw, label, expected):
    assert normalise(raw, label) == expected


def test_written_sentences_short_forms(nlp):
    ms = run_on(nlp, "Senator Elizabeth Warren spoke in Boston on Tuesday. "
                     "Warren said the bill would pass. Later, Warren’s aides disagreed.")
    warren = [m for m in ms if "Warren" in m.text]
    assert len(warren) == 3
    assert {m.canonical for m in warren} == {"Elizabeth Warren"}
    assert {m.label for m in warren} == {"PERSON"}


def test_shared_surname_goes_to_the_person_the_article_is_about(nlp):
    text = ("Jeb Bush campaigned in Iowa. Jeb Bush spoke to voters there. His brother George W. Bush "
            "stayed in Texas. Jeb Bush later returned. Bush said he would win.")
    bush = [m for m in run_on(nlp, text) if m.text == "Bush"]
    assert bush and {m.canonical for m in bush} == {"Jeb Bush"}


def test_shared_surname_without_a_clear_referent_is_not_guessed(nlp):
    text = "Jeb Bush and George W. Bush met in Dallas. Bush said the talks went well."
    bush = [m for m in run_on(nlp, text) if m.text == "Bush"]
    assert bush and {m.canonical for m in bush} == {"Bush"}


def test_title_is_kept_and_a_shared_title_picks_the_person(nlp):
    text = ("Former President George W. Bush and Florida Gov. Jeb Bush met in Miami. "
            "President Bush said it went well, and Gov. Bush agreed.")
    ms = run_on(nlp, text)
    assert [(m.canonical, m.title) for m in ms if m.text == "Bush"] == [
        ("George W. Bush", "President"), ("Jeb Bush", "Gov")]
    assert {m.title for m in run_on(nlp, "Mr. Trump met Sen. Ted Cruz.") if m.label == "PERSON"} == {"Mr", "Sen"}
