"""The sidebar: scenario picker and every input, grouped in expanders, with errors in place.

The plan is one object in the session (:mod:`ui.widgets.plan`): the controls are drawn from it and
write their changes back to it in their callbacks, which run before the script. So the edited
scenario is built and validated *before* the widgets are drawn, and a validation error can be
drawn right under the control that caused it, and its expander opened. The team table and
the judge sliders, with the staff moves they make, are :mod:`ui.widgets.team_inputs`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import pandas as pd
import streamlit as st

from sim.model.scenario import (
    FieldError,
    Scenario,
    ScenarioError,
    load_scenario,
    scenario_from_dict,
    scenario_to_dict,
)
from sim.vocabulary.safe_text import md_escape

from ..i18n import (
    LANG_NAMES,
    LANGS,
    case_type_label,
    error_text,
    month_name,
    scenario_label,
    t,
    t_md,
    track_label,
    weekday_label,
)
from . import controls as C
from . import plan as P
from . import store_panel as SP
from .scenario_choices import DEFAULT_SCENARIO, SCENARIO_DIR, scenario_files, scenario_title
from .team_inputs import errors_here, teams_section
from .widget_texts import placeholder


@dataclass
class InputState:
    """What the sidebar produced: the edited scenario (None if invalid) and the reference."""

    data: dict
    scenario: Optional[Scenario]
    loaded: Scenario
    errors: list[FieldError] = field(default_factory=list)
    placed: dict[str, list[FieldError]] = field(default_factory=dict)


# --- scenario files ----------------------------------------------------------------------

def load_file(name: str) -> Optional[list[FieldError]]:
    """Load scenarios/<name> (or a saved scenario, "saved:<name>") into the controls; on failure
    keep the current state, return errors."""
    if SP.is_saved(name):
        return SP.load_saved(name)
    try:
        scn = load_scenario(SCENARIO_DIR / name)
    except ScenarioError as exc:
        return exc.errors
    P.load(st.session_state, scenario_to_dict(scn))
    st.session_state[P.LOADED_FILE] = name
    st.session_state.pop("_load_errors", None)
    return None


def _on_pick(drawn: str) -> None:
    s = st.session_state
    if not P.taken(s, P.PICKER, drawn) or s.get(drawn) == s.get(P.LOADED_FILE):
        # Streamlit calls a widget's on_change when the browser sends a value for it that it
        # has no record of, e.g. the first run after the picker was drawn again on coming
        # back from another page, or the file it showed before a load it has not seen yet:
        # that is no pick, and must not load a file over the plan
        return
    errs = load_file(s[drawn])
    if errs:  # the picker goes back to the file loaded (drawn from it: ui.widgets.plan.show)
        s["_load_errors"] = errs


def _on_reset() -> None:
    load_file(st.session_state.get(P.LOADED_FILE, DEFAULT_SCENARIO))


def ensure_loaded() -> None:
    """On a session's first run, load the baseline scenario."""
    if C.LOADED not in st.session_state or P.PLAN not in st.session_state:
        files = scenario_files()
        first = DEFAULT_SCENARIO if DEFAULT_SCENARIO in files else (files[0] if files else None)
        if first is None:
            raise FileNotFoundError(f"no scenario files in {SCENARIO_DIR}")
        errs = load_file(first)
        if errs:
            raise ScenarioError(errs)


# --- callbacks that keep linked controls in step ---------------------------------------

def _ct_count() -> int:
    return len(st.session_state[C.LOADED].get("case_types") or [])


def _on_simple_share(drawn: str) -> None:
    """Rescale the case types' shares so the simple track gets the slider's share (the slider
    itself is drawn from the shares: :func:`ui.widgets.plan.simple_share_pct`)."""
    s = st.session_state
    if not P.taken(s, P.SIMPLE_SHARE, drawn) or abs(float(s[drawn]) - P.simple_share_pct(s)) < 1e-9:
        return  # no move (see _on_pick)
    target = float(s[drawn]) / 100.0
    n = _ct_count()
    tracks = [P.value(s, f"ct_{i}_track") for i in range(n)]
    shares = [float(P.value(s, f"ct_{i}_share") or 0.0) / 100.0 for i in range(n)]
    for track, want in (("simple", target), ("complex", 1.0 - target)):
        idx = [i for i in range(n) if tracks[i] == track]
        if not idx:
            continue
        have = sum(shares[i] for i in idx)
        for i in idx:
            shares[i] = want * (shares[i] / have if have > 0 else 1.0 / len(idx))
    for i in range(n):
        P.set_value(s, f"ct_{i}_share", round(shares[i] * 100, 4))


# --- monthly profile (fixed-row table) ------------------------------------------------

def _profile_key() -> str:
    # a fresh key per load: a fixed-row editor keeps its edits while its columns stay the same
    return f"monthly_profile_{st.session_state.get(C.LOAD_GEN, 0)}"


def _on_profile() -> None:
    """The profile table's edits become the plan's profile (the table is drawn from it; its
    edits, kept by the table, are the plan's values again, so applying them twice is harmless)."""
    s = st.session_state
    weights = P.profile(s)
    delta = s.get(_profile_key()) or {}
    for idx, changes in (delta.get("edited_rows") or {}).items():
        if int(idx) < len(weights) and "weight" in changes:
            weights[int(idx)] = changes["weight"]  # may be None: validation then says what is wrong
    P.set_profile(s, weights)


# --- rendering --------------------------------------------------------------------------

def _format_func(sp: C.Spec, lang: str, data: dict):
    if sp.key in ("assignment",):
        return lambda v: t(lang, f"opt.assignment.{v}")
    if sp.key == "queue_discipline":
        return lambda v: t(lang, f"opt.queue.{v}")
    if sp.key == "docket_mode":
        return lambda v: t(lang, f"spd.opt.mode.{v}")
    if sp.key == "docket_hand_over":
        return lambda v: t(lang, f"spd.opt.hand_over.{v}")
    if sp.key.endswith("_track"):
        return lambda v: track_label(lang, v)
    if sp.key.endswith("_dist"):
        return lambda v: t(lang, f"opt.dist.{v}")
    if sp.key.endswith("_procedure"):
        procs = data.get("procedures") or {}
        return lambda v: _proc_label(lang, v, procs.get(v) or {})
    if sp.key == "cal_weekdays":
        return lambda v: weekday_label(lang, v)
    if sp.key == "cal_push_months":
        return lambda v: month_name(lang, v)
    return str


def _proc_label(lang: str, name: str, proc: dict) -> str:
    lab = proc.get("label_zh" if lang == "zh" else "label_en") or proc.get("label_zh") or name
    return lab


def _changed(key: str, drawn: str, then: Optional[Callable[[], None]] = None) -> None:
    """A control's ``on_change`` (drawn under ``drawn``): its value becomes the plan's, then
    ``then`` runs."""
    if not P.taken(st.session_state, key, drawn):
        return  # a value for a drawing the plan has replaced
    P.keep(key, drawn)
    if then is not None:
        then()


def render_control(sp: C.Spec, lang: str, data: dict, placed: dict[str, list[FieldError]],
                   on_change: Optional[Callable[[], None]] = None) -> None:
    """Draw one control from its spec (its value from the plan, its changes written back to
    it, then ``on_change``), then any error that belongs to it."""
    label = t(lang, f"ctl.{sp.label}", **sp.label_kw)
    hlp = t(lang, f"ctl.{sp.label}.help")
    s = st.session_state
    v = P.value(s, sp.key)
    drawn = P.key_to_draw(s, sp.key, v)   # drawn with the plan's value (ui/widgets/plan.py)
    kw: dict[str, Any] = {"key": drawn, "help": hlp, "on_change": _changed, "args": (sp.key, drawn, on_change)}
    if sp.widget == "number":
        fmt = "%d" if sp.kind in ("int", "opt_int") else ("%.1f" if sp.kind in ("pct", "opt_pct") else "%.2f")
        st.number_input(label, min_value=sp.min, max_value=sp.max, step=sp.step, format=fmt, value=v, **kw)
    elif sp.widget == "slider":
        st.slider(label, min_value=float(sp.min), max_value=float(sp.max), step=float(sp.step), format="%.0f%%",
                  value=float(v if v is not None else sp.min), **kw)
    elif sp.widget == "select":
        options = list(sp.options)
        st.selectbox(label, options=options, format_func=_format_func(sp, lang, data),
                     index=options.index(v) if v in options else 0, **kw)
    elif sp.widget == "multiselect":
        st.multiselect(label, options=list(sp.options), format_func=_format_func(sp, lang, data),
                       placeholder=placeholder(lang), select_all=False, default=list(v or []), **kw)
    elif sp.widget == "date":
        import datetime as dt
        st.date_input(label, min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31), value=v, **kw)
    elif sp.widget == "text_area":
        st.text_area(label, height=120, value=v or "", **kw)
    elif sp.widget == "toggle":
        st.toggle(label, value=bool(v), **kw)
    errors_here(lang, placed.get(sp.key, []))


def current_data() -> dict:
    """The what-if plan's plain data now (may be invalid)."""
    return P.current_data(st.session_state)


def _validate(lang: str) -> InputState:
    state = st.session_state
    data, pre = P.build(state)
    loaded = scenario_from_dict(state[C.LOADED])
    try:
        scn: Optional[Scenario] = scenario_from_dict(data)
        errors: list[FieldError] = []
    except ScenarioError as exc:
        scn, errors = None, list(exc.errors)
    errors = pre + errors
    if pre:
        scn = None
    placed = C.place_errors(errors, C.specs_for(state[C.LOADED]))
    return InputState(data=data, scenario=scn, loaded=loaded, errors=errors, placed=placed)


def _has(placed: dict, *where: str) -> bool:
    return any(placed.get(w) for w in where)


def language_selector() -> str:
    """The language switch (key ``lang``), Chinese by default; returns the language code."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = "zh"
    return st.sidebar.selectbox(t(st.session_state["lang"], "sb.lang"), options=list(LANGS),
                                format_func=lambda v: LANG_NAMES[v], key="lang",
                                help=t(st.session_state["lang"], "sb.lang.help"))


def sidebar(lang: str, start: Optional[Callable[[Scenario, Scenario], None]] = None) -> InputState:
    """Draw every input in the sidebar and return the edited scenario (or its errors).

    ``start(scenario, loaded)`` is called with a valid edited scenario and the loaded one before
    any control is drawn, so its replications can be running, or its figures already drawn,
    while the sidebar is drawn.
    """
    ensure_loaded()
    res = _validate(lang)
    SP.save_if_asked(lang, res.scenario)  # before the picker, which then lists the plan saved
    if start is not None and res.scenario is not None:
        start(res.scenario, res.loaded)
    placed = res.placed
    specs = {sp.key: sp for sp in C.specs_for(st.session_state[C.LOADED])}
    group_err = {sp.group for key, sp in specs.items() if placed.get(key)}
    data = st.session_state[C.LOADED]
    sb = st.sidebar

    with sb:
        s = st.session_state
        file = s.get(P.LOADED_FILE)
        files = scenario_files() + SP.picker_options(file)
        picker = P.key_to_draw(s, P.PICKER, file)
        st.selectbox(t(lang, "sb.scenario"), options=files, key=picker, index=files.index(file) if file in files else None,
                     format_func=lambda v: SP.picker_label(lang, v) if SP.is_saved(v) else scenario_title(v, lang),
                     on_change=_on_pick, args=(picker,), help=t(lang, "sb.scenario.help"))
        if st.session_state.get("_load_errors"):
            errors_here(lang, st.session_state["_load_errors"])
        st.button(t(lang, "sb.reset"), key="reset", on_click=_on_reset, help=t(lang, "sb.reset.help"))
        SP.render(lang, res.scenario, default_name=scenario_label(lang, data))  # saved scenarios (issue 4)
        errors_here(lang, placed.get("", []))

        with st.expander(t(lang, "sb.exp.teams"), expanded=True):
            teams_section(lang, placed)
        with st.expander(t(lang, "sb.exp.demand"), expanded="demand" in group_err or _has(placed, "demand.monthly_profile")):
            for k in ("disputes_per_year", "annual_growth", "freeze_day"):
                render_control(specs[k], lang, data, placed)
            _profile_section(lang, placed)
        with st.expander(t(lang, "sb.exp.mediation"), expanded="mediation" in group_err):
            for k in ("med_share", "med_success", "med_mediators", "med_max_days"):
                render_control(specs[k], lang, data, placed)
        with st.expander(t(lang, "sb.exp.triage"), expanded="triage" in group_err or _has(placed, "case_types")):
            share = P.simple_share_pct(st.session_state)
            drawn = P.key_to_draw(st.session_state, P.SIMPLE_SHARE, share)
            st.slider(t(lang, "ctl.simple_share"), 0.0, 100.0, step=0.5, format="%.1f%%", key=drawn, value=share,
                      on_change=_on_simple_share, args=(drawn,), help=t(lang, "ctl.simple_share.help"))
            errors_here(lang, placed.get("case_types", []))
            for k in ("triage_accuracy", "conversion_rate", "misrouted_conversion_rate", "conversion_effort_share"):
                render_control(specs[k], lang, data, placed)
        with st.expander(t(lang, "sb.exp.policy"), expanded="policy" in group_err):
            for k in ("assignment", "queue_discipline", "docket_mode", "docket_specialised", "docket_hand_over"):
                if k in specs:
                    render_control(specs[k], lang, data, placed)
        hearing_groups = {sp.group for sp in specs.values() if sp.group == "hearings" or sp.group.startswith("hear_")}
        _lazy_section(HEARINGS_OPEN, t(lang, "spd.exp.hearings"), bool(group_err & hearing_groups),
                      lambda: _hearings_section(lang, specs, data, placed))
        with st.expander(t(lang, "sb.exp.pending"), expanded="pending" in group_err):
            for k in ("init_simple", "init_complex", "long_pending_months"):
                render_control(specs[k], lang, data, placed)
        with st.expander(t(lang, "sb.exp.targets"), expanded="targets" in group_err):
            for k in [k for k, sp in specs.items() if sp.group == "targets"]:
                render_control(specs[k], lang, data, placed)
        with st.expander(t(lang, "sb.exp.run"), expanded="run" in group_err):
            for k in ("start_date", "horizon_months", "replications", "seed"):
                render_control(specs[k], lang, data, placed)
        adv_err = bool(group_err - {"demand", "mediation", "triage", "policy", "pending", "targets", "run"} - hearing_groups) \
            or _has(placed, "case_types", "procedures")
        _lazy_section(ADVANCED_OPEN, t(lang, "sb.exp.advanced"), adv_err,
                      lambda: _advanced_section(lang, specs, data, placed))
    return res


HEARINGS_OPEN = "exp_hearings"   # session-state keys of the two lazily drawn sections
ADVANCED_OPEN = "exp_advanced"


def _lazy_section(key: str, label: str, opened: bool, draw) -> None:
    """An expander whose controls are drawn only while it is open.

    Why: Streamlit's cost of drawing a control grows with the number of controls on the page,
    and these two sections hold two thirds of them; drawing them on every run made the sidebar
    cost three times as much, on every move of every slider. What was set there stays set while
    they are closed: it is in the plan (:mod:`ui.widgets.plan`). ``opened``: an error in the section
    opens it.
    """
    s = st.session_state
    if opened:
        s[key] = True
    exp = st.expander(label, key=key, on_change="rerun")
    if exp.open:
        with exp:
            draw()


def _hearings_section(lang: str, specs: dict[str, C.Spec], data: dict, placed: dict) -> None:
    """Hearing calendar and adjournments: court-wide settings, then one tab per procedure."""
    if data.get("hearings") is None:
        st.caption(t(lang, "spd.hearings.none"))
        return
    st.caption(t(lang, "spd.hearings.caption"))
    for sp in (s for s in specs.values() if s.group == "hearings"):
        render_control(sp, lang, data, placed)
    procs = sorted((data["hearings"].get("procedures") or {}).keys())
    if procs:
        st.markdown(f"**{t(lang, 'spd.hearings.by_procedure')}**")
        known = data.get("procedures") or {}
        tabs = st.tabs([md_escape(_proc_label(lang, name, known.get(name) or {})) for name in procs])
        for name, tab in zip(procs, tabs, strict=True):
            with tab:
                for sp in (s for s in specs.values() if s.group == f"hear_{name}"):
                    render_control(sp, lang, data, placed)


def _profile_section(lang: str, placed: dict) -> None:
    df = pd.DataFrame({"month": [month_name(lang, m) for m in range(1, 13)], "weight": P.profile(st.session_state)})
    st.caption(t(lang, "sb.profile"), help=t(lang, "sb.profile.help"))
    st.data_editor(df, key=_profile_key(), num_rows="fixed", hide_index=True, width="stretch",
                   on_change=_on_profile, column_config={
                       "month": st.column_config.TextColumn(t(lang, "sb.profile.month"), disabled=True),
                       "weight": st.column_config.NumberColumn(t(lang, "sb.profile.weight"), min_value=0.0,
                                                               max_value=10.0, step=0.05, format="%.2f",
                                                               required=True, help=t(lang, "sb.profile.help")),
                   })
    errors_here(lang, placed.get("demand.monthly_profile", []))


def _advanced_section(lang: str, specs: dict[str, C.Spec], data: dict, placed: dict) -> None:
    st.caption(t(lang, "sb.not_editable"))
    st.markdown(f"**{t(lang, 'sb.ct.header')}**")
    errors_here(lang, placed.get("case_types", []))
    cts = data.get("case_types") or []
    if cts:
        tabs = st.tabs([md_escape(case_type_label(lang, c)) for c in cts])
        for i, tab in enumerate(tabs):
            with tab:
                for sp in (s for s in specs.values() if s.group == f"ct{i}"):
                    render_control(sp, lang, data, placed)
    st.markdown(f"**{t(lang, 'sb.proc.header')}**")
    errors_here(lang, placed.get("procedures", []))
    procs = sorted((data.get("procedures") or {}).items())
    if procs:
        tabs = st.tabs([md_escape(_proc_label(lang, name, p)) for name, p in procs])
        for (name, _p), tab in zip(procs, tabs, strict=True):
            with tab:
                for sp in (s for s in specs.values() if s.group == f"proc_{name}"):
                    render_control(sp, lang, data, placed)
    for header, group in (("sb.durations.header", "durations"), ("sb.cal.header", "calendar"),
                          ("sb.support.header", "support")):
        st.markdown(f"**{t(lang, header)}**")
        for sp in (s for s in specs.values() if s.group == group):
            render_control(sp, lang, data, placed)


def sidebar_or_error(lang: str, start: Optional[Callable[[Scenario, Scenario], None]] = None) -> Optional[InputState]:
    """:func:`sidebar`, or None after showing why the scenario could not be read (a page then
    stops: the what-if page and presenter mode read the same settings this way)."""
    try:
        return sidebar(lang, start)
    except (ScenarioError, FileNotFoundError) as exc:
        st.error(t_md(lang, "app.run_failed", msg=error_text(lang, exc)))
        return None
