"""Expert opinions: a statement's subject and claim read at ingest, general stance with its
evidence, the denial in the seeds, claims grouped by subject, the codebook on stored rows, and
new statements filed into existing claims without a regroup."""
from __future__ import annotations

import dataclasses
import time

import duckdb
import pandas as pd
import pytest

from analysis.opinions import apply_codebook, assign_new_statements, derive_opinions, group_statements, load_codebook
from analysis.opinions.claims import extract_claims
from analysis.opinions.stance import load_cues, read_tokens
from analysis.opinions.subjects import demonym_place
from tests.conftest import SEEDS


def _claims_of(nlp, text: str):
    """Quotes and claims of one made-up article, as the pipeline extracts them."""
    from analysis.entities import extract_entities
    from analysis.loaders import parse_text_article
    from analysis.quotes import extract_quotes

    article = parse_text_article(text, "test.txt")
    doc = nlp(article.text)
    quotes, _ = extract_quotes(doc, article)
    return quotes, extract_claims(doc, article, quotes, extract_entities(doc, article))


@pytest.fixture(scope="module")
def seeds(nlp) -> pd.DataFrame:
    """The seed statements grouped as the `opinions` command groups them."""
    from analysis.aliases import resolve_corpus_entities
    from analysis.entities import extract_entities
    from analysis.loaders import load_paths
    from analysis.quotes import extract_quotes
    from analysis.roles import assign_roles, speaker_table
    from analysis.speakers import corpus_speaker_names

    quotes, claims, mentions = [], [], []
    for article in load_paths([SEEDS]).articles:
        doc = nlp(article.text)
        qs, _ = extract_quotes(doc, article)
        ents = extract_entities(doc, article)
        quotes += qs
        mentions += ents
        claims += extract_claims(doc, article, qs, ents)
    key_of = corpus_speaker_names(sorted({q.speaker for q in quotes if q.speaker}))
    statements = pd.DataFrame([{"article_id": q.article_id, "start": q.start, "text": q.text, "kind": q.kind,
                                "speaker_key": key_of.get(q.speaker, q.speaker) if q.speaker else None} for q in quotes])
    entities = resolve_corpus_entities(pd.DataFrame([dataclasses.asdict(m) for m in mentions]), [])
    return group_statements(statements, pd.DataFrame([dataclasses.asdict(c) for c in claims]),
                            roles=assign_roles(speaker_table(quotes, key_of), None), entities=entities)


def _row(grouped: pd.DataFrame, phrase: str) -> pd.Series:
    rows = grouped[grouped["text"].str.contains(phrase, regex=False)]
    assert len(rows) == 1, f"{phrase!r}: {len(rows)} statements"
    return rows.iloc[0]


# ---------------------------------------------------------------------------------------------
# Claims at ingest, on sentences of our own


@pytest.mark.parametrize("text, subject, predicate, negated", [
    ("The analyst said the senator is stalling the bill to win concessions.", "senator", "stall", False),
    ("Maria Lopez said the new plan will not reduce costs for families.", "plan", "reduce", True),
    ("The mayor said she thinks the stadium deal was a mistake.", "deal", "be", False),
])
def test_subject_and_predicate_of_a_reported_statement(nlp, text, subject, predicate, negated):
    _, claims = _claims_of(nlp, text)
    assert len(claims) == 1
    c = claims[0]
    assert subject in (c.subject_key or "").lower()
    assert c.predicate == predicate and c.negated is negated


def test_i_and_we_are_the_speaker_and_hedges_are_kept(nlp):
    _, claims = _claims_of(nlp, '"We will probably win this district," said Tom Baker, the campaign manager.')
    c = claims[0]
    assert c.subject_kind == "speaker" and c.subject == "Tom Baker"
    assert c.modality == "will" and "probably" in (c.hedges or "")


def test_a_denial_reverses_the_claim(nlp):
    _, claims = _claims_of(nlp, "The company denied that the factory had failed its safety inspection.")
    c = claims[0]
    assert c.negated and c.stance_score > 0 and "denied" in c.stance_evidence


@pytest.mark.parametrize("text, sign, phrase", [
    ("The meeting was productive and the results were good.", 1, "+productive"),
    ("The new policy is not reliable.", -1, "−not reliable"),
    ("There has been no progress at all.", -1, "−not progress"),
    ("The delegation arrived on Tuesday.", 0, ""),
    # What follows "but" is the point: "good" weighs less than "fail" after it.
    ("The plan has a good goal, but it will fail.", -1, "−fail"),
])
def test_stance_cues_and_negation(nlp, text, sign, phrase):
    reading = read_tokens(list(nlp(text)), load_cues())
    assert (reading.score > 0) - (reading.score < 0) == sign
    assert (phrase in reading.evidence) if phrase else reading.evidence == []


@pytest.mark.parametrize("text", [
    "Residents said they don't believe the council will deliver a good budget.",
    "Parents said they do not expect the new school to be ready.",
    "I doubt the new bridge will be safe, the engineer said.",
    "Voters said they no longer expect the mayor to fix the roads.",
])
def test_a_negated_belief_reverses_the_stance_of_what_it_frames(nlp, text):
    """Not believing that the council will deliver a good budget is against the council: the
    complement's cue ("good") counts reversed, and a complement without cues reads as doubt."""
    _, claims = _claims_of(nlp, text)
    c = claims[0]
    assert c.stance_score < 0 and "not believed" in c.stance_evidence


def test_words_in_parentheses_are_an_aside_not_the_statement(nlp):
    reading_of = _claims_of(nlp, "The coach said the team will lose on Sunday (the fans seem happy anyway).")[1][0]
    assert reading_of.stance_score < 0 and "happy" not in reading_of.stance_evidence


def test_a_quoted_phrase_without_a_verb_has_no_predicate(nlp):
    _, claims = _claims_of(nlp, 'The mayor called the stadium plan a "total fiasco" on Monday.')
    assert [c.predicate for c in claims if "fiasco" in c.claim] in ([None], [])


def test_a_nationality_names_its_country_by_english_endings():
    places = {"North Korea", "Iran", "Mexico", "Chin"}
    assert demonym_place("North Koreans", places) == "North Korea"
    assert demonym_place("Iranian", places) == "Iran"
    assert demonym_place("Mexicans", places) is None  # not every nationality is its place and an ending
    assert demonym_place("Democrats", places) is None


# ---------------------------------------------------------------------------------------------
# The seeds


def test_seed_denial_is_not_the_us_side_saying_the_talks_failed(seeds):
    denial = _row(seeds, "talks had broken down")
    assert denial["speaker_key"] == "The Trump regime"
    assert bool(denial["negated"]) and denial["stance"] == "positive"
    assert "denied" in denial["stance_evidence"]
    kim = _row(seeds, "talks be suspended")
    assert kim["subject"] == denial["subject"] == "talks" and kim["stance"] == "negative"


def test_seed_experts_on_north_korea(seeds):
    narang = _row(seeds, "buying time to continue")
    easley = _row(seeds, "classic North Korean negotiating tactics")
    oba = _row(seeds, "create the impression")
    assert {narang["role"], easley["role"]} == {"expert"}
    # Oba's "They" and Easley's "North Korean" name North Korea, like Narang's statement does.
    assert narang["subject"] == easley["subject"] == oba["subject"] == "North Korea"
    assert narang["stance"] == easley["stance"] == oba["stance"] == "negative"
    assert "buying time" in narang["stance_evidence"]
    # Narang and Easley make one claim about North Korea: one camp.
    assert narang["claim_id"] == easley["claim_id"]
    assert narang["claim_label"] in set(seeds.loc[seeds["claim_id"] == narang["claim_id"], "claim"])


def test_seed_talks_opposing_camps(seeds):
    """The U.S. negotiators' "good" discussions and Kim Myong Gil's call to suspend the talks are
    filed under one subject, the talks (meeting nouns are one subject, a speaker is not the
    subject of their own statement), and lean opposite ways in different claims."""
    us = _row(seeds, "new initiatives")
    kim = _row(seeds, "talks be suspended")
    assert us["subject"] == kim["subject"] == "talks"
    assert (us["stance"], kim["stance"]) == ("positive", "negative")
    assert us["claim_id"] != kim["claim_id"]
    assert _row(seeds, "resume in")["subject"] == "talks"  # "negotiations"


def test_seed_north_korean_officials_are_not_critics_of_north_korea(seeds):
    critics = set(seeds.loc[(seeds["subject"] == "North Korea") & (seeds["stance"] == "negative")
                            & (seeds["claim_size"] > 1), "speaker_key"])
    assert critics == {"Vipin Narang", "Leif-Eric Easley", "Mintaro Oba"}
    assert _row(seeds, "sickening negotiations")["subject"] != "North Korea"
    # "they don't believe the United States will bring a realistic plan": against the U.S.
    doubt = _row(seeds, "realistic plan")
    assert doubt["subject"] == "United States" and doubt["stance"] == "negative"
    # A scare-quoted word states no claim of its own: it goes with its speaker's point (Kim
    # Myong Gil's call to suspend the talks), not alone under North Korea, and labels nothing.
    fragment = _row(seeds, "the “breakdown")
    kim = _row(seeds, "talks be suspended")
    assert fragment["subject"] == "talks" and fragment["claim_id"] == kim["claim_id"]
    assert fragment["claim_label"] == kim["claim_label"] and "suspended" in kim["claim_label"]
    assert (seeds["claim_label"] != "breakdown").all()


def test_seed_claim_labels_are_full_statements(seeds):
    shared = seeds[seeds["claim_size"] > 1]
    assert len(shared) and all(len(label.split()) >= 5 for label in shared["claim_label"])


def test_every_statement_has_a_subject_and_a_claim(seeds):
    assert seeds["claim_id"].notna().all() and seeds["claim_label"].str.len().gt(0).all()
    assert seeds["subject"].notna().all()
    assert set(seeds["stance"]) <= {"positive", "negative", "neutral"}


def test_codebook_pins_names_and_adds_stance_without_regrouping(seeds, tmp_path):
    book = tmp_path / "codebook.yaml"
    book.write_text(
        "themes:\n"
        "  - name: Sanctions relief for dismantling\n"
        "    keywords: [sanction*, dismantle]\n"
        "  - name: Talks suspended or cut short\n"
        "    examples: ['that talks be suspended until the end of the year']\n"
        "  - name: North Korea plays for time\n"
        "    keywords: [buy time, stall, concession*, impasse, negotiat*]\n"
        "    pin: false\n"
        "stance:\n"
        "  hopeful: [permanently and completely dismantle]\n", encoding="utf-8")
    started = time.perf_counter()
    coded = apply_codebook(seeds, book)
    assert time.perf_counter() - started < 5  # no parse, no grouping
    ri = _row(coded, "removes partial sanctions")
    assert (ri["group_label"], ri["group_source"]) == ("Sanctions relief for dismantling", "codebook")
    assert ri["stance"] == "positive" and "dismantle" in ri["stance_evidence"]
    assert _row(coded, "talks be suspended")["group_label"] == "Talks suspended or cut short"
    narang = _row(coded, "buying time to continue")
    assert (narang["group_label"], narang["group_source"]) == ("North Korea plays for time", "codebook name")
    assert (coded["claim_id"] == seeds["claim_id"]).all()  # the automatic claims are kept underneath
    csv_book = tmp_path / "codebook.csv"
    csv_book.write_text("theme,keywords,examples,pin\nSanctions relief for dismantling,sanction*;dismantle,,\n",
                        encoding="utf-8")
    assert [t.name for t in load_codebook(csv_book).themes] == ["Sanctions relief for dismantling"]


# ---------------------------------------------------------------------------------------------
# Grouping on a corpus of our own


def _corpus(rows: list[tuple[str, str, str, list[str]]]) -> duckdb.DuckDBPyConnection:
    """quotes / articles / claims tables from (article, speaker, subject, terms) rows."""
    con = duckdb.connect()
    article_no = {a: n for n, a in enumerate(sorted({r[0] for r in rows}), start=1)}
    quotes = pd.DataFrame([{"quote_no": i + 1, "article_no": article_no[a], "article_id": a, "start": i * 100,
                            "text": f"{subject} {' '.join(terms)}", "speaker_key": sp, "kind": "indirect"}
                           for i, (a, sp, subject, terms) in enumerate(rows)])
    claims = pd.DataFrame([{"article_id": a, "start": i * 100, "subject": subject, "subject_key": subject,
                            "subject_kind": "noun", "subject_label": None, "mentions": [], "context": None,
                            "predicate": terms[0], "claim": f"{subject} {' '.join(terms)}", "terms": terms, "words": [],
                            "negated": False, "modality": None, "hedges": None, "stance_score": 0,
                            "stance_evidence": ""} for i, (a, sp, subject, terms) in enumerate(rows)])
    arts = pd.DataFrame({"article_id": list(article_no), "date": "2020-01-01", "article_no": list(article_no.values())})
    for name, df in (("quotes", quotes), ("claims", claims), ("articles", arts)):
        con.register("_df", df)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM _df")
        con.unregister("_df")
    return con


ROWS = [("a1", "Ann", "tax", ["raise", "middle", "class", "burden"]),
        ("a2", "Bob", "tax", ["raise", "burden", "middle", "families"]),
        ("a3", "Cy", "tax", ["raise", "middle", "class", "families"]),
        ("a4", "Di", "tax", ["cut", "corporate", "rate", "investment"]),
        ("a5", "Ed", "tax", ["cut", "corporate", "rate", "growth"]),
        ("a6", "Fay", "wall", ["cost", "billion", "taxpayer"]),
        ("a7", "Gus", "wall", ["cost", "billion", "budget"]),
        ("a8", "Hal", "museum", ["open", "summer", "visitor"])]


def test_claims_are_per_subject_and_a_lone_statement_stays_under_its_subject():
    con = _corpus(ROWS)
    derive_opinions(con)
    o = con.execute("SELECT speaker_key, subject, claim_id, claim_size FROM opinions ORDER BY quote_no").df()
    claim = dict(zip(o["speaker_key"], o["claim_id"], strict=True))
    assert claim["Ann"] == claim["Bob"] == claim["Cy"] != claim["Di"] == claim["Ed"]
    assert claim["Fay"] == claim["Gus"] != claim["Ann"]
    hal = o[o["speaker_key"] == "Hal"].iloc[0]
    assert hal["subject"] == "museum" and hal["claim_size"] == 1


COUNCIL = [("a1", "Ann", "council", ["stall", "vote", "delay"]), ("a2", "Bob", "council", ["demand", "concession", "money"]),
           ("a3", "Cy", "council", ["park", "tree", "garden"]), ("a4", "Di", "council", ["bus", "route", "fare"])]


@pytest.mark.parametrize("leans, together", [((-1, -1), True), ((1, 1), True), ((0, 0), False), ((-1, 1), False)])
def test_in_a_small_subject_statements_that_lean_the_same_way_are_one_camp(leans, together):
    """Ann and Bob say different things about the council (no word in common): in a subject of a
    few statements (mostly one story), leaning the same way makes them one camp; neutral, or
    leaning opposite ways, they stay apart, and so do the neutral others."""
    con = _corpus(COUNCIL)
    for start, lean in zip((0, 100), leans, strict=True):
        con.execute("UPDATE claims SET stance_score = ? WHERE start = ?", [lean, start])
    derive_opinions(con)
    claim = dict(con.execute("SELECT speaker_key, claim_id FROM opinions").fetchall())
    assert (claim["Ann"] == claim["Bob"]) is together
    assert len({claim["Ann"], claim["Cy"], claim["Di"]}) == 3


def test_meeting_nouns_at_the_head_of_a_subject_are_one_subject():
    con = _corpus([("m1", "Ann", "negotiation", ["resume", "week"]), ("m2", "Bob", "discussion", ["good", "frank"]),
                   ("m3", "Cy", "summit", ["cancel", "weather"]), ("m4", "Di", "trade meeting", ["tariff", "steel"]),
                   ("m5", "Ed", "trade talk", ["tariff", "grain"]), ("m6", "Fay", "meeting room", ["paint", "wall"])])
    derive_opinions(con)
    subject = dict(con.execute("SELECT speaker_key, subject_key FROM opinions").fetchall())
    assert subject["Ann"] == subject["Bob"] == subject["Cy"] == "talk"
    assert subject["Di"] == subject["Ed"] == "trade talk"
    assert subject["Fay"] == "meeting room"  # the room is not a meeting


def _with_sides(con: duckdb.DuckDBPyConnection, sides: dict[str, str]) -> None:
    con.register("_sides", pd.DataFrame({"speaker_key": list(sides), "role": "official", "side": list(sides.values())}))
    con.execute("CREATE TABLE speakers_corpus AS SELECT * FROM _sides")
    con.unregister("_sides")


def test_a_complaint_against_the_speakers_own_side_is_filed_under_whom_it_blames():
    """Ann (of the Harbor Guild) complains, with the Guild as the grammatical subject, of what
    the Canal Board did: it is a statement about the Board. Bob, outside the Guild, criticising
    it, and Cy praising her own Guild stay under the Guild."""
    con = _corpus([("g1", "Ann", "Harbor Guild", ["force", "close", "dock"]),
                   ("g2", "Bob", "Harbor Guild", ["waste", "fund"]),
                   ("g3", "Cy", "Harbor Guild", ["win", "prize"]),
                   ("g4", "Di", "Canal Board", ["raise", "fee"]),
                   ("g5", "Ed", "Canal Board", ["delay", "permit"])])
    con.execute("CREATE OR REPLACE TABLE claims AS SELECT * REPLACE (CASE WHEN start = 0 THEN ['Canal Board'] "
                "ELSE []::VARCHAR[] END AS mentions) FROM claims ORDER BY start")
    con.execute("UPDATE claims SET subject_kind = 'entity'")
    con.execute("UPDATE claims SET stance_score = -1 WHERE start IN (0, 100)")
    con.execute("UPDATE claims SET stance_score = 1 WHERE start = 200")
    _with_sides(con, {"Ann": "Harbor Guild", "Bob": "Canal Board", "Cy": "Harbor Guild"})
    derive_opinions(con)
    subject = dict(con.execute("SELECT speaker_key, subject_key FROM opinions").fetchall())
    assert subject["Ann"] == "Canal Board"
    assert subject["Bob"] == subject["Cy"] == "Harbor Guild"


def test_a_speakers_lone_statement_about_themselves_goes_under_what_it_names():
    """"We made new offers at the talks": the talks, not the speaker."""
    con = _corpus([("s1", "Ann", "Ann", ["make", "offer", "talk"]),
                   ("s2", "Bob", "talk", ["fail", "offer"]), ("s3", "Cy", "talk", ["end", "early"])])
    con.execute("UPDATE claims SET subject_kind = 'speaker' WHERE start = 0")
    derive_opinions(con)
    subject = dict(con.execute("SELECT speaker_key, subject FROM opinions").fetchall())
    assert subject["Ann"] == "talk"


def test_a_fragment_stays_alone_and_a_full_statement_labels_the_claim():
    """A quoted fragment (a few words, no verb) shares the claim's words but states nothing: it
    stays alone. Of the others, the full statement names the claim, not the three-word one."""
    con = _corpus([("f1", "Ann", "levy", ["raise", "burden", "family"]), ("f2", "Bob", "levy", ["raise", "burden", "family"]),
                   ("f3", "Cy", "levy", ["raise", "burden", "family"]), ("f4", "Di", "levy", ["burden"])])
    con.execute("UPDATE claims SET claim = 'raise the burden' WHERE start = 0")
    con.execute("UPDATE claims SET claim = 'the levy will raise the burden on every family' WHERE start = 100")
    con.execute("UPDATE quotes SET text = 'the levy will raise the burden on every family' WHERE start = 100")
    con.execute("UPDATE claims SET predicate = NULL, claim = 'a burden' WHERE start = 300")
    con.execute("UPDATE quotes SET text = 'a \"burden\"' WHERE start = 300")
    derive_opinions(con)
    o = con.execute("SELECT speaker_key, claim_id, claim_size, claim_label FROM opinions").df().set_index("speaker_key")
    assert o.loc["Ann", "claim_id"] == o.loc["Bob", "claim_id"] == o.loc["Cy", "claim_id"] != o.loc["Di", "claim_id"]
    assert o.loc["Di", "claim_size"] == 1
    assert o.loc["Ann", "claim_label"] == "the levy will raise the burden on every family"


def test_a_lone_statement_joins_a_claim_of_another_story_only_when_close():
    """Eve shares one word with Bo's claim, from another article, and none with the rest: one
    word is no point in common across stories, so she stays alone (before issue 15's split of
    cross-story claims she joined it). Hana says much of what Cat and Dan say: she joins them.
    Fred shares nothing: he stays alone, under his subject. No stage joins the two strong claims."""
    con = _corpus([("c1", "Al", "city", ["budget", "cut", "school", "teacher", "class", "year"]),
                   ("c2", "Bo", "city", ["budget", "cut", "school", "teacher", "class", "union"]),
                   ("c3", "Cat", "city", ["strike", "bus", "driver", "route", "fare", "depot"]),
                   ("c4", "Dan", "city", ["strike", "bus", "driver", "route", "fare", "garage"]),
                   ("c5", "Eve", "city", ["union", "leader", "vote", "ballot", "member", "meeting"]),
                   ("c8", "Hana", "city", ["strike", "bus", "driver", "pension", "pay", "shift"]),
                   ("c6", "Fred", "city", ["festival", "music", "ticket", "price", "stage", "crowd"]),
                   ("c7", "Gil", "city", ["river", "flood", "warning", "rain", "bank", "water"])])
    derive_opinions(con)
    claim = dict(con.execute("SELECT speaker_key, claim_id FROM opinions").fetchall())
    assert claim["Al"] == claim["Bo"] != claim["Cat"] == claim["Dan"] == claim["Hana"]
    size = dict(con.execute("SELECT speaker_key, claim_size FROM opinions").fetchall())
    assert size["Eve"] == size["Fred"] == size["Gil"] == 1


def test_new_statements_join_existing_claims_without_moving_old_ones():
    con = _corpus(ROWS)
    derive_opinions(con)
    before = con.execute("SELECT quote_no, claim_id FROM opinions ORDER BY quote_no").df()
    con.execute("INSERT INTO quotes VALUES (9, 9, 'a9', 900, 'tax raise middle class', 'Ivy', 'indirect')")
    con.execute("INSERT INTO claims SELECT * REPLACE ('a9' AS article_id, 900 AS start) FROM claims WHERE start = 0")
    con.execute("INSERT INTO articles VALUES ('a9', '2020-01-02', 9)")
    assert assign_new_statements(con) == 1
    after = con.execute("SELECT quote_no, claim_id FROM opinions ORDER BY quote_no").df()
    assert (after.head(len(before))["claim_id"] == before["claim_id"]).all()
    assert after.iloc[-1]["claim_id"] == before.iloc[0]["claim_id"]
    assert assign_new_statements(con) == 0


def test_a_new_statement_joins_a_claim_only_when_close_to_its_members_as_a_full_grouping_would():
    """Jan's new statement (a new article) shares one word, "raise", with the claim of Ann, Bob
    and Cy about the tax and nothing else: one word is no shared point across stories, so it
    stays out of their claim, as the full grouping leaves it out. (Other statements on the tax
    make it a subject over `Params.small_subject`, where only words or stories group.)"""
    con = _corpus(ROWS + [(f"b{i}", f"Tax{i}", "tax", [f"u{i}a", f"u{i}b", f"u{i}c"]) for i in range(4)])
    derive_opinions(con)
    con.execute("INSERT INTO quotes VALUES (99, 99, 'a99', 9900, 'tax raise bridge toll ferry', 'Jan', 'indirect')")
    con.execute("INSERT INTO claims SELECT * REPLACE ('a99' AS article_id, 9900 AS start, "
                "['raise', 'bridge', 'toll', 'ferry'] AS terms) FROM claims WHERE start = 0")
    con.execute("INSERT INTO articles VALUES ('a99', '2020-01-02', 99)")
    assert assign_new_statements(con) == 1
    claim = dict(con.execute("SELECT speaker_key, claim_id FROM opinions").fetchall())
    assert claim["Jan"] != claim["Ann"]
    derive_opinions(con)
    claim = dict(con.execute("SELECT speaker_key, claim_id FROM opinions").fetchall())
    assert claim["Jan"] != claim["Ann"]


def test_opinions_command_on_seeds(capsys):
    import json

    from analysis.cli import main

    assert main(["opinions", str(SEEDS), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {"speaker", "role", "side", "subject", "claim", "statement", "file", "stance"} <= set(rows[0])
    narang = [r for r in rows if r["speaker"] == "Vipin Narang"]
    assert narang and {r["role"] for r in narang} == {"expert"}
    assert all(r["file"].endswith(".txt") for r in rows)


def test_new_statements_of_one_story_make_one_claim_as_a_full_grouping_files_them():
    """Two new statements by one speaker on one subject in one new article, worded apart and
    close to no existing claim, make one claim, as `derive_opinions` would file them; another
    speaker's new statement on another subject stays apart."""
    con = _corpus(ROWS)
    derive_opinions(con)
    new = [("a9", "Ivy", "bridge", ["rust", "girder", "inspection"]),
           ("a9", "Ivy", "bridge", ["toll", "commuter", "fee"]),
           ("a9", "Jo", "harbour", ["dredge", "silt", "channel"])]
    for i, (a, sp, subject, terms) in enumerate(new):
        start = 900 + i * 100
        con.execute("INSERT INTO quotes VALUES (?, 9, ?, ?, ?, ?, 'indirect')",
                    [9 + i, a, start, f"{subject} {' '.join(terms)}", sp])
        con.execute("INSERT INTO claims SELECT * REPLACE (?::VARCHAR AS article_id, ?::BIGINT AS start, ?::VARCHAR AS subject, "
                    "?::VARCHAR AS subject_key, ?::VARCHAR[] AS terms, ?::VARCHAR AS predicate) FROM claims WHERE start = 0",
                    [a, start, subject, subject, terms, terms[0]])
    con.execute("INSERT INTO articles VALUES ('a9', '2020-01-02', 9)")
    assert assign_new_statements(con) == 3
    claim = dict(con.execute("SELECT start, claim_id FROM opinions WHERE article_id = 'a9'").fetchall())
    old = {c for (c,) in con.execute("SELECT claim_id FROM opinions WHERE article_id <> 'a9'").fetchall()}
    assert claim[900] == claim[1000] != claim[1100]
    assert not set(claim.values()) & old
    size = dict(con.execute("SELECT start, claim_size FROM opinions WHERE article_id = 'a9'").fetchall())
    assert size[900] == size[1000] == 2 and size[1100] == 1
