"""Expert opinions (`/opinions`): where the speakers agree or split, subject by subject.

Subjects by volume; for the subject picked, the camps side by side (the speakers who lean
against it and those who lean for it, experts first), its claims, and a speakers × claims grid
whose cells show each speaker's stance on each claim. A click on a subject, a claim or a cell
lists the statements behind it and puts the choice in the address bar (`subject=`, `claim=`,
`voice=`), so a link reproduces it. The sidebar's filters apply, the speaker role (`role=`)
among them; the role can also be picked here.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import corpus
from analysis import opinion_queries as OQ
from ui import context, runner, sidebar, text

MAX_ROWS = 500
GRID_SPEAKERS = 40
GRID_CLAIMS = 12
PICKS = ("subject", "claim", "voice")  # URL parameters of this page's own choices
MARK = {"positive": "▲", "negative": "▼", "neutral": "●"}
STATEMENT_COLUMNS = ["speaker", "role", "stance", "quote", "evidence", "claim", "article", "date"]
# Widths in pixels that fit a camp's half of the page at 1,440 px, the count column included.
CAMP_COLUMNS = {"speaker": st.column_config.TextColumn("Speaker", width=150),
                "role": st.column_config.TextColumn("Role", width=70),
                "statements": st.column_config.NumberColumn("Statements", format="%d", width=80)}


def _pick(key: str) -> str | None:
    """This page's choice `key`: the session's, else the link's (first run of a fresh session)."""
    if f"op_{key}" not in st.session_state and st.query_params.get(key):
        st.session_state[f"op_{key}"] = st.query_params.get(key)
    return st.session_state.get(f"op_{key}")


def _choose(**picks: str | None) -> None:
    """Set this page's choices and the URL with them; a key given as None is cleared."""
    for key, value in picks.items():
        st.session_state[f"op_{key}"] = value
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value


def _selected(key: str, kind: str) -> list:
    ev = st.session_state.get(key)
    return list(ev["selection"].get(kind, [])) if ev else []


def _on_subject() -> None:
    rows, df = _selected("op_subjects", "rows"), st.session_state.get("_op_subjects_df")
    if rows and df is not None:
        _choose(subject=str(df.iloc[rows[0]]["subject"]), claim=None, voice=None)


def _on_claim() -> None:
    rows, df = _selected("op_claims", "rows"), st.session_state.get("_op_claims_df")
    if rows and df is not None:
        _choose(claim=str(df.iloc[rows[0]]["claim_id"]), voice=None)
    else:
        _choose(claim=None, voice=None)


def _on_cell() -> None:
    cells, grid = _selected("op_grid", "cells"), st.session_state.get("_op_grid")
    if not cells or grid is None:
        _choose(voice=None)
        return
    row, column = cells[0][0], cells[0][1]
    table, claim_of = grid
    if column in claim_of:
        _choose(voice=str(table.iloc[row]["Speaker"]), claim=claim_of[column])
    else:  # the speaker's own column: all their statements on the subject
        _choose(voice=str(table.iloc[row]["Speaker"]), claim=None)


def _on_role() -> None:
    sidebar.set_filter("role", st.session_state.get("op_role"))


def render(ctx: context.AppContext) -> None:
    if not runner.page_start(ctx, "Expert opinions", "opinions"):
        return
    if not ctx.raw(corpus.has_opinions):
        st.info("Opinion groups are not available for this corpus yet (the grouping step has not run or "
                "failed; see the notice above if any).", icon=":material/hourglass_empty:")
        return
    _role_picker(ctx)
    summary = ctx.q(OQ.opinion_summary)
    if not summary["statements"]:
        st.info("No statements match these filters.")
        return
    st.caption(f"{text.counted(summary['statements'], 'statement')} about {text.counted(summary['subjects'], 'subject')}, "
               f"in {text.counted(summary['claims'], 'claim')}; {summary['shared']:.0%} of the statements make a claim "
               "that another statement makes too. A claim is named by its most typical statement's own words.")
    subjects = ctx.q(OQ.opinion_subjects)
    subject = _pick("subject")
    if subject not in set(subjects["subject"]):
        if subject is not None:
            st.caption(f"“{text.md_escape(subject)}” has no statements under these filters; showing the subject "
                       "with most statements.")
        subject = str(subjects.iloc[0]["subject"])
    left, right = st.columns([1, 2])
    with left:
        _subjects_table(subjects, subject)
    with right:
        st.subheader(text.md_escape(subject), anchor=False)
        _camps(ctx, subject)
        claim = _claims_table(ctx, subject)
    _grid(ctx, subject)
    _statements(ctx, subject, claim, _pick("voice"))


def _role_picker(ctx: context.AppContext) -> None:
    roles = sorted(ctx.options.get("roles", []), key=lambda r: (OQ.ROLE_ORDER.index(r) if r in OQ.ROLE_ORDER else 9, r))
    if not roles:
        return
    st.session_state["op_role"] = ctx.filters.role
    st.pills("Speakers' role", roles, selection_mode="single", key="op_role", on_change=_on_role,
             help="Only the statements of speakers with this role (the sidebar's role filter, `role=` in the link).")


def _subjects_table(subjects: pd.DataFrame, subject: str) -> None:
    st.markdown("**Subjects** (click one)")
    st.session_state["_op_subjects_df"] = subjects
    at = subjects.index[subjects["subject"] == subject].tolist()
    st.dataframe(subjects, hide_index=True, width="stretch", height=min(560, 38 + 35 * len(subjects)), key="op_subjects",
                 on_select=_on_subject,
                 selection_mode="single-row", selection_default={"selection": {"rows": at[:1]}},
                 column_config={"subject": st.column_config.TextColumn("Subject", width="medium"),
                                "statements": st.column_config.NumberColumn("Statements", format="%d"),
                                "claims": st.column_config.NumberColumn("Claims", format="%d"),
                                "speakers": st.column_config.NumberColumn("Speakers", format="%d"),
                                "experts": st.column_config.NumberColumn("Experts", format="%d"),
                                "positive": st.column_config.NumberColumn("▲", help="Statements leaning for", format="%d"),
                                "negative": st.column_config.NumberColumn("▼", help="Statements leaning against",
                                                                          format="%d")})


def _camps(ctx: context.AppContext, subject: str) -> None:
    """Who leans against and who leans for the subject, side by side."""
    camps = ctx.q(OQ.opinion_camps, subject)
    against, favour = camps[camps["stance"] == "negative"], camps[camps["stance"] == "positive"]
    cols = st.columns(2)
    for col, camp, title in ((cols[0], against, "▼ Against / critical"), (cols[1], favour, "▲ For / favourable")):
        with col:
            st.markdown(f"**{title}** · {text.counted(len(camp), 'speaker')}")
            if camp.empty:
                st.caption("No speaker leans this way.")
            else:
                st.dataframe(camp[list(CAMP_COLUMNS)], hide_index=True, width="stretch", height=min(240, 38 + 35 * len(camp)),
                             column_config=CAMP_COLUMNS)
    neutral = camps[camps["stance"] == "neutral"]
    if len(neutral):
        st.caption(f"No stance cue: {', '.join(text.md_escape(s) for s in neutral['speaker'].head(12))}"
                   + (f" and {len(neutral) - 12} more" if len(neutral) > 12 else "") + ".")


def _claims_table(ctx: context.AppContext, subject: str) -> str | None:
    claims = ctx.q(OQ.opinion_claims, subject)
    claim = _pick("claim")
    if claim not in set(claims["claim_id"]):
        claim = None
    st.markdown(f"**Claims about {text.md_escape(subject)}** (click one for its statements)")
    st.session_state["_op_claims_df"] = claims
    at = claims.index[claims["claim_id"] == claim].tolist()
    st.dataframe(claims.drop(columns=["claim_id"]), hide_index=True, width="stretch", key="op_claims",
                 on_select=_on_claim, selection_mode="single-row", selection_default={"selection": {"rows": at[:1]}},
                 height=min(320, 38 + 35 * len(claims)),
                 # sized to fit half the page at 1,440 px; a long claim or list of names is cut to its
                 # column and shown whole on hover
                 column_config={"claim": st.column_config.TextColumn("Claim", width=210),
                                "statements": st.column_config.NumberColumn("Statements", format="%d", width=80),
                                "speakers": st.column_config.NumberColumn("Speakers", format="%d", width=70),
                                "who": st.column_config.TextColumn("Who", width=100),
                                "positive": st.column_config.NumberColumn("▲", format="%d", width=32),
                                "negative": st.column_config.NumberColumn("▼", format="%d", width=32),
                                "neutral": st.column_config.NumberColumn("●", format="%d", width=32)})
    return claim


def grid_table(cells: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Speakers × claims as a table: a row per speaker (in the query's order: experts first), a
    column per claim (largest first) whose cell is the stance mark and the statement count."""
    claims = cells.drop_duplicates("claim_id").sort_values("claim_statements", ascending=False, kind="stable")
    names: dict[str, str] = {}
    for n, r in enumerate(claims.itertuples(), start=1):
        names[f"{n}. {text.short(str(r.claim), 48)}"] = str(r.claim_id)
    column = {v: k for k, v in names.items()}
    speakers = cells.drop_duplicates("speaker")[["speaker", "role"]]
    table = pd.DataFrame({"Speaker": speakers["speaker"].to_numpy(), "Role": speakers["role"].fillna("—").to_numpy()})
    for name in names:
        table[name] = ""
    at = {s: i for i, s in enumerate(table["Speaker"])}
    for r in cells.itertuples():
        table.at[at[r.speaker], column[str(r.claim_id)]] = f"{MARK.get(str(r.stance), '●')} {int(r.statements)}"
    return table, names


def _grid(ctx: context.AppContext, subject: str) -> None:
    cells = ctx.q(OQ.opinion_grid, subject, GRID_SPEAKERS, GRID_CLAIMS)
    if cells.empty:
        return
    table, names = grid_table(cells)
    st.markdown(f"**Who says what about {text.md_escape(subject)}**: ▲ leans for, ▼ against, ● no stance cue; "
                "the number is the statements. Click a cell for them.")
    st.session_state["_op_grid"] = (table, names)
    voice, claim = _pick("voice"), _pick("claim")
    default = []
    if voice in set(table["Speaker"]):
        col = next((k for k, v in names.items() if v == claim), "Speaker")
        default = [(int(table.index[table["Speaker"] == voice][0]), col)]
    st.dataframe(table, hide_index=True, width="stretch", key="op_grid", on_select=_on_cell,
                 selection_mode="single-cell", selection_default={"selection": {"cells": default}},
                 height=min(560, 38 + 35 * len(table)))


def _statements(ctx: context.AppContext, subject: str, claim: str | None, voice: str | None) -> None:
    parts = [f"about {text.md_escape(subject)}"]
    if claim:
        label = ctx.q(OQ.opinion_claims, subject).set_index("claim_id")["claim"].get(claim)
        parts.append(f"claiming “{text.md_escape(str(label))}”" if label else "")
    if voice:
        parts.append(f"by {text.md_escape(voice)}")
    st.subheader("Statements " + " ".join(p for p in parts if p), anchor=False)
    total = ctx.q(OQ.opinion_statement_count, subject, claim, voice)
    rows = ctx.q(OQ.opinion_statements, subject, claim, voice, MAX_ROWS)
    if total > len(rows):
        st.caption(f"{total:,} statements; the first {len(rows):,} are listed (the download holds all).")
    if claim or voice:
        st.button("Show every statement on the subject", on_click=_choose, kwargs={"claim": None, "voice": None},
                  icon=":material/close:")
    st.dataframe(rows, hide_index=True, width="stretch", column_order=STATEMENT_COLUMNS,
                 column_config={"speaker": "Speaker", "role": "Role", "stance": "Stance",
                                "quote": st.column_config.TextColumn("Statement", width="large"),
                                "evidence": st.column_config.TextColumn("Stance evidence"),
                                "claim": st.column_config.TextColumn("Claim"), "article": "Article", "date": "Date"})
    st.download_button(f"Download {'these' if total == len(rows) else f'all {total:,}'} statements (CSV)",
                       ctx.csv(OQ.opinion_statements, subject, claim, voice), file_name="statements.csv",
                       mime="text/csv", icon=":material/download:")


runner.page(render)
