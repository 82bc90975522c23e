"""Quotes (`/quotes`): every quote the filters leave, with its attribution, outlet, date and a link
to the original; a selected row shows the quote in its paragraph and goes into the address bar
(`quote=<article id>:<offset>`), so a shared link opens on the same quote."""
from __future__ import annotations

import streamlit as st

from analysis import queries as Q
from ui import context, controls, reader, runner, sidebar, tables, text, uploads_view

MAX_ROWS = 1000


def render(ctx: context.AppContext) -> None:
    if not runner.page_start(ctx, "Quotes", "quotes"):
        return
    total = ctx.q(Q.quotes_count)
    df = ctx.q(Q.quotes_table, MAX_ROWS)
    st.caption(text.counted(total, "quote")
               + (f"; the {len(df):,} most recent are listed (narrow them with the filters; the downloads hold all)"
                  if total > len(df) else "")
               + ". Select a row to read the quote in its paragraph; sort by a column's header.")
    if df.empty:
        st.info("No quotes match these filters. Clear the text search, pick fewer entities or widen the dates "
                "in the sidebar.")
        return
    mine = uploads_view.quotes(ctx)
    if not mine.empty:
        st.caption(f"{text.counted(len(mine), 'quote')} from the articles you added in this session are listed "
                   "first, marked “your upload”; they are not in the shared corpus.")
        df = uploads_view.with_uploads(mine, df)
    wanted = st.query_params.get("quote")
    position = ctx.q(Q.quote_position, wanted, MAX_ROWS) if wanted else None
    if position is not None:
        position += len(mine)
    view = st.segmented_control("Show", ["table", "read in full"], default="table", key="view", bind="query-params",
                                help="The table sorts and selects; “read in full” shows each quote whole, with its "
                                     "speaker, date, outlet and source.")
    controls.downloads(ctx, Q.quotes_table, table="quotes", columns=tables.QUOTE_EXPORT, total=total, shown=len(df))
    if view == "read in full":
        tables.quote_cards(df, key="quote_cards")
        return
    columns = (["origin"] if not mine.empty else []) + list(tables.QUOTE_COLUMNS)
    event = tables.quotes(df, key="quotes_table", selected=position, columns=columns)
    rows = event.selection.rows if event else []
    if not rows:
        if wanted:
            if position is None:
                st.caption(f"The quote {text.md_escape(wanted)} of the link is not among the quotes listed here.")
            del st.query_params["quote"]
        return
    row = df.iloc[rows[0]]
    if st.query_params.get("quote") != row["quote_id"]:
        st.query_params["quote"] = row["quote_id"]
    show_in_paragraph(ctx, row)


def show_in_paragraph(ctx: context.AppContext, row) -> None:
    article_text = ctx.article_text(row["article_id"])
    st.subheader(text.md_escape(f"{row['speaker']} in “{row['article']}”"), anchor=False)
    meta = " · ".join(str(v) for v in (row["date"], row.get("outlet")) if isinstance(v, str) and v)
    st.caption(text.md_escape(meta))
    if article_text:
        html = reader.quote_in_paragraph_html(article_text, int(row["start"]), int(row["end"]), row["speaker"])
        st.html(f'<div class="reader">{html}</div>' + reader.READER_CSS)
    left = right = st.container(horizontal=True)
    left.button("Open the article", icon=":material/article:",
                on_click=lambda: (sidebar.set_filter("article", row["article_id"]), sidebar.goto("article")))
    if isinstance(row.get("url"), str) and row["url"]:
        right.link_button("Original article", row["url"], icon=":material/open_in_new:")


runner.page(render)
