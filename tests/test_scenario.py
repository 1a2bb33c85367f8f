"""The scenario schema: every invalid value gets one message naming the field, the value and
what is allowed; the built-in scenarios load and round-trip."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import CHECKS, ROOT, SCENARIOS, scenario
from sim.model.scenario import (
    ScenarioError,
    apply_overrides,
    dump_yaml,
    json_schema,
    load_scenario,
    load_yaml_text,
    scenario_from_dict,
    scenario_to_dict,
)

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


# each numeric field's allowed values, written out from docs/model.md's parameter tables:
# (integer?, lowest, highest, lowest excluded?)
NUMERIC_FIELDS: dict[str, tuple[bool, float, float, bool]] = {
    "teams.0.judges": (True, 0, 500, False),
    "teams.0.assistants": (True, 0, 500, False),
    "mediation.share_offered": (False, 0, 1, False),
    "mediation.success_rate": (False, 0, 1, False),
    "triage.accuracy": (False, 0, 1, False),
    "demand.disputes_per_year": (False, 0, 500_000, False),
    "horizon_months": (True, 1, 120, False),
    "calendar.hours_per_day": (False, 0, 16, True),
    "case_types.0.effort.mean": (False, 0, 100_000, True),   # a case without effort is no case
    "case_types.0.effort.cv": (False, 0, 10, False),
    "warmup_days": (True, 0, 3650, False),
    "support.max_reduction": (False, 0, 0.9, False),
}
# the baseline's hearings take 3 + 2 x 1 slots of 3 hours a week, at most 80 % of a judge's
# five days: fewer than 3.75 hours a day is refused at the hearing slots
HEARING_HOURS = (3 + 2 * 1) * 3 / (0.8 * 5)


def _allowed(path: str, value) -> tuple[bool, str]:
    """Whether ``value`` is allowed at ``path`` (from the table above), and the field an error names."""
    integer, lo, hi, open_lo = NUMERIC_FIELDS[path]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) == float("inf"):
        return False, path
    if integer and value != int(value):
        return False, path
    if not (lo < value if open_lo else lo <= value) or value > hi:
        return False, path
    if path == "calendar.hours_per_day" and value < HEARING_HOURS:
        return False, "hearings.slots_per_week"
    return True, path


def _put(data: dict, path: str, value) -> dict:
    cur = data
    parts = path.split(".")
    for p in parts[:-1]:
        cur = cur[int(p)] if p.isdigit() else cur[p]
    cur[parts[-1]] = value
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(NUMERIC_FIELDS)),
       st.one_of(st.integers(-10**7, 10**7), st.floats(allow_nan=True), st.floats(-2, 20), st.booleans(),
                 st.text(max_size=5), st.none(), st.sampled_from([0, 1, 0.9, 3.75, 3.7, 16, 16.5, 120, 121,
                                                                  500, 501, -1, 0.5, 2.5, 3650, 3651])))
def test_any_value_is_either_valid_or_a_field_error(path: str, value) -> None:
    """An allowed value (by the table above, not by the schema) is taken as it is; any other is
    refused with an error naming the field. Planted bug caught: a bound dropped from the schema
    (``share_offered`` without ``le=1``): the old test let a bad value through as long as nothing
    crashed."""
    ok, where = _allowed(path, value)
    data = _put(scenario_to_dict(scenario("baseline")), path, value)
    if ok:
        scn = scenario_from_dict(data)
        assert _get(scenario_to_dict(scn), path) == value
        return
    with pytest.raises(ScenarioError) as exc:
        scenario_from_dict(data)
    assert [e.path for e in exc.value.errors] == [where], exc.value.errors


@pytest.mark.parametrize("path", sorted(NUMERIC_FIELDS))
def test_each_field_takes_exactly_its_range(path: str) -> None:
    """Every field at its bounds and just past them (the random examples above may miss a bound
    moved by a little: a planted ``le=24`` for ``hours_per_day`` passed one run of them)."""
    integer, lo, hi, open_lo = NUMERIC_FIELDS[path]
    step = 1 if integer else 1e-6
    values = [lo - step, lo, hi, hi + step] + ([lo + 0.5, True, "5"] if integer else [True, "0.5", None])
    for value in values:
        ok, where = _allowed(path, value)
        data = _put(scenario_to_dict(scenario("baseline")), path, value)
        if ok:
            assert _get(scenario_to_dict(scenario_from_dict(data)), path) == value, value
        else:
            with pytest.raises(ScenarioError) as exc:
                scenario_from_dict(data)
            assert [e.path for e in exc.value.errors] == [where], (value, exc.value.errors)
    assert sum(_allowed(path, v)[0] for v in values) == (1 if open_lo else 2) or path == "calendar.hours_per_day"


def _get(data, path: str):
    for p in path.split("."):
        data = data[int(p)] if p.isdigit() else data[p]
    return data


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
