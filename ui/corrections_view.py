"""Correcting the machine from the Speakers and Entities pages: merge, rename or split a speaker
or an entity, set a speaker's role or side, and undo from the list.

Switched off unless the operator set `ANALYSIS_CORRECTIONS=on` (a hosted link is open to every
visitor, and a correction changes what all of them see). Every correction is logged with who and
when (`analysis.corrections`) and shows on the next page load: no re-parse, no rebuild.
"""
from __future__ import annotations

import streamlit as st

from analysis import corrections
from analysis import queries as Q
from analysis.corrections import CorrectionError, CorrectionLog
from ui import sidebar
from ui.context import AppContext
from ui.text import md_escape

OFF = ("Corrections are switched off on this dashboard: whoever runs it can switch them on with "
       "`ANALYSIS_CORRECTIONS=on` (each one is logged and can be undone).")


FORM_KEYS = ("sp_fix_into", "sp_fix_name", "sp_fix_role", "sp_fix_side", "sp_fix_form", "en_fix_entity", "en_fix_into",
             "en_fix_name", "en_fix_form")


def _who() -> str:
    return st.session_state.get("correction_who") or "analyst"


def _make(ctx: AppContext, kind: str, target: str, value: str, then: tuple[str, object] | None = None) -> None:
    try:
        made = CorrectionLog(ctx.store.root).add(kind, target, value, who=_who())
    except CorrectionError as exc:
        st.session_state["_correction_error"] = str(exc)
        return
    st.session_state["_correction_done"] = f"Done: {made.describe()}."
    for key in FORM_KEYS:  # the form starts empty again: its old picks may no longer exist
        st.session_state.pop(key, None)
    if then is not None:
        sidebar.set_filter(*then)


def _outcome() -> None:
    if err := st.session_state.pop("_correction_error", None):
        st.error(md_escape(err))
    if done := st.session_state.pop("_correction_done", None):
        st.success(md_escape(done), icon=":material/check:")


def speaker_panel(ctx: AppContext, name: str) -> None:
    with st.expander("Correct this speaker", icon=":material/edit:"):
        if not corrections.enabled():
            st.caption(OFF)
            return
        _outcome()
        st.text_input("Your name, for the log", key="correction_who", placeholder="analyst")
        action = st.radio("Correction", ["Merge into another speaker", "Rename", "Set the role", "Set the side",
                                         "Take one name out"], key="sp_fix_action", horizontal=True)
        if action in ("Merge into another speaker", "Rename"):
            _merge_or_rename(ctx, "speaker", name, ctx.options["speakers"], merge=action.startswith("Merge"))
        elif action == "Set the role":
            role = st.selectbox("Role", ctx.options["roles"], index=None, key="sp_fix_role", accept_new_options=True)
            st.button("Set the role", disabled=not role, on_click=_make, args=(ctx, "set_role", name, role or ""))
        elif action == "Set the side":
            side = st.text_input("Side (country, party or organisation)", key="sp_fix_side")
            st.button("Set the side", disabled=not side, on_click=_make, args=(ctx, "set_side", name, side))
        else:
            _split(ctx, "speaker", name, ctx.raw(Q.speaker_forms, name), "The name the articles use",
                   "Every quote of this speaker uses the name itself: there is nothing to take out.")


def entity_panel(ctx: AppContext, entities: list[str]) -> None:
    with st.expander("Correct an entity", icon=":material/edit:"):
        if not corrections.enabled():
            st.caption(OFF)
            return
        _outcome()
        st.text_input("Your name, for the log", key="correction_who", placeholder="analyst")
        name = st.selectbox("Entity", entities, index=None, key="en_fix_entity", accept_new_options=True)
        if not name:
            return
        action = st.radio("Correction", ["Merge into another entity", "Rename", "Take one spelling out"],
                          key="en_fix_action", horizontal=True)
        if action in ("Merge into another entity", "Rename"):
            _merge_or_rename(ctx, "entity", name, entities, merge=action.startswith("Merge"))
        else:
            _split(ctx, "entity", name, ctx.raw(Q.entity_forms, name), "Spelling",
                   "The articles write this entity one way only: there is nothing to take out.")


def _merge_or_rename(ctx: AppContext, what: str, name: str, choices: list[str], *, merge: bool) -> None:
    """A merge into another name of the list (or a new one), or a rename; a speaker's view follows."""
    key = "sp_fix" if what == "speaker" else "en_fix"
    if merge:
        value = st.selectbox("Merge into", [c for c in choices if c != name], index=None, key=f"{key}_into",
                             accept_new_options=True)
    else:
        value = st.text_input("New name", key=f"{key}_name")
    follow = ("speaker", [value]) if what == "speaker" else None
    st.button("Merge" if merge else "Rename", disabled=not value, on_click=_make,
              args=(ctx, f"{'merge' if merge else 'rename'}_{what}", name, value or "", follow))


def _split(ctx: AppContext, what: str, name: str, forms: list[str], label: str, nothing: str) -> None:
    forms = [f for f in forms if f != name]
    if not forms:
        st.caption(nothing)
        return
    form = st.selectbox(label, forms, key=f"{'sp' if what == 'speaker' else 'en'}_fix_form")
    st.button(f"Take it out as its own {what}", on_click=_make, args=(ctx, f"split_{what}", name, form))


def log_panel(ctx: AppContext, kinds: tuple[str, ...]) -> None:
    """The corrections made (of these kinds), newest first, each with an undo button."""
    if not corrections.enabled():
        return
    made = [c for c in reversed(CorrectionLog(ctx.store.root).all()) if c.kind.endswith(kinds)]
    if not made:
        return
    with st.expander(f"Corrections made ({sum(c.active for c in made)} active)", icon=":material/history:"):
        for c in made:
            left, right = st.columns([5, 1])
            state = "active" if c.active else f"undone by {c.undone_by} on {(c.undone_at or '')[:10]}"
            left.markdown(f"{md_escape(c.describe())}  \n:small[by {md_escape(c.who)} on {c.at[:10]} · {state}]")
            if c.active:
                right.button("Undo", key=f"undo_{c.id}", on_click=_undo, args=(ctx, c.id))


def _undo(ctx: AppContext, correction_id: int) -> None:
    try:
        undone = CorrectionLog(ctx.store.root).undo(correction_id, who=_who())
    except CorrectionError as exc:
        st.session_state["_correction_error"] = str(exc)
        return
    st.session_state["_correction_done"] = f"Undone: {undone.describe()}."
