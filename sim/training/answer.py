"""The best answer to an exercise, found under the same limits the groups work in.

Staff levers (moving or adding judges, assistants and clerks, with or without the mediation
share) are answered by the allocation advisor (:func:`sim.analysis.advisor.advise`) given the
totals the limits allow: the starting totals plus the extra posts, or, for a pool of new staff
("5 administrative staff as assistants or clerks"), each way of splitting the pool. Its
recommendations that pass the exercise's checker are then run like any group's plan (same
seed, same replications) and the best on the deciding figure is the answer. Levers the advisor
cannot choose (a secondment's month and team, the freeze's day, the mediation share when it is
the only lever) are answered by running every option the limits allow.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from ..analysis.advisor import advise
from ..model.scenario import Scenario
from .exercise import ROLES, Exercise
from .plan import Plan, SecondmentChoice, Staff, check_plan, starting_plan
from .scoring import Figures, pick_best

#: mediation shares tried between the exercise's limits, in steps of this
SHARE_STEP = 0.05
#: the advisor's recommendations (best first) re-run as groups' plans, per advisor call
ADVISED_KEPT = 2


@dataclass
class Answer:
    """The best plan found, its figures, how it was found ("advisor" or "every_option") and
    how many plans were tried."""

    plan: Plan
    figures: Figures
    how: str
    tried: int

    def to_dict(self) -> dict:
        """What the session stores (the figures are stored with every plan's results)."""
        return {"plan": self.plan.model_dump(mode="json"), "how": self.how, "tried": self.tried}


def share_grid(lo: float, hi: float) -> list[float]:
    """``lo``, ``hi`` and the multiples of :data:`SHARE_STEP` between them."""
    inner = np.arange(np.ceil(lo / SHARE_STEP) * SHARE_STEP, hi, SHARE_STEP)
    return sorted({round(float(x), 6) for x in (lo, hi, *inner) if lo - 1e-9 <= x <= hi + 1e-9})


def _totals_to_try(ex: Exercise, first: Plan) -> list[dict[str, int]]:
    lim = ex.limits
    have = {r: sum(getattr(s, r) for s in first.teams.values()) for r in ROLES}
    base = {r: have[r] + lim.extra.get(r, 0) for r in ROLES}
    pool = lim.extra_pool
    if pool is None:
        return [base]
    out = []
    roles = list(pool.roles)

    def spread(i: int, left: int, acc: dict[str, int]) -> None:
        if i == len(roles) - 1:
            out.append({**acc, roles[i]: acc[roles[i]] + left})
            return
        for k in range(left + 1):
            spread(i + 1, left - k, {**acc, roles[i]: acc[roles[i]] + k})

    spread(0, pool.count, dict(base))
    return out


def _advised(ex: Exercise, start: Scenario, first: Plan, workers: Optional[int],
             shares: Optional[list[float]]) -> list[Plan]:
    out = []
    for totals in _totals_to_try(ex, first):
        advice = advise(start, totals["judges"], totals["assistants"], totals["clerks"], objective=ex.objective,
                        mediation_shares=shares, screen_replications=2, refine_replications=ex.replications,
                        seed=ex.seed, workers=workers, top_k=3)
        kept = 0
        for row in advice.candidates:
            plan = first.model_copy(update={
                "teams": {t["team"]: Staff(judges=t["judges"], assistants=t["assistants"], clerks=t["clerks"])
                          for t in row["teams"]},
                "mediation_share": float(row["plan"]["mediation_share"])})
            if check_plan(ex, start, plan).ok:
                out.append(plan)
                kept += 1
                if kept >= ADVISED_KEPT:
                    break
    return out


def candidate_plans(ex: Exercise, start: Scenario, workers: Optional[int] = None) -> tuple[list[Plan], str]:
    """The plans the answer is chosen from, and how they were found."""
    lim = ex.limits
    first = starting_plan(ex, start)
    if lim.secondment is not None:
        teams = lim.secondment.teams or [t.name for t in start.teams]
        return [first.model_copy(update={"secondment": SecondmentChoice(team=t, start_month=m)})
                for t in teams for m in range(lim.secondment.first_month, lim.secondment.last_month + 1)], \
            "every_option"
    if lim.year_end_freeze is not None:
        return [first.model_copy(update={"year_end_freeze": d}) for d in lim.year_end_freeze.days], "every_option"
    plans: list[Plan] = []
    med = lim.mediation_share
    grid = share_grid(med.min, med.max) if med else None
    if lim.change:
        plans += _advised(ex, start, first, workers, None if lim.one_lever else grid)
    if grid and (lim.one_lever or not lim.change):
        plans += [first.model_copy(update={"mediation_share": s}) for s in grid]
    seen, out = set(), []
    for p in plans:
        if p.key() not in seen and check_plan(ex, start, p).ok:
            seen.add(p.key())
            out.append(p)
    return out, "advisor" if lim.change else "every_option"


def best_answer(ex: Exercise, start: Scenario, evaluate: Callable[[Plan], Figures],
                workers: Optional[int] = None) -> Optional[Answer]:
    """The best plan within ``ex``'s limits on the deciding figure (None when no plan the
    advisor proposes fits the limits)."""
    plans, how = candidate_plans(ex, start, workers)
    if not plans:
        return None
    plan, figs = pick_best(ex.deciding.figure, [(p, evaluate(p)) for p in plans])
    return Answer(plan, figs, how, len(plans))
