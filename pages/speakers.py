"""Speakers (`/speakers`): one speaker's profile (name, description, role with its evidence,
quotes over time, what they are quoted about, who appears with them), and the speaker table.
The profile is for the first speaker of the global filter, or the one picked here."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from analysis import queries as Q
from ui import charts, context, runner, sidebar, text

MAX_QUOTES = 500


def _pick_from_table():
    ev = st.session_state.get("sp_table")
    rows = ev["selection"]["rows"] if ev else []
    df = st.session_state.get("_sp_table_df")
    if rows and df is not None:
        sidebar.set_filter("speaker", [df.iloc[rows[0]]["speaker"]])


def render(ctx: context.AppContext) -> None:
    if not runner.page_start(ctx, "Speakers", "speakers"):
        return
    known = [s for s in ctx.filters.speakers if s in set(ctx.options["speakers"])]
    if known:
        profile(ctx, known[0])
        if len(known) > 1:
            st.caption("Also filtered: " + ", ".join(text.md_escape(k) for k in known[1:])
                       + ". The profile shows the first speaker.")
        st.divider()
    table = ctx.q(Q.speakers_table, filters=ctx.filters.without("speakers"))
    st.subheader("All speakers")
    st.caption(f"{text.counted(len(table), 'speaker')} for the other filters. Select a row to see that speaker's profile.")
    st.session_state["_sp_table_df"] = table
    st.dataframe(table.fillna({"description": "—", "role": "—", "side": "—"}), hide_index=True, width="stretch",
                 on_select=_pick_from_table, selection_mode="single-row",
                 key="sp_table", column_config={
                     "speaker": st.column_config.TextColumn("Speaker"),
                     "description": st.column_config.TextColumn("Description", width="large"),
                     "role": st.column_config.TextColumn("Role"),
                     "side": st.column_config.TextColumn("Side"),
                     "quotes": st.column_config.NumberColumn("Quotes", format="%d"),
                     "articles": st.column_config.NumberColumn("Articles", format="%d")})


def profile(ctx: context.AppContext, name: str) -> None:
    p = ctx.raw(Q.speaker_profile, name)
    if p is None:
        st.warning(f"No profile for “{text.md_escape(name)}”.")
        return
    st.header(text.md_escape(name), anchor=False)
    if p.get("descriptions"):
        st.markdown("*" + text.md_escape(p["descriptions"][0]) + "*")
        if len(p["descriptions"]) > 1:
            st.caption("Also described as: " + "; ".join(text.md_escape(d) for d in p["descriptions"][1:4]))
    cols = st.columns(4)
    cols[0].metric("Quotes", p["quote_count"])
    cols[1].metric("Articles", p["article_count"])
    cols[2].metric("Role", p.get("role") or "not assigned")
    cols[3].metric("Side", p.get("side") or "—")
    if p.get("role_evidence"):
        st.caption("Role evidence: " + text.md_escape(str(p["role_evidence"])))
    f = ctx.filters.without("speakers")
    left, right = st.columns(2)
    with left:
        df, undated, grain = ctx.q(Q.speaker_timeline, name, filters=f)
        if df.empty:
            st.info(f"No dated quotes by {text.md_escape(name)}" + (f" ({undated} in undated articles)." if undated else "."))
        else:
            st.plotly_chart(charts.timeline(df, "quotes", f"Quotes by {name} over time", "Quotes", grain, undated),
                            key="sp_time")
        topics = ctx.q(Q.speaker_topics, name, filters=f)
        if topics.empty:
            st.info("No named entities in this speaker's quotes.")
        else:
            st.plotly_chart(charts.hbar(topics, "entity", "quotes", f"What {name} is quoted about (click to search)",
                                        "Quotes naming it", "Entity", hover={"type": "Type"}, color="#F58518"),
                            key="sp_topics", on_select=sidebar.chart_picker("sp_topics", "q"), selection_mode="points")
    with right:
        co = ctx.q(Q.co_speakers, name, filters=f)
        if co.empty:
            st.info("Nobody else is quoted in the same articles.")
        else:
            st.plotly_chart(charts.hbar(co, "speaker", "shared_articles", f"Quoted alongside {name} (click to switch)",
                                        "Shared articles", "Speaker", hover={"role": "Role", "their_quotes": "Their quotes"},
                                        color="#54A24B"),
                            key="sp_co", on_select=sidebar.chart_picker("sp_co", "speaker", many=True), selection_mode="points")
        mine = replace(ctx.filters, speakers=(name,))
        total = ctx.q(Q.quotes_count, filters=mine)
        quotes = ctx.q(Q.quotes_table, MAX_QUOTES, filters=mine)
        st.markdown(f"**{total:,} quote{'s' if total != 1 else ''}**"
                    + (f" (the {len(quotes):,} most recent listed; the Quotes page downloads all)"
                       if total > len(quotes) else ""))
        st.dataframe(quotes, hide_index=True, width="stretch", height=300,
                     column_order=["quote", "kind", "article", "date"],
                     column_config={"quote": st.column_config.TextColumn("Quote", width="large"),
                                    "kind": "Kind", "article": "Article", "date": "Date"})


runner.page(render)
