"""Opinion groups and stance: the seeds' experts on stalling and pressure in one labelled group,
stance phrases, the codebook applied on stored rows, and a size that must stay fast."""
from __future__ import annotations

import random
import time

import pandas as pd
import pytest

from analysis.opinions import (
    UNSORTED_ID,
    apply_codebook,
    group_opinions,
    load_codebook,
    speaker_stances,
    stance_of,
    summarize_groups,
)
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seed_statements(nlp) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Statements and roles from the seed files, as the pipeline builds them."""
    from analysis.loaders import load_paths
    from analysis.quotes import extract_quotes
    from analysis.roles import assign_roles, speaker_table
    from analysis.speakers import corpus_speaker_names

    quotes, dates = [], {}
    for article in load_paths([SEEDS]).articles:
        qs, _ = extract_quotes(nlp(article.text), article)
        quotes.extend(qs)
        dates[article.article_id] = article.date
    key_of = corpus_speaker_names(sorted({q.speaker for q in quotes if q.speaker}))
    roles = assign_roles(speaker_table(quotes, key_of), None)
    statements = pd.DataFrame([{"article_id": q.article_id, "start": q.start, "text": q.text,
                                "speaker_key": key_of.get(q.speaker, q.speaker) if q.speaker else None,
                                "kind": q.kind, "date": dates[q.article_id]} for q in quotes])
    return statements, roles


def _by_phrase(grouped: pd.DataFrame, phrase: str) -> pd.Series:
    rows = grouped[grouped["text"].str.contains(phrase, regex=False)]
    assert len(rows) == 1, f"{phrase!r}: {len(rows)} statements"
    return rows.iloc[0]


EXPERT_STALLING = [  # Narang, Narang, Easley, Easley: stalling, buying time, applying pressure
    "buying time to continue",
    "stall on actual negotiations",
    "demand more concessions",
    "to buy time and apply pressure",
]


def test_experts_on_stalling_share_one_labelled_group(seed_statements):
    statements, roles = seed_statements
    grouped = group_opinions(statements, None, roles)
    rows = [_by_phrase(grouped, p) for p in EXPERT_STALLING]
    assert {r["role"] for r in rows} == {"expert"}
    assert len({r["group_id"] for r in rows}) == 1
    label = rows[0]["group_label"].lower()
    assert rows[0]["group_id"] != UNSORTED_ID
    assert "stalling" in label and "buying time" in label and "pressure" in label
    # The group is the experts': officials' statements are elsewhere.
    members = grouped[grouped["group_id"] == rows[0]["group_id"]]
    assert set(members["role"].dropna()) == {"expert"}
    assert {"Vipin Narang", "Leif-Eric Easley"} <= set(members["speaker_key"])
    # And every output row has the columns the corpus table needs.
    for col in ("group_id", "group_label", "stance", "stance_evidence", "auto_group_id"):
        assert grouped[col].notna().all(), col


def test_stance_of_seed_statements(seed_statements):
    statements, roles = seed_statements
    grouped = group_opinions(statements, None, roles)
    easley = _by_phrase(grouped, "to buy time and apply pressure")
    assert easley["stance"] == "skeptical"
    assert "buy time" in easley["stance_evidence"] and "apply pressure" in easley["stance_evidence"]
    us = _by_phrase(grouped, "new initiatives")
    assert us["stance"] == "hopeful" and "good" in us["stance_evidence"]
    per_speaker = speaker_stances(grouped)
    narang = per_speaker[per_speaker["speaker_key"] == "Vipin Narang"]
    assert narang["skeptical"].sum() == 2 and narang["hopeful"].sum() == 0
    summary = summarize_groups(grouped).set_index("group_id")
    top = summary.loc[_by_phrase(grouped, "stall on actual negotiations")["group_id"]]
    assert top["statements"] >= 4 and set(top["experts"]) >= {"Vipin Narang", "Leif-Eric Easley"}
    assert top["skeptical"] == top["statements"]


@pytest.mark.parametrize("text, stance, phrase", [
    ("The talks were productive and we are optimistic.", "hopeful", "+productive"),
    ("The meeting was not good for anyone.", "skeptical", "−not good"),
    ("Pyongyang is playing for time while it expands its arsenal.", "skeptical", "−playing for time"),
    ("Rather than a breakdown, this was a pause.", "neutral", "±not breakdown"),
    ("The delegation arrived on Tuesday.", "neutral", ""),
])
def test_stance_phrases(text, stance, phrase):
    got, evidence, _ = stance_of(text)
    assert got == stance
    assert (phrase in evidence) if phrase else evidence == ""


def test_codebook_pins_and_names_without_regrouping(seed_statements, tmp_path):
    statements, roles = seed_statements
    grouped = group_opinions(statements, None, roles)
    book = tmp_path / "codebook.yaml"
    book.write_text(
        "themes:\n"
        "  - name: Sanctions relief for dismantling\n"
        "    keywords: [sanction*, dismantle]\n"
        "  - name: Talks suspended or cut short\n"
        "    examples: ['that talks be suspended until the end of the year']\n"
        "  - name: North Korea plays for time\n"
        "    keywords: [buy time, stall]\n"
        "    pin: false\n"
        "stance:\n"
        "  hopeful: [permanently and completely dismantle]\n", encoding="utf-8")
    started = time.perf_counter()
    coded = apply_codebook(grouped, book)
    assert time.perf_counter() - started < 5  # no parse, no clustering
    ri = _by_phrase(coded, "removes partial sanctions")
    assert (ri["group_label"], ri["group_source"]) == ("Sanctions relief for dismantling", "codebook")
    assert ri["stance"] == "hopeful"
    kim = _by_phrase(coded, "talks be suspended")
    assert kim["group_label"] == "Talks suspended or cut short"
    # Naming-only: the automatic experts' group keeps its members and takes the analyst's name.
    stall = [_by_phrase(coded, p) for p in EXPERT_STALLING]
    assert {r["group_label"] for r in stall} == {"North Korea plays for time"}
    assert {r["group_id"] for r in stall} == {_by_phrase(grouped, EXPERT_STALLING[0])["group_id"]}
    # The automatic grouping is still there to fall back on.
    assert (coded["auto_group_id"] == grouped["auto_group_id"]).all()
    # The same through group_opinions, and a CSV codebook reads the same.
    csv_book = tmp_path / "codebook.csv"
    csv_book.write_text("theme,keywords,examples,pin\n"
                        "Sanctions relief for dismantling,sanction*;dismantle,,\n", encoding="utf-8")
    assert [t.name for t in load_codebook(csv_book).themes] == ["Sanctions relief for dismantling"]
    via_csv = group_opinions(statements, csv_book, roles)
    assert _by_phrase(via_csv, "removes partial sanctions")["group_source"] == "codebook"


def test_empty_and_tiny_inputs():
    cols = ["article_id", "start", "text", "speaker_key", "kind", "date"]
    empty = group_opinions(pd.DataFrame(columns=cols), None, None)
    assert len(empty) == 0 and "group_label" in empty
    one = group_opinions(pd.DataFrame([["a", 0, "Fine.", None, "direct", None]], columns=cols), None, None)
    assert one.loc[0, "group_id"] == UNSORTED_ID


def _synthetic(n: int, seed: int = 0) -> pd.DataFrame:
    """Statements from a few themes with shared vocabulary and noise, for size and sanity checks."""
    rnd = random.Random(seed)
    themes = [
        "sanctions relief economy trade exports banks",
        "missile launch test submarine ballistic range",
        "election polls voters turnout campaign primary",
        "tax plan budget deficit spending cuts revenue",
        "immigration border wall deportation visas",
    ]
    filler = "the a of and to in that is was for on it with as by at this from".split()
    rows = []
    for i in range(n):
        words = themes[i % len(themes)].split()
        text = " ".join(rnd.choice(words) if rnd.random() < 0.5 else rnd.choice(filler) for _ in range(18))
        rows.append({"article_id": f"a{i // 10}", "start": i, "text": text, "speaker_key": f"s{i % 97}",
                     "kind": "direct", "date": "2020-01-01"})
    return pd.DataFrame(rows)


def test_themes_are_found_and_it_is_fast():
    statements = _synthetic(3000)
    started = time.perf_counter()
    grouped = group_opinions(statements, None, None)
    assert time.perf_counter() - started < 60
    theme_of = statements.index % 5
    sorted_rows = grouped["group_id"] != UNSORTED_ID
    assert sorted_rows.mean() > 0.9
    # Groups are pure: each automatic group holds statements of one synthetic theme.
    purity = (pd.crosstab(grouped.loc[sorted_rows, "group_id"], theme_of[sorted_rows]).max(axis=1).sum()
              / sorted_rows.sum())
    assert purity > 0.9


def test_opinions_command_on_seeds(capsys):
    import json

    from analysis.cli import main

    assert main(["opinions", str(SEEDS), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {"speaker", "role", "side", "group", "statement", "file", "stance"} <= set(rows[0])
    narang = [r for r in rows if r["speaker"] == "Vipin Narang"]
    assert narang and {r["role"] for r in narang} == {"expert"}
    assert all(r["file"].endswith(".txt") for r in rows)
    easley = [r for r in rows if "apply pressure" in r["statement"]][0]
    assert easley["group"] == narang[0]["group"] and "pressure" in easley["group"]
