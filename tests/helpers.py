"""Small helpers shared by the engine tests."""
from __future__ import annotations

from pathlib import Path

from sim.model.scenario import Scenario, apply_overrides, load_scenario, scenario_from_dict, scenario_to_dict

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def scenario(name: str = "baseline", **changes) -> Scenario:
    """A built-in scenario with dotted-path changes, e.g. ``scenario(**{"teams.0.judges": 9})``."""
    scn = load_scenario(SCENARIOS / f"{name}.yaml")
    if not changes:
        return scn
    data = apply_overrides(scenario_to_dict(scn), [f"{k}={v}" for k, v in changes.items()])
    return scenario_from_dict(data)
