"""Per-track and per-procedure time-limit figures (issue 23, point 1).

- A tiny court whose eight cases are written by hand (filing and closing dates, procedure,
  excluded days): the per-track within-limit rates and overdue counts are worked out in the
  comments below from the Civil Procedure Law's limits, and the engine's figures must match.
- Which track a procedure counts under (sim.model.tracks), including a scenario's own procedure.
- In every replication of the built-in courts: the overall rate is exactly the closed-weighted
  mix of the two track rates, the tracks' overdue counts add up, and the by-procedure counts add
  up to the totals; converted cases (简转普) count under the complex track.
"""
from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pytest

from helpers import scenario
from sim.analysis.results import Results
from sim.analysis.runner import run
from sim.model.caseflow import Records, simulate
from sim.model.figures import replication_figures
from sim.model.periods import CaseTimes
from sim.model.prepared import prepare
from sim.model.tracks import procedure_tracks

ORIGIN = dt.date(2025, 1, 1)


def _tiny(**more):
    """Baseline's court over January–February 2025 with a fourth procedure of its own:
    ``speedy`` (速裁, 1 month, no extension), used by a simple-track case type only; ``more``
    overrides settings (another period, a team's judges)."""
    return scenario("baseline", **{
        "start_date": "2025-01-01", "horizon_months": 2, "warmup_days": 0,
        "procedures.speedy": "{label_zh: 速裁, label_en: Speedy, limit_months: 1}",
        "case_types.0.procedure": "speedy",
        # carried-over cases as old as 26 months, so the limit tables reach back to late 2022
        "initial_pending.age_profile": "[{max_months: 26, share: 1.0}]",
        "initial_pending.groups": "[]",
        **more,
    })


def _day(d: dt.date) -> int:
    return (d - ORIGIN).days


# (procedure, filed, closed or None (pending at the end of February), excluded days, converted)
# and, worked out by hand, whether it closed within its limit (with the extension) or is overdue
# on 28 February. Limits with extension: small claims 2+1 months, simple 3+1, ordinary 6+6,
# speedy 1 (none).
CASES = [
    # 1. small claims, filed 1 Sep 2024, deadline 1 Dec 2024 (91 days); closed 10 Jan: 131 days, late
    ("small_claims", dt.date(2024, 9, 1), dt.date(2025, 1, 10), 0.0, False),
    # 2. simple, filed 15 Oct 2024, deadline 15 Feb 2025 (123 days); closed 20 Jan: 97 days, within
    ("simple", dt.date(2024, 10, 15), dt.date(2025, 1, 20), 0.0, False),
    # 3. converted to ordinary (简转普), filed 1 Dec 2024, deadline 1 Dec 2025; closed 10 Feb: within,
    #    and complex track although a simple team started it
    ("ordinary", dt.date(2024, 12, 1), dt.date(2025, 2, 10), 0.0, True),
    # 4. ordinary, filed 1 Dec 2023, deadline 1 Dec 2024 (366 days); closed 5 Jan 2025: 401 days, late
    ("ordinary", dt.date(2023, 12, 1), dt.date(2025, 1, 5), 0.0, False),
    # 5. ordinary, filed 5 Jan 2025, pending on 28 Feb: 54 days of 365, not overdue
    ("ordinary", dt.date(2025, 1, 5), None, 0.0, False),
    # 6. small claims, filed 1 Oct 2024, deadline 1 Jan 2025 (92 days), pending on 28 Feb: 150 days, overdue
    ("small_claims", dt.date(2024, 10, 1), None, 0.0, False),
    # 7. speedy, filed 2 Jan 2025, deadline 2 Feb (31 days); closed 20 Jan: 18 days, within (simple track)
    ("speedy", dt.date(2025, 1, 2), dt.date(2025, 1, 20), 0.0, False),
    # 8. simple, filed 20 Sep 2024, deadline 20 Jan 2025 (122 days); closed 5 Feb: 138 days less 30
    #    excluded (appraisal) = 108, within
    ("simple", dt.date(2024, 9, 20), dt.date(2025, 2, 5), 30.0, False),
]


def _records(p, cases: list = CASES) -> Records:
    n = len(cases)
    procs = np.array([p.proc_names.index(c[0]) for c in cases])
    file_t = np.array([_day(c[1]) + 0.3 for c in cases], dtype=float)
    # closing date d: the last work ends during day d (ceil(end_t) - 1 == d)
    end_t = np.array([np.inf if c[2] is None else _day(c[2]) + 0.6 for c in cases])
    simple_team, complex_team = 0, 1
    assert [t.track for t in p.scenario.teams[:2]] == ["simple", "complex"]
    team = np.array([complex_team if c[0] == "ordinary" else simple_team for c in cases])
    none = np.zeros(0)
    return Records(
        arrival_t=none, mediated=none.astype(bool), mediation_end_t=none, resolved=none.astype(bool),
        file_t=file_t, end_t=end_t, proc=procs, excluded=np.array([c[3] for c in cases]),
        initial=file_t < 0, converted=np.array([c[4] for c in cases]),
        first_track=np.array([0 if c[0] != "ordinary" or c[4] else 1 for c in cases]),
        settled=np.zeros(n, dtype=bool), team=team,
        hearings=np.zeros(n, dtype=int), job_team=team, job_ready_t=file_t, job_start_t=file_t,
        job_end_t=end_t, job_hours=np.ones(n))


def test_per_track_figures_of_eight_cases_counted_by_hand() -> None:
    scn = _tiny()
    p = prepare(scn)
    f = replication_figures(p, _records(p))
    s, m = f["summary"], f["monthly"]
    # closed: simple track 1 (late), 2, 7, 8 (within) → 3/4; complex 3 (within), 4 (late) → 1/2
    assert s["within_limit_rate_simple"] == pytest.approx(3 / 4, abs=1e-12)
    assert s["within_limit_rate_complex"] == pytest.approx(1 / 2, abs=1e-12)
    assert s["within_limit_rate"] == pytest.approx(4 / 6, abs=1e-12)
    # pending on 28 February: 6 overdue (simple), 5 not (complex)
    assert (s["overdue_pending_end_simple"], s["overdue_pending_end_complex"], s["overdue_pending_end"]) == (1, 0, 1)
    # January closes 1, 2, 7 (simple: 2/3) and 4 (complex: 0/1); February 8 (simple) and 3 (complex)
    assert m["within_limit_rate_simple"] == pytest.approx([2 / 3, 1.0], abs=1e-12)
    assert m["within_limit_rate_complex"] == pytest.approx([0.0, 1.0], abs=1e-12)
    # at the end of January case 6 is overdue (122 days > 92) and case 3 pending within its limit
    assert list(m["overdue_pending_end_simple"]) == [1, 1]
    assert list(m["overdue_pending_end_complex"]) == [0, 0]
    # by procedure, over the two months
    by = {name: {k: f["procedures"][k][j] for k in f["procedures"]} for j, name in enumerate(p.proc_names)}
    assert by["small_claims"] == {"closed": 1, "within": 0, "pending_end": 1, "overdue_pending_end": 1}
    assert by["simple"] == {"closed": 2, "within": 2, "pending_end": 0, "overdue_pending_end": 0}
    assert by["ordinary"] == {"closed": 2, "within": 1, "pending_end": 1, "overdue_pending_end": 0}
    assert by["speedy"] == {"closed": 1, "within": 1, "pending_end": 0, "overdue_pending_end": 0}
    assert by["second_instance"] == {"closed": 0, "within": 0, "pending_end": 0, "overdue_pending_end": 0}


def test_a_pending_case_on_its_deadline_is_not_yet_overdue() -> None:
    """On the period's last day (28 February) a case whose deadline is that day is within its
    limit, one whose deadline was the day before is overdue (small claims: 2 + 1 months)."""
    cases = [
        # filed 28 Nov 2024, deadline 28 Feb 2025 (92 days): on 28 Feb, 92 days, not overdue
        ("small_claims", dt.date(2024, 11, 28), None, 0.0, False),
        # filed 27 Nov 2024, deadline 27 Feb 2025 (92 days): on 28 Feb, 93 days, overdue
        ("small_claims", dt.date(2024, 11, 27), None, 0.0, False),
        # filed 18 Nov 2024, 10 days excluded, deadline 18 Feb (92 days): on 28 Feb, 102 − 10 = 92
        ("small_claims", dt.date(2024, 11, 18), None, 10.0, False),
        # closed before the period: no part of it in January or February
        ("small_claims", dt.date(2024, 12, 1), dt.date(2024, 12, 20), 0.0, False),
    ]
    p = prepare(_tiny())
    # nothing closes: the figures of closed cases have no value, and say so without a warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f = replication_figures(p, _records(p, cases))
    assert np.isnan(f["summary"]["within_limit_rate"]) and np.isnan(f["summary"]["disposition_days_mean"])
    assert np.isnan(f["summary"]["disposition_days_median"]) and np.isnan(f["summary"]["disposition_days_p90"])
    # three cases pending all along, one closed before: 3 on average, in each month too
    assert f["summary"]["pending_avg"] == pytest.approx(3.0, abs=1e-12)
    assert list(f["monthly"]["pending_avg"]) == pytest.approx([3.0, 3.0], abs=1e-12)
    assert (f["summary"]["overdue_pending_end"], f["summary"]["overdue_pending_end_simple"]) == (1, 1)
    # on 31 January none is near its deadline
    assert list(f["monthly"]["overdue_pending_end"]) == [0, 1]
    assert list(f["procedures"]["overdue_pending_end"]) == [1, 0, 0, 0, 0, 0]


def test_results_by_procedure_table_and_track_targets() -> None:
    """The by-procedure table over replications, each rate judged against its track's target."""
    scn = _tiny().model_copy(update={"targets": _tiny().targets.model_copy(update={
        "within_limit_rate_simple": 0.7, "within_limit_rate_complex": 0.9, "overdue_pending_end_simple": 0})})
    p = prepare(scn)
    rep = replication_figures(p, _records(p))
    res = Results.from_replications(scn, scn.seed, p.month_labels, [rep, rep])
    rows = {r["procedure"]: r for r in res.procedures()}
    assert list(rows) == ["small_claims", "simple", "ordinary", "speedy"]  # second instance had no case
    assert [rows[k]["track"] for k in rows] == ["simple", "simple", "complex", "simple"]
    assert rows["small_claims"]["within_limit_rate"]["mean"] == 0.0
    assert rows["ordinary"]["within_limit_rate"]["mean"] == 0.5
    assert rows["ordinary"]["closed"]["mean"] == 2 and rows["ordinary"]["pending_end"]["mean"] == 1
    # two identical replications: an interval of width 0 decides on the mean
    assert rows["small_claims"]["targets"]["within_limit_rate"]["verdict"] == "missed"     # 0 % < 70 %
    assert rows["simple"]["targets"]["within_limit_rate"]["verdict"] == "met"             # 100 % ≥ 70 %
    assert rows["ordinary"]["targets"]["within_limit_rate"]["verdict"] == "missed"        # 50 % < 90 %
    assert rows["ordinary"]["targets"]["within_limit_rate"]["target_figure"] == "within_limit_rate_complex"
    assert rows["small_claims"]["targets"]["overdue_pending_end"]["verdict"] == "missed"  # 1 > 0
    assert "overdue_pending_end" not in rows["ordinary"]["targets"]                       # no complex target
    tg = res.targets()
    assert tg["within_limit_rate_simple"]["verdict"] == "met"        # 75 % ≥ 70 %
    assert tg["within_limit_rate_complex"]["verdict"] == "missed"    # 50 % < 90 %
    assert tg["overdue_pending_end_simple"]["verdict"] == "missed"   # 1 > 0
    js = res.to_json_dict()
    assert js["summary"]["within_limit_rate_simple"]["mean"] == 0.75
    assert [r["procedure"] for r in js["procedures"]] == list(rows)


def test_procedure_tracks_fixed_and_by_the_case_types_that_use_them() -> None:
    scn = scenario("baseline", **{
        "procedures.speedy": "{limit_months: 1}",          # used by a simple type only → simple
        "procedures.mixed": "{limit_months: 4}",           # used by both tracks → complex
        "procedures.unused": "{limit_months: 4}",          # nobody → complex (no cases anyway)
        "case_types.0.procedure": "speedy",
        "case_types.1.procedure": "mixed",
        "case_types.2.procedure": "mixed",
        "case_types.3.procedure": "simple",                # a complex type under simple: still simple
    })
    assert [scn.case_types[i].track for i in range(4)] == ["simple", "simple", "complex", "complex"]
    tr = procedure_tracks(scn)
    assert tr["small_claims"] == tr["simple"] == tr["speedy"] == "simple"
    assert tr["ordinary"] == tr["mixed"] == tr["unused"] == tr["second_instance"] == tr["enforcement"] == "complex"


def test_carried_over_groups_count_among_a_procedures_users() -> None:
    """A procedure of the scenario's own is on the simple track when every case type *and*
    carried-over group that uses it is: one carried over only, by a simple-track group, is simple;
    one that a complex-track group also uses is complex, whatever its case types say."""
    scn = scenario("baseline", **{
        "procedures.carried": "{limit_months: 4}",         # a simple-track group only → simple
        "procedures.speedy": "{limit_months: 1}",          # a simple type and a complex group → complex
        "case_types.0.procedure": "speedy",
        "initial_pending.groups": "[{track: simple, procedure: carried, share: 0.3},"
                                  " {track: simple, procedure: simple, share: 0.7},"
                                  " {track: complex, procedure: speedy, share: 0.2},"
                                  " {track: complex, procedure: ordinary, share: 0.8}]",
    })
    assert scn.case_types[0].track == "simple"
    assert not any(c.procedure == "carried" for c in scn.case_types)
    tr = procedure_tracks(scn)
    assert tr["carried"] == "simple"
    assert tr["speedy"] == "complex"


@pytest.mark.parametrize("name", ["baseline", "weak-court"])
def test_overall_rate_is_the_closed_weighted_mix_of_the_tracks_in_every_replication(name: str) -> None:
    res = run(scenario(name, horizon_months=12), replications=3, workers=1)
    s, m = res.summary_reps, res.monthly_reps
    tracks = procedure_tracks(res.scenario)
    simple = np.array([tracks[k] == "simple" for k in res.scenario.procedures])
    pr = res.procedure_reps
    closed_s, closed_c = pr["closed"][:, simple].sum(1), pr["closed"][:, ~simple].sum(1)
    within_s, within_c = pr["within"][:, simple].sum(1), pr["within"][:, ~simple].sum(1)
    assert np.array_equal(closed_s + closed_c, s["closed"])
    assert np.array_equal(pr["pending_end"].sum(1), s["pending_end"])
    assert np.allclose(s["within_limit_rate_simple"], within_s / closed_s, rtol=0, atol=1e-12)
    assert np.allclose(s["within_limit_rate_complex"], within_c / closed_c, rtol=0, atol=1e-12)
    mix = (closed_s * s["within_limit_rate_simple"] + closed_c * s["within_limit_rate_complex"]) / (closed_s + closed_c)
    assert np.allclose(s["within_limit_rate"], mix, rtol=0, atol=1e-12)
    assert np.array_equal(s["overdue_pending_end_simple"] + s["overdue_pending_end_complex"], s["overdue_pending_end"])
    assert np.array_equal(pr["overdue_pending_end"].sum(1), s["overdue_pending_end"])
    assert np.array_equal(m["overdue_pending_end_simple"] + m["overdue_pending_end_complex"], m["overdue_pending_end"])
    # both tracks really differ on the weak court (the point of splitting them)
    if name == "weak-court":
        assert s["within_limit_rate_simple"].mean() - s["within_limit_rate_complex"].mean() > 0.1


def test_converted_cases_count_under_the_complex_track() -> None:
    scn = scenario("baseline", horizon_months=6, **{"triage.conversion_rate": 0.3})
    p = prepare(scn)
    r = simulate(p, 1)
    c = CaseTimes(p, r)
    closed = np.isfinite(r.end_t)
    ordinary = p.proc_names.index("ordinary")
    # ``converted`` is the draw; a case settled before its first hearing never converts and
    # stays under its simple-track procedure
    conv = r.converted & closed & (r.first_track == 0) & (r.proc == ordinary)
    kept = r.converted & closed & (r.first_track == 0) & (r.proc != ordinary)
    assert conv.sum() > 50 and kept.sum() > 10
    assert not c.simple[conv].any()                         # converted: complex track
    assert (p.team_track[r.team[conv]] == 1).all()          # and closed by a complex team
    assert c.simple[kept].all()
    stay = (r.first_track == 0) & ~r.converted & closed     # never meant to convert: simple
    assert c.simple[stay].all()


def test_a_court_with_complex_cases_only_has_no_simple_track_rate() -> None:
    """The queueing check's court hears ordinary procedure only: its complex-track figures are the
    court's, and the simple track has no rate (no case closed) and no overdue case."""
    res = run(scenario("mmc-check", horizon_months=3), replications=2, workers=1)
    s = res.summary_reps
    assert np.array_equal(s["within_limit_rate_complex"], s["within_limit_rate"])
    assert np.isnan(s["within_limit_rate_simple"]).all()
    assert not s["overdue_pending_end_simple"].any()
    assert np.array_equal(s["overdue_pending_end_complex"], s["overdue_pending_end"])
    assert [p["procedure"] for p in res.procedures()] == ["ordinary"]


def test_busy_hours_of_the_months_add_up_to_those_of_the_whole_period() -> None:
    """A judge's job that runs over a month's end counts in each month only its hours there: the
    months' busy hours add up to the whole period's, team by team, and none passes the hours
    its judges had (planted bug caught: a job begun before a month counting its earlier hours
    in it, mutant ``figures.x__busy_hours__mutmut_32`` in docs/mutation.md)."""
    from sim.model.figures import _available_hours, _busy_hours

    p = prepare(scenario("baseline", horizon_months=4))
    r = simulate(p, 0)
    edges = p.month_edges
    started = np.isfinite(r.job_start_t)
    crossing = started & (np.searchsorted(edges, r.job_start_t, side="right")
                          != np.searchsorted(edges, np.minimum(r.job_end_t, p.end), side="right"))
    assert crossing.sum() > 50    # jobs over a month's end: the case this checks
    monthly = _busy_hours(p, r, edges)
    whole = _busy_hours(p, r, np.array([edges[0], edges[-1]]))
    assert monthly.sum(axis=1) == pytest.approx(whole[:, 0], rel=1e-9)
    assert np.all(monthly <= _available_hours(p, edges) + 1e-6)


# eight more cases for the rates, ages and team figures below (same columns as CASES); with
# CASES, 13 are pending on 1 January 2025: 1, 2, 3, 4, 6, 8 and these 9, 10, 12 to 16. Their ages
# on a month's last day are days since filing; a case is long-pending when filed more than 12
# months before the month's end: on 31 January 2025 when over 366 days old (filed before
# 31 January 2024), on 28 February when over 365 (1 March 2024 to 1 March 2025)
MORE_CASES = [
    # 9. ordinary, filed 10 Jan 2024: 387 days old on 31 January (long-pending), 415 on 28 Feb
    ("ordinary", dt.date(2024, 1, 10), None, 0.0, False),
    # 10. ordinary, filed 10 Feb 2024: 356 days on 31 January (not yet), 384 on 28 February
    ("ordinary", dt.date(2024, 2, 10), None, 0.0, False),
    # 11. small claims, filed on the last day, 28 Feb 2025: 0 days old
    ("small_claims", dt.date(2025, 2, 28), None, 0.0, False),
    # 12. ordinary, filed 15 Jan 2023: 775 days on 28 February (25.5 months)
    ("ordinary", dt.date(2023, 1, 15), None, 0.0, False),
    # 13. ordinary, filed 31 Jan 2024: exactly 12 months (366 days) on 31 January, not over;
    #     394 days on 28 February
    ("ordinary", dt.date(2024, 1, 31), None, 0.0, False),
    # 14. ordinary, filed 30 Jan 2024: 367 days on 31 January, long-pending; 395 on 28 February
    ("ordinary", dt.date(2024, 1, 30), None, 0.0, False),
    # 15. small claims, filed 29 Nov 2024: 91 days on 28 February, 91 / 30.4375 = 2.99 months
    ("small_claims", dt.date(2024, 11, 29), None, 0.0, False),
    # 16. small claims, filed 28 Nov 2024: 92 days, 3.02 months
    ("small_claims", dt.date(2024, 11, 28), None, 0.0, False),
]


def test_closure_rate_ages_teams_and_detail_of_sixteen_cases_counted_by_hand() -> None:
    """The figures of ``replication_figures`` beyond the time limits, on sixteen hand-written
    cases and hand-placed judge jobs: the closure rate (结案率), long-pending counts on either side
    of 12 months, the age profile on either side of 3 months, closures per judge, utilisation
    (jobs over whole months: a share of the judges, whatever the calendar), each team's closed
    cases and judges, and the plausibility detail."""
    import dataclasses

    p = prepare(_tiny())
    r = _records(p, CASES + MORE_CASES)
    a, feb, b = p.month_edges
    # judge jobs: 3 in the speedy team and 5 (all its judges) in team 1 busy the whole two months,
    # 1 in team 2 busy all January only (it ends at midnight on 1 February); teams 3, 4 idle
    team = np.array([0] * 3 + [1] * 5 + [2])
    start = np.full(len(team), a - 40.0)
    end = np.array([np.inf] * 8 + [feb])
    # hearings of the cases; the closed ones (1, 2, 3, 4, 7, 8) hold 2+1+3+4+0+2 = 12
    hearings = np.array([2, 1, 3, 4, 9, 9, 0, 2] + [9] * 8)
    r = dataclasses.replace(r, job_team=team, job_ready_t=start, job_start_t=start, job_end_t=end,
                            job_hours=np.ones(len(team)), hearings=hearings)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f = replication_figures(p, r)
    s, m = f["summary"], f["monthly"]
    # January: filed 5 and 7, closed 1, 2, 4, 7; February: filed 11, closed 3 and 8
    assert list(m["filed"]) == [2, 1] and list(m["closed"]) == [4, 2]
    assert f["flow"]["pending_start"] == 13
    # 结案率, cumulative within the year: closed / (pending on 1 January + filed so far)
    assert list(m["closure_rate"]) == pytest.approx([4 / 15, 6 / 16], abs=1e-12)
    assert s["closure_rate"] == pytest.approx(6 / 16, abs=1e-12)
    # pending on 31 January: 3, 5, 6, 8, 9, 10, 12 to 16, of which 9, 12 and 14 over a year old
    # (13 exactly a year); on 28 February: 5, 6, 9 to 16, of which 9, 10, 12, 13 and 14
    assert list(m["pending_end"]) == [11, 10]
    assert list(m["long_pending_end"]) == [3, 5]
    assert list(m["long_pending_share"]) == pytest.approx([3 / 11, 5 / 10], abs=1e-12)
    assert (s["long_pending_end"], s["long_pending_share"]) == (5, pytest.approx(0.5, abs=1e-12))
    # ages on 28 February in months, bands [0, 3) [3, 6) [6, 12) [12, 18) [18, 24) [24, ∞):
    # 5: 1.8, 11: 0, 15: 2.99 | 6: 4.9, 16: 3.02 | — | 9: 13.6, 10: 12.6, 13: 12.94, 14: 12.98 | — | 12: 25.5
    assert list(f["age_profile"]) == [3, 2, 0, 4, 0, 1]
    # the court's 29 judges (11 + 5 + 5 + 4 + 4), every day of both months
    assert list(f["teams"]["judges"]) == [11, 5, 5, 4, 4]
    per_judge = [4 / 29 * 365.25 / 31, 2 / 29 * 365.25 / 28]
    assert list(m["closures_per_judge"]) == pytest.approx(per_judge, rel=1e-12)
    assert s["closures_per_judge"] == pytest.approx(6 / 29 * 365.25 / 59, rel=1e-12)
    # busy: 9 judges in January, 8 in February, of 29; each team's own share of its judges
    assert list(m["judge_utilisation"]) == pytest.approx([9 / 29, 8 / 29], rel=1e-9)
    assert np.allclose(f["teams"]["utilisation_monthly"],
                       [[3 / 11, 3 / 11], [1, 1], [1 / 5, 0], [0, 0], [0, 0]], rtol=1e-9, atol=0)
    # over both months: 19 working days in each (the Spring Festival off 28 January to
    # 4 February, Sunday 26 January and Saturday 8 February worked), so January weighs half
    assert list(f["teams"]["utilisation"]) == pytest.approx([3 / 11, 1, 1 / 10, 0, 0], rel=1e-9)
    assert s["judge_utilisation"] == pytest.approx(8.5 / 29, rel=1e-9)
    # closed by team: the speedy team 1, 2, 7, 8; team 1 the ordinary cases 3 and 4
    assert list(f["teams"]["closed"]) == [4, 2, 0, 0, 0]
    # detail, over the six closed cases: small claims or simple 1, 2, 8 (speedy is neither);
    # days from filing to closing 131, 97, 138 (simple) and 71, 401 (ordinary: 3 and 4)
    d = f["detail"]
    assert d["simple_procedure_share"] == pytest.approx(3 / 6, abs=1e-12)
    assert d["disposition_days_simple"] == pytest.approx((131 + 97 + 138) / 3, abs=1e-12)
    assert d["disposition_days_ordinary"] == pytest.approx((71 + 401) / 2, abs=1e-12)
    assert d["hearings_per_case"] == pytest.approx(12 / 6, abs=1e-12)


def test_closure_rate_starts_again_in_january_and_the_horizon_is_its_last_month() -> None:
    """December 2024 to February 2025 after 10 days of warm-up, a team without judges, and
    three more cases: D filed 1 December and closed 20 December; E1 whose last work ends at
    midnight starting 1 December (closed on 30 November, before the period); E2 filed 1 February
    whose last work ends at midnight ending 28 February (closed on that day, in the period)."""
    import dataclasses

    p = prepare(_tiny(start_date="2024-12-01", horizon_months=3, warmup_days=10, **{"teams.4.judges": 0}))
    extra = [("small_claims", dt.date(2024, 12, 1), dt.date(2024, 12, 20), 0.0, False),   # D
             ("small_claims", dt.date(2024, 11, 1), dt.date(2024, 11, 30), 0.0, False),   # E1
             ("small_claims", dt.date(2025, 2, 1), dt.date(2025, 2, 28), 0.0, False)]     # E2
    r = _records(p, CASES + MORE_CASES + extra)
    a0, aN = p.month_edges[0], p.month_edges[-1]
    assert (a0, aN) == (10, 100)            # from 21 November 2024: 1 December, 1 March
    shift = (ORIGIN - p.origin).days        # _records counts days from 1 January 2025
    file_t, end_t = r.file_t + shift, r.end_t + shift
    end_t[-2:] = [a0, aN]                   # E1, E2 end exactly at midnight
    r = dataclasses.replace(r, file_t=file_t, end_t=end_t, initial=file_t < 0, job_ready_t=file_t,
                            job_start_t=file_t, job_end_t=end_t)
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # team 4's utilisation is 0 of 0 hours: no value, no warning
        f = replication_figures(p, r)
    s, m = f["summary"], f["monthly"]
    # pending on 1 December: 1, 2, 4, 6, 8, 9, 10, 12 to 16 (12); December files 3 and D, closes D;
    # January (13 pending on the 1st) files 5, 7, closes 1, 2, 4, 7; February files 11, E2, closes 3, 8, E2
    assert list(m["filed"]) == [2, 2, 2] and list(m["closed"]) == [1, 4, 3]
    # the year starts again in January: 4 / (13 + 2), then 7 / (13 + 4); the whole period 8 / (12 + 6)
    assert list(m["closure_rate"]) == pytest.approx([1 / 14, 4 / 15, 7 / 17], abs=1e-12)
    assert s["closure_rate"] == pytest.approx(8 / 18, abs=1e-12)
    # the whole period's long-pending figures are its last month's (31 December: 4 and 12;
    # January: 3 of 11)
    assert list(m["long_pending_end"]) == [2, 3, 5]
    assert (s["long_pending_end"], s["long_pending_share"]) == (5, pytest.approx(5 / 10, abs=1e-12))
    # 25 judges (team 4 has none) over the 90 days of the period
    assert s["closures_per_judge"] == pytest.approx(8 / 25 * 365.25 / 90, rel=1e-12)
    # E2 counts among the speedy team's closed cases, E1 does not: 1, 2, 7, 8, D, E2
    assert list(f["teams"]["closed"]) == [6, 2, 0, 0, 0]
    assert np.isnan(f["teams"]["utilisation"][4]) and np.isnan(f["teams"]["utilisation_monthly"][4]).all()
    # detail over the 8 closed cases: small claims or simple D, 1, 2, 8, E2, closed after
    # 19, 131, 97, 138 and 27 days
    d = f["detail"]
    assert d["simple_procedure_share"] == pytest.approx(5 / 8, abs=1e-12)
    assert d["disposition_days_simple"] == pytest.approx((19 + 131 + 97 + 138 + 27) / 5, abs=1e-12)


def test_available_hours_are_the_judges_days_times_their_hours() -> None:
    """The queueing check's court works 8 hours every day of the week: with 4 judges and no
    warm-up, January 2025 has 31 × 8 × 4 hours and February 28 × 8 × 4, together the whole
    period's (the first period starts on day 0, a working day)."""
    from sim.model.figures import _available_hours

    p = prepare(scenario("mmc-check", warmup_days=0, horizon_months=2))
    assert list(p.month_edges) == [0, 31, 59]
    assert _available_hours(p, p.month_edges).tolist() == [[31 * 8 * 4, 28 * 8 * 4]]
    assert _available_hours(p, np.array([0.0, 59.0])).tolist() == [[59 * 8 * 4]]
