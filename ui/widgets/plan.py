"""The what-if plan in the session: one object, from which the plan's controls are drawn.

Why: Streamlit forgets a widget's value at the end of a run that does not draw it, and in
1.67 a widget drawn again after that starts from its default even when its value was written
back through session state in an earlier run (a number input at its minimum, a judge slider at
0: after 推演 → 配置建议 → 推演 the sliders showed 0 while the team table showed 7/8/6). So the
plan lives in one place, ``st.session_state[PLAN]``, which no widget owns:

- every control of the plan is drawn from it: :func:`show` writes each control's value into its
  widget key in the run that draws it, before it is drawn (Streamlit's documented way to set a
  widget's value), so a control always shows the plan, whatever Streamlit did to its state;
  the judge sliders, whose values so written the browser did not always adopt, are instead
  drawn with the plan's value under a new key whenever it is not the one they hold
  (:func:`judge_slider_to_draw`);
- every control writes a new value back in its ``on_change`` callback (:func:`keep`), which runs
  before the script, so the run that follows a change already builds the changed plan;
- loading a scenario, a saved plan, a link or a training exercise, and "restore", replace it
  (:func:`load`); switching pages, opening the advisor or the comparison, typing a plan's name,
  or any widget not being drawn cannot change it.

The object: ``{"values": {control key: value as the control shows it}, "teams": [team rows],
"profile": [12 monthly weights]}``. The values include the keep-totals switch, where moved staff
come from, and a training group's date choices; the team rows carry the judges (the sliders are
drawn from them), assistants, clerks and dated changes. The loaded scenario (the reference) is
kept beside it, under :data:`ui.widgets.controls.LOADED`.
"""
from __future__ import annotations

import copy
from typing import Any, MutableMapping, Optional

import streamlit as st

from sim.model.errors import FieldError, field_error
from sim.model.scenario import Scenario, ScenarioError, scenario_from_dict

from . import controls as C

PLAN = "_plan"
SIMPLE_SHARE = "simple_share"   # the triage slider: drawn from the case types' shares, not stored
PICKER = "scenario_file"        # the scenario picker: drawn from the file loaded
LOADED_FILE = "_loaded_file"


# --- reading and writing the plan ---------------------------------------------------------------

def plan(state: MutableMapping) -> dict:
    """The plan object (KeyError before a scenario is loaded)."""
    return state[PLAN]


def teams(state: MutableMapping) -> list[dict]:
    """The plan's team rows (the team table and the judge sliders are drawn from them)."""
    p = state.get(PLAN)
    return p["teams"] if p is not None else []


def set_teams(state: MutableMapping, rows: list[dict]) -> None:
    """Make ``rows`` the plan's teams."""
    state[PLAN] = {**state[PLAN], "teams": rows}


def value(state: MutableMapping, key: str, default: Any = None) -> Any:
    """The plan's value for control ``key`` (``default`` when it has none)."""
    p = state.get(PLAN)
    return default if p is None else p["values"].get(key, default)


def set_value(state: MutableMapping, key: str, v: Any) -> None:
    """Set the plan's value for control ``key`` (the control shows it from the next run on)."""
    p = state[PLAN]
    state[PLAN] = {**p, "values": {**p["values"], key: v}}


def profile(state: MutableMapping) -> list[Any]:
    """The plan's monthly filing profile (12 weights; a blank cell is None)."""
    return list(state[PLAN]["profile"])


def set_profile(state: MutableMapping, weights: list[Any]) -> None:
    """Make ``weights`` the plan's monthly filing profile."""
    state[PLAN] = {**state[PLAN], "profile": list(weights)}


def load(state: MutableMapping, data: dict) -> None:
    """Make ``data`` (a valid scenario's plain data) the loaded scenario and the plan."""
    old = state.get(C.LOADED)
    if old:
        for sp in C.specs_for(old):  # drop the controls of case types / procedures the new one lacks
            state.pop(sp.key, None)
    state[C.LOADED] = copy.deepcopy(data)
    values = {sp.key: C.to_widget(sp, C._get(data, sp.path)) for sp in C.specs_for(data)}
    values[C.KEEP_TOTALS] = True   # a loaded plan's establishment is what the court has
    values[C.TAKE_FROM] = C.PROPORTIONAL
    state[PLAN] = {"values": values, "teams": C.teams_from_data(data),
                   "profile": [float(x) for x in data["demand"]["monthly_profile"]]}
    state[C.LOAD_GEN] = int(state.get(C.LOAD_GEN, 0)) + 1


def build(state: MutableMapping) -> tuple[dict, list[FieldError]]:
    """The plan's plain scenario data, and errors found before validation (a date that is not one)."""
    base = state[C.LOADED]
    p = state[PLAN]
    data = copy.deepcopy(base)
    pre: list[FieldError] = []
    for sp in C.specs_for(base):
        if sp.key not in p["values"]:
            continue
        val, bad = C.from_widget(sp, p["values"][sp.key])
        if bad is not None:
            pre.append(field_error(sp.dotted, "date_invalid", bad))
            continue
        C._set(data, sp.path, val)
    data["demand"]["monthly_profile"] = [None if x is None else float(x) for x in p["profile"]]
    data["teams"] = C.team_data(p["teams"])
    return data, pre


def current_data(state: MutableMapping) -> dict:
    """The what-if plan's plain data as it is now (may be invalid)."""
    return build(state)[0]


def current_plan(state: MutableMapping) -> Optional[Scenario]:
    """The plan on the what-if page now, as a scenario; None when no scenario is loaded yet or
    the plan is invalid (the page then says what to change). For pages that start from it (the
    advisor, the comparison's "current settings")."""
    if PLAN not in state or C.LOADED not in state:
        return None
    data, pre = build(state)
    if pre:
        return None
    try:
        return scenario_from_dict(data)
    except ScenarioError:
        return None


# --- the controls ------------------------------------------------------------------------------

SLIDER_GENS = "_judge_slider_gens"  # {team index: the drawing of its judge slider now on screen}


def judge_slider_key(state: MutableMapping, i: int) -> str:
    """Session key of team ``i``'s judge slider as it is now on screen."""
    return C.judge_key(i, int((state.get(SLIDER_GENS) or {}).get(i, 0)))


def judge_slider_to_draw(state: MutableMapping, i: int, judges: int) -> str:
    """The key to draw team ``i``'s judge slider under, showing ``judges`` (the plan's).

    Why a new key whenever the slider must show a value it did not send itself: a judge
    slider's value written through session state was not always adopted by the browser in
    Streamlit 1.67 (after loading a saved plan or joining a training group the slider kept its
    old position, or showed the plan's value while its keyboard state stayed at 0, so → set 1).
    A slider drawn under a new key starts at ``value=``, and a value sent for the old key is no
    longer any control's. The key stays while the slider shows what the user set on it, so
    moving it by keyboard or by hand keeps its focus.
    """
    gens = dict(state.get(SLIDER_GENS) or {})
    key = judge_slider_key(state, i)
    held = _held(state, key)
    if held is _NOTHING or not _same(held, int(judges)):
        gens[i] = int(gens.get(i, 0)) + 1
        state[SLIDER_GENS] = gens
        key = C.judge_key(i, gens[i])
    return key


def simple_share_pct(state: MutableMapping) -> float:
    """The triage slider's value: the simple track's share of case types, in per cent (0-100;
    while the shares do not add up to 100 % their sum can pass 100, which the slider cannot show)."""
    loaded = state[C.LOADED]
    vals = state[PLAN]["values"]
    total = 0.0
    for i, _ct in enumerate(loaded.get("case_types") or []):
        if vals.get(f"ct_{i}_track") == "simple":
            total += float(vals.get(f"ct_{i}_share") or 0.0)
    return round(min(100.0, max(0.0, total)), 4)


def show(state: MutableMapping) -> None:
    """Write the plan into its controls' widget keys: call in every run that draws them, before
    the first is drawn (writing a widget's key after it is drawn is an error in Streamlit).

    Only what differs from the plan is written: a value written through session state is sent
    to the browser as one it must adopt, and sent in every run it would undo a move the browser
    made since the run began (two quick presses of → on a slider ended one step short). What a
    control held before it was written is remembered until a page run completes (:func:`echo`).
    """
    p = state.get(PLAN)
    if p is None:
        return
    want = dict(p["values"])
    want[SIMPLE_SHARE] = simple_share_pct(state)
    if LOADED_FILE in state:
        want[PICKER] = state[LOADED_FILE]
    before = dict(state.get(SENT) or {})
    for k, v in want.items():
        had = _held(state, k)
        if had is not _NOTHING and _same(had, v):
            continue
        state[k] = v
        if had is not _NOTHING:
            before.setdefault(k, had)
    state[SENT] = before


_NOTHING = object()
SENT = "_plan_written_over"   # {control key: what it held before show() wrote the plan's value}


def _held(state: MutableMapping, key: str) -> Any:
    try:
        return state[key] if key in state else _NOTHING
    except KeyError:
        return _NOTHING


def _same(a: Any, b: Any) -> bool:
    try:
        return type(a) is type(b) and bool(a == b)
    except (TypeError, ValueError):
        return False


def _fragment_run() -> bool:
    """Whether this script run is one fragment's rather than the whole page's."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def echo(state: MutableMapping, key: str) -> bool:
    """Whether the value control ``key`` brings is only the one it held before the page wrote
    the plan's into it, sent again by a browser that has not seen the new one yet.

    A page run that writes a control's value can be cut short by the next rerun before the
    browser receives it (Streamlit drops a run's unsent messages when the next run starts). The
    browser then sends the old value with its next rerun, and Streamlit, which recorded the new
    one, calls the control's ``on_change``: one quick move after another on a control whose
    value another control's move changes undid the move (the judge sliders, which this broke
    first, are now drawn under a new key instead: :func:`judge_slider_to_draw`). Such a value is no change; one the user sets after a run has completed
    (and the browser has been shown the new value) is.

    A value that comes with a fragment's run (a timer's, such as a training group's watch for
    the trainer's reveal every few seconds) is never a move either: moving a control outside a
    fragment runs the whole page. The fragment's run brought the browser's copy from before a
    move just made, and applying it moved a group's judge back behind its back."""
    if _fragment_run():
        return True
    before = state.get(SENT) or {}
    return key in before and _same(_held(state, key), before[key])


def settled(state: MutableMapping) -> None:
    """A page run has completed: the browser has been sent every value :func:`show` wrote."""
    state.pop(SENT, None)


def keep(key: str) -> None:
    """A control's ``on_change``: its new value becomes the plan's (unless it is an :func:`echo`)."""
    s = st.session_state
    if PLAN in s and key in s and not echo(s, key):
        set_value(s, key, s[key])
