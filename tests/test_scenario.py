"""The scenario schema: every invalid value gets one message naming the field, the value and
what is allowed; the built-in scenarios load and round-trip."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from helpers import CHECKS, ROOT, SCENARIOS, scenario
from sim.model.scenario import (ScenarioError, apply_overrides, dump_yaml, json_schema, load_scenario, load_yaml_text,
                          scenario_from_dict, scenario_to_dict)

BUILT_IN = sorted(p.stem for p in SCENARIOS.glob("*.yaml")) + sorted(p.stem for p in CHECKS.glob("*.yaml"))


@pytest.mark.parametrize("name", BUILT_IN)
def test_built_in_scenarios_load_and_round_trip(name: str) -> None:
    scn = scenario(name)
    again = load_yaml_text(dump_yaml(scn))
    assert scenario_to_dict(again) == scenario_to_dict(scn)
    assert "illustrative" in scn.description.lower()


def _errors(**changes) -> list:
    data = apply_overrides(scenario_to_dict(scenario("baseline")), [f"{k}={v}" for k, v in changes.items()])
    with pytest.raises(ScenarioError) as exc:
        scenario_from_dict(data)
    return exc.value.errors


@pytest.mark.parametrize("path,value,fragment", [
    ("teams.0.judges", -1, "greater than or equal to 0"),
    ("teams.0.judges", 501, "less than or equal to 500"),
    ("mediation.share_offered", 1.5, "less than or equal to 1"),
    ("triage.accuracy", "high", "valid number"),
    ("horizon_months", 0, "greater than or equal to 1"),
    ("case_types.1.effort.dist", "weibull", "exponential"),
    ("calendar.working_weekdays", "[0, 8]", "1 (Monday) to 7 (Sunday)"),
    ("queue_discipline", "lifo", "fifo"),
    ("demand.monthly_profile", "[1, 2, 3]", "at least 12"),
])
def test_bad_value_names_field_value_and_range(path: str, value, fragment: str) -> None:
    errs = _errors(**{path: value})
    assert len(errs) == 1
    e = errs[0]
    assert e.path == path
    assert fragment in e.message
    assert path in str(e) and "got" in str(e)


def test_unknown_field_is_refused() -> None:
    errs = _errors(**{"teams.0.judgez": 3})
    assert errs[0].path == "teams.0.judgez"
    assert "unknown field" in errs[0].message


def test_shares_must_sum_to_one() -> None:
    errs = _errors(**{"case_types.0.share": 0.5})
    assert errs[0].path == "case_types"
    assert "sum to 1" in errs[0].message


def test_track_without_team() -> None:
    data = scenario_to_dict(scenario("baseline"))
    data["teams"] = [t for t in data["teams"] if t["track"] == "simple"]
    with pytest.raises(ScenarioError) as exc:
        scenario_from_dict(data)
    assert exc.value.errors[0].path == "teams"
    assert "complex" in exc.value.errors[0].message


def test_unknown_procedure_and_duplicate_team_names() -> None:
    assert "unknown procedure" in _errors(**{"case_types.0.procedure": "martial"})[0].message
    errs = _errors(**{"teams.1.name": "速裁团队"})
    assert errs[0].path == "teams.1.name" and "unique" in errs[0].message


def test_staff_change_cannot_make_negative_staff() -> None:
    errs = _errors(**{"teams.0.changes": "[{start: 2025-03-01, judges: -99}]"})
    assert errs[0].path == "teams.0.changes.0.judges"


def test_yaml_is_loaded_safely() -> None:
    with pytest.raises(ScenarioError) as exc:
        load_yaml_text("!!python/object/apply:os.system ['echo hi']")
    assert "not valid YAML" in str(exc.value)
    with pytest.raises(ScenarioError):
        load_yaml_text("- just\n- a list\n")


def test_overrides_parse_values_and_report_bad_paths() -> None:
    data = scenario_to_dict(scenario("baseline"))
    out = apply_overrides(data, ["teams.0.judges=9", "mediation.mediators=null", "calendar.push_months=[11, 12]"])
    scn = scenario_from_dict(out)
    assert scn.teams[0].judges == 9 and scn.mediation.mediators is None and scn.calendar.push_months == [11, 12]
    assert data["teams"][0]["judges"] == scenario("baseline").teams[0].judges   # the input is not modified
    with pytest.raises(ScenarioError) as exc:
        apply_overrides(data, ["teams.12.judges=1"])
    assert "index out of range" in str(exc.value)
    with pytest.raises(ScenarioError):
        apply_overrides(data, ["no-equals-sign"])


def test_json_schema_describes_fields() -> None:
    schema = json_schema()
    assert schema["additionalProperties"] is False
    assert "teams" in schema["properties"]
    out = subprocess.run([sys.executable, "-m", "sim", "schema"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0
    assert json.loads(out.stdout)["title"] == "Scenario"


NUMERIC_FIELDS = ["teams.0.judges", "teams.0.assistants", "mediation.share_offered", "mediation.success_rate",
                  "triage.accuracy", "demand.disputes_per_year", "horizon_months", "calendar.hours_per_day",
                  "case_types.0.effort.mean", "case_types.0.effort.cv", "warmup_days", "support.max_reduction"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(NUMERIC_FIELDS), st.one_of(st.integers(-10**7, 10**7), st.floats(allow_nan=True),
                                                  st.text(max_size=5), st.none()))
def test_any_value_is_either_valid_or_a_field_error(path: str, value) -> None:
    data = apply_overrides(scenario_to_dict(scenario("baseline")), [f"{path}={json.dumps(value)}"])
    try:
        scenario_from_dict(data)
    except ScenarioError as exc:
        assert exc.errors
        assert all(e.path for e in exc.errors)


def test_text_fields_refuse_control_characters_yaml_cannot_round_trip() -> None:
    errs = _errors(**{"description": '"a\\x85b"'})
    assert errs[0].path == "description" and "U+0085" in errs[0].message
    ok = scenario("baseline", description='"line one\\nline two"')
    assert load_yaml_text(dump_yaml(ok)).description == "line one\nline two"


def test_save_scenario_is_atomic_and_round_trips(tmp_path) -> None:
    from sim.model.scenario import save_scenario

    path = tmp_path / "s.yaml"
    save_scenario(scenario("weak-court"), path)
    assert scenario_to_dict(load_scenario(path)) == scenario_to_dict(scenario("weak-court"))
    assert [p.name for p in tmp_path.iterdir()] == ["s.yaml"]   # no temporary file left behind
