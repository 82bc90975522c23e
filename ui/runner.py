"""How a page runs: started by app.py with the context, opened the same way on every page, and
the first-start seeding shown while it runs."""
from __future__ import annotations

import runpy
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from analysis import corpus, seeding
from analysis.store import Store
from ui.context import AppContext
from ui.text import md_escape

APP_PATH = Path(__file__).resolve().parent.parent / "app.py"

_local = threading.local()


@contextmanager
def running(ctx: AppContext) -> Iterator[None]:
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


def page_start(ctx: AppContext, title: str, what: str, intro: str = "") -> bool:
    """Every page opens the same way: its title, what it shows, the filters in words, the
    visitor's notices, and the empty-store message. Returns False when the store is empty and
    the page has nothing more to show."""
    st.title(title)
    if intro:
        st.caption(intro)
    if ctx.filters.active:
        described = ctx.filters.describe(ctx.options.get("articles", {}).get(ctx.filters.article))
        st.caption(":material/filter_alt: Filtered: " + md_escape(described) + ".")
    show_notices(ctx)
    return not empty_state(ctx, what)


def show_notices(ctx: AppContext) -> None:
    """Notices about the visitor's filters (an unknown speaker in a link) go on top of the page."""
    for n in ctx.notices:
        st.warning(n, icon=":material/warning:")


def show_pending(store: Store) -> None:
    """While an ingest adds articles, the page shows the last complete corpus and says so (the
    words are the library's, `corpus.pending_notice`)."""
    notice = corpus.pending_notice(store)
    if notice:
        st.info(md_escape(notice), icon=":material/hourglass_top:")


def show_data_notices(notices: list[str]) -> None:
    """Notices about the corpus (a derived table that failed) are for the operator: in the sidebar."""
    if notices:
        with st.sidebar.expander(f"Data notices ({len(notices)})", icon=":material/info:"):
            for n in notices:
                st.caption(md_escape(n))


def empty_state(ctx: AppContext, what: str = "articles") -> bool:
    """Say so and return True when the store has nothing to show."""
    if ctx.empty:
        st.info(f"The corpus store at `{ctx.store.root}` is empty, so there are no {what} to show yet. "
                "Load articles with `python -m analysis ingest PATH…`, or try your own files on the "
                "**Add articles** page.", icon=":material/inbox:")
        return True
    return False


def seed_with_progress(store: Store) -> None:
    """On an empty store, ingest the bundled seeds (`analysis.seeding`) with a progress bar, in
    one placeholder that is cleared when they are in: nothing of it stays above the page."""
    if not seeding.needs_seeding(store):
        return
    slot = st.empty()
    with slot.container():
        st.subheader("First start: loading the bundled seed articles", anchor=False)
        bar = st.progress(0.0, text="Loading the language model…")

    def progress(done: int, total: int, waiting: bool) -> None:
        if waiting:
            bar.progress(0.0, text="Another session is loading the seed articles; waiting…")
        elif total:
            bar.progress(done / total, text=f"Processing seed article {done} of {total}…" if done < total
                         else f"Processed {total} seed articles")

    result = seeding.seed_if_empty(store, progress=progress)
    if result.error:
        slot.error(result.error)
        st.stop()
    slot.empty()
    if result.rejected:
        st.warning("Some seed files were rejected: " + "; ".join(md_escape(p) for p in result.rejected))
