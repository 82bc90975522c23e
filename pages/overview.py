"""Overview (`/`): the corpus at a glance and the article list. Layout only; numbers come from
`analysis.queries`. Clicking a bar sets the matching global filter."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import queries as Q
from analysis.filters import period_range
from ui import charts, context, runner, sidebar, text

MAX_ROWS = 200
EXPORT_COLUMNS = ["article_id", "title", "author", "date", "outlet", "word_count", "quotes", "url"]


def _pick_period(grain: str):
    pts = charts.clicked(st.session_state.get("ov_time"))
    if pts:
        lo, hi = period_range(pts[0]["customdata"], grain)
        sidebar.set_filter("date", (lo, hi))


def render(ctx: context.AppContext) -> None:
    if not runner.page_start(ctx, "Who said what", "articles",
                             intro="Who is quoted in the news, saying what, about whom: pick a speaker, an outlet or "
                                   "a period in the sidebar or by clicking a bar; every page follows the same filters."):
        return
    c = ctx.q(Q.overview_counts)
    cols = st.columns(4)
    cols[0].metric("Articles", f"{c['articles']:,}", help=f"{c['undated']} undated, {c['words']:,} words")
    cols[1].metric("Quotes", f"{c['quotes']:,}")
    cols[2].metric("Speakers", f"{c['speakers']:,}", help="Distinct named speakers of the quotes shown")
    cols[3].metric("Entities", f"{c['entities']:,}", help=f"Distinct named entities ({c['mentions']:,} mentions)")

    left, right = st.columns(2)
    with left:
        df, undated, grain = ctx.q(Q.quotes_over_time)
        if df.empty:
            st.info(f"No dated quotes to plot{f' ({undated} quotes come from undated articles)' if undated else ''}.")
        else:
            fig = charts.timeline(df, "quotes", "Quotes over time", "Quotes", grain, undated)
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
            fig = charts.hbar(en, "entity", "mentions", "Most mentioned entities (click to search)", "Mentions",
                              "Entity", hover={"type": "Type", "articles": "Articles"}, color="#F58518")
            st.plotly_chart(fig, key="ov_entities", on_select=sidebar.chart_picker("ov_entities", "q"), selection_mode="points")
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
    st.caption(f"{total:,} article{'s' if total != 1 else ''}"
               + (f", the {MAX_ROWS} most recent shown (narrow them with the filters, or download all)"
                  if total > len(shown) else "") + ". Click a title to read the article.")
    # A static table, not st.dataframe: titles are links to the reader (carrying the filters),
    # and the text is in the page itself (searchable, readable by a screen reader or a test).
    table = pd.DataFrame({
        "Title": [text.md_link(t, text.link("article", article=a))
                  for t, a in zip(shown["title"], shown["article_id"], strict=True)],
        "Author": [text.md_escape(v) if isinstance(v, str) and v else "—" for v in shown["author"]],
        "Date": [text.md_escape(v) for v in shown["date"]],
        "Outlet": [text.md_escape(v) if isinstance(v, str) and v else "—" for v in shown["outlet"]],
        "Words": [f"{int(v):,}" for v in shown["word_count"].fillna(0)],
        "Quotes": [str(int(v)) for v in shown["quotes"]],
    })
    st.table(table, hide_index=True, border="horizontal")
    st.download_button("Download the article list (CSV)", ctx.csv(Q.articles_list, columns=EXPORT_COLUMNS),
                       file_name="articles.csv", mime="text/csv", icon=":material/download:")


runner.page(render)
