"""The tables the pages share: the same columns, names and widths for quotes and for articles on
every page, the original article one click away, nothing raw (`None`, `NaN`) on screen."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.text import link, md_escape, md_link

CARDS_PER_PAGE = 25
DASH = "—"

QUOTE_COLUMNS = {  # who, when and where first: they never scroll out of view
    "date": st.column_config.TextColumn("Date", width=92),
    "speaker": st.column_config.TextColumn("Speaker", width=150),
    "role": st.column_config.TextColumn("Role", width=80),
    "quote": st.column_config.TextColumn("Quote", width=520, help="Select a row to read the quote in its paragraph, "
                                                                  "or switch to “read in full”."),
    "outlet": st.column_config.TextColumn("Outlet", width=110),
    "url": st.column_config.LinkColumn("Source", width=130, display_text=r"https?://(?:www\.)?([^/]+)",
                                       help="The original article, where its address is known."),
    "article": st.column_config.TextColumn("Article", width="medium"),
    "cue": st.column_config.TextColumn("Cue", width="small", help="The reporting verb or phrase: said, told, "
                                                                  "according to…"),
    "kind": st.column_config.TextColumn("Kind", width="small", help="direct, indirect or mixed"),
}
ORIGIN = {"origin": st.column_config.TextColumn("From", width="small",
                                               help="“your upload”: an article you added in this session")}
QUOTE_EXPORT = ["quote", "speaker", "description", "role", "cue", "kind", "date", "outlet", "article", "url",
                "article_id", "start", "end"]

ARTICLE_COLUMNS = {
    "title": st.column_config.TextColumn("Title", width="large"),
    "read": st.column_config.LinkColumn("Read", width="small", display_text="read ↗",
                                        help="The article with its quotes and entities highlighted"),
    "date": st.column_config.TextColumn("Date", width=92),
    "outlet": st.column_config.TextColumn("Outlet", width="small"),
    "author": st.column_config.TextColumn("Author", width="medium"),
    "word_count": st.column_config.NumberColumn("Words", format="%d", width="small"),
    "quotes": st.column_config.NumberColumn("Quotes", format="%d", width="small"),
    "url": st.column_config.LinkColumn("Source", width=130, display_text=r"https?://(?:www\.)?([^/]+)",
                                       help="The original article, where its address is known."),
}
ARTICLE_EXPORT = ["article_id", "title", "author", "date", "outlet", "word_count", "quotes", "url", "file"]


def shown(df: pd.DataFrame, text_columns: list[str]) -> pd.DataFrame:
    """A dash for a missing text value (never `None`, `nan` or `<NA>` on screen)."""
    out = df.copy()
    if "url" in out:
        out["url"] = out["url"].astype("object").where(out["url"].notna(), "")
    for col in text_columns:
        if col in out:
            out[col] = out[col].astype("object").where(out[col].notna() & (out[col].astype(str) != ""), DASH)
    return out


def quotes(df: pd.DataFrame, *, key: str, selectable: bool = True, selected: int | None = None,
           columns: list[str] | None = None, height: int | None = None):
    """A quote table; with `selectable`, a row can be picked (and `selected` is picked at first)."""
    order = columns or list(QUOTE_COLUMNS)
    data = shown(df, ["speaker", "role", "outlet", "cue", "kind", "article"])
    kwargs: dict = {}
    if selectable:
        kwargs = dict(on_select="rerun", selection_mode="single-row")
        if selected is not None and 0 <= selected < len(df):
            kwargs["selection_default"] = {"selection": {"rows": [selected], "columns": []}}
    return st.dataframe(data, hide_index=True, width="stretch", key=key, column_order=order,
                        column_config={**QUOTE_COLUMNS, **ORIGIN},
                        height=height or min(600, 40 + 35 * max(len(df), 1)), **kwargs)


def quote_cards(df: pd.DataFrame, *, key: str) -> None:
    """The quotes in full, a page of them at a time: text, speaker, role, date, outlet and the
    original's link, as an analyst reads them (a table cell cuts a long quote)."""
    pages = max(1, -(-len(df) // CARDS_PER_PAGE))
    page = st.number_input(f"Page (of {pages})", 1, pages, 1, key=f"{key}_page") if pages > 1 else 1
    for _, row in df.iloc[(page - 1) * CARDS_PER_PAGE: page * CARDS_PER_PAGE].iterrows():
        with st.container(border=True):
            st.markdown(md_escape(row["quote"]))
            bits = [f"**{md_escape(row['speaker'])}**"]
            bits += [md_escape(v) for v in (row.get("role"), row.get("date"), row.get("outlet"), row.get("article"))
                     if isinstance(v, str) and v]
            source = row.get("url")
            if isinstance(source, str) and source.startswith(("http://", "https://")):
                bits.append(md_link("original ↗", source))
            st.caption(" · ".join(bits))


def articles(df: pd.DataFrame, *, key: str, on_select=None):
    """An article table: a reader link carrying the current filters and the original's link."""
    data = shown(df, ["author", "outlet"])
    data["read"] = [link("article", article=a) for a in df["article_id"]]
    kwargs = dict(on_select=on_select, selection_mode="single-row") if on_select else {}
    return st.dataframe(data, hide_index=True, width="stretch", key=key, column_order=list(ARTICLE_COLUMNS),
                        column_config=ARTICLE_COLUMNS, height=min(560, 40 + 35 * max(len(df), 1)), **kwargs)
