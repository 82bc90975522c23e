"""The articles a visitor added on the Add page, shown beside the shared corpus in that session
only: in the Quotes table (marked) and in the Article reader. They live in `st.session_state`,
never in the store, so a hosted link's next visitor never sees them."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import uploads
from analysis.store import ProcessedArticle
from ui.context import AppContext

KEY = "uploads"
MARK = "your upload"


def processed() -> list[ProcessedArticle]:
    return list(st.session_state.get(KEY) or [])


def titles() -> dict[str, str]:
    """article id → title of the session's uploads (for the article filter)."""
    return {p.article.article_id: f"{p.article.title or p.article.source} (your upload)" for p in processed()}


def find(article_id: str | None) -> ProcessedArticle | None:
    return next((p for p in processed() if p.article.article_id == article_id), None)


def quotes(ctx: AppContext) -> pd.DataFrame:
    """The session's uploaded quotes under the global filters, with the mark."""
    items = processed()
    if not items:
        return pd.DataFrame()
    df = uploads.matching_quotes(items, ctx.filters)
    df["origin"] = MARK
    df["role"] = None
    return df


def with_uploads(mine: pd.DataFrame, corpus: pd.DataFrame) -> pd.DataFrame:
    """Uploaded quotes first, then the corpus's, in one table (the corpus rows marked "corpus")."""
    corpus = corpus.assign(origin="corpus")
    return pd.concat([mine[[c for c in corpus.columns if c in mine.columns]], corpus], ignore_index=True)
