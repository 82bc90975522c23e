"""Entities: what an analyst would count by hand, on the seeds and on sentences written for a rule.

The seeds never spell out "Donald Trump", so the corpus tests add one short written article that
does, as any real corpus would; everything else is the seeds as they are.
"""
from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from analysis import entity_queries as q
from analysis import indexes
from analysis.aliases import alias_files, load_aliases, name_key, resolve_corpus_entities
from analysis.entities import extract_entities, normalise
from analysis.loaders import load_paths
from analysis.records import Article, EntityMention
from analysis.store import SCHEMAS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
COLUMNS = list(EntityMention.__dataclass_fields__)

WRITTEN = Article(
    article_id="written-trump",
    source="written.txt",
    text="President Donald Trump met reporters at the White House on Monday. "
         "Trump said the talks with North Korea would resume.",
)


def frame(mentions: list[EntityMention]) -> pd.DataFrame:
    return pd.DataFrame([m.__dict__ for m in mentions], columns=COLUMNS)


@pytest.fixture(scope="module")
def seeds(nlp):
    articles = load_paths([SEEDS]).articles
    assert len(articles) == 3
    return [(a, nlp(a.text)) for a in articles]


@pytest.fixture(scope="module")
def seed_mentions(seeds) -> dict[str, list[EntityMention]]:
    return {a.source: extract_entities(doc, a) for a, doc in seeds}


@pytest.fixture(scope="module")
def corpus(nlp, seed_mentions) -> pd.DataFrame:
    """Seeds plus the written article, resolved with the shipped aliases only."""
    rows = [m for ms in seed_mentions.values() for m in ms] + extract_entities(nlp(WRITTEN.text), WRITTEN)
    return resolve_corpus_entities(frame(rows), [])


def article_mentions(seed_mentions, stem: str) -> list[EntityMention]:
    return next(ms for src, ms in seed_mentions.items() if Path(src).name.startswith(stem))


def run_on(nlp, text: str) -> list[EntityMention]:
    return extract_entities(nlp(text), Article(article_id="t", source="t.txt", text=text))


# --- within one article -------------------------------------------------------------------------

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


# --- across the corpus --------------------------------------------------------------------------

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
    counts = seeds_only[seeds_only.entity_label.isin(q.NAME_LABELS)].groupby("entity").size()
    top = counts.sort_values(ascending=False)
    # The three the seeds are about, each counted once per mention under one name.
    assert set(top.index[:3]) == {"Donald Trump", "North Korea", "United States"}
    assert top["Donald Trump"] == seeds_only.text.str.contains("Trump").sum()


# --- corpus rules on small tables ---------------------------------------------------------------

def table(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """(article_id, canonical, label) rows as a mentions table."""
    return pd.DataFrame([dict(article_id=a, start=i, end=i + 1, text=c, label=lab, canonical=c, sentence=0)
                         for i, (a, c, lab) in enumerate(rows)], columns=COLUMNS)


def entity_of(df: pd.DataFrame, canonical: str) -> str:
    values = set(df[df.canonical == canonical].entity)
    assert len(values) == 1, values
    return values.pop()


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


def test_alias_files_env_then_store_then_cwd(tmp_path, monkeypatch):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    monkeypatch.setenv("ANALYSIS_ALIASES", f"{a}:{b}")
    assert alias_files() == [a, b]
    monkeypatch.delenv("ANALYSIS_ALIASES")
    store = tmp_path / "store"
    store.mkdir()
    (store / "aliases.csv").write_text("alias,canonical\n", encoding="utf-8")
    assert alias_files(store) == [store / "aliases.csv"]
    monkeypatch.chdir(tmp_path)
    assert alias_files() == []


def test_missing_alias_file_warns_and_keeps_defaults(tmp_path):
    with pytest.warns(UserWarning):
        df = resolve_corpus_entities(table([("a", "DPRK", "ORG")]), [tmp_path / "nope.csv"])
    assert set(df.entity) == {"North Korea"} and set(df.entity_label) == {"GPE"}


def test_empty_table():
    df = resolve_corpus_entities(table([]), [])
    assert {"entity", "entity_label", "group"} <= set(df.columns) and df.empty


def test_resolution_scales_linearly():
    # 400,000 mentions over 20,000 distinct names: a corpus-level step must stay well under the
    # time the store takes to load them.
    rng = np.random.default_rng(0)
    n = 400_000
    names = np.array([f"Person{i} Name{i % 5000}" for i in range(15_000)] + [f"Name{i}" for i in range(5_000)])
    df = pd.DataFrame({
        "article_id": rng.integers(0, 20_000, n).astype(str),
        "start": np.arange(n), "end": np.arange(n) + 1,
        "text": "x", "label": rng.choice(["PERSON", "ORG", "GPE"], n),
        "canonical": names[rng.integers(0, len(names), n)], "sentence": 0,
    })
    t = time.perf_counter()
    out = resolve_corpus_entities(df, [])
    assert len(out) == n
    assert time.perf_counter() - t < 20


# --- queries and command ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def con(seeds, corpus):
    articles = pd.DataFrame([dict(article_id=a.article_id, date=a.date, outlet=a.outlet, title=a.title)
                             for a, _ in seeds]
                            + [dict(article_id=WRITTEN.article_id, date="2019-10-07", outlet="written",
                                    title="written")])
    c = duckdb.connect()
    c.register("_articles", articles)
    c.register("_entities", corpus)
    c.execute("CREATE TABLE articles AS SELECT * FROM _articles")
    c.execute("CREATE TABLE entities AS SELECT * FROM _entities")
    c.register("_quotes", SCHEMAS["quotes"].empty_table())  # no quotes here, but the store's table
    c.execute("CREATE TABLE quotes AS SELECT *, speaker AS speaker_key FROM _quotes")
    indexes.build(c)  # the summary tables the counts read, as the corpus step builds them
    return c


def test_entity_counts(con):
    top = q.entity_counts(con, limit=5).set_index("entity")
    assert top.loc["North Korea", "articles"] == 4
    assert top.loc["Donald Trump", "entity_label"] == "PERSON"
    assert not q.entity_counts(con, labels=None, limit=None).empty
    assert set(q.entity_counts(con, labels=["PERSON"]).entity_label) == {"PERSON"}
    groups = q.entity_counts(con, by="group", labels=["GPE", "NORP"], limit=None).set_index("group")
    assert groups.loc["North Korea", "mentions"] == (
        q.entity_counts(con, labels=["GPE", "NORP"], limit=None).set_index("entity")
        .loc[["North Korea", "North Korean"], "mentions"].sum())


def test_entity_counts_where(con):
    only = q.entity_counts(con, where="a.outlet = 'written'", limit=None)
    assert set(only.entity) == {"Donald Trump", "White House", "North Korea"}
    # Placeholders in the fragment come before the function's own parameters.
    dated = q.entity_counts(con, "TRY_CAST(a.date AS DATE) >= ?", ["2019-10-07"], labels=["PERSON"], limit=None)
    assert "Donald Trump" in set(dated.entity) and set(dated.entity_label) == {"PERSON"}
    pairs = q.cooccurrence(con, "a.outlet = ?", ["written"], scope="article", entity="Donald Trump", limit=None)
    assert set(pairs.source) | set(pairs.target) == {"Donald Trump", "White House", "North Korea"}
    assert q.entity_by_outlet(con, ["North Korea"], "a.outlet = ?", ["written"]).articles.sum() == 1
    assert len(q.entity_articles(con, "North Korea", "coalesce(a.outlet, '') <> ?", ["written"])) == 3


def test_entity_timeline_and_outlet(con):
    tl = q.entity_timeline(con, ["Donald Trump"], period="month")
    assert not tl.empty and set(tl.entity) == {"Donald Trump"}
    assert tl.mentions.sum() <= con.execute("SELECT count(*) FROM entities WHERE entity='Donald Trump'").fetchone()[0]
    by_outlet = q.entity_by_outlet(con, ["North Korea"])
    assert by_outlet.articles.sum() == 4
    assert (by_outlet.outlet_articles >= by_outlet.articles).all()


def test_entity_articles(con):
    arts = q.entity_articles(con, "Vipin Narang")
    assert len(arts) == 1 and arts.mentions.iloc[0] == 2


def test_cooccurrence(con):
    pairs = q.cooccurrence(con, scope="sentence", limit=None)
    assert (pairs.source < pairs.target).all()
    assert not pairs[pairs.source.str.contains("couple")].shape[0]  # dates are not in the network
    narang = q.cooccurrence(con, scope="article", entity="Vipin Narang", labels=["PERSON", "GPE"], limit=None)
    assert set(narang.source).union(narang.target) >= {"Vipin Narang", "Mintaro Oba", "North Korea"}
    by_article = q.cooccurrence(con, scope="article", limit=None).set_index(["source", "target"])
    assert by_article.loc[("Donald Trump", "North Korea"), "count"] == 4


def test_entities_command(capsys):
    from analysis.cli import main

    assert main(["entities", str(SEEDS), "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and set(records[0]) == {"file", "start", "end", "text", "canonical", "label"}
    narang = [r for r in records if r["text"] == "Narang"]
    assert narang and narang[0]["canonical"] == "Vipin Narang" and narang[0]["label"] == "PERSON"
    dprk = [r for r in records if r["text"] == "DPRK"]
    assert dprk and {r["canonical"] for r in dprk} == {"North Korea"}
    for r in records:
        text = Path(r["file"]).read_text(encoding="utf-8")
        assert text[r["start"]:r["end"]] == r["text"]


def test_entities_command_csv(capsys, tmp_path):
    from analysis.cli import main

    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,canonical\nPyongyang,North Korea\n", encoding="utf-8")
    assert main(["entities", str(SEEDS), "--format", "csv", "--aliases", str(aliases)]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(df.columns) == ["file", "start", "end", "text", "canonical", "label"]
    assert set(df[df.text == "Pyongyang"].canonical) == {"North Korea"}


def test_speaker_names_link_to_entities(corpus):
    from analysis.aliases import link_names

    linked = link_names(["Vipin Narang", "Narang", "Donald Trump", "President Trump", "a spokesperson"], corpus)
    assert linked["Vipin Narang"] == linked["Narang"] == "Vipin Narang"
    assert linked["Donald Trump"] == "Donald Trump"
    assert "a spokesperson" not in linked


def test_title_is_kept_and_a_shared_title_picks_the_person(nlp):
    text = ("Former President George W. Bush and Florida Gov. Jeb Bush met in Miami. "
            "President Bush said it went well, and Gov. Bush agreed.")
    ms = run_on(nlp, text)
    assert [(m.canonical, m.title) for m in ms if m.text == "Bush"] == [
        ("George W. Bush", "President"), ("Jeb Bush", "Gov")]
    assert {m.title for m in run_on(nlp, "Mr. Trump met Sen. Ted Cruz.") if m.label == "PERSON"} == {"Mr", "Sen"}


def titled(rows: list[tuple[str, str, str, str, str | None]]) -> pd.DataFrame:
    """(article_id, text, canonical, label, title) rows as a mentions table."""
    return pd.DataFrame([dict(article_id=a, start=i, end=i + 1, text=t, label=lab, canonical=c, sentence=0,
                              title=ti) for i, (a, t, c, lab, ti) in enumerate(rows)], columns=COLUMNS)


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
