"""A training group's work on the what-if page (issue 13): the exercise's plan, inside its limits.

Once a browser session has joined a training session as a group, the what-if page works on the
exercise: its starting scenario is loaded into the controls, the sidebar shows only what the
exercise lets groups change (the team table's and sliders' staff roles, the mediation share, a
secondment's team and month, the year-end freeze; everything else is fixed by the exercise and
the sidebar says so), and the figures, charts and moving picture are those of the group's plan
run with the exercise's seed and replications (so every group sees the same disputes, and the
figures come in as preliminary first, like any setting on the page).

Above the figures, the exercise bar: what is left to place (the counter), every limit the plan
breaks (from :func:`sim.training.plan.check_plan`, the same checker the session store applies
on submission: the rules are written once), and the Submit button, enabled only when the plan
is within the limits. The plan the page runs is exactly :func:`sim.training.plan.plan_scenario`
of the controls' plan, the scenario the trainer's ranking runs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Optional

import streamlit as st

from sim.model.errors import ScenarioError
from sim.model.scenario import Scenario, scenario_to_dict
from sim.training.exercise import Exercise
from sim.training.handout import describe_plan
from sim.training.plan import (
    Plan,
    PlanCheck,
    check_plan,
    plan_from_dict,
    plan_scenario,
    starting_plan,
)
from sim.training.session import SessionError
from sim.vocabulary.figure_format import figure_name, target_text
from sim.vocabulary.safe_text import md_escape

from ..i18n import error_md, t, t_md
from ..widgets import controls as C
from ..widgets import plan as P
from ..widgets.inputs import InputState, render_control
from ..widgets.team_inputs import EDITOR_GEN, teams_section
from . import go
from . import training_common as TC

LOADED_FOR = "_trw_loaded"          # the session code whose exercise start is in the controls
SEC_TEAM, SEC_MONTH, FREEZE = "trw_sec_team", "trw_sec_month", "trw_freeze"
DATE_LEVER = "_trw_date_lever"      # "secondment", "freeze" or None: the exercise's date choice
SUBMIT = "trw_submit"


@dataclass
class Work:
    """A group's exercise on the what-if page: who, which exercise, and the plan now."""

    group: dict
    ex: Exercise
    start: Scenario
    plan: Optional[Plan] = None        # None when the controls do not make a plan (a blank cell)
    check: Optional[PlanCheck] = None
    scenario: Optional[Scenario] = None


def joined() -> bool:
    """True when this browser session has joined a training session as a group."""
    return st.session_state.get(TC.GROUP) is not None


def load(code: str, ex: Exercise, start: Scenario) -> None:
    """Put the exercise's starting plan into the what-if controls (once per session code; must
    run before the controls are drawn)."""
    s = st.session_state
    if s.get(LOADED_FOR) == code:
        return
    P.load(s, scenario_to_dict(start))
    s[EDITOR_GEN] = int(s.get(EDITOR_GEN, 0)) + 1  # the team table starts afresh
    lim = ex.limits
    # moving staff keeps the totals: the aid fits an exercise that only moves staff; where staff
    # are added, a new post must not be taken from another team
    P.set_value(s, C.KEEP_TOTALS, not (lim.extra or lim.extra_pool))
    first = starting_plan(ex, start)
    s[DATE_LEVER] = "secondment" if lim.secondment else "freeze" if lim.year_end_freeze else None
    if first.secondment is not None:  # the date choices are the plan's too (ui.widgets.plan)
        P.set_value(s, SEC_TEAM, first.secondment.team)
        P.set_value(s, SEC_MONTH, first.secondment.start_month)
    if lim.year_end_freeze is not None:
        days = list(lim.year_end_freeze.days)
        P.set_value(s, FREEZE, first.year_end_freeze if first.year_end_freeze in days else days[0])
    s[LOADED_FOR] = code


def choices_text() -> Optional[str]:
    """The group's date choice for the address: ``<month>:<team>`` for a secondment, ``f:<day>``
    (``f:-`` for no freeze) for the year-end freeze; None when the exercise has neither."""
    s = st.session_state
    team, month = P.value(s, SEC_TEAM), P.value(s, SEC_MONTH)
    if s.get(DATE_LEVER) == "secondment" and team is not None and month is not None:
        return f"{int(month)}:{team}"
    if s.get(DATE_LEVER) == "freeze" and FREEZE in P.plan(s)["values"]:
        day = P.value(s, FREEZE)
        return f"f:{'-' if day is None else int(day)}"
    return None


def restore_choices(ex: Exercise, start: Scenario, text: str) -> bool:
    """Set the date choice :func:`choices_text` wrote (after :func:`load`); False when ``text``
    is not a choice the exercise offers (the choice then stays at its default)."""
    s, sec, freeze = st.session_state, ex.limits.secondment, ex.limits.year_end_freeze
    head, _, tail = (text or "").partition(":")
    if freeze is not None and head == "f":
        day = None if tail == "-" else _small_int(tail)
        if (tail == "-" or day is not None) and day in freeze.days:
            P.set_value(s, FREEZE, day)
            return True
    month = _small_int(head)
    if sec is not None and month is not None and sec.first_month <= month <= sec.last_month \
            and tail in (sec.teams or [tm.name for tm in start.teams]):
        P.set_value(s, SEC_TEAM, tail)
        P.set_value(s, SEC_MONTH, month)
        return True
    return False


def _small_int(text: str) -> Optional[int]:
    """A day or month number from a link: up to three ASCII digits, else None (``str.isdigit``
    also accepts "²", and ``int`` refuses a 5,000-digit number with an error)."""
    return int(text) if re.fullmatch(r"[0-9]{1,3}", text or "") else None


def work(lang: str) -> Optional[Work]:
    """The group's exercise, its start loaded into the controls; None (the reason shown) when
    the session or its exercise cannot be used."""
    group = st.session_state[TC.GROUP]
    got = TC.session_exercise(lang, group["code"])
    if got is None:
        return None
    ex, start = got
    load(group["code"], ex, start)
    return Work(group, ex, start)


def reference(w: Work) -> Scenario:
    """The starting plan as it runs (the reference for the changes the cards show)."""
    return plan_scenario(w.ex, w.start, starting_plan(w.ex, w.start))


def controls_plan(w: Work) -> Plan:
    """The plan the controls describe; raises :class:`ScenarioError` (e.g. a blank cell)."""
    s, lim, first = st.session_state, w.ex.limits, starting_plan(w.ex, w.start)
    data, _ = P.build(s)
    plan: dict[str, Any] = {
        "teams": {tm["name"]: {r: tm[r] for r in C.STAFF_ROLES} for tm in data["teams"]},
        "mediation_share": data["mediation"]["share_offered"] if lim.mediation_share else first.mediation_share,
        "secondment": {"team": P.value(s, SEC_TEAM), "start_month": P.value(s, SEC_MONTH)} if lim.secondment else None,
        "year_end_freeze": P.value(s, FREEZE) if lim.year_end_freeze else first.year_end_freeze,
    }
    return plan_from_dict(plan)


def sidebar(lang: str, w: Work, start: Optional[Callable[[Scenario, Scenario], None]] = None) -> InputState:
    """The sidebar of a group's exercise: only what the exercise lets groups change. Fills in
    ``w``'s plan, check and scenario (from the controls' values, which are known before they
    are drawn: ``start(scenario, reference)`` can queue its run first, or draw its figures, as
    on the ordinary page); returns the page's input state."""
    s, lim = st.session_state, w.ex.limits
    loaded = s[C.LOADED]
    specs = {sp.key: sp for sp in C.specs_for(loaded)}
    errors = []
    try:
        w.plan = controls_plan(w)
        w.check = check_plan(w.ex, w.start, w.plan)
        w.scenario = plan_scenario(w.ex, w.start, w.plan)
    except ScenarioError as exc:
        errors = list(exc.errors)
    ref = reference(w)
    if start is not None and w.scenario is not None:
        start(w.scenario, ref)
    with st.sidebar:
        st.markdown(f"**{t_md(lang, 'trw.sidebar', title=w.ex.title.get(lang))}**")
        st.caption(t(lang, "trw.fixed"))
        st.button(t(lang, "trw.reset"), key="trw_reset", on_click=_reset, args=(w,), help=t(lang, "trw.reset_help"))
        _date_levers(lang, w)  # an exercise of dates: its choice first, the (fixed) teams under it
        with st.expander(t(lang, "sb.exp.teams"), expanded=bool(lim.change)):
            if lim.change:
                roles = t(lang, "trw.sep").join(t(lang, f"staff.role.{r}") for r in lim.change)
                st.caption(t(lang, "trw.roles", roles=roles))
            else:
                st.caption(t(lang, "trw.staff_fixed"))
            teams_section(lang, {}, editable=tuple(lim.change))
        if lim.mediation_share is not None:
            with st.expander(t(lang, "sb.exp.mediation"), expanded=True):
                render_control(specs["med_share"], lang, loaded, {})
                st.caption(t(lang, "tr.mediation_help", lo=f"{lim.mediation_share.min:.0%}",
                             hi=f"{lim.mediation_share.max:.0%}"))
    placed = C.place_errors(errors, C.specs_for(loaded))
    data = scenario_to_dict(w.scenario) if w.scenario is not None else loaded
    return InputState(data=data, scenario=w.scenario, loaded=ref, errors=errors, placed=placed)


def _date_levers(lang: str, w: Work) -> None:
    """The secondment's team and first month, or the year-end freeze, when the exercise has them."""
    s = st.session_state
    sec, freeze = w.ex.limits.secondment, w.ex.limits.year_end_freeze
    if sec is None and freeze is None:
        return
    with st.expander(t(lang, "trw.choices"), expanded=True):
        if sec is not None:
            st.caption(t(lang, "trw.secondment", judges=sec.judges, assistants=sec.assistants, months=sec.months))
            names = sec.teams or [tm.name for tm in w.start.teams]
            team = P.value(s, SEC_TEAM)
            drawn = P.key_to_draw(s, SEC_TEAM, team)
            st.selectbox(t(lang, "tr.sec_team"), names, key=drawn, index=names.index(team) if team in names else 0,
                         on_change=P.keep, args=(SEC_TEAM, drawn))
            month = P.value(s, SEC_MONTH)
            drawn = P.key_to_draw(s, SEC_MONTH, month)
            st.number_input(t(lang, "tr.sec_month"), min_value=sec.first_month, max_value=sec.last_month, step=1,
                            value=month, key=drawn, on_change=P.keep, args=(SEC_MONTH, drawn))
        if freeze is not None:
            days = list(freeze.days)
            day = P.value(s, FREEZE)
            drawn = P.key_to_draw(s, FREEZE, day)
            st.radio(t(lang, "tr.freeze"), days, key=drawn, horizontal=True, index=days.index(day) if day in days else 0,
                     on_change=P.keep, args=(FREEZE, drawn),
                     format_func=lambda x: t(lang, "tr.freeze_none") if x is None else t(lang, "tr.freeze_day", day=x))


def leave() -> None:
    """This browser stops working as the group (a callback: before the controls are drawn): the
    what-if page is the ordinary one again, on the default scenario. The group's submission
    stays in the session; only the token that could change it is forgotten here."""
    from ..widgets.inputs import load_file
    from ..widgets.scenario_choices import DEFAULT_SCENARIO

    s = st.session_state
    s.pop(TC.GROUP, None)
    s.pop(LOADED_FOR, None)
    load_file(DEFAULT_SCENARIO)
    s[EDITOR_GEN] = int(s.get(EDITOR_GEN, 0)) + 1


def _reset(w: Work) -> None:
    """Back to the exercise's starting plan (a callback: before the controls are drawn)."""
    st.session_state.pop(LOADED_FOR, None)
    load(w.group["code"], w.ex, w.start)


def bar(lang: str, w: Work) -> None:
    """Above the figures: the exercise, what is left to place, the limits broken, Submit."""
    code = w.group["code"]
    TC.watch_reveal(code)  # the trainer's reveal reaches this page too
    msg = st.session_state.pop(TC.MSG, None)
    if msg:
        st.success(md_escape(msg))
    st.subheader(md_escape(w.ex.title.get(lang)))
    st.caption(t_md(lang, "tr.you_are", name=w.group["name"], code=code) + " · "
               + t(lang, "tr.deciding", figure=figure_name(lang, w.ex.deciding.figure),
                   target=target_text(lang, w.ex.deciding.figure, w.ex.deciding.target)))
    with st.expander(t(lang, "trw.brief")):
        st.markdown(md_escape(w.ex.brief.get(lang)))
    if w.check is not None:
        counter(lang, w.check.left)
    ok = w.check is not None and w.check.ok
    if w.plan is None:
        st.warning(t(lang, "trw.no_plan"))
    elif not ok:
        st.warning(t(lang, "trw.outside") + "\n" + "\n".join(f"- {error_md(lang, p)}" for p in w.check.problems),
                   icon=":material/block:")
    else:
        st.caption(t(lang, "trw.within"))
    row = st.container(horizontal=True)  # each button as wide as its words (English is longer)
    if row.button(t(lang, "tr.submit"), key=SUBMIT, type="primary", disabled=not ok,
                  help=None if ok else t(lang, "tr.submit_blocked")):
        _submit(lang, w)
    row.button(t(lang, "trw.to_training"), key="trw_to_training", on_click=go, args=("training",))
    _status(lang, w)


def counter(lang: str, left: dict[str, int]) -> None:
    """What is left to place, per role (and for a shared pool of new staff); negative when too
    many are placed (the warning under it says which limit that breaks)."""
    if not left:
        return
    cols = st.columns(len(left))
    for col, (role, n) in zip(cols, left.items(), strict=True):
        label = t(lang, "tr.left_pool") if role == "pool" else t(lang, "tr.left", role=t(lang, f"staff.role.{role}"))
        col.metric(label, n)


def _submit(lang: str, w: Work) -> None:
    code, store = w.group["code"], TC.store()
    try:
        store.submit(code, w.group["gid"], w.group["token"], w.plan, w.ex, w.start)
    except (SessionError, ScenarioError) as exc:
        first = exc.errors[0] if isinstance(exc, ScenarioError) else (exc.problems or [exc])[0]
        st.error(error_md(lang, first))
        return
    # the ranking's evaluator finds the figures this page ran (ui.pages.training_common.page_results)
    st.session_state[TC.MSG] = t(lang, "tr.submitted")
    st.rerun()


def _status(lang: str, w: Work) -> None:
    """The group's last submission, and whether the trainer has revealed the answer."""
    store, code = TC.store(), w.group["code"]
    try:
        mine = next((g for g in store.groups(code) if g.id == w.group["gid"]), None)
        revealed = store.session(code).revealed
    except SessionError as exc:
        st.error(error_md(lang, exc))
        return
    if mine is not None and mine.plan is not None:
        st.caption(t_md(lang, "trw.last", n=mine.revision, at=mine.submitted_at[:16].replace("T", " "),
                        plan=describe_plan(w.ex, w.start, mine.plan, lang)))
    if revealed:
        st.info(t(lang, "trw.revealed"), icon=":material/campaign:")
