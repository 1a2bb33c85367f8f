"""Where a pool of new posts does the most good: greedy marginal allocation across courts.

Objective (the province file's ``objective``), computed in every replication *r* over all
courts, then averaged over replications:

- ``most_courts_meeting_targets``: the number of courts whose replication *r* meets every
  target of their scenario (so its mean is the expected number of courts meeting them);
- ``highest_lowest_within_limit_rate``: the lowest within-limit rate of any court in *r*;
- ``fewest_long_pending``: long-pending cases at the end, summed over the courts (lower is better).

Greedy step: every court still below its maximum is evaluated with one more post of the role
being handed out (judges first, then assistants, then clerks), and the post goes to the court
whose extra post improves the objective most; ties (common when no court crosses a target)
go to the larger gain in that court's own within-limit rate, then to the earlier court. Every
evaluation uses the same seed and replications (common random numbers), so the gains compared
are the posts', not chance's; a court at a given number of posts is simulated once and reused.
Courts start from their minimums.

Exchange: one post at a time cannot see that two courts must rise together (a lowest rate
shared by two courts moves only when both get a post), so the greedy answer, or a simple rule's
when that is better on the objective, is then polished by moving single posts between courts
while that improves the objective's mean (best move first); the recommended allocation is
therefore never worse on the objective's mean than spreading evenly or by caseload.

The result is compared with two simple rules, each within the same minimums and maximums:
"spread evenly" (equal shares) and "by caseload" (in proportion to disputes per year), both by
Sainte-Laguë (:func:`sim.province.tasks.apportion`), with paired 95 % intervals of the
province's objective and of each court's figures.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import numpy as np

from ..analysis.results import mean_ci, target_verdict
from ..vocabulary.figure_registry import REGISTRY
from .cluster import Runner
from .spec import OBJECTIVES, LoadedProvince
from .tasks import ROLES, Task, make_task, with_posts

#: the figures shown per court
COURT_FIGURES = ("within_limit_rate", "long_pending_end", "pending_end", "overdue_pending_end", "clearance_rate")
ALLOCATIONS = ("recommended", "even", "caseload")
Posts = tuple[int, int, int]   # judges, assistants, clerks
ProgressFn = Callable[[int, int], None]


def _posts(d: dict[str, int]) -> Posts:
    return (d.get("judges", 0), d.get("assistants", 0), d.get("clerks", 0))


class _Evaluations:
    """Each court's replications at a number of new posts, run once through ``runner``."""

    def __init__(self, province: LoadedProvince, runner: Runner, replications: int, seed: int,
                 progress: Optional[ProgressFn]):
        self.province = province
        self.runner = runner
        self.replications = replications
        self.seed = seed
        self.progress = progress
        self.cache: dict[tuple[int, Posts], list[dict]] = {}
        self.tasks_run = 0
        self.cases = 0.0

    def ensure(self, wanted: list[tuple[int, Posts]]) -> None:
        todo = list(dict.fromkeys(k for k in wanted if k not in self.cache))
        if not todo:
            return
        tasks: list[Task] = []
        for i, p in todo:
            scn = with_posts(self.province.scenarios[i], dict(zip(ROLES, p)))
            tasks.append(make_task(self.province.names[i], f"posts={p[0]}/{p[1]}/{p[2]}", scn, self.seed,
                                   self.replications))

        def done(k: int, reps: list) -> None:
            self.cache[todo[k]] = reps
            self.tasks_run += 1
            self.cases += tasks[k].cases(reps)
            if self.progress:
                self.progress(self.tasks_run, self.tasks_run + sum(1 for t in todo if t not in self.cache))

        self.runner.run(tasks, done)

    def values(self, i: int, p: Posts, figure: str) -> np.ndarray:
        return np.array([r[figure] for r in self.cache[(i, p)]], dtype=float)

    def meets(self, i: int, p: Posts) -> np.ndarray:
        """Per replication: does court ``i`` meet every one of its targets?"""
        ok = np.ones(self.replications, dtype=bool)
        for name, target in self.province.scenarios[i].targets.model_dump().items():
            if target is None:
                continue
            v = self.values(i, p, name)
            ok &= (v >= target - 1e-12) if REGISTRY[name].target_direction == ">=" else (v <= target + 1e-12)
        return ok


def objective_values(objective: str, ev: _Evaluations, alloc: list[Posts]) -> np.ndarray:
    """The province's objective in each replication under ``alloc`` (one posts triple per court)."""
    if objective == "most_courts_meeting_targets":
        return sum(ev.meets(i, p).astype(float) for i, p in enumerate(alloc))
    if objective == "highest_lowest_within_limit_rate":
        return np.min(np.vstack([ev.values(i, p, "within_limit_rate") for i, p in enumerate(alloc)]), axis=0)
    if objective == "fewest_long_pending":
        return sum(ev.values(i, p, "long_pending_end") for i, p in enumerate(alloc))
    raise ValueError(f"objective must be one of {OBJECTIVES}")


def objective_sign(objective: str) -> float:
    """+1 when a larger objective is better, -1 when smaller is."""
    return -1.0 if objective == "fewest_long_pending" else 1.0


def rule_allocation(province: LoadedProvince, weights: list[float]) -> list[Posts]:
    """The pool split by ``weights`` within every court's minimum and maximum, role by role."""
    n = len(province.names)
    per_role = []
    for role in ROLES:
        from .tasks import apportion

        mins = [c.min.get(role) for c in province.spec.courts]
        maxs = [province.limit(i, role) for i in range(n)]
        per_role.append(apportion(province.spec.pool.get(role), weights, mins, maxs))
    return [tuple(per_role[k][i] for k in range(3)) for i in range(n)]  # type: ignore[misc]


@dataclass
class Allocation:
    """The recommended allocation, the two rules it is compared with, and why, court by court."""

    province: str
    objective: str
    seed: int
    replications: int
    pool: dict[str, int]
    courts: list[str]
    allocations: dict[str, list[Posts]]
    steps: list[dict[str, Any]]
    objective_stats: dict[str, dict[str, Optional[float]]]
    objective_diffs: dict[str, dict[str, Optional[float]]]
    court_rows: list[dict[str, Any]]
    tasks_run: int = 0
    cases: float = 0.0
    seconds: float = 0.0
    where: str = ""
    reasons: list[dict[str, Any]] = field(default_factory=list)
    moves: list[dict[str, Any]] = field(default_factory=list)   # posts moved after the greedy pass

    def to_json_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["allocations"] = {k: [dict(zip(ROLES, p)) for p in v] for k, v in self.allocations.items()}
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_json_dict(), ensure_ascii=False, indent=2, default=float)


def allocate(province: LoadedProvince, runner: Runner, replications: Optional[int] = None,
             seed: Optional[int] = None, objective: Optional[str] = None,
             progress: Optional[ProgressFn] = None) -> Allocation:
    """Hand out the province's pool post by post where the objective gains most (see the module)."""
    t0 = time.perf_counter()
    spec = province.spec
    obj = objective or spec.objective
    if obj not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}")
    n = spec.replications if replications is None else int(replications)
    s = spec.seed if seed is None else int(seed)
    ev = _Evaluations(province, runner, n, s, progress)
    k = len(province.names)
    sign = objective_sign(obj)
    alloc = [[c.min.get(r) for r in ROLES] for c in spec.courts]
    zero: Posts = (0, 0, 0)
    steps: list[dict[str, Any]] = []
    for ri, role in enumerate(ROLES):
        left = spec.pool.get(role) - sum(a[ri] for a in alloc)
        while left > 0:
            eligible = [i for i in range(k) if alloc[i][ri] < province.limit(i, role)]
            if not eligible:
                break
            cur = [tuple(a) for a in alloc]
            plus = {i: tuple(a + (1 if j == ri else 0) for j, a in enumerate(alloc[i])) for i in eligible}
            # the court that got the last post often gets the next: its next-but-one is simulated
            # alongside (on a worker that would otherwise wait), never changing any result
            ahead = []
            if steps and steps[-1]["role"] == role:
                j = steps[-1]["court_index"]
                if alloc[j][ri] + 2 <= province.limit(j, role) and left > 1:
                    ahead = [(j, tuple(a + (2 if q == ri else 0) for q, a in enumerate(alloc[j])))]
            ev.ensure([(i, cur[i]) for i in range(k)] + [(i, plus[i]) for i in eligible] + ahead)
            base = objective_values(obj, ev, cur)  # type: ignore[arg-type]
            best, best_key = -1, None
            for i in eligible:
                cand = list(cur)
                cand[i] = plus[i]
                gain = float(np.mean(objective_values(obj, ev, cand) - base))  # type: ignore[arg-type]
                own = float(np.nanmean(ev.values(i, plus[i], "within_limit_rate") -
                                       ev.values(i, cur[i], "within_limit_rate")))
                key = (round(sign * gain, 12), round(own, 12), -i)
                if best_key is None or key > best_key:
                    best, best_key = i, key
            assert best_key is not None
            steps.append({"step": len(steps) + 1, "role": role, "court": province.names[best], "court_index": best,
                          "posts_after": alloc[best][ri] + 1, "objective_gain": sign * best_key[0],
                          "within_limit_gain": best_key[1],
                          "within_limit_before": float(np.nanmean(ev.values(best, cur[best], "within_limit_rate"))),
                          "within_limit_after": float(np.nanmean(ev.values(best, plus[best], "within_limit_rate")))})
            alloc[best][ri] += 1
            left -= 1
    even = rule_allocation(province, [1.0] * k)
    caseload = rule_allocation(province, [scn.demand.disputes_per_year for scn in province.scenarios])
    ev.ensure([(i, p) for a in (even, caseload) for i, p in enumerate(a)] + [(i, zero) for i in range(k)])
    recommended, moves = _exchange(province, ev, obj, [tuple(a) for a in alloc], [even, caseload])
    allocs = {"recommended": recommended, "even": even, "caseload": caseload}
    objv = {name: objective_values(obj, ev, a) for name, a in allocs.items()}  # type: ignore[arg-type]
    objv["now"] = objective_values(obj, ev, [zero] * k)
    stats = {name: mean_ci(v).as_dict() for name, v in objv.items()}
    diffs = {name: mean_ci(objv["recommended"] - objv[name]).as_dict() for name in ("even", "caseload", "now")}
    rows = [_court_row(ev, i, allocs, zero) for i in range(k)]
    out = Allocation(spec.name, obj, s, n, {r: spec.pool.get(r) for r in ROLES}, province.names, allocs,  # type: ignore[arg-type]
                     steps, stats, diffs, rows, ev.tasks_run, ev.cases, time.perf_counter() - t0,
                     getattr(runner, "description", ""))
    ev.ensure([(i, p) for i in range(k) for p in _path(recommended[i])])
    out.reasons = [_reason(province, ev, i, recommended, rows[i]) for i in range(k)]
    out.moves = moves
    return out


def _exchange(province: LoadedProvince, ev: _Evaluations, obj: str, start: list[Posts],
              rules: list[list[Posts]]) -> tuple[list[Posts], list[dict[str, Any]]]:
    """Greedy's answer improved by moving single posts between courts.

    Handing out one post at a time cannot see that two courts must rise together (a lowest rate
    shared by two courts moves only when both get a post), so the greedy result, or a simple
    rule's when that is better on the objective, is polished: any one post moved from one court
    to another (within the limits) that improves the objective's mean is made, best move first,
    until none does. Every move is evaluated with the same replications (common random numbers).
    """
    sign = objective_sign(obj)
    score = lambda a: sign * float(np.mean(objective_values(obj, ev, a)))  # noqa: E731
    cur = max([start] + rules, key=score)   # the greedy answer unless a rule already beats it
    moves: list[dict[str, Any]] = []
    k = len(cur)
    for _ in range(4 * sum(sum(p) for p in cur) + 1):   # each move strictly improves: this bounds it
        cands = []
        for ri, role in enumerate(ROLES):
            for a in range(k):
                if cur[a][ri] <= province.spec.courts[a].min.get(role):
                    continue
                for b in range(k):
                    if b != a and cur[b][ri] < province.limit(b, role):
                        new = list(cur)
                        new[a] = tuple(x - (1 if q == ri else 0) for q, x in enumerate(cur[a]))
                        new[b] = tuple(x + (1 if q == ri else 0) for q, x in enumerate(cur[b]))
                        cands.append((role, a, b, new))
        ev.ensure([(i, c[3][i]) for c in cands for i in (c[1], c[2])])
        base = score(cur)
        best = max(cands, key=lambda c: score(c[3]), default=None)
        if best is None or score(best[3]) <= base + 1e-12:
            break
        moves.append({"role": best[0], "from": province.names[best[1]], "to": province.names[best[2]],
                      "objective_gain": sign * (score(best[3]) - base)})
        cur = best[3]
    return cur, moves


def _court_row(ev: _Evaluations, i: int, allocs: dict[str, list[Posts]], zero: Posts) -> dict[str, Any]:
    scn = ev.province.scenarios[i]
    targets = {k: v for k, v in scn.targets.model_dump().items() if v is not None}
    rec = allocs["recommended"][i]
    figs: dict[str, Any] = {}
    for f in COURT_FIGURES:
        now, r = ev.values(i, zero, f), ev.values(i, rec, f)
        entry: dict[str, Any] = {"now": mean_ci(now).as_dict(), "recommended": mean_ci(r).as_dict(),
                                 "vs_now": mean_ci(r - now).as_dict()}
        for k in ("even", "caseload"):
            entry[f"vs_{k}"] = mean_ci(r - ev.values(i, allocs[k][i], f)).as_dict()
        if f in targets:
            d = REGISTRY[f].target_direction
            entry["target"] = targets[f]
            entry["verdict_now"] = target_verdict(mean_ci(now), targets[f], d)["verdict"]
            entry["verdict_recommended"] = target_verdict(mean_ci(r), targets[f], d)["verdict"]
        figs[f] = entry
    missed_now = [f for f in figs if figs[f].get("verdict_now") == "missed"]
    missed_after = [f for f in figs if figs[f].get("verdict_recommended") == "missed"]
    return {"court": ev.province.names[i], "posts": {k: list(v[i]) for k, v in allocs.items()}, "figures": figs,
            "missed_now": missed_now, "missed_recommended": missed_after,
            "disputes_per_year": scn.demand.disputes_per_year, "judges_now": sum(t.judges for t in scn.teams)}


def _path(p: Posts) -> list[Posts]:
    """From no new posts to ``p``, one post at a time: judges, then assistants, then clerks."""
    out = [(0, 0, 0)]
    for ri in range(3):
        for _ in range(p[ri]):
            out.append(tuple(x + (1 if q == ri else 0) for q, x in enumerate(out[-1])))  # type: ignore[arg-type]
    return out


def _reason(province: LoadedProvince, ev: _Evaluations, i: int, rec: list[Posts], row: dict) -> dict[str, Any]:
    """Why court ``i`` got what it got, as data (words: :mod:`sim.vocabulary.province_text`).

    A court that gets posts: the change of its within-limit rate with each post in turn (its
    marginal gains, on the same replications). One that gets none: it is at its maximum, it
    meets all its targets already, or each post did more for the objective elsewhere.
    """
    mins = _posts(province.spec.courts[i].min.model_dump())
    if any(rec[i]):
        wlr = [float(np.nanmean(ev.values(i, p, "within_limit_rate"))) for p in _path(rec[i])]
        return {"code": "given", "court": row["court"], "posts": list(rec[i]), "minimum": list(mins),
                "gains": [b - a for a, b in zip(wlr, wlr[1:])]}
    at_max = all(rec[i][k] >= province.limit(i, r) for k, r in enumerate(ROLES) if province.spec.pool.get(r))
    if at_max and any(province.spec.pool.get(r) for r in ROLES):
        return {"code": "at_max", "court": row["court"], "posts": list(rec[i])}
    if not row["missed_now"]:
        return {"code": "meets", "court": row["court"], "posts": list(rec[i])}
    return {"code": "less_gain", "court": row["court"], "posts": list(rec[i]), "missed": row["missed_now"]}
