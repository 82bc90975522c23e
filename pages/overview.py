"""Overview (`/`): the corpus at a glance and the article list. Layout only; numbers come from
`analysis.queries`. Clicking a bar sets the matching global filter."""
from __future__ import annotations

import streamlit as st

from analysis import queries as Q
from ui import charts, shell


def _pick_speaker():
    pts = charts.clicked(st.session_state.get("ov_speakers"))
    if pts:
        shell.set_filter("speaker", [pts[0]["customdata"]])


def _pick_outlet():
    pts = charts.clicked(st.session_state.get("ov_outlets"))
    if pts and pts[0]["customdata"] != "unknown outlet":
        shell.set_filter("outlet", [pts[0]["customdata"]])


def _pick_period(grain: str):
    pts = charts.clicked(st.session_state.get("ov_time"))
    if pts:
        lo, hi = Q.period_range(pts[0]["customdata"], grain)
        shell.set_filter("date", (lo, hi))


def _pick_entity():
    pts = charts.clicked(st.session_state.get("ov_entities"))
    if pts:
        shell.set_filter("q", str(pts[0]["customdata"]))


def render(ctx: shell.AppContext) -> None:
    st.title("Who said what")
    st.caption("Who is quoted in the news, saying what, about whom: pick a speaker, an outlet or a period "
               "in the sidebar or by clicking a bar; every page follows the same filters.")
    shell.show_notices(ctx)
    if shell.empty_state(ctx):
        return
    c = ctx.q("overview_counts")
    cols = st.columns(4)
    cols[0].metric("Articles", f"{c['articles']:,}", help=f"{c['undated']} undated, {c['words']:,} words")
    cols[1].metric("Quotes", f"{c['quotes']:,}")
    cols[2].metric("Speakers", f"{c['speakers']:,}", help="Distinct named speakers of the quotes shown")
    cols[3].metric("Entities", f"{c['entities']:,}", help=f"Distinct named entities ({c['mentions']:,} mentions)")

    left, right = st.columns(2)
    with left:
        df, undated, grain = ctx.q("quotes_over_time")
        if df.empty:
            st.info(f"No dated quotes to plot{f' ({undated} quotes come from undated articles)' if undated else ''}.")
        else:
            fig = charts.timeline(df, "quotes", "Quotes over time", "Quotes", grain, undated)
            st.plotly_chart(fig, key="ov_time", on_select=lambda: _pick_period(grain), selection_mode="points")
        sp = ctx.q("top_speakers", 12)
        if sp.empty:
            st.info("No attributed quotes for these filters.")
        else:
            fig = charts.hbar(sp, "speaker", "quotes", "Most quoted speakers (click to filter)", "Quotes", "Speaker",
                              hover={"role": "Role", "articles": "Articles", "description": "Description"})
            st.plotly_chart(fig, key="ov_speakers", on_select=_pick_speaker, selection_mode="points")
    with right:
        en = ctx.q("top_entities", 12)
        if en.empty:
            st.info("No named entities for these filters.")
        else:
            fig = charts.hbar(en, "entity", "mentions", "Most mentioned entities (click to search)", "Mentions",
                              "Entity", hover={"type": "Type", "articles": "Articles"}, color="#F58518")
            st.plotly_chart(fig, key="ov_entities", on_select=_pick_entity, selection_mode="points")
        out = ctx.q("articles_by_outlet")
        if not out.empty and out["unknown"].all():
            st.caption(f"No outlet is recorded for these {int(out['articles'].sum())} articles "
                       "(a metadata table or JSON/CSV `outlet` field sets it).")
        elif not out.empty:
            fig = charts.hbar(out, "outlet", "articles", "Articles by outlet (click to filter)", "Articles", "Outlet",
                              color="#54A24B")
            st.plotly_chart(fig, key="ov_outlets", on_select=_pick_outlet, selection_mode="points")

    st.subheader("Articles")
    arts = ctx.q("articles_list")
    st.caption(f"{len(arts)} article{'s' if len(arts) != 1 else ''}; select a row to open it in the reader.")
    event = st.dataframe(
        arts, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key="ov_articles",
        column_order=["title", "author", "date", "outlet", "word_count", "quotes", "url"],
        column_config={
            "title": st.column_config.TextColumn("Title", width="large"),
            "author": st.column_config.TextColumn("Author"),
            "date": st.column_config.TextColumn("Date", help="ISO date, or “undated” when the article gives none"),
            "outlet": st.column_config.TextColumn("Outlet"),
            "word_count": st.column_config.NumberColumn("Words", format="%d"),
            "quotes": st.column_config.NumberColumn("Quotes", format="%d"),
            "url": st.column_config.LinkColumn("Link", display_text="open original"),
        })
    rows = event.selection.rows if event else []
    if rows:
        aid = arts.iloc[rows[0]]["article_id"]
        st.button(f"Read “{shell.md_escape(shell._short(arts.iloc[rows[0]]['title'], 60))}”", icon=":material/article:",
                  on_click=lambda: (shell.set_filter("article", aid), shell.goto("article")))


shell.page(render)
