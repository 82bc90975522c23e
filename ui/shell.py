"""The Streamlit side shared by `app.py` and the pages: the corpus connection, cached queries, the
global filters in the sidebar (bound to the URL), the first-start seeding, and the page runner.

`analysis/` stays free of Streamlit; this module only wires its functions to widgets and caches.
"""
from __future__ import annotations

import datetime as dt
import itertools
import os
import runpy
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from analysis import queries as Q
from analysis.store import Store

ROOT = Path(__file__).resolve().parent.parent
APP_PATH = ROOT / "app.py"
# Keys of the sidebar widgets; the first five are also the URL parameter names (shared links).
URL_KEYS = ("speaker", "date", "outlet", "role", "q", "article", "entity_type")  # article: synced by hand
NO_DATE_WIDGET_MIN = dt.date(1800, 1, 1)
MAX_ARTICLE_CHOICES = 1000
NO_DATE_WIDGET_MAX = dt.date(2200, 12, 31)


# ---------------------------------------------------------------------------------------------
# Where the store and the seeds are

def store_root() -> Path:
    """`$ANALYSIS_STORE` or `data/`, read at every run so a test can point the app elsewhere."""
    return Path(os.environ.get("ANALYSIS_STORE") or "data")


def seeds_dir() -> Path | None:
    """`$ANALYSIS_SEEDS` (empty: never seed) or the repository's `seeds/`."""
    value = os.environ.get("ANALYSIS_SEEDS")
    if value is not None:
        return Path(value) if value.strip() else None
    return ROOT / "seeds"


def corpus_key(store: Store) -> tuple:
    """Changes when the store or the analyst's files (aliases, speakers, codebook) change."""
    try:
        from analysis.corpus import analyst_files

        files = analyst_files().signature()
    except Exception:  # noqa: BLE001 - the corpus module is optional for the key
        files = ()
    return (store.signature(), files)


# ---------------------------------------------------------------------------------------------
# Caches

@st.cache_resource(max_entries=2, show_spinner="Opening the corpus…")
def _open_corpus(root: str, key: tuple) -> Q.Corpus:
    """One DuckDB snapshot per store version, shared by all sessions (each query uses a cursor)."""
    return Q.open_connection(Store(root))


def _query(root: str, key: tuple, name: str, filters: Q.Filters | None, args: tuple):
    """Run `analysis.queries.<name>` on a cursor of the shared corpus connection."""
    con = _open_corpus(root, key).con.cursor()
    try:
        fn = getattr(Q, name)
        return fn(con, filters, *args) if filters is not None else fn(con, *args)
    finally:
        con.close()


@st.cache_data(max_entries=2000, show_spinner=False)
def _cached(root: str, key: tuple, name: str, filters: Q.Filters | None, args: tuple):
    """A query result, keyed on the store version, the query, the filters and its arguments."""
    return _query(root, key, name, filters, args)


@st.cache_resource(max_entries=2, show_spinner=False)
def filter_options(root: str, key: tuple) -> dict:
    """The sidebar's choices, shared read-only by every session and rerun: as cached data they
    would be copied on every rerun (10 MB, about 40 ms at 100,000 articles)."""
    return _query(root, key, "filter_options", None, ())


@st.cache_data(max_entries=64, show_spinner=False)
def _article_text(root: str, key: tuple, article_id: str) -> str | None:
    return Store(root).article_text(article_id)


@st.cache_resource(show_spinner="Loading the language model…")
def language_model():
    from analysis.nlp import load_model

    return load_model()


# ---------------------------------------------------------------------------------------------
# The context a page renders in

@dataclass
class AppContext:
    store: Store
    key: tuple
    filters: Q.Filters
    options: dict
    pages: dict = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.key[0]  # the store's signature: no committed part

    def q(self, name: str, *args, filters: Q.Filters | None | bool = True):
        """Run `analysis.queries.<name>` with the global filters (or the ones given), cached."""
        f = self.filters if filters is True else (None if filters is False else filters)
        return _cached(str(self.store.root), self.key, name, f, tuple(args))

    def raw(self, name: str, *args):
        """A query that takes no filters (profiles, a single article)."""
        return _cached(str(self.store.root), self.key, name, None, tuple(args))

    def article_text(self, article_id: str) -> str | None:
        return _article_text(str(self.store.root), self.key, article_id)

    def csv(self, name: str, *args, columns: list[str] | None = None):
        """The whole result of a query (with the global filters) as CSV bytes, made only when the
        download is clicked: a page lists the first rows of a long result, the download holds all
        of them, and building a million-row CSV on every rerun would slow every filter change.
        """
        root, key, f = str(self.store.root), self.key, self.filters

        def make() -> bytes:
            df = _query(root, key, name, f, args)
            return (df[columns] if columns else df).to_csv(index=False).encode("utf-8")

        return make


_local = threading.local()


@contextmanager
def running(ctx: AppContext):
    """Mark the current script run as started by app.py (see `page`)."""
    _local.ctx = ctx
    try:
        yield
    finally:
        _local.ctx = None


def current() -> AppContext | None:
    return getattr(_local, "ctx", None)


def page(render: Callable[[AppContext], None]) -> None:
    """Render a page module: called at the bottom of every file in `pages/`.

    Why this guard exists: when a `pages/` folder sits beside the entry script, Streamlit 1.67
    starts a fresh server in its folder-based page mode, and the first session that opens a deep
    link such as `/quotes?speaker=…` runs `pages/quotes.py` on its own: `app.py` never runs, so
    there are no sidebar filters, no URL binding and no seeding (once any session has run
    `st.navigation`, the server switches mode and later visits are fine). The page modules stay
    in `pages/` (that is where the project keeps them), so instead each one checks whether app.py
    started it; if not, it runs app.py in its place. app.py then calls `st.navigation`, which
    resolves the same URL path to the same page and renders it with the filters from the URL.
    `tests/test_browser.py` checks this on a freshly started server.
    """
    ctx = current()
    if ctx is None:
        runpy.run_path(str(APP_PATH), run_name="__main__")
        return
    render(ctx)


# ---------------------------------------------------------------------------------------------
# First start: seed an empty store

def ensure_seeded(store: Store) -> None:
    """On an empty store, ingest `seeds/` with a visible progress bar (the embedded default)."""
    seeds = seeds_dir()
    if not store.is_empty() or seeds is None or not seeds.is_dir():
        return
    from analysis.nlp import ModelNotFound
    from analysis.pipeline import ingest
    from analysis.store import StoreBusy

    box = st.container()
    box.subheader("First start: loading the bundled seed articles")
    bar = box.progress(0.0, text="Loading the language model…")

    def progress(done: int, total: int) -> None:
        if total:
            bar.progress(done / total, text=f"Processing seed article {done} of {total}…" if done < total
                         else f"Processed {total} seed articles")

    import time

    for _ in range(600):
        try:
            report = ingest([seeds], store, progress=progress)
            break
        except StoreBusy:
            bar.progress(0.0, text="Another session is loading the seed articles; waiting…")
            time.sleep(1.0)
            if not store.is_empty():
                break
        except ModelNotFound as exc:
            box.error(f"Cannot process the seed articles: {exc}")
            st.stop()
    else:
        box.error("The store stayed locked by another ingest; reload the page later.")
        st.stop()
    bar.empty()
    box.empty()
    if "report" in locals() and report.rejected:
        st.warning("Some seed files were rejected: " + "; ".join(str(p) for p in report.rejected))


# ---------------------------------------------------------------------------------------------
# Global filters, bound to the URL

def sidebar_filters(options: dict) -> tuple[Q.Filters, list[str]]:
    """The sidebar filters. Each widget is bound to its URL parameter (`bind="query-params"`),
    so the address bar always holds the view and a shared link reproduces it.

    Speaker and outlet accept values the corpus lacks (`accept_new_options`): a link naming an
    unknown speaker keeps the name and gets a visible notice instead of silently showing
    everything.
    """
    sb = st.sidebar
    sb.header("Filters")
    speakers = sb.multiselect(
        "Speaker", options["speakers"], key="speaker", bind="query-params", accept_new_options=True,
        placeholder="All speakers", help="Quotes by these speakers; on article views, the articles quoting them.")
    date_from = date_to = None
    if options["date_min"] is not None:
        value = sb.date_input(
            "Date range", value=(options["date_min"], options["date_max"]), key="date", bind="query-params",
            min_value=NO_DATE_WIDGET_MIN, max_value=NO_DATE_WIDGET_MAX, format="YYYY-MM-DD",
            help="Articles dated in this range. Undated articles are left out while a range is set.")
        value = tuple(value) if isinstance(value, (tuple, list)) else (value,)
        default = (options["date_min"], options["date_max"])
        if value and tuple(value) != default:
            date_from = value[0]
            date_to = value[1] if len(value) > 1 else None
    else:
        sb.caption(f"Date: all {options['undated']} articles are undated." if options["undated"] else "Date: no articles yet.")
    outlets = sb.multiselect("Outlet", options["outlets"], key="outlet", bind="query-params",
                             accept_new_options=True, placeholder="All outlets")
    roles = options["roles"]
    role = sb.selectbox("Speaker role", roles, index=None, key="role", bind="query-params",
                        placeholder="Any role" if roles else "No roles assigned yet",
                        help="Quotes by speakers with this role.")
    q = sb.text_input("Search quotes, speakers, titles", key="q", bind="query-params",
                      placeholder="e.g. denuclearization",
                      help='Every word must occur in one quote (or its speaker, or the article title), in any '
                           'order, as part of a word: "korea" finds "North Korea\'s". Put an exact phrase in '
                           'double quotes: "buying time". The entity views also match entity names.')
    article = _article_filter(sb, options["articles"])
    entity_type = sb.selectbox("Entity type", options["entity_types"], index=None, key="entity_type",
                               bind="query-params", placeholder="Named entities of every type",
                               help="Entity views only (every article mentions entities).")
    filters = Q.Filters(speakers=tuple(speakers), date_from=date_from, date_to=date_to, outlets=tuple(outlets),
                        article=article, entity_type=entity_type, role=role, q=(q or "").strip())
    notices = []
    unknown = Q.unknown_values(speakers, options["speakers"])
    if unknown:
        notices.append("No quotes by " + ", ".join(f"“{md_escape(u)}”" for u in unknown)
                       + " in this corpus: check the spelling, or pick a speaker from the list.")
    if (gone := st.session_state.pop("_article_unknown", None)) is not None:
        notices.append(f"The article “{md_escape(gone)}” of the link is not in this corpus; showing all articles.")
    unknown_outlets = Q.unknown_values(outlets, options["outlets"])
    if unknown_outlets:
        notices.append("No articles from " + ", ".join(f"“{md_escape(u)}”" for u in unknown_outlets) + " in this corpus.")
    if any(st.session_state.get(k) for k in URL_KEYS):
        sb.button("Clear all filters", on_click=clear_filters, icon=":material/filter_alt_off:")
    return filters, notices


def _article_filter(sb, articles: dict) -> str | None:
    """The article filter, synced with `?article=<id>` by hand rather than by `bind`.

    Why: a bound selectbox writes the *displayed* option (the title) into the URL, and titles are
    neither unique nor short; the article id is both. The link wins on the session's first run;
    after that the widget does, and the URL follows it on every page.
    """
    url_value = st.query_params.get("article")
    if "article" not in st.session_state and url_value in articles:
        st.session_state["article"] = url_value
    # The newest articles only (plus the one picked): a list of 100,000 titles is unusable and
    # is sent to the browser on every rerun. The reader's table narrows by every filter.
    choices = list(itertools.islice(articles, MAX_ARTICLE_CHOICES))
    current = st.session_state.get("article")
    if current in articles and current not in choices:
        choices.append(current)
    more = len(articles) > len(choices)
    article = sb.selectbox("Article", choices, index=None, key="article",
                           format_func=lambda a: _short(articles.get(a, a)), placeholder="All articles",
                           help="One article: also the article the reader shows."
                                + (f" Lists the {MAX_ARTICLE_CHOICES:,} most recent of {len(articles):,}; the "
                                   "Article reader page finds the others with the filters." if more else ""))
    if article:
        if st.query_params.get("article") != article:
            st.query_params["article"] = article
    elif url_value is not None:
        if url_value not in articles and not st.session_state.get("_article_notice_done"):
            st.session_state["_article_notice_done"] = True
            st.session_state["_article_unknown"] = url_value
        del st.query_params["article"]
    return article


def clear_filters() -> None:
    for k in URL_KEYS:
        if k in st.session_state:
            st.session_state[k] = [] if k in ("speaker", "outlet") else (None if k != "q" else "")
    if "date" in st.session_state:
        del st.session_state["date"]


def set_filter(key: str, value) -> None:
    """For chart-click callbacks: set one global filter (the URL follows)."""
    st.session_state[key] = value


def chart_picker(chart_key: str, filter_key: str, *, many: bool = False, ignore: tuple = ()) -> Callable[[], None]:
    """An `on_select` callback: the clicked point's value (its customdata) becomes one filter."""
    def pick() -> None:
        from ui.charts import clicked

        pts = clicked(st.session_state.get(chart_key))
        value = pts[0].get("customdata") if pts else None
        if value not in (None, "", *ignore):
            set_filter(filter_key, [value] if many else (str(value) if filter_key == "q" else value))
    return pick


def goto(page_key: str) -> None:
    """For callbacks: switch to a page at the start of the next run (switch_page is not allowed in callbacks)."""
    st.session_state["_goto"] = page_key


def _short(text: str, n: int = 70) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def show_notices(ctx: AppContext) -> None:
    """Notices about the visitor's filters (an unknown speaker in a link) go on top of the page."""
    for n in ctx.notices:
        st.warning(n, icon=":material/warning:")


def show_data_notices(notices: list[str]) -> None:
    """Notices about the corpus (a derived table that failed) are for the operator: in the sidebar."""
    if notices:
        with st.sidebar.expander(f"Data notices ({len(notices)})", icon=":material/info:"):
            for n in notices:
                st.caption(md_escape(n))


def page_start(ctx: "AppContext", title: str, what: str) -> bool:
    """Every page opens the same way: its title, the corpus notices, and the empty-store message.
    Returns False when the store is empty and the page has nothing more to show."""
    st.title(title)
    show_notices(ctx)
    return not empty_state(ctx, what)


def empty_state(ctx: AppContext, what: str = "articles") -> bool:
    """Say so and return True when the store has nothing to show."""
    if ctx.empty:
        st.info(f"The corpus store at `{ctx.store.root}` is empty, so there are no {what} to show yet. "
                "Load articles with `python -m analysis ingest PATH…`, or try your own files on the "
                "**Add articles** page.", icon=":material/inbox:")
        return True
    return False


def date_note(ctx: AppContext) -> None:
    """Under the date filter: what it leaves out (undated articles are never silently dropped)."""
    if not ctx.filters.has_date:
        return
    ex = ctx.q("date_exclusions")
    parts = []
    if ex["undated"]:
        parts.append(f"{ex['undated']} undated article{'s' if ex['undated'] != 1 else ''}")
    if ex["out_of_range"]:
        parts.append(f"{ex['out_of_range']} outside the range")
    if parts:
        st.sidebar.caption("The date filter leaves out " + " and ".join(parts) + ".")


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """"1 entity", "3 entities", "1,204 quotes"."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def md_escape(text) -> str:
    """Corpus or URL text placed in Markdown (titles, names, notices): shown as typed, never
    interpreted as Markdown, HTML, links, images or LaTeX."""
    import html
    import re

    return re.sub(r"([\\`*_{}\[\]()#+\-.!|>~<$:])", r"\\\1", html.escape(str(text), quote=False))


def link(url_path: str, **overrides) -> str:
    """A relative link to another page that carries the current filters (and `overrides`), so
    it opens the same view in a new tab or for whoever receives it."""
    from urllib.parse import urlencode

    params: list[tuple[str, str]] = []
    for k in st.query_params:
        if k in overrides:
            continue
        params += [(k, v) for v in st.query_params.get_all(k)]
    params += [(k, str(v)) for k, v in overrides.items() if v is not None]
    query = urlencode(params)
    return f"./{url_path}" + (f"?{query}" if query else "")


def md_link(text, url: str) -> str:
    """A Markdown link whose text is escaped corpus text and whose target is our own URL."""
    return f"[{md_escape(text)}]({url.replace(')', '%29').replace(' ', '%20')})"
