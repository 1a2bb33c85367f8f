"""The training page (培训 / Training): groups join a session; the trainer, with the trainer
code asked for on this page (:mod:`sim.training.trainer_code`), runs it.

Both ways in are on the page from the start: "join as a group" (the session code and a name),
"trainer" (the code, or, on a server that has none yet, setting one), and the list of the
exercises this server offers, so nobody needs to know a hidden address or setting.

A group that joins goes on to the what-if page, which then works on the exercise: only what the
exercise lets groups change, a counter of what is left to place, and Submit, enabled only within
the limits (:mod:`ui.pages.training_whatif`). This page keeps the group's side of the session: the
exercise's brief, a button back to the what-if page, the group's last submission and, once the
trainer reveals, the best answer and the debrief (within a few seconds: a timer fragment polls
the session's stamp and redraws the page when it changes). A group can change only its own
submission: the token it got when it joined stays in this browser session (and in its address).
"""
from __future__ import annotations

from typing import Optional

import streamlit as st

from sim.model.scenario import Scenario
from sim.training.exercise import Exercise, list_exercises
from sim.training.handout import describe_plan
from sim.training.plan import Plan, plan_from_dict
from sim.training.session import SessionError
from sim.vocabulary.figure_format import figure_name, target_text
from sim.vocabulary.safe_text import md_escape

from ..i18n import error_text, t, t_md
from . import go
from . import training_common as TC
from . import training_whatif as TW
from .training_common import reveal_changed, watch  # noqa: F401  (the group page's timer, tested here)


def page(lang: str) -> None:
    """The training page: the trainer's view once signed in, a group's own page once joined,
    else the two ways in and the exercises on offer."""
    from .training_trainer import trainer_panel, trainer_signin

    st.title(t(lang, "tr.title"))
    msg = st.session_state.pop(TC.MSG, None)
    if msg:
        st.success(md_escape(msg))  # it names the group
    if st.session_state.get(TC.TRAINER):
        trainer_panel(lang)
        return
    group = st.session_state.get(TC.GROUP)
    if group is not None:
        _group(lang, group)
        return
    st.subheader(t(lang, "tr.as_group"))
    _join(lang)
    st.subheader(t(lang, "tr.as_trainer"))
    trainer_signin(lang)
    _catalogue(lang)


def _catalogue(lang: str) -> None:
    """The exercises this server offers, title and brief, for anyone to read."""
    good = [e for e in list_exercises() if e.ok]
    if not good:
        return
    with st.expander(t(lang, "tr.catalogue", n=len(good))):
        for e in good:
            st.markdown(f"**{md_escape(e.title(lang))}**")   # an exercise file's words, shown as text
            st.markdown(md_escape(e.exercise.brief.get(lang)))


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
    go("whatif")  # the group works on the what-if page from now on
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
    go("whatif")  # a callback runs before the page is picked


def _revealed(lang: str, ex: Exercise, start: Scenario, code: str) -> None:
    st.divider()
    st.subheader(t(lang, "tr.reveal_title"))
    ans = TC.store().load_answer(code)
    if ans and isinstance(ans.get("plan"), dict):
        answer: Optional[Plan] = plan_from_dict(ans["plan"])
        st.markdown(t_md(lang, "tr.answer_is", plan=describe_plan(ex, start, answer, lang)))
    st.markdown(md_escape(ex.debrief.get(lang)))
