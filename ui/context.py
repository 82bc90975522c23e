"""The corpus a page reads and the cached queries it runs: shared by every session.

`analysis/` stays free of Streamlit; this module only wires its functions to Streamlit's caches.
A page calls a query function itself (`ctx.q(queries.quotes_table, 1000)`), so a rename fails
at import; the cache keys on the function's qualified name, the corpus state, the filters and
the arguments.
"""
from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from analysis import export
from analysis.corpus import Corpus, corpus_key, open_connection
from analysis.corrections import CorrectionLog
from analysis.filters import Filters
from analysis.store import Store

QUERY_PACKAGE = "analysis."


def store_root() -> Path:
    """`$ANALYSIS_STORE` or `data/`, read at every run so a test can point the app elsewhere."""
    return Path(os.environ.get("ANALYSIS_STORE") or "data")


def current_key(store: Store) -> str:
    """Names the corpus state (the derived file the ingest last completed, analyst files,
    versions, the analyst's corrections): every cache keys on it, so new articles show on the
    first page load after their ingest finished and a correction on the next one."""
    fixes = CorrectionLog(store.root).signature()
    return corpus_key(store) + (f"-c{fixes[0]}-{fixes[1]}" if fixes else "")


@st.cache_resource(max_entries=2, show_spinner="Opening the corpus…")
def _open_corpus(root: str, key: str) -> Corpus:
    """One DuckDB snapshot per corpus state, shared by all sessions (each query uses a cursor)."""
    return open_connection(Store(root))


def corpus_notices(root: str, key: str) -> list[str]:
    """What went wrong opening this corpus state (an analyst file missing, a failed step)."""
    return _open_corpus(root, key).notices


def _qualname(fn: Callable) -> str:
    name = f"{fn.__module__}.{fn.__qualname__}"
    if not name.startswith(QUERY_PACKAGE) or "<" in name:
        raise ValueError(f"{name} is not a query function of the analysis library")
    return name


def _resolve(qualname: str) -> Callable:
    module, _, name = qualname.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _query(root: str, key: str, qualname: str, filters: Filters | None, args: tuple):
    """Run a query function on a cursor of the shared corpus connection."""
    con = _open_corpus(root, key).con.cursor()
    try:
        fn = _resolve(qualname)
        return fn(con, filters, *args) if filters is not None else fn(con, *args)
    finally:
        con.close()


@st.cache_data(max_entries=2000, show_spinner=False)
def _cached(root: str, key: str, qualname: str, filters: Filters | None, args: tuple):
    """A query result, keyed on the corpus state, the query, the filters and its arguments."""
    return _query(root, key, qualname, filters, args)


@st.cache_resource(max_entries=2, show_spinner=False)
def filter_options(root: str, key: str) -> dict:
    """The sidebar's choices, shared read-only by every session and rerun: as cached data they
    would be copied on every rerun (10 MB, about 40 ms at 100,000 articles)."""
    from analysis.queries import filter_options as options

    return _query(root, key, _qualname(options), None, ())


@st.cache_data(max_entries=64, show_spinner=False)
def _article_text(root: str, key: str, article_id: str) -> str | None:
    return Store(root).article_text(article_id)


@st.cache_resource(show_spinner="Loading the language model…")
def language_model():
    from analysis.nlp import load_model

    return load_model()


@dataclass
class AppContext:
    """What a page renders from: the corpus state, the analyst's filters and the sidebar options."""

    store: Store
    key: str
    filters: Filters
    options: dict
    pages: dict = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.store.is_empty()

    def q(self, fn: Callable, *args, filters: Filters | bool = True) -> Any:
        """`fn(con, filters, *args)` with the global filters (or the ones given), cached;
        `filters=False` for a query that takes none (`fn(con, *args)`)."""
        f = self.filters if filters is True else (None if filters is False else filters)
        assert f is None or isinstance(f, Filters)
        return _cached(str(self.store.root), self.key, _qualname(fn), f, tuple(args))

    def raw(self, fn: Callable, *args) -> Any:
        """A query that takes no filters (profiles, a single article)."""
        return self.q(fn, *args, filters=False)

    def article_text(self, article_id: str) -> str | None:
        return _article_text(str(self.store.root), self.key, article_id)

    def frame(self, fn: Callable, *args) -> Callable[[], Any]:
        """The whole result of a query (with the global filters), made only when called: a page
        lists the first rows of a long result while a download holds all of them, and building
        a million-row file on every rerun would slow every filter change."""
        root, key, f, name = str(self.store.root), self.key, self.filters, _qualname(fn)
        return lambda: _query(root, key, name, f, args)

    def csv(self, fn: Callable, *args, columns: list[str] | None = None) -> Callable[[], bytes]:
        """The whole result of a query as CSV bytes (formula-safe), made when the download is clicked."""
        make = self.frame(fn, *args)

        def to_csv() -> bytes:
            df = make()
            return export.to_csv(df[columns] if columns else df)

        return to_csv
