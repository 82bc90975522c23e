"""Entities (`/entities`): named entities by type, over time, which ones the same sentences name,
and the table. Clicking a type filters to it; clicking an entity (or a pair) keeps the articles
that name it (`entity=` in the address bar)."""
from __future__ import annotations

import streamlit as st

from analysis import labels
from analysis import queries as Q
from ui import charts, context, controls, corrections_view, runner, sidebar, text

MATRIX_SIZE = 12
MAX_ENTITIES = 500
ENTITY_COLUMNS = {
    "entity": st.column_config.TextColumn("Entity", width="medium"),
    "type_words": st.column_config.TextColumn("Type", width="small"),
    "mentions": st.column_config.NumberColumn("Mentions", format="%d", width="small"),
    "articles": st.column_config.NumberColumn("Articles", format="%d", width="small"),
    "forms": st.column_config.ListColumn("Written as", width="large"),
    "type": st.column_config.TextColumn("spaCy label", width="small", help="The model's own code for the type"),
}


def _pick_pair() -> None:
    pts = charts.clicked(st.session_state.get("en_pairs"))
    pair = pts[0].get("customdata") if pts else None
    if isinstance(pair, list) and pair:
        for name in pair:
            sidebar.add_to_filter("entity", name)


def _pick_row() -> None:
    ev = st.session_state.get("en_table")
    rows = ev["selection"]["rows"] if ev else []
    df = st.session_state.get("_en_table_df")
    if rows and df is not None:
        sidebar.add_to_filter("entity", df.iloc[rows[0]]["entity"])


def render(ctx: context.AppContext) -> None:
    if not runner.page_start(ctx, "Entities", "entities"):
        return
    st.caption("People, organisations, places and other names the articles mention"
               + (f"; showing {text.md_escape(labels.entity_label(ctx.filters.entity_type))} only."
                  if ctx.filters.entity_type else
                  " (dates and numbers are left out unless picked as the entity type)."))
    left, right = st.columns(2)
    with left:
        types = ctx.q(Q.entity_type_counts, filters=ctx.filters.without("entity_type"))
        if types.empty:
            st.info("No entities for these filters.")
        else:
            types = types.assign(words=types["type"].map(labels.entity_label))
            st.plotly_chart(charts.hbar(types, "words", "mentions", "Mentions by entity type (click to filter)",
                                        "Mentions", "Type", hover={"entities": "Distinct entities"}, value_of="type"),
                            key="en_types", on_select=sidebar.chart_picker("en_types", "entity_type"),
                            selection_mode="points")
    with right:
        grain = controls.grain_picker()
        df, undated, grain = ctx.q(Q.entity_timeline, 6, grain)
        if df.empty:
            st.info("No entities in dated articles"
                    + (f" ({text.counted(undated, 'mention')} in undated ones)." if undated else "."))
        else:
            st.plotly_chart(charts.multi_timeline(df, "entity", "mentions",
                                                  "Most mentioned entities over time (click a line to keep its "
                                                  "articles)", "Mentions", grain, undated),
                            key="en_time", on_select=sidebar.chart_picker("en_time", "entity", many=True),
                            selection_mode="points")
    nodes, pairs = ctx.q(Q.entity_pairs, MATRIX_SIZE)
    if len(nodes) > 1 and not pairs.empty:
        st.plotly_chart(charts.pair_matrix(nodes, pairs, f"Which of the {len(nodes)} most mentioned entities the "
                                                         "same sentences name (number: sentences; click a pair to "
                                                         "keep the articles naming both)"),
                        key="en_pairs", on_select=_pick_pair, selection_mode="points")
        top = pairs.head(3)
        st.caption("Strongest pairs: " + "; ".join(
            f"{text.md_escape(a)} and {text.md_escape(b)} ({text.counted(int(n), 'sentence')})"
            for a, b, n in zip(top["source"], top["target"], top["sentences"], strict=True)) + ".")
    table = ctx.q(Q.entities_table, MAX_ENTITIES)
    st.subheader("All entities", anchor=False)
    st.caption(f"{text.counted(len(table), 'entity', 'entities')}"
               + (f" (the {MAX_ENTITIES:,} most mentioned)" if len(table) >= MAX_ENTITIES else "")
               + ". Select a row to keep the articles naming it; sort by a column's header.")
    table = table.assign(type_words=table["type"].map(labels.entity_label))
    st.session_state["_en_table_df"] = table
    st.dataframe(table, hide_index=True, width="stretch", key="en_table", on_select=_pick_row,
                 selection_mode="single-row", column_config=ENTITY_COLUMNS, column_order=list(ENTITY_COLUMNS),
                 height=min(560, 40 + 35 * max(len(table), 1)))
    corrections_view.entity_panel(ctx, list(table["entity"]))
    corrections_view.log_panel(ctx, ("_entity",))
    st.download_button("Download the entity table (CSV)", ctx.csv(Q.entities_table, MAX_ENTITIES),
                       file_name="entities.csv", mime="text/csv", icon=":material/download:")


runner.page(render)
