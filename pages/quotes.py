"""Quotes (`/quotes`): every quote the filters leave, with its attribution; a selected row shows
the quote in its paragraph. The CSV download holds exactly the rows shown."""
from __future__ import annotations

import streamlit as st

from analysis import queries as Q
from ui import context, reader, runner, sidebar, text

MAX_ROWS = 1000
COLUMNS = {
    "quote": st.column_config.TextColumn("Quote", width="large"),
    "speaker": st.column_config.TextColumn("Speaker"),
    "role": st.column_config.TextColumn("Role"),
    "cue": st.column_config.TextColumn("Cue", help="The reporting verb or phrase: said, told, according to…"),
    "kind": st.column_config.TextColumn("Kind", help="direct, indirect or mixed"),
    "article": st.column_config.TextColumn("Article"),
    "outlet": st.column_config.TextColumn("Outlet"),
    "date": st.column_config.TextColumn("Date"),
}


def render(ctx: context.AppContext) -> None:
    if not runner.page_start(ctx, "Quotes", "quotes"):
        return
    total = ctx.q(Q.quotes_count)
    df = ctx.q(Q.quotes_table, MAX_ROWS)
    who = ", ".join(text.md_escape(s) for s in ctx.filters.speakers) if ctx.filters.speakers else "all speakers"
    st.caption(f"{total:,} quote{'s' if total != 1 else ''} by {who}"
               + (f"; the {len(df):,} most recent are listed (narrow them with the filters; the download holds all)"
                  if total > len(df) else "")
               + ". Search with the sidebar's text box; select a row to read the quote in its paragraph.")
    if df.empty:
        st.info("No quotes match these filters. Clear the text search or widen the dates in the sidebar.")
        return
    speakers = list(dict.fromkeys(df["speaker"]))
    st.caption("Speakers in this table: " + ", ".join(text.md_escape(s) for s in speakers[:12])
               + (f" and {len(speakers) - 12} more" if len(speakers) > 12 else "") + ".")
    event = st.dataframe(df, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                         key="quotes_table", column_order=list(COLUMNS), column_config=COLUMNS,
                         height=min(420, 38 + 35 * len(df)))
    st.download_button(f"Download {'these' if total == len(df) else f'all {total:,}'} quotes (CSV)",
                       ctx.csv(Q.quotes_table, columns=list(COLUMNS)),
                       file_name="quotes.csv", mime="text/csv", icon=":material/download:")
    rows = event.selection.rows if event else []
    if rows:
        row = df.iloc[rows[0]]
        article_text = ctx.article_text(row["article_id"])
        st.subheader(text.md_escape(f"{row['speaker']} in “{row['article']}”"), anchor=False)
        if article_text:
            html = reader.quote_in_paragraph_html(article_text, int(row["start"]), int(row["end"]), row["speaker"])
            st.html(f'<div class="reader">{html}</div>' + reader.READER_CSS)
        st.button("Open the article", icon=":material/article:",
                  on_click=lambda: (sidebar.set_filter("article", row["article_id"]), sidebar.goto("article")))


runner.page(render)
