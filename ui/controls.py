"""Page-level controls: the timeline's bucket and the downloads of a filtered table."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from analysis import export
from ui.context import AppContext

GRAIN_CHOICES = ("auto", "day", "week", "month", "year")


def grain_picker(key: str = "per") -> str | None:
    """Day, week, month or year for the page's timelines (in the URL as `per=`); None: automatic."""
    choice = st.segmented_control("Bars per", GRAIN_CHOICES, default="auto", key=key, bind="query-params",
                                  help="How long a bar of the timeline is; automatic picks one that keeps the bars "
                                       "readable for the dates shown.")
    return None if choice in (None, "auto") else choice


def downloads(ctx: AppContext, fn: Callable, *args, table: str, columns: list[str], total: int,
              shown: int) -> None:
    """CSV and JSON of every row of the filtered table (not only the rows shown), made when
    clicked, named by the filters (`quotes_speaker-Vipin-Narang_2019-10.csv`)."""
    stem = export.file_stem(table, ctx.filters)
    make = ctx.frame(fn, *args)
    what = "these" if total == shown else f"all {total:,}"

    def rows() -> pd.DataFrame:
        df = make()
        return df[[c for c in columns if c in df.columns]]

    # on_click="ignore": a download must not rerun the page; the rerun re-registers the deferred
    # file while the browser is fetching it, and under load the fetch loses the race (no download).
    left = right = st.container(horizontal=True)
    left.download_button(f"Download {what} {table} (CSV)", lambda: export.to_csv(rows()), file_name=f"{stem}.csv",
                         mime="text/csv", icon=":material/download:", key=f"dl_csv_{table}",
                         on_click="ignore")
    right.download_button("JSON", lambda: export.to_json(rows()), file_name=f"{stem}.json",
                          mime="application/json", icon=":material/data_object:", key=f"dl_json_{table}",
                          on_click="ignore", help="The same rows as an array of objects, for a program or a notebook.")
