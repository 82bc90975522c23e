"""Add articles (`/add`): upload files or paste text and see what is extracted from them.

Uploads are processed in this visitor's session only (kept in `st.session_state`, never written to
the shared store): on a hosted link one visitor's files must not show up for the next. An operator
adds articles for everyone with `python -m analysis ingest`.
"""
from __future__ import annotations

import streamlit as st

from analysis import uploads
from ui import context, reader, runner, text

TYPES = ["txt", "md", "html", "htm", "json", "jsonl", "csv", "tsv"]


def render(ctx: context.AppContext) -> None:
    st.title("Add articles")
    st.caption("Try the analysis on your own articles. What you add here stays in your browser session: other "
               "visitors do not see it, and it is gone when you close the tab. To add articles to the shared "
               "corpus, run `python -m analysis ingest PATH…` on the server.")
    with st.form("add_form", clear_on_submit=False):
        files = st.file_uploader("Article files", type=TYPES, accept_multiple_files=True,
                                 help="Plain text or Markdown (first line the title; `By …` and `date …` lines "
                                      "are read), saved web pages, or JSON/JSONL/CSV/TSV with a `text` field.")
        pasted = st.text_area("…or paste an article", height=180,
                              placeholder="Title on the first line\n\nBy Jane Doe\ndate 2019-10-08\n\nThe text…")
        go = st.form_submit_button("Process", type="primary", icon=":material/play_arrow:")
    if go:
        if not files and not pasted.strip():
            st.warning("Choose a file or paste some text first.")
        else:
            bar = st.progress(0.0, text="Reading the files…")

            def progress(done: int, total: int) -> None:
                bar.progress(done / total if total else 1.0,
                             text=f"Processed {done} of {total} article{'s' if total != 1 else ''}")

            result = uploads.process_uploads([(f.name, f.getvalue()) for f in files or []], pasted, progress,
                                     nlp=context.language_model())
            bar.empty()
            st.session_state["uploads"] = st.session_state.get("uploads", []) + result.processed
            st.session_state["upload_problems"] = result.problems
            st.session_state["upload_duplicates"] = result.duplicates
    problems = st.session_state.get("upload_problems") or []
    if problems:
        st.error(f"{sum(1 for p in problems if p.rejected)} file(s) or row(s) could not be used:")
        st.dataframe([{"file": p.source, "line": p.line, "problem": p.reason,
                       "result": "rejected" if p.rejected else "used, with a notice"} for p in problems],
                     hide_index=True, width="stretch",
                     column_config={"file": "File", "line": "Line", "problem": st.column_config.TextColumn(
                         "Problem", width="large"), "result": "Result"})
    for source, first in st.session_state.get("upload_duplicates") or []:
        st.info(f"{source}: same text as {first}, skipped.")
    processed = st.session_state.get("uploads") or []
    if not processed:
        return
    frames = uploads.uploads_frames(processed)
    st.subheader(f"Your articles ({len(processed)})")
    st.button("Forget my articles", on_click=lambda: [st.session_state.pop(k, None) for k in
                                                      ("uploads", "upload_problems", "upload_duplicates")])
    arts = frames["articles"]
    ev = st.dataframe(arts, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                      key="add_articles", column_order=["title", "author", "date", "outlet", "word_count", "quotes",
                                                        "entities", "source"],
                      column_config={"title": st.column_config.TextColumn("Title", width="large"),
                                     "author": "Author", "date": "Date", "outlet": "Outlet",
                                     "word_count": st.column_config.NumberColumn("Words", format="%d"),
                                     "quotes": st.column_config.NumberColumn("Quotes", format="%d"),
                                     "entities": st.column_config.NumberColumn("Entities", format="%d"),
                                     "source": "File"})
    rows = ev.selection.rows if ev else []
    idx = rows[0] if rows else 0
    p = processed[idx]
    aid = p.article.article_id
    st.markdown(f"**Reading:** {text.md_escape(p.article.title or p.article.source)}")
    quotes = frames["quotes"][frames["quotes"]["article_id"] == aid]
    ents = frames["entities"][frames["entities"]["article_id"] == aid]
    left, right = st.columns([3, 2])
    with left:
        st.html(reader.READER_CSS + '<div class="reader">'
                + reader.highlight_html(p.article.text, ents, quotes, body_start=p.article.body_start) + "</div>")
    with right:
        st.dataframe(quotes, hide_index=True, width="stretch", column_order=["speaker", "quote", "cue", "kind"],
                     column_config={"speaker": "Speaker", "quote": st.column_config.TextColumn("Quote", width="large"),
                                    "cue": "Cue", "kind": "Kind"})


runner.page(render)
