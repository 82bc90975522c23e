"""Add articles (`/add`): upload files or paste text and see what is extracted from them.

Uploads are processed in this visitor's session only (kept in `st.session_state`, never written to
the shared store): on a hosted link one visitor's files must not show up for the next. In that
session they can be read in the Article reader and their quotes are listed, marked, on the
Quotes page. An operator adds articles for everyone with `python -m analysis ingest`.
"""
from __future__ import annotations

import streamlit as st

from analysis import uploads
from ui import context, runner, sidebar, tables, text, uploads_view

TYPES = ["txt", "md", "html", "htm", "json", "jsonl", "csv", "tsv"]
OPERATOR_HOWTO = ("To add articles to the shared corpus, whoever runs the dashboard puts the files on the server "
                  "and runs `python -m analysis ingest PATH… --store DATA` (see the README); the dashboard shows them "
                  "on the next page load.")


def _forget() -> None:
    for k in (uploads_view.KEY, "upload_problems", "upload_duplicates"):
        st.session_state.pop(k, None)


def _read(article_id: str) -> None:
    sidebar.set_filter("article", article_id)
    sidebar.goto("article")


def render(ctx: context.AppContext) -> None:
    st.title("Add articles")
    st.caption("Try the analysis on your own articles. What you add here stays in your browser session: other "
               "visitors do not see it, and it is gone when you close the tab. " + OPERATOR_HOWTO)
    with st.form("add_form", clear_on_submit=False):
        files = st.file_uploader("Article files", type=TYPES, accept_multiple_files=True,
                                 help="Plain text or Markdown (first line the title; `By …` and `date …` lines "
                                      "are read), saved web pages, or JSON/JSONL/CSV/TSV with a `text` field.")
        pasted = st.text_area("…or paste an article", height=180,
                              placeholder="Title on the first line\n\nBy Jane Doe\ndate 2019-10-08\n\nThe text…")
        go = st.form_submit_button("Process", type="primary", icon=":material/play_arrow:")
    if go:
        process(files or [], pasted)
    report_problems()
    items = uploads_view.processed()
    if not items:
        return
    frames = uploads.uploads_frames(items)
    st.subheader(f"Your articles ({len(items)})", anchor=False)
    st.caption("Their quotes are also listed, marked “your upload”, on the Quotes page (under the same filters). "
               "Read one with its quotes and entities highlighted:")
    for _, row in frames["articles"].iterrows():
        label = f"{row['title']} — {text.counted(int(row['quotes']), 'quote')}, " \
                f"{text.counted(int(row['entities']), 'entity', 'entities')}"
        st.button(text.md_escape(label), key=f"read_{row['article_id']}", icon=":material/article:", on_click=_read,
                  args=(row["article_id"],))
    st.dataframe(tables.shown(frames["articles"], ["author", "outlet"]), hide_index=True, width="stretch",
                 column_order=["title", "date", "outlet", "author", "word_count", "quotes", "entities", "file"],
                 column_config={**tables.ARTICLE_COLUMNS, "entities": st.column_config.NumberColumn("Entities"),
                                "file": st.column_config.TextColumn("File")})
    st.button("Forget my articles", on_click=_forget, icon=":material/delete:")


def process(files, pasted: str) -> None:
    if not files and not pasted.strip():
        st.warning("Choose a file or paste some text first.")
        return
    bar = st.progress(0.0, text="Reading the files…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"Processed {done} of {text.counted(total, 'article')}")

    result = uploads.process_uploads([(f.name, f.getvalue()) for f in files], pasted, progress,
                                     nlp=context.language_model())
    bar.empty()
    known = {p.article.article_id for p in uploads_view.processed()}
    st.session_state[uploads_view.KEY] = uploads_view.processed() + [p for p in result.processed
                                                                     if p.article.article_id not in known]
    st.session_state["upload_problems"] = result.problems
    st.session_state["upload_duplicates"] = result.duplicates
    if result.processed:
        st.success(f"Processed {text.counted(len(result.processed), 'article')}.", icon=":material/check:")


def report_problems() -> None:
    problems = st.session_state.get("upload_problems") or []
    rejected = [p for p in problems if p.rejected]
    if rejected:
        st.error(f"{text.counted(len(rejected), 'file or row', 'files or rows')} could not be used; the others were "
                 "processed:")
    if problems:
        st.dataframe([{"file": p.source, "line": p.line, "problem": p.reason,
                       "result": "rejected" if p.rejected else "used, with a notice"} for p in problems],
                     hide_index=True, width="stretch",
                     column_config={"file": "File", "line": "Line", "problem": st.column_config.TextColumn(
                         "Problem", width="large"), "result": "Result"})
    for source, first in st.session_state.get("upload_duplicates") or []:
        st.info(f"{text.md_escape(source)}: same text as {text.md_escape(first)}, skipped.")


runner.page(render)
