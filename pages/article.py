"""Article reader (`/article`): the text with entities and quotes highlighted (speaker on hover),
its metadata and its quotes. The article is the global article filter (`?article=…`)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from analysis import queries as Q
from ui import shell
from ui.reader import LEGEND, READER_CSS

MAX_ROWS = 1000


def _choose():
    ev = st.session_state.get("ar_pick")
    df = st.session_state.get("_ar_df")
    rows = ev["selection"]["rows"] if ev else []
    if rows and df is not None:
        shell.set_filter("article", df.iloc[rows[0]]["article_id"])


def render(ctx: shell.AppContext) -> None:
    if not shell.page_start(ctx, "Article reader", "articles"):
        return
    aid = ctx.filters.article
    meta = ctx.raw("article_meta", aid) if aid else None
    if meta is None:
        if aid:
            st.warning("That article is not in this corpus.")
        others = ctx.filters.without("article")
        total = ctx.q("articles_count", filters=others)
        arts = ctx.q("articles_list", MAX_ROWS, filters=others)
        st.caption(f"Pick one of {total:,} article{'s' if total != 1 else ''} to read"
                   + (f" (the {len(arts):,} most recent are listed; narrow them with the filters)" if total > len(arts) else "")
                   + ", or use the Article filter in the sidebar.")
        st.session_state["_ar_df"] = arts
        st.dataframe(arts.fillna({"author": "—", "outlet": "—"}), hide_index=True, width="stretch",
                     on_select=_choose, selection_mode="single-row",
                     key="ar_pick", column_order=["title", "author", "date", "outlet", "word_count", "quotes"],
                     column_config={"title": st.column_config.TextColumn("Title", width="large"),
                                    "author": "Author", "date": "Date", "outlet": "Outlet",
                                    "word_count": st.column_config.NumberColumn("Words", format="%d"),
                                    "quotes": st.column_config.NumberColumn("Quotes", format="%d")})
        return
    st.header(shell.md_escape(meta.get("title") or meta.get("source")), anchor=False)
    bits = [f"by {meta['author']}" if meta.get("author") else "author unknown",
            meta.get("date") or "undated", meta.get("outlet") or "outlet unknown",
            f"{meta.get('word_count') or 0:,} words"]
    st.caption(" · ".join(shell.md_escape(b) for b in bits))
    if meta.get("url"):
        st.link_button("Original article", str(meta["url"]), icon=":material/open_in_new:")
    text = ctx.article_text(aid) or ""
    quotes = ctx.raw("article_quotes", aid)
    ents = ctx.raw("article_entities", aid)
    left, right = st.columns([3, 2])
    with left:
        st.html(READER_CSS + LEGEND)
        st.html(READER_CSS + '<div class="reader">'
                + Q.highlight_html(text, ents, quotes, body_start=int(meta.get("body_start") or 0)) + "</div>")
    with right:
        st.subheader(f"{len(quotes)} quote{'s' if len(quotes) != 1 else ''}")
        st.dataframe(quotes, hide_index=True, width="stretch", column_order=["speaker", "quote", "cue", "kind", "role"],
                     column_config={"speaker": "Speaker", "quote": st.column_config.TextColumn("Quote", width="large"),
                                    "cue": "Cue", "kind": "Kind", "role": "Role"})
        st.caption("Source file: " + shell.md_escape(Path(str(meta.get("source"))).name))  # not the server's path


shell.page(render)
