"""One-at-a-time sensitivity with common random numbers."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import ROOT, scenario
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
    base = scenario("baseline", horizon_months=6)
    sens = sensitivity(base, delta=0.2, assumptions=["waiting", "effort"], replications=3, workers=1)
    rows = sens.rows()
    get = {(r["assumption"], r["direction"], r["figure"]): r for r in rows}
    assert get[("effort", "up", "pending_end")]["diff_mean"] > 0
    assert get[("effort", "up", "judge_utilisation")]["diff_mean"] > 0
    assert get[("effort", "down", "pending_end")]["diff_mean"] < 0
    assert get[("effort", "up", "within_limit_rate")]["diff_mean"] <= 0
    # effort moves the within-limit rate more than waiting does on this court, and comes first
    assert rows[0]["assumption"] == "effort"


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
