"""Court caseload what-if simulator: the engine (no user interface).

Typical use::

    from sim import load_scenario, run
    res = run(load_scenario("scenarios/baseline.yaml"), replications=20)
    res.summary()["within_limit_rate"]
"""
from .model.scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict

__all__ = ["Scenario", "ScenarioError", "load_scenario", "scenario_from_dict", "run"]


def __getattr__(name: str):
    # the runner pulls in NumPy, SciPy and SimPy: import it only when asked, so that
    # `python -m sim --help` and `sim.model.scenario` stay quick
    if name == "run":
        from .analysis.runner import run

        return run
    raise AttributeError(name)
