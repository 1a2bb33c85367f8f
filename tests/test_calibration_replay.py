"""Replay scores and naive forecasts on series computable by hand, and the calibrated court as
a scenario that the store saves and the loader reads back (issue 12 parts 3 and 4, issue 22
parts 1 and 5): the court as it stood at the export, its open cases on their judges' dockets."""
from __future__ import annotations

import math

import numpy as np
import pytest

from conftest import ROOT
from sim.calibration.build import FITTED
from sim.calibration.calibrated import forecast_scenario
from sim.calibration.estimate import Param
from sim.calibration.fit import Fit, estimate
from sim.calibration.naive import compare, mape, mase, mase_scale, naive_forecasts
from sim.calibration.records import import_cases
from sim.calibration.replay import Series, prediction_band
from sim.calibration.totals import import_monthly, import_staffing
from sim.model.scenario import load_scenario
from sim.store.scenario_store import ScenarioStore

EXAMPLE = ROOT / "scenarios" / "examples" / "court-records"


def test_mape_by_hand():
    # |110-100|/100 = 0.1, |180-200|/200 = 0.1, the month with actual 0 is left out
    assert mape(np.array([100, 200, 0]), np.array([110, 180, 5])) == pytest.approx(0.1)
    assert math.isnan(mape(np.array([0.0]), np.array([1.0])))


def test_coverage_by_hand():
    s = Series("closed", ["a", "b", "c", "d"], actual=np.array([10, 20, 30, np.nan]), mean=np.array([10, 25, 20, 5]),
               low=np.array([8, 21, 15, 0]), high=np.array([12, 29, 30, 9]))
    # inside: 10 in [8, 12] yes, 20 in [21, 29] no, 30 in [15, 30] yes (edge), month d has no actual
    assert s.coverage == pytest.approx(2 / 3)
    assert s.mape == pytest.approx((0 + 5 / 20 + 10 / 30) / 3)


def test_prediction_band_by_hand():
    reps = np.array([[10.0, 0.0], [14.0, 0.0]])
    mean, lo, hi = prediction_band(reps, 0.0, 12.0)
    sd = math.sqrt(8.0)  # sample sd of 10 and 14
    half = 1.959964 * sd * math.sqrt(1 + 1 / 2)
    assert mean[0] == 12 and lo[0] == pytest.approx(12 - half) and hi[0] == 12.0  # cut at the cap
    assert lo[1] == hi[1] == 0.0


def test_naive_forecasts_by_hand():
    actual = np.arange(1.0, 19.0)  # months 0..17 hold 1..18
    f = naive_forecasts(actual, 12, 3)  # forecast months 12, 13, 14 from months 0..11
    assert list(f["last_month"]) == [12.0, 12.0, 12.0]
    assert list(f["same_month_last_year"]) == [1.0, 2.0, 3.0]
    assert list(f["mean_12"]) == [6.5, 6.5, 6.5]                 # mean of 1..12
    assert list(f["drift"]) == [13.0, 14.0, 15.0]                # 12 + (12 − 9)/3 per month
    short = naive_forecasts(actual, 2, 2)
    assert np.isnan(short["same_month_last_year"]).all() and np.isnan(short["drift"]).all()
    assert list(short["mean_12"]) == [1.5, 1.5]


def test_mase_scale_and_score_by_hand():
    history = np.array([10.0] * 12 + [14.0, 12.0])          # 14 months: lag-12 differences 4 and 2
    assert mase_scale(history) == (3.0, "seasonal")
    assert mase_scale(np.array([1.0, 3.0, 2.0])) == (1.5, "last_month")  # under 13 months: lag 1
    assert mase(np.array([10.0, 20.0]), np.array([13.0, 17.0]), 3.0) == pytest.approx(1.0)


def test_compare_says_which_naive_forecast_the_model_beats():
    # twelve flat months, then a climb the model foresees and last month carried forward does not
    actual = np.array([100.0] * 12 + [110.0, 120.0, 130.0])
    got = compare(actual, np.array([111.0, 119.0, 131.0]), 12, 3)
    assert got["beats"] == ["last_month", "same_month_last_year", "mean_12", "drift"] and got["loses_to"] == []
    # the drift of the last three months (flat) is 100 for every month: error (10 + 20 + 30)/3 / mean
    assert got["scores"]["drift"]["mape"] == pytest.approx((10 / 110 + 20 / 120 + 30 / 130) / 3)
    # a model further off than every flat forecast (each 100 here: errors 10, 20, 30) beats none
    worse = compare(actual, np.array([90.0, 90.0, 90.0]), 12, 3)
    assert worse["beats"] == [] and worse["loses_to"] == ["last_month", "same_month_last_year", "mean_12", "drift"]
    assert worse["scores"]["model"]["mape"] == pytest.approx((20 / 110 + 30 / 120 + 40 / 130) / 3)


@pytest.fixture(scope="module")
def example_fit():
    """The example court with its direct estimates and the template's multipliers (no search)."""
    imp = import_cases(EXAMPLE / "cases-utf8.csv.gz")
    est = estimate(imp, import_monthly(EXAMPLE / "monthly.csv"), import_staffing(EXAMPLE / "staffing.csv"))
    tpl = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    mult = {k: Param(f"fit.{k}", 1.0, 0.8, 1.2, "simulation") for k in FITTED}
    from sim.calibration.build import build_scenario

    fit = Fit(estimates=est, multipliers=mult, scenario=build_scenario(est, tpl), template=tpl, loss=0.0,
              degrees_of_freedom=1, evaluations=0, seconds=0.0, reps=1)
    return imp, fit


def test_forecast_scenario_starts_after_the_export_with_the_pending_cases(example_fit, tmp_path):
    imp, fit = example_fit
    scn = forecast_scenario(fit, imp, months=12)
    assert scn.start_date.isoformat() == "2027-01-01" and scn.horizon_months == 12
    pending = [c for c in imp.cases if c.closing is None]
    assert scn.initial_pending.simple + scn.initial_pending.complex == len(pending)
    # each open case listed with its own filing date, under its presiding judge
    listed = sorted(d for g in scn.initial_pending.cases for d in g.filed)
    assert listed == sorted(c.filing for c in pending)
    on_judge = {(g.judge, d) for g in scn.initial_pending.cases if g.judge for d in g.filed}
    assert on_judge <= {(c.judge, c.filing) for c in pending} and len(on_judge) > 0
    # the last recorded month's staffing, no dated change
    last = [r for r in import_staffing(EXAMPLE / "staffing.csv").rows if r.month == "2026-12"]
    assert {t.name: (t.judges, t.assistants, t.clerks) for t in scn.teams} == \
        {r.team: (r.judges, r.assistants, r.clerks) for r in last}
    assert all(not t.changes for t in scn.teams)
    assert scn.description_zh and scn.description_en
    store = ScenarioStore(tmp_path)
    store.save(scn, "本院校准方案")
    back = store.load("本院校准方案")
    assert back == scn.model_copy(update={"name": back.name})


def test_replay_scenario_has_the_recorded_staffing_month_by_month(example_fit):
    from sim.analysis.runner import staffing_for

    _imp, fit = example_fit
    rows = import_staffing(EXAMPLE / "staffing.csv").rows
    want = {(r.month, r.team): (r.judges, r.assistants, r.clerks) for r in rows}
    got = {(s["month"], s["team"]): (round(s["judges"]), round(s["assistants"]), round(s["clerks"]))
           for s in staffing_for(fit.scenario)}
    assert got == want


def test_out_of_sample_refuses_records_too_short_for_the_holdout(example_fit):
    from sim.calibration.replay import out_of_sample
    from sim.model.errors import CodedError

    imp, fit = example_fit
    with pytest.raises(CodedError) as e:
        out_of_sample(imp, fit, holdout=20)  # 24 months: 20 held out leaves 4 to fit on, 6 needed
    assert e.value.code == "cal_out_of_sample" and "26" in e.value.text("en") and "24" in e.value.text("en")


def test_a_run_from_a_month_inside_the_records_starts_from_the_cases_open_that_day(example_fit):
    """The holdout's and any replay's origin (issue 22 part 1): the simulated court at 2026-07-01
    holds exactly the cases open that day — counted here from the records by hand — not those
    of the records' first day: each replication's pending at the end of its first month minus
    its filings plus its closings is that count."""
    import datetime as dt

    from sim.calibration.replay import run_from

    imp, fit = example_fit
    cut = dt.date(2026, 7, 1)
    open_at_cut = sum(1 for c in imp.cases if c.filing < cut and (c.closing is None or c.closing >= cut))
    open_at_start = sum(1 for c in imp.cases if c.filing < fit.estimates.start
                        and (c.closing is None or c.closing >= fit.estimates.start))
    assert open_at_cut != open_at_start      # the check tells the two origins apart
    labels, arrays, _s = run_from(fit, imp.cases, cut, 2, 2, uncertainty=False, workers=1)
    assert labels == ["2026-07", "2026-08"]
    carried = arrays["pending_end"][:, 0] - arrays["filed"][:, 0] + arrays["closed"][:, 0]
    assert carried.tolist() == [open_at_cut, open_at_cut]


def test_the_quality_gate_by_hand_and_in_the_scenarios_description(example_fit):
    """Issue 22 part 5: far off when χ²/dof is above 5, or when out of sample the forecast of the
    pending caseload or the closings errs by more than 10 % and more than 1.5 times the best
    naive forecast; a far-off fit says so first in the scenario's description."""
    from types import SimpleNamespace

    from sim.calibration.gate import judge

    def fit(loss, dof):
        return SimpleNamespace(loss=loss, degrees_of_freedom=dof, chi2_per_dof=loss / dof)

    def oos(model, naive, figure="pending_end"):
        scores = {"model": {"mape": model}, "last_month": {"mape": naive}, "drift": {"mape": naive * 2}}
        return SimpleNamespace(naive={figure: {"scores": scores, "best_naive": "last_month"}})

    assert judge(fit(50.0, 10)).ok                                 # 5.0: not above the limit
    g = judge(fit(51.0, 10))
    assert not g.ok and [r["code"] for r in g.reasons] == ["gate_chi2"]
    g = judge(fit(20.0, 10), oos(0.16, 0.10))                      # 16 % > 10 % and > 1.5 × 10 %
    assert not g.ok and g.reasons[0]["code"] == "gate_naive" and g.reasons[0]["params"]["which"] == "last_month"
    assert judge(fit(20.0, 10), oos(0.14, 0.10)).ok                # under 1.5 × the best naive one
    assert judge(fit(20.0, 10), oos(0.09, 0.05)).ok                # 1.8 × but under 10 %: both excellent
    assert judge(fit(20.0, 10), oos(0.50, 0.10, "filed")).ok       # the gate looks at pending and closings
    assert not judge(fit(20.0, 10), oos(0.50, 0.10, "closed")).ok
    # the label comes first in the calibrated court's description, in both languages
    from sim.calibration.calibrated import forecast_scenario

    imp, f = example_fit
    scn = forecast_scenario(f, imp, gate=g)
    assert scn.description_en.startswith("[Poor fit: check before using it as this court's scenario]")
    assert scn.description_zh.startswith("【拟合较差，请核对后再用作本院方案】")
    assert not forecast_scenario(f, imp).description_en.startswith("[Poor fit")
