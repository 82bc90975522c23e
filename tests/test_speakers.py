"""Speaker names: the fullest name within an article, one name per person across articles."""
from __future__ import annotations

from analysis.speakers import NameIndex, corpus_speaker_names, key_tokens, strip_titles


def test_strip_titles_keeps_the_name():
    assert strip_titles("U.S. Secretary of State Mike Pompeo") == ("Mike Pompeo", "U.S. Secretary of State")
    assert strip_titles("President Trump") == ("Trump", "President")
    assert strip_titles("Mr. Hemming’s") == ("Hemming", "Mr.")
    assert strip_titles("Justice")[0] == "Justice", "a lone word is never stripped away"


def test_name_index_surname_and_family_name_first():
    idx = NameIndex()
    idx.add("Vipin Narang", 10)
    idx.add("Kim Myong Gil", 50)
    idx.add("Kim Jong Un", 400)
    assert idx.resolve("Narang", 100) == "Vipin Narang"
    assert idx.resolve("Kim Myong Gil", 500) == "Kim Myong Gil"
    # an ambiguous family name goes to the one named last before the mention
    assert idx.resolve("Kim", 300) == "Kim Myong Gil"
    assert idx.resolve("Kim", 450) == "Kim Jong Un"
    assert idx.resolve("Nobody", 5) == "Nobody"


def test_honorific_gives_gender():
    idx = NameIndex()
    idx.add("Ms. Theresa May", 0)
    assert idx.gender[key_tokens("Theresa May")] == "f"


def test_corpus_merge_titles_and_surnames():
    names = ["Donald Trump", "President Trump", "Trump", "Donald J. Trump", "Vipin Narang", "Narang"]
    m = corpus_speaker_names(names)
    assert m["President Trump"] == m["Trump"] == m["Donald Trump"]
    assert m["Narang"] == "Vipin Narang"


def test_corpus_merge_spelling_variants():
    m = corpus_speaker_names(["Kim Jong-un", "Kim Jong Un", "Kim Jong Un"])
    assert m["Kim Jong-un"] == m["Kim Jong Un"] == "Kim Jong Un"


def test_corpus_merge_keeps_ambiguous_surnames_apart():
    m = corpus_speaker_names(["Hillary Clinton", "Bill Clinton", "Clinton"])
    assert m["Hillary Clinton"] != m["Bill Clinton"]
    assert m["Clinton"] == "Clinton"


def test_corpus_merge_leaves_descriptions_alone():
    desc = "a spokesperson for North Korea’s foreign ministry"
    m = corpus_speaker_names([desc, "U.S. negotiators"])
    assert m[desc] == desc and m["U.S. negotiators"] == "U.S. negotiators"


def test_first_name_prior_for_gender():
    idx = NameIndex()
    idx.add("Erin Kim", 0)
    idx.add("Kevin Vickers", 10)
    idx.add("Kim Jong Un", 20)
    assert idx.gender[key_tokens("Erin Kim")] == "f"
    assert idx.gender[key_tokens("Kevin Vickers")] == "m"
    assert key_tokens("Kim Jong Un") not in idx.gender, "a family name written first says nothing"
