"""The global filters in the sidebar, bound to the URL so a link reproduces the view, and the
callbacks with which a chart click or a table row sets one of them.

A value in a link that the dashboard cannot use (a date that is not a date, a role the corpus
does not have, five dates where a range has two) is never dropped without a word: the page says
what was ignored and why.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence

import streamlit as st

from analysis import labels, queries
from analysis.filters import Filters, unknown_values
from analysis.indexes import MAX_SEARCH_WORDS, parse_search
from analysis.roles import ROLE_HELP
from ui import uploads_view
from ui.context import AppContext
from ui.text import counted, md_escape, short

# Keys of the sidebar widgets, which are also the URL parameter names (shared links).
LIST_KEYS = ("speaker", "outlet", "entity")
URL_KEYS = ("speaker", "date", "outlet", "role", "q", "said", "entity", "article", "entity_type")
NO_DATE_WIDGET_MIN = dt.date(1800, 1, 1)
NO_DATE_WIDGET_MAX = dt.date(2200, 12, 31)
MAX_ARTICLE_CHOICES = 1000
SEARCH_HELP = ('Every word must occur in one quote (or its speaker, or the article title), in any order, as part of '
               'a word: "korea" finds "North Korea\'s". Put an exact phrase in double quotes: "buying time". '
               'The entity views also match entity names.')
SAID_HELP = ("Like the search above, but only in what was said: the quote's own words, never the speaker's name "
             "or the article's title.")


def sidebar_filters(options: dict) -> tuple[Filters, list[str]]:
    """The sidebar filters. Each widget is bound to its URL parameter (`bind="query-params"`),
    so the address bar always holds the view and a shared link reproduces it.

    Speaker, outlet and entity accept values the corpus lacks (`accept_new_options`): a link
    naming an unknown speaker keeps the name and gets a visible notice instead of silently
    showing everything.
    """
    link_notices = _check_link(options)
    sb = st.sidebar
    sb.header("Filters")
    speakers = sb.multiselect(
        "Speaker", options["speakers"], key="speaker", bind="query-params", accept_new_options=True,
        placeholder="All speakers", help="Quotes by these speakers; on article views, the articles quoting them.")
    date_from, date_to, date_notices = _date_filter(sb, options)
    outlets = sb.multiselect("Outlet", options["outlets"], key="outlet", bind="query-params",
                             accept_new_options=True, placeholder="All outlets")
    roles = options["roles"]
    role = sb.selectbox("Speaker role", roles, index=None, key="role", bind="query-params",
                        placeholder="Any role" if roles else "No roles assigned yet",
                        help="Quotes by speakers with this role (source roles as newsroom sourcing studies use "
                             "them):\n\n" + "\n".join(f"- **{r}**: {ROLE_HELP.get(r, '')}" for r in roles))
    q = sb.text_input("Search quotes, speakers, titles", key="q", bind="query-params",
                      placeholder="e.g. denuclearization", help=SEARCH_HELP)
    said = sb.text_input("Search what was said", key="said", bind="query-params",
                         placeholder="e.g. \"buying time\"", help=SAID_HELP)
    entities = sb.multiselect(
        "Articles naming", options.get("entities", []), key="entity", bind="query-params", accept_new_options=True,
        placeholder="Any entity", help="Only the articles that name every entity picked (and, on quote views, the "
                                       "quotes that name them). Lists the most mentioned; type another name to add it.")
    article = _article_filter(sb, {**uploads_view.titles(), **options["articles"]})
    entity_type = _entity_type_filter(sb, options["entity_types"])
    filters = Filters(speakers=tuple(speakers), date_from=date_from, date_to=date_to, outlets=tuple(outlets),
                      article=article, entity_type=entity_type, role=role, q=(q or "").strip(),
                      entities=tuple(entities), said=(said or "").strip())
    notices = link_notices + date_notices + _unknown_notices(options, speakers, outlets) + _search_notices(filters)
    if filters.active:
        sb.button("Clear all filters", on_click=clear_filters, icon=":material/filter_alt_off:")
    return filters, notices


def _date_filter(sb, options: dict) -> tuple[dt.date | None, dt.date | None, list[str]]:
    """The date range. Empty by default, so whatever range the visitor or a link sets is kept
    exactly, even one day or the corpus's whole span (and then undated articles are left out,
    which the page says). One date picked is that day."""
    if options["date_min"] is None:
        sb.caption(f"Date: all {counted(options['undated'], 'article')} are undated." if options["undated"]
                   else "Date: no articles yet.")
        return None, None, []
    span = f"{options['date_min']:%Y-%m-%d} to {options['date_max']:%Y-%m-%d}"
    value = sb.date_input(
        "Date range", value=[], key="date", bind="query-params", min_value=NO_DATE_WIDGET_MIN,
        max_value=NO_DATE_WIDGET_MAX, format="YYYY-MM-DD",
        help=f"Articles dated in this range (the corpus runs from {span}). Undated articles are left out while a "
             "range is set. Pick one day twice for a single day.")
    days = [d for d in (value if isinstance(value, (tuple, list)) else [value]) if d is not None]
    notices = []
    if len(days) > 2:
        notices.append(f"The link gives {len(days)} dates; a range has two, so the first two are used "
                       f"({days[0]:%Y-%m-%d} and {days[1]:%Y-%m-%d}).")
        days = days[:2]
    if len(days) == 2 and days[0] > days[1]:
        notices.append(f"The dates were given in reverse order; showing {days[1]:%Y-%m-%d} to {days[0]:%Y-%m-%d}.")
        days = [days[1], days[0]]
    if not days:
        return None, None, notices
    return days[0], days[-1], notices


def _check_link(options: dict) -> list[str]:
    """On a session's first run, what the link asks that the widgets will drop: dates that are
    not dates, a role or entity type the corpus lacks. Said once, on the page the link opens."""
    if st.session_state.get("_link_checked"):
        return []
    st.session_state["_link_checked"] = True
    notices = []
    bad_dates = [v for v in st.query_params.get_all("date") if not _is_iso_date(v)]
    if bad_dates:
        notices.append("The link's date " + ", ".join(f"“{md_escape(v)}”" for v in bad_dates)
                       + " is not a date in the form YYYY-MM-DD (e.g. 2019-10-08), so no date filter is applied.")
    for key, name, known in (("role", "speaker role", options["roles"]),
                             ("entity_type", "entity type", options["entity_types"])):
        for v in st.query_params.get_all(key):
            if v not in known and (key != "entity_type" or labels.entity_label_code(v) not in known):
                choices = ", ".join(md_escape(k) for k in known[:12]) or "none yet"
                notices.append(f"The link's {name} “{md_escape(v)}” is not one of this corpus's ({choices}); "
                               "it is ignored.")
    return notices


def _search_notices(f: Filters) -> list[str]:
    """A search of hundreds of words is cut to the first ones: said, with what was left out."""
    notices = []
    for name, text in (("search", f.q), ("search of what was said", f.said)):
        dropped = parse_search(text).dropped if text else ()
        if dropped:
            shown = " ".join(dropped[:12]) + (" …" if len(dropped) > 12 else "")
            notices.append(f"The {name} uses its first {MAX_SEARCH_WORDS} words; {len(dropped)} more are left out "
                           f"({md_escape(shown)}).")
    return notices


def _is_iso_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _unknown_notices(options: dict, speakers: Sequence[str], outlets: Sequence[str]) -> list[str]:
    notices = []
    if unknown := unknown_values(speakers, options["speakers"]):
        notices.append("No quotes by " + ", ".join(f"“{md_escape(u)}”" for u in unknown)
                       + " in this corpus: check the spelling, or pick a speaker from the list.")
    if (gone := st.session_state.pop("_article_unknown", None)) is not None:
        notices.append(f"The article “{md_escape(gone)}” of the link is not in this corpus; showing all articles.")
    if unknown := unknown_values(outlets, options["outlets"]):
        notices.append("No articles from " + ", ".join(f"“{md_escape(u)}”" for u in unknown) + " in this corpus.")
    return notices


def entity_notices(ctx: AppContext) -> list[str]:
    """Entities of a link that no article names (the list offers only the most mentioned, so
    the others are looked up)."""
    if not ctx.filters.entities:
        return []
    unknown = ctx.raw(queries.unknown_entities, ctx.filters.entities)
    if not unknown:
        return []
    return ["No article names " + ", ".join(f"“{md_escape(u)}”" for u in unknown)
            + ": check the spelling, or pick an entity from the list."]


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


def _entity_type_filter(sb, codes: list[str]) -> str | None:
    """The entity type, shown in an analyst's words ("Country or city") and kept in the URL as the
    spaCy label (`entity_type=GPE`), synced by hand as the article is: a bound selectbox would
    write the words into the link. A link may give either the label or the words."""
    url_value = st.query_params.get("entity_type")
    if "entity_type" not in st.session_state and url_value:
        code = url_value if url_value in codes else labels.entity_label_code(url_value)
        if code in codes:
            st.session_state["entity_type"] = code
    value = sb.selectbox("Entity type", codes, index=None, key="entity_type", format_func=labels.entity_label,
                         placeholder="Named entities of every type",
                         help="Entity views only (every article mentions entities).")
    if value and st.query_params.get("entity_type") != value:
        st.query_params["entity_type"] = value
    elif not value and url_value is not None:
        del st.query_params["entity_type"]
    return value


def clear_filters() -> None:
    """Every filter back to none, in the widgets and in the address bar (dates included)."""
    for k in URL_KEYS:
        st.session_state[k] = [] if k in LIST_KEYS else (() if k == "date" else (None if k not in ("q", "said") else ""))
    for k in ("article", "entity_type"):  # synced by hand; the bound ones follow their widget
        if k in st.query_params:
            del st.query_params[k]


def set_filter(key: str, value) -> None:
    """For chart-click callbacks: set one global filter (the URL follows)."""
    st.session_state[key] = value


def add_to_filter(key: str, value) -> None:
    """For clicks on a list filter (speaker, outlet, entity): add the value to what is picked."""
    current = list(st.session_state.get(key) or [])
    if value not in current:
        current.append(value)
    st.session_state[key] = current


def chart_picker(chart_key: str, filter_key: str, *, many: bool = False, ignore: tuple = ()) -> Callable[[], None]:
    """An `on_select` callback: the clicked point's value (its customdata) becomes one filter."""
    def pick() -> None:
        from ui.charts import clicked

        pts = clicked(st.session_state.get(chart_key))
        value = pts[0].get("customdata") if pts else None
        if isinstance(value, list):
            value = value[0] if value else None
        if value not in (None, "", *ignore):
            set_filter(filter_key, [value] if many else (str(value) if filter_key in ("q", "said") else value))
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
        parts.append(counted(ex["undated"], "undated article"))
    if ex["out_of_range"]:
        parts.append(f"{ex['out_of_range']:,} outside the range")
    if parts:
        st.sidebar.caption("The date filter leaves out " + " and ".join(parts) + ".")


FACETS = (  # (title, query, the value's column, the count's column, the filter it sets)
    ("Speakers", queries.speaker_facet, "speaker", "quotes", "speaker"),
    ("Outlets", queries.outlet_facet, "outlet", "articles", "outlet"),
    ("Roles", queries.role_facet, "role", "quotes", "role"),
)


def facets(ctx: AppContext) -> None:
    """How many quotes (or articles) each speaker, outlet and role has under the *other* filters,
    as Datasette shows counts beside a facet's values; selecting a row adds it to the filter."""
    if ctx.empty:
        return
    # Counted only while the expander is open: closed, it would cost every page a query per facet
    # on each filter change (a tenth of a second each at 100,000 articles).
    box = st.sidebar.expander("Counts under these filters", icon=":material/bar_chart:", key="facets_open",
                              on_change="rerun")
    with box:
        if not box.open:
            st.caption("Open to count quotes per speaker, outlet and role under the other filters.")
            return
        for title, fn, column, count, key in FACETS:
            df = ctx.q(fn)
            if df.empty:
                continue
            st.caption(f"{title} ({count}, other filters applied)")
            st.dataframe(df, hide_index=True, width="stretch", key=f"facet_{key}", on_select=_facet_pick(key, df, column),
                         selection_mode="single-row", column_config={column: title[:-1], count: st.column_config.
                                                                     NumberColumn(count.capitalize(), format="%d")},
                         height=min(260, 40 + 35 * len(df)))


def _facet_pick(key: str, df, column: str) -> Callable[[], None]:
    def pick() -> None:
        ev = st.session_state.get(f"facet_{key}")
        rows = ev["selection"]["rows"] if ev else []
        if rows:
            value = df.iloc[rows[0]][column]
            if key in LIST_KEYS:
                add_to_filter(key, value)
            else:
                set_filter(key, value)
    return pick
