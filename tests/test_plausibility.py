"""The built-in courts land in the ranges published for courts of their kind (few replications)."""
from __future__ import annotations

import subprocess
import sys

from helpers import ROOT
from sim.analysis.plausibility import all_ok, default_paths, run_checks
from sim.cli.plausibility import checks_text
from sim.vocabulary.figure_format import figure_name


def test_built_in_courts_are_plausible() -> None:
    checks = run_checks(default_paths(), replications=4, workers=2)
    assert all_ok(checks), "\n" + checks_text(checks, "en")
    names = {c.scenario for c in checks}
    assert names == {"baseline", "weak-court", "weak-court-restaffing"}
    # what is checked: the published figures for a typical basic court
    figs = {c.figure for c in checks if c.scenario == "baseline"}
    assert {"disposition_days_mean", "within_limit_rate", "closures_per_judge", "long_pending_share",
            "mediation_resolution_share", "simple_procedure_share", "extension_rate"} <= figs
    # issue 22: no court reports more than 30 % of its closed cases extended, a weak one neither
    weak = {c.figure: c for c in checks if c.scenario == "weak-court"}
    assert "extension_rate" in weak
    assert weak["extension_rate"].value.mean <= 0.30, weak["extension_rate"]


def test_plausibility_command_flags_a_court_out_of_range(tmp_path) -> None:
    """A baseline with a third of its speedy team is no typical basic court: exit status 1."""
    text = (ROOT / "scenarios" / "baseline.yaml").read_text(encoding="utf-8")
    text = text.replace("{name: 速裁团队, track: simple, judges: 11,", "{name: 速裁团队, track: simple, judges: 4,")
    bad = tmp_path / "thin.yaml"
    bad.write_text(text.replace("horizon_months: 24", "horizon_months: 6"), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "sim", "plausibility", str(bad), "-n", "2", "-w", "1", "-q",
                          "--lang", "en"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "OUT OF RANGE" in out.stdout and figure_name("en", "within_limit_rate") in out.stdout
