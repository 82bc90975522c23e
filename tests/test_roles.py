"""Speaker roles: the seeds' experts, officials and state media, the evidence shown for each,
and the analyst's speakers.csv winning over the guess."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.roles import assign_roles, classify_description, guess_role, speaker_table
from tests.conftest import SEEDS

ROLES_SOURCE = Path(__file__).resolve().parent.parent / "analysis" / "roles.py"


@pytest.fixture(scope="module")
def seed_roles(nlp) -> pd.DataFrame:
    """Roles as the pipeline produces them from the seed files: parse, quotes, names, roles."""
    from analysis.loaders import load_paths
    from analysis.quotes import extract_quotes
    from analysis.speakers import corpus_speaker_names

    articles = load_paths([SEEDS]).articles
    quotes = []
    for article in articles:
        qs, _ = extract_quotes(nlp(article.text), article)
        quotes.extend(qs)
    key_of = corpus_speaker_names(sorted({q.speaker for q in quotes if q.speaker}))
    return assign_roles(speaker_table(quotes, key_of), None).set_index("speaker_key")


def _row(roles: pd.DataFrame, surname: str) -> pd.Series:
    hits = [k for k in roles.index if surname in k]
    assert hits, f"no speaker named like {surname!r} among {list(roles.index)}"
    return roles.loc[hits[0]]


@pytest.mark.parametrize("surname, evidence", [
    ("Oba", "a former U.S. State Department official specializing in the Koreas"),
    ("Narang", "a nuclear affairs expert at the Massachusetts Institute of Technology"),
    ("Easley", "a Korea expert at Ewha Womans University"),
])
def test_seed_experts_with_their_evidence(seed_roles, surname, evidence):
    row = _row(seed_roles, surname)
    assert row["role"] == "expert"
    assert evidence in row["role_evidence"]
    assert row["role_source"] == "guess"


@pytest.mark.parametrize("surname, side", [("Pompeo", "U.S."), ("Kim Myong Gil", "North Korea")])
def test_seed_officials_with_their_side(seed_roles, surname, side):
    row = _row(seed_roles, surname)
    assert (row["role"], row["side"]) == ("official", side)


def test_seed_ri_yong_ho_official(seed_roles):
    row = _row(seed_roles, "Ri Yong Ho")
    assert (row["role"], row["side"]) == ("official", "North Korea")
    assert "foreign minister" in row["role_evidence"]


def test_seed_kcna_spokesperson_is_state_media(seed_roles):
    """Cited by the state news agency: the reader gets the agency's copy, so state media."""
    row = _row(seed_roles, "spokesperson")
    assert (row["role"], row["side"]) == ("state media", "North Korea")
    assert "KCNA" in row["role_evidence"]


# The same speakers as the seed articles describe them: what the rules must do with that evidence.
SEED_SPEAKERS = pd.DataFrame([
    {"speaker_key": "Mintaro Oba", "label": "PERSON", "mentions": ["Mintaro Oba"],
     "descriptions": ["a former U.S. State Department official specializing in the Koreas"]},
    {"speaker_key": "Vipin Narang", "label": "PERSON", "mentions": ["Vipin Narang", "Narang"],
     "descriptions": ["a nuclear affairs expert at the Massachusetts Institute of Technology"]},
    {"speaker_key": "Leif-Eric Easley", "label": "PERSON", "mentions": ["Leif-Eric Easley", "Easley"],
     "descriptions": ["a Korea expert at Ewha Womans University in Seoul"]},
    {"speaker_key": "Ri Yong Ho", "label": "PERSON", "mentions": ["Ri Yong Ho"],
     "descriptions": ["the North Korean foreign minister"]},
    {"speaker_key": "Mike Pompeo", "label": "PERSON", "mentions": ["U.S. Secretary of State Mike Pompeo"],
     "descriptions": []},
    {"speaker_key": "Kim Myong Gil", "label": "PERSON", "mentions": ["Kim Myong Gil"],
     "descriptions": ["the chief North Korean negotiator"]},
    {"speaker_key": "a spokesperson for North Korea’s foreign ministry", "label": "UNNAMED",
     "mentions": ["a spokesperson for North Korea’s foreign ministry"],
     "descriptions": ["cited by KCNA state news agency"]},
    {"speaker_key": "KCNA", "label": "ORG", "mentions": ["KCNA state news agency"], "descriptions": []},
    {"speaker_key": "U.S. negotiators", "label": "GROUP", "mentions": ["U.S. negotiators"], "descriptions": []},
])


def test_rules_on_seed_descriptions():
    roles = assign_roles(SEED_SPEAKERS, None).set_index("speaker_key")
    got = {k: (r["role"], r["side"] if pd.notna(r["side"]) else None) for k, r in roles.iterrows()}
    assert got["Mintaro Oba"] == ("expert", None)
    assert got["Vipin Narang"] == ("expert", None)
    assert got["Leif-Eric Easley"] == ("expert", None)  # "in Seoul" is where, not whose side
    assert got["Ri Yong Ho"] == ("official", "North Korea")
    assert got["Mike Pompeo"] == ("official", "U.S.")
    assert got["Kim Myong Gil"] == ("official", "North Korea")
    assert got["a spokesperson for North Korea’s foreign ministry"] == ("state media", "North Korea")
    assert got["KCNA"] == ("state media", "North Korea")
    assert got["U.S. negotiators"] == ("official", "U.S.")
    assert roles.loc["Ri Yong Ho", "role_evidence"] == "the North Korean foreign minister"
    assert roles.loc["Mike Pompeo", "role_evidence"] == "U.S. Secretary of State Mike Pompeo"


@pytest.mark.parametrize("description, role", [
    ("professor of political science at Yale", "expert"),
    ("a senior fellow at the Brookings Institution", "expert"),
    ("an analyst with the International Crisis Group", "expert"),
    ("director of the Korea program at the Stimson Center", "expert"),
    ("a reporter for The New York Times", "journalist"),
    ("the state-run Xinhua news agency", "state media"),
    ("China's foreign ministry spokesman", "official"),
    ("South Korea's unification minister", "official"),
    ("former Secretary of State", "unknown"),  # a former high office is a politician, not a commentator
    ("a former CIA analyst", "expert"),
    ("Republican presidential candidate", "unknown"),
    ("a senior adviser on the campaign", "unknown"),
    ("a new poll by the Harvard University Institute of Politics", None),  # a document, not a person
    ("fellow Democrats", None),
])
def test_general_descriptions(description, role):
    guess = classify_description(description)
    assert (guess.role if guess else None) == role


def test_sides():
    assert classify_description("South Korea's unification minister").side == "South Korea"
    assert classify_description("China's foreign ministry spokesman").side == "China"
    assert guess_role("Nobody", "PERSON", [], []).role == "unknown"


def test_descriptions_disagree_majority_wins():
    g = guess_role("X", "PERSON", ["a professor at Seoul National University",
                                    "an expert on North Korea", "the unification minister"])
    assert g.role == "expert"
    assert g.evidence == "a professor at Seoul National University"


def test_override_file_wins(tmp_path):
    path = tmp_path / "speakers.csv"
    path.write_text("speaker,role,side,note\n"
                    "Mintaro Oba,official,U.S.,now back at State\n"
                    "vipin narang,,,\n"
                    "Somebody,pundit,,typo in role\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="speakers.csv:4: unknown role 'pundit'"):
        roles = assign_roles(SEED_SPEAKERS, path).set_index("speaker_key")
    oba = roles.loc["Mintaro Oba"]
    assert (oba["role"], oba["side"], oba["role_evidence"], oba["role_source"]) == \
        ("official", "U.S.", "now back at State", "override")
    # A row with blank cells keeps the guess but says the analyst has looked at it.
    narang = roles.loc["Vipin Narang"]
    assert (narang["role"], narang["role_source"]) == ("expert", "override")
    assert roles.loc["Leif-Eric Easley", "role_source"] == "guess"
    # Input columns are kept for the corpus table.
    assert {"descriptions", "mentions", "label"} <= set(roles.columns)


def test_no_seed_names_in_rules():
    source = ROLES_SOURCE.read_text(encoding="utf-8").lower()
    for name in ("narang", "easley", "oba", "pompeo", "ri yong", "myong", "ewha", "massachusetts"):
        assert not re.search(rf"\b{name}\b", source), name
