"""Downloads of a filtered table: CSV for a spreadsheet, JSON for a program, named by the filters.

Article text and metadata come from anyone's files, so a cell is data: a CSV cell that a
spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
return) gets a leading apostrophe, as the OWASP guidance on CSV injection advises. JSON is
written as it is (a program reading it evaluates nothing).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re

import pandas as pd

from analysis.filters import Filters

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_STEM = 120


def neutralise(value):
    """A cell value safe to open in a spreadsheet."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(df: pd.DataFrame) -> bytes:
    safe = df.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(lambda v: neutralise(_cell(v)))
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    # Every text cell quoted: pandas leaves a lone carriage return unquoted, which splits the row.
    return safe.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC).encode("utf-8")


def _cell(value):
    """A list (an entity's spellings) as one readable cell."""
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and not isinstance(value, str)):
        return "; ".join(str(v) for v in list(value))
    return value


def to_json(df: pd.DataFrame) -> bytes:
    """An array of row objects with the CSV's columns; missing values are null."""
    rows = [{str(k): _plain(v) for k, v in row.items()} for row in df.to_dict("records")]
    return json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8")


def _plain(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and not isinstance(value, str)):
        return [_plain(v) for v in list(value)]
    return value


def file_stem(table: str, f: Filters) -> str:
    """`quotes_speaker-Vipin-Narang_2019-10`: what the file holds, from the filters."""
    parts = [table]
    parts += [f"speaker-{s}" for s in f.speakers]
    if f.has_date:
        parts.append(_dates(f.date_from, f.date_to))
    parts += [f"outlet-{o}" for o in f.outlets]
    if f.role:
        parts.append(f"role-{f.role}")
    parts += [f"entity-{e}" for e in f.entities]
    if f.q:
        parts.append(f"search-{f.q}")
    if f.said:
        parts.append(f"said-{f.said}")
    if f.article:
        parts.append(f"article-{f.article[:12]}")
    stem = "_".join(_slug(p) for p in parts)
    return stem[:MAX_STEM].rstrip("-_") or table


def _dates(lo: dt.date | None, hi: dt.date | None) -> str:
    if lo and hi and lo == hi:
        return lo.isoformat()
    if lo and hi and lo.day == 1 and (lo.year, lo.month) == (hi.year, hi.month) \
            and (hi + dt.timedelta(days=1)).month != hi.month:
        return f"{lo:%Y-%m}"
    return f"{lo.isoformat() if lo else 'start'}_{hi.isoformat() if hi else 'end'}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
