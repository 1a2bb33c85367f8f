"""Results over replications (sim.analysis.results) on numbers written by hand.

Three replications of a two-month run of the baseline court, every figure chosen here, so each
mean, 95 % interval, verdict and table row below is worked out from the t table (Student's t
quantiles written as numbers) and the formulas of docs/model.md, never by the module itself.
Written for the mutation testing of issue 25 (docs/mutation.md): the model's own tests run
whole simulations, whose numbers no test can know, and left the module's views, the
command line's JSON and the differences free to change.
"""
from __future__ import annotations

import dataclasses
import json
import math
import warnings

import numpy as np
import pytest

from helpers import scenario
from sim.analysis.results import (
    Results,
    Stat,
    mean_ci,
    paired_difference,
    paired_difference_monthly,
    target_verdict,
    unpaired_difference,
)
from sim.model.figures import FIGURES
from sim.model.scenario import scenario_to_dict

# Student's t quantiles (two-sided 95 % and 99 %), from the tables
T975 = {1: 12.706204736174698, 2: 4.302652729911275, 4: 2.7764451051977987}
T995_4 = 4.604094871415897

MONTHS = ["2025-01", "2025-02"]
# the baseline court (5 teams, 5 procedures) with a target on each track's overdue cases
SCN = scenario("baseline", horizon_months=2, **{
    "targets.overdue_pending_end_simple": 0, "targets.overdue_pending_end_complex": 5})
TEAMS = ["速裁团队", "民事审判一组", "民事审判二组", "商事审判组", "综合审判组"]

# the figures with a target, replication by replication
SUMMARY = {
    "within_limit_rate": [0.96, 0.97, 0.98],         # target ≥ 0.95
    "within_limit_rate_simple": [0.99, 0.99, 0.99],  # ≥ 0.95
    "within_limit_rate_complex": [0.5, 0.6, 0.7],    # ≥ 0.95
    "clearance_rate": [1.0, 1.1, 1.2],               # ≥ 1.0
    "long_pending_end": [0.0, 0.0, 0.0],             # ≤ 0
    "overdue_pending_end_simple": [1.0, 1.0, 1.0],   # ≤ 0
    "overdue_pending_end_complex": [3.0, 3.0, 3.0],  # ≤ 5
}
# by procedure (small claims, simple, ordinary, second instance, enforcement), replication by replication
PROCEDURES = {
    "closed": [[10, 0, 5, 0, 0], [10, 4, 5, 0, 0], [10, 5, 5, 0, 0]],
    "within": [[10, 0, 2, 0, 0], [9, 4, 3, 0, 0], [8, 5, 4, 0, 0]],
    "pending_end": [[2, 1, 3, 0, 0], [2, 0, 3, 0, 0], [2, 0, 3, 0, 1]],
    "overdue_pending_end": [[0, 1, 1, 0, 0], [0, 0, 2, 0, 0], [0, 0, 3, 0, 1]],
}


def _summary(k: str, i: int, r: int) -> float:
    return SUMMARY[k][r] if k in SUMMARY else float(10 * i + r)


def _rep(r: int, warnings: list | None = None) -> dict:
    """Replication ``r``'s figures as the engine returns them (sim.model.figures)."""
    return {
        "summary": {k: _summary(k, i, r) for i, k in enumerate(FIGURES)},
        # figure i: month 1 = i + r, month 2 = i + 2r
        "monthly": {k: np.array([i + r, i + 2 * r], dtype=float) for i, k in enumerate(FIGURES)},
        "teams": {
            "utilisation": np.array([0.5, 0.6, 0.7, 0.8, 0.4 + 0.1 * r]),
            "closed": np.array([100, 50 + 10 * r, 60, 70, 80]),
            "judges": np.array([3.0, 4.0, 5.0, 2.0, 6.5]),
            "utilisation_monthly": np.full((5, 2), 0.5),
        },
        "age_profile": np.array([6 + r, 5, 4, 3, 2, 1 + 3 * r], dtype=float),
        "flow": {"pending_start": 1000 + r},
        "detail": {"hearings_per_case": 1.5 + r},
        "flow_monthly": {"filed": np.array([10 + r, 20 + r]),
                         "by_team": np.arange(12).reshape(6, 2) * (r + 1)},
        "procedures": {k: np.array(v[r]) for k, v in PROCEDURES.items()},
        "warnings": list(warnings or []),
    }


def _results(reps: int = 3, warnings: list | None = None, seed: int = 20250101) -> Results:
    return Results.from_replications(SCN, seed, MONTHS, [_rep(r, warnings) for r in range(reps)],
                                     elapsed=1.23456, staffing=[{"team": "速裁团队", "judges": 3}])


def _t_interval(values: list[float], t: float) -> tuple[float, float, float]:
    """Mean and t interval by formula (sample standard deviation, n − 1 in the denominator)."""
    n = len(values)
    m = sum(values) / n
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1))
    return m, m - t * sd / math.sqrt(n), m + t * sd / math.sqrt(n)


def _approx(stat: Stat | dict, mean: float, low: float, high: float, n: int | None = None) -> None:
    d = stat.as_dict() if isinstance(stat, Stat) else stat
    assert (d["mean"], d["ci_low"], d["ci_high"]) == pytest.approx((mean, low, high), rel=1e-9, abs=1e-12)
    if n is not None:
        assert stat.n == n


def test_mean_ci_by_the_t_table_skipping_values_that_are_not_finite() -> None:
    # 1, 2, 3, 4, 6: mean 3.2, sample variance 14.8 / 4 = 3.7
    h = T975[4] * math.sqrt(3.7) / math.sqrt(5)
    s = mean_ci(np.array([1, np.nan, 2, 3, np.inf, 4, 6, -np.inf]))
    assert (s.mean, s.ci_low, s.ci_high, s.n) == pytest.approx((3.2, 3.2 - h, 3.2 + h, 5), rel=1e-9)
    h99 = T995_4 * math.sqrt(3.7) / math.sqrt(5)
    s99 = mean_ci([1, 2, 3, 4, 6], level=0.99)
    assert (s99.ci_low, s99.ci_high) == pytest.approx((3.2 - h99, 3.2 + h99), rel=1e-9)
    # two values: one degree of freedom
    two = mean_ci(np.array([1.0, 3.0]))
    assert (two.mean, two.ci_low, two.ci_high, two.n) == pytest.approx(
        (2.0, 2.0 - T975[1] * math.sqrt(2) / math.sqrt(2), 2.0 + T975[1], 2), rel=1e-9)
    # nothing finite: no mean, no interval, n = 0
    none = mean_ci(np.array([np.nan, np.inf]))
    assert none.n == 0 and all(math.isnan(x) for x in (none.mean, none.ci_low, none.ci_high))
    assert none.as_dict() == {"mean": None, "ci_low": None, "ci_high": None}
    # a missing value as JSON reads it back (null: None) is skipped like NaN
    _approx(mean_ci([1.0, None, 3.0]), 2.0, 2.0 - T975[1], 2.0 + T975[1], n=2)
    # a whole-number figure's interval is written as plain floats (JSON-ready)
    d = mean_ci(np.array([2, 2], dtype=np.int64)).as_dict()
    assert d == {"mean": 2.0, "ci_low": 2.0, "ci_high": 2.0} and all(type(v) is float for v in d.values())


def test_from_replications_stacks_every_replication_in_order() -> None:
    res = _results(warnings=[{"code": "horizon_past_calendar", "params": {"year": 2027}}])
    assert (res.scenario, res.seed, res.replications, res.month_labels) == (SCN, 20250101, 3, MONTHS)
    assert res.team_names == TEAMS and res.team_tracks == ["simple"] + ["complex"] * 4
    assert res.elapsed_seconds == 1.23456 and res.staffing == [{"team": "速裁团队", "judges": 3}]
    assert list(res.summary_reps) == list(FIGURES)
    assert list(res.summary_reps["within_limit_rate"]) == [0.96, 0.97, 0.98]
    assert list(res.summary_reps["filed"]) == [0.0, 1.0, 2.0]
    assert res.monthly_reps["closed"].tolist() == [[1, 1], [2, 3], [3, 5]]
    assert list(res.team_reps) == ["utilisation", "closed", "judges"]
    assert res.team_reps["closed"][:, 1].tolist() == [50, 60, 70]
    assert res.team_util_monthly_reps.shape == (3, 5, 2)
    assert res.age_profile_reps[:, 0].tolist() == [6, 7, 8] and res.age_profile_reps[:, 5].tolist() == [1, 4, 7]
    # whole numbers of cases, kept as floats (NaN-able like every other figure)
    assert res.pending_start_reps.tolist() == [1000, 1001, 1002] and res.pending_start_reps.dtype == float
    assert res.detail_reps["hearings_per_case"].tolist() == [1.5, 2.5, 3.5]
    assert res.flow_reps["filed"].tolist() == [[10, 20], [11, 21], [12, 22]]
    assert res.flow_reps["by_team"].shape == (3, 6, 2)
    assert list(res.procedure_reps) == list(PROCEDURES)
    assert res.procedure_reps["within"].tolist() == PROCEDURES["within"]
    # the engine's warnings (the first replication's: the same in every one), then the results'
    assert res.warnings == [{"code": "horizon_past_calendar", "params": {"year": 2027}}]
    busy = [_rep(r) for r in range(2)]
    for rep in busy:
        rep["teams"]["utilisation_monthly"][3] = [0.99, 0.985]
    over = Results.from_replications(SCN, 1, MONTHS, busy)
    assert over.warnings == [{"code": "team_over_capacity", "params": {"team": "商事审判组", "load": 0.985}}]
    assert over.elapsed_seconds == 0.0 and over.staffing == []


def test_replications_without_the_optional_parts_have_empty_ones() -> None:
    reps = [_rep(r) for r in range(2)]
    for rep in reps:
        for k in ("detail", "flow_monthly", "procedures", "warnings"):
            del rep[k]
    res = Results.from_replications(SCN, 1, MONTHS, reps)
    assert (res.detail_reps, res.flow_reps, res.procedure_reps, res.warnings) == ({}, {}, {}, [])
    assert res.procedures() == [] and res.flow() == {}


def test_summary_and_monthly_means_and_intervals_by_formula() -> None:
    res = _results()
    s = res.summary()
    assert list(s) == list(FIGURES)
    _approx(s["within_limit_rate"], *_t_interval([0.96, 0.97, 0.98], T975[2]), n=3)
    i = list(FIGURES).index("closed")
    # month 1: i, i+1, i+2; month 2: i, i+2, i+4
    m, lo, hi = res.monthly("closed")
    m1, m2 = _t_interval([i, i + 1, i + 2], T975[2]), _t_interval([i, i + 2, i + 4], T975[2])
    assert m.tolist() == pytest.approx([m1[0], m2[0]]) and m.shape == (2,)
    assert lo.tolist() == pytest.approx([m1[1], m2[1]]) and hi.tolist() == pytest.approx([m1[2], m2[2]])


def test_flow_is_the_mean_over_replications() -> None:
    f = _results().flow()
    assert list(f) == ["filed", "by_team"]
    assert f["filed"].tolist() == [11, 21]
    # replication r is (r + 1) · arange: the mean is 2 · arange
    assert f["by_team"].tolist() == (np.arange(12).reshape(6, 2) * 2).tolist()


def test_teams_judges_closures_and_utilisation() -> None:
    rows = _results().teams()
    assert [r["team"] for r in rows] == TEAMS
    assert [r["track"] for r in rows] == ["simple", "complex", "complex", "complex", "complex"]
    assert [r["judges"] for r in rows] == [3.0, 4.0, 5.0, 2.0, 6.5]
    assert all(type(r["judges"]) is float for r in rows)
    assert rows[0]["closed"] == {"mean": 100.0, "ci_low": 100.0, "ci_high": 100.0}
    _approx(rows[1]["closed"], *_t_interval([50, 60, 70], T975[2]))
    _approx(rows[4]["utilisation"], *_t_interval([0.4, 0.5, 0.6], T975[2]))
    assert list(rows[0]) == ["team", "track", "judges", "closed", "utilisation"]
    # one replication: the judges are read off it, and nothing has an interval
    one = _results(reps=1).teams()
    assert one[4]["judges"] == 6.5 and one[1]["closed"] == {"mean": 50.0, "ci_low": None, "ci_high": None}


def test_age_profile_bands_and_their_intervals() -> None:
    rows = _results().age_profile()
    assert [r["band_months"] for r in rows] == ["0-3", "3-6", "6-12", "12-18", "18-24", "24+"]
    assert [r["from_months"] for r in rows] == [0, 3, 6, 12, 18, 24]
    assert [r["to_months"] for r in rows] == [3, 6, 12, 18, 24, None]
    _approx(rows[0], *_t_interval([6, 7, 8], T975[2]))
    assert rows[1] == {"band_months": "3-6", "from_months": 3, "to_months": 6,
                       "mean": 5.0, "ci_low": 5.0, "ci_high": 5.0}
    _approx(rows[5], *_t_interval([1, 4, 7], T975[2]))


def test_procedure_values_rates_and_overdue_counts() -> None:
    res = _results()
    rate = res.procedure_values("simple", "within_limit_rate")
    assert np.isnan(rate[0]) and rate[1:].tolist() == [1.0, 1.0]  # no closed case in replication 1
    assert res.procedure_values("ordinary", "within_limit_rate").tolist() == pytest.approx([0.4, 0.6, 0.8])
    over = res.procedure_values("ordinary", "overdue_pending_end")
    assert over.tolist() == [1, 2, 3] and over.dtype == float
    assert res.procedure_values("enforcement", "overdue_pending_end").tolist() == [0, 0, 1]
    # a replication without closed cases has no rate: NaN, and no warning on the command line
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(res.procedure_values("enforcement", "within_limit_rate")).all()
        assert np.isnan(res.procedure_values("simple", "within_limit_rate")[0])
    with pytest.raises(ValueError, match="no by-procedure figure 'closed'"):
        res.procedure_values("simple", "closed")


def test_the_by_procedure_table_judged_against_each_track_target() -> None:
    rows = _results().procedures()
    # second instance had no case closed or pending in any replication: left out
    assert [r["procedure"] for r in rows] == ["small_claims", "simple", "ordinary", "enforcement"]
    assert [r["track"] for r in rows] == ["simple", "simple", "complex", "complex"]
    assert [(r["label_zh"], r["label_en"]) for r in rows] == [
        ("小额诉讼", "Small claims"), ("简易程序", "Simple procedure"),
        ("普通程序", "Ordinary procedure"), ("执行", "Enforcement")]
    sc, simple, ordinary, enf = rows
    assert list(sc) == ["procedure", "label_zh", "label_en", "track", "closed", "pending_end",
                        "within_limit_rate", "overdue_pending_end", "targets"]
    assert sc["closed"] == {"mean": 10.0, "ci_low": 10.0, "ci_high": 10.0}
    _approx(simple["closed"], *_t_interval([0, 4, 5], T975[2]))
    _approx(enf["pending_end"], *_t_interval([0, 0, 1], T975[2]))
    # small claims: 100 %, 90 %, 80 % against ≥ 95 %: the interval holds the target;
    # half-width h = t₂·0.1/√3, gap 0.05: 3·(h/0.05)² = 74.05… → 75 replications
    _approx(sc["within_limit_rate"], *_t_interval([1.0, 0.9, 0.8], T975[2]))
    v = sc["targets"]["within_limit_rate"]
    assert (v["verdict"], v["replications_needed"], v["target"], v["direction"]) == ("undecided", 75, 0.95, ">=")
    assert (v["target_figure"], v["doubtful"], v["replications"]) == ("within_limit_rate_simple", False, 3)
    # no overdue small-claims case in any replication: ≤ 0 met
    assert sc["targets"]["overdue_pending_end"]["verdict"] == "met"
    assert sc["targets"]["overdue_pending_end"]["target_figure"] == "overdue_pending_end_simple"
    # simple: no closed case in replication 1, then 100 % twice: met on the two
    assert simple["within_limit_rate"] == {"mean": 1.0, "ci_low": 1.0, "ci_high": 1.0}
    assert simple["targets"]["within_limit_rate"]["verdict"] == "met"
    assert simple["targets"]["within_limit_rate"]["replications"] == 2
    # overdue 1, 0, 0 against ≤ 0: undecided; h = t₂·(1/√3)/√3, gap 1/3: 3·(h·3)² = 55.5… → 56
    assert simple["targets"]["overdue_pending_end"]["verdict"] == "undecided"
    assert simple["targets"]["overdue_pending_end"]["replications_needed"] == 56
    # ordinary: 40 %, 60 %, 80 % against ≥ 95 %: h = t₂·0.2/√3, gap 0.35: 6.04… → 7
    o = ordinary["targets"]["within_limit_rate"]
    assert (o["verdict"], o["replications_needed"], o["target_figure"]) == ("undecided", 7, "within_limit_rate_complex")
    # overdue 1, 2, 3 ≤ 5: the interval 2 ± 2.48 stays under 5
    assert ordinary["targets"]["overdue_pending_end"]["verdict"] == "met"
    assert ordinary["targets"]["overdue_pending_end"]["target"] == 5
    # enforcement closed nothing: no rate, nothing to judge
    assert enf["within_limit_rate"] == {"mean": None, "ci_low": None, "ci_high": None}
    e = enf["targets"]["within_limit_rate"]
    assert (e["verdict"], e["replications_needed"], e["replications"]) == ("undecided", None, 0)
    assert enf["targets"]["overdue_pending_end"]["verdict"] == "met"


def test_the_procedure_labels_fall_back_to_its_name() -> None:
    scn = SCN.model_copy(update={"procedures": {
        k: (p.model_copy(update={"label_zh": "", "label_en": ""}) if k == "ordinary" else p)
        for k, p in SCN.procedures.items()}})
    res = dataclasses.replace(_results(), scenario=scn)
    row = [r for r in res.procedures() if r["procedure"] == "ordinary"][0]
    assert (row["label_zh"], row["label_en"]) == ("ordinary", "ordinary")


def test_targets_verdicts_and_doubt_from_the_warnings() -> None:
    tg = _results().targets()
    assert list(tg) == list(SUMMARY)     # every figure with a target, none without
    w = tg["within_limit_rate"]
    # 0.97 ± t₂·0.01/√3 = [0.9452, 0.9948] holds 0.95; gap 0.02: 3·(h/0.02)² = 4.63 → 5
    assert (w["verdict"], w["replications_needed"], w["needed_capped"], w["doubtful"]) == ("undecided", 5, False, False)
    assert (w["target"], w["direction"], w["met"], w["single_run"]) == (0.95, ">=", False, False)
    assert tg["within_limit_rate_simple"]["verdict"] == "met"
    assert tg["within_limit_rate_complex"]["verdict"] == "missed"
    # 1.1 ± 0.248 holds 1.0; gap 0.1: 3·(h/0.1)² = 18.5 → 19
    assert (tg["clearance_rate"]["verdict"], tg["clearance_rate"]["replications_needed"]) == ("undecided", 19)
    assert tg["long_pending_end"]["verdict"] == "met" and tg["long_pending_end"]["direction"] == "<="
    assert tg["overdue_pending_end_simple"]["verdict"] == "missed"
    assert tg["overdue_pending_end_complex"]["verdict"] == "met"
    # a team without judges or one over capacity makes every verdict doubtful; other warnings do not
    for code, doubtful in (("team_without_judges", True), ("team_over_capacity", True),
                           ("horizon_past_calendar", False), ("listed_cases_unplaced", False)):
        res = _results(warnings=[{"code": "horizon_past_calendar", "params": {}}, {"code": code, "params": {}}])
        assert {v["doubtful"] for v in res.targets().values()} == {doubtful}, code
        by_proc = res.procedures()[0]["targets"]
        assert {v["doubtful"] for v in by_proc.values()} == {doubtful}, code


def test_the_command_lines_json() -> None:
    res = _results(warnings=[{"code": "horizon_past_calendar", "params": {"year": 2027}}])
    js = res.to_json_dict()
    assert list(js) == ["scenario", "seed", "replications", "warnings", "summary", "monthly", "teams",
                        "age_profile_end", "procedures", "targets", "staffing", "elapsed_seconds",
                        "scenario_parameters"]
    assert (js["scenario"], js["seed"], js["replications"]) == ("基层法院基准方案 (baseline county court)", 20250101, 3)
    assert js["warnings"] == [{"code": "horizon_past_calendar", "params": {"year": 2027}}]
    assert list(js["summary"]) == list(FIGURES)
    _approx(js["summary"]["within_limit_rate"], *_t_interval([0.96, 0.97, 0.98], T975[2]))
    assert js["summary"]["long_pending_end"] == {"mean": 0.0, "ci_low": 0.0, "ci_high": 0.0}
    # one row per month: the month, then each figure's mean and interval in that month
    assert [row["month"] for row in js["monthly"]] == MONTHS
    assert list(js["monthly"][0]) == ["month", *FIGURES]
    i = list(FIGURES).index("pending_end")
    _approx(js["monthly"][0]["pending_end"], *_t_interval([i, i + 1, i + 2], T975[2]))
    _approx(js["monthly"][1]["pending_end"], *_t_interval([i, i + 2, i + 4], T975[2]))
    assert [t["team"] for t in js["teams"]] == TEAMS and js["teams"][3]["judges"] == 2.0
    assert [b["band_months"] for b in js["age_profile_end"]][-1] == "24+"
    assert [p["procedure"] for p in js["procedures"]] == ["small_claims", "simple", "ordinary", "enforcement"]
    assert list(js["targets"]) == list(SUMMARY)
    assert js["targets"]["clearance_rate"]["replications_needed"] == 19
    assert js["staffing"] == [{"team": "速裁团队", "judges": 3}]
    assert js["elapsed_seconds"] == 1.235
    assert js["scenario_parameters"] == scenario_to_dict(SCN)
    # the text: Chinese as it is (not \\u escapes), indented by two, the same data read back
    text = res.to_json()
    assert '"scenario": "基层法院基准方案 (baseline county court)"' in text
    assert '\n  "seed": 20250101,\n' in text
    assert json.loads(text) == json.loads(json.dumps(js))


def test_paired_differences_by_replication_over_the_shorter_run() -> None:
    a = _results()
    b2 = _results(reps=2)
    b = dataclasses.replace(b2, summary_reps={**b2.summary_reps, "within_limit_rate": np.array([0.90, 0.96])},
                            monthly_reps={**b2.monthly_reps, "closed": np.array([[0.0, 1.0], [1.0, 1.0]])})
    # a − b over the first two replications: 0.96 − 0.90, 0.97 − 0.96
    _approx(paired_difference(a, b, "within_limit_rate"), *_t_interval([0.06, 0.01], T975[1]), n=2)
    _approx(paired_difference(b, a, "within_limit_rate"), *_t_interval([-0.06, -0.01], T975[1]), n=2)
    # closed by month in a: replication 0 is (i, i), replication 1 (i + 1, i + 2)
    i = list(FIGURES).index("closed")
    m, lo, hi = paired_difference_monthly(a, b, "closed")
    d1, d2 = _t_interval([i, i], T975[1]), _t_interval([i - 1, i + 1], T975[1])
    assert m.tolist() == pytest.approx([d1[0], d2[0]])
    assert lo.tolist() == pytest.approx([d1[1], d2[1]]) and hi.tolist() == pytest.approx([d1[2], d2[2]])
    other = _results(seed=7)
    for f in (paired_difference, paired_difference_monthly):
        with pytest.raises(ValueError, match="^paired differences need both scenarios run with the same seed$"):
            f(a, other, "closed")


def _with(res: Results, values: list[float]) -> Results:
    return dataclasses.replace(res, summary_reps={**res.summary_reps, "disposition_days_mean": np.array(values)})


def test_unpaired_difference_is_welchs_interval() -> None:
    from scipy import stats  # the reference t quantile, for Welch's fractional degrees of freedom

    a = _with(_results(reps=1), [1.0, np.nan, 2.0, 3.0, 4.0])
    b = _with(_results(reps=1), [2.0, 4.0, 9.0])
    # x: mean 2.5, variance 5/3 over 4; y: mean 5, variance 13 over 3
    vx, vy = (5 / 3) / 4, 13 / 3
    df = (vx + vy) ** 2 / (vx ** 2 / 3 + vy ** 2 / 2)
    h = stats.t.ppf(0.975, df) * math.sqrt(vx + vy)
    d = unpaired_difference(a, b, "disposition_days_mean")
    assert (d.mean, d.ci_low, d.ci_high, d.n) == pytest.approx((-2.5, -2.5 - h, -2.5 + h, 3), rel=1e-9)
    back = unpaired_difference(b, a, "disposition_days_mean")
    assert (back.mean, back.ci_low, back.ci_high) == pytest.approx((2.5, 2.5 - h, 2.5 + h), rel=1e-9)
    # equal spread and size: 2(n − 1) = 4 degrees of freedom, a value of the t table
    e = unpaired_difference(_with(a, [1.0, 2.0, 3.0]), _with(b, [5.0, 6.0, 7.0]), "disposition_days_mean")
    h4 = T975[4] * math.sqrt(2 / 3)
    assert (e.mean, e.ci_low, e.ci_high, e.n) == pytest.approx((-4.0, -4.0 - h4, -4.0 + h4, 3), rel=1e-9)
    # no spread on either side: the interval is the difference itself
    z = unpaired_difference(_with(a, [2.0, 2.0]), _with(b, [1.0, 1.0, 1.0]), "disposition_days_mean")
    assert (z.mean, z.ci_low, z.ci_high, z.n) == (1.0, 1.0, 1.0, 2)


def test_a_verdict_on_a_target_at_the_ends_of_the_interval() -> None:
    # the interval's ends count as inside: undecided, not met or missed
    assert target_verdict(Stat(0.97, 0.95, 0.99, 5), 0.95, ">=")["verdict"] == "undecided"
    assert target_verdict(Stat(0.93, 0.91, 0.95, 5), 0.95, ">=")["verdict"] == "undecided"
    # 3 [1, 5] against ≤ 5: half-width 2 = the gap, so 5·(2/2)² = 5, which is no more than
    # were run: one more at least
    v = target_verdict(Stat(3.0, 1.0, 5.0, 5), 5, "<=")
    assert (v["verdict"], v["replications_needed"], v["needed_capped"]) == ("undecided", 6, False)


def test_a_mean_on_the_target_without_an_interval_meets_it() -> None:
    for stat in (Stat(0.95, 0.95, 0.95, 5), mean_ci(np.array([0.95]))):
        v = target_verdict(stat, 0.95, ">=")
        assert (v["verdict"], v["met"], v["needed_capped"], v["replications_needed"]) == ("met", True, False, None)
        assert target_verdict(stat, 0.95, "<=")["verdict"] == "met"
    missed = target_verdict(Stat(0.9, 0.89, 0.91, 5), 0.95, ">=")
    assert (missed["verdict"], missed["needed_capped"]) == ("missed", False)


def test_one_replication_is_judged_on_its_value_and_two_have_an_interval() -> None:
    # a single run's "interval", whoever wrote it, is not one: the value decides
    one = target_verdict(Stat(0.948, 0.94, 0.96, 1), 0.95, ">=")
    assert (one["verdict"], one["single_run"], one["replications_needed"]) == ("missed", True, None)
    # two runs have one: it holds the target; half-width 0.01, gap 0.002: 2·25 = 50
    two = target_verdict(Stat(0.948, 0.938, 0.958, 2), 0.95, ">=")
    assert (two["verdict"], two["single_run"], two["replications_needed"]) == ("undecided", False, 50)


def test_replications_needed_up_to_the_cap_and_past_it() -> None:
    # 10 [0, 20] against ≤ 11: 10·(10/1)² = 1,000 exactly, the cap itself, not past it
    at = target_verdict(Stat(10.0, 0.0, 20.0, 10), 11, "<=")
    assert (at["replications_needed"], at["needed_capped"]) == (1000, False)
    # against ≤ 10.5: 10·(10/0.5)² = 4,000, capped at 1,000
    past = target_verdict(Stat(10.0, 0.0, 20.0, 10), 10.5, "<=")
    assert (past["replications_needed"], past["needed_capped"]) == (1000, True)


def test_replications_without_a_value_and_a_bad_direction() -> None:
    # replications ran, but the figure has no value in any (e.g. a rate without closed cases)
    v = target_verdict(Stat(float("nan"), float("nan"), float("nan"), 3), 0.95, ">=")
    assert (v["verdict"], v["replications_needed"], v["replications"]) == ("undecided", None, 3)
    with pytest.raises(ValueError, match="^direction must be '>=' or '<=', got '=>'$"):
        target_verdict(Stat(1.0, 0.0, 2.0, 5), 1, "=>")
