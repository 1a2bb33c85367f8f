"""Staffing changes over time: dated changes, secondments that end, ramp-up of new judges.

A saturated single team with deterministic one-day cases (8 judge-hours at 8 hours a day,
every day a working day) closes exactly one case per judge per day, so capacity can be read
off the closing dates.
"""
from __future__ import annotations

import numpy as np
import pytest

from helpers import scenario
from sim.analysis.runner import run
from sim.model.caseflow import simulate
from sim.model.prepared import prepare

SATURATED = {
    "demand.disputes_per_year": 0,
    "case_types.0.effort": "{dist: deterministic, mean: 8}",
    "teams.0.judges": 2,
    "initial_pending.complex": 400,
    "warmup_days": 0,
    "horizon_months": 2,
}


def closures_per_day(changes: str, **extra) -> np.ndarray:
    scn = scenario("mmc-check", **{**SATURATED, "teams.0.changes": changes, **extra})
    p = prepare(scn)
    r = simulate(p, 0)
    ends = r.end_t[np.isfinite(r.end_t)]
    return np.bincount((np.ceil(ends) - 1).astype(int), minlength=int(p.end)), r, p


def test_no_change_constant_capacity() -> None:
    per_day, _, _ = closures_per_day("[]")
    assert np.all(per_day == 2)   # including the last day: work ending at midnight counts


def test_change_dated_day_d_applies_from_day_d_only_and_ends_when_it_says() -> None:
    # +1 judge from 11 January to 20 January inclusive (days 10..19 from 1 January)
    per_day, _, _ = closures_per_day("[{start: 2025-01-11, end: 2025-01-20, judges: 1}]")
    assert list(per_day[:10]) == [2] * 10
    assert list(per_day[10:20]) == [3] * 10
    assert list(per_day[20:40]) == [2] * 20


def test_secondment_away_and_back() -> None:
    # one of the two judges seconded away for 5 days from 6 January, then returns
    per_day, _, _ = closures_per_day("[{start: 2025-01-06, end: 2025-01-10, judges: -1}]")
    assert list(per_day[:5]) == [2] * 5
    assert list(per_day[5:10]) == [1] * 5
    assert list(per_day[10:30]) == [2] * 20


def test_ramp_up_speed_rises_as_specified() -> None:
    # a new judge from 11 January at 50 % rising linearly to 100 % over one month (30.4375 days)
    _, r, p = closures_per_day("[{start: 2025-01-11, judges: 1, ramp_up_months: 1, ramp_start_share: 0.5}]")
    d, ramp = 10.0, 30.4375
    with np.errstate(invalid="ignore"):   # inf - inf for jobs never started
        dur = r.job_end_t - r.job_start_t
    slow = np.isfinite(dur) & (dur > 1 + 1e-9)
    starts = np.sort(r.job_start_t[slow])
    # the newcomer's jobs run back to back from day 10, each lasting 1 / speed(start)
    t, expected = d, []
    while True:
        share = 0.5 + 0.5 * (t - d) / ramp
        if share >= 1:
            break
        expected.append(t)
        t += 1 / share
    assert starts[0] == pytest.approx(d)
    assert np.allclose(starts[: len(expected)], expected)
    assert len(starts) == len(expected)
    # first job at half speed takes two days
    assert dur[slow][np.argmin(r.job_start_t[slow])] == pytest.approx(2.0)


def test_assistants_added_later_reduce_effort_only_from_then() -> None:
    scn = scenario("mmc-check", **SATURATED, **{
        "teams.0.changes": "[{start: 2025-01-21, assistants: 2}]",
        "support.max_reduction": 0.5})
    p = prepare(scn)
    r = simulate(p, 0)
    with np.errstate(invalid="ignore"):   # inf - inf for jobs never started
        dur = r.job_end_t - r.job_start_t
    before = np.isfinite(dur) & (r.job_start_t < 20)
    after = np.isfinite(dur) & (r.job_start_t >= 20)
    assert np.allclose(dur[before], 1.0)
    # 2 assistants for 2 judges: reduction 0.5 × (1 − e^−1)
    assert np.allclose(dur[after], 1 - 0.5 * (1 - np.exp(-1)))


def test_flow_balance_with_staffing_changes() -> None:
    scn = scenario("baseline", **{
        "teams.0.changes": "[{start: 2025-04-01, judges: 2, assistants: 2, ramp_up_months: 3}, "
                           "{start: 2025-07-01, end: 2025-12-31, judges: -1}]",
        "teams.4.changes": "[{start: 2025-03-01, end: 2025-08-31, judges: 2, clerks: 2}]",
        "calendar.push_months": "[12]", "calendar.push_factor": 1.15})
    res = run(scn, replications=3, workers=1)
    s = res.summary_reps
    assert np.array_equal(res.pending_start_reps + s["filed"], s["closed"] + s["pending_end"])
    judges = res.team_reps["judges"][0]
    assert judges[0] > scn.teams[0].judges and judges[4] > scn.teams[4].judges


def test_year_end_push_raises_december_capacity() -> None:
    december = {**SATURATED, "horizon_months": 1, "start_date": "2025-12-01"}
    base = scenario("mmc-check", **december)
    push = scenario("mmc-check", **december, **{"calendar.push_months": "[12]", "calendar.push_factor": 1.25})
    a = run(base, replications=1, workers=1).summary()["closed"].mean
    b = run(push, replications=1, workers=1).summary()["closed"].mean
    # 10 hours a day: each judge closes 1.25 one-day cases a day, 38 whole cases in 31 days
    assert a == 62 and b == 2 * 38


def test_docket_hand_over_when_a_judge_leaves() -> None:
    """A judge transferred out on 11 January hands the open cases to the remaining judge: every
    carried-over case still closes, one a day after the departure."""
    per_day, r, _ = closures_per_day("[{start: 2025-01-11, judges: -1}]", **{
        "docket.mode": "rotation", "initial_pending.complex": 60})
    assert list(per_day[:10]) == [2] * 10
    assert list(per_day[10:50]) == [1] * 40
    assert np.isfinite(r.end_t).all()


def test_docket_new_judge_takes_cases_from_arrival_only() -> None:
    """A judge arriving on 11 January has an empty docket: the carried-over cases stay with their
    judges (a pooled team would give the newcomer a share of them at once)."""
    docket, _, _ = closures_per_day("[{start: 2025-01-11, judges: 1}]", **{"docket.mode": "lightest"})
    pooled, _, _ = closures_per_day("[{start: 2025-01-11, judges: 1}]")
    assert list(docket[:40]) == [2] * 40
    assert list(pooled[10:40]) == [3] * 30


def test_hearing_calendar_reproduces_a_hand_computed_schedule() -> None:
    """One judge, 5 slots a week over a 7-day week: Tuesday, Wednesday, Friday, Saturday and
    Sunday (slots spread as (i+1)·5//7 − i·5//7 over Monday..Sunday). Eight cases ready on
    Wednesday 1 January 2025 with nothing to wait for are heard one per slot day in filing
    order, and each is drafted (0.8 h) and closed the same day."""
    scn = scenario("mmc-check", **{
        "demand.disputes_per_year": 0, "teams.0.judges": 1, "initial_pending.complex": 8,
        "initial_pending.age_profile": "[{max_months: 0.01, share: 1}]",
        "case_types.0.effort": "{dist: deterministic, mean: 0.8}",
        "docket.mode": "rotation", "warmup_days": 0, "horizon_months": 1,
        "hearings": "{slots_per_week: 5, slot_hours: 4, notice_days: 0, clerk_extra_slots: 0, "
                    "procedures: {ordinary: {service_days: {dist: deterministic, mean: 0}, answer_days: 0, "
                    "evidence_days: 0, adjournment_rate: 0, panel: false}}}",
    })
    p = prepare(scn)
    r = simulate(p, 0)
    # days from 1 Jan (Wed): Wed 0, Fri 2, Sat 3, Sun 4, Tue 6, Wed 7, Fri 9, Sat 10
    close_day = np.sort(np.ceil(r.end_t) - 1)
    assert list(close_day) == [0, 2, 3, 4, 6, 7, 9, 10]
    assert list(r.hearings) == [1] * 8
    # 0.8 h of drafting at a desk share of 1 − 5·4 / (7·8) = 0.643: 1.244 clock hours after midday
    assert np.allclose(np.sort(r.end_t) - close_day, 0.5 + 0.8 / (1 - 20 / 56) / 8)


def test_adjournments_repeat_hearings_as_drawn() -> None:
    """With an adjournment chance of 0.5 and at most three hearings, a case has
    1 + 0.5 + 0.25 = 1.75 hearings on average."""
    scn = scenario("mmc-check", **{
        "docket.mode": "random", "horizon_months": 12, "warmup_days": 0, "demand.disputes_per_year": 400,
        "hearings": "{procedures: {ordinary: {adjournment_rate: 0.5, max_hearings: 3}}}"})
    p = prepare(scn)
    r = simulate(p, 0)
    early = r.file_t < 180                   # filed in the first half: all heard to the end
    assert np.isfinite(r.end_t[early]).all()
    assert r.hearings[early].mean() == pytest.approx(1.75, abs=0.08)
    assert r.hearings.max() == 3


def test_staff_per_team_per_month_is_a_model_output() -> None:
    # 2 judges; a third from 11 January at 50 % speed rising to 100 % over one month; one
    # assistant seconded away for February only
    scn = scenario("mmc-check", **SATURATED, **{
        "teams.0.assistants": 2,
        "teams.0.changes": "[{start: 2025-01-11, judges: 1, ramp_up_months: 1, ramp_start_share: 0.5},"
                           " {start: 2025-02-01, end: 2025-02-28, assistants: -1}]"})
    res = run(scn, replications=1, workers=1)
    jan, feb = res.staffing
    assert (jan["team"], jan["month"], feb["month"]) == (scn.teams[0].name, "2025-01", "2025-02")
    # January: 10 days with 2 judges, 21 with 3
    assert jan["judges"] == pytest.approx(2 + 21 / 31)
    # capacity: the newcomer counts at their speed in the middle of each day
    ramp = 30.4375
    speed = [min(1.0, 0.5 + 0.5 * (k - 10 + 0.5) / ramp) for k in range(10, 31)]
    assert jan["judge_capacity"] == pytest.approx(2 + sum(speed) / 31)
    speed_feb = [min(1.0, 0.5 + 0.5 * (k - 10 + 0.5) / ramp) for k in range(31, 59)]
    assert feb["judges"] == 3 and feb["judge_capacity"] == pytest.approx(2 + sum(speed_feb) / 28)
    assert (jan["assistants"], feb["assistants"]) == (2, 1)
    # the judges are those the simulation used, and the JSON output carries the rows
    p = prepare(scn)
    assert jan["judges"] == pytest.approx(np.mean(p.team_judges_day[0, 0:31]))
    assert res.to_json_dict()["staffing"] == res.staffing
