"""Court caseload what-if simulator: the engine (no user interface).

Typical use::

    from sim import load_scenario, run
    res = run(load_scenario("scenarios/baseline.yaml"), replications=20)
    res.summary()["within_limit_rate"]
"""
from .scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict
from .runner import run

__all__ = ["Scenario", "ScenarioError", "load_scenario", "scenario_from_dict", "run"]
