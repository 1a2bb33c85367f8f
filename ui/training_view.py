"""The training page (培训 / Training): groups join a session, edit their plan within the
exercise's limits and submit; the trainer (with the server's trainer code) runs the session.

A group's plan editor shows only what the exercise lets it change, with a counter of what is
left to place; the submit button works only when the checker (:func:`sim.training.plan.check_plan`)
finds the plan within the limits. A group can change only its own submission: the token it got
when it joined stays in this browser session. After submitting, the group sees its figures
(the same seed and replications as every group: common random numbers); once the trainer
reveals, everyone sees the best answer and the debrief within a few seconds (a timer fragment
polls the session's stamp and redraws the page when it changes).
"""
from __future__ import annotations

from typing import Optional

import streamlit as st

from sim.analysis.results import mean_ci
from sim.model.errors import ScenarioError
from sim.model.scenario import Scenario
from sim.training.exercise import ROLES, Exercise
from sim.training.handout import describe_plan
from sim.training.plan import Plan, check_plan, plan_from_dict, starting_plan
from sim.training.session import SessionError
from sim.vocabulary.figure_format import figure_interval, figure_name, figure_value, target_text

from . import training_common as TC
from .i18n import error_text, t

#: seconds between a group page's checks for the trainer's reveal (a class sees it within this)
WATCH_SECONDS = 3
#: figures a group sees after submitting (the deciding one first)
SHOWN = ("within_limit_rate", "pending_end", "long_pending_end", "overdue_pending_end", "mediation_resolution_share")


def page(lang: str) -> None:
    """The training page."""
    st.title(t(lang, "tr.title"))
    msg = st.session_state.pop(TC.MSG, None)
    if msg:
        st.success(msg)
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
        st.error(error_text(lang, exc))
        return
    st.session_state[TC.GROUP] = {"code": info.code, "gid": gid, "token": token, "name": name.strip()}
    st.session_state[TC.MSG] = t(lang, "tr.joined", name=name.strip(), code=info.code)
    st.rerun()


def _group(lang: str, group: dict) -> None:
    # the reveal reaches every group on its own: a timer compares the session's stamp (taken
    # before anything is drawn, so a reveal while drawing is not missed) and redraws the whole
    # page only when it changed; the group need not click anything
    st.fragment(watch, run_every=WATCH_SECONDS)(group["code"], TC.session_stamp(group["code"]))
    got = TC.session_exercise(lang, group["code"])
    if got is None:
        return
    ex, start = got
    store = TC.store()
    st.subheader(ex.title.get(lang))
    st.caption(t(lang, "tr.you_are", name=group["name"], code=group["code"]))
    st.markdown(ex.brief.get(lang))
    st.caption(t(lang, "tr.deciding", figure=figure_name(lang, ex.deciding.figure),
                 target=target_text(lang, ex.deciding.figure, ex.deciding.target)))
    mine = next((g for g in store.groups(group["code"]) if g.id == group["gid"]), None)
    plan = _editor(lang, ex, start, mine.plan if mine and mine.plan else starting_plan(ex, start))
    check = check_plan(ex, start, plan)
    _counter(lang, check.left)
    for p in check.problems:
        st.warning(f"{p.path}: {error_text(lang, p)}" if p.path else error_text(lang, p))
    if st.button(t(lang, "tr.submit"), key="tr_submit", type="primary", disabled=not check.ok,
                 help=None if check.ok else t(lang, "tr.submit_blocked")):
        try:
            store.submit(group["code"], group["gid"], group["token"], plan, ex, start)
        except (SessionError, ScenarioError) as exc:
            first = exc.errors[0] if isinstance(exc, ScenarioError) else (exc.problems or [exc])[0]
            st.error(error_text(lang, first))
            return
        st.session_state[TC.MSG] = t(lang, "tr.submitted")
        st.rerun()
    if mine is not None and mine.plan is not None:
        _my_figures(lang, ex, start, mine.plan, group["code"])
    if store.session(group["code"]).revealed:
        _revealed(lang, ex, start, group["code"])


def reveal_changed(code: str, seen: Optional[tuple[bool, int]]) -> bool:
    """True when what the trainer changes of a group's page (the reveal, the answer) differs
    from ``seen``, the stamp the page was drawn with."""
    return TC.session_stamp(code) != seen


def watch(code: str, seen: Optional[tuple[bool, int]]) -> None:
    """The group page's timer fragment: rerun the whole page once the trainer has revealed (or
    hidden again, or recomputed the answer)."""
    if reveal_changed(code, seen):
        st.rerun(scope="app")


def _editor(lang: str, ex: Exercise, start: Scenario, plan: Plan) -> Plan:
    """Inputs for what the exercise lets groups change; returns the plan they describe."""
    lim = ex.limits
    d = plan.model_dump()
    if lim.change:
        st.markdown(f"**{t(lang, 'tr.staff')}**")
        for i, (team, s) in enumerate(d["teams"].items()):
            cols = st.columns([2, 1, 1, 1])
            cols[0].markdown(f"{team}")
            for k, role in enumerate(ROLES):
                s[role] = int(cols[k + 1].number_input(
                    t(lang, f"staff.role.{role}"), min_value=0, max_value=500, step=1, value=int(s[role]),
                    key=f"tr_{role}_{i}", disabled=role not in lim.change))
    if lim.mediation_share is not None:
        d["mediation_share"] = st.slider(t(lang, "tr.mediation"), 0.0, 1.0, float(d["mediation_share"]), 0.05,
                                         key="tr_mediation", help=t(lang, "tr.mediation_help",
                                                                    lo=f"{lim.mediation_share.min:.0%}",
                                                                    hi=f"{lim.mediation_share.max:.0%}"))
    sec = lim.secondment
    if sec is not None:
        teams = sec.teams or list(d["teams"])
        cols = st.columns(2)
        cur = d["secondment"] or {"team": teams[0], "start_month": sec.first_month}
        team = cols[0].selectbox(t(lang, "tr.sec_team"), teams, index=teams.index(cur["team"]) if cur["team"] in teams
                                 else 0, key="tr_sec_team")
        month = cols[1].number_input(t(lang, "tr.sec_month"), min_value=sec.first_month, max_value=sec.last_month,
                                     value=int(cur["start_month"]), step=1, key="tr_sec_month")
        d["secondment"] = {"team": team, "start_month": int(month)}
    if lim.year_end_freeze is not None:
        opts = list(lim.year_end_freeze.days)
        d["year_end_freeze"] = st.radio(
            t(lang, "tr.freeze"), opts, index=opts.index(d["year_end_freeze"]) if d["year_end_freeze"] in opts else 0,
            key="tr_freeze", horizontal=True,
            format_func=lambda x: t(lang, "tr.freeze_none") if x is None else t(lang, "tr.freeze_day", day=x))
    try:
        return plan_from_dict(d)
    except ScenarioError:  # the inputs are bounded, so this is only a guard
        return plan


def _counter(lang: str, left: dict[str, int]) -> None:
    """What is left to place, per role (and for a shared pool of new staff)."""
    if not left:
        return
    cols = st.columns(len(left))
    for col, (role, n) in zip(cols, left.items()):
        label = t(lang, "tr.left_pool") if role == "pool" else t(lang, "tr.left", role=t(lang, f"staff.role.{role}"))
        col.metric(label, n)


def _my_figures(lang: str, ex: Exercise, start: Scenario, plan: Plan, code: str) -> None:
    st.markdown(f"**{t(lang, 'tr.my_figures')}**")
    st.caption(describe_plan(ex, start, plan, lang))
    with st.spinner(t(lang, "tr.running")):
        figs = TC.evaluator().plan(ex, start, plan, TC.store(), code)
        base = TC.evaluator().plan(ex, start, starting_plan(ex, start), TC.store(), code)
    keys = (ex.deciding.figure,) + tuple(k for k in SHOWN if k != ex.deciding.figure)
    cols = st.columns(len(keys))
    for col, k in zip(cols, keys):
        s, b = mean_ci(figs[k]), mean_ci(base[k])
        col.metric(figure_name(lang, k), figure_value(lang, k, s.mean),
                   help=t(lang, "tr.interval", ci=figure_interval(lang, k, s.ci_low, s.ci_high),
                          start=figure_value(lang, k, b.mean)))


def _revealed(lang: str, ex: Exercise, start: Scenario, code: str) -> None:
    st.divider()
    st.subheader(t(lang, "tr.reveal_title"))
    ans = TC.store().load_answer(code)
    if ans and isinstance(ans.get("plan"), dict):
        answer: Optional[Plan] = plan_from_dict(ans["plan"])
        st.markdown(t(lang, "tr.answer_is", plan=describe_plan(ex, start, answer, lang)))
    st.markdown(ex.debrief.get(lang))
