"""Expert opinions (`/opinions`): statement groups, speakers × groups with stance, and the
statements behind a cell (click it)."""
from __future__ import annotations

import streamlit as st

from analysis import corpus
from analysis import queries as Q
from ui import charts, context, runner, text

MAX_ROWS = 1000
MATRIX_SPEAKERS = 30
MATRIX_GROUPS = 25
STATEMENT_COLUMNS = ["group", "speaker", "role", "stance", "quote", "evidence", "article", "date"]


def _pick_cell():
    pts = charts.clicked(st.session_state.get("op_heat"))
    if pts:
        st.session_state["_op_cell"] = (pts[0].get("y"), pts[0].get("x"))


def render(ctx: context.AppContext) -> None:
    if not runner.page_start(ctx, "Expert opinions", "opinions"):
        return
    has = ctx.raw(corpus.has_opinions)
    if not has:
        st.info("Opinion groups are not available for this corpus yet (the grouping step has not run or "
                "failed; see the notice above if any).", icon=":material/hourglass_empty:")
        return
    groups = ctx.q(Q.opinion_groups)
    if groups.empty:
        st.info("No grouped statements match these filters.")
        return
    st.caption(f"{len(groups):,} opinion groups over {int(groups['statements'].sum()):,} statements.")
    st.dataframe(groups, hide_index=True, width="stretch", column_config={
        "group": st.column_config.TextColumn("Group", width="large"),
        "statements": st.column_config.NumberColumn("Statements", format="%d"),
        "speakers": st.column_config.NumberColumn("Speakers", format="%d"),
        "positive": st.column_config.NumberColumn("Positive", format="%d"),
        "negative": st.column_config.NumberColumn("Negative", format="%d")})
    matrix = ctx.q(Q.opinion_matrix, MATRIX_SPEAKERS, MATRIX_GROUPS)
    if not matrix.empty:
        if len(groups) > MATRIX_GROUPS or matrix["speaker"].nunique() >= MATRIX_SPEAKERS:
            st.caption(f"The heatmap shows the {MATRIX_SPEAKERS} speakers with most statements and their "
                       f"{MATRIX_GROUPS} largest groups; narrow the filters to see others.")
        st.plotly_chart(charts.heatmap(matrix, "Speakers × opinion groups (colour: stance; number: statements; "
                                       "click a cell for the statements)"),
                        key="op_heat", on_select=_pick_cell, selection_mode="points")
    speaker, group = st.session_state.get("_op_cell") or (None, None)
    # The heatmap shows escaped labels; map them back to the corpus values.
    import html

    speaker = next((s for s in matrix["speaker"] if html.escape(str(s)) == speaker), None) if speaker else None
    group = next((g for g in matrix["group"] if html.escape(str(g)) == group), None) if group else None
    picked = f": {text.md_escape(speaker)} on “{text.md_escape(group)}”" if speaker and group else ""
    st.subheader("Statements" + picked, anchor=False)
    total = ctx.q(Q.opinion_statement_count, speaker, group)
    statements = ctx.q(Q.opinion_statements, speaker, group, MAX_ROWS)
    if total > len(statements):
        st.caption(f"{total:,} statements; the first {len(statements):,} are listed (click a cell of the heatmap "
                   "or narrow the filters; the download holds all).")
    st.dataframe(statements, hide_index=True, width="stretch",
                 column_order=STATEMENT_COLUMNS,
                 column_config={
                     "group": "Group", "speaker": "Speaker", "role": "Role", "stance": "Stance",
                     "quote": st.column_config.TextColumn("Statement", width="large"),
                     "evidence": st.column_config.TextColumn("Stance evidence"),
                     "article": "Article", "date": "Date"})
    st.download_button(f"Download {'these' if total == len(statements) else f'all {total:,}'} statements (CSV)",
                       ctx.csv(Q.opinion_statements, speaker, group, columns=STATEMENT_COLUMNS),
                       file_name="statements.csv", mime="text/csv", icon=":material/download:")


runner.page(render)
