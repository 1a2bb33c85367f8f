"""The scenarios a page can pick: built-in files, saved ones and the what-if page's current settings.

One module for the three pages (what-if, comparison, advisor): the same option values
(``builtin:<file>``, ``saved:<name>``, ``current``), the same labels, and the what-if page's
plan for the other two (:func:`current_scenario`: the plan in the session, :mod:`ui.widgets.plan`, or
while it is invalid the last valid one the page showed, :data:`LAST_VALID`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import streamlit as st

from sim.model.scenario import Scenario, ScenarioError, load_scenario
from sim.store.scenario_store import StoreError

from ..i18n import LANGS, t
from . import store_panel as SP
from .plan import current_plan

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"
DEFAULT_SCENARIO = "baseline.yaml"
BUILTIN = "builtin:"
CURRENT = "current"
LAST_VALID = "_last_valid"  # (scenario, results) of the what-if page's last valid settings


@dataclass
class Choice:
    """One scenario the user can pick: its label, and either a loader or the reason it cannot load."""

    id: str
    label: str           # what the picker shows
    short: str           # the name in tables, legends and exports
    note: str = ""
    error: Optional[str] = None


def scenario_files() -> list[str]:
    """Every YAML in scenarios/ (baseline first), as file names. The scenarios for checking the
    engine (scenarios/checks/, e.g. the M/M/c queue) are not among them: they are no court."""
    names = sorted(p.name for p in SCENARIO_DIR.glob("*.yaml"))
    if DEFAULT_SCENARIO in names:
        names.remove(DEFAULT_SCENARIO)
        names.insert(0, DEFAULT_SCENARIO)
    return names


@st.cache_data(show_spinner=False, max_entries=64)
def _scenario_titles(name: str, mtime: float) -> dict[str, str]:
    try:
        scn = load_scenario(SCENARIO_DIR / name)
    except ScenarioError:
        return {lang: name for lang in LANGS}
    return {lang: scn.name_in(lang) for lang in LANGS}


def scenario_title(name: str, lang: str) -> str:
    """A built-in scenario file's name in ``lang`` (its file name if it does not load)."""
    p = SCENARIO_DIR / name
    return _scenario_titles(name, p.stat().st_mtime if p.exists() else 0.0)[lang]


def choices(lang: str, readable_only: bool = False) -> dict[str, Choice]:
    """Built-in scenarios, then saved ones, then the what-if page's current settings (if valid).

    Unreadable saved files are listed with the reason (``error``) unless ``readable_only``.
    """
    out: dict[str, Choice] = {}
    for f in scenario_files():
        name = scenario_title(f, lang)
        out[BUILTIN + f] = Choice(BUILTIN + f, t(lang, "pick.opt.builtin", name=name), name)
    try:
        entries = SP.store().list()
    except (OSError, StoreError):  # an unreachable shared folder must not break the page
        entries = []
    for e in entries:
        if readable_only and not e.ok:
            continue
        key = SP.SAVED_PREFIX + e.name
        label = t(lang, "pick.opt.saved" if e.ok else "pick.opt.saved_bad", name=e.name)
        out[key] = Choice(key, label, e.name, note=e.note, error=None if e.ok else SP.entry_error(lang, e))
    cur = current_scenario()
    if cur is not None:
        out[CURRENT] = Choice(CURRENT, t(lang, "pick.opt.current", name=cur.name_in(lang)),
                              t(lang, "pick.current_label", name=cur.name_in(lang)))
    return out


def current_scenario() -> Optional[Scenario]:
    """The what-if page's plan: as it is now, or while it is invalid the last valid one the
    page showed (None before the what-if page has a plan)."""
    cur = current_plan(st.session_state)
    if cur is not None:
        return cur
    last = st.session_state.get(LAST_VALID)
    return None if last is None else last[0]


def load_choice(choice_id: str) -> Scenario:
    """The scenario behind an option value; raises ScenarioError / StoreError with the reason."""
    if choice_id.startswith(BUILTIN):
        return load_scenario(SCENARIO_DIR / choice_id[len(BUILTIN):])
    if SP.is_saved(choice_id):
        return SP.store().load(SP.saved_name(choice_id))
    cur = current_scenario()
    if cur is None:
        raise KeyError(choice_id)
    return cur
