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
    ("Writing for a Sunday newspaper, Mary Major argued that the governor won.", "Mary Major",
     "writer for a Sunday newspaper"),  # the outlet the subject writes for, fronted
    # The title in one sentence, the name (first named, with nothing of its own) as the next one's subject.
    ("The county's tax commissioner says an audit found no leak of the records.\n\nJane Doe says she told her "
     "staff on Monday to check the logs.", "Jane Doe", "The county's tax commissioner"),
    ("The head of the Acme studio praised the host in an email. Peter Roe wrote that the host was smart.",
     "Peter Roe", "The head of the Acme studio"),
])
def test_titles_and_appositives(nlp, sentence, name, expected):
    assert _describe(nlp, sentence, name) == expected


@pytest.mark.parametrize("sentence, name", [
    ("In an interview with CNN, Jane Doe said she was fine.", "Jane Doe"),  # a place in the sentence, not a title
    ("He met Jane Doe and John Roe on Friday.", "John Roe"),  # a list, not a title
    ("Jane Doe, John Roe and Mary Major signed the letter.", "Jane Doe"),  # a list, not an appositive
    ("As a young lawyer at a small firm, Jane Doe said she was ignored.", "Jane Doe"),  # her past, not her role
    ("After the meeting ended, Jane Doe said she was tired.", "Jane Doe"),
    ("These workers, Jane Doe explained at the hearing, were well paid.", "Jane Doe"),  # a plural: not her
    ("The senator spoke first. John Roe said the bill was dead.", "John Roe"),  # "the senator": someone named before
    ("The city's new budget cuts school funding. Jane Doe said parents were angry.", "Jane Doe"),  # no person
    ("The county's average of polls shows a tie. Jane Doe said voters were split.", "Jane Doe"),
])
def test_no_descriptor_where_the_sentence_gives_none(nlp, sentence, name):
    assert _describe(nlp, sentence, name) is None


def test_descriptor_stored_with_person_mentions_only(nlp):
    text = "Attorney General Jane Doe spoke in Ohio. Doe said the Justice Department would act."
    mentions = extract_entities(nlp(text), Article("a", "a.txt", text))
    people = {m.text: m.descriptor for m in mentions if m.label == "PERSON"}
    assert people["Jane Doe"] == "Attorney General"
    assert all(m.descriptor is None for m in mentions if m.label != "PERSON")


def test_title_in_the_sentence_before_goes_to_a_first_named_person_only(nlp):
    doc = nlp("John Roe spoke on Monday. The state's top lawyer said the case was weak. John Roe said he disagreed.")
    second = [e for e in doc.ents if e.label_ == "PERSON" and e.text == "John Roe"][-1]
    assert describe(doc, second) is None  # named before the title: not the title's holder
