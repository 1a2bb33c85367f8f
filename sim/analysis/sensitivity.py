"""How much each assumption moves the headline figures (one at a time, common random numbers).

Effort (service-time) assumptions drive a caseload projection more than anything else, so a
plan should be shown with how fragile it is. Each assumption is moved down and up by a relative
step (10 % by default) with everything else fixed; every variant runs with the base scenario's
seed, so the paired difference from the base isolates the assumption.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from ..model.scenario import Scenario, scenario_from_dict, scenario_to_dict
from .results import Results, _clean, paired_difference
from .runner import run

FIGURES = ("within_limit_rate", "pending_end", "disposition_days_mean", "judge_utilisation", "overdue_pending_end")


def _scale_effort(d: dict, f: float) -> None:
    for ct in d["case_types"]:
        ct["effort"]["mean"] *= f


def _scale_waiting(d: dict, f: float) -> None:
    for ct in d["case_types"]:
        ct["waiting"]["mean"] *= f


def _scale_demand(d: dict, f: float) -> None:
    d["demand"]["disputes_per_year"] *= f


def _scale_mediation(d: dict, f: float) -> None:
    d["mediation"]["success_rate"] = min(1.0, d["mediation"]["success_rate"] * f)


def _scale_hours(d: dict, f: float) -> None:
    d["calendar"]["hours_per_day"] = min(16.0, d["calendar"]["hours_per_day"] * f)


def _scale_settlement(d: dict, f: float) -> None:
    for ct in d["case_types"]:
        ct["settlement_rate"] = min(1.0, ct["settlement_rate"] * f)


def _scale_support(d: dict, f: float) -> None:
    d["support"]["max_reduction"] = min(0.9, d["support"]["max_reduction"] * f)


# name -> (what it changes, how)
ASSUMPTIONS: dict[str, tuple[str, Callable[[dict, float], None]]] = {
    "effort": ("judge hours per case, every case type", _scale_effort),
    "waiting": ("procedural waiting days, every case type", _scale_waiting),
    "demand": ("disputes per year", _scale_demand),
    "mediation_success": ("pre-filing mediation success rate", _scale_mediation),
    "hours_per_day": ("judge hours of case work per working day", _scale_hours),
    "settlement": ("settlement / withdrawal rates", _scale_settlement),
    "support": ("largest effort reduction from assistants and clerks", _scale_support),
}


def variant(base: Scenario, assumption: str, factor: float) -> Scenario:
    """The base scenario with one assumption multiplied by ``factor``."""
    if assumption not in ASSUMPTIONS:
        raise ValueError(f"unknown assumption {assumption!r}; choose from {', '.join(ASSUMPTIONS)}")
    d = scenario_to_dict(base)
    ASSUMPTIONS[assumption][1](d, factor)
    return scenario_from_dict(d)


@dataclass
class Sensitivity:
    """Paired effects of moving each assumption down and up by ``delta``."""

    base: Results
    delta: float
    effects: dict[tuple[str, str], Results]   # (assumption, "down"|"up") -> results
    deltas: dict[str, float] = field(default_factory=dict)  # an assumption's own step, where not ``delta``

    def step(self, name: str) -> float:
        """The relative step ``name`` was moved by."""
        return self.deltas.get(name, self.delta)

    def rows(self, figures: tuple[str, ...] = FIGURES) -> list[dict[str, Any]]:
        """One row per assumption, direction and figure, ordered by the largest effect on the first figure."""
        out = []
        for (name, direction), res in self.effects.items():
            for fig in figures:
                d = paired_difference(res, self.base, fig)
                out.append({"assumption": name, "changes": ASSUMPTIONS[name][0], "direction": direction,
                            "factor": 1 - self.step(name) if direction == "down" else 1 + self.step(name),
                            "figure": fig, "base": _clean(self.base.summary()[fig].mean),
                            "diff_mean": _clean(d.mean), "diff_ci_low": _clean(d.ci_low),
                            "diff_ci_high": _clean(d.ci_high)})
        first = figures[0]
        swing = {name: max(abs(r["diff_mean"] or 0) for r in out if r["assumption"] == name and r["figure"] == first)
                 for name, _ in self.effects}
        out.sort(key=lambda r: (-swing[r["assumption"]], r["assumption"], r["direction"], figures.index(r["figure"])))
        return out

    def to_json(self) -> str:
        return json.dumps({"scenario": self.base.scenario.name, "seed": self.base.seed,
                           "replications": self.base.replications, "delta": self.delta, "rows": self.rows()},
                          ensure_ascii=False, indent=2)


def sensitivity(base: Scenario, delta: float = 0.1, assumptions: Optional[list[str]] = None,
                replications: Optional[int] = None, seed: Optional[int] = None, workers: Optional[int] = None,
                progress: Optional[Callable[[int, int], None]] = None,
                runner: Callable[..., Results] = run, deltas: Optional[dict[str, float]] = None) -> Sensitivity:
    """Run the base and each assumption at ×(1 − delta) and ×(1 + delta) with one seed.

    ``deltas`` gives some assumptions their own step (a calibrated court's fitted ranges).
    """
    deltas = dict(deltas or {})
    if not all(0 < d < 1 for d in [delta, *deltas.values()]):
        raise ValueError("delta must be between 0 and 1 (0.1 = ±10 %)")
    names = list(ASSUMPTIONS) if assumptions is None else assumptions
    n = base.replications if replications is None else replications
    s = base.seed if seed is None else seed
    total = n * (1 + 2 * len(names))
    done_runs = [0]

    def cb(done: int, _tot: int) -> None:
        if progress:
            progress(done_runs[0] * n + done, total)

    base_res = runner(base, replications=n, seed=s, workers=workers, progress=cb)
    done_runs[0] += 1
    effects = {}
    for name in names:
        d = deltas.get(name, delta)
        for direction, f in (("down", 1 - d), ("up", 1 + d)):
            effects[(name, direction)] = runner(variant(base, name, f), replications=n, seed=s, workers=workers,
                                                progress=cb)
            done_runs[0] += 1
    return Sensitivity(base_res, delta, effects, {k: v for k, v in deltas.items() if k in names})
