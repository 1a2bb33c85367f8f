"""Run ahead: the first replication of every plan one judge-slider step away from the one on screen.

A court leader moves a judge slider one step at a time, most of the time. Once the page shows a
plan's figures (its first ones, when few sessions wait; else its final ones), each plan one step
away (every team's slider one judge up and one down, by the same rules as the slider's own move,
the team moved last first) is queued to run its first replication ahead of the move
(:func:`ui.engine.run_ahead`). The scheduler runs such a replication only while no requested
replication waits or runs and, with two or more express workers, leaves one free for a move
that comes meanwhile. The move then finds its preliminary figures waiting, and only the rest of
its replications are still to run.

``COURT_SIM_RUN_AHEAD=0`` in the server's environment turns it off (the test suite does, except
where it tests it, so as not to spend the tests' CPU on moves nobody makes).
"""
from __future__ import annotations

import os
from typing import Optional

import streamlit as st

from sim.model.scenario import Scenario, ScenarioError, scenario_from_dict

from . import controls as C
from . import plan as P
from .engine import run_ahead
from .inputs import InputState, last_slider_move, slider_outcome

ENV = "COURT_SIM_RUN_AHEAD"
DONE = "_ran_ahead_for"   # the plan whose neighbours this session has queued (once per plan)
MAX_PLANS = 12            # per plan on screen: the scheduler keeps only the latest few anyway


def enabled() -> bool:
    """Whether the server runs ahead (on unless ``COURT_SIM_RUN_AHEAD=0``)."""
    return os.environ.get(ENV, "1").strip() != "0"


def one_step_plans(data: dict) -> list[Scenario]:
    """Every valid plan one judge-slider step from ``data`` (the plain data on screen), the team
    moved last first, in the direction it was moved; plans the move would leave unchanged, or
    that are invalid, are left out."""
    s = st.session_state
    teams = P.teams(s)
    last, way = last_slider_move() or (None, 1)
    order = sorted(range(len(teams)), key=lambda i: (i != last, i))
    plans: list[Scenario] = []
    seen = {_staff(data["teams"])}
    for i in order:
        now = int(teams[i]["judges"] or 0)
        top = int(teams[i].get("slider_max") or C.slider_max(now))
        step = way if i == last else 1
        for new in (now + step, now - step):
            if not 0 <= new <= top:
                continue
            out = slider_outcome(i, new)
            plan = dict(data, teams=C.team_data(out))
            staff = _staff(plan["teams"])
            if staff in seen:
                continue
            seen.add(staff)
            try:
                plans.append(scenario_from_dict(plan))
            except ScenarioError:  # e.g. the last judge of a track that receives cases
                continue
            if len(plans) == MAX_PLANS:  # (validating the rest would be page-run time for nothing)
                return plans
    return plans


def _staff(teams: list[dict]) -> tuple:
    return tuple((tm["judges"], tm["assistants"], tm["clerks"]) for tm in teams)


def queue(inp: InputState, scn: Optional[Scenario]) -> int:
    """Queue the plans one step from ``scn`` (the valid plan whose figures are on screen),
    once per plan and session; returns how many were queued."""
    if scn is None or not enabled():
        return 0
    from sim.analysis.runner import scenario_key

    key = scenario_key(scn)
    if st.session_state.get(DONE) == key:
        return 0
    st.session_state[DONE] = key
    # the scheduler runs the newest first: the likeliest move goes last
    return sum(run_ahead(p, p.replications, p.seed) for p in reversed(one_step_plans(inp.data)))
