"""Speakers (`/speakers`): one speaker's profile (name, description, role with its evidence,
quotes over time, what they are quoted about, who appears with them, their quotes), and the
speaker table. The profile is for the first speaker of the global filter, or the one picked here."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from analysis import labels
from analysis import queries as Q
from analysis.roles import ROLE_HELP, ROLE_LABELS
from ui import charts, context, controls, corrections_view, runner, sidebar, tables, text

MAX_QUOTES = 500
MAX_SPEAKERS = 1000
SPEAKER_COLUMNS = {
    "speaker": st.column_config.TextColumn("Speaker", width="medium"),
    "description": st.column_config.TextColumn("Description", width="large"),
    "role": st.column_config.TextColumn("Role", width="small"),
    "side": st.column_config.TextColumn("Side", width="small"),
    "quotes": st.column_config.NumberColumn("Quotes", format="%d", width="small"),
    "articles": st.column_config.NumberColumn("Articles", format="%d", width="small"),
}


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
    others = ctx.filters.without("speakers")
    table = ctx.q(Q.speakers_table, filters=others)
    st.subheader("All speakers", anchor=False)
    st.caption(f"{text.counted(len(table), 'speaker')} quoted under the other filters"
               + (f"; the {MAX_SPEAKERS:,} most quoted are listed" if len(table) > MAX_SPEAKERS else "")
               + ". Select a row to see that speaker's profile; sort by a column's header.")
    listed = table.head(MAX_SPEAKERS)
    st.session_state["_sp_table_df"] = listed
    st.dataframe(tables.shown(listed, ["description", "role", "side"]), hide_index=True, width="stretch",
                 on_select=_pick_from_table, selection_mode="single-row", key="sp_table",
                 column_config=SPEAKER_COLUMNS, column_order=list(SPEAKER_COLUMNS),
                 height=min(560, 40 + 35 * max(len(listed), 1)))
    corrections_view.log_panel(ctx, ("_speaker", "set_role", "set_side"))
    st.download_button("Download the speaker table (CSV)", ctx.csv(Q.speakers_table, columns=list(SPEAKER_COLUMNS)),
                       file_name="speakers.csv", mime="text/csv", icon=":material/download:")


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
    cols[0].metric("Quotes", f"{p['quote_count']:,}")
    cols[1].metric("Articles", f"{p['article_count']:,}")
    role = p.get("role") or "unknown"
    # Role and side are words, often long ("Massachusetts Institute of Technology"): as text they
    # show whole, where a metric's large type cut them to "Massachuset…" at 1,440 px.
    with cols[2]:
        st.markdown(f"**Role:** {text.md_escape(ROLE_LABELS.get(role, role))}", help=ROLE_HELP.get(role))
    with cols[3]:
        st.markdown(f"**Side:** {text.md_escape(p.get('side') or '—')}")
    if isinstance(p.get("role_evidence"), str) and p["role_evidence"]:
        st.caption("Role evidence: " + text.md_escape(p["role_evidence"]))
    corrections_view.speaker_panel(ctx, name)
    f = ctx.filters.without("speakers")
    left, right = st.columns(2)
    with left:
        grain = controls.grain_picker()
        df, undated, grain = ctx.q(Q.speaker_timeline, name, grain, filters=f)
        if df.empty:
            st.info(f"No dated quotes by {text.md_escape(name)}"
                    + (f" ({text.counted(undated, 'quote')} in undated articles)." if undated else "."))
        else:
            st.plotly_chart(charts.timeline(df, "quotes", f"Quotes by {name} over time", "Quotes", grain, undated),
                            key="sp_time")
        topics = ctx.q(Q.speaker_topics, name, filters=f)
        if topics.empty:
            st.info("No named entities in this speaker's quotes.")
        else:
            topics = topics.assign(type_words=topics["type"].map(labels.entity_label))
            st.plotly_chart(charts.hbar(topics, "entity", "quotes",
                                        f"What {name} is quoted about (click for the articles naming it)",
                                        "Quotes naming it", "Entity", hover={"type_words": "Type"}, color="#F58518"),
                            key="sp_topics", on_select=sidebar.chart_picker("sp_topics", "entity", many=True),
                            selection_mode="points")
    with right:
        co = ctx.q(Q.co_speakers, name, filters=f)
        if co.empty:
            st.info("Nobody else is quoted in the same articles.")
        else:
            st.plotly_chart(charts.hbar(co, "speaker", "shared_articles", f"Quoted alongside {name} (click to switch)",
                                        "Shared articles", "Speaker",
                                        hover={"role": "Role", "their_quotes": "Their quotes"}, color="#54A24B"),
                            key="sp_co", on_select=sidebar.chart_picker("sp_co", "speaker", many=True),
                            selection_mode="points")
    mine = replace(ctx.filters, speakers=(name,))
    total = ctx.q(Q.quotes_count, filters=mine)
    quotes = ctx.q(Q.quotes_table, MAX_QUOTES, filters=mine)
    st.subheader(f"{text.counted(total, 'quote')} by {text.md_escape(name)}", anchor=False)
    if total > len(quotes):
        st.caption(f"The {len(quotes):,} most recent are listed; the Quotes page downloads all.")
    tables.quotes(quotes, key="sp_quotes", selectable=False,
                  columns=["quote", "date", "outlet", "article", "url", "kind", "cue"])


runner.page(render)
