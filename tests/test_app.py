"""Every dashboard page in Streamlit's AppTest, on the seed corpus and on an empty store.

The store is chosen with `$ANALYSIS_STORE` (read at every run by `ui.context.store_root`), and
`$ANALYSIS_SEEDS=""` switches the first-start seeding off so that an empty store stays empty.
"""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard_corpus import ROOT, SEEDS, expected_counts, seeded_store, use_store

APP = str(ROOT / "app.py")
PAGES = ["pages/overview.py", "pages/quotes.py", "pages/speakers.py", "pages/entities.py", "pages/outlets.py",
         "pages/opinions.py", "pages/article.py", "pages/add.py"]
TIMEOUT = 120


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    return seeded_store(tmp_path_factory.mktemp("dash"))


@pytest.fixture
def on_seeds(seed_store, monkeypatch):
    return use_store(monkeypatch, seed_store)


@pytest.fixture
def on_empty(tmp_path, monkeypatch):
    return use_store(monkeypatch, tmp_path / "empty-store")


def _texts(at: AppTest) -> str:
    parts = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def _frame(at: AppTest, column: str):
    """The first table on the page with this column (a table without selection has no key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _open(page: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    if page != "pages/overview.py":
        at.switch_page(page)
    return at.run()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_the_seeds(on_seeds, page):
    at = _open(page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "each page has a title"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_an_empty_store(on_empty, page):
    at = _open(page)
    assert not at.exception, [e.value for e in at.exception]
    if page != "pages/add.py":
        assert "empty" in _texts(at), "an empty store says so instead of showing blank charts"


def test_overview_numbers_match_the_store(on_seeds):
    want = expected_counts(on_seeds)
    at = _open("pages/overview.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == str(want["articles"]) == "3"
    assert metrics["Quotes"] == f"{want['quotes']:,}"
    assert metrics["Speakers"] == f"{want['speakers']:,}"
    assert want["quotes"] > 0 and want["speakers"] > 0


def test_overview_lists_the_articles_with_undated_ones(on_seeds):
    at = _open("pages/overview.py")
    df = _frame(at, "read")
    assert len(df) == 3
    assert "undated" in set(df["date"]), "articles without a date show as undated"
    assert "SK Ashby" in set(df["author"])
    assert "None" not in set(df["outlet"].astype(str)) and set(df["outlet"]) == {"—"}, "no raw None on screen"
    assert (df["word_count"] > 0).all()
    assert any("They’re Not Wrong" in t for t in df["title"])
    assert all(link.startswith("./article?") and "article=" in link for link in df["read"]), "a reader link per row"


def test_speaker_in_url_filters_quotes(on_seeds):
    want = expected_counts(on_seeds)
    at = _open("pages/quotes.py", {"speaker": "Vipin Narang"})
    assert not at.exception
    df = at.dataframe[0].value
    assert len(df) == want["narang"] > 0
    assert set(df["speaker"]) == {"Vipin Narang"}
    assert at.multiselect(key="speaker").value == ["Vipin Narang"]


def test_unknown_speaker_gives_a_notice(on_seeds):
    at = _open("pages/quotes.py", {"speaker": "Nobody McNoname"})
    assert not at.exception
    assert any("Nobody McNoname" in str(w.value) for w in at.warning)


def test_text_search_and_date_filter(on_seeds):
    at = _open("pages/quotes.py")
    total = len(at.dataframe[0].value)
    at.text_input(key="q").input("Easley").run()
    df = at.dataframe[0].value if at.dataframe else None
    assert df is not None and 0 < len(df) < total
    # (The address bar follows the widget in the browser's frontend: tests/test_browser.py checks it.)
    # A date range leaves undated articles out and says how many.
    at = _open("pages/overview.py", {"date": ["2019-10-01", "2019-10-31"]})
    assert not at.exception
    assert any("undated" in str(c.value) for c in at.sidebar.caption)
    assert at.metric[0].value == "1"


def test_filters_survive_a_page_switch(on_seeds):
    at = _open("pages/quotes.py", {"speaker": "Vipin Narang"})
    at.switch_page("pages/speakers.py").run()
    assert not at.exception
    assert at.multiselect(key="speaker").value == ["Vipin Narang"]
    assert any("Vipin Narang" in str(h.value) for h in at.header)


def test_article_reader_highlights_quotes(on_seeds):
    from analysis.store import Store

    aid = Store(on_seeds).connect().execute("SELECT article_id FROM articles ORDER BY date NULLS LAST").fetchone()[0]
    at = _open("pages/article.py", {"article": aid})
    assert not at.exception
    html = "".join(str(h.proto.body) for h in at.get("html"))
    assert '<mark class="quote"' in html and 'class="ent' in html


def test_add_page_processes_pasted_text_in_the_session(on_seeds):
    at = _open("pages/add.py")
    at.text_area[0].input("Talks stall\n\nBy Ann Lee\n\n“We are done,” said John Smith, a diplomat.\n")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    uploads = at.session_state["uploads"]
    assert len(uploads) == 1 and uploads[0].article.title == "Talks stall"
    # Nothing was written to the shared store.
    from analysis.store import Store

    assert Store(on_seeds).connect().execute("SELECT count(*) FROM articles").fetchone()[0] == 3


def test_first_start_seeds_an_empty_store(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_STORE", str(tmp_path / "fresh"))
    monkeypatch.setenv("ANALYSIS_SEEDS", str(SEEDS))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(_frame(at, "read")) == 3
    assert "First start" not in _texts(at), "the seeding message is gone once the seeds are in"
    assert {m.label: m.value for m in at.metric}["Articles"] == "3"


def _frames(at: AppTest) -> dict[str, object]:
    """The page's dataframes by their widget key (AppTest lists them as `dataframe` elements)."""
    return {getattr(d, "key", None) or str(i): d.value for i, d in enumerate(at.dataframe)}


def test_opinions_page_shows_subjects_camps_and_a_linked_cell(on_seeds):
    at = _open("pages/opinions.py", {"subject": "North Korea"})
    assert not at.exception, [e.value for e in at.exception]
    texts = _texts(at)
    assert "North Korea" in [s.value for s in at.subheader][0]
    assert "Against" in texts and "For" in texts
    frames = [d.value for d in at.main.dataframe]
    # The camps: Narang, Easley and Oba lean against North Korea, experts first.
    against = next(f for f in frames if list(f.columns) == ["speaker", "role", "statements"])
    assert {"Vipin Narang", "Leif-Eric Easley", "Mintaro Oba"} <= set(against["speaker"])
    assert list(against["role"])[:3] == ["expert"] * 3
    # The grid: a row per speaker, a column per claim, stance marks in the cells.
    grid = next(f for f in frames if "Speaker" in f.columns)
    assert grid.iloc[0]["Role"] == "expert"
    assert grid.drop(columns=["Speaker", "Role"]).apply(lambda c: c.str.match(r"^[▲▼●] \d+$") | (c == "")).all().all()
    # A link with a speaker's cell lists only their statements on the subject.
    at = _open("pages/opinions.py", {"subject": "North Korea", "voice": "Vipin Narang"})
    assert not at.exception
    statements = [d.value for d in at.main.dataframe][-1]
    assert set(statements["speaker"]) == {"Vipin Narang"} and len(statements) == 2
    assert "by Vipin Narang" in [s.value for s in at.subheader][-1]


def test_opinions_page_role_in_url_keeps_only_that_role(on_seeds):
    at = _open("pages/opinions.py", {"role": "expert"})
    assert not at.exception, [e.value for e in at.exception]
    statements = [d.value for d in at.main.dataframe][-1]
    assert len(statements) and set(statements["role"]) == {"expert"}


def test_opinions_page_opposing_camps_on_the_talks(on_seeds):
    """The seeds' talks: Kim Myong Gil against (suspend them), the U.S. negotiators ("good"
    discussions: filed under the talks, not under themselves) and the Trump regime's denial that
    they broke down for; a denial is not the U.S. side saying the talks failed."""
    at = _open("pages/opinions.py", {"subject": "talks"})
    assert not at.exception, [e.value for e in at.exception]
    against, favour = [d.value for d in at.dataframe if list(d.value.columns) == ["speaker", "role", "statements"]]
    assert "Kim Myong Gil" in set(against["speaker"])
    assert set(favour["speaker"]) == {"The Trump regime", "U.S. negotiators"}
