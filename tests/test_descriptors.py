"""What an article says a named person is, kept with each PERSON mention at ingest: the title
before the name, the appositive after it, the party tag. Sentences of our own."""
from __future__ import annotations

import pytest

from analysis.descriptors import describe
from analysis.entities import extract_entities
from analysis.records import Article


def _describe(nlp, sentence: str, name: str) -> str | None:
    doc = nlp(sentence)
    (ent,) = [e for e in doc.ents if e.label_ == "PERSON" and e.text == name]
    return describe(doc, ent)


@pytest.mark.parametrize("sentence, name, expected", [
    ("The rally was addressed by Republican presidential nominee John Roe on Monday.", "John Roe",
     "Republican presidential nominee"),
    ("Jane Doe, a nuclear affairs expert at the Carnegie Endowment, added that it was late.", "Jane Doe",
     "a nuclear affairs expert at the Carnegie Endowment"),
    ("Sen. Mary Major (R-S.C.) said she would not vote.", "Mary Major", "Sen.; (R-S.C.)"),
    ("U.S. Secretary of State Richard Miles promised more talks.", "Richard Miles", "U.S. Secretary of State"),
    ("Roe campaign chairman Peter Pan wrote an email.", "Peter Pan", "Roe campaign chairman"),
    ("Former President Bill Brown, who spoke first, was cheered.", "Bill Brown", "Former President; who spoke first"),
    ("Jane Doe, 59, of Dayton, Ohio, said the plant would close.", "Jane Doe", "59, of Dayton, Ohio"),
    ("It was put best by two young voters, Tyresha Smith and Bryan Anderson, who saw the senator speak.",
     "Bryan Anderson", "two young voters; who saw the senator speak"),
    ("A lawyer for the news outlets, David Schulz, said no decision had been made.", "David Schulz",
     "A lawyer for the news outlets"),
    ("Photo: Jane Roe / Daily Planet John Doe waves to supporters.", "John Doe", None),
    ("Her longtime partner at Acme Holdings, Paul Smith, called her a natural dealmaker.", "Paul Smith",
     "Her longtime partner at Acme Holdings"),
    ("The plan was backed by Secretary of the Navy Ann Carter in March.", "Ann Carter", "Secretary of the Navy"),
    ("One of the union's lawyers, Jane Doe, said the deal was fair.", "Jane Doe", "One of the union's lawyers"),
    ("A veteran of three campaigns, Jane Doe said the race was close.", "Jane Doe", "A veteran of three campaigns"),
    ("The city's longest-serving councillor, John Roe has seen many budgets.", "John Roe",
     "The city's longest-serving councillor"),
])
def test_titles_and_appositives(nlp, sentence, name, expected):
    assert _describe(nlp, sentence, name) == expected


@pytest.mark.parametrize("sentence, name", [
    ("In an interview with CNN, Jane Doe said she was fine.", "Jane Doe"),  # a place in the sentence, not a title
    ("He met Jane Doe and John Roe on Friday.", "John Roe"),  # a list, not a title
    ("Jane Doe, John Roe and Mary Major signed the letter.", "Jane Doe"),  # a list, not an appositive
    ("As a young lawyer at a small firm, Jane Doe said she was ignored.", "Jane Doe"),  # her past, not her role
    ("After the meeting ended, Jane Doe said she was tired.", "Jane Doe"),
])
def test_no_descriptor_where_the_sentence_gives_none(nlp, sentence, name):
    assert _describe(nlp, sentence, name) is None


def test_descriptor_stored_with_person_mentions_only(nlp):
    text = "Attorney General Jane Doe spoke in Ohio. Doe said the Justice Department would act."
    mentions = extract_entities(nlp(text), Article("a", "a.txt", text))
    people = {m.text: m.descriptor for m in mentions if m.label == "PERSON"}
    assert people["Jane Doe"] == "Attorney General"
    assert all(m.descriptor is None for m in mentions if m.label != "PERSON")
