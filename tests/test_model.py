"""Model-level checks: flow balance, Little's law, determinism, common random numbers, and
each vectorised figure against a slow scalar recomputation from the records."""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from helpers import scenario
from sim.analysis.results import paired_difference, unpaired_difference
from sim.analysis.runner import run
from sim.model import rules
from sim.model.caseflow import simulate
from sim.model.figures import replication_figures
from sim.model.prepared import prepare
from sim.model.scenario import add_months


@pytest.fixture(scope="module")
def baseline():
    return scenario("baseline")


@pytest.fixture(scope="module")
def baseline_results(baseline):
    return run(baseline, replications=12, workers=2)


VARIANTS = {
    "baseline": {},
    "weak-court": {},
    "least-loaded-edf-warmup": {"assignment": "least_loaded", "queue_discipline": "edf", "warmup_days": 60},
    "freeze-and-push": {"demand.year_end_freeze_from_day": 20, "calendar.push_months": "[12]",
                        "calendar.push_factor": 1.2},
    "pooled": {"docket.mode": "pooled", "hearings": "null"},
    "dockets-hearings-hand-over": {
        "docket.mode": "lightest", "docket.specialised": "true", "hearings": "{}",
        "teams.0.changes": "[{start: 2025-03-01, end: 2025-08-31, judges: 2}, {start: 2025-05-01, judges: -1}]",
        "teams.1.changes": "[{start: 2025-02-01, judges: -5}, {start: 2025-04-01, judges: 2}]"},
    "random-dockets-edf": {"docket.mode": "random", "queue_discipline": "edf", "hearings": "{}"},
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_flow_balance_exact_in_every_replication(variant: str) -> None:
    name = "weak-court" if variant == "weak-court" else "baseline"
    scn = scenario(name, **VARIANTS[variant])
    res = run(scn, replications=4, workers=1)
    s = res.summary_reps
    lhs = res.pending_start_reps + s["filed"]
    rhs = s["closed"] + s["pending_end"]
    assert np.array_equal(lhs, rhs), f"initial pending + filed != closed + pending: {lhs} vs {rhs}"
    # monthly: pending carries over month to month
    pend = res.monthly_reps["pending_end"]
    filed, closed = res.monthly_reps["filed"], res.monthly_reps["closed"]
    prev = np.concatenate([res.pending_start_reps[:, None], pend[:, :-1]], axis=1)
    assert np.array_equal(prev + filed, closed + pend)


def test_littles_law_on_the_baseline() -> None:
    """L = λW: time-average pending = filing rate × mean time in court.

    A year of warm-up lets the carried-over caseload clear. W is measured on the cases filed
    in the first two of the three reported years, whose time in court is (all but) complete;
    using every filing would cut the last year's stays short at the horizon.
    """
    # 2023-2026: within the years the holiday calendar knows (later years have more working
    # days, so shorter stays, and no steady state across the change)
    scn = scenario("baseline", warmup_days=365, horizon_months=36, start_date="2024-01-01")
    p = prepare(scn)
    for rep in range(2):
        r = simulate(p, rep)
        f = replication_figures(p, r)["summary"]
        a, b = p.month_edges[0], p.month_edges[-1]
        lam = ((r.file_t >= a) & (r.file_t < b)).sum() / (b - a)
        cohort = (r.file_t >= a) & (r.file_t < b - 365)
        w = (np.minimum(r.end_t[cohort], b) - r.file_t[cohort]).mean()
        assert f["pending_avg"] == pytest.approx(lam * w, rel=0.03)


def test_same_seed_same_results_serial_and_parallel(baseline) -> None:
    a = run(baseline, replications=4, workers=1)
    b = run(baseline, replications=4, workers=2)
    c = run(baseline, replications=4, workers=2)
    for k in a.summary_reps:
        assert np.array_equal(a.summary_reps[k], b.summary_reps[k], equal_nan=True), k
        assert np.array_equal(b.monthly_reps[k], c.monthly_reps[k], equal_nan=True), k
    d = run(baseline, replications=4, seed=baseline.seed + 1, workers=1)
    assert not np.array_equal(a.summary_reps["closed"], d.summary_reps["closed"])


def test_paired_difference_is_much_narrower_than_unpaired(baseline, baseline_results) -> None:
    # nearly equal plans: one more assistant in a complex-case team
    plus = scenario("baseline", **{"teams.4.assistants": baseline.teams[4].assistants + 1})
    res = run(plus, replications=12, workers=2)
    for fig, max_ratio in (("within_limit_rate", 0.25), ("disposition_days_mean", 0.5), ("pending_avg", 0.5)):
        paired = paired_difference(res, baseline_results, fig)
        unpaired = unpaired_difference(res, baseline_results, fig)
        assert paired.mean == pytest.approx(unpaired.mean)
        ratio = (paired.ci_high - paired.ci_low) / (unpaired.ci_high - unpaired.ci_low)
        assert ratio < max_ratio, f"{fig}: paired interval {ratio:.2f} of the unpaired one"
    assert paired_difference(res, baseline_results, "disposition_days_mean").ci_high < 0
    same = paired_difference(baseline_results, baseline_results, "within_limit_rate")
    assert (same.mean, same.ci_low, same.ci_high) == (0.0, 0.0, 0.0)


def test_common_random_numbers_same_disputes(baseline) -> None:
    # a staffing change must not change the disputes, their types or their filing times
    p1 = prepare(baseline)
    p2 = prepare(scenario("baseline", **{"teams.0.judges": 9}))
    r1, r2 = simulate(p1, 3), simulate(p2, 3)
    assert np.array_equal(r1.arrival_t, r2.arrival_t)
    assert np.array_equal(r1.file_t, r2.file_t)
    assert not np.array_equal(r1.end_t, r2.end_t)


def test_more_judges_never_hurt_on_average(baseline_results) -> None:
    plus = run(scenario("baseline", **{"teams.0.judges": scenario("baseline").teams[0].judges + 1}),
               replications=12, workers=2)
    assert paired_difference(plus, baseline_results, "within_limit_rate").mean >= 0
    assert paired_difference(plus, baseline_results, "wait_days_mean").ci_high < 0


def test_mediation_figures_match_parameters() -> None:
    scn = scenario("baseline", **{"mediation.share_offered": 0.5, "mediation.success_rate": 0.6})
    res = run(scn, replications=6, workers=1)
    s = res.summary()
    assert s["mediation_diversion_rate"].mean == pytest.approx(0.5, abs=0.01)
    assert s["mediation_success_rate"].mean == pytest.approx(0.6, abs=0.015)
    assert s["mediation_resolution_share"].mean == pytest.approx(0.3, abs=0.015)
    # filings = disputes − resolved, up to those still in mediation at the edges
    expect = s["disputes"].mean * (1 - 0.3)
    assert s["filed"].mean == pytest.approx(expect, rel=0.01)


def test_no_mediation_means_every_dispute_is_filed() -> None:
    scn = scenario("baseline", **{"mediation.share_offered": 0.0})
    res = run(scn, replications=2, workers=1)
    assert np.array_equal(res.summary_reps["filed"], res.summary_reps["disputes"])
    assert np.all(res.summary_reps["mediation_resolution_share"] == 0)


def test_vectorised_figures_match_scalar_rules(baseline) -> None:
    """Within-limit, extension, disposition and overdue figures recomputed case by case."""
    p = prepare(baseline)
    r = simulate(p, 5)
    f = replication_figures(p, r)
    a, b = p.month_edges[0], p.month_edges[-1]
    procs = baseline.procedures
    within = ext = 0
    disp = []
    closed_idx = np.flatnonzero((r.end_t > a) & (r.end_t <= b))
    for i in closed_idx:
        filed = p.origin + dt.timedelta(days=math.floor(r.file_t[i]))
        closed = p.origin + dt.timedelta(days=math.ceil(r.end_t[i]) - 1)
        proc = procs[p.proc_names[r.proc[i]]]
        within += rules.within_limit(filed, closed, proc, r.excluded[i])
        ext += rules.needs_extension(filed, closed, proc, r.excluded[i]) and rules.has_extension(proc)
        disp.append((closed - filed).days)
    n = len(closed_idx)
    s = f["summary"]
    assert s["closed"] == n
    assert s["within_limit_rate"] == pytest.approx(within / n, abs=1e-12)
    assert s["extension_rate"] == pytest.approx(ext / n, abs=1e-12)
    assert s["disposition_days_mean"] == pytest.approx(np.mean(disp))
    assert s["disposition_days_p90"] == pytest.approx(np.percentile(disp, 90))
    # overdue pending at the end of the horizon: clock on the last day past the extended limit
    last = p.origin + dt.timedelta(days=int(b) - 1)
    overdue = 0
    for i in np.flatnonzero((r.file_t < b) & (r.end_t > b)):
        filed = p.origin + dt.timedelta(days=math.floor(r.file_t[i]))
        proc = procs[p.proc_names[r.proc[i]]]
        excl = min(max(b - r.file_t[i], 0), r.excluded[i])
        limit = rules.allowed_days(filed, proc, rules.has_extension(proc))
        overdue += rules.clock_days(filed, last, excl) > limit
    assert s["overdue_pending_end"] == overdue


def test_long_pending_counts_cases_older_than_twelve_months() -> None:
    scn = scenario("weak-court")
    p = prepare(scn)
    r = simulate(p, 0)
    f = replication_figures(p, r)
    b = p.month_edges[-1]
    last = p.origin + dt.timedelta(days=int(b) - 1)
    cutoff = add_months(last, -12)                           # 31 Dec 2025 for 31 Dec 2026
    n = sum(1 for i in np.flatnonzero((r.file_t < b) & (r.end_t > b))
            if p.origin + dt.timedelta(days=math.floor(r.file_t[i])) < cutoff)
    assert f["summary"]["long_pending_end"] == n
    assert f["monthly"]["long_pending_end"][-1] == n
    assert f["age_profile"].sum() == f["summary"]["pending_end"]


def test_long_pending_ages_end_on_the_same_date_twelve_months_before() -> None:
    """Ages are counted on each month's last day, and "older than 12 months" follows the
    statutory limits' month rule (the same date, or the month's last day where it does not
    exist). From January 2025: 31 Jan 2024 to 31 Jan 2025 is 366 days (2024 is a leap year),
    28 Feb 2024 to 28 Feb 2025 366, 31 Mar 2024 to 31 Mar 2025 365. From January 2028: 365,
    then 28 Feb 2027 to 29 Feb 2028 (no 29 February 2027) 366, and 366. Before, the 12 months
    ran back from the next month's first day: 1 March 2024 to 1 March 2025 is 365 days, so a case
    filed on 28 February 2024, exactly 12 months before 28 February 2025, counted as long-pending."""
    for start, want in ((dt.date(2025, 1, 1), [366, 366, 365]), (dt.date(2028, 1, 1), [365, 366, 366])):
        p = prepare(scenario("baseline", start_date=start.isoformat(), horizon_months=3))
        assert p.long_pending_days.tolist() == want, start


def test_utilisation_and_closures_per_judge_by_formula() -> None:
    # one judge, deterministic 4-hour cases at 8 hours a day, every day a working day:
    # each judge-day closes exactly 2 cases when busy
    scn = scenario("mmc-check", **{"teams.0.judges": 1, "case_types.0.effort": "{dist: deterministic, mean: 4}",
                                   "demand.disputes_per_year": 365.25, "warmup_days": 0, "horizon_months": 12})
    res = run(scn, replications=3, workers=1)
    s = res.summary()
    # load = 1 case/day × 0.5 day = 0.5
    assert s["judge_utilisation"].mean == pytest.approx(0.5, abs=0.02)
    days = (scn.end_date - scn.start_date).days
    assert s["closures_per_judge"].mean == pytest.approx(s["closed"].mean * 365.25 / days, rel=1e-9)


def test_working_calendar_only_weekdays() -> None:
    # a case of 13 judge hours (two 6.5-hour days) ready on a Friday ends on Monday evening
    from sim.model.scenario import Calendar
    from sim.model.workcalendar import WorkClock, hours_per_day

    cal = Calendar(hours_per_day=6.5)
    origin = dt.date(2025, 3, 7)     # a Friday
    clock = WorkClock(hours_per_day(cal, origin, 30))
    assert clock.finish(0.0, 13.0) == pytest.approx(4.0)   # Fri, (Sat, Sun off), Mon → end of Monday
    assert clock.finish(0.0, 6.5) == pytest.approx(1.0)
    assert clock.finish(1.5, 3.25) == pytest.approx(3.5)   # starts Saturday: work from Monday 0:00


def test_rates_and_team_figures_recomputed_from_records() -> None:
    """Clearance, closure (结案率, cumulative within the year), long-pending share, median
    disposition and per-team closures, recomputed directly from one replication's records."""
    scn = scenario("weak-court", horizon_months=15)       # crosses a calendar year
    p = prepare(scn)
    r = simulate(p, 2)
    f = replication_figures(p, r)
    m = f["monthly"]
    e = p.month_edges

    def closed_in(a, b):
        return int(((r.end_t > a) & (r.end_t <= b)).sum())

    def filed_in(a, b):
        return int(((r.file_t >= a) & (r.file_t < b)).sum())

    def pending_at(b):
        return int(((r.file_t < b) & (r.end_t > b)).sum())

    for k in range(len(e) - 1):
        assert m["clearance_rate"][k] == pytest.approx(closed_in(e[k], e[k + 1]) / filed_in(e[k], e[k + 1]))
    # 2025: from 1 January; the next year starts again at January 2026 (month index 12)
    jan = e[12]
    assert m["closure_rate"][11] == pytest.approx(closed_in(e[0], e[12]) / (pending_at(e[0]) + filed_in(e[0], e[12])))
    assert m["closure_rate"][14] == pytest.approx(closed_in(jan, e[15]) / (pending_at(jan) + filed_in(jan, e[15])))
    assert m["long_pending_share"][-1] == pytest.approx(m["long_pending_end"][-1] / m["pending_end"][-1])
    closed = (r.end_t > e[0]) & (r.end_t <= e[-1])
    disp = (np.ceil(r.end_t[closed]) - 1) - np.floor(r.file_t[closed])
    assert f["summary"]["disposition_days_median"] == pytest.approx(np.median(disp))
    assert f["teams"]["closed"].sum() == f["summary"]["closed"]


def _overdue_on_first_day(p, r) -> int:
    """Carried-over cases whose clock on the first day is past their extended limit (scalar rules)."""
    procs = p.scenario.procedures
    first = p.origin
    n = 0
    for i in np.flatnonzero(r.initial):
        filed = p.origin + dt.timedelta(days=math.floor(r.file_t[i]))
        proc = procs[p.proc_names[r.proc[i]]]
        excl = min(max(-r.file_t[i], 0), r.excluded[i])
        n += rules.clock_days(filed, first, excl) > rules.allowed_days(filed, proc, rules.has_extension(proc))
    return n


@pytest.mark.parametrize("name", ["baseline", "weak-court", "weak-court-restaffing"])
def test_carried_over_cases_start_within_their_limit_unless_said(name: str) -> None:
    scn = scenario(name)
    p = prepare(scn)
    r = simulate(p, 0)
    said = sum(g.overdue for g in scn.initial_pending.groups)
    assert _overdue_on_first_day(p, r) == said


def test_carried_over_groups_by_procedure_with_overdue_count() -> None:
    groups = ("[{track: simple, procedure: small_claims, share: 0.25, "
              "age_profile: [{max_months: 1, share: 1.0}]}, "
              "{track: simple, procedure: simple, share: 0.75, overdue: 40}, "
              "{track: complex, procedure: ordinary, share: 1.0, overdue: 7}]")
    scn = scenario("baseline", **{"initial_pending.groups": groups, "initial_pending.simple": 1200,
                                  "initial_pending.complex": 1000})
    p = prepare(scn)
    r = simulate(p, 0)
    ini = r.initial
    proc = np.array(p.proc_names)[r.proc[ini]]
    assert (proc == "small_claims").sum() == 300 and (proc == "simple").sum() == 900
    assert (proc == "ordinary").sum() == 1000
    # the small-claims group's own profile: all younger than one month
    assert np.all(-r.file_t[ini][proc == "small_claims"] <= 30.4375 + 1e-9)
    assert _overdue_on_first_day(p, r) == 47


def test_carried_over_overdue_cannot_exceed_the_group() -> None:
    from sim.model.scenario import ScenarioError

    with pytest.raises(ScenarioError) as e:
        scenario("baseline", **{"initial_pending.groups": "[{track: complex, procedure: ordinary, share: 1, overdue: 5000}]"})
    assert e.value.errors[0].path == "initial_pending.groups.0.overdue"


def test_warnings_team_without_judges_and_calendar_end() -> None:
    """A team with no judges that receives cases is never 'target met' silently; a horizon past
    the public-holiday calendar says the model falls back to weekdays."""
    from sim.model.workcalendar import public_calendar_years

    scn = scenario("baseline", **{"teams.0.judges": 0, "start_date": f"{public_calendar_years()[-1]}-07-01",
                                  "horizon_months": 12})
    res = run(scn, replications=2, workers=1)
    codes = {w["code"]: w["params"] for w in res.warnings}
    assert codes["team_without_judges"]["team"] == scn.teams[0].name
    assert codes["horizon_past_calendar"]["year"] == public_calendar_years()[-1] + 1
    tg = res.targets()["within_limit_rate"]
    assert tg["doubtful"] is True
    data = res.to_json_dict()
    assert {"code": "horizon_past_calendar", "params": {"year": public_calendar_years()[-1] + 1}} in data["warnings"]
    clean = run(scenario("mmc-check"), replications=2, workers=1)
    assert clean.warnings == []


def test_warning_team_over_capacity() -> None:
    # the M/M/c check with 2 judges for 3.2 cases a day of one judge-day each: load 1.6
    res = run(scenario("mmc-check", **{"teams.0.judges": 2}), replications=2, workers=1)
    over = [w for w in res.warnings if w["code"] == "team_over_capacity"]
    assert [w["params"]["team"] for w in over] == [res.team_names[0]]
    assert over[0]["params"]["load"] >= 0.98


def test_public_holidays_from_the_package_and_scenario_overrides() -> None:
    from sim.model.scenario import Calendar
    from sim.model.workcalendar import hours_per_day

    origin = dt.date(2026, 2, 14)          # a Saturday worked in exchange for the Spring Festival
    h = hours_per_day(Calendar(hours_per_day=6.5), origin, 12)
    assert h[0] == 6.5                      # 14 Feb 2026 (Sat) is a working day
    assert h[2] == 0.0                      # 16 Feb 2026 (Mon) is a holiday
    assert list(h[2:7]) == [0.0] * 5
    none = hours_per_day(Calendar(hours_per_day=6.5, public_holidays="none"), origin, 12)
    assert none[0] == 0.0 and none[2] == 6.5
    own = hours_per_day(Calendar(hours_per_day=6.5, holidays=[dt.date(2026, 2, 14)],
                                 extra_working_days=[dt.date(2026, 2, 16)]), origin, 12)
    assert own[0] == 0.0 and own[2] == 6.5
