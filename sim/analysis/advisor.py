"""The allocation advisor: how to split a court's judges, assistants and clerks across its teams.

Given the totals available (and optionally a budget of extra judge posts), :func:`advise`
searches staffing plans for the one that maximises the within-limit rate subject to the
scenario's other targets, or minimises pending cases at the horizon's end.

Search space
------------
A plan chooses, per track (simple / complex), how many judges, assistants and clerks it gets
(and optionally the share of disputes offered pre-filing mediation). Within a track, judges
are spread over its teams in proportion to the teams' current judges, and assistants and
clerks in proportion to the judges each team receives, both by largest remainder. Equal
support per judge inside a track is the best spread: cases are shared among a track's teams
by judges present (rotation or least-loaded), and the support effect is concave in support
staff per judge, so by Jensen's inequality uneven ratios only lose capacity. Teams keep their
names, tracks and dated changes (secondments, transfers, new judges); a team that loses
staff in a dated change keeps at least that many.

Which plans are simulated
-------------------------
If the whole space is small (at most :data:`EXHAUSTIVE_LIMIT` plans) every plan is screened.
Otherwise a fluid (workload ÷ capacity) model of each track picks the neighbourhood: the judge
splits around the one that balances the two tracks' loads, each with the support split that
minimises the larger load, plus assistants and clerks moved one step either way at the best
judge split. The current plan of the scenario is always screened too, as the reference.

Replications are spent where they matter, always with common random numbers (replication r
of every plan uses the same seed and the same disputes): every candidate is screened with
``screen_replications``; the ``top_k`` best are raced to ``refine_replications``, adding
replications in rounds and dropping a candidate as soon as the paired 95 % interval of its
difference from the leader excludes 0 in the leader's favour. Replications already run are
reused, never repeated.

Ranking rule (exact)
--------------------
A plan is *feasible* when its mean meets every target of the scenario other than the
objective's own. Plans are ordered by: (0) plans within the given totals first (the current
plan, always simulated as the reference, may use more staff); (1) more replications first
(plans refined to ``refine_replications`` before those dropped earlier in the race, which were
significantly worse on the objective, and before those only screened); among plans with the
same replications (2) number of targets missed, excluding the objective's own (0 = feasible,
first); (3) the objective's mean (higher within-limit rate, or lower pending at the end);
(4) the candidate's index, so ties are broken the same way every time.
So a plan that misses a target the best-by-objective plan meets ranks below it whenever it
does not meet more of the other targets.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Optional, Sequence

import numpy as np

from ..model.errors import CodedError, short_repr
from ..vocabulary.advisor_text import OBJECTIVES, advised_description
from ..vocabulary.figure_registry import REGISTRY
from ..model.figures import FIGURES
from ..model.prepared import weekly_slots_and_desk_share
from ..model.staffing import staff_deltas
from .results import Results, Stat, mean_ci, target_verdict
from ..model.scenario import Scenario, scenario_from_dict, scenario_to_dict

Objective = Literal["within_limit_rate", "pending_end", "within_limit_rate_simple", "within_limit_rate_complex"]
# what the advisor can optimise: sim.vocabulary.advisor_text.OBJECTIVES (light to import for the command line)
ProgressFn = Callable[[int, int], None]
TRACKS = ("simple", "complex")
ROLES = ("judges", "assistants", "clerks")
#: figures reported for every candidate
REPORTED = ("within_limit_rate", "within_limit_rate_simple", "within_limit_rate_complex", "pending_end",
            "clearance_rate", "overdue_pending_end", "overdue_pending_end_simple", "overdue_pending_end_complex",
            "long_pending_end", "long_pending_share", "disposition_days_mean", "judge_utilisation",
            "closures_per_judge", "mediation_resolution_share")
#: screen every plan when there are at most this many
EXHAUSTIVE_LIMIT = 36


class AdviceInputError(CodedError, ValueError):
    """Totals or options the advisor cannot work with: ``code`` and ``params`` (rendered in any
    language by :mod:`sim.vocabulary.messages`); ``str()`` is the English message."""


# --- plans ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """Staff per track (simple, complex) and the mediation share offered."""

    judges: tuple[int, int]
    assistants: tuple[int, int]
    clerks: tuple[int, int]
    mediation_share: float
    label: str = ""
    as_is: bool = False   # the scenario's own team-by-team staffing, not a proportional spread

    @property
    def key(self) -> tuple:
        return (self.judges, self.assistants, self.clerks, round(self.mediation_share, 6), self.as_is)

    def total(self, role: str) -> int:
        return sum(getattr(self, role))

    def describe(self) -> str:
        s = (f"simple {self.judges[0]}J/{self.assistants[0]}A/{self.clerks[0]}C, "
             f"complex {self.judges[1]}J/{self.assistants[1]}A/{self.clerks[1]}C")
        return s + f", mediation {100 * self.mediation_share:.0f}%"


def _largest_remainder(total: int, weights: Sequence[float], mins: Sequence[int]) -> list[int]:
    """``total`` in proportion to ``weights`` (Hamilton's method), then raised to ``mins``.

    Ties in the remainders go to the larger weight, then to the earlier team, so the spread is
    deterministic. Equal weights are used when all weights are zero. A team below its minimum
    takes one at a time from the team furthest above its own minimum (relative to its weight).
    """
    n = len(weights)
    if n == 0:
        return []
    w = [max(0.0, float(x)) for x in weights]
    if sum(w) <= 0:
        w = [1.0] * n
    quota = [total * x / sum(w) for x in w]
    out = [int(math.floor(q)) for q in quota]
    left = total - sum(out)
    order = sorted(range(n), key=lambda i: (-(quota[i] - out[i]), -w[i], i))
    for i in order[:left]:
        out[i] += 1
    for i in range(n):
        while out[i] < mins[i]:
            donors = [k for k in range(n) if out[k] > mins[k]]
            if not donors:
                break
            d = max(donors, key=lambda k: ((out[k] - quota[k]), out[k] - mins[k], -k))
            out[d] -= 1
            out[i] += 1
    return out


def _team_minimums(team) -> dict[str, int]:
    """Staff a team must keep so that none of its dated changes takes it below zero."""
    return {r: max([0] + [-getattr(ch, r) for ch in team.changes]) for r in ROLES}


def plan_scenario(base: Scenario, plan: Plan, name: Optional[str] = None) -> Scenario:
    """The scenario ``base`` with its teams staffed by ``plan`` (names, tracks, changes kept)."""
    data = scenario_to_dict(base)
    for k, track in enumerate(TRACKS):
        idx = [i for i, t in enumerate(base.teams) if t.track == track]
        if not idx:
            continue
        mins = [_team_minimums(base.teams[i]) for i in idx]
        js = _largest_remainder(plan.judges[k], [base.teams[i].judges for i in idx], [m["judges"] for m in mins])
        # support follows the judges each team receives: equal support per judge in a track
        w = js if sum(js) > 0 else [base.teams[i].judges for i in idx]
        asg = _largest_remainder(plan.assistants[k], w, [m["assistants"] for m in mins])
        cl = _largest_remainder(plan.clerks[k], w, [m["clerks"] for m in mins])
        for n, i in enumerate(idx):
            data["teams"][i]["judges"] = js[n]
            data["teams"][i]["assistants"] = asg[n]
            data["teams"][i]["clerks"] = cl[n]
    data["mediation"]["share_offered"] = float(plan.mediation_share)
    if name:
        data["name"] = name[:120]
    return scenario_from_dict(data)


def current_plan(base: Scenario) -> Plan:
    """The plan the scenario has now (its teams' staff summed by track)."""
    def tot(role: str) -> tuple[int, int]:
        return tuple(sum(getattr(t, role) for t in base.teams if t.track == k) for k in TRACKS)  # type: ignore[return-value]
    return Plan(tot("judges"), tot("assistants"), tot("clerks"), base.mediation.share_offered, "current", True)


def tracks_receiving_cases(base: Scenario) -> list[str]:
    """Tracks that get cases (new filings, misrouting, conversions or the carried-over caseload)."""
    out = []
    for track in TRACKS:
        own = any(c.track == track and c.share > 0 for c in base.case_types)
        other = any(c.track != track and c.share > 0 for c in base.case_types) and base.triage.accuracy < 1
        conv = track == "complex" and base.triage.conversion_rate > 0 and any(
            c.track == "simple" and c.share > 0 for c in base.case_types)
        pend = getattr(base.initial_pending, track) > 0
        if own or other or conv or pend:
            out.append(track)
    return out


def _track_minimums(base: Scenario) -> dict[str, list[int]]:
    """Per role, the least staff each track can have (dated changes; one judge if it gets cases)."""
    need = tracks_receiving_cases(base)
    out = {}
    for r in ROLES:
        mins = []
        for track in TRACKS:
            m = sum(_team_minimums(t)[r] for t in base.teams if t.track == track)
            if r == "judges" and track in need and any(t.track == track for t in base.teams):
                m = max(m, 1)
            mins.append(m)
        out[r] = mins
    return out


def check_inputs(base: Scenario, judges: int, assistants: int, clerks: int, extra_posts: int = 0,
                 mediation_shares: Optional[Sequence[float]] = None,
                 objective: str = "within_limit_rate") -> None:
    """Raise :class:`AdviceInputError` when :func:`advise` cannot work with these inputs."""
    for name, v in (("judges", judges), ("assistants", assistants), ("clerks", clerks), ("extra_posts", extra_posts)):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < 0:
            raise AdviceInputError("adv_whole_number", role=name, value=short_repr(v))
        if v > 500 * len(base.teams):
            raise AdviceInputError("adv_too_many", role=name, value=int(v))
    if objective not in OBJECTIVES:
        raise AdviceInputError("adv_objective", value=short_repr(objective))
    for s in mediation_shares or ():
        if isinstance(s, (bool, str)) or not 0 <= float(s) <= 1 or not math.isfinite(float(s)):
            raise AdviceInputError("adv_mediation_share", value=short_repr(s))
    need = tracks_receiving_cases(base)
    for track in need:
        if not any(t.track == track for t in base.teams):
            raise AdviceInputError("adv_no_team", track=track)
    mins = _track_minimums(base)
    for r, total in (("judges", judges), ("assistants", assistants), ("clerks", clerks)):
        if total < sum(mins[r]):
            needs = [[track, int(mins[r][k])] for k, track in enumerate(TRACKS) if mins[r][k]]
            raise AdviceInputError("adv_cannot_staff", total=int(total), role=r, needs=needs)


# --- fluid model: workload ÷ capacity per track ---------------------------------------------
class _Fluid:
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


def _candidate_plans(base: Scenario, judges: int, assistants: int, clerks: int,
                     shares: Sequence[float]) -> tuple[list[Plan], bool]:
    """The plans to screen, and whether they are every plan there is."""
    mins = _track_minimums(base)
    has = [any(t.track == k for t in base.teams) for k in TRACKS]

    def splits(role: str, total: int) -> list[tuple[int, int]]:
        lo_s, lo_c = mins[role]
        if not has[1]:
            return [(total, 0)]
        if not has[0]:
            return [(0, total)]
        return [(s, total - s) for s in range(lo_s, total - lo_c + 1)]

    js, as_, cs = splits("judges", judges), splits("assistants", assistants), splits("clerks", clerks)
    if len(js) * len(as_) * len(cs) * len(shares) <= EXHAUSTIVE_LIMIT:
        return [Plan(j, a, c, s) for s in shares for j in js for a in as_ for c in cs], True

    fluid = _Fluid(base)
    A_s = np.array([a[0] for a in as_])[:, None]
    C_s = np.array([c[0] for c in cs])[None, :]
    radius = 2
    out: list[Plan] = []
    for s in shares:
        best_support: dict[tuple[int, int], tuple[float, int, int]] = {}
        for j in js:
            load = fluid.score(j, assistants, clerks, A_s, C_s, s)
            ia, ic = np.unravel_index(int(np.argmin(load)), load.shape)
            best_support[j] = (float(load[ia, ic]), ia, ic)
        ranked = sorted(js, key=lambda j: (best_support[j][0], j))
        centre = js.index(ranked[0])
        lo = max(0, min(centre - radius, len(js) - (2 * radius + 1)))
        window = js[lo: lo + 2 * radius + 1]
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


def _support_steps(plan: Plan, base: Scenario, assistants: int, clerks: int) -> list[Plan]:
    """``plan`` with assistants or clerks moved one step between the tracks."""
    mins = _track_minimums(base)
    if not all(any(t.track == k for t in base.teams) for k in TRACKS):
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


# --- running replications of many plans on one pool -----------------------------------------
class _Evaluator:
    """Replications of many scenarios with one seed; runs each (plan, replication) once."""

    def __init__(self, seed: int, workers: int, month_labels: list[str], progress: Optional[ProgressFn]):
        self.seed = seed
        self.workers = workers
        self.month_labels = month_labels
        self.progress = progress
        self.figs: dict[int, dict[int, dict]] = {}
        self.scenarios: dict[int, Scenario] = {}
        self.done = 0
        self.total = 0
        self.runs = 0

    def plan_total(self, extra: int) -> None:
        self.total = max(self.total, self.done) + extra if extra > 0 else max(self.total, self.done)
        self._report()

    def shrink(self, by: int) -> None:
        self.total = max(self.done, self.total - by)
        self._report()

    def _report(self) -> None:
        if self.progress:
            self.progress(self.done, max(self.total, self.done))

    def ensure(self, items: dict[int, Scenario], n: int) -> None:
        """Make sure every scenario in ``items`` (id → scenario) has replications 0..n-1."""
        todo = []
        for cid, scn in items.items():
            self.scenarios[cid] = scn
            have = self.figs.setdefault(cid, {})
            todo.extend((cid, r) for r in range(n) if r not in have)
        if not todo:
            return
        if self.total < self.done + len(todo):
            self.total = self.done + len(todo)
        from .runner import map_replications

        map_replications([(self.scenarios[cid], self.seed, r) for cid, r in todo], self.workers,
                         lambda i, fig: self._store(todo[i][0], todo[i][1], fig))

    def _store(self, cid: int, r: int, fig: dict) -> None:
        if r not in self.figs[cid]:
            self.figs[cid][r] = fig
            self.done += 1
            self.runs += 1
            self._report()

    def n(self, cid: int) -> int:
        have = self.figs.get(cid, {})
        n = 0
        while n in have:
            n += 1
        return n

    def results(self, cid: int, n: Optional[int] = None) -> Results:
        k = self.n(cid) if n is None else n
        reps = [self.figs[cid][r] for r in range(k)]
        from .runner import staffing_for

        scn = self.scenarios[cid]
        return Results.from_replications(scn, self.seed, self.month_labels, reps, staffing=staffing_for(scn))

    def values(self, cid: int, figure: str, n: Optional[int] = None) -> np.ndarray:
        k = self.n(cid) if n is None else n
        return np.array([self.figs[cid][r]["summary"][figure] for r in range(k)], dtype=float)


# --- ranking ------------------------------------------------------------------------------
def _met(figure: str, mean: float, target: float) -> bool:
    if not math.isfinite(mean):
        return False
    return mean >= target if REGISTRY[figure].target_direction == ">=" else mean <= target


def _mean_meets(scn: Scenario, means: dict[str, float]) -> dict[str, bool]:
    """Whether each target's mean is on the right side: the ranking's feasibility (see RANKING_RULE).

    The ranking needs a yes/no for every candidate, even one screened with a few replications;
    what the user reads is :func:`_verdicts`.
    """
    return {name: _met(name, means[name], target) for name, target in scn.targets.model_dump().items()
            if target is not None and name in means}


def _verdicts(scn: Scenario, values: Callable[[str], np.ndarray]) -> dict[str, dict[str, Any]]:
    """The three-state verdict of each target, from the replications run so far (as on every surface)."""
    return {name: target_verdict(mean_ci(values(name)), target, REGISTRY[name].target_direction)
            for name, target in scn.targets.model_dump().items() if target is not None and name in FIGURES}


def _objective_sign(objective: str) -> float:
    """+1 when higher is better."""
    return 1.0 if REGISTRY[objective].better == "higher" else -1.0


# --- the answer ---------------------------------------------------------------------------
@dataclass
class Advice:
    """What :func:`advise` found. Every figure is a mean over replications with a 95 % interval.

    - ``best``: the recommended plan as a complete scenario, ready for ``ScenarioStore.save``.
    - ``best_plan`` / ``best_results``: its per-track staffing and its full results.
    - ``candidates``: one row per plan simulated (see :meth:`to_json_dict` for the fields),
      best first in the ranking order.
    - ``runners_up``: refined plans whose paired 95 % interval of (plan − best) on the
      objective contains 0: statistically indistinguishable from the best.
    - ``current``: the scenario's own plan with its figures and its paired difference from the
      best (negative = the advice improves on it).
    - ``staff_curve``: figures after adding 0..extra_posts judges to the best plan, one at a
      time to the track where it helps most (``added_to``, ``added_team``); ``smallest_meeting``
      gives, per target, the smallest staffing on that curve whose mean meets it (None if none does).
    - ``explanation``: what a president can repeat, as data (see :func:`explain`); rendered in
      words by :func:`sim.advisor_text.explanation_lines`.
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

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data: the command line's ``--json`` and the app's download."""
        return {
            "scenario": self.base_name,
            "objective": self.objective,
            "seed": self.seed,
            "totals": dict(self.totals),
            "extra_posts": self.extra_posts,
            "screen_replications": self.screen_replications,
            "refine_replications": self.refine_replications,
            "exhaustive": self.exhaustive,
            "ranking_rule": self.ranking_rule,
            "best": {
                "plan": _plan_dict(self.best_plan),
                "teams": _teams(self.best),
                "summary": {k: v.as_dict() for k, v in self.best_results.summary().items()},
                "targets": self.best_results.targets(),  # three-state verdicts, as on every surface
                "replications": self.best_results.replications,
            },
            "candidates": self.candidates,
            "runners_up": self.runners_up,
            "current": self.current,
            "staff_curve": self.staff_curve,
            "smallest_meeting": self.smallest_meeting,
            "replications_run": self.replications_run,
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "explanation": self.explanation,
            "best_scenario": scenario_to_dict(self.best),
        }


RANKING_RULE = ("feasible = the mean meets every target other than the objective's own; order by "
                "within the given totals first, then replications run (refined first), then targets "
                "missed (fewest first), then the objective's mean, then candidate order")


def _plan_dict(p: Plan) -> dict[str, Any]:
    return {"simple": {"judges": p.judges[0], "assistants": p.assistants[0], "clerks": p.clerks[0]},
            "complex": {"judges": p.judges[1], "assistants": p.assistants[1], "clerks": p.clerks[1]},
            "mediation_share": p.mediation_share, "description": p.describe()}


def _teams(scn: Scenario) -> list[dict[str, Any]]:
    return [{"team": t.name, "track": t.track, "judges": t.judges, "assistants": t.assistants,
             "clerks": t.clerks, "changes": len(t.changes)} for t in scn.teams]


def _stat_dict(values: np.ndarray) -> dict[str, Optional[float]]:
    return mean_ci(values).as_dict()


def advise(base: Scenario, judges: int, assistants: int, clerks: int, extra_posts: int = 0,
           objective: Objective = "within_limit_rate", mediation_shares: Optional[Sequence[float]] = None,
           screen_replications: int = 3, refine_replications: Optional[int] = None, top_k: int = 5,
           seed: Optional[int] = None, workers: Optional[int] = None,
           progress: Optional[ProgressFn] = None) -> Advice:
    """Find the split of ``judges``, ``assistants`` and ``clerks`` across ``base``'s teams that
    maximises the within-limit rate subject to the other targets (or minimises pending at the
    end), and how the figures move with up to ``extra_posts`` more judges.

    ``mediation_shares``: shares of disputes offered pre-filing mediation to try as well
    (default: only the scenario's). ``refine_replications`` defaults to the scenario's
    replications; ``seed`` to the scenario's. ``workers``: processes (default all cores).
    ``progress(done, total)`` counts replications; ``total`` can shrink as candidates drop out.
    The same inputs and seed always give the same advice, whatever ``workers`` is.
    Raises :class:`AdviceInputError` for totals that cannot staff the teams.
    """
    from .runner import default_workers, prepared_for

    t0 = time.perf_counter()
    check_inputs(base, judges, assistants, clerks, extra_posts, mediation_shares, objective)
    n_s = max(1, int(screen_replications))
    n_r = max(n_s, int(base.replications if refine_replications is None else refine_replications), 2)
    top_k = max(1, int(top_k))
    s = base.seed if seed is None else int(seed)
    w = default_workers() if workers is None else max(1, int(workers))
    shares = sorted({round(float(x), 6) for x in mediation_shares}) if mediation_shares else [base.mediation.share_offered]
    sign = _objective_sign(objective)

    plans, exhaustive = _candidate_plans(base, judges, assistants, clerks, shares)
    cur = current_plan(base)
    cur_fits = (cur.total("judges") <= judges and cur.total("assistants") <= assistants
                and cur.total("clerks") <= clerks)
    plans.append(cur)
    cur_id = len(plans) - 1
    scenarios = {i: plan_scenario(base, p) for i, p in enumerate(plans)}
    scenarios[cur_id] = base
    ev = _Evaluator(s, w, prepared_for(base).month_labels, progress)
    # a rough budget for the progress bar; it shrinks as candidates are dropped
    ev.plan_total(len(plans) * n_s + top_k * (n_r - n_s) + extra_posts * (2 * n_s + n_r - n_s))

    def means(cid: int) -> dict[str, float]:
        return {k: float(np.nanmean(v)) if np.isfinite(v).any() else float("nan")
                for k in FIGURES for v in [ev.values(cid, k)]}

    def missed(cid: int) -> int:
        return sum(1 for k, ok in _mean_meets(scenarios[cid], means(cid)).items() if k != objective and not ok)

    def rank_key(cid: int) -> tuple:
        m = means(cid)[objective]
        obj = -sign * m if math.isfinite(m) else math.inf
        eligible = cid != cur_id or cur_fits  # the current plan may use more staff than given
        return (0 if eligible else 1, -ev.n(cid), missed(cid), obj, cid)

    # 1. screen every candidate with few replications; then, around the best split found,
    # move support staff a step between the tracks and screen those too
    ev.ensure(scenarios, n_s)
    if not exhaustive:
        lead = min((c for c in scenarios if c != cur_id), key=rank_key)
        seen = {p.key for p in plans}
        for p in _support_steps(plans[lead], base, assistants, clerks):
            if p.key not in seen:
                seen.add(p.key)
                plans.append(p)
                scenarios[len(plans) - 1] = plan_scenario(base, p)
        ev.ensure(scenarios, n_s)
    order = sorted(scenarios, key=rank_key)
    alive = [c for c in order if c != cur_id or cur_fits][:top_k]
    if cur_id not in alive:
        alive.append(cur_id)  # the reference is refined alongside, to measure the improvement
    ev.shrink(max(0, top_k - len(alive)) * (n_r - n_s))

    # 2. race the best to n_r replications; drop a plan once it is significantly worse
    level = n_s
    while level < n_r:
        level = min(n_r, max(level + 2, 2 * level + 1))
        ev.ensure({c: scenarios[c] for c in alive}, level)
        ranked = sorted(alive, key=rank_key)
        leader = ranked[0]
        keep = [leader]
        for c in ranked[1:]:
            d = mean_ci(sign * (ev.values(c, objective, level) - ev.values(leader, objective, level)))
            worse = d.n >= 2 and math.isfinite(d.ci_high) and d.ci_high < 0
            if worse and c != cur_id:
                ev.shrink(n_r - level)
                continue
            if worse and c == cur_id:
                continue  # the reference stops here too; its difference is already clear
            keep.append(c)
        alive = keep
    ranked = sorted(scenarios, key=rank_key)
    best_id = ranked[0]
    if ev.n(best_id) < n_r:  # cannot happen with the rule above; kept as a guard
        ev.ensure({best_id: scenarios[best_id]}, n_r)
    best_plan = plans[best_id]
    best_name = f"{base.name} · advised"[:120]
    best_scn = scenarios[best_id].model_copy(update={"name": best_name, "description": _describe(base, best_plan, objective)}, deep=True)
    best_res = ev.results(best_id)

    def diff(c: int, ref: int, figure: str) -> Stat:
        n = min(ev.n(c), ev.n(ref))
        return mean_ci(ev.values(c, figure, n) - ev.values(ref, figure, n))

    rows = []
    for pos, cid in enumerate(ranked):
        ok = _mean_meets(scenarios[cid], means(cid))
        d = diff(cid, best_id, objective) if cid != best_id else None
        rows.append({
            "rank": pos + 1, "candidate": cid, "label": plans[cid].label or ("every plan" if exhaustive else ""),
            "plan": _plan_dict(plans[cid]), "teams": _teams(scenarios[cid]),
            "replications": ev.n(cid),
            "figures": {k: _stat_dict(ev.values(cid, k)) for k in REPORTED},
            "targets": _verdicts(scenarios[cid], lambda k, c=cid: ev.values(c, k)),
            "feasible": all(v for k, v in ok.items() if k != objective),
            "within_totals": cid != cur_id or cur_fits,
            "diff_vs_best": None if d is None else d.as_dict(),
            "stage": "refined" if ev.n(cid) >= n_r else ("raced" if ev.n(cid) > n_s else "screened"),
        })
    runners = []
    for row in rows[1:]:
        cid = row["candidate"]
        if ev.n(cid) <= n_s or not row["within_totals"]:
            continue
        d = diff(cid, best_id, objective)
        if d.n >= 2 and d.ci_low <= 0 <= d.ci_high:
            runners.append({**row, "paired_replications": d.n})

    current = {
        "plan": _plan_dict(cur), "teams": _teams(scenarios[cur_id]), "replications": ev.n(cur_id),
        "within_totals": cur_fits,
        "figures": {k: _stat_dict(ev.values(cur_id, k)) for k in REPORTED},
        "targets": _verdicts(scenarios[cur_id], lambda k: ev.values(cur_id, k)),
        "best_minus_current": {k: diff(best_id, cur_id, k).as_dict() for k in REPORTED},
        "is_best": cur_id == best_id,
    }

    # 3. staff added vs figure: one more judge at a time, to the track where it helps most
    curve = [_curve_point(0, best_plan, ev, best_id, scenarios[best_id], objective)]
    prev_plan, prev_id = best_plan, best_id
    next_id = len(plans)
    has = [any(t.track == k for t in base.teams) for k in TRACKS]
    for added in range(1, extra_posts + 1):
        opts = {}
        for k in range(2):
            if not has[k]:
                continue
            j = list(prev_plan.judges)
            j[k] += 1
            p = Plan((j[0], j[1]), prev_plan.assistants, prev_plan.clerks, prev_plan.mediation_share,
                     f"+{added} judge ({TRACKS[k]})")
            plans.append(p)
            scenarios[next_id] = _add_judge(base, scenarios[prev_id], TRACKS[k])
            opts[next_id] = k
            next_id += 1
        ev.ensure({c: scenarios[c] for c in opts}, n_s)
        choice = min(opts, key=rank_key)
        ev.ensure({choice: scenarios[choice]}, n_r)
        curve.append(_curve_point(added, plans[choice], ev, choice, scenarios[choice], objective, TRACKS[opts[choice]],
                                  _grown_team(scenarios[prev_id], scenarios[choice])))
        prev_plan, prev_id = plans[choice], choice
    smallest: dict[str, Optional[dict[str, Any]]] = {}
    for name in curve[0]["targets"]:
        hit = next((pt for pt in curve if pt["targets"][name]["met"]), None)
        smallest[name] = None if hit is None else {
            "added": hit["added"], "judges": hit["judges"], "plan": hit["plan"]}

    ev.shrink(ev.total)  # finished: the bar ends at what was actually run
    explanation = explain(base, objective, ev.results(cur_id), best_scn, best_res,
                          current["best_minus_current"], curve, smallest)
    return Advice(
        base_name=base.name, objective=objective, seed=s,
        totals={"judges": judges, "assistants": assistants, "clerks": clerks},
        extra_posts=extra_posts, screen_replications=n_s, refine_replications=n_r, exhaustive=exhaustive,
        best=best_scn, best_plan=best_plan, best_results=best_res, candidates=rows, runners_up=runners,
        current=current, staff_curve=curve, smallest_meeting=smallest, replications_run=ev.runs,
        elapsed_seconds=time.perf_counter() - t0, ranking_rule=RANKING_RULE, explanation=explanation,
    )


# --- the advice explained -------------------------------------------------------------------
#: figures checked for "what gets worse", in the order they are reported
WORSE_CHECKED = ("within_limit_rate", "pending_end", "clearance_rate", "overdue_pending_end", "long_pending_end",
                 "disposition_days_mean", "mediation_resolution_share")


def _track_utilisation(res: Results) -> dict[str, Optional[float]]:
    """Judge utilisation per track: the teams' utilisation weighted by their average judges."""
    out: dict[str, Optional[float]] = {}
    for track in TRACKS:
        rows = [t for t in res.teams() if t["track"] == track and t["utilisation"]["mean"] is not None]
        w = sum(t["judges"] for t in rows)
        out[track] = (sum(t["utilisation"]["mean"] * t["judges"] for t in rows) / w) if w > 0 else None
    return out


def explain(base: Scenario, objective: str, cur_res: Results, best: Scenario, best_res: Results,
            diffs: dict[str, dict[str, Any]], curve: list[dict[str, Any]],
            smallest: dict[str, Optional[dict[str, Any]]]) -> dict[str, Any]:
    """Why the advisor recommends what it does, as plain data (no words; any language renders it).

    - ``bottleneck``: the team with the highest judge utilisation under the current plan, with
      its utilisation there and under the recommended plan.
    - ``moves``: per team whose staff change, the current and recommended judges, assistants
      and clerks (and their differences); ``mediation``: the share offered before and after.
    - ``track_utilisation``: judge utilisation per track, current and recommended (the reason
      for the moves: load is taken off the busier track).
    - ``objective``: the objective's paired difference (recommended − current).
    - ``extra_posts``: for each extra judge post on the staff curve, the track and team it went to.
    - ``worse``: every headline figure whose mean gets worse, with its paired difference and
      whether the 95 % interval excludes 0.
    - ``target``: the objective's target, whether the recommended plan meets it with the staff
      given, and if not, how many extra posts on the curve reach it (None: not within them).
    - ``missed``: the other targets the recommended plan still misses, with its mean.
    """
    util_best = {t["team"]: t["utilisation"]["mean"] for t in best_res.teams()}
    busy = [t for t in cur_res.teams() if t["utilisation"]["mean"] is not None]
    neck = max(busy, key=lambda t: t["utilisation"]["mean"]) if busy else None
    moves = []
    for now, new in zip(base.teams, best.teams):
        d = {r: getattr(new, r) - getattr(now, r) for r in ROLES}
        if any(d.values()):
            moves.append({"team": now.name, "track": now.track, "delta": d,
                          "current": {r: getattr(now, r) for r in ROLES}, "new": {r: getattr(new, r) for r in ROLES}})
    worse = []
    for f in WORSE_CHECKED:
        d = diffs.get(f)
        if not d or d.get("mean") is None or REGISTRY[f].better not in ("higher", "lower"):
            continue
        good = 1.0 if REGISTRY[f].better == "higher" else -1.0
        if good * d["mean"] < 0:
            lo, hi = d.get("ci_low"), d.get("ci_high")
            sure = lo is not None and hi is not None and (hi < 0 if good > 0 else lo > 0)
            worse.append({"figure": f, "diff": d, "significant": bool(sure)})
    summ = best_res.summary()
    tg = best_res.targets()
    own = tg.get(objective)
    target = None
    if own is not None:
        hit = smallest.get(objective)
        target = {"figure": objective, "target": own["target"], "mean": summ[objective].mean,
                  "ci_low": summ[objective].ci_low, "ci_high": summ[objective].ci_high, "met": bool(own["met"]),
                  "extra_posts_tried": max(0, len(curve) - 1),
                  "reached_with": None if own["met"] or hit is None else {"added": hit["added"], "judges": hit["judges"]}}
    missed = [{"figure": f, "target": v["target"], "mean": summ[f].mean}
              for f, v in tg.items() if f != objective and not v["met"]]
    return {
        "objective": objective,
        "bottleneck": None if neck is None else {
            "team": neck["team"], "track": neck["track"], "utilisation": neck["utilisation"]["mean"],
            "utilisation_recommended": util_best.get(neck["team"])},
        "moves": moves,
        "mediation": {"current": base.mediation.share_offered, "new": best.mediation.share_offered},
        "track_utilisation": {"current": _track_utilisation(cur_res), "recommended": _track_utilisation(best_res)},
        "objective_diff": diffs.get(objective),
        "extra_posts": [{"added": p["added"], "track": p["added_to"], "team": p.get("added_team"),
                         "judges": p["judges"], "mean": p["figures"][objective]["mean"]} for p in curve[1:]],
        "worse": worse,
        "target": target,
        "missed": missed,
    }


def _add_judge(base: Scenario, scn: Scenario, track: str) -> Scenario:
    """``scn`` with one more judge on ``track``, given to the team with the fewest judges per
    current judge there (so a plan kept as it is changes in one team only)."""
    data = scenario_to_dict(scn)
    idx = [i for i, t in enumerate(scn.teams) if t.track == track]
    i = min(idx, key=lambda i: ((scn.teams[i].judges + 1) / max(base.teams[i].judges, 1), i))
    data["teams"][i]["judges"] += 1
    return scenario_from_dict(data)


def _grown_team(before: Scenario, after: Scenario) -> Optional[str]:
    """The name of the team that has one more judge in ``after`` than in ``before``."""
    return next((b.name for a, b in zip(before.teams, after.teams) if b.judges > a.judges), None)


def _curve_point(added: int, plan: Plan, ev: _Evaluator, cid: int, scn: Scenario, objective: str,
                 track: Optional[str] = None, team: Optional[str] = None) -> dict[str, Any]:
    stats = {k: mean_ci(ev.values(cid, k)) for k in REPORTED}
    # the curve's "met" is the interval's verdict, so "smallest staffing that meets it" is one
    # whose interval clears the target, not one whose mean happens to touch it
    targets = {name: target_verdict(stats[name], target, REGISTRY[name].target_direction)
               for name, target in scn.targets.model_dump().items() if target is not None and name in stats}
    return {"added": added, "added_to": track, "added_team": team, "judges": plan.total("judges"), "plan": _plan_dict(plan),
            "replications": ev.n(cid), "figures": {k: v.as_dict() for k, v in stats.items()},
            "targets": targets}


def _describe(base: Scenario, plan: Plan, objective: str) -> str:
    text = advised_description(base.name, base.description or "", objective, plan.judges, plan.assistants,
                               plan.clerks, plan.mediation_share)
    return text[:4000]
