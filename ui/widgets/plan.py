"""The what-if plan in the session: one object, from which the plan's controls are drawn.

Why: Streamlit forgets a widget's value at the end of a run that does not draw it, and in
1.67 a widget drawn again after that starts from its default even when its value was written
back through session state in an earlier run (a number input at its minimum, a judge slider at
0: after 推演 → 配置建议 → 推演 the sliders showed 0 while the team table showed 7/8/6). So the
plan lives in one place, ``st.session_state[PLAN]``, which no widget owns:

- every control of the plan is drawn from it, with the plan's value as its ``value=``, under a
  key that changes whenever the plan's value is not the one the control holds
  (:func:`key_to_draw`); nothing is written into a widget's key, so a control always shows the
  plan, whatever Streamlit did to its state;
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
from typing import Any, Iterable, MutableMapping, Optional

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


GENS = "_control_gens"   # {control key: how many times it was drawn anew}


def control_key(state: MutableMapping, key: str) -> str:
    """The widget key control ``key`` is drawn under now (``key`` itself until the plan first
    gives it a value it did not set: :func:`key_to_draw`)."""
    gen = int((state.get(GENS) or {}).get(key, 0))
    return key if gen == 0 else f"{key}__{gen}"


def key_to_draw(state: MutableMapping, key: str, value: Any) -> str:
    """The widget key to draw control ``key`` under, with ``value`` (the plan's) as its ``value=``.

    Why: a value written into a widget's key through session state (Streamlit's way to set
    one) did not always reach the browser in Streamlit 1.67. When the run that carried it was
    cut short by the next, the browser drew the control from a later run's message, whose value
    is the widget's default: the number inputs at their minimums, which the browser then sent
    back with the user's next edit (a team-table edit turned a three-month run of 14,300 filings
    into a one-month run of none), and judge sliders that showed 4 while their keyboard state
    stayed at 0. So nothing is written into a widget: each control is drawn with the plan's
    value as its ``value=``, and under a new key whenever the plan's value is not the one the
    control holds (a load, a reset, a link, another control's move). A value the browser sends
    for an old key is no control's (:func:`taken`). The key stays while the control shows what
    the user set on it, so typing or moving it keeps its focus.
    """
    drawn = control_key(state, key)
    held = _held(state, drawn)
    if held is _NOTHING or _same(held, value):
        return drawn
    gens = dict(state.get(GENS) or {})
    gens[key] = int(gens.get(key, 0)) + 1
    state[GENS] = gens
    return control_key(state, key)


def redraw(state: MutableMapping, keys: Iterable[str]) -> None:
    """Draw the controls ``keys`` anew in the next run, e.g. to word their options in a new
    language (a keyed choice box otherwise keeps showing the option as it was worded)."""
    gens = dict(state.get(GENS) or {})
    for k in keys:
        gens[k] = int(gens.get(k, 0)) + 1
    state[GENS] = gens


def taken(state: MutableMapping, key: str, drawn: str) -> bool:
    """Whether control ``key``'s widget drawn under ``drawn`` is the one on screen, with a value
    (else the value came for a drawing the plan has replaced: it is no change)."""
    return drawn == control_key(state, key) and _held(state, drawn) is not _NOTHING


_NOTHING = object()


def _held(state: MutableMapping, key: str) -> Any:
    try:
        return state[key] if key in state else _NOTHING
    except KeyError:
        return _NOTHING


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) \
            and not isinstance(a, bool) and not isinstance(b, bool):
        return float(a) == float(b)
    try:
        return type(a) is type(b) and bool(a == b)
    except (TypeError, ValueError):
        return False


def keep(key: str, drawn: Optional[str] = None) -> None:
    """A control's ``on_change`` (drawn under ``drawn``, by default ``key``): its new value
    becomes the plan's."""
    s = st.session_state
    drawn = drawn or key
    if PLAN in s and taken(s, key, drawn):
        set_value(s, key, s[drawn])
