"""The training page (培训 / Training): groups join a session; the trainer (with the server's
trainer code) runs it.

A group that joins goes on to the what-if page, which then works on the exercise: only what the
exercise lets groups change, a counter of what is left to place, and Submit, enabled only within
the limits (:mod:`ui.training_whatif`). This page keeps the group's side of the session: the
exercise's brief, a button back to the what-if page, the group's last submission and, once the
trainer reveals, the best answer and the debrief (within a few seconds: a timer fragment polls
the session's stamp and redraws the page when it changes). A group can change only its own
submission: the token it got when it joined stays in this browser session (and in its address).
"""
from __future__ import annotations

from typing import Optional

import streamlit as st

from sim.vocabulary.safe_text import md_escape
from sim.model.scenario import Scenario
from sim.training.exercise import Exercise
from sim.training.handout import describe_plan
from sim.training.plan import Plan, plan_from_dict
from sim.training.session import SessionError
from sim.vocabulary.figure_format import figure_name, target_text

from . import training_common as TC
from . import training_whatif as TW
from .i18n import error_text, t, t_md
from .training_common import reveal_changed, watch  # noqa: F401  (the group page's timer, tested here)


def page(lang: str) -> None:
    """The training page."""
    st.title(t(lang, "tr.title"))
    msg = st.session_state.pop(TC.MSG, None)
    if msg:
        st.success(md_escape(msg))  # it names the group
    if TC.trainer_code_set():
        from .training_trainer import trainer_panel
        if trainer_panel(lang):
            return
    group = st.session_state.get(TC.GROUP)
    if group is None:
        _join(lang)
        return
    _group(lang, group)


def _join(lang: str) -> None:
    st.caption(t(lang, "tr.join_help"))
    with st.form("tr_join_form"):
        code = st.text_input(t(lang, "tr.session_code"), key="tr_join_code", max_chars=12)
        name = st.text_input(t(lang, "tr.group_name"), key="tr_join_name", max_chars=40)
        joined = st.form_submit_button(t(lang, "tr.join"), type="primary")
    if not joined:
        return
    store = TC.store()
    try:
        gid, token = store.join(code, name)
        info = store.session(code)
    except SessionError as exc:
        st.error(md_escape(error_text(lang, exc)))
        return
    st.session_state[TC.GROUP] = {"code": info.code, "gid": gid, "token": token, "name": name.strip()}
    st.session_state[TC.MSG] = t(lang, "tr.joined", name=name.strip(), code=info.code)
    st.session_state[TC.GOTO] = "whatif"  # the group works on the what-if page from now on
    st.rerun()


def _group(lang: str, group: dict) -> None:
    TC.watch_reveal(group["code"])  # the reveal reaches every group on its own
    got = TC.session_exercise(lang, group["code"])
    if got is None:
        return
    ex, start = got
    store = TC.store()
    st.subheader(md_escape(ex.title.get(lang)))
    st.caption(t_md(lang, "tr.you_are", name=group["name"], code=group["code"]))
    st.markdown(md_escape(ex.brief.get(lang)))
    st.caption(t(lang, "tr.deciding", figure=figure_name(lang, ex.deciding.figure),
                 target=target_text(lang, ex.deciding.figure, ex.deciding.target)))
    # the plan is edited and submitted on the what-if page, inside the exercise's limits
    st.button(t(lang, "trw.to_whatif"), key="tr_to_whatif", type="primary", on_click=_goto_whatif)
    mine = next((g for g in store.groups(group["code"]) if g.id == group["gid"]), None)
    if mine is not None and mine.plan is not None:
        st.caption(t_md(lang, "trw.last", n=mine.revision, at=mine.submitted_at[:16].replace("T", " "),
                        plan=describe_plan(ex, start, mine.plan, lang)))
    else:
        st.caption(t(lang, "trw.not_yet"))
    st.button(t(lang, "trw.leave"), key="tr_leave", on_click=TW.leave, help=t(lang, "trw.leave_help"))
    if store.session(group["code"]).revealed:
        _revealed(lang, ex, start, group["code"])


def _goto_whatif() -> None:
    st.session_state["page"] = "whatif"  # a callback runs before the menu is drawn


def _revealed(lang: str, ex: Exercise, start: Scenario, code: str) -> None:
    st.divider()
    st.subheader(t(lang, "tr.reveal_title"))
    ans = TC.store().load_answer(code)
    if ans and isinstance(ans.get("plan"), dict):
        answer: Optional[Plan] = plan_from_dict(ans["plan"])
        st.markdown(t_md(lang, "tr.answer_is", plan=describe_plan(ex, start, answer, lang)))
    st.markdown(md_escape(ex.debrief.get(lang)))
