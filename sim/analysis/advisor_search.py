"""The advisor's search: the best split of given totals, and the fewest extra posts that meet
every target.

Targets
-------
Every target of the scenario counts (``scenario.targets``, whatever figures it names); a
target's direction comes from the figure registry (``better``: higher means "at least",
lower "at most"). Nothing here lists the targets by name.

The best split at given totals (a *full search*, :class:`SplitSearch`)
--------------------------------------------------------------------------
The fluid model (:mod:`sim.analysis.advisor_fluid`) chooses the plans to screen; the current
plan of the scenario is always screened too, as the reference. Replications are spent where
they matter, always with common random numbers (replication r of every plan uses the same
seed and the same disputes): every candidate is screened with ``screen`` replications; the
``top_k`` best are raced to ``refine``, adding replications in rounds and dropping a
candidate as soon as the paired 95 % interval of its difference from the leader excludes 0
in the leader's favour. Replications already run are reused, never repeated.

Ranking rule (exact): plans within the given totals first (the current plan, always
simulated as the reference, may use more staff); then more replications first (plans
refined before those dropped in the race, which were significantly worse on the objective,
and before those only screened); among plans with the same replications, fewer targets
missed by the mean (every target counts); then the objective's mean (higher within-limit
rate, or fewer pending at the end); then the candidate's place in the search, so ties are
broken the same way every time. A search reads, of each plan, only the replications it asked
for itself, so a search inside a larger one (the curve below) gives exactly what the same
search run on its own gives.

How many more posts (:class:`MoreSearch`)
------------------------------------------
The curve's point at ``k`` extra posts is the best of full searches at that total, with the
split across teams re-optimised there (never posts added one at a time to a smaller total's
best). With only judges offered, that is the full search at (judges + k, assistants,
clerks); with assistants or clerks offered too, the searches at the judges-first mix and at
the two mixes the fluid model ranks best. The best plan of the largest smaller total searched,
extended by the extra posts, is raced against it as well (as the search races its
candidates), and the point is whichever ranks best at ``refine`` replications, so **a point is
never below the full search at its total** (by construction) and rarely below a smaller
total's point.

A target is *met* at a point when its 95 % interval over ``refine`` replications lies on the
target's side (the verdict of every page; a mean on the right side with the target inside its
interval is *undecided*, not met). The totals searched are 0, 1 and all the posts offered;
then, while a total that meets every target (or a target) is more than one post above the
largest total below it that does not, the total where the line between their means crosses
the target (or the middle, after two such steps in a row that did not halve the gap). So the fewest posts that meet a
target is a total that meets it next to one searched that does not. ``every_total`` searches
every total instead (tests, and a whole curve).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional, Sequence

import numpy as np

from ..model.figures import FIGURES
from ..model.scenario import Scenario
from ..vocabulary.figure_registry import REGISTRY
from .advisor_fluid import LazyFluid, candidate_plans, extend_plan, rank_mixes, support_steps
from .advisor_plan import ROLES, Plan, current_plan, plan_scenario
from .results import Results, Stat, mean_ci, target_verdict

ProgressFn = Callable[[int, int], None]
#: figures reported for every candidate, besides the ones the scenario has targets on
REPORTED = ("within_limit_rate", "within_limit_rate_simple", "within_limit_rate_complex", "pending_end",
            "clearance_rate", "overdue_pending_end", "overdue_pending_end_simple", "overdue_pending_end_complex",
            "long_pending_end", "long_pending_share", "disposition_days_mean", "judge_utilisation",
            "closures_per_judge", "mediation_resolution_share")
#: mixes of extra posts searched at a total, besides the judges-first one
OTHER_MIXES = 2
Mix = tuple[int, int, int]  # extra (judges, assistants, clerks)


# --- targets ---------------------------------------------------------------------------------
def targets_of(scn: Scenario) -> dict[str, float]:
    """The scenario's targets (figure → value), every one that is set."""
    return {name: float(v) for name, v in scn.targets.model_dump().items() if v is not None and name in FIGURES}


def reported_figures(targets: Iterable[str]) -> tuple[str, ...]:
    """:data:`REPORTED` and every targeted figure, so no target goes unreported."""
    return REPORTED + tuple(t for t in targets if t not in REPORTED)


def direction(figure: str) -> str:
    """">=" when more of ``figure`` is better, "<=" when less is (from the registry)."""
    return REGISTRY[figure].target_direction


def mean_meets(figure: str, mean: float, target: float) -> bool:
    """Whether a mean is on the target's side (the ranking's yes/no; pages show :func:`verdicts`)."""
    if not math.isfinite(mean):
        return False
    return mean >= target if direction(figure) == ">=" else mean <= target


def verdicts(targets: dict[str, float], values: Callable[[str], np.ndarray]) -> dict[str, dict[str, Any]]:
    """The three-state verdict of each target from the replications given (as on every page)."""
    return {f: target_verdict(mean_ci(values(f)), v, direction(f)) for f, v in targets.items()}


def objective_sign(objective: str) -> float:
    """+1 when higher is better."""
    return 1.0 if REGISTRY[objective].better == "higher" else -1.0


# --- replications of many scenarios under one seed -------------------------------------------
class Store:
    """Replications of scenarios with one seed; runs each (scenario, replication) once.

    Scenarios are known by their hash, so a plan met again (at another total, in another
    search) reuses what was run. ``progress(done, total)`` counts replications run; the total
    is an estimate that searches add to and take back from.
    """

    def __init__(self, seed: int, workers: int, progress: Optional[ProgressFn] = None):
        self.seed = seed
        self.workers = workers
        self.progress = progress
        self.figs: dict[str, dict[int, dict]] = {}
        self.scenarios: dict[str, Scenario] = {}
        self.done = 0
        self.total = 0

    def plan(self, extra: int) -> None:
        """Expect ``extra`` more replications."""
        self.total = max(self.total, self.done) + max(0, extra)
        self._report()

    def shrink(self, by: int) -> None:
        """Expect ``by`` fewer (never below what is done)."""
        self.total = max(self.done, self.total - max(0, by))
        self._report()

    def _report(self) -> None:
        if self.progress:
            self.progress(self.done, max(self.total, self.done))

    def ensure(self, items: Sequence[tuple[str, Scenario]], n: int) -> None:
        """Every (key, scenario) in ``items`` gets replications 0..n-1, in one parallel batch."""
        from .runner import map_replications

        todo: list[tuple[str, int]] = []
        for key, scn in items:
            self.scenarios.setdefault(key, scn)
            have = self.figs.setdefault(key, {})
            todo.extend((key, r) for r in range(n) if r not in have)
        todo = list(dict.fromkeys(todo))  # a scenario listed twice runs once
        if not todo:
            return
        self.total = max(self.total, self.done + len(todo))
        map_replications([(self.scenarios[k], self.seed, r) for k, r in todo], self.workers,
                         lambda i, fig: self._store(*todo[i], fig))

    def _store(self, key: str, r: int, fig: dict) -> None:
        if r not in self.figs[key]:
            self.figs[key][r] = fig
            self.done += 1
            self._report()

    def values(self, key: str, figure: str, n: int) -> np.ndarray:
        """``figure`` of replications 0..n-1."""
        return np.array([self.figs[key][r]["summary"][figure] for r in range(n)], dtype=float)

    def results(self, key: str, n: int) -> Results:
        """The full results of replications 0..n-1 (cards, teams, monthly figures)."""
        from .runner import prepared_for, staffing_for

        scn = self.scenarios[key]
        return Results.from_replications(scn, self.seed, prepared_for(scn).month_labels,
                                         [self.figs[key][r] for r in range(n)], staffing=staffing_for(scn))


@dataclass
class Settings:
    """How hard to search: the objective, replications to screen and refine, plans refined."""

    objective: str
    screen: int
    refine: int
    top_k: int
    shares: tuple[float, ...]
    targets: dict[str, float]

    @property
    def sign(self) -> float:
        """+1 when more of the objective is better."""
        return objective_sign(self.objective)


@dataclass
class Candidate:
    """A plan in a search: its scenario, store key and the replications the search asked for."""

    plan: Plan
    scenario: Scenario
    key: str
    level: int = 0
    eligible: bool = True
    current: bool = False


def _key(scn: Scenario) -> str:
    from .runner import scenario_key

    return scenario_key(scn)


def rank_key(store: Store, cfg: Settings, c: Candidate, n: int, place: int) -> tuple:
    """The ranking of a plan on its first ``n`` replications (see the module's ranking rule)."""
    missed = sum(1 for f, v in cfg.targets.items() if not mean_meets(f, _mean(store, c, f, n), v))
    m = _mean(store, c, cfg.objective, n)
    obj = -cfg.sign * m if math.isfinite(m) else math.inf
    return (missed, obj, place)


def _mean(store: Store, c: Candidate, figure: str, n: int) -> float:
    v = store.values(c.key, figure, n)
    v = v[np.isfinite(v)]
    return float(v.mean()) if len(v) else float("nan")


class SplitSearch:
    """A full search: the best split of ``totals`` across the teams (see the module docstring)."""

    def __init__(self, store: Store, base: Scenario, fluid: LazyFluid, totals: dict[str, int], cfg: Settings):
        self.store, self.base, self.fluid, self.totals, self.cfg = store, base, fluid, dict(totals), cfg
        self.cands: list[Candidate] = []
        self.exhaustive = False
        self.ranked: list[int] = []
        self.cur = -1

    def _add(self, plan: Plan, scn: Scenario, current: bool = False) -> int:
        self.cands.append(Candidate(plan, scn, _key(scn), current=current))
        return len(self.cands) - 1

    def _ensure(self, ids: Iterable[int], n: int) -> None:
        ids = list(ids)
        self.store.ensure([(self.cands[i].key, self.cands[i].scenario) for i in ids], n)
        for i in ids:
            self.cands[i].level = max(self.cands[i].level, n)

    def key(self, i: int) -> tuple:
        """Rank of candidate ``i`` in this search (lower is better)."""
        c = self.cands[i]
        return (0 if c.eligible else 1, -c.level) + rank_key(self.store, self.cfg, c, c.level, i)

    def run(self) -> "SplitSearch":
        """Screen, race, rank; returns itself."""
        cfg, base, tot = self.cfg, self.base, self.totals
        n_s, n_r = cfg.screen, cfg.refine
        plans, self.exhaustive = candidate_plans(base, self.fluid, tot["judges"], tot["assistants"], tot["clerks"],
                                                 cfg.shares)
        for p in plans:
            self._add(p, plan_scenario(base, p))
        self.cur = self._add(current_plan(base), base, current=True)
        cur = self.cands[self.cur]
        cur.eligible = all(cur.plan.total(r) <= tot[r] for r in ROLES)
        self.store.plan(len(self.cands) * n_s + cfg.top_k * (n_r - n_s))

        # 1. screen every candidate with few replications; then, around the best split found,
        # move support staff a step between the tracks and screen those too
        self._ensure(range(len(self.cands)), n_s)
        if not self.exhaustive:
            lead = min((i for i in range(len(self.cands)) if i != self.cur), key=self.key)
            seen = {c.plan.key for c in self.cands}
            for p in support_steps(self.cands[lead].plan, base, tot["assistants"], tot["clerks"]):
                if p.key not in seen:
                    seen.add(p.key)
                    self._add(p, plan_scenario(base, p))
            self._ensure(range(len(self.cands)), n_s)
        order = sorted(range(len(self.cands)), key=self.key)
        alive = [i for i in order if self.cands[i].eligible][: cfg.top_k]
        if self.cur not in alive:
            alive.append(self.cur)  # the reference is refined alongside, to measure the improvement
        self.store.shrink(max(0, cfg.top_k - len(alive)) * (n_r - n_s))

        # 2. race the best to n_r replications; drop a plan once it is significantly worse
        level = n_s
        while level < n_r:
            level = min(n_r, max(level + 2, 2 * level + 1))
            self._ensure(alive, level)
            ranked = sorted(alive, key=self.key)
            leader = ranked[0]
            keep = [leader]
            for i in ranked[1:]:
                d = mean_ci(cfg.sign * (self.store.values(self.cands[i].key, cfg.objective, level)
                                        - self.store.values(self.cands[leader].key, cfg.objective, level)))
                worse = d.n >= 2 and math.isfinite(d.ci_high) and d.ci_high < 0
                if worse:
                    if i != self.cur:
                        self.store.shrink(n_r - level)
                    continue  # the reference stops here too; its difference is already clear
                keep.append(i)
            alive = keep
        self.ranked = sorted(range(len(self.cands)), key=self.key)
        if self.best.level < n_r:  # cannot happen with the rule above; kept as a guard
            self._ensure([self.ranked[0]], n_r)
        return self

    @property
    def best(self) -> Candidate:
        """The best plan found (refined to ``refine`` replications)."""
        return self.cands[self.ranked[0]]

    @property
    def runner_up(self) -> Optional[Candidate]:
        """The next plan within the totals in the ranking, if any (the alternative the best beat)."""
        return next((self.cands[i] for i in self.ranked[1:] if self.cands[i].eligible
                     and self.cands[i].plan.key != self.best.plan.key), None)


# --- how many more posts -------------------------------------------------------------------
@dataclass
class Point:
    """The curve at ``added`` extra posts: the plan chosen there and how it was found."""

    added: int
    mix: Mix
    cand: Candidate
    source: str                                 # "search" (a full search's best) or "extended"
    searches: list[tuple[Mix, SplitSearch]] = field(default_factory=list)
    verdicts: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def meets_all(self) -> bool:
        """Every target met (its interval on the target's side)."""
        return all(v["verdict"] == "met" for v in self.verdicts.values())

    def meets(self, figure: str) -> bool:
        """The target on ``figure`` met (its interval on the target's side)."""
        return self.verdicts[figure]["verdict"] == "met"


class MoreSearch:
    """The fewest extra posts meeting every target, and the curve of the totals searched."""

    def __init__(self, store: Store, base: Scenario, fluid: LazyFluid, totals: dict[str, int],
                 offer: dict[str, int], cfg: Settings, start: SplitSearch, every_total: bool = False):
        self.store, self.base, self.fluid, self.totals, self.cfg = store, base, fluid, dict(totals), cfg
        self.offer = {r: int(offer.get(r, 0)) for r in ROLES}
        self.every_total = every_total
        self.K = sum(self.offer.values())
        self.points: dict[int, Point] = {}
        self._add_point(Point(0, (0, 0, 0), start.best, "search", [((0, 0, 0), start)]))
        # the progress bar's estimate: each search of a total about as long as the first one
        self._per_search = max(1, store.done)
        self._reserved = 0

    def _expect(self, probes: int) -> None:
        extra = probes * self._per_search
        self._reserved += extra
        self.store.plan(extra)

    def _add_point(self, p: Point) -> None:
        n = self.cfg.refine
        p.verdicts = verdicts(self.cfg.targets, lambda f: self.store.values(p.cand.key, f, n))
        self.points[p.added] = p

    def mixes_at(self, k: int) -> list[Mix]:
        """The mixes of ``k`` extra posts searched: judges first, then the fluid model's best others."""
        o = self.offer
        every = [(j, a, k - j - a) for j in range(min(k, o["judges"]) + 1) for a in range(min(k - j, o["assistants"]) + 1)
                 if 0 <= k - j - a <= o["clerks"]]
        j = min(k, o["judges"])
        a = min(k - j, o["assistants"])
        first = (j, a, k - j - a)
        others = [m for m in every if m != first]
        if not others:
            return [first]
        ranked = rank_mixes(self.base, self.fluid, self.totals, others, self.points[0].cand.plan.mediation_share)
        return [first] + ranked[:OTHER_MIXES]

    def _with(self, mix: Mix) -> dict[str, int]:
        return {r: self.totals[r] + mix[i] for i, r in enumerate(ROLES)}

    def _race(self, c: Candidate, lead: Candidate) -> bool:
        """Add replications to ``c`` in the search's rounds while it is not significantly worse
        than ``lead`` on the objective; True when it reached ``refine`` replications."""
        cfg = self.cfg
        if c.key == lead.key:
            return False  # the same plan: the full search's own best already stands for it
        level = cfg.screen
        while True:
            self.store.ensure([(c.key, c.scenario)], level)
            c.level = level
            d = mean_ci(cfg.sign * (self.store.values(c.key, cfg.objective, level)
                                    - self.store.values(lead.key, cfg.objective, level)))
            if d.n >= 2 and math.isfinite(d.ci_high) and d.ci_high < 0:
                return False
            if level >= cfg.refine:
                return True
            level = min(cfg.refine, max(level + 2, 2 * level + 1))

    def _best(self, finalists: list[tuple[str, Mix, Candidate]]) -> int:
        """Index of the best finalist on ``refine`` replications (ties: the earlier one)."""
        return min(range(len(finalists)), key=lambda i: rank_key(self.store, self.cfg, finalists[i][2], self.cfg.refine, i))

    def probe(self, k: int) -> Point:
        """Search the total of ``k`` extra posts in full and add its point to the curve."""
        cfg = self.cfg
        finalists: list[tuple[str, Mix, Candidate]] = []
        searches = []
        mixes = self.mixes_at(k)
        back = min(self._reserved, len(mixes) * self._per_search)  # the searches below count themselves
        self._reserved -= back
        self.store.shrink(back)
        for m in mixes:
            s = SplitSearch(self.store, self.base, self.fluid, self._with(m), cfg).run()
            searches.append((m, s))
            finalists.append(("search", m, s.best))
        best_mix = finalists[self._best(finalists)][1]
        low = self.points[max(x for x in self.points if x < k)]
        add = tuple(b - a for a, b in zip(low.mix, best_mix))
        ext = extend_plan(self.base, self.fluid, low.cand.plan, add) if min(add) >= 0 else None  # type: ignore[arg-type]
        if ext is not None:
            scn = plan_scenario(self.base, ext)
            c = Candidate(ext, scn, _key(scn))
            if self._race(c, finalists[self._best(finalists)][2]):
                finalists.append(("extended", best_mix, c))
        src, mix, cand = finalists[self._best(finalists)]
        p = Point(k, mix, cand, src, searches)
        self._add_point(p)
        return p

    def run(self) -> "MoreSearch":
        """Probe totals until the fewest posts meeting every target (and each target) is known:
        one post, then all the posts offered, then inside each bracket (a total that meets the
        test and the largest below it that does not) where the means on either side say the
        target is crossed, or halfway after two such steps in a row that did not halve it."""
        if self.every_total:
            self._expect(self.K)
            for k in range(1, self.K + 1):
                self.probe(k)
            return self
        if self.K == 0 or self.points[0].meets_all:
            return self
        self._expect(min(self.K, 2 + math.ceil(math.log2(self.K + 1))))
        try:
            self._probe_brackets()
        finally:
            self.store.shrink(self._reserved)
            self._reserved = 0
        return self

    def _probe_brackets(self) -> None:
        if not self.probe(1).meets_all and self.K > 1:
            self.probe(self.K)
        for figure in [None, *self.cfg.targets]:
            slow = 0  # interpolation steps in a row that did not halve the bracket
            while True:
                br = self.bracket(figure)
                if br is None or br[1] - br[0] <= 1:
                    break
                lo, hi = br
                halve = slow >= 2
                self.probe((lo + hi) // 2 if halve else self._crossing(figure, lo, hi))
                nb = self.bracket(figure)
                slow = 0 if halve or nb is None or nb[1] - nb[0] <= (hi - lo) / 2 else slow + 1

    def _test(self, figure: Optional[str]) -> Callable[[Point], bool]:
        return (lambda p: p.meets_all) if figure is None else (lambda p: p.meets(figure))

    def bracket(self, figure: Optional[str]) -> Optional[tuple[int, int]]:
        """(largest total searched below ``hi`` that fails, ``hi``: the smallest that passes) for
        the target on ``figure`` (None: every target); None when no total passes or 0 does."""
        test = self._test(figure)
        hi = next((x for x in sorted(self.points) if test(self.points[x])), None)
        if hi is None:
            return None
        lo = max((x for x in self.points if x < hi and not test(self.points[x])), default=None)
        return None if lo is None else (lo, hi)

    def _crossing(self, figure: Optional[str], lo: int, hi: int) -> int:
        """The total inside (lo, hi) where the line between the two points' means crosses the
        target (the furthest such total over the targets ``lo`` misses when ``figure`` is None),
        rounded down: with diminishing returns the curve crosses before the line does."""
        n = self.cfg.refine
        figs = [figure] if figure is not None else [f for f in self.cfg.targets if not self.points[lo].meets(f)]
        guesses = []
        for f in figs:
            a = _mean(self.store, self.points[lo].cand, f, n)
            b = _mean(self.store, self.points[hi].cand, f, n)
            v = self.cfg.targets[f]
            if math.isfinite(a) and math.isfinite(b) and a != b and min(a, b) <= v <= max(a, b):
                guesses.append(lo + (v - a) / (b - a) * (hi - lo))
        x = math.floor(max(guesses)) if guesses else (lo + hi) // 2
        return min(hi - 1, max(lo + 1, int(x)))

    def fewest(self, test: Callable[[Point], bool]) -> Optional[Point]:
        """The smallest total searched whose point passes ``test`` (None: none does)."""
        return next((self.points[x] for x in sorted(self.points) if test(self.points[x])), None)

    def below(self, p: Point) -> Optional[Point]:
        """The largest total searched below ``p``'s."""
        lower = [x for x in self.points if x < p.added]
        return self.points[max(lower)] if lower else None


def stat(store: Store, c: Candidate, figure: str, n: Optional[int] = None) -> Stat:
    """Mean and 95 % interval of ``figure`` over the candidate's first ``n`` replications."""
    return mean_ci(store.values(c.key, figure, c.level if n is None else n))


def paired(store: Store, a: Candidate, b: Candidate, figure: str) -> Stat:
    """``a`` − ``b`` on ``figure``, replication by replication (common random numbers)."""
    n = min(a.level, b.level)
    return mean_ci(store.values(a.key, figure, n) - store.values(b.key, figure, n))
