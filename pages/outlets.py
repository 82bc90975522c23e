"""Outlets (`/outlets`): outlets side by side: whom each quotes (the share of its quotes by source
role), its ten most quoted speakers, and the stance of its statements. It compares the outlets of
the outlet filter when two or more are picked, else the outlets with most quotes."""
from __future__ import annotations

import streamlit as st

from analysis import queries as Q
from ui import charts, context, runner, text

MAX_OUTLETS = 8
STANCE_COLORS = {"skeptical": "#d62728", "hopeful": "#2ca02c", "neutral": "#bbbbbb", "support": "#2ca02c",
                 "oppose": "#d62728"}


def render(ctx: context.AppContext) -> None:
    if not runner.page_start(ctx, "Outlets side by side", "outlets",
                             intro="Whom each outlet quotes, and how: pick two or more outlets in the sidebar to "
                                   "compare them, or read the outlets with most quotes."):
        return
    picked = ctx.filters.outlets
    roles = ctx.q(Q.outlet_roles, MAX_OUTLETS)
    if roles.empty:
        st.info("No quotes from an outlet under these filters: articles need an outlet (a metadata table or a JSON/CSV "
                "`outlet` field sets it), or the filters leave none.", icon=":material/newspaper:")
        return
    outlets = list(dict.fromkeys(roles["outlet"]))
    st.caption(("Comparing " if len(picked) >= 2 else f"The {len(outlets)} outlets with most quotes: ")
               + ", ".join(text.md_escape(o) for o in outlets) + ".")
    st.plotly_chart(charts.stacked_shares(roles, "outlet", "role", "share", "quotes",
                                          "Whom each outlet quotes: share of its quotes by the speaker's role",
                                          "Share of the outlet's quotes", colors={"unknown": "#cccccc"}),
                    key="ou_roles")
    stances = ctx.q(Q.outlet_stances, MAX_OUTLETS)
    if not stances.empty:
        st.plotly_chart(charts.stacked_shares(stances, "outlet", "stance", "share", "statements",
                                              "Stance of each outlet's statements", "Share of the outlet's statements",
                                              colors=STANCE_COLORS), key="ou_stance")
    speakers = ctx.q(Q.outlet_speakers, MAX_OUTLETS, 10)
    st.subheader("Each outlet's ten most quoted speakers", anchor=False)
    for start in range(0, len(outlets), 4):
        cols = st.columns(4)
        for col, outlet in zip(cols, outlets[start:start + 4], strict=False):
            mine = speakers[speakers["outlet"] == outlet]
            col.markdown(f"**{text.md_escape(outlet)}**")
            col.dataframe(mine.fillna({"role": "—"}), hide_index=True, width="stretch",
                          column_order=["rank", "speaker", "role", "quotes"],
                          column_config={"rank": st.column_config.NumberColumn("#", width="small"),
                                         "speaker": "Speaker", "role": "Role",
                                         "quotes": st.column_config.NumberColumn("Quotes", format="%d")})
    table = roles.pivot_table(index="outlet", columns="role", values="share", fill_value=0.0).reset_index()
    st.subheader("Shares by role", anchor=False)
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(c, format="percent") for c in table.columns
                                if c != "outlet"} | {"outlet": "Outlet"})
    left = right = st.container(horizontal=True)
    left.download_button("Download quotes by outlet and role (CSV)", ctx.csv(Q.outlet_roles, MAX_OUTLETS),
                         file_name="outlets_roles.csv", mime="text/csv", icon=":material/download:")
    right.download_button("Download top speakers by outlet (CSV)", ctx.csv(Q.outlet_speakers, MAX_OUTLETS, 10),
                          file_name="outlets_speakers.csv", mime="text/csv", icon=":material/download:")


runner.page(render)
