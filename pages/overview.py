"""Overview (`/`): the corpus at a glance and the article list. Layout only; numbers come from
`analysis.queries`. Clicking a bar sets the matching global filter."""
from __future__ import annotations

import streamlit as st

from analysis import labels
from analysis import queries as Q
from analysis.filters import period_range
from ui import charts, context, controls, runner, sidebar, tables, text

MAX_ROWS = 200


def _pick_period(grain: str):
    pts = charts.clicked(st.session_state.get("ov_time"))
    if pts:
        lo, hi = period_range(pts[0]["customdata"], grain)
        sidebar.set_filter("date", (lo, hi))


def render(ctx: context.AppContext) -> None:
    if not runner.page_start(ctx, "Who said what", "articles",
                             intro="Who is quoted in the news, saying what, about whom: pick a speaker, an outlet, an "
                                   "entity or a period in the sidebar or by clicking a bar; every page follows the "
                                   "same filters."):
        return
    c = ctx.q(Q.overview_counts)
    cols = st.columns(4)
    cols[0].metric("Articles", f"{c['articles']:,}", help=f"{c['undated']:,} undated, {c['words']:,} words")
    cols[1].metric("Quotes", f"{c['quotes']:,}")
    cols[2].metric("Speakers", f"{c['speakers']:,}", help="Distinct named speakers of the quotes shown")
    cols[3].metric("Entities", f"{c['entities']:,}", help=f"Distinct named entities ({c['mentions']:,} mentions)")

    left, right = st.columns(2)
    with left:
        grain = controls.grain_picker()
        df, undated, grain = ctx.q(Q.quotes_over_time, grain)
        if df.empty:
            st.info("No dated quotes to plot"
                    + (f" ({text.counted(undated, 'quote')} from undated articles)." if undated else "."))
        else:
            fig = charts.timeline(df, "quotes", "Quotes over time (click a bar for its dates)", "Quotes", grain,
                                  undated)
            st.plotly_chart(fig, key="ov_time", on_select=lambda: _pick_period(grain), selection_mode="points")
        sp = ctx.q(Q.top_speakers, 12)
        if sp.empty:
            st.info("No attributed quotes for these filters.")
        else:
            fig = charts.hbar(sp, "speaker", "quotes", "Most quoted speakers (click to filter)", "Quotes", "Speaker",
                              hover={"role": "Role", "articles": "Articles", "description": "Description"})
            st.plotly_chart(fig, key="ov_speakers", on_select=sidebar.chart_picker("ov_speakers", "speaker", many=True),
                            selection_mode="points")
    with right:
        en = ctx.q(Q.top_entities, 12)
        if en.empty:
            st.info("No named entities for these filters.")
        else:
            en = en.assign(type_words=en["type"].map(labels.entity_label))
            fig = charts.hbar(en, "entity", "mentions", "Most mentioned entities (click for the articles naming it)",
                              "Mentions", "Entity", hover={"type_words": "Type", "articles": "Articles"}, color="#F58518")
            st.plotly_chart(fig, key="ov_entities", on_select=sidebar.chart_picker("ov_entities", "entity", many=True),
                            selection_mode="points")
        out = ctx.q(Q.articles_by_outlet)
        if not out.empty and out["unknown"].all():
            n = int(out["articles"].sum())
            st.caption(f"No outlet is recorded for {'this article' if n == 1 else f'these {n:,} articles'} "
                       "(a metadata table or JSON/CSV `outlet` field sets it).")
        elif not out.empty:
            fig = charts.hbar(out, "outlet", "articles", "Articles by outlet (click to filter)", "Articles", "Outlet",
                              color="#54A24B")
            pick = sidebar.chart_picker("ov_outlets", "outlet", many=True, ignore=("unknown outlet",))
            st.plotly_chart(fig, key="ov_outlets", on_select=pick, selection_mode="points")

    st.subheader("Articles")
    total = c["articles"]
    shown = ctx.q(Q.articles_list, MAX_ROWS)
    st.caption(text.counted(total, "article")
               + (f", the {len(shown):,} most recent listed (narrow them with the filters; the downloads hold all)"
                  if total > len(shown) else "") + ". Sort by a column's header; “read” opens the article.")
    tables.articles(shown, key="ov_articles")
    controls.downloads(ctx, Q.articles_list, table="articles", columns=tables.ARTICLE_EXPORT, total=total,
                       shown=len(shown))


runner.page(render)
