"""Article reader (`/article`): the text with entities and quotes highlighted (speaker on hover),
its metadata and its quotes. The article is the global article filter (`?article=…`)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from analysis import queries as Q
from ui import context, reader, runner, sidebar, text

MAX_ROWS = 1000


def _choose():
    ev = st.session_state.get("ar_pick")
    df = st.session_state.get("_ar_df")
    rows = ev["selection"]["rows"] if ev else []
    if rows and df is not None:
        sidebar.set_filter("article", df.iloc[rows[0]]["article_id"])


def render(ctx: context.AppContext) -> None:
    if not runner.page_start(ctx, "Article reader", "articles"):
        return
    aid = ctx.filters.article
    meta = ctx.raw(Q.article_meta, aid) if aid else None
    if meta is None:
        if aid:
            st.warning("That article is not in this corpus.")
        others = ctx.filters.without("article")
        total = ctx.q(Q.articles_count, filters=others)
        arts = ctx.q(Q.articles_list, MAX_ROWS, filters=others)
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
    st.header(text.md_escape(meta.get("title") or meta.get("source")), anchor=False)
    bits = [f"by {meta['author']}" if meta.get("author") else "author unknown",
            meta.get("date") or "undated", meta.get("outlet") or "outlet unknown",
            f"{meta.get('word_count') or 0:,} words"]
    st.caption(" · ".join(text.md_escape(b) for b in bits))
    if meta.get("url"):
        st.link_button("Original article", str(meta["url"]), icon=":material/open_in_new:")
    article_text = ctx.article_text(aid) or ""
    quotes = ctx.raw(Q.article_quotes, aid)
    ents = ctx.raw(Q.article_entities, aid)
    left, right = st.columns([3, 2])
    with left:
        st.html(reader.READER_CSS + reader.LEGEND)
        st.html(reader.READER_CSS + '<div class="reader">'
                + reader.highlight_html(article_text, ents, quotes, body_start=int(meta.get("body_start") or 0)) + "</div>")
    with right:
        st.subheader(f"{len(quotes)} quote{'s' if len(quotes) != 1 else ''}")
        st.dataframe(quotes, hide_index=True, width="stretch", column_order=["speaker", "quote", "cue", "kind", "role"],
                     column_config={"speaker": "Speaker", "quote": st.column_config.TextColumn("Quote", width="large"),
                                    "cue": "Cue", "kind": "Kind", "role": "Role"})
        st.caption("Source file: " + text.md_escape(Path(str(meta.get("source"))).name))  # not the server's path


runner.page(render)
