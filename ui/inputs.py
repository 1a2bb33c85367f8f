"""The sidebar: scenario picker and every input, grouped in expanders, with errors in place.

The plan is one object in the session (:mod:`ui.plan`): the controls are drawn from it and
write their changes back to it in their callbacks, which run before the script. So the edited
scenario is built and validated *before* the widgets are drawn, and a validation error can be
drawn right under the control that caused it, and its expander opened.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import pandas as pd
import streamlit as st

from sim.vocabulary.safe_text import md_escape
from sim.model.scenario import FieldError, Scenario, ScenarioError, load_scenario, scenario_from_dict, scenario_to_dict

from . import controls as C
from . import moves as M
from . import plan as P
from . import store_panel as SP
from .widget_texts import placeholder
from .scenario_choices import DEFAULT_SCENARIO, SCENARIO_DIR, scenario_files, scenario_title
from .i18n import (LANG_NAMES, case_type_label, error_md, error_text, LANGS, month_name, scenario_label, t, t_md,
                   track_label, track_short, weekday_label)

TEAMS_EDITOR = "teams_editor"
# the team table's name column: "民事审判一组" whole in Chinese; narrower in English, whose staff
# headers are wider, so that name and staff columns fit a 1024 px window's sidebar
NAME_PX = {"zh": 96, "en": 84}
ROW_MARKER_PX = 32  # the grid's row-selection column (rows can be deleted)
EDITOR_GEN = "_teams_editor_gen"  # bumped when an edit moves staff in other rows too


def teams_editor_key() -> str:
    """The team table's widget key (a new one after an edit that changed other rows)."""
    gen = int(st.session_state.get(EDITOR_GEN, 0))
    return TEAMS_EDITOR if gen == 0 else f"{TEAMS_EDITOR}_{gen}"


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


def _on_pick() -> None:
    s = st.session_state
    if s.get(P.PICKER) == s.get(P.LOADED_FILE) or P.echo(s, P.PICKER):
        # Streamlit calls a widget's on_change when the browser sends a value for it that it
        # has no record of, e.g. the first run after the picker was drawn again on coming
        # back from another page, or the file it showed before a load it has not seen yet:
        # that is no pick, and must not load a file over the plan
        return
    errs = load_file(s[P.PICKER])
    if errs:  # the picker goes back to the file loaded (drawn from it: ui.plan.show)
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

def _receiving_tracks() -> tuple[str, ...]:
    """Tracks of the loaded scenario that receive cases (each must keep a judge)."""
    from sim.analysis.advisor import tracks_receiving_cases

    try:
        return tuple(tracks_receiving_cases(scenario_from_dict(st.session_state[C.LOADED])))
    except ScenarioError:  # cannot happen for a loaded scenario; then every track keeps one
        return ("simple", "complex")


def _moved(teams: list[dict], i: int, role: str, new: int) -> tuple[list[dict], int]:
    """``teams`` with team ``i``'s ``role`` set to ``new``: in keep-totals mode the difference
    comes from (or goes to) the team chosen under "take from"; otherwise it is simply set."""
    s = st.session_state
    if not P.value(s, C.KEEP_TOTALS):
        out = copy.deepcopy(teams)
        out[i][role] = new
        return out, new
    return C.move_staff(teams, i, role, new, P.value(s, C.TAKE_FROM, C.PROPORTIONAL), _receiving_tracks())


def _widen_sliders(teams: list[dict]) -> None:
    """A team grown past its judge slider's range gets a wider one (the sliders are drawn from
    the teams: :func:`ui.plan.show`)."""
    for tm in teams:
        j = int(tm["judges"] or 0)
        if j > int(tm.get("slider_max") or 0):
            tm["slider_max"] = C.slider_max(j)


SLIDER_MOVES = "_slider_moves"  # the judge sliders' recent moves, to retrace one moved back
MAX_SLIDER_MOVES = 20


def _on_slider(i: int) -> None:
    s = st.session_state
    teams = P.teams(s)
    if i >= len(teams) or C.judge_key(i) not in s:
        return
    new = int(s[C.judge_key(i)])
    if new == int(teams[i]["judges"] or 0) or P.echo(s, C.judge_key(i)):  # no move (see _on_pick)
        return
    out = _retraced(teams, i, new)
    if out is None:
        out, _ = _moved(teams, i, "judges", new)
        _widen_sliders(out)
        moves = s.setdefault(SLIDER_MOVES, [])
        moves.append((i, int(teams[i]["judges"] or 0), copy.deepcopy(teams), copy.deepcopy(out)))
        del moves[:-MAX_SLIDER_MOVES]
    else:
        out = copy.deepcopy(out)
        _widen_sliders(out)
    M.remember(("slider", i), copy.deepcopy(teams), copy.deepcopy(out))
    P.set_teams(s, out)


def on_judge_slider(i: int) -> None:
    """Team ``i``'s judge slider was set (its value is in session state): apply the move. For the
    plan bar (ui/plan_bar.py), whose steps are moves of the same slider."""
    _on_slider(i)


def _retraced(teams: list[dict], i: int, new: int) -> Optional[list[dict]]:
    """The teams as they were before the last slider move, if this move exactly undoes it.

    Why: with staff totals kept, a judge added to one team comes from the team that has given
    least so far; moving the slider back returns the judge to whichever team has given most,
    which is not always the team it came from. The plan would then differ from the one seen a
    moment ago, and its figures would be computed again instead of coming from the cache.
    Retracing the recorded moves brings back exactly the plan the user saw.
    """
    moves = st.session_state.setdefault(SLIDER_MOVES, [])
    if moves and moves[-1][3] != teams:  # something else changed the teams since: start afresh
        moves.clear()
    out = _retrace_target(teams, i, new)
    if out is not None:
        moves.pop()
    return out


def _retrace_target(teams: list[dict], i: int, new: int) -> Optional[list[dict]]:
    """The teams before the last slider move if moving team ``i``'s slider to ``new`` undoes it."""
    moves = st.session_state.get(SLIDER_MOVES) or []
    if moves and moves[-1][3] == teams and moves[-1][0] == i and moves[-1][1] == new:
        return moves[-1][2]
    return None


def slider_outcome(i: int, new: int) -> list[dict]:
    """The teams that moving team ``i``'s judge slider to ``new`` would give (nothing changes):
    the same rules as the slider's own move (retraced, kept totals or simply set)."""
    teams = P.teams(st.session_state)
    out = _retrace_target(teams, i, new)
    return out if out is not None else _moved(teams, i, "judges", new)[0]


def last_slider_move() -> Optional[tuple[int, int]]:
    """(team, +1 or -1) of the last judge-slider move: which team, up or down (None if there
    was none, or the teams changed since)."""
    moves = st.session_state.get(SLIDER_MOVES) or []
    if moves and moves[-1][3] == P.teams(st.session_state):
        i, old, _before, after = moves[-1]
        return int(i), 1 if int(after[i]["judges"] or 0) >= int(old) else -1
    return None


def _on_teams_edit(lang: str) -> None:
    """Apply the table's edits (edited, deleted, added rows) to the canonical team list."""
    s = st.session_state
    delta = s.get(teams_editor_key()) or {}
    teams = copy.deepcopy(P.teams(s))
    label_to_track = {track_short(lang, tr): tr for tr in ("simple", "complex")}
    moved_others = False
    for idx, changes in (delta.get("edited_rows") or {}).items():
        i = int(idx)
        if i >= len(teams):
            continue
        for col, v in changes.items():
            if col == "track":
                v = label_to_track.get(v, v)
            if col in C.STAFF_ROLES and v is not None and int(v) != int(teams[i][col] or 0) \
                    and P.value(s, C.KEEP_TOTALS):
                before = copy.deepcopy(teams)
                teams, _ = _moved(teams, i, col, int(v))
                moved_others = moved_others or any(a != b for k, (a, b) in enumerate(zip(before, teams)) if k != i) \
                    or teams[i][col] != v
            elif col in C.TEAM_FIELDS:
                teams[i][col] = v
            if col == "judges" and v is not None:
                teams[i]["slider_max"] = C.slider_max(int(teams[i]["judges"]))
    for i in sorted((int(x) for x in delta.get("deleted_rows") or []), reverse=True):
        if i < len(teams):
            teams.pop(i)
    names = {tm["name"] for tm in teams}
    for row in delta.get("added_rows") or []:
        n = 1
        while t(lang, "sb.teams.new", n=n) in names:
            n += 1
        new = {"name": t(lang, "sb.teams.new", n=n), "track": "complex", "judges": 1, "assistants": 1,
               "clerks": 1, "changes": []}
        for col, v in row.items():
            if col in C.TEAM_FIELDS and v is not None:
                new[col] = label_to_track.get(v, v) if col == "track" else v
        new["slider_max"] = C.slider_max(int(new["judges"] or 0))
        names.add(new["name"])
        teams.append(new)
    old_n = len(P.teams(s))
    _widen_sliders(teams)
    if moved_others:
        M.remember(("table",), copy.deepcopy(P.teams(s)), copy.deepcopy(teams))
    P.set_teams(s, teams)
    for i in range(len(teams), old_n):
        s.pop(C.judge_key(i), None)
    if moved_others:
        # other rows changed too (or the move was cut short): redraw the table from the teams,
        # since the editor would otherwise keep showing the value typed
        s[EDITOR_GEN] = int(s.get(EDITOR_GEN, 0)) + 1


def _ct_count() -> int:
    return len(st.session_state[C.LOADED].get("case_types") or [])


def _on_simple_share() -> None:
    """Rescale the case types' shares so the simple track gets the slider's share (the slider
    itself is drawn from the shares: :func:`ui.plan.simple_share_pct`)."""
    s = st.session_state
    if abs(float(s[P.SIMPLE_SHARE]) - P.simple_share_pct(s)) < 1e-9 or P.echo(s, P.SIMPLE_SHARE):
        return  # no move (see _on_pick)
    target = float(s[P.SIMPLE_SHARE]) / 100.0
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


def _errors_here(lang: str, errs: list[FieldError]) -> None:
    for e in errs:
        st.error(error_md(lang, e), icon=":material/warning:")


def _changed(key: str, then: Optional[Callable[[], None]] = None) -> None:
    """A control's ``on_change``: its value becomes the plan's, then ``then`` runs."""
    P.keep(key)
    if then is not None:
        then()


def render_control(sp: C.Spec, lang: str, data: dict, placed: dict[str, list[FieldError]],
                   on_change: Optional[Callable[[], None]] = None) -> None:
    """Draw one control from its spec (its value from the plan, its changes written back to
    it, then ``on_change``), then any error that belongs to it."""
    label = t(lang, f"ctl.{sp.label}", **sp.label_kw)
    hlp = t(lang, f"ctl.{sp.label}.help")
    kw: dict[str, Any] = {"key": sp.key, "help": hlp, "on_change": _changed, "args": (sp.key, on_change)}
    if sp.widget == "number":
        fmt = "%d" if sp.kind in ("int", "opt_int") else ("%.1f" if sp.kind in ("pct", "opt_pct") else "%.2f")
        if sp.kind.startswith("opt_"):
            kw["value"] = None
        st.number_input(label, min_value=sp.min, max_value=sp.max, step=sp.step, format=fmt, **kw)
    elif sp.widget == "slider":
        st.slider(label, min_value=float(sp.min), max_value=float(sp.max), step=float(sp.step), format="%.0f%%", **kw)
    elif sp.widget == "select":
        st.selectbox(label, options=list(sp.options), format_func=_format_func(sp, lang, data), **kw)
    elif sp.widget == "multiselect":
        st.multiselect(label, options=list(sp.options), format_func=_format_func(sp, lang, data),
                       placeholder=placeholder(lang), select_all=False, **kw)
    elif sp.widget == "date":
        import datetime as dt
        st.date_input(label, min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31), **kw)
    elif sp.widget == "text_area":
        st.text_area(label, height=120, **kw)
    elif sp.widget == "toggle":
        st.toggle(label, **kw)
    _errors_here(lang, placed.get(sp.key, []))


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
    P.show(st.session_state)  # every control below is drawn from the plan
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
        files = scenario_files() + SP.picker_options(st.session_state.get(P.PICKER))
        st.selectbox(t(lang, "sb.scenario"), options=files, key=P.PICKER,
                     format_func=lambda v: SP.picker_label(lang, v) if SP.is_saved(v) else scenario_title(v, lang),
                     on_change=_on_pick, help=t(lang, "sb.scenario.help"))
        if st.session_state.get("_load_errors"):
            _errors_here(lang, st.session_state["_load_errors"])
        st.button(t(lang, "sb.reset"), key="reset", on_click=_on_reset, help=t(lang, "sb.reset.help"))
        SP.render(lang, res.scenario, default_name=scenario_label(lang, data))  # saved scenarios (issue 4)
        _errors_here(lang, placed.get("", []))

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
            st.slider(t(lang, "ctl.simple_share"), 0.0, 100.0, step=0.5, format="%.1f%%", key=P.SIMPLE_SHARE,
                      on_change=_on_simple_share, help=t(lang, "ctl.simple_share.help"))
            _errors_here(lang, placed.get("case_types", []))
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
    they are closed: it is in the plan (:mod:`ui.plan`). ``opened``: an error in the section
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
        for name, tab in zip(procs, tabs):
            with tab:
                for sp in (s for s in specs.values() if s.group == f"hear_{name}"):
                    render_control(sp, lang, data, placed)


def teams_section(lang: str, placed: dict, editable: Optional[tuple[str, ...]] = None) -> None:
    """The team table, totals and one judge slider per team.

    ``editable``: None for the what-if page's own use (every column, rows added and deleted);
    for a training exercise, the staff roles groups may change (the teams themselves, their
    names and tracks, and every other role stay as the exercise set them).
    """
    teams = P.teams(st.session_state)
    locked = editable is not None
    df = pd.DataFrame({
        "name": [tm["name"] for tm in teams],
        "track": [track_short(lang, tm["track"]) if tm["track"] in ("simple", "complex") else tm["track"] for tm in teams],
        "judges": pd.array([tm["judges"] for tm in teams], dtype="Int64"),
        "assistants": pd.array([tm["assistants"] for tm in teams], dtype="Int64"),
        "clerks": pd.array([tm["clerks"] for tm in teams], dtype="Int64"),
    })
    if not locked or editable:  # an exercise that fixes every role has no staff to move
        _keep_totals_controls(lang, teams)
    cc = st.column_config
    if locked:  # rows cannot be added, deleted or renamed in an exercise
        st.caption(t(lang, "trw.table"))
    else:
        st.caption(t(lang, "sb.teams.table"), help=t(lang, "sb.teams.table.help"))
    # the grid is drawn on a canvas that cuts a header narrower than its text: every column is as
    # wide as its header needs; staff counts come right after the (pinned) name, so on a narrow
    # sidebar the track, set once per team, is the column that scrolls out of view
    heads = {"judges": (t(lang, "col.judges"), t(lang, "col.judges.help")),
             "assistants": (t(lang, "col.assistants"), t(lang, "col.assistants.help")),
             "clerks": (t(lang, "col.clerks"), t(lang, "col.clerks.help"))}
    st.data_editor(
        df, key=teams_editor_key(), num_rows="fixed" if locked else "dynamic", hide_index=True, width="stretch",
        on_change=_on_teams_edit, args=(lang,), column_order=("name",) + C.STAFF_ROLES + ("track",),
        disabled=["name", "track"] + [r for r in C.STAFF_ROLES if r not in editable] if locked else False,
        column_config={
            "name": cc.TextColumn(t(lang, "col.name"), help=t(lang, "col.name.help"), required=True,
                                  max_chars=60, width=NAME_PX[lang], pinned=True),
            "track": cc.SelectboxColumn(t(lang, "col.track"), help=t(lang, "col.track.help"), required=True,
                                        width=max(header_width(t(lang, "col.track")),
                                                  header_width(track_short(lang, "complex")) - 16),
                                        options=[track_short(lang, "simple"), track_short(lang, "complex")]),
            **{r: cc.NumberColumn(head, help=hlp, min_value=0, max_value=500, step=1, format="%d", required=True,
                                  width=header_width(head))
               for r, (head, hlp) in heads.items()},
        },
    )
    _move_note(lang, ("table",))
    _errors_here(lang, placed.get("teams", []))
    tot = {f: sum(int(tm[f] or 0) for tm in teams) for f in ("judges", "assistants", "clerks")}
    ratio = (tot["assistants"] + tot["clerks"]) / tot["judges"] if tot["judges"] else float("nan")
    st.markdown(t(lang, "sb.teams.totals", judges=tot["judges"], assistants=tot["assistants"], clerks=tot["clerks"],
                  ratio=f"{ratio:.2f}" if ratio == ratio else "—",
                  simple_j=sum(int(tm["judges"] or 0) for tm in teams if tm["track"] == "simple"),
                  complex_j=sum(int(tm["judges"] or 0) for tm in teams if tm["track"] == "complex")))
    st.markdown(f"**{t(lang, 'sb.teams.sliders')}**")
    for i, tm in enumerate(teams):
        key = C.judge_key(i)
        st.slider(t_md(lang, "sb.teams.slider", team=tm["name"] or "—"), min_value=0,
                  max_value=int(tm.get("slider_max") or C.slider_max(int(tm["judges"] or 0))), step=1,
                  key=key, on_change=_on_slider, args=(i,), help=t(lang, "sb.teams.slider.help"),
                  disabled=locked and "judges" not in editable)
        _move_note(lang, ("slider", i))


def _move_note(lang: str, where: tuple) -> None:
    """Under the control that made the last move: which teams gave and which gained."""
    note = M.last_note(lang, where)
    if note:
        st.caption(note)


def header_width(label: str) -> int:
    """Pixels a data-editor column needs to show ``label`` whole.

    Measured on the grid's canvas at the app's font: the edit icon and padding take 34 px, a
    Chinese character 14 px, a Latin letter at most 7 px ("Judges" is 41 px; a 50 px column
    showed "书记" for "书记员").
    """
    return 34 + sum(14 if ord(ch) > 0x2E80 else 7 for ch in label)


def _keep_totals_controls(lang: str, teams: list[dict]) -> None:
    """The keep-totals toggle and, when it is on, where moved staff come from."""
    s = st.session_state
    options = [C.PROPORTIONAL] + [str(i) for i in range(len(teams))]
    if P.value(s, C.TAKE_FROM) not in options:  # the team it named was deleted
        P.set_value(s, C.TAKE_FROM, C.PROPORTIONAL)
        s[C.TAKE_FROM] = C.PROPORTIONAL
    st.toggle(t(lang, "sb.keep_totals"), key=C.KEEP_TOTALS, help=t(lang, "sb.keep_totals.help"),
              on_change=P.keep, args=(C.KEEP_TOTALS,))
    if P.value(s, C.KEEP_TOTALS):
        st.selectbox(t(lang, "sb.take_from"), options=options, key=C.TAKE_FROM, help=t(lang, "sb.take_from.help"),
                     on_change=P.keep, args=(C.TAKE_FROM,),
                     format_func=lambda v: t(lang, "sb.take_from.proportional") if v == C.PROPORTIONAL
                     else t(lang, "sb.take_from.team", team=teams[int(v)]["name"] or "—"))


def establishment_notice(lang: str, loaded_teams: list[dict], teams: list[dict]) -> Optional[str]:
    """'比原方案多 2 个员额法官编制 …' when the plan's staff totals differ from those of the loaded
    scenario's teams (its establishment); None when they are the same."""
    now, est = C.staff_totals(teams), C.staff_totals(loaded_teams)
    parts = []
    for role in C.STAFF_ROLES:
        d = now[role] - est[role]
        if d:
            parts.append(t(lang, f"app.establishment.{role}.{'more' if d > 0 else 'fewer'}", n=abs(d)))
    if not parts:
        return None
    return t(lang, "app.establishment", items=t(lang, "app.establishment.sep").join(parts))


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
    _errors_here(lang, placed.get("demand.monthly_profile", []))


def _advanced_section(lang: str, specs: dict[str, C.Spec], data: dict, placed: dict) -> None:
    st.caption(t(lang, "sb.not_editable"))
    st.markdown(f"**{t(lang, 'sb.ct.header')}**")
    _errors_here(lang, placed.get("case_types", []))
    cts = data.get("case_types") or []
    if cts:
        tabs = st.tabs([md_escape(case_type_label(lang, c)) for c in cts])
        for i, tab in enumerate(tabs):
            with tab:
                for sp in (s for s in specs.values() if s.group == f"ct{i}"):
                    render_control(sp, lang, data, placed)
    st.markdown(f"**{t(lang, 'sb.proc.header')}**")
    _errors_here(lang, placed.get("procedures", []))
    procs = sorted((data.get("procedures") or {}).items())
    if procs:
        tabs = st.tabs([md_escape(_proc_label(lang, name, p)) for name, p in procs])
        for (name, _p), tab in zip(procs, tabs):
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
        errs = exc.errors if isinstance(exc, ScenarioError) else [FieldError(path="", message=str(exc))]
        st.error(t_md(lang, "app.run_failed", msg="; ".join(error_text(lang, e) for e in errs)))
        return None
