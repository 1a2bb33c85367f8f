"""Run ahead (issue 11 point 7, ui/runs/run_ahead.py): with a plan's final figures on screen, the first
replication of every plan one judge-slider step away is queued, so a one-step move finds its
first figures already there; the plans are exactly the ones the sliders' own moves give."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpers import control, judge_slider, replications_shown
from ui.widgets import plan as P

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def _settled_page(monkeypatch, on: bool) -> AppTest:
    from ui.runs.service import scheduler

    monkeypatch.setenv("COURT_SIM_RUN_AHEAD", "1" if on else "0")
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    scheduler().wait_idle(600)
    at.run()  # the final figures: the run that queues the plans one step away
    assert not at.exception, at.exception
    return at


def _ahead_jobs() -> dict:
    from ui.runs.service import scheduler

    s = scheduler()
    with s._lock:
        return {k: j for k, j in s._jobs.items() if j.waiting_for_request}


@pytest.mark.preliminary
def test_a_one_step_move_finds_its_first_figures_run_ahead(monkeypatch):
    from ui.runs.service import cache_key, scheduler
    from ui.widgets.scenario_choices import LAST_VALID

    at = _settled_page(monkeypatch, on=True)
    # a seed no other test runs: the plans one step away from a plan another test already moved
    # (the plan bar's and the sliders' tests move the same judges) are cached in this process,
    # and a cached plan is rightly not run ahead, so it would be missing from the jobs below
    control(at, "number_input", "seed").set_value(86420).run()
    scheduler().wait_idle(600)
    at.run()
    assert not at.exception, at.exception
    ahead = {k: j for k, j in _ahead_jobs().items() if k[2] == 86420}
    teams = P.teams(at.session_state)
    # every team's slider one up and one down, less those that change nothing or are invalid
    assert len(teams) + 1 <= len(ahead) <= 2 * len(teams)
    deadline = time.monotonic() + 600
    for job in ahead.values():  # they run one at a time, when nothing else waits
        assert job.wait(1, timeout=max(1.0, deadline - time.monotonic()))
    total = sum(tm["judges"] for tm in teams)

    judge_slider(at, 1).set_value(teams[1]["judges"] + 1).run()
    assert not at.exception, at.exception
    n = control(at, "number_input", "replications").value
    assert replications_shown(at, "zh", n) >= 1   # figures in the move's own page run, no wait
    moved = P.teams(at.session_state)
    assert sum(tm["judges"] for tm in moved) == total   # the court's judges are kept: one moved
    scheduler().wait_idle(600)
    at.run()
    scn, _res = at.session_state[LAST_VALID]
    key = cache_key(scn, n, scn.seed)
    assert key in ahead, "the move's plan was not among those run ahead"
    assert not ahead[key].waiting_for_request   # the move promoted it to an ordinary run


def test_nothing_runs_ahead_when_it_is_turned_off(monkeypatch):
    from sim.analysis.run_settings import settings
    from ui.runs.service import scheduler

    at = _settled_page(monkeypatch, on=False)
    control(at, "number_input", "seed").set_value(97531).run()   # a plan nobody has seen
    scheduler().wait_idle(600)
    at.run()
    assert not at.exception, at.exception
    assert settings().flags.ran_ahead_for not in at.session_state
    assert not [k for k in _ahead_jobs() if k[2] == 97531]


def test_the_plans_one_step_away_follow_the_sliders_rules(monkeypatch):
    """Kept totals: each plan moves one judge between two teams; the team moved last comes first."""
    from sim.analysis.run_settings import settings
    from ui.widgets import controls as C

    at = _settled_page(monkeypatch, on=False)
    judge_slider(at, 2).set_value(P.teams(at.session_state)[2]["judges"] - 1).run()
    assert not at.exception, at.exception
    from ui.runs.service import scheduler

    scheduler().wait_idle(600)
    at.run()
    teams = P.teams(at.session_state)
    plans = _plans_in(at)
    assert plans, "no plan one step away"
    before = [tm["judges"] for tm in teams]
    for p in plans:
        after = [tm.judges for tm in p.teams]
        diff = [a - b for a, b in zip(after, before, strict=True)]
        assert sum(diff) == 0 and sorted(d for d in diff if d) == [-1, 1], diff
    # the first two plans move team 3's slider (the one moved last), down first, as it was moved
    first = [[a.judges - b for a, b in zip(p.teams, before, strict=True)] for p in plans[:2]]
    assert [f[2] for f in first] == [-1, 1]
    assert P.value(at.session_state, C.KEEP_TOTALS)
    assert len(plans) <= settings().run_ahead_plans


def _plans_in(at: AppTest) -> list:
    """``run_ahead.one_step_plans`` evaluated against the AppTest session's state."""
    from unittest import mock

    from ui.runs import run_ahead
    from ui.widgets import plan as P

    state = dict(at.session_state._state.filtered_state)  # the values the app's runs left
    data = P.build(state)[0]
    with mock.patch("streamlit.session_state", state):
        return run_ahead.one_step_plans(data)
