"""Comparisons under common random numbers: exact zero against itself, expected signs, CLI."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import scenario
from sim.analysis.compare import compare
from sim.analysis.results import paired_difference, unpaired_difference
from sim.analysis.runner import run
from sim.model.figures import FIGURES
from sim.model.scenario import dump_yaml
from sim.store.scenario_store import ENV_VAR, ScenarioStore
from sim.vocabulary.figure_registry import COMPARED

ROOT = Path(__file__).resolve().parent.parent
REPS = 4
HORIZON = 6


@pytest.fixture(scope="module")
def base():
    return scenario(horizon_months=HORIZON)


@pytest.fixture(scope="module")
def busiest_plus_one(base):
    """The baseline and a plan with one more judge in its busiest team (by utilisation)."""
    res = run(base, replications=REPS, workers=1)
    util = [t["utilisation"]["mean"] for t in res.teams()]
    idx = max(range(len(util)), key=util.__getitem__)
    plan = scenario(horizon_months=HORIZON, **{f"teams.{idx}.judges": base.teams[idx].judges + 1})
    plan = plan.model_copy(update={"name": "plan: one more judge"})
    # with per-judge dockets one more judge also reshuffles which judge hears which case, so
    # the paired difference needs more replications than a pooled team did to be sure of its sign
    return idx, plan, compare([base, plan], replications=2 * REPS, workers=1)


def test_scenario_against_itself_is_exactly_zero(base):
    twin = base.model_copy(update={"name": "twin"})
    cmp = compare([base, twin], replications=REPS, workers=1)
    rows = cmp.rows()
    assert {r["scenario"] for r in rows} == {base.name, "twin"}
    checked = 0
    for r in rows:
        if r["mean"] is None:
            continue
        assert (r["diff_mean"], r["diff_ci_low"], r["diff_ci_high"]) == (0.0, 0.0, 0.0), r
        checked += 1
    assert checked >= len(FIGURES)  # both columns, almost every figure defined
    assert cmp.differences() == []
    # the twin's own figures equal the reference's: same disputes, same plan
    for fig in FIGURES:
        assert np.array_equal(cmp.results[0].summary_reps[fig], cmp.results[1].summary_reps[fig], equal_nan=True)


def test_one_more_judge_in_the_busiest_team_helps(busiest_plus_one):
    idx, plan, cmp = busiest_plus_one
    row = {(r["figure"], r["scenario"]): r for r in cmp.rows(COMPARED)}
    pend = row[("pending_end", plan.name)]
    assert pend["diff_mean"] < 0 and pend["diff_ci_high"] < 0  # fewer pending, and not by chance
    wl = row[("within_limit_rate", plan.name)]
    assert wl["diff_mean"] >= 0 and wl["diff_ci_high"] >= 0
    # the reference's own row differs from itself by nothing
    assert row[("pending_end", cmp.names[0])]["diff_mean"] == 0
    assert row[("pending_end", plan.name)]["reference"] == cmp.names[0]


def test_common_random_numbers_narrow_the_interval(busiest_plus_one):
    _, _, cmp = busiest_plus_one
    paired = paired_difference(cmp.results[1], cmp.results[0], "pending_end")
    unpaired = unpaired_difference(cmp.results[1], cmp.results[0], "pending_end")
    assert paired.mean == pytest.approx(unpaired.mean)
    assert paired.ci_high - paired.ci_low < 0.5 * (unpaired.ci_high - unpaired.ci_low)


def test_differences_lists_the_changed_field(busiest_plus_one):
    idx, plan, cmp = busiest_plus_one
    diffs = cmp.differences()
    assert [d["field"] for d in diffs] == [f"teams.{idx}.judges"]
    assert list(diffs[0]["values"].values()) == [plan.teams[idx].judges - 1, plan.teams[idx].judges]


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    e = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=ROOT, env=e, capture_output=True,
                          text=True, timeout=300)


def test_cli_compare_csv_to_stdout(tmp_path, base, busiest_plus_one):
    _, plan, _ = busiest_plus_one
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(dump_yaml(base), encoding="utf-8")
    b.write_text(dump_yaml(plan), encoding="utf-8")
    p = _cli("compare", str(a), str(b), "--reference", str(b), "--csv", "-", "-n", "2", "-w", "1", "-q",
             "--set", "horizon_months=3")
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("\ufeff")                       # a BOM on stdout too
    rows = list(csv.DictReader(io.StringIO(p.stdout[1:])))
    # one row per figure (then each procedure's two), the plans side by side
    by = {r["Figure code"]: r for r in rows}
    assert [r["Figure code"] for r in rows[:len(FIGURES)]] == list(FIGURES)
    assert f"{plan.name} (reference): Mean" in rows[0] and f"{base.name}: Mean" in rows[0]
    assert f"{base.name}: vs reference" in rows[0] and f"{plan.name} (reference): vs reference" not in rows[0]
    pend = by["pending_end"]
    assert float(pend[f"{base.name}: vs reference"]) > 0  # the baseline has more pending than the plan
    assert float(pend[f"{base.name}: Mean"]) > float(pend[f"{plan.name} (reference): Mean"])


def test_cli_compare_saved_files_and_names(tmp_path, base, busiest_plus_one):
    _, plan, _ = busiest_plus_one
    store = ScenarioStore(tmp_path / "saved")
    saved = store.save(plan, "方案甲：增加一名法官", note="busiest team +1")
    env = {ENV_VAR: str(tmp_path / "saved")}
    # a saved file by path, and a saved scenario by name; the reference by its name
    p = _cli("compare", str(saved.file), "方案甲：增加一名法官", str(ROOT / "scenarios" / "baseline.yaml"),
             "--reference", base.name, "--json", "-", "-n", "2", "-w", "1", "-q", "--set", "horizon_months=2",
             env=env)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["reference"] == base.name
    assert out["scenarios"] == ["方案甲：增加一名法官", "方案甲：增加一名法官 (2)", base.name]
    assert [d["field"] for d in out["differences"]] == [d["field"] for d in busiest_plus_one[2].differences()]
    # each plan's per-track figures and its by-procedure table
    row = next(r for r in out["rows"] if r["figure"] == "within_limit_rate_complex" and r["scenario"] == base.name)
    assert 0 <= row["mean"] <= 1 and row["target"] == 0.95
    assert [p["procedure"] for p in out["procedures"][base.name]] == ["small_claims", "simple", "ordinary"]
    bad = _cli("compare", str(saved.file), "no such plan", "-n", "1", "-q", env=env)
    assert bad.returncode == 2 and "no saved scenario of that name" in bad.stderr and "Traceback" not in bad.stderr
    bad_ref = _cli("compare", str(saved.file), str(saved.file), "--reference", "nope", "-n", "1", "-q",
                   "--set", "horizon_months=1",
                   env=env)
    assert bad_ref.returncode == 2 and "--reference" in bad_ref.stderr


# --- what differs, in words (issue 11 part 9) ---------------------------------------------------

def _weak_pair():
    from sim.model.scenario import load_scenario

    return [load_scenario(ROOT / "scenarios" / f) for f in ("weak-court.yaml", "weak-court-restaffing.yaml")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_what_differs_lists_every_change_of_the_weak_court_restaffing(lang):
    import re

    from sim.analysis.compare import what_differs
    from sim.vocabulary.field_labels import label

    weak, restaffed = _weak_pair()
    groups = what_differs([weak, restaffed], lang)
    items = [(g.title, it) for g in groups for it in g.items]
    # every dated change of every team, each as its own line, under its team
    expected = sum(len(tm.changes) for tm in restaffed.teams) - sum(len(tm.changes) for tm in weak.teams)
    changes = [(title, it) for title, it in items if "changes[" in it.key]
    assert len(changes) == expected == 9
    second = [it for title, it in changes if "民事二庭" in title]
    assert len(second) == 4
    moved = [it for it in second if it.values[1].startswith(("法官 −1", "judges −1"))]
    assert len(moved) == 1 and "2025-03-01" in moved[0].label
    # and the mediation settings, with their values as percentages
    med = {it.label: it.values for _, it in items if it.key.startswith("mediation.")}
    assert med[label(lang, "mediation.share_offered")] == ["15%", "30%"]
    assert set(med) == {label(lang, f"mediation.{f}") for f in ("share_offered", "success_rate", "mediators")}
    # nothing is a raw key or None
    texts = [g.title for g in groups] + [s for _, it in items for s in [it.label, *it.values]]
    for s in texts:
        assert "None" not in s and "null" not in s, s
        assert not re.search(r"\b[a-z_]+\.[a-z_0-9.]+\b", s), s  # no dotted key like teams.2.changes
    assert groups[0].kind == "team" and [g.kind for g in groups].count("team") == 3


def test_what_differs_covers_every_flat_difference():
    """Each raw difference (dotted path) is reported by some item of the same team, section,
    case type or procedure: nothing is left out, whatever the count."""
    from sim.analysis.compare import what_differs
    from sim.model.scenario import scenario_from_dict, scenario_to_dict

    weak, restaffed = _weak_pair()
    data = scenario_to_dict(weak)
    data["teams"].append({"name": "新团队", "track": "complex", "judges": 2, "assistants": 1, "clerks": 1})
    data["case_types"] = data["case_types"][:3]
    total = sum(c["share"] for c in data["case_types"])
    for c in data["case_types"]:
        c["share"] /= total
    data["targets"]["within_limit_rate"] = None
    data["calendar"]["public_holidays"] = "none"
    data["calendar"]["holidays"] = ["2025-10-09"]
    other = scenario_from_dict(data)
    groups = what_differs([weak, other, restaffed], "en", reference=0)
    titles = [g.title for g in groups]
    assert "Team “新团队”" in titles and "Case type “Difficult and complex”" in titles  # its English name
    flat = {it.label: it.values for g in groups for it in g.items}
    assert flat["Target: Within-limit rate"] == ["95.0%", "none", "95.0%"]
    assert flat["Public holidays"] == ["China's public holidays and swapped days", "none (working weekdays only)",
                                       "China's public holidays and swapped days"]
    assert flat["Further days off"] == ["none", "2025-10-09", "none"]
    assert flat["In the plan"] == ["yes", "(none)", "yes"]
    assert flat["Team “新团队”"] == ["(no such team)", "complex, 2 judges, 1 assistants, 1 clerks", "(no such team)"]


def test_every_schema_field_has_a_label_in_both_languages():
    from sim.model.scenario import Scenario
    from sim.vocabulary.field_labels import FIELDS

    def walk(model, prefix=""):
        for name, f in model.model_fields.items():
            ann = f.annotation
            args = getattr(ann, "__args__", ()) or ()
            inner = next((a for a in (ann, *args) if isinstance(a, type) and hasattr(a, "model_fields")), None)
            path = f"{prefix}{name}"
            if inner is not None and path not in FIELDS:
                yield from walk(inner, path + (".*." if args and ann.__origin__ in (list, dict) else "."))
            else:
                yield path

    paths = list(walk(Scenario))
    assert len(paths) > 60
    missing = [p for p in paths if p not in FIELDS]
    assert not missing, missing
    for p, (zh, en, kind) in FIELDS.items():
        assert kind == "target" or (zh and en), p
