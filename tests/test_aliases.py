"""Entity names across the corpus (`analysis.aliases`): aliases, label majority, short-name merges."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.aliases import link_names, load_aliases, name_key, resolve_corpus_entities
from analysis.entity_queries import NAME_LABELS
from tests.entity_cases import COLUMNS, WRITTEN, entity_of, frame, table, titled


def test_one_donald_trump_with_one_label(corpus):
    trump = corpus[corpus.text.str.contains("Trump")]
    assert set(trump.entity) == {"Donald Trump"}
    assert set(trump.entity_label) == {"PERSON"}
    assert not (corpus.entity.str.contains("Trump") & (corpus.entity != "Donald Trump")).any()


def test_every_trump_in_the_seed_bodies_is_counted(seeds, seed_mentions):
    """spaCy tags some of them ORG (`the Trump regime`, `Trump-Kim`); none may be lost."""
    written = sum(len(re.findall(r"\bTrump\b", a.body)) for a, _ in seeds)
    mentions = [m for ms in seed_mentions.values() for m in ms if m.canonical == "Trump"]
    assert written >= 15 and len(mentions) == written
    # The corpus step settles the label of the one mention an article alone cannot (seed 003
    # names Trump once, tagged ORG): see test_one_donald_trump_with_one_label.


def test_without_a_full_name_trump_is_still_one_person(seed_mentions):
    df = resolve_corpus_entities(frame([m for ms in seed_mentions.values() for m in ms]), [])
    trump = df[df.text.str.contains("Trump")]
    assert set(trump.entity) == {"Trump"} and set(trump.entity_label) == {"PERSON"}


def test_north_korea_holds_variants_but_not_the_capital(corpus):
    nk = corpus[corpus.entity == "North Korea"]
    assert {"North Korea", "North Korea’s", "DPRK"} <= set(nk.text)
    assert set(nk.entity_label) == {"GPE"}
    assert "Pyongyang" not in set(nk.text)
    assert set(corpus[corpus.text == "Pyongyang"].entity) == {"Pyongyang"}


def test_analyst_alias_file_adds_pyongyang(corpus, tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,canonical\n# the capital stands for the state\nPyongyang,North Korea\n",
                       encoding="utf-8")
    mentions = corpus[COLUMNS]
    df = resolve_corpus_entities(mentions, [aliases])
    assert "Pyongyang" in set(df[df.entity == "North Korea"].text)
    assert {"DPRK", "North Korea’s"} <= set(df[df.entity == "North Korea"].text)


def test_united_states_variants(corpus):
    us = corpus[corpus.entity == "United States"]
    assert {"U.S.", "US", "the United States"} <= set(us.text)


def test_vipin_narang_holds_narang(corpus):
    assert {"Vipin Narang", "Narang"} == set(corpus[corpus.entity == "Vipin Narang"].text)


def test_demonym_is_its_own_entity_grouped_with_the_country(corpus):
    nk = corpus[corpus.text.isin(["North Korean", "North Koreans", "the North Koreans"])]
    assert set(nk.entity) == {"North Korean"}
    assert set(nk.entity_label) == {"NORP"}
    assert set(nk.group) == {"North Korea"}
    assert set(corpus[corpus.entity == "North Korea"].group) == {"North Korea"}


def test_every_mention_has_one_label_per_entity(corpus):
    assert (corpus.groupby("entity").entity_label.nunique() == 1).all()
    assert corpus.entity.notna().all() and corpus.group.notna().all()


def test_seed_count_table_reads_right(corpus):
    seeds_only = corpus[corpus.article_id != WRITTEN.article_id]
    counts = seeds_only[seeds_only.entity_label.isin(NAME_LABELS)].groupby("entity").size()
    top = counts.sort_values(ascending=False)
    # The three the seeds are about, each counted once per mention under one name.
    assert set(top.index[:3]) == {"Donald Trump", "North Korea", "United States"}
    assert top["Donald Trump"] == seeds_only.text.str.contains("Trump").sum()


def test_surname_joins_the_dominant_person_only():
    rows = ([(f"h{i}", "Hillary Clinton", "PERSON") for i in range(6)]
            + [("b1", "Bill Clinton", "PERSON"), ("c1", "Clinton", "PERSON")]
            + [("k1", "Kim Jong Un", "PERSON"), ("k2", "Kim Myong Gil", "PERSON"), ("k3", "Kim", "PERSON")])
    df = resolve_corpus_entities(table(rows), [])
    assert entity_of(df, "Clinton") == "Hillary Clinton"
    assert entity_of(df, "Kim") == "Kim"


def test_first_name_joins_only_a_dominant_person():
    rows = ([(f"h{i}", "Hillary Clinton", "PERSON") for i in range(5)] + [("x", "Hillary", "PERSON")]
            + [(f"j{i}", "John Kasich", "PERSON") for i in range(4)]
            + [(f"m{i}", "John McCain", "PERSON") for i in range(3)] + [("y", "John", "PERSON")])
    df = table(rows)
    # Articles about her call her "Hillary" (resolved within the article at ingest): that licenses
    # the corpus to read a lone "Hillary" elsewhere as her.
    df.loc[df.article_id == "h0", "text"] = "Hillary"
    df = resolve_corpus_entities(df, [])
    assert entity_of(df, "Hillary") == "Hillary Clinton"
    assert entity_of(df, "John") == "John"


def test_a_dropped_suffix_is_the_same_person_only_with_the_same_middle_name():
    rows = ([(f"b{i}", "Joseph R. Biden Jr.", "PERSON") for i in range(3)] + [("x", "Joseph R. Biden", "PERSON")]
            + [(f"t{i}", "Donald Trump", "PERSON") for i in range(3)] + [("y", "Donald Trump Jr.", "PERSON")])
    df = resolve_corpus_entities(table(rows), [])
    assert entity_of(df, "Joseph R. Biden") == entity_of(df, "Joseph R. Biden Jr.")
    assert entity_of(df, "Donald Trump Jr.") == "Donald Trump Jr."


def test_a_first_name_beside_the_family_name_is_that_person():
    rows = [(f"c{i}", "Chelsea Clinton", "PERSON") for i in range(2)] + [("h", "Chelsea", "PERSON"),
                                                                         ("h", "Clinton", "PERSON")]
    df = resolve_corpus_entities(table(rows), [])
    assert entity_of(df, "Chelsea") == "Chelsea Clinton"


def test_a_first_name_no_article_uses_for_the_person_stays_apart():
    """"Joseph" in an article about a parent named Joseph is not the vice president no article
    calls "Joseph"."""
    rows = [(f"b{i}", "Joseph R. Biden", "PERSON") for i in range(4)] + [("p", "Joseph", "PERSON")]
    df = resolve_corpus_entities(table(rows), [])
    assert entity_of(df, "Joseph") == "Joseph"


def test_middle_names_and_case_join_and_suffixes_do_not():
    rows = ([(f"a{i}", "Donald Trump", "PERSON") for i in range(4)]
            + [("b", "Donald J. Trump", "PERSON"), ("c", "DONALD TRUMP", "PERSON"),
               ("d", "Donald Trump Jr.", "PERSON"), ("e", "George W. Bush", "PERSON"),
               ("f", "George H.W. Bush", "PERSON")])
    df = resolve_corpus_entities(table(rows), [])
    assert entity_of(df, "Donald J. Trump") == "Donald Trump"
    assert entity_of(df, "DONALD TRUMP") == "Donald Trump"
    assert entity_of(df, "Donald Trump Jr.") == "Donald Trump Jr."
    assert entity_of(df, "George W. Bush") != entity_of(df, "George H.W. Bush")


def test_headline_fragment_joins_the_person_but_an_institution_does_not():
    rows = ([(f"a{i}", "Jeb Bush", "PERSON") for i in range(3)] + [("b", "Floridians Jeb Bush", "PERSON")]
            + [(f"h{i}", "Hillary Clinton", "PERSON") for i in range(3)]
            + [("c", "Hillary Clinton Foundation", "PERSON")])
    df = resolve_corpus_entities(table(rows), [])
    assert entity_of(df, "Floridians Jeb Bush") == "Jeb Bush"
    assert entity_of(df, "Hillary Clinton Foundation") == "Hillary Clinton Foundation"


def test_label_conflict_is_settled_by_majority():
    rows = [("a", "Trump", "PERSON"), ("b", "Trump", "PERSON"), ("c", "Trump", "ORG")]
    df = resolve_corpus_entities(table(rows), [])
    assert set(df.entity_label) == {"PERSON"}
    assert list(df.label) == ["PERSON", "PERSON", "ORG"]  # the mention's own label is kept


def test_norp_plural_joins_singular():
    rows = [("a", "Democrats", "NORP"), ("b", "Democrats", "NORP"), ("c", "Democrat", "NORP")]
    df = resolve_corpus_entities(table(rows), [])
    assert set(df.entity) == {"Democrats"}


def test_analyst_row_pins_a_name_and_sets_label_and_group(tmp_path):
    rows = ([(f"h{i}", "Hillary Clinton", "PERSON") for i in range(4)] + [("c", "Clinton", "PERSON"),
            ("d", "Gazprom", "PERSON"), ("e", "America", "GPE")])
    aliases = tmp_path / "mine.csv"
    aliases.write_text("alias,canonical,label,group\nClinton,Clinton,,\nGazprom,Gazprom,ORG,Russia\n"
                       "America,America,,\n", encoding="utf-8")
    df = resolve_corpus_entities(table(rows), [aliases])
    assert entity_of(df, "Clinton") == "Clinton"
    g = df[df.canonical == "Gazprom"]
    assert set(g.entity_label) == {"ORG"} and set(g.group) == {"Russia"}
    assert entity_of(df, "America") == "America"  # the analyst's row overrides the default
    assert entity_of(resolve_corpus_entities(table(rows), []), "America") == "United States"


def test_alias_keys_ignore_case_stops_and_the():
    assert name_key("the U.S.") == name_key("US") == name_key("u.s.")
    table_ = load_aliases([])
    assert table_[name_key("D.P.R.K.")].canonical == "North Korea"


def test_missing_alias_file_warns_and_keeps_defaults(tmp_path):
    with pytest.warns(UserWarning):
        df = resolve_corpus_entities(table([("a", "DPRK", "ORG")]), [tmp_path / "nope.csv"])
    assert set(df.entity) == {"North Korea"} and set(df.entity_label) == {"GPE"}


def test_empty_table():
    df = resolve_corpus_entities(table([]), [])
    assert {"entity", "entity_label", "group"} <= set(df.columns) and df.empty


def test_speaker_names_link_to_entities(corpus):
    linked = link_names(["Vipin Narang", "Narang", "Donald Trump", "President Trump", "a spokesperson"], corpus)
    assert linked["Vipin Narang"] == linked["Narang"] == "Vipin Narang"
    assert linked["Donald Trump"] == "Donald Trump"
    assert "a spokesperson" not in linked


def test_mr_and_mrs_tell_two_people_with_one_surname_apart():
    rows = []
    for i in range(6):  # articles about her: "Mrs. Clinton"
        rows += [(f"h{i}", "Hillary Clinton", "Hillary Clinton", "PERSON", None),
                 (f"h{i}", "Clinton", "Hillary Clinton", "PERSON", "Mrs")]
    for i in range(3):  # articles about him: "Mr. Clinton"
        rows += [(f"b{i}", "Bill Clinton", "Bill Clinton", "PERSON", None),
                 (f"b{i}", "Clinton", "Bill Clinton", "PERSON", "Mr")]
    rows += [("both", "Hillary Clinton", "Hillary Clinton", "PERSON", None),
             ("both", "Bill Clinton", "Bill Clinton", "PERSON", None),
             ("both", "Clinton", "Clinton", "PERSON", "Mr"),      # ambiguous in the article
             ("both", "Clinton", "Clinton", "PERSON", "Mrs"),
             ("her", "Hillary Clinton", "Hillary Clinton", "PERSON", None),
             ("her", "Clinton", "Hillary Clinton", "PERSON", "Mr")]  # the article names only her
    df = resolve_corpus_entities(titled(rows), [])
    both = df[df.article_id == "both"].set_index("title")
    assert both.loc["Mr", "entity"] == "Bill Clinton"
    assert both.loc["Mrs", "entity"] == "Hillary Clinton"
    her = df[(df.article_id == "her") & (df.title == "Mr")]
    assert list(her.entity) == ["Bill Clinton"]


def test_a_surname_left_alone_joins_the_one_person_its_article_names():
    rows = []
    for i in range(3):  # Jeb and George W. equally common: "Bush" alone stays ambiguous corpus-wide
        rows += [(f"j{i}", "Jeb Bush", "Jeb Bush", "PERSON", None), (f"g{i}", "George W. Bush", "George W. Bush", "PERSON", None)]
    rows += [("jeb", "Floridians Jeb Bush", "Floridians Jeb Bush", "PERSON", None),  # a headline fragment
             ("jeb", "Bush", "Bush", "PERSON", None), ("jeb", "Bush", "Bush", "PERSON", None),
             ("two", "Jeb Bush", "Jeb Bush", "PERSON", None), ("two", "George W. Bush", "George W. Bush", "PERSON", None),
             ("two", "Bush", "Bush", "PERSON", None),
             ("none", "Bush", "Bush", "PERSON", None)]
    df = resolve_corpus_entities(titled(rows), [])
    assert set(df[df.article_id == "jeb"].entity) == {"Jeb Bush"}  # after the merge, the article's only Bush
    assert df[(df.article_id == "two") & (df.text == "Bush")].entity.tolist() == ["Bush"]  # which one? unsaid
    assert df[df.article_id == "none"].entity.tolist() == ["Bush"]


def test_a_fragment_around_a_word_does_not_absorb_it():
    rows = [(f"l{i}", "Latinos", "PERSON") for i in range(5)] + [("x", "Among Voters", "PERSON"),
                                                               ("x", "Voters", "PERSON")] * 1
    rows += [(f"v{i}", "Voters", "PERSON") for i in range(5)]
    df = resolve_corpus_entities(table(rows), [], include_defaults=False)
    assert entity_of(df, "Voters") == "Voters"


def test_identical_mentions_counted_once_with_their_number_resolve_as_each_one():
    """The corpus step hands the short-name rules one row per identical mention of an article
    with its count (`fix_short_forms` weights): the votes and title counts are those of every
    mention. Here one article's three untitled "Clinton" mentions beside two of Bill's full name
    and one of Hillary's follow him; counted once each, it would be a tie that settles nothing."""
    import numpy as np

    from analysis.corpus_people import fix_short_forms

    rows = [("a", "Bill Clinton", "Bill Clinton"), ("a", "Hillary Clinton", "Hillary Clinton"),
            ("a", "Clinton", "Clinton")]
    out = pd.DataFrame([dict(article_id=a, text=t, canonical=c, label="PERSON", title=None) for a, t, c in rows])
    entities = ["Bill Clinton", "Hillary Clinton", "Clinton"]
    person = np.array([True, True, True])
    arts = np.array([5.0, 5.0, 1.0])

    def resolve(weights):
        return fix_short_forms(out, np.array([0, 1, 2]), list(entities), person, arts, {}, weights)[2]

    assert resolve([2, 1, 3]) == 0  # Bill: two full-name mentions against one
    assert resolve(None) == 2  # one each: the word stays open
