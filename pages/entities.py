"""Entities (`/entities`): named entities by type, over time, who co-occurs with whom, and the
table. Clicking a type filters to it; clicking an entity searches for it."""
from __future__ import annotations

import streamlit as st

from analysis import queries as Q
from ui import charts, context, runner, sidebar, text


def render(ctx: context.AppContext) -> None:
    if not runner.page_start(ctx, "Entities", "entities"):
        return
    st.caption("People, organisations, places and other names the articles mention"
               + (f"; showing type {ctx.filters.entity_type} only." if ctx.filters.entity_type else
                  " (dates and numbers are left out unless picked as the entity type)."))
    left, right = st.columns(2)
    with left:
        types = ctx.q(Q.entity_type_counts, filters=ctx.filters.without("entity_type"))
        if types.empty:
            st.info("No entities for these filters.")
        else:
            st.plotly_chart(charts.hbar(types, "type", "mentions", "Mentions by entity type (click to filter)",
                                        "Mentions", "Type", hover={"entities": "Distinct entities"}),
                            key="en_types", on_select=sidebar.chart_picker("en_types", "entity_type"), selection_mode="points")
    with right:
        df, undated, grain = ctx.q(Q.entity_timeline, 6)
        if df.empty:
            st.info("No entities in dated articles" + (f" ({undated} mentions in undated ones)." if undated else "."))
        else:
            st.plotly_chart(charts.multi_timeline(df, "entity", "mentions", "Most mentioned entities over time",
                                                  "Mentions", grain, undated),
                            key="en_time", on_select=sidebar.chart_picker("en_time", "q"), selection_mode="points")
    nodes, edges = ctx.q(Q.entity_cooccurrence, 25)
    if not nodes.empty:
        pos = charts.circle_layout(list(nodes["entity"]))
        st.plotly_chart(charts.network(nodes, edges, pos, "Which entities are named in the same sentence "
                                       "(25 most mentioned; thicker line = more sentences; click to search)"),
                        key="en_net", on_select=sidebar.chart_picker("en_net", "q"), selection_mode="points")
    table = ctx.q(Q.entities_table)
    st.subheader("All entities")
    st.caption(f"{text.counted(len(table), 'entity', 'entities')} (at most 500 shown).")
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "entity": st.column_config.TextColumn("Entity", width="medium"),
        "type": st.column_config.TextColumn("Type"),
        "mentions": st.column_config.NumberColumn("Mentions", format="%d"),
        "articles": st.column_config.NumberColumn("Articles", format="%d"),
        "forms": st.column_config.ListColumn("Written as")})


runner.page(render)
