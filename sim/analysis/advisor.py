"""The allocation advisor: how to split a court's judges, assistants and clerks across its teams,
and how many more posts would meet every target.

:func:`advise` answers two questions for a scenario (the plan on screen):

1. the best split of the staff given (a *full search*, :class:`~.advisor_search.SplitSearch`):
   the plan that misses the fewest of the scenario's targets and, among those, has the best
   objective (the highest within-limit rate, or the fewest pending at the end);
2. with extra posts offered (judges, and assistants and clerks if offered), the fewest extra
   posts whose best plan meets every target, with the split re-optimised at each total
   searched (:class:`~.advisor_search.MoreSearch`): the curve of "posts added vs figure" is
   never below the full search at the same total.

Every verdict is the 95 % interval's ("met" only when the interval lies on the target's
side), over the refined replications, with common random numbers across all plans.
The modules: :mod:`.advisor_plan` (plans and inputs), :mod:`.advisor_fluid` (which plans to
simulate), :mod:`.advisor_search` (the searches and the ranking rule), :mod:`.advisor_explain`
(the reasons) and :mod:`.advisor_table` (the answer as tables for exports).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Literal, Optional, Sequence

from ..model.scenario import Scenario, scenario_to_dict
from ..vocabulary.advisor_text import advised_description
from .advisor_explain import WORSE_CHECKED, explain, explain_more, explained_point
from .advisor_fluid import EXHAUSTIVE_LIMIT, LazyFluid
from .advisor_plan import (
    AdviceInputError,
    Plan,
    _largest_remainder,
    check_inputs,
    current_plan,
    plan_dict,
    plan_scenario,
    teams_of,
    tracks_receiving_cases,
)
from .advisor_search import (
    Candidate,
    MoreSearch,
    Point,
    ProgressFn,
    Settings,
    SplitSearch,
    Store,
    mean_meets,
    paired,
    reported_figures,
    stat,
    targets_of,
    verdicts,
)
from .results import Results

__all__ = ["Advice", "AdviceInputError", "Plan", "advise", "check_inputs", "plan_scenario", "current_plan",
           "tracks_receiving_cases", "WORSE_CHECKED", "EXHAUSTIVE_LIMIT", "RANKING_RULE",
           "_largest_remainder"]

Objective = Literal["within_limit_rate", "pending_end", "within_limit_rate_simple", "within_limit_rate_complex"]

RANKING_RULE = ("order by: within the given totals first, then replications run (refined first), then targets "
                "missed by the mean (every target counts; fewest first), then the objective's mean, then "
                "candidate order; a target is met when its 95 % interval lies on the target's side")


@dataclass
class Advice:
    """What :func:`advise` found. Every figure is a mean over replications with a 95 % interval.

    - ``best``: the recommended plan for the staff given, as a complete scenario, ready for
      ``ScenarioStore.save``; ``best_plan`` / ``best_results``: its per-track staffing and results.
    - ``candidates``: one row per plan simulated at the staff given, best first in the ranking.
    - ``runners_up``: refined plans whose paired 95 % interval of (plan − best) on the
      objective contains 0: statistically indistinguishable from the best.
    - ``current``: the plan on screen with its figures and the paired difference (best − it).
    - ``staff_curve``: one point per total of extra posts searched (0 first): the best plan
      there (re-optimised), its figures and verdicts; ``smallest_meeting``: per target, the
      fewest extra posts searched whose point meets it (None: not within the posts offered);
      ``fewest``: the same for every target at once.
    - ``explanation`` / ``more_explanation``: the reasons, as data (see :mod:`.advisor_explain`);
      in words by :mod:`sim.vocabulary.advisor_text`; ``more_best``: the plan the second one
      explains (with extra posts) as a complete scenario, None when no extra posts were searched.
    """

    base_name: str
    objective: str
    seed: int
    totals: dict[str, int]
    extra_posts: int
    screen_replications: int
    refine_replications: int
    exhaustive: bool
    best: Scenario
    best_plan: Plan
    best_results: Results
    candidates: list[dict[str, Any]]
    runners_up: list[dict[str, Any]]
    current: Optional[dict[str, Any]]
    staff_curve: list[dict[str, Any]]
    smallest_meeting: dict[str, Optional[dict[str, Any]]]
    replications_run: int
    elapsed_seconds: float
    ranking_rule: str = field(default="")
    explanation: dict[str, Any] = field(default_factory=dict)
    offer: dict[str, int] = field(default_factory=dict)
    targets: dict[str, float] = field(default_factory=dict)
    fewest: Optional[dict[str, Any]] = None
    more_explanation: dict[str, Any] = field(default_factory=dict)
    every_total: bool = False
    more_best: Optional[Scenario] = None

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data: the command line's ``--json`` and the app's download."""
        return {
            "scenario": self.base_name,
            "objective": self.objective,
            "seed": self.seed,
            "totals": dict(self.totals),
            "extra_posts": self.extra_posts,
            "offer": dict(self.offer),
            "targets": dict(self.targets),
            "screen_replications": self.screen_replications,
            "refine_replications": self.refine_replications,
            "exhaustive": self.exhaustive,
            "ranking_rule": self.ranking_rule,
            "best": {
                "plan": plan_dict(self.best_plan),
                "teams": teams_of(self.best),
                "summary": {k: v.as_dict() for k, v in self.best_results.summary().items()},
                "targets": self.best_results.targets(),  # three-state verdicts, as on every surface
                "replications": self.best_results.replications,
            },
            "candidates": self.candidates,
            "runners_up": self.runners_up,
            "current": self.current,
            "staff_curve": self.staff_curve,
            "smallest_meeting": self.smallest_meeting,
            "fewest": self.fewest,
            "every_total": self.every_total,
            "replications_run": self.replications_run,
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "explanation": self.explanation,
            "more_explanation": self.more_explanation,
            "best_scenario": scenario_to_dict(self.best),
        }


def _figures(store: Store, c: Candidate, figs: Sequence[str], n: Optional[int] = None) -> dict[str, Any]:
    return {f: stat(store, c, f, n).as_dict() for f in figs}


def _rows(search: SplitSearch, store: Store, cfg: Settings, figs: Sequence[str]) -> list[dict[str, Any]]:
    """One row per plan of the search at the staff given, best first."""
    best = search.best
    rows = []
    for pos, i in enumerate(search.ranked):
        c = search.cands[i]
        d = paired(store, c, best, cfg.objective) if i != search.ranked[0] else None
        others = [f for f in cfg.targets if f != cfg.objective]
        rows.append({
            "rank": pos + 1, "candidate": i, "label": c.plan.label or ("every plan" if search.exhaustive else ""),
            "plan": plan_dict(c.plan), "teams": teams_of(c.scenario), "replications": c.level,
            "figures": _figures(store, c, figs),
            "targets": verdicts(cfg.targets, lambda f, c=c: store.values(c.key, f, c.level)),
            "feasible": all(mean_meets(f, stat(store, c, f).mean, cfg.targets[f]) for f in others),
            "within_totals": c.eligible,
            "diff_vs_best": None if d is None else d.as_dict(),
            "stage": "refined" if c.level >= cfg.refine else ("raced" if c.level > cfg.screen else "screened"),
        })
    return rows


def _point(store: Store, cfg: Settings, p: Point, figs: Sequence[str]) -> dict[str, Any]:
    """A point of the curve as plain data."""
    c = p.cand
    mix = dict(zip(("judges", "assistants", "clerks"), p.mix, strict=True))
    return {"added": p.added, "mix": mix, "judges": c.plan.total("judges"), "totals": c.plan.totals(),
            "plan": plan_dict(c.plan), "teams": teams_of(c.scenario), "source": p.source,
            "replications": cfg.refine, "figures": _figures(store, c, figs, cfg.refine), "targets": p.verdicts,
            "meets_all": p.meets_all,
            "searched": [{"mix": dict(zip(("judges", "assistants", "clerks"), m, strict=True)), "plans": len(s.cands),
                          "best": plan_dict(s.best.plan),
                          "objective": stat(store, s.best, cfg.objective, cfg.refine).as_dict()} for m, s in p.searches]}


def advise(base: Scenario, judges: int, assistants: int, clerks: int, extra_posts: int = 0,
           objective: Objective = "within_limit_rate", mediation_shares: Optional[Sequence[float]] = None,
           screen_replications: int = 3, refine_replications: Optional[int] = None, top_k: int = 5,
           seed: Optional[int] = None, workers: Optional[int] = None,
           progress: Optional[ProgressFn] = None, extra_assistants: int = 0, extra_clerks: int = 0,
           every_total: bool = False) -> Advice:
    """The best split of ``judges``, ``assistants`` and ``clerks`` across ``base``'s teams, and
    the fewest of up to ``extra_posts`` more judges (and ``extra_assistants``,
    ``extra_clerks``) whose best plan meets every target of ``base``.

    ``mediation_shares``: shares of disputes offered pre-filing mediation to try as well
    (default: only the scenario's). ``refine_replications`` defaults to the scenario's
    replications; ``seed`` to the scenario's. ``workers``: processes (default all cores).
    ``progress(done, total)`` counts replications; ``total`` is an estimate and can change.
    ``every_total``: search every total of extra posts, not only those the answer needs.
    The same inputs and seed always give the same advice, whatever ``workers`` is.
    Raises :class:`AdviceInputError` for totals that cannot staff the teams.
    """
    from .pool import default_workers

    t0 = time.perf_counter()
    check_inputs(base, judges, assistants, clerks, extra_posts, mediation_shares, objective,
                 extra_assistants, extra_clerks)
    n_s = max(1, int(screen_replications))
    n_r = max(n_s, int(base.replications if refine_replications is None else refine_replications), 2)
    s = base.seed if seed is None else int(seed)
    w = default_workers() if workers is None else max(1, int(workers))
    shares = tuple(sorted({round(float(x), 6) for x in mediation_shares})) if mediation_shares else \
        (base.mediation.share_offered,)
    targets = targets_of(base)
    cfg = Settings(objective, n_s, n_r, max(1, int(top_k)), shares, targets)
    figs = reported_figures(targets)
    totals = {"judges": judges, "assistants": assistants, "clerks": clerks}
    offer = {"judges": extra_posts, "assistants": extra_assistants, "clerks": extra_clerks}

    store = Store(s, w, progress)
    fluid = LazyFluid(base)
    start = SplitSearch(store, base, fluid, totals, cfg).run()
    more = MoreSearch(store, base, fluid, totals, offer, cfg, start, every_total).run()
    # the plan on screen at the refined replications: every gain is paired over the same ones
    cur0 = start.cands[start.cur]
    store.ensure([(cur0.key, base)], n_r)
    cur = Candidate(cur0.plan, base, cur0.key, level=n_r, eligible=cur0.eligible, current=True)
    best = start.best
    best_scn = best.scenario.model_copy(update={"name": f"{base.name} · advised"[:120],
                                                "description": _describe(base, best.plan, objective)}, deep=True)
    rows = _rows(start, store, cfg, figs)
    runners = []
    for row in rows[1:]:
        c = start.cands[row["candidate"]]
        if c.level <= n_s or not c.eligible:
            continue
        d = paired(store, c, best, objective)
        if d.n >= 2 and d.ci_low <= 0 <= d.ci_high:
            runners.append({**row, "paired_replications": d.n})
    current = {
        "plan": plan_dict(cur.plan), "teams": teams_of(base), "replications": n_r, "within_totals": cur.eligible,
        "figures": _figures(store, cur, figs),
        "targets": verdicts(targets, lambda f: store.values(cur.key, f, n_r)),
        "best_minus_current": {f: paired(store, best, cur, f).as_dict() for f in figs},
        "is_best": best.key == cur.key,
    }
    curve = [_point(store, cfg, more.points[k], figs) for k in sorted(more.points)]
    smallest = {f: _hit(more.fewest(lambda p, f=f: p.meets(f))) for f in targets}
    fewest = _hit(more.fewest(lambda p: p.meets_all))
    more_best = None
    if len(more.points) > 1:
        p, _ = explained_point(more, cfg)
        more_best = p.cand.scenario.model_copy(update={
            "name": f"{base.name} · +{p.added}"[:120],
            "description": _describe(base, p.cand.plan, objective)}, deep=True)
    store.shrink(store.total)  # finished: the bar ends at what was actually run
    return Advice(
        base_name=base.name, objective=objective, seed=s, totals=totals, extra_posts=extra_posts,
        screen_replications=n_s, refine_replications=n_r, exhaustive=start.exhaustive,
        best=best_scn, best_plan=best.plan, best_results=store.results(best.key, n_r), candidates=rows,
        runners_up=runners, current=current, staff_curve=curve, smallest_meeting=smallest,
        replications_run=store.done, elapsed_seconds=time.perf_counter() - t0, ranking_rule=RANKING_RULE,
        explanation=explain(base, store, cfg, cur, best, best_scn, more), offer=offer, targets=targets,
        fewest=fewest, more_explanation=explain_more(base, store, cfg, cur, more), every_total=every_total,
        more_best=more_best,
    )


def _hit(p: Optional[Point]) -> Optional[dict[str, Any]]:
    if p is None:
        return None
    return {"added": p.added, "judges": p.cand.plan.total("judges"), "totals": p.cand.plan.totals(),
            "mix": dict(zip(("judges", "assistants", "clerks"), p.mix, strict=True)), "plan": plan_dict(p.cand.plan)}


def _describe(base: Scenario, plan: Plan, objective: str) -> str:
    text = advised_description(base.name, base.description or "", objective, plan.judges, plan.assistants,
                               plan.clerks, plan.mediation_share)
    return text[:4000]
