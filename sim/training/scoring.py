"""Figures of the groups' plans, their ranking with paired intervals, and the best answer.

Every plan of an exercise runs with the exercise's seed and replications, so replication r of
every group's plan sees the same disputes (common random numbers): the difference between two
plans, replication by replication, is the plans' and not chance's, and its 95 % interval is
what decides whether two groups can be told apart.

Identical plans are computed once: results are kept by the hash of the scenario the plan runs
as (in this process, with one computation per hash even when twelve groups ask at once, and
in the session's folder, so a restarted server or another process finds them).

Ranking rule (exact): groups are ordered by the mean of the deciding figure (better first, by
the figure's direction; then by name). A group is *tied* with the group ranked just above it
when the paired 95 % interval of their difference covers 0; a tied group takes the rank of the
group above it (so 1, 1, 3 …). Each row also has the paired difference from the starting plan
and from the best answer.
"""
from __future__ import annotations

import hashlib
import math
import threading
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence

import numpy as np

from ..analysis.results import Stat, mean_ci, target_verdict
from ..analysis.runner import map_replications, scenario_key
from ..model.figures import FIGURES
from ..model.scenario import Scenario
from ..vocabulary.figure_registry import REGISTRY
from .exercise import Exercise
from .plan import Plan, plan_scenario

Figures = dict[str, np.ndarray]   # figure -> value per replication


def result_key(scn: Scenario) -> str:
    """The cache key of a scenario's run: every parameter, seed and replications included."""
    blob = f"{scenario_key(scn)}|{scn.seed}|{scn.replications}"
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


class PlanEvaluator:
    """Runs plans once per distinct scenario and remembers the figures.

    ``store`` and ``code``: a :class:`sim.training.session.TrainingStore` and session whose
    ``results/`` folder also keeps them. Thread-safe: concurrent calls for the same plan wait
    for one computation. ``lookup``: figures computed elsewhere in the process (the app's
    results of a group's plan on the what-if page: the same scenario, seed and replications, so
    the same numbers), as every figure per replication, or None; used before running a plan.
    """

    def __init__(self, workers: Optional[int] = None,
                 lookup: Optional[Callable[[Scenario], Optional[dict[str, np.ndarray]]]] = None):
        self.workers = workers
        self.lookup = lookup
        self._done: dict[str, Figures] = {}
        self._busy: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self.computed = 0   # scenarios actually simulated by this evaluator (for tests and benchmarks)

    def evaluate(self, scn: Scenario, store: Any = None, code: str = "") -> Figures:
        """Per-replication summary figures of ``scn`` (its own seed and replications)."""
        key = result_key(scn)
        while True:
            with self._lock:
                if key in self._done:
                    return self._done[key]
                ev = self._busy.get(key)
                if ev is None:
                    ev = self._busy[key] = threading.Event()
                    break
            ev.wait()
        try:
            figs = self._from_store(store, code, key)
            if figs is None:
                figs = self._looked_up(scn)
                if figs is None:
                    reps = map_replications([(scn, scn.seed, r) for r in range(scn.replications)], self.workers)
                    figs = {k: np.array([r["summary"][k] for r in reps], dtype=float) for k in FIGURES}
                    with self._lock:
                        self.computed += 1
                if store is not None:
                    store.save_result(code, key, {"figures": {k: [_num(x) for x in v] for k, v in figs.items()}})
            with self._lock:
                self._done[key] = figs
            return figs
        finally:
            with self._lock:
                self._busy.pop(key, None)
            ev.set()

    def _looked_up(self, scn: Scenario) -> Optional[Figures]:
        """The figures :attr:`lookup` has for ``scn``, if a full run of it."""
        got = self.lookup(scn) if self.lookup is not None else None
        if not got or any(k not in got or len(got[k]) != scn.replications for k in FIGURES):
            return None
        return {k: np.asarray(got[k], dtype=float) for k in FIGURES}

    @staticmethod
    def _from_store(store: Any, code: str, key: str) -> Optional[Figures]:
        data = store.load_result(code, key) if store is not None else None
        if not data or not isinstance(data.get("figures"), dict):
            return None
        try:
            figs = {k: np.array([math.nan if x is None else float(x) for x in data["figures"][k]]) for k in FIGURES}
        except (KeyError, TypeError, ValueError):
            return None
        return figs

    def plan(self, ex: Exercise, start: Scenario, plan: Plan, store: Any = None, code: str = "") -> Figures:
        """Figures of a group's plan."""
        return self.evaluate(plan_scenario(ex, start, plan), store, code)


def _num(x: float) -> Optional[float]:
    return float(x) if math.isfinite(x) else None


# --- ranking ---------------------------------------------------------------------------------
@dataclass
class RankRow:
    """One group in the ranking (see the module docstring for the rule)."""

    group: str
    rank: int
    tied: bool                 # tied with the group ranked just above
    value: Stat                # the deciding figure
    vs_start: Stat             # paired difference from the starting plan
    vs_best: Optional[Stat]    # paired difference from the best answer (None until computed)
    verdict: Optional[dict[str, Any]]   # against the exercise's target (None without one)


def paired(a: np.ndarray, b: np.ndarray) -> Stat:
    """Mean and 95 % interval of a − b, replication by replication."""
    n = min(len(a), len(b))
    return mean_ci(np.asarray(a[:n], dtype=float) - np.asarray(b[:n], dtype=float))


def covers_zero(s: Stat) -> bool:
    """True when the interval contains 0 (or there is no interval): cannot be told apart."""
    return not (math.isfinite(s.ci_low) and math.isfinite(s.ci_high)) or s.ci_low <= 0 <= s.ci_high


def rank_groups(figure: str, target: Optional[float], entries: Sequence[tuple[str, np.ndarray]],
                start: np.ndarray, best: Optional[np.ndarray] = None) -> list[RankRow]:
    """The ranking of ``entries`` (group name, values of ``figure`` per replication)."""
    sign = 1.0 if REGISTRY[figure].better == "higher" else -1.0
    scored = [(name, np.asarray(v, dtype=float), mean_ci(v)) for name, v in entries]
    scored.sort(key=lambda e: (-sign * e[2].mean if math.isfinite(e[2].mean) else math.inf, e[0]))
    out: list[RankRow] = []
    for i, (name, v, stat) in enumerate(scored):
        tied = i > 0 and covers_zero(paired(v, scored[i - 1][1]))
        rank = out[-1].rank if tied else i + 1
        verdict = None if target is None else target_verdict(stat, target, REGISTRY[figure].target_direction)
        out.append(RankRow(name, rank, tied, stat, paired(v, start), None if best is None else paired(v, best),
                           verdict))
    return out


# --- the best answer -------------------------------------------------------------------------
Evaluate = Callable[[Plan], Figures]


def _better(figure: str, a: Figures, b: Figures) -> bool:
    sign = 1.0 if REGISTRY[figure].better == "higher" else -1.0
    ma, mb = float(np.nanmean(a[figure])), float(np.nanmean(b[figure]))
    return math.isfinite(ma) and (not math.isfinite(mb) or sign * (ma - mb) > 0)


def pick_best(figure: str, candidates: Sequence[tuple[Plan, Figures]]) -> tuple[Plan, Figures]:
    """The candidate with the best mean of ``figure`` (the first among equals)."""
    best = candidates[0]
    for c in candidates[1:]:
        if _better(figure, c[1], best[1]):
            best = c
    return best


# --- the session's standings -----------------------------------------------------------------
@dataclass
class Standings:
    """Everything the trainer's view, the CSV and the handout show: the ranking of the groups
    that submitted, the starting plan's and the best answer's figures, and who has not
    submitted yet."""

    figure: str
    target: Optional[float]
    start: Figures
    rows: list[RankRow]
    plans: dict[str, Plan]
    figures: dict[str, Figures]
    waiting: list[str]
    answer: Optional[Plan] = None
    answer_figures: Optional[Figures] = None


def standings(ex: Exercise, start: Scenario, store: Any, code: str, evaluator: PlanEvaluator) -> Standings:
    """The session's standings now (plans not yet run are run; identical plans once)."""
    from .plan import plan_from_dict, starting_plan

    first = evaluator.plan(ex, start, starting_plan(ex, start), store, code)
    ans = store.load_answer(code)
    ans_plan = ans_figs = None
    if ans and isinstance(ans.get("plan"), dict):
        ans_plan = plan_from_dict(ans["plan"])
        ans_figs = evaluator.plan(ex, start, ans_plan, store, code)
    plans, figs, waiting = {}, {}, []
    for g in store.groups(code):
        if g.plan is None:
            if not g.problem:
                waiting.append(g.name)
            continue
        plans[g.name] = g.plan
        figs[g.name] = evaluator.plan(ex, start, g.plan, store, code)
    f = ex.deciding.figure
    rows = rank_groups(f, ex.deciding.target, [(n, v[f]) for n, v in figs.items()], first[f],
                       None if ans_figs is None else ans_figs[f])
    return Standings(f, ex.deciding.target, first, rows, plans, figs, waiting, ans_plan, ans_figs)
