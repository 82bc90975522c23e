"""Claims that a reader recognises as one point: a speaker's statements on one subject in one
article, what one article says about one subject, a quoted fragment with its speaker's point,
weak word links that cannot chain separate stories into one claim, and a claim across stories
that holds only what is close across them. Invented sentences only (`_corpus` rows: article,
speaker, subject, assertion lemmas)."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from analysis.opinions import derive_opinions
from analysis.opinions.features import normalize_rows
from analysis.opinions.grouping import _cross_story, _one_story, _pair, stories
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


# Statements about the library in stories of their own, so that the subject is over
# `Params.small_subject` and only words or stories group its statements.
SHELVES = [(f"y{i}", f"Reader{i}", "library", [f"v{i}a", f"v{i}b", f"v{i}c"]) for i in range(6)]


def test_one_common_word_does_not_make_two_stories_one_claim():
    """Ann and Bo, in one article, both say the shelves need time to clear; Cal, in another,
    says the roof leak will take time. "time" links his statement to theirs closely enough to
    start a claim, but across stories one word is no shared point: his story's part leaves the
    claim, and he stays alone under the library."""
    con = _corpus([("p1", "Ann", "library", ["time", "shelf", "dust"]), ("p1", "Bo", "library", ["time", "shelf", "label"]),
                   ("p2", "Cal", "library", ["time", "roof", "leak", "bucket"]), *SHELVES])
    claim = _claims(con)
    sizes = dict(con.execute("SELECT speaker_key, claim_size FROM opinions").fetchall())
    assert claim["Ann"] == claim["Bo"] != claim["Cal"]
    assert sizes["Cal"] == 1


def test_the_same_point_made_in_two_stories_stays_one_claim():
    """Dee and Eli, in different articles, both say the reading room will close in winter to
    save heating money: the same point, one claim."""
    con = _corpus([("q1", "Dee", "library", ["close", "reading", "room", "winter", "heating"]),
                   ("q2", "Eli", "library", ["close", "reading", "room", "winter", "money"]), *SHELVES])
    claim = _claims(con)
    assert claim["Dee"] == claim["Eli"]


def _rows(*rows: list[float]) -> sp.csr_matrix:
    return normalize_rows(sp.csr_matrix(np.array(rows, dtype=np.float32)))


def test_a_storys_part_stays_in_a_claim_across_stories_only_when_close_on_average():
    """A claim of four: two statements of story 1 and one of story 2 say the same; the one of
    story 3 shares a single word with them. Story 3's part leaves; the others stay together."""
    X = _rows([1, 1, 1, 0, 0, 0], [1, 1, 0.8, 0, 0, 0], [1, 0.9, 1, 0, 0, 0], [0, 0, 0.4, 1, 1, 1])
    out = _cross_story(X, np.zeros(4, dtype=np.int64), np.array([1, 1, 2, 3]), threshold=0.3)
    assert out[0] == out[1] == out[2] != out[3]


def test_a_lone_statement_joins_its_speakers_then_its_articles_point():
    """Row 2 is alone; its speaker's other statement in the article (row 0) is in claim 0: it
    joins it. Row 4 is alone; nobody in its story is in a claim: it stays alone. Row 7, of
    another speaker in the article of rows 5 and 6 (claim 5), joins the claim that holds most of
    that article's statements on the subject."""
    labels = np.array([0, 0, 2, 3, 4, 5, 5, 7, 3])
    speaker_story = np.array([10, 11, 10, 12, 13, 14, 15, 16, 12])
    story = np.array([20, 20, 20, 21, 22, 23, 23, 23, 21])
    out = stories(labels, speaker_story, story, np.zeros(9, dtype=np.int64))
    assert out[2] == out[0] and out[7] == out[5]
    assert list(np.bincount(out)[out])[4] == 1


def test_a_lone_statement_joins_a_claim_of_another_story_only_when_close():
    """Row 2 shares one word with the claim of rows 0 and 1. Of the same story, it joins the
    claim; of another story, only at the cross-story closeness, so here it stays alone."""
    X = _rows([1, 1, 1, 0, 0, 0], [1, 1, 0.9, 0, 0, 0], [0, 0, 0.5, 1, 1, 1])
    labels = np.array([0, 0, 1])
    same = _pair(X, labels, threshold=0.1, chunk=10, story=np.array([1, 1, 1]), cross=0.3)
    other = _pair(X, labels, threshold=0.1, chunk=10, story=np.array([1, 1, 2]), cross=0.3)
    assert same[2] == same[0] and other[2] != other[0]
