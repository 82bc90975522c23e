"""Claims that a reader recognises as one point: a speaker's statements on one subject in one
article, what one article says about one subject, a quoted fragment with its speaker's point,
and weak word links that cannot chain separate stories into one claim. Invented sentences
only (`_corpus` rows: article, speaker, subject, assertion lemmas)."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from analysis.opinions import derive_opinions
from analysis.opinions.features import normalize_rows
from analysis.opinions.grouping import _one_story, _pair
from tests.test_opinions import _corpus

# Statements under a subject big enough (over `Params.small_subject`) that only their words,
# or their story, can group them.
OTHERS = [(f"z{i}", f"Other{i}", "ferry", [f"w{i}a", f"w{i}b", f"w{i}c"]) for i in range(6)]


def _claims(con) -> dict[str, str]:
    derive_opinions(con)
    return dict(con.execute("SELECT speaker_key, claim_id FROM opinions").fetchall())


def test_a_speakers_statements_on_one_subject_in_one_article_are_one_point():
    """Ann says three different things about the ferry in one article (no word in common): one
    point. Her statement about the ferry in another article, and Bob's in a third, stay apart."""
    con = _corpus([("s1", "Ann", "ferry", ["late", "every", "morning"]),
                   ("s1", "Ann#2", "ferry", ["fare", "double", "winter"]),
                   ("s1", "Ann#3", "ferry", ["captain", "ignore", "complaint"]),
                   ("s2", "Ann#4", "ferry", ["paint", "hull", "spring"]),
                   ("s3", "Bob", "ferry", ["dock", "move", "north"]), *OTHERS])
    con.execute("UPDATE quotes SET speaker_key = 'Ann' WHERE speaker_key LIKE 'Ann#%'")
    derive_opinions(con)
    o = con.execute("SELECT article_id, claim_id, claim_size FROM opinions WHERE article_id IN ('s1', 's2', 's3') "
                    "ORDER BY quote_no").df()
    assert o["claim_id"].iloc[0] == o["claim_id"].iloc[1] == o["claim_id"].iloc[2]
    assert list(o["claim_size"]) == [3, 3, 3, 1, 1]


def test_one_articles_statements_on_one_subject_are_one_claim_one_per_lean():
    """In one article, what Cy and Di say about the ferry (nobody else says it) is the article's
    point about it; Eve and Fay, who lean the other way, are the opposing camp; the neutral Gus
    stays with neither camp's lean but with the other neutral, Hal."""
    con = _corpus([("t1", "Cy", "ferry", ["fast", "reliable", "crew"]), ("t1", "Di", "ferry", ["clean", "deck", "cafe"]),
                   ("t1", "Eve", "ferry", ["noisy", "engine", "smoke"]), ("t1", "Fay", "ferry", ["rude", "ticket", "office"]),
                   ("t1", "Gus", "ferry", ["timetable", "print", "station"]),
                   ("t1", "Hal", "ferry", ["route", "island", "summer"]), *OTHERS])
    for speaker, lean in (("Cy", 1), ("Di", 1), ("Eve", -1), ("Fay", -1)):
        con.execute("UPDATE claims SET stance_score = ? WHERE start = (SELECT start FROM quotes WHERE speaker_key = ?)",
                    [lean, speaker])
    claim = _claims(con)
    assert claim["Cy"] == claim["Di"] != claim["Eve"] == claim["Fay"]
    assert claim["Gus"] == claim["Hal"] not in (claim["Cy"], claim["Eve"])
    assert len({claim[f"Other{i}"] for i in range(6)}) == 6  # other articles: each alone


def test_a_statement_in_a_shared_claim_stays_there():
    """Ivy's first statement makes a claim with Jo's (another article); her second, on the same
    subject in the same article, is alone: it does not pull her claim along, and her two lone
    statements elsewhere in one story make a claim of their own."""
    labels = np.array([0, 0, 1, 2, 3])  # Ivy + Jo: claim 0; Ivy's second alone; two lone ones
    story = np.array([7, 9, 7, 8, 8])
    out = _one_story(labels, story, np.zeros(5, dtype=np.int64))
    assert list(np.bincount(out)[out]) == [2, 2, 1, 2, 2]
    assert out[3] == out[4] != out[0]


def test_lone_statements_never_chain_through_a_third():
    """A shares a word with B, B one with C; none of them is in a claim. A weak link joins two
    statements that chose each other, never three stories through the middle one."""
    # columns: a-words, the word A and B share, the word B and C share, c-words
    rows = [[1, 1, 1, 1, 1, 0.9, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0.9, 1, 1, 1, 0.9, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]]
    X = normalize_rows(sp.csr_matrix(np.array(rows, dtype=np.float32)))
    labels = _pair(X, np.arange(3), threshold=0.1, chunk=10)
    assert len(set(labels)) == 2  # one pair, one alone: not all three


def test_a_fragment_goes_with_its_speakers_point():
    """Kay's quoted word ("a shambles", no verb) says nothing alone: it goes under the subject of
    her full statement in the same article, into its claim, and the full statement names it."""
    con = _corpus([("f1", "Kay", "ferry", ["cancel", "crossing", "storm"]), ("f1", "Kay#2", "weather", ["shambles"]),
                   ("f2", "Lou", "weather", ["rain", "coast", "weekend"]), ("f3", "Mo", "weather", ["wind", "gust", "coast"]),
                   *OTHERS])
    con.execute("UPDATE quotes SET speaker_key = 'Kay' WHERE speaker_key = 'Kay#2'")
    con.execute("UPDATE claims SET predicate = NULL, claim = 'a shambles' WHERE start = 100")
    con.execute("UPDATE quotes SET text = 'a \"shambles\"' WHERE start = 100")
    derive_opinions(con)
    o = con.execute("SELECT start, subject, claim_id, claim_label FROM opinions WHERE article_id = 'f1' ORDER BY start").df()
    assert list(o["subject"]) == ["ferry", "ferry"]
    assert o["claim_id"].nunique() == 1 and o["claim_label"].iloc[0] != "a shambles"


def test_a_statement_whose_subject_nobody_shares_follows_its_speaker():
    """Ned's second statement is about a noun no other statement has ("the gangway"): it goes
    under the subject of his other statement in that article, the ferry, with it."""
    con = _corpus([("g1", "Ned", "ferry", ["sell", "operator", "loss"]), ("g1", "Ned#2", "gangway", ["steep", "wheelchair"]),
                   *OTHERS])
    con.execute("UPDATE quotes SET speaker_key = 'Ned' WHERE speaker_key = 'Ned#2'")
    derive_opinions(con)
    o = con.execute("SELECT subject, claim_id FROM opinions WHERE article_id = 'g1'").df()
    assert list(o["subject"]) == ["ferry", "ferry"] and o["claim_id"].nunique() == 1
