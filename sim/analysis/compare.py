"""Side-by-side comparison of scenarios under common random numbers.

All scenarios run with one seed and one number of replications, so replication *r* of
every scenario sees the same disputes; the difference of each figure from the reference is
then paired replication by replication, and its interval reflects the plans, not the dice.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Optional

from ..model.figures import FIGURES
from .results import Results, _clean, paired_difference, rows_to_csv
from .runner import run
from ..model.scenario import Scenario, scenario_to_dict

HEADLINE = (
    "within_limit_rate", "clearance_rate", "pending_end", "overdue_pending_end", "long_pending_end",
    "disposition_days_mean", "judge_utilisation", "closures_per_judge", "mediation_resolution_share",
    "extension_rate", "wait_days_mean",
)


@dataclass
class Comparison:
    """Results of several scenarios run with the same seed and replications."""

    names: list[str]
    results: list[Results]
    reference: int
    seed: int
    replications: int

    def rows(self, figures: tuple[str, ...] = tuple(FIGURES)) -> list[dict[str, Any]]:
        """One row per (figure, scenario): mean, interval, paired difference from the reference."""
        ref = self.results[self.reference]
        out = []
        for fig in figures:
            for name, res in zip(self.names, self.results):
                st = res.summary()[fig]
                d = paired_difference(res, ref, fig)
                tgt = res.targets().get(fig)
                out.append({
                    "figure": fig, "scenario": name, "reference": self.names[self.reference],
                    "mean": _clean(st.mean), "ci_low": _clean(st.ci_low), "ci_high": _clean(st.ci_high),
                    "diff_mean": _clean(d.mean), "diff_ci_low": _clean(d.ci_low), "diff_ci_high": _clean(d.ci_high),
                    "target": None if tgt is None else tgt["target"],
                    "met": None if tgt is None else tgt["met"],
                })
        return out

    def differences(self) -> list[dict[str, Any]]:
        """Parameters whose values differ between the scenarios (dotted path → value per scenario)."""
        flat = [_flatten(scenario_to_dict(r.scenario)) for r in self.results]
        keys = sorted(set().union(*flat))
        out = []
        for k in keys:
            if k.split(".")[0] in ("name", "description", "seed", "replications"):
                continue
            vals = [f.get(k) for f in flat]
            if any(v != vals[0] for v in vals[1:]):
                out.append({"field": k, "values": dict(zip(self.names, vals))})
        return out

    def to_csv(self, lang: Optional[str] = None) -> str:
        """Every row as CSV; with ``lang``, each figure's name and unit next to its code."""
        return rows_to_csv(self.rows(), lang)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed, "replications": self.replications,
            "reference": self.names[self.reference], "scenarios": self.names,
            "rows": self.rows(), "differences": self.differences(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_json_dict(), ensure_ascii=False, indent=2, default=str)


def _flatten(d: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(d, dict):
        for k, v in d.items():
            out.update(_flatten(v, f"{prefix}{k}."))
    elif isinstance(d, list) and d and all(isinstance(x, dict) for x in d):
        for i, v in enumerate(d):
            out.update(_flatten(v, f"{prefix}{i}."))
    else:
        out[prefix[:-1]] = d
    return out


def unique_names(names: list[str]) -> list[str]:
    """Make display names unique by numbering repeats."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n in seen:
            seen[n] += 1
            out.append(f"{n} ({seen[n]})")
        else:
            seen[n] = 1
            out.append(n)
    return out


def compare(scenarios: list[Scenario], reference: int = 0, replications: Optional[int] = None,
            seed: Optional[int] = None, workers: Optional[int] = None,
            progress: Optional[Callable[[int, int], None]] = None,
            runner: Callable[..., Results] = run) -> Comparison:
    """Run every scenario with the reference's seed and replications (unless given) and compare.

    ``progress(done, total)`` counts replications over all scenarios.
    ``runner`` lets the app pass a cached version of :func:`sim.analysis.runner.run`.
    """
    if not 1 <= len(scenarios):
        raise ValueError("compare needs at least one scenario")
    if not 0 <= reference < len(scenarios):
        raise ValueError(f"reference must be 0 to {len(scenarios) - 1}")
    ref = scenarios[reference]
    n = ref.replications if replications is None else replications
    s = ref.seed if seed is None else seed
    total = n * len(scenarios)
    results = []
    for i, scn in enumerate(scenarios):
        cb = None
        if progress:
            base = i * n
            cb = (lambda done, _tot, base=base: progress(base + done, total))
        results.append(runner(scn, replications=n, seed=s, workers=workers, progress=cb))
    return Comparison(unique_names([x.name for x in scenarios]), results, reference, s, n)
