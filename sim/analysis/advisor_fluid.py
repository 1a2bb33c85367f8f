"""The advisor's fluid model: which plans are worth simulating.

A fluid (workload ÷ capacity) model of each track, over the whole simulated period, ranks
plans without simulating them. It ignores queueing, time limits and ramp-up, so it only
*chooses* what the simulation then decides between:

- the plans screened at given totals (:func:`candidate_plans`): if the whole space is small
  (at most :data:`EXHAUSTIVE_LIMIT` plans) every plan; otherwise the judge splits around the
  one that balances the two tracks' loads, each with the support split that minimises the
  larger load and with support in proportion to judges, plus (:func:`support_steps`)
  assistants and clerks moved one step either way around the best screened plan;
- which mixes of extra posts to search at a total when assistants or clerks are offered as
  well as judges (:func:`rank_mixes`);
- where extra posts go when a smaller total's best plan is extended (:func:`extend_plan`).
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from ..model.prepared import weekly_slots_and_desk_share
from ..model.scenario import Scenario
from ..model.staffing import staff_deltas
from .advisor_plan import ROLES, TRACKS, Plan, track_minimums, tracks_with_teams

#: screen every plan when there are at most this many
EXHAUSTIVE_LIMIT = 36
#: judge splits screened either side of the fluid model's balanced split
RADIUS = 2


class Fluid:
    """Expected judge-hours of work and of capacity per track over the whole simulated period.

    Only used to choose which plans to simulate; it ignores queueing, time limits and ramp-up.
    """

    def __init__(self, base: Scenario):
        from .runner import prepared_for

        p = prepared_for(base)
        self.scn = base
        tr = base.triage
        acc, cr, mcr, cs = tr.accuracy, tr.conversion_rate, tr.misrouted_conversion_rate, tr.conversion_effort_share
        per_filing = np.zeros(2)
        cases_per_filing = np.zeros(2)
        for c in base.case_types:
            own = 0 if c.track == "simple" else 1
            cases_per_filing[own] += c.share * acc
            cases_per_filing[1 - own] += c.share * (1 - acc)
            cases_per_filing[1] += c.share * (acc * cr if own == 0 else (1 - acc) * mcr)
            e = c.effort.mean * (1 - c.settlement_rate + c.settlement_rate * c.settlement_effort_factor)
            if c.track == "simple":
                per_filing += c.share * acc * e * np.array([cr * cs + (1 - cr), cr])
                per_filing += c.share * (1 - acc) * e * np.array([0.0, 1.0])
            else:
                per_filing += c.share * acc * e * np.array([0.0, 1.0])
                per_filing += c.share * (1 - acc) * e * np.array([mcr * cs + (1 - mcr), mcr])
        self.per_filing = per_filing
        self.cases_per_filing = cases_per_filing
        self.disputes = float(p.intensity_cum[min(int(p.end), len(p.intensity_cum) - 1)])
        init = np.zeros(2)
        for k, track in enumerate(TRACKS):
            n = getattr(base.initial_pending, track)
            types = [c for c in base.case_types if c.track == track] or list(base.case_types)
            w = sum(c.share for c in types) or 1.0
            e = sum(c.share * c.effort.mean * (1 - c.settlement_rate + c.settlement_rate * c.settlement_effort_factor)
                    for c in types) / w
            init[k] = n * e
        self.initial = init
        self.initial_cases = np.array([base.initial_pending.simple, base.initial_pending.complex], dtype=float)
        # capacity segments: days with the same dated deltas per track, weighted by their hours
        hours = p.clock.hours[: int(p.end)]
        n_days = len(hours)
        self.segments: list[list[tuple[float, int, int, int]]] = []
        for track in TRACKS:
            d = np.zeros((3, n_days))
            for t in base.teams:
                if t.track == track:
                    d += staff_deltas(t, p.origin, n_days)
            segs: dict[tuple[int, int, int], float] = {}
            for k in range(n_days):
                key = (int(d[0, k]), int(d[1, k]), int(d[2, k]))
                segs[key] = segs.get(key, 0.0) + float(hours[k])
            self.segments.append([(h, *key) for key, h in segs.items()])

    def workload(self, mediation_share: float) -> tuple[np.ndarray, np.ndarray]:
        """(judge-hours, cases) per track over the simulated period, carried-over cases included."""
        filed = self.disputes * (1 - mediation_share * self.scn.mediation.success_rate)
        return filed * self.per_filing + self.initial, filed * self.cases_per_filing + self.initial_cases

    def capacity(self, k: int, J: np.ndarray, A: np.ndarray, C: np.ndarray) -> np.ndarray:
        """Judge-hours of case effort track ``k`` can absorb (vectorised over staff arrays)."""
        s = self.scn.support
        cap = np.zeros(np.broadcast(J, A, C).shape)
        for h, dj, da, dc in self.segments[k]:
            j = np.maximum(J + dj, 0).astype(float)
            a = np.maximum(A + da, 0)
            c = np.maximum(C + dc, 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                x = np.where(j > 0, (s.assistant_weight * a + s.clerk_weight * c) / (np.maximum(j, 1e-9) * s.scale), 0.0)
            sf = 1 - s.max_reduction * (1 - np.exp(-x))
            cap = cap + h * j / sf * self._desk_share(j, c)
        return cap

    def _desk_share(self, j: np.ndarray, c: np.ndarray) -> np.ndarray | float:
        """Share of judge hours left for desk work after hearing slots (1 without hearings)."""
        if self.scn.hearings is None:
            return 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(j > 0, c / np.maximum(j, 1e-9), 0.0)
        return weekly_slots_and_desk_share(self.scn, ratio)[1]

    def score(self, plan_j: tuple[int, int], A: int, C: int, As: np.ndarray, Cs: np.ndarray,
              share: float) -> np.ndarray:
        """Fluid score of support splits (As, Cs) of totals (A, C); lower is better.

        Cases the tracks cannot absorb over the period (what an overloaded plan leaves
        pending), plus the larger load ratio, which breaks ties among plans that absorb all
        their work: there, the plan with the most slack on its busier track waits least.
        """
        w, n = self.workload(share)
        left = np.zeros(np.broadcast(As, Cs).shape)
        worst = np.zeros_like(left)
        for k, (a, c) in enumerate(((As, Cs), (A - As, C - Cs))):
            if w[k] <= 0:
                continue
            cap = self.capacity(k, np.asarray(plan_j[k]), a, c)
            with np.errstate(divide="ignore"):
                rho = np.where(cap > 0, w[k] / np.maximum(cap, 1e-12), np.inf)
            per_case = w[k] / max(n[k], 1e-9)
            left = left + np.maximum(0.0, w[k] - cap) / per_case
            worst = np.maximum(worst, rho)
        return left + worst


    def best_score(self, base: Scenario, judges: int, assistants: int, clerks: int, share: float) -> float:
        """The lowest fluid score of any plan with these totals (ranks mixes of extra posts)."""
        js, as_, cs = _splits(base, judges, assistants, clerks)
        if not js or not as_ or not cs:
            return float("inf")
        A_s = np.array([a[0] for a in as_])[:, None]
        C_s = np.array([c[0] for c in cs])[None, :]
        return min(float(np.min(self.score(j, assistants, clerks, A_s, C_s, share))) for j in js)


class LazyFluid:
    """The fluid model of a scenario, built on first use (small searches never need it)."""

    def __init__(self, base: Scenario):
        self.base = base
        self._model: Optional[Fluid] = None

    def get(self) -> Fluid:
        """The model (built once)."""
        if self._model is None:
            self._model = Fluid(self.base)
        return self._model


def _splits(base: Scenario, judges: int, assistants: int, clerks: int) -> tuple[list, list, list]:
    """Every (simple, complex) split of each role's total that keeps both tracks' minimums."""
    mins = track_minimums(base)
    has = tracks_with_teams(base)

    def splits(role: str, total: int) -> list[tuple[int, int]]:
        lo_s, lo_c = mins[role]
        if not has[1]:
            return [(total, 0)]
        if not has[0]:
            return [(0, total)]
        return [(s, total - s) for s in range(lo_s, total - lo_c + 1)]

    return splits("judges", judges), splits("assistants", assistants), splits("clerks", clerks)


def candidate_plans(base: Scenario, fluid: LazyFluid, judges: int, assistants: int, clerks: int,
                    shares: Sequence[float]) -> tuple[list[Plan], bool]:
    """The plans to screen at these totals, and whether they are every plan there is."""
    js, as_, cs = _splits(base, judges, assistants, clerks)
    if len(js) * len(as_) * len(cs) * len(shares) <= EXHAUSTIVE_LIMIT:
        return [Plan(j, a, c, s) for s in shares for j in js for a in as_ for c in cs], True

    model = fluid.get()
    A_s = np.array([a[0] for a in as_])[:, None]
    C_s = np.array([c[0] for c in cs])[None, :]
    out: list[Plan] = []
    for s in shares:
        best_support: dict[tuple[int, int], tuple[float, int, int]] = {}
        for j in js:
            load = model.score(j, assistants, clerks, A_s, C_s, s)
            ia, ic = np.unravel_index(int(np.argmin(load)), load.shape)
            best_support[j] = (float(load[ia, ic]), ia, ic)
        ranked = sorted(js, key=lambda j: (best_support[j][0], j))
        centre = js.index(ranked[0])
        lo = max(0, min(centre - RADIUS, len(js) - (2 * RADIUS + 1)))
        window = js[lo: lo + 2 * RADIUS + 1]
        cur_j = tuple(sum(t.judges for t in base.teams if t.track == k) for k in TRACKS)
        if cur_j in js and cur_j not in window:
            window.append(cur_j)
        for j in window:
            _, ia, ic = best_support[j]
            out.append(Plan(j, as_[ia], cs[ic], s, "fluid"))
            # support in proportion to judges: the fluid model ignores that the simple track's
            # limits are short, so an even support ratio is screened too
            pa = min(max(round(assistants * j[0] / max(judges, 1)), as_[0][0]), as_[-1][0])
            pc = min(max(round(clerks * j[0] / max(judges, 1)), cs[0][0]), cs[-1][0])
            out.append(Plan(j, (pa, assistants - pa), (pc, clerks - pc), s, "even support"))
    uniq: dict[tuple, Plan] = {}
    for p in out:
        uniq.setdefault(p.key, p)
    return list(uniq.values()), False


def support_steps(plan: Plan, base: Scenario, assistants: int, clerks: int) -> list[Plan]:
    """``plan`` with assistants or clerks moved one step between the tracks."""
    mins = track_minimums(base)
    if not all(tracks_with_teams(base)):
        return []
    out = []
    for role, total in (("assistants", assistants), ("clerks", clerks)):
        step = max(1, total // 10)
        for d in (-step, step):
            cur = getattr(plan, role)[0] + d
            if mins[role][0] <= cur <= total - mins[role][1]:
                kw = {"judges": plan.judges, "assistants": plan.assistants, "clerks": plan.clerks}
                kw[role] = (cur, total - cur)
                out.append(Plan(**kw, mediation_share=plan.mediation_share, label="support step"))
    return out


def rank_mixes(base: Scenario, fluid: LazyFluid, totals: dict[str, int], mixes: Sequence[tuple[int, int, int]],
               share: float) -> list[tuple[int, int, int]]:
    """``mixes`` of extra (judges, assistants, clerks), best first by the fluid model's best
    plan at ``totals`` plus the mix (ties: more judges first, then more assistants)."""
    if len(mixes) <= 1:
        return list(mixes)
    model = fluid.get()

    def score(m: tuple[int, int, int]) -> tuple:
        s = model.best_score(base, totals["judges"] + m[0], totals["assistants"] + m[1], totals["clerks"] + m[2], share)
        return (s, -m[0], -m[1], m)

    return sorted(mixes, key=score)


def extend_plan(base: Scenario, fluid: LazyFluid, plan: Plan, add: tuple[int, int, int]) -> Optional[Plan]:
    """``plan`` with ``add`` more (judges, assistants, clerks), each role's extras split between
    the tracks where the fluid model says they relieve the load most; None when nothing is added."""
    if not any(add):
        return None
    has = tracks_with_teams(base)
    options = []
    for r, n in zip(ROLES, add):
        options.append([(n, 0)] if not has[1] else [(0, n)] if not has[0] else [(x, n - x) for x in range(n + 1)])
    plans = [Plan((plan.judges[0] + dj[0], plan.judges[1] + dj[1]),
                  (plan.assistants[0] + da[0], plan.assistants[1] + da[1]),
                  (plan.clerks[0] + dc[0], plan.clerks[1] + dc[1]), plan.mediation_share, "extended")
             for dj in options[0] for da in options[1] for dc in options[2]]
    if len(plans) == 1:
        return plans[0]
    model = fluid.get()

    def score(p: Plan) -> float:
        return float(model.score(p.judges, p.total("assistants"), p.total("clerks"), np.array([[p.assistants[0]]]),
                                 np.array([[p.clerks[0]]]), p.mediation_share)[0, 0])

    return min(plans, key=score)  # min keeps the first of equal scores: deterministic
