"""The global filters in the sidebar, bound to the URL so a link reproduces the view, and the
callbacks with which a chart click or a table row sets one of them."""
from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import streamlit as st

from analysis import queries
from analysis.filters import Filters, unknown_values
from ui.context import AppContext
from ui.text import md_escape, short

# Keys of the sidebar widgets, which are also the URL parameter names (shared links).
URL_KEYS = ("speaker", "date", "outlet", "role", "q", "article", "entity_type")  # article: synced by hand
NO_DATE_WIDGET_MIN = dt.date(1800, 1, 1)
NO_DATE_WIDGET_MAX = dt.date(2200, 12, 31)
MAX_ARTICLE_CHOICES = 1000


def sidebar_filters(options: dict) -> tuple[Filters, list[str]]:
    """The sidebar filters. Each widget is bound to its URL parameter (`bind="query-params"`),
    so the address bar always holds the view and a shared link reproduces it.

    Speaker and outlet accept values the corpus lacks (`accept_new_options`): a link naming an
    unknown speaker keeps the name and gets a visible notice instead of silently showing
    everything.
    """
    sb = st.sidebar
    sb.header("Filters")
    speakers = sb.multiselect(
        "Speaker", options["speakers"], key="speaker", bind="query-params", accept_new_options=True,
        placeholder="All speakers", help="Quotes by these speakers; on article views, the articles quoting them.")
    date_from = date_to = None
    if options["date_min"] is not None:
        value = sb.date_input(
            "Date range", value=(options["date_min"], options["date_max"]), key="date", bind="query-params",
            min_value=NO_DATE_WIDGET_MIN, max_value=NO_DATE_WIDGET_MAX, format="YYYY-MM-DD",
            help="Articles dated in this range. Undated articles are left out while a range is set.")
        value = tuple(value) if isinstance(value, (tuple, list)) else (value,)
        default = (options["date_min"], options["date_max"])
        if value and tuple(value) != default:
            date_from = value[0]
            date_to = value[1] if len(value) > 1 else None
    else:
        sb.caption(f"Date: all {options['undated']} articles are undated." if options["undated"] else "Date: no articles yet.")
    outlets = sb.multiselect("Outlet", options["outlets"], key="outlet", bind="query-params",
                             accept_new_options=True, placeholder="All outlets")
    roles = options["roles"]
    role = sb.selectbox("Speaker role", roles, index=None, key="role", bind="query-params",
                        placeholder="Any role" if roles else "No roles assigned yet",
                        help="Quotes by speakers with this role.")
    q = sb.text_input("Search quotes, speakers, titles", key="q", bind="query-params",
                      placeholder="e.g. denuclearization",
                      help='Every word must occur in one quote (or its speaker, or the article title), in any '
                           'order, as part of a word: "korea" finds "North Korea\'s". Put an exact phrase in '
                           'double quotes: "buying time". The entity views also match entity names.')
    article = _article_filter(sb, options["articles"])
    entity_type = sb.selectbox("Entity type", options["entity_types"], index=None, key="entity_type",
                               bind="query-params", placeholder="Named entities of every type",
                               help="Entity views only (every article mentions entities).")
    filters = Filters(speakers=tuple(speakers), date_from=date_from, date_to=date_to, outlets=tuple(outlets),
                        article=article, entity_type=entity_type, role=role, q=(q or "").strip())
    notices = []
    unknown = unknown_values(speakers, options["speakers"])
    if unknown:
        notices.append("No quotes by " + ", ".join(f"“{md_escape(u)}”" for u in unknown)
                       + " in this corpus: check the spelling, or pick a speaker from the list.")
    if (gone := st.session_state.pop("_article_unknown", None)) is not None:
        notices.append(f"The article “{md_escape(gone)}” of the link is not in this corpus; showing all articles.")
    unknown_outlets = unknown_values(outlets, options["outlets"])
    if unknown_outlets:
        notices.append("No articles from " + ", ".join(f"“{md_escape(u)}”" for u in unknown_outlets) + " in this corpus.")
    if any(st.session_state.get(k) for k in URL_KEYS):
        sb.button("Clear all filters", on_click=clear_filters, icon=":material/filter_alt_off:")
    return filters, notices


def _article_filter(sb, articles: dict) -> str | None:
    """The article filter, synced with `?article=<id>` by hand rather than by `bind`.

    Why: a bound selectbox writes the *displayed* option (the title) into the URL, and titles are
    neither unique nor short; the article id is both. The link wins on the session's first run;
    after that the widget does, and the URL follows it on every page.
    """
    url_value = st.query_params.get("article")
    if "article" not in st.session_state and url_value in articles:
        st.session_state["article"] = url_value
    # The newest articles only (plus the one picked): a list of 100,000 titles is unusable and
    # is sent to the browser on every rerun. The reader's table narrows by every filter.
    choices = list(itertools.islice(articles, MAX_ARTICLE_CHOICES))
    current = st.session_state.get("article")
    if current in articles and current not in choices:
        choices.append(current)
    more = len(articles) > len(choices)
    article = sb.selectbox("Article", choices, index=None, key="article",
                           format_func=lambda a: short(articles.get(a, a)), placeholder="All articles",
                           help="One article: also the article the reader shows."
                                + (f" Lists the {MAX_ARTICLE_CHOICES:,} most recent of {len(articles):,}; the "
                                   "Article reader page finds the others with the filters." if more else ""))
    if article:
        if st.query_params.get("article") != article:
            st.query_params["article"] = article
    elif url_value is not None:
        if url_value not in articles and not st.session_state.get("_article_notice_done"):
            st.session_state["_article_notice_done"] = True
            st.session_state["_article_unknown"] = url_value
        del st.query_params["article"]
    return article


def clear_filters() -> None:
    for k in URL_KEYS:
        if k in st.session_state:
            st.session_state[k] = [] if k in ("speaker", "outlet") else (None if k != "q" else "")
    if "date" in st.session_state:
        del st.session_state["date"]


def set_filter(key: str, value) -> None:
    """For chart-click callbacks: set one global filter (the URL follows)."""
    st.session_state[key] = value


def chart_picker(chart_key: str, filter_key: str, *, many: bool = False, ignore: tuple = ()) -> Callable[[], None]:
    """An `on_select` callback: the clicked point's value (its customdata) becomes one filter."""
    def pick() -> None:
        from ui.charts import clicked

        pts = clicked(st.session_state.get(chart_key))
        value = pts[0].get("customdata") if pts else None
        if value not in (None, "", *ignore):
            set_filter(filter_key, [value] if many else (str(value) if filter_key == "q" else value))
    return pick


def goto(page_key: str) -> None:
    """For callbacks: switch to a page at the start of the next run (switch_page is not allowed in callbacks)."""
    st.session_state["_goto"] = page_key


def date_note(ctx: AppContext) -> None:
    """Under the date filter: what it leaves out (undated articles are never silently dropped)."""
    if not ctx.filters.has_date:
        return
    ex = ctx.q(queries.date_exclusions)
    parts = []
    if ex["undated"]:
        parts.append(f"{ex['undated']} undated article{'s' if ex['undated'] != 1 else ''}")
    if ex["out_of_range"]:
        parts.append(f"{ex['out_of_range']} outside the range")
    if parts:
        st.sidebar.caption("The date filter leaves out " + " and ".join(parts) + ".")
