"""Article reader (`/article`): the text with entities and quotes highlighted (speaker on hover),
its metadata and its quotes. The article is the global article filter (`?article=…`): one of the
corpus, or one the visitor added in this session on the Add page."""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from analysis import queries as Q
from analysis import uploads
from ui import context, reader, runner, sidebar, tables, text, uploads_view

MAX_ROWS = 1000
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)


def _choose():
    ev = st.session_state.get("ar_pick")
    df = st.session_state.get("_ar_df")
    rows = ev["selection"]["rows"] if ev else []
    if rows and df is not None:
        sidebar.set_filter("article", df.iloc[rows[0]]["article_id"])


def byline(author) -> str:
    """"by Jane Doe", whether the source wrote the name or "By JANE DOE"."""
    if not isinstance(author, str) or not author.strip():
        return "author unknown"
    return "by " + _BY.sub("", author).strip()


def render(ctx: context.AppContext) -> None:
    if not runner.page_start(ctx, "Article reader", "articles"):
        return
    aid = ctx.filters.article
    mine = uploads_view.find(aid)
    if mine is not None:
        show_upload(mine)
        return
    meta = ctx.raw(Q.article_meta, aid) if aid else None
    if meta is None:
        pick_one(ctx, aid)
        return
    article_text = ctx.article_text(aid) or ""
    show(meta, article_text, ctx.raw(Q.article_quotes, aid), ctx.raw(Q.article_entities, aid))


def pick_one(ctx: context.AppContext, aid: str | None) -> None:
    if aid:
        st.warning("That article is not in this corpus.")
    others = ctx.filters.without("article")
    total = ctx.q(Q.articles_count, filters=others)
    arts = ctx.q(Q.articles_list, MAX_ROWS, filters=others)
    st.caption(f"Pick one of {text.counted(total, 'article')} to read"
               + (f" (the {len(arts):,} most recent are listed; narrow them with the filters)" if total > len(arts)
                  else "") + ", or use the Article filter in the sidebar.")
    st.session_state["_ar_df"] = arts
    tables.articles(arts, key="ar_pick", on_select=_choose)


def show_upload(p) -> None:
    frames = uploads.uploads_frames([p])
    meta = {**frames["articles"].iloc[0].to_dict(), "body_start": p.article.body_start, "author": p.article.author,
            "date": p.article.date}
    st.info("An article you added in this session: only you see it, and it is gone when you close the tab. "
            "Names, roles and opinion groups come from the shared corpus's derivation, which it is not part of.",
            icon=":material/upload_file:")
    show(meta, p.article.text, frames["quotes"].assign(role=None), frames["entities"])


def show(meta: dict, article_text: str, quotes: pd.DataFrame, ents: pd.DataFrame) -> None:
    st.header(text.md_escape(meta.get("title") or meta.get("file") or "untitled"), anchor=False)
    bits = [byline(meta.get("author")), meta.get("date") or "undated", meta.get("outlet") or "outlet unknown",
            f"{int(meta.get('word_count') or 0):,} words"]
    st.caption(" · ".join(text.md_escape(b) for b in bits))
    if isinstance(meta.get("url"), str) and meta["url"]:
        st.link_button("Original article", str(meta["url"]), icon=":material/open_in_new:")
    left, right = st.columns([3, 2])
    with left:
        st.html(reader.READER_CSS + reader.LEGEND)
        body = reader.highlight_html(article_text, ents, quotes, body_start=int(meta.get("body_start") or 0),
                                     body_only=True)
        st.html(reader.READER_CSS + '<div class="reader">' + body + "</div>")
    with right:
        st.subheader(text.counted(len(quotes), "quote"), anchor=False)
        if not quotes.empty:
            st.dataframe(tables.shown(quotes, ["speaker", "role", "cue", "kind"]), hide_index=True, width="stretch",
                         column_order=["speaker", "quote", "role", "cue", "kind"],
                         column_config=tables.QUOTE_COLUMNS)
        if meta.get("file"):
            st.caption("Source file: " + text.md_escape(meta["file"]))  # its base name, never the server's path


runner.page(render)
