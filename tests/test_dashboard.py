"""The dashboard as an analyst uses it in the first hour (AppTest, no browser): dates kept as set,
filters cleared whole, no raw None, an entity filter, a search of what was said, tables with the
source, facet counts, outlets side by side, uploads in the session's views, and text that reads
right. What only a browser shows (the address bar, clicks on charts, downloads) is in
tests/test_browser.py."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard_corpus import ROOT, seeded_store, use_store

APP = str(ROOT / "app.py")
TIMEOUT = 120


@pytest.fixture(scope="module")
def seeds_dir(tmp_path_factory):
    return seeded_store(tmp_path_factory.mktemp("dash"))


@pytest.fixture(scope="module")
def outlets_dir(tmp_path_factory):
    return seeded_store(tmp_path_factory.mktemp("dash-outlets"), outlets=True)


@pytest.fixture
def on_seeds(seeds_dir, monkeypatch):
    return use_store(monkeypatch, seeds_dir)


@pytest.fixture
def on_outlets(outlets_dir, monkeypatch):
    return use_store(monkeypatch, outlets_dir)


def open_page(page: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    if page != "pages/overview.py":
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [str(e.value) for e in at.sidebar.caption]
    return "\n".join(parts).replace("\\", "")  # Markdown escapes off: the words as shown


def frame(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def quote_table(at: AppTest):
    return frame(at, "quote")


def stored(store_dir, sql: str):
    from analysis.corpus import open_corpus
    from analysis.store import Store

    return open_corpus(Store(store_dir)).execute(sql).fetchall()


# --- dates ------------------------------------------------------------------------------------

def test_a_one_day_link_is_kept_and_leaves_out_undated_articles(on_seeds):
    """The seeds' dated articles are all from 2019-10-08: a one-day range equal to the corpus's
    whole span used to be taken for "no filter" and showed the undated articles' quotes too."""
    at = open_page("pages/quotes.py", {"date": ["2019-10-08", "2019-10-08"]})
    (dated,) = stored(on_seeds, "SELECT count(*) FROM quotes q JOIN articles a USING (article_id) "
                                "WHERE a.date = '2019-10-08'")[0]
    (undated_articles,) = stored(on_seeds, "SELECT count(*) FROM articles WHERE date IS NULL")[0]
    df = quote_table(at)
    assert len(df) == dated > 0 and set(df["date"]) == {"2019-10-08"}
    page = texts(at)
    assert "Filtered: dated 2019-10-08." in page
    assert f"The date filter leaves out {undated_articles} undated article" in page


def test_reversed_and_extra_dates_are_used_with_a_notice(on_seeds):
    at = open_page("pages/quotes.py", {"date": ["2019-10-09", "2019-10-01"]})
    assert any("reverse order" in str(w.value) for w in at.warning)
    assert "Filtered: dated 2019-10-01 to 2019-10-09." in texts(at)
    at = open_page("pages/quotes.py", {"date": ["2019-10-01", "2019-10-09", "2019-11-01", "2019-12-01"]})
    assert any("first two are used" in str(w.value) for w in at.warning)


@pytest.mark.parametrize("key,value,words", [
    ("date", "2019-13-45", "not a date"),
    ("date", "yesterday", "not a date"),
    ("role", "bogus-role", "speaker role “bogus-role”"),
    ("entity_type", "NOTATYPE", "entity type “NOTATYPE”"),
])
def test_link_values_that_cannot_be_used_are_named(on_seeds, key, value, words):
    at = open_page("pages/quotes.py", {key: value})
    assert any(words in str(w.value).replace("\\", "") for w in at.warning), [w.value for w in at.warning]


# --- clearing ---------------------------------------------------------------------------------

def test_clear_all_clears_the_dates_too_and_is_offered_only_when_something_is_set(on_seeds):
    at = open_page("pages/overview.py")
    assert not [b for b in at.sidebar.button if b.label == "Clear all filters"], "nothing set, nothing to clear"
    at = open_page("pages/overview.py", {"date": ["2019-10-08", "2019-10-08"], "speaker": "Vipin Narang"})
    assert at.metric[0].value == "0"  # Narang is quoted in an undated article only
    clear = next(b for b in at.sidebar.button if b.label == "Clear all filters")
    clear.click().run()
    assert not at.exception
    assert at.metric[0].value == "3"
    assert at.date_input(key="date").value == ()
    assert "date" not in at.query_params and "speaker" not in at.query_params


# --- what a table shows ------------------------------------------------------------------------

def test_quote_table_has_no_raw_none_and_shows_where_and_when_first(on_outlets):
    at = open_page("pages/quotes.py")
    df = quote_table(at)
    for col in ("outlet", "cue", "role", "speaker"):
        shown = set(df[col].astype(str))
        assert not shown & {"None", "nan", "<NA>", ""}, (col, shown)
    table = next(d for d in at.dataframe if "quote" in d.value.columns)
    order = list(table.proto.column_order)
    assert order[:4] == ["date", "speaker", "role", "quote"] and "outlet" in order and "url" in order


def test_source_links_are_web_addresses_only(on_outlets):
    at = open_page("pages/quotes.py")
    urls = set(quote_table(at)["url"])
    assert "https://www.reuters.com/world/they-are-not-wrong" in urls
    assert not any(str(u).startswith("javascript") for u in urls), "a hostile url never becomes a link"
    overview = open_page("pages/overview.py")
    arts = frame(overview, "read")
    assert not any(str(u).startswith("javascript") for u in arts["url"])
    assert all(r.startswith("./article?article=") for r in arts["read"])


def test_untitled_articles_show_their_file_name_never_the_server_path(on_seeds):
    from analysis import queries as Q
    from analysis.corpus import open_corpus
    from analysis.filters import Filters
    from analysis.store import Store

    con = open_corpus(Store(on_seeds))
    con.execute("CREATE OR REPLACE TEMP TABLE articles AS SELECT * REPLACE (NULL AS title) FROM main.articles")
    titles = set(Q.articles_list(con, Filters())["title"])
    assert all("/" not in t and t.endswith(".txt") for t in titles), titles


def test_speaker_profile_lists_quotes_without_empty_rows(on_seeds):
    at = open_page("pages/speakers.py", {"speaker": "Vipin Narang"})
    quotes = quote_table(at)
    assert len(quotes) == 2 and quotes["quote"].notna().all()


def test_overview_lists_articles_in_a_sortable_table_with_reader_links(on_seeds):
    at = open_page("pages/overview.py")
    assert not at.table, "a static table cannot be sorted"
    arts = frame(at, "read")
    assert len(arts) == 3 and set(arts["outlet"]) == {"—"}


# --- timelines and pairs -----------------------------------------------------------------------

def _values(v) -> list:
    """A trace's values: Plotly sends numeric arrays as base64 (`{"dtype", "bdata"}`)."""
    if isinstance(v, dict) and "bdata" in v:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return list(v)


def _chart(at: AppTest, title_part: str) -> dict:
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if title_part in json.dumps(spec["layout"].get("title", {})):
            return spec
    raise AssertionError(f"no chart titled {title_part!r}")


def test_timelines_are_on_a_continuous_date_axis_with_a_chosen_bucket(on_seeds):
    at = open_page("pages/overview.py")
    spec = _chart(at, "Quotes over time")
    assert spec["layout"]["xaxis"]["type"] == "date"
    at = open_page("pages/overview.py", {"per": "week"})
    spec = _chart(at, "Quotes over time")
    assert spec["layout"]["xaxis"]["title"]["text"].startswith("Week")
    entities = open_page("pages/entities.py", {"per": "month"})
    assert _chart(entities, "over time")["layout"]["xaxis"]["type"] == "date"


def test_entity_pairs_are_a_readable_sorted_matrix(on_seeds):
    at = open_page("pages/entities.py")
    spec = _chart(at, "same sentences name")
    ticks = spec["layout"]["yaxis"]["ticktext"]
    assert 2 <= len(ticks) <= 12, "few enough entities to read every label"
    cells = spec["data"][0]
    assert all(len(c) == 2 for c in cells["customdata"]), "a click gives the pair"
    assert "Strongest pairs:" in texts(at)


# --- entity filter and quote search ------------------------------------------------------------

def test_entity_filter_keeps_the_articles_and_quotes_that_name_it(on_seeds):
    (articles,) = stored(on_seeds, "SELECT count(DISTINCT article_id) FROM entities WHERE entity = 'Vipin Narang'")[0]
    at = open_page("pages/overview.py", {"entity": "Vipin Narang"})
    assert at.metric[0].value == str(articles) == "1"
    (naming,) = stored(on_seeds, """
        SELECT count(DISTINCT (q.article_id, q.start)) FROM quotes q JOIN entities e ON e.article_id = q.article_id
        WHERE e.entity = 'Vipin Narang' AND (e.sentence = q.sentence OR (e.start >= q.start AND e."end" <= q."end"))""")[0]
    quotes = quote_table(open_page("pages/quotes.py", {"entity": "Vipin Narang"}))
    assert len(quotes) == naming > 0
    unknown = open_page("pages/quotes.py", {"entity": "Atlantis"})
    assert any("No article names “Atlantis”" in str(w.value) for w in unknown.warning)


def test_searching_what_was_said_never_matches_the_speaker(on_seeds):
    by_name = open_page("pages/quotes.py", {"q": "Narang"})
    assert len(quote_table(by_name)) == 2
    said = open_page("pages/quotes.py", {"said": "Narang"})
    assert not [d for d in said.dataframe if "quote" in d.value.columns]
    assert any("No quotes match" in str(i.value) for i in said.info)
    buying = quote_table(open_page("pages/quotes.py", {"said": "buying time"}))
    assert len(buying) == 1 and "buying time" in buying["quote"].iloc[0]


# --- facets and outlets ------------------------------------------------------------------------

def test_facet_counts_are_under_the_other_filters(on_outlets):
    closed = open_page("pages/quotes.py", {"speaker": "Vipin Narang"})
    assert not any(list(d.value.columns) == ["speaker", "quotes"] for d in closed.sidebar.dataframe), \
        "counted while the expander is closed"
    assert "Open to count quotes per speaker" in texts(closed)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["speaker"] = "Vipin Narang"
    at.switch_page("pages/quotes.py")
    at.session_state["facets_open"] = True  # as a click on the expander sets it
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    speakers = next(d.value for d in at.sidebar.dataframe if list(d.value.columns) == ["speaker", "quotes"])
    assert len(speakers) > 1, "the speaker facet ignores the speaker filter itself"
    (narang,) = stored(on_outlets, "SELECT count(*) FROM quotes WHERE speaker_key = 'Vipin Narang'")[0]
    assert int(speakers.set_index("speaker").loc["Vipin Narang", "quotes"]) == narang
    outlets = next(d.value for d in at.sidebar.dataframe if list(d.value.columns) == ["outlet", "articles"])
    assert set(outlets["outlet"]) == {"Reuters"}, "under the speaker filter, only Reuters quotes Narang"


def test_outlets_side_by_side(on_outlets):
    at = open_page("pages/outlets.py")
    page = texts(at)
    assert "Daily NK" in page and "Reuters" in page
    roles = _chart(at, "Whom each outlet quotes")
    by_outlet: dict[str, float] = {}
    for trace in roles["data"]:
        for outlet, share in zip(trace["y"], _values(trace["x"]), strict=True):
            by_outlet[outlet] = by_outlet.get(outlet, 0) + share
    assert all(abs(v - 100) < 0.5 for v in by_outlet.values()), by_outlet
    tops = [d.value for d in at.dataframe if "rank" in d.value.columns]
    assert len(tops) == 2 and all(len(t) <= 10 for t in tops)
    empty = open_page("pages/outlets.py", {"outlet": "Nowhere Times"})
    assert any("No quotes from an outlet" in str(i.value) for i in empty.info)


# --- uploads -----------------------------------------------------------------------------------

UPLOAD = """---
title: Talks stall in Geneva
author: By ANN LEE
date: 2019-10-08
---
Talks stall in Geneva

“We are done for now,” said John Smith, a diplomat at the talks.
"""


def test_an_upload_is_read_in_the_reader_and_listed_with_the_quotes_of_the_session(on_seeds):
    at = open_page("pages/add.py")
    at.text_area[0].input(UPLOAD)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    (upload,) = at.session_state["uploads"]
    at.switch_page("pages/quotes.py").run()
    df = quote_table(at)
    mine = df[df["origin"] == "your upload"]
    assert len(mine) == 1 and "We are done for now" in mine["quote"].iloc[0]
    (stored_quotes,) = stored(on_seeds, "SELECT count(*) FROM quotes")[0]
    assert len(df) == len(mine) + stored_quotes
    at.switch_page("pages/add.py").run()
    read = next(b for b in at.button if "Talks stall" in b.label.replace("\\", ""))
    read.click().run()  # "read" goes to the reader with the article picked
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="article").value == upload.article.article_id
    html = "".join(str(h.proto.body) for h in at.get("html"))
    assert '<mark class="quote"' in html
    assert "title: Talks stall" not in html and "---" not in html, "front matter is not article text"
    assert any("by ANN LEE" in str(c.value) and "By ANN" not in str(c.value) for c in at.caption)
    from analysis.store import Store

    assert Store(on_seeds).connect().execute("SELECT count(*) FROM articles").fetchone()[0] == 3


def test_the_add_page_says_how_an_operator_adds_articles_for_everyone(on_seeds):
    at = open_page("pages/add.py")
    assert "python -m analysis ingest" in texts(at)


def test_a_duplicate_upload_name_is_shown_as_text(on_seeds):
    from analysis.uploads import process_uploads

    data = b"Same title\n\n\xe2\x80\x9cWe are done,\xe2\x80\x9d said John Smith.\n"
    result = process_uploads([("*bold* [x](javascript:alert(1)).txt", data), ("copy.txt", data)])
    assert result.duplicates
    at = open_page("pages/add.py")
    at.session_state["upload_duplicates"] = result.duplicates
    at.run()
    shown = [str(i.value) for i in at.info]
    assert any(r"\*bold\*" in s and r"\[x\]" in s for s in shown), shown


# --- words ------------------------------------------------------------------------------------

def test_counts_read_right(on_seeds):
    at = open_page("pages/speakers.py", {"speaker": "Vipin Narang"})
    page = texts(at)
    assert "(2 quotes in undated articles)" in page or "quotes" in page
    assert "1 quotes" not in page and "1 articles" not in page


# --- correcting the machine --------------------------------------------------------------------

@pytest.fixture
def on_copy(seeds_dir, tmp_path, monkeypatch):
    """A store of its own: corrections are written into the store folder."""
    import shutil

    root = tmp_path / "store"
    shutil.copytree(seeds_dir, root)
    return use_store(monkeypatch, root)


def test_corrections_are_off_unless_the_operator_switches_them_on(on_copy, monkeypatch):
    monkeypatch.delenv("ANALYSIS_CORRECTIONS", raising=False)
    at = open_page("pages/speakers.py", {"speaker": "The Trump regime"})
    assert "switched off" in texts(at) and not [b for b in at.button if b.label == "Merge"]
    assert not (on_copy / "corrections.parquet").exists()


def test_merging_a_speaker_from_the_page_and_undoing_it(on_copy, monkeypatch):
    monkeypatch.setenv("ANALYSIS_CORRECTIONS", "on")
    at = open_page("pages/speakers.py", {"speaker": "The Trump regime"})
    at.text_input(key="correction_who").input("ana").run()
    at.selectbox(key="sp_fix_into").select("Trump").run()
    next(b for b in at.button if b.label == "Merge").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="speaker").value == ["Trump"], "the view follows the merged speaker"
    table = frame(at, "side")
    assert "The Trump regime" not in set(table["speaker"])
    assert int(table.set_index("speaker").loc["Trump", "quotes"]) == 2
    page = texts(at)
    assert "merge speaker The Trump regime into Trump" in page and "by ana on" in page
    next(b for b in at.button if b.label == "Undo").click().run()
    assert not at.exception
    assert "The Trump regime" in set(frame(at, "side")["speaker"])
    from analysis.corrections import CorrectionLog

    (logged,) = CorrectionLog(on_copy).all()
    assert logged.who == "ana" and not logged.active


def test_renaming_an_entity_from_the_page(on_copy, monkeypatch):
    monkeypatch.setenv("ANALYSIS_CORRECTIONS", "on")
    at = open_page("pages/entities.py")
    at.selectbox(key="en_fix_entity").select("United States").run()
    at.radio(key="en_fix_action").set_value("Rename").run()
    at.text_input(key="en_fix_name").input("U.S.").run()
    next(b for b in at.button if b.label == "Rename").click().run()
    assert not at.exception, [e.value for e in at.exception]
    names = set(frame(at, "forms")["entity"])
    assert "U.S." in names and "United States" not in names


# --- hostile input on the dashboard (issue 17) -------------------------------------------------

def test_a_search_of_hundreds_of_words_is_cut_with_a_notice(on_seeds):
    words = " ".join(f"word{i}" for i in range(500))
    at = open_page("pages/quotes.py", {"q": words})
    assert any("uses its first 32 words; 468 more are left out" in str(w.value) for w in at.warning)
    at = open_page("pages/entities.py", {"said": words})
    assert any("search of what was said uses its first 32 words" in str(w.value) for w in at.warning)


def test_pasted_text_over_the_limit_is_refused_with_a_reason(on_seeds):
    from analysis.loaders import DEFAULT_MAX_CHARS
    from analysis.uploads import process_uploads

    result = process_uploads([], "x" * (DEFAULT_MAX_CHARS + 1))
    assert not result.processed and "over the limit" in result.problems[0].reason


# --- words an analyst uses ---------------------------------------------------------------------

@pytest.mark.parametrize("value", ["GPE", "Country or city"])
def test_entity_types_read_as_words_and_links_keep_the_label(on_seeds, value):
    at = open_page("pages/entities.py", {"entity_type": value})
    assert at.selectbox(key="entity_type").value == "GPE"
    assert at.query_params.get("entity_type") in ("GPE", ["GPE"]), "the link keeps the model's label"
    table = frame(at, "forms")
    assert set(table["type_words"]) == {"Country or city"} and set(table["type"]) == {"GPE"}
    spec = _chart(open_page("pages/entities.py"), "Mentions by entity type")
    bars = spec["data"][0]
    assert "Country or city" in bars["y"] and "GPE" not in bars["y"] and "GPE" in bars["customdata"]


def test_a_speaker_profile_names_the_role_in_words(on_seeds):
    at = open_page("pages/speakers.py", {"speaker": "Kim Myong Gil"})
    assert "**Role:** Government official" in [m.value for m in at.markdown]
