"""Plotly figures for the dashboard: titles, axis labels and hover text on every chart.

Hover text is built from corpus strings (names, titles); Plotly renders hover labels as text with
a small tag whitelist, and names are escaped here too so a name such as `<b>x</b>` shows as typed.
"""
from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

FONT = dict(size=13)
PALETTE = ["#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#EECA3B", "#B279A2", "#FF9DA6", "#9D755D",
           "#BAB0AC", "#1F77B4", "#8C564B"]
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
         hover: dict[str, str] | None = None, color: str = "#4C78A8", value_of: str | None = None) -> go.Figure:
    """Horizontal bars, largest on top; `hover` maps extra columns to their hover names; a click
    gives the bar's `value_of` column (its label by default)."""
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
                           customdata=list(d[value_of or label]), hovertext=lines, hoverinfo="text"))
    fig.update_yaxes(automargin=True)
    _whole_counts(fig, "x", d[value].max() if len(d) else None)
    return _layout(fig, title, xlabel, ylabel, height=max(260, 60 + 26 * len(d)))


GRAIN_NAMES = {"day": "Day", "week": "Week (from Monday)", "month": "Month", "year": "Year"}
_TICKS = {"day": "%d %b %Y", "week": "%d %b %Y", "month": "%b %Y", "year": "%Y"}
_HOVER = {"day": "%d %b %Y", "week": "week of %d %b %Y", "month": "%B %Y", "year": "%Y"}
_DAYS = {"day": 1, "week": 7, "month": 30.4, "year": 365.25}


def _period_labels(periods: pd.Series, grain: str) -> list[str]:
    return [p.strftime(_HOVER[grain]) for p in periods]


_DTICK = {"day": 86_400_000, "week": 7 * 86_400_000, "month": "M1", "year": "M12"}


def _date_axis(fig: go.Figure, grain: str, periods: pd.Series) -> None:
    """A continuous date axis: an empty day or month is a gap, not a bar moved up to the next one.
    Half a period of room either side, and one tick per period when there are few, so a corpus of
    one day shows one labelled bar rather than hours."""
    fig.update_xaxes(type="date", tickformat=_TICKS[grain], automargin=True)
    if periods.empty:
        return
    lo, hi = periods.min(), periods.max()
    pad = pd.Timedelta(days=_DAYS[grain] * 0.6)
    fig.update_xaxes(range=[lo - pad, hi + pad])
    if (hi - lo).days / _DAYS[grain] <= 12:
        fig.update_xaxes(dtick=_DTICK[grain], tick0=lo)


def _bar_width(grain: str) -> float:
    return _DAYS[grain] * 0.8 * 86_400_000  # milliseconds on a date axis


def timeline(df: pd.DataFrame, value: str, title: str, ylabel: str, grain: str, undated: int,
             what: str = "quotes") -> go.Figure:
    """Bars per period on a continuous date axis; a click gives the period's first day."""
    periods = pd.to_datetime(df["period"])
    labels = _period_labels(periods, grain)
    hover = [f"<b>{lab}</b><br>{v:,} {what}" for lab, v in zip(labels, df[value], strict=True)]
    fig = go.Figure(go.Bar(x=periods, y=df[value], marker_color="#4C78A8", hovertext=hover, hoverinfo="text",
                           width=[_bar_width(grain)] * len(df),
                           customdata=[p.strftime("%Y-%m-%d") for p in periods]))
    sub = f"{undated:,} {what} from undated articles not shown" if undated else ""
    fig = _layout(fig, title, GRAIN_NAMES[grain], ylabel, subtitle=sub)
    _date_axis(fig, grain, periods)
    _whole_counts(fig, "y", df[value].max() if len(df) else None)
    return fig


def multi_timeline(df: pd.DataFrame, series: str, value: str, title: str, ylabel: str, grain: str,
                   undated: int) -> go.Figure:
    """One line per series on a continuous date axis (stacked bars of six entities hide all but
    the largest); a click gives the series' name."""
    fig = go.Figure()
    for name, part in df.groupby(series, sort=False):
        part = part.sort_values("period")
        periods = pd.to_datetime(part["period"])
        labels = _period_labels(periods, grain)
        fig.add_trace(go.Scatter(
            x=periods, y=part[value], name=html.escape(str(name)), mode="lines+markers", customdata=[name] * len(part),
            hovertext=[f"<b>{html.escape(str(name))}</b><br>{lab}: {v:,} mentions"
                       for lab, v in zip(labels, part[value], strict=True)], hoverinfo="text"))
    sub = f"{undated:,} mentions in undated articles not shown" if undated else ""
    fig = _layout(fig, title, GRAIN_NAMES[grain], ylabel, subtitle=sub)
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=-0.3))
    _date_axis(fig, grain, pd.to_datetime(df["period"]))
    _whole_counts(fig, "y", df[value].max() if len(df) else None)
    return fig


def pair_matrix(nodes: pd.DataFrame, pairs: pd.DataFrame, title: str) -> go.Figure:
    """Entities × entities, most mentioned first on both axes: a dot per pair named in one
    sentence, its size and number the sentences. The strongest pairs read at a glance, every label
    stays readable, and a click gives the pair (its customdata)."""
    names = list(nodes["entity"])
    index = {n: i for i, n in enumerate(names)}
    pairs = pairs[pairs["source"].isin(index) & pairs["target"].isin(index)]
    top = max(int(pairs["sentences"].max()), 1) if len(pairs) else 1
    xs, ys, sizes, labels, hover, custom = [], [], [], [], [], []
    for a, b, n in zip(pairs["source"], pairs["target"], pairs["sentences"], strict=True):
        i, j = sorted((index[a], index[b]))
        xs.append(i)
        ys.append(j)
        sizes.append(10 + 34 * (int(n) / top) ** 0.5)
        labels.append(f"{int(n):,}")
        hover.append(f"<b>{html.escape(names[i])}</b> and <b>{html.escape(names[j])}</b><br>"
                     f"named in {int(n):,} sentence{'s' if n != 1 else ''}")
        custom.append([names[i], names[j]])
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="markers+text", text=labels, textposition="middle center",
                               textfont=dict(size=11, color="#222"), customdata=custom, hovertext=hover,
                               hoverinfo="text", marker=dict(size=sizes, color="#F58518", opacity=0.75,
                                                             line=dict(width=1, color="#8a4a0c"))))
    ticks = dict(tickmode="array", tickvals=list(range(len(names))), ticktext=esc(names), automargin=True)
    fig = _layout(fig, title, "", "", height=max(420, 140 + 38 * len(names)))
    fig.update_xaxes(**ticks, tickangle=-40, range=[-0.7, len(names) - 0.3], showgrid=True, zeroline=False)
    fig.update_yaxes(**ticks, range=[len(names) - 0.3, -0.7], showgrid=True, zeroline=False)
    return fig


def stacked_shares(df: pd.DataFrame, category: str, part: str, value: str, count: str, title: str, xlabel: str,
                   colors: dict[str, str] | None = None) -> go.Figure:
    """One horizontal bar per category, split into its parts' shares (0–100 %), parts in a fixed
    order and colour on every bar so two outlets compare at a glance."""
    order = list(df.groupby(part)[count].sum().sort_values(ascending=False).index)
    cats = list(dict.fromkeys(df[category]))
    fig = go.Figure()
    for i, name in enumerate(order):
        sub = df[df[part] == name].set_index(category).reindex(cats)
        fig.add_trace(go.Bar(
            y=esc(cats), x=(sub[value].fillna(0) * 100).round(1), name=html.escape(str(name)), orientation="h",
            marker_color=(colors or {}).get(name, PALETTE[i % len(PALETTE)]),
            hovertext=[f"<b>{html.escape(str(c))}</b><br>{html.escape(str(name))}: "
                       f"{0 if pd.isna(s) else s * 100:.0f}% ({0 if pd.isna(n) else int(n):,})"
                       for c, s, n in zip(cats, sub[value], sub[count], strict=True)], hoverinfo="text"))
    fig = _layout(fig, title, xlabel, "", height=max(260, 120 + 44 * len(cats)))
    fig.update_layout(barmode="stack", showlegend=True, legend=dict(orientation="h", y=-0.2, traceorder="normal"))
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    fig.update_yaxes(automargin=True, autorange="reversed")
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
