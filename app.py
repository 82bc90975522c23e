"""Who said what: the dashboard's entry point (`streamlit run app.py`).

Every run goes through this file: it seeds an empty store from `seeds/` (the embedded default),
opens the corpus, draws the global filters in the sidebar (bound to the URL, so a link reproduces
the view) and then runs the page that the URL names.

The pages are modules in `pages/` registered explicitly with `st.navigation` and fixed URL paths
(links that analysts share must keep working). Streamlit's automatic folder-based page mode is
not relied on: on a freshly started server it would run `pages/<name>.py` without this file for
the first deep link, losing the filters; see `ui.runner.page` for how each page module guards
against that, and `tests/test_browser.py` for the check on a fresh server.
"""
from __future__ import annotations

import streamlit as st

from analysis.store import Store
from ui import context, runner, sidebar

st.set_page_config(page_title="Who said what", page_icon=":material/format_quote:", layout="wide")

PAGES = {
    "overview": st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    "quotes": st.Page("pages/quotes.py", title="Quotes", icon=":material/format_quote:", url_path="quotes"),
    "speakers": st.Page("pages/speakers.py", title="Speakers", icon=":material/record_voice_over:", url_path="speakers"),
    "entities": st.Page("pages/entities.py", title="Entities", icon=":material/hub:", url_path="entities"),
    "outlets": st.Page("pages/outlets.py", title="Outlets", icon=":material/newspaper:", url_path="outlets"),
    "opinions": st.Page("pages/opinions.py", title="Expert opinions", icon=":material/balance:", url_path="opinions"),
    "article": st.Page("pages/article.py", title="Article reader", icon=":material/article:", url_path="article"),
    "add": st.Page("pages/add.py", title="Add articles", icon=":material/upload_file:", url_path="add"),
}

# Navigation first: while the seeds load on a first start, the sidebar already shows the pages'
# names, not the file names Streamlit would list from pages/.
nav = st.navigation(list(PAGES.values()), position="sidebar")
store = Store(context.store_root())
runner.seed_with_progress(store)

key = context.current_key(store)
options = context.filter_options(str(store.root), key)
filters, notices = sidebar.sidebar_filters(options)
ctx = context.AppContext(store=store, key=key, filters=filters, options=options, pages=PAGES, notices=notices)
ctx.notices += sidebar.entity_notices(ctx)
sidebar.date_note(ctx)
sidebar.facets(ctx)
runner.show_data_notices(context.corpus_notices(str(store.root), key))
runner.show_pending(store)

if (dest := st.session_state.pop("_goto", None)) in PAGES:
    st.switch_page(PAGES[dest])

with runner.running(ctx):
    nav.run()
