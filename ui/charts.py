"""Plotly figures for the dashboard: titles, axis labels and hover text on every chart.

Hover text is built from corpus strings (names, titles); Plotly renders hover labels as text with
a small tag whitelist, and names are escaped here too so a name such as `<b>x</b>` shows as typed.
"""
from __future__ import annotations

import html
import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

FONT = dict(size=13)
HEIGHT = 380


def _layout(fig: go.Figure, title: str, x: str, y: str, height: int = HEIGHT, subtitle: str = "") -> go.Figure:
    t = dict(text=html.escape(title), x=0.0, xanchor="left")
    if subtitle:
        t["subtitle"] = dict(text=html.escape(subtitle))
    fig.update_layout(title=t, font=FONT, height=height,
                      margin=dict(l=10, r=10, t=70, b=10), xaxis_title=x, yaxis_title=y,
                      hoverlabel=dict(align="left"), clickmode="event+select", dragmode=False,
                      showlegend=False)
    return fig


def _whole_counts(fig: go.Figure, axis: str, top) -> None:
    """Counts are whole numbers: below ten plotly would tick 0.5, 1.5, … on their axis."""
    if pd.notna(top) and top <= 10:
        (fig.update_xaxes if axis == "x" else fig.update_yaxes)(dtick=1, tick0=0)


def esc(values) -> list[str]:
    return [html.escape(str(v)) for v in values]


def hbar(df: pd.DataFrame, label: str, value: str, title: str, xlabel: str, ylabel: str,
         hover: dict[str, str] | None = None, color: str = "#4C78A8") -> go.Figure:
    """Horizontal bars, largest on top; `hover` maps extra columns to their hover names."""
    d = df.iloc[::-1]
    lines = []
    for _, row in d.iterrows():
        parts = [f"<b>{html.escape(str(row[label]))}</b>", f"{html.escape(xlabel)}: {row[value]}"]
        for col, name in (hover or {}).items():
            v = row.get(col)
            if v is not None and not (isinstance(v, float) and pd.isna(v)) and v is not pd.NA:
                parts.append(f"{html.escape(name)}: {html.escape(str(v))}")
        lines.append("<br>".join(parts))
    fig = go.Figure(go.Bar(x=d[value], y=esc(d[label]), orientation="h", marker_color=color,
                           customdata=list(d[label]), hovertext=lines, hoverinfo="text"))
    fig.update_yaxes(automargin=True)
    _whole_counts(fig, "x", d[value].max() if len(d) else None)
    return _layout(fig, title, xlabel, ylabel, height=max(260, 60 + 26 * len(d)))


def _period_labels(periods: pd.Series, grain: str) -> list[str]:
    fmt = {"day": "%Y-%m-%d", "month": "%b %Y", "year": "%Y"}[grain]
    return [p.strftime(fmt) for p in periods]


def timeline(df: pd.DataFrame, value: str, title: str, ylabel: str, grain: str, undated: int,
             what: str = "quotes") -> go.Figure:
    """Bars per period. The x axis is categorical (one label per period that has data), so a
    corpus of one day or one month still reads right."""
    per = {"day": "Day", "month": "Month", "year": "Year"}[grain]
    periods = pd.to_datetime(df["period"])
    labels = _period_labels(periods, grain)
    hover = [f"<b>{lab}</b><br>{v} {what}" for lab, v in zip(labels, df[value], strict=True)]
    fig = go.Figure(go.Bar(x=labels, y=df[value], marker_color="#4C78A8", hovertext=hover, hoverinfo="text",
                           customdata=[p.strftime("%Y-%m-%d") for p in periods]))
    sub = f"{undated} {what} from undated articles not shown" if undated else ""
    fig = _layout(fig, title, per, ylabel, subtitle=sub)
    fig.update_xaxes(type="category")
    _whole_counts(fig, "y", df[value].max() if len(df) else None)
    return fig


def multi_timeline(df: pd.DataFrame, series: str, value: str, title: str, ylabel: str, grain: str,
                   undated: int) -> go.Figure:
    per = {"day": "Day", "month": "Month", "year": "Year"}[grain]
    order = _period_labels(pd.Series(sorted(pd.to_datetime(df["period"]).unique())), grain)
    fig = go.Figure()
    for name, part in df.groupby(series, sort=False):
        labels = _period_labels(pd.to_datetime(part["period"]), grain)
        fig.add_trace(go.Bar(x=labels, y=part[value], name=html.escape(str(name)), customdata=[name] * len(part),
                             hovertext=[f"<b>{html.escape(str(name))}</b><br>{lab}: {v} mentions"
                                        for lab, v in zip(labels, part[value], strict=True)], hoverinfo="text"))
    sub = f"{undated} mentions in undated articles not shown" if undated else ""
    fig = _layout(fig, title, per, ylabel, subtitle=sub)
    fig.update_layout(barmode="stack", showlegend=True, legend=dict(orientation="h", y=-0.25))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=order)
    _whole_counts(fig, "y", df.groupby("period")[value].sum().max() if len(df) else None)
    return fig


def network(nodes: pd.DataFrame, edges: pd.DataFrame, pos: dict, title: str) -> go.Figure:
    fig = go.Figure()
    if not edges.empty:
        wmax = max(edges["sentences"].max(), 1)
        for _, e in edges.iterrows():
            (x0, y0), (x1, y1) = pos[e["source"]], pos[e["target"]]
            fig.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="skip",
                                     line=dict(width=0.5 + 5 * e["sentences"] / wmax, color="rgba(120,120,120,0.45)")))
    degree = {}
    for _, e in edges.iterrows():
        degree[e["source"]] = degree.get(e["source"], 0) + 1
        degree[e["target"]] = degree.get(e["target"], 0) + 1
    mmax = max(nodes["mentions"].max(), 1) if not nodes.empty else 1
    fig.add_trace(go.Scatter(
        x=[pos[n][0] for n in nodes["entity"]], y=[pos[n][1] for n in nodes["entity"]],
        mode="markers+text", text=esc(nodes["entity"]), textposition="top center", customdata=list(nodes["entity"]),
        marker=dict(size=[10 + 30 * m / mmax for m in nodes["mentions"]], color="#F58518", line=dict(width=1, color="#333")),
        hovertext=[f"<b>{html.escape(str(n))}</b> ({html.escape(str(t))})<br>{m} mentions<br>"
                   f"co-occurs with {degree.get(n, 0)} of the entities shown"
                   for n, t, m in zip(nodes["entity"], nodes["type"], nodes["mentions"], strict=True)],
        hoverinfo="text"))
    fig = _layout(fig, title, "", "", height=560)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    return fig


def clicked(state) -> list[dict]:
    """The points of a chart's selection state (from `st.plotly_chart(on_select=…)`)."""
    if not state:
        return []
    sel = state.get("selection") if isinstance(state, dict) else getattr(state, "selection", None)
    if not sel:
        return []
    pts = sel.get("points") if isinstance(sel, dict) else getattr(sel, "points", None)
    return list(pts or [])


def circle_layout(names: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Positions on a circle, most mentioned first: stable, and readable up to a few dozen nodes."""
    n = max(len(names), 1)
    return {name: (math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)) for i, name in enumerate(names)}
