"""One-at-a-time sensitivity with common random numbers."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from helpers import ROOT, scenario
from sim.analysis.runner import run
from sim.analysis.sensitivity import sensitivity, variant


def test_variant_scales_only_its_assumption() -> None:
    base = scenario("baseline")
    v = variant(base, "effort", 1.1)
    assert [c.effort.mean for c in v.case_types] == pytest.approx([c.effort.mean * 1.1 for c in base.case_types])
    assert [c.waiting.mean for c in v.case_types] == [c.waiting.mean for c in base.case_types]
    assert v.demand == base.demand
    with pytest.raises(ValueError):
        variant(base, "weather", 1.1)


def test_more_effort_hurts_and_rows_are_ordered_by_swing() -> None:
    """Rows come by swing (the largest paired change in the first figure, down or up), largest
    first. Planted bug caught: rows sorted by the assumption's name. The test used "effort" and
    "waiting", whose alphabetical order is also their order by swing; these three assumptions'
    order by swing (computed here from direct runs) is neither alphabetical nor its reverse."""
    base = scenario("baseline", horizon_months=6)
    names = ["settlement", "effort", "demand"]
    sens = sensitivity(base, delta=0.2, assumptions=names, replications=3, workers=1)
    rows = sens.rows()
    get = {(r["assumption"], r["direction"], r["figure"]): r for r in rows}
    assert get[("effort", "up", "pending_end")]["diff_mean"] > 0
    assert get[("effort", "up", "judge_utilisation")]["diff_mean"] > 0
    assert get[("effort", "down", "pending_end")]["diff_mean"] < 0
    assert get[("effort", "up", "within_limit_rate")]["diff_mean"] <= 0
    # each assumption's swing from direct runs of the base and the two variants, same seed
    ref = run(base, replications=3, seed=base.seed, workers=1).summary_reps["within_limit_rate"]
    swing = {n: max(abs(float(np.mean(run(variant(base, n, f), replications=3, seed=base.seed, workers=1)
                                      .summary_reps["within_limit_rate"] - ref))) for f in (0.8, 1.2))
             for n in names}
    by_swing = sorted(names, key=lambda n: -swing[n])
    assert len(set(swing.values())) == 3 and by_swing not in (sorted(names), sorted(names, reverse=True))
    assert list(dict.fromkeys(r["assumption"] for r in rows)) == by_swing
    for n in names:
        assert max(abs(get[(n, d, "within_limit_rate")]["diff_mean"]) for d in ("down", "up")) == \
            pytest.approx(swing[n], abs=1e-12)


def test_the_tornado_draws_the_largest_swing_on_top_whatever_the_names() -> None:
    """The tornado's bars come by swing, not by name: with rows listed in another order, the
    frame and the chart's y order are W(aiting), D(emand), E(ffort) by swing 0.05, 0.04, 0.02
    (alphabetically they are demand, effort, waiting; in words 需求, 工时, 等待). Planted bug
    caught: the tornado sorted alphabetically (frame or chart)."""
    from sim.report.calibration_spec import tornado_chart, tornado_frame

    def row(name, direction, change):
        return {"assumption": name, "direction": direction, "figure": "within_limit_rate", "diff_mean": change,
                "diff_ci_low": change - 0.01, "diff_ci_high": change + 0.01}
    rows = [row("demand", "down", 0.03), row("demand", "up", -0.04), row("effort", "down", 0.02),
            row("effort", "up", -0.01), row("waiting", "down", -0.01), row("waiting", "up", 0.05),
            {**row("waiting", "up", 9.0), "figure": "pending_end"}]   # another figure: not drawn
    names = {"demand": "需求 ±10%", "effort": "工时 ±10%", "waiting": "等待 ±10%"}
    df = tornado_frame("zh", rows, "within_limit_rate", names)
    assert list(df["key"]) == ["waiting", "waiting", "demand", "demand", "effort", "effort"]
    assert list(df["change"]) == [-0.01, 0.05, 0.03, -0.04, 0.02, -0.01]
    spec = tornado_chart("zh", rows, "within_limit_rate", names).to_dict()
    assert spec["encoding"]["y"]["sort"] == ["等待 ±10%", "需求 ±10%", "工时 ±10%"]


def test_cli_sensitivity_json() -> None:
    out = subprocess.run([sys.executable, "-m", "sim", "sensitivity", "scenarios/baseline.yaml", "-n", "2", "-q",
                          "--workers", "1", "--set", "horizon_months=2", "--json", "-"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["delta"] == 0.1 and len({r["assumption"] for r in data["rows"]}) == 7
    bad = subprocess.run([sys.executable, "-m", "sim", "sensitivity", "scenarios/baseline.yaml", "--delta", "2"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--delta" in bad.stderr and "Traceback" not in bad.stderr
