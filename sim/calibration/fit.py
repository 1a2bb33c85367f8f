"""Fitting the model to a court's records: direct estimates, then simulation-based fitting.

What the records show is estimated directly (:mod:`.direct`). What they do not show — how
much judge time a case takes and how long service and adjournments take — is chosen so that
the simulated court, under the recorded staffing of each month, from the open cases at the
records' start and meeting the court's own filings, closes as many cases each month as the
court did, keeps as many pending and takes as long to do it. Where a track was short of judges
in its latest months, its judge time per case is then set from those months alone
(:mod:`.probe`): that is the capacity a forecast from the export needs.

**Method.** Multipliers on the template's values: judge time per case of the simple track and
of the complex track (hours at the desk, the share of a hearing slot, panel hours),
preparation (service days and the gap after an adjournment). The loss is a Pearson χ²: the
sum of squared differences between the
mean of ``reps`` simulated replications and the record, each divided by its variance (the
record's own sampling variance — Poisson for a month's closings, s²/n for a mean disposition
time, binomial for the within-limit rate — plus the simulation's variance of the mean), over

- the closings of every full recorded month and the pending caseload at its end, **per
  track** (so that each track's judge hours are fitted to the months in which that track was
  short of them: a track with too much capacity keeps its pending flat where the court's grew;
  the pending caseload's variance is the simulation's own spread of one replication),
- the mean disposition time of cases closed in the period under simple procedure / small
  claims and under ordinary procedure,
- the median and 90th percentile of all their disposition times (preparation moves the whole
  distribution, a track short of judge hours mostly its tail: the wait beyond procedural
  time; variances by bootstrap), and
- the within-limit rate of the period,

the last two with an allowance for the model's own misfit (:data:`DISCREPANCY_DAYS`,
:data:`DISCREPANCY_RATE`). The court's own filings are replayed (``demand.filings``), so the
simulated court meets the months its judges met: where they fell behind, the simulated judges
must fall behind as much. Simulated and recorded figures are taken over the same cases (those closed inside the
recorded period), so the censoring at the export date applies to both alike. Every candidate
runs with the same seed and replication numbers (common random numbers), so the loss moves
smoothly with the parameters rather than with the dice. The search (:mod:`.search`) is a
coordinate line search in log space with a pattern move, then local designs and a quadratic
response surface; it needs no gradient and runs its candidates on all cores.

**Ranges, and what the data cannot pin.** Each value's 95 % range is where the loss stays
within 3.84 × max(1, χ²/dof) of its minimum, plus twice the spread over random streams of the
loss difference between the optimum and a candidate on that side (:meth:`_Objective.noise`), along its slice,
the response surface's profile and every candidate evaluated (:func:`.search.ranges`). A
track that kept up with its filings in every month closes what is filed whatever its judges'
hours: its loss is flat below some value, the range runs to the search bound, and the value
is **not pinned down**. Such a value is never reported as an estimate: the scenario uses the
middle of the range that fits (log scale; the template's value when the range is the whole
search interval), the page and the report say in words which side is open and why, and the
forecast's bands draw it from its whole range (:meth:`Fit.parameter_sets`).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

import numpy as np

from ..analysis.runner import map_replications
from ..model.errors import CodedError
from ..model.scenario import Scenario, add_months, load_scenario
from .build import DEFAULT_TEMPLATE, FITTED, FITTED_TOTALS, SPECS, Estimates, build_scenario
from .direct import estimate
from .durations import by_procedure
from .estimate import Param
from .records import CaseImport
from .search import PROFILE_OFFSETS, planned, ranges, search
from .totals import MonthlyImport, StaffingImport

__all__ = ["Fit", "Targets", "calibrate", "estimate", "targets"]

ProgressFn = Callable[[int, int], None]
#: replications of the first candidate, for the simulation's own variance
VAR_REPS = 3
#: other random streams the loss is taken on at the optimum, for its noise
NOISE_STREAMS = 3
#: parameters the records never show, kept at the template's values
NOT_IN_RECORDS = ("calendar.hours_per_day", "support", "hearings.slots_per_week", "hearings.procedures.*.cases_per_slot",
                  "hearings.procedures.*.adjournment_rate", "hearings.settle_before_hearing", "triage.accuracy",
                  "case_types.*.settlement_effort_factor", "docket.mode")
TRACKS = ("simple", "complex")


@dataclass
class Targets:
    """The recorded figures the simulation is fitted to."""

    closed: np.ndarray                  # (2, full months): closings of the simple and the complex track
    pending: np.ndarray                 # (2, full months): their pending caseloads at each month's end
    disp_simple: tuple[float, float]    # (mean, variance of the mean) of closed cases' days
    disp_ordinary: tuple[float, float]
    within: tuple[float, float]         # (rate, variance)
    median: tuple[float, float] = (float("nan"), float("nan"))   # (days, bootstrap variance), all closed
    p90: tuple[float, float] = (float("nan"), float("nan"))


@dataclass
class Fit:
    """The calibrated court: estimates, fitted values with ranges, and the replay scenario."""

    estimates: Estimates
    multipliers: dict[str, Param]
    scenario: Scenario                  # the recorded period, with the fitted values
    template: Scenario
    loss: float
    degrees_of_freedom: int
    evaluations: int
    seconds: float
    reps: int
    durations: dict = field(default_factory=dict)   # Kaplan–Meier summaries by procedure
    history: list[tuple[dict, float]] = field(default_factory=list)
    sampling: Optional[np.ndarray] = None           # covariance (log scale) of the draws of ...
    sampling_names: tuple[str, ...] = ()            # ... these values, pinned by the whole-history fit

    @property
    def chi2_per_dof(self) -> float:
        return self.loss / max(self.degrees_of_freedom, 1)

    def values(self) -> dict[str, float]:
        """The fitted values the scenario uses."""
        return {k: p.value for k, p in self.multipliers.items()}

    def params(self) -> list[Param]:
        """Every estimated and fitted parameter, in reading order."""
        e = self.estimates
        out = [e.filings_per_year, e.growth, *e.profile]
        if e.demand.step is not None:
            out.append(e.demand.step)
        out += [e.mediation_offered, e.mediation_success, e.conversion]
        for d in (e.shares, e.settlement, e.public_notice, e.appraisal):
            out += list(d.values())
        return out + list(self.multipliers.values())

    def unidentified(self) -> list[str]:
        """Parameters the data could not pin down, and those the records never show."""
        return [p.key for p in self.params() if not p.identified] + list(NOT_IN_RECORDS)

    def parameter_sets(self, n: int, seed: int = 1) -> list[dict[str, Any]]:
        """``n`` parameter sets drawn from the fitted ranges, for bands that hold the estimate's
        uncertainty: the fitted values pinned by the data jointly from the response surface's
        region (else each from a normal whose ±1.96 sd is its range), cut to their ranges; each
        value the data leave open uniformly (log scale) over its whole range; and the demand
        from the filing regression's draws. Each set is ``{"multipliers", "demand"}``."""
        rng = np.random.default_rng([seed, 22])
        names = [k for k, p in self.multipliers.items() if p.low is not None and p.high is not None]
        ps = [self.multipliers[k] for k in names]
        lo = np.log([p.low for p in ps])
        hi = np.log([p.high for p in ps])
        centre = np.log([p.value for p in ps])
        sd = (hi - lo) / (2 * 1.959964)
        joint = [names.index(k) for k in self.sampling_names if k in names]
        out = []
        for k in range(n):
            z = rng.standard_normal(len(ps)) * sd
            if self.sampling is not None and self.sampling.shape == (len(joint), len(joint)):
                z[joint] = rng.multivariate_normal(np.zeros(len(joint)), self.sampling, method="eigh")
            u = rng.uniform(lo, hi)
            x = np.where([p.identified for p in ps], np.clip(centre + z, lo, hi), u)
            out.append({"multipliers": {nm: float(np.exp(v)) for nm, v in zip(names, x, strict=False)},
                        "demand": self.estimates.demand.draw(k)})
        return out

    def to_dict(self) -> dict[str, Any]:
        e = self.estimates
        return {"start": e.start.isoformat(), "months": e.months, "params": [p.to_dict() for p in self.params()],
                "unidentified": self.unidentified(), "loss": round(self.loss, 3),
                "degrees_of_freedom": self.degrees_of_freedom, "chi2_per_dof": round(self.chi2_per_dof, 3),
                "evaluations": self.evaluations, "replications_per_candidate": self.reps,
                "seconds": round(self.seconds, 2), "carried_over": e.state.to_dict(),
                "staffing": e.staffing.to_dict(e.start, e.months),
                "tracks": [r.to_dict() for r in e.extra.get("tracks", [])],
                "demand_step": None if e.demand.step is None else e.demand.step.to_dict(),
                "batch_filings": e.extra.get("batches", {}),
                "durations": {p: d.to_dict() for p, d in self.durations.items()}}


def targets(imp: CaseImport, est: Estimates) -> Targets:
    """The recorded figures over the full months of the estimates."""
    from .estimate import track_of

    end = add_months(est.start, est.months)
    closed = np.zeros((2, est.months))
    pending = np.zeros((2, est.months))
    edges = [add_months(est.start, m + 1) for m in range(est.months)]
    for c in imp.cases:
        k = TRACKS.index(track_of(c.governing_procedure))
        if c.closing is not None and est.start <= c.closing < end:
            m = (c.closing.year - est.start.year) * 12 + c.closing.month - est.start.month
            closed[k, m] += 1
        for m, b in enumerate(edges):
            if c.filing < b and (c.closing is None or c.closing >= b):
                pending[k, m] += 1
    rows = est.extra["monthly"].rows[:est.months]
    inside = [c for c in imp.cases if c.closing is not None and est.start <= c.closing < end]

    def mean_var(group: Sequence) -> tuple[float, float]:
        d = np.array([(c.closing - c.filing).days for c in group], dtype=float)
        if len(d) < 2:
            return float("nan"), float("nan")
        return float(d.mean()), float(d.var(ddof=1) / len(d))

    simple = [c for c in inside if c.governing_procedure in ("small_claims", "simple")]
    ordinary = [c for c in inside if c.governing_procedure == "ordinary"]
    wl = sum(r.within_limit for r in rows)
    n = max(int(closed.sum()), 1)
    p = wl / n
    days = np.array([(c.closing - c.filing).days for c in inside], dtype=float)
    med = p90 = (float("nan"), float("nan"))
    if len(days) >= 20:
        rng = np.random.default_rng(7)
        boot = np.array([np.percentile(rng.choice(days, len(days)), [50, 90]) for _ in range(200)])
        # at least a day's variance: the figures are whole days
        med = (float(np.median(days)), max(float(boot[:, 0].var(ddof=1)), 1.0))
        p90 = (float(np.percentile(days, 90)), max(float(boot[:, 1].var(ddof=1)), 1.0))
    return Targets(closed=closed, pending=pending, disp_simple=mean_var(simple), disp_ordinary=mean_var(ordinary),
                   within=(p, max(p * (1 - p), 0.25 / n) / n), median=med, p90=p90)


def _moments(figs: Sequence[dict], months: int, team_track: np.ndarray) -> np.ndarray:
    """(reps, k) simulated figures in the order of :func:`_observed`: each track's closings per
    month (the teams of the track), then the disposition figures and the within-limit rate."""
    rows = []
    for f in figs:
        ct = f["flow_monthly"]["closed_team"][:len(team_track), :months]
        pt = f["flow_monthly"]["pending_team"][:len(team_track), :months]
        per_track = [ct[team_track == k].sum(axis=0) for k in (0, 1)] + [pt[team_track == k].sum(axis=0)
                                                                          for k in (0, 1)]
        rows.append(np.concatenate(per_track + [[f["detail"]["disposition_days_simple"],
                                                 f["detail"]["disposition_days_ordinary"],
                                                 f["summary"]["within_limit_rate"],
                                                 f["summary"]["disposition_days_median"],
                                                 f["summary"]["disposition_days_p90"]]]))
    return np.array(rows)


#: the model's own misfit allowed on the disposition times (a share of each) and on the
#: within-limit rate (a difference): the template's procedural steps are not the court's,
#: and with thousands of cases their sampling variance alone would make a few days' miss
#: outweigh every month's closings, which are what show the court's capacity
DISCREPANCY_DAYS = 0.10
DISCREPANCY_RATE = 0.01
#: ... and on a month's pending caseload (a share of it)
DISCREPANCY_PENDING = 0.03


def _observed(t: Targets) -> tuple[np.ndarray, np.ndarray]:
    tail = [t.disp_simple, t.disp_ordinary, t.within, t.median, t.p90]
    obs = np.concatenate([t.closed[0], t.closed[1], t.pending[0], t.pending[1], [v[0] for v in tail]])
    extra = [(DISCREPANCY_DAYS * t.disp_simple[0]) ** 2, (DISCREPANCY_DAYS * t.disp_ordinary[0]) ** 2,
             DISCREPANCY_RATE ** 2, (DISCREPANCY_DAYS * t.median[0]) ** 2, (DISCREPANCY_DAYS * t.p90[0]) ** 2]
    # a month's pending caseload is one realisation of the court's queue: its variance is the
    # simulation's own (added in the loss) and the model's misfit allowance
    pend = [np.maximum((DISCREPANCY_PENDING * p) ** 2, 1.0) for p in t.pending]
    var = np.concatenate([np.maximum(t.closed[0], 1.0), np.maximum(t.closed[1], 1.0), pend[0], pend[1],
                          [v[1] + e for v, e in zip(tail, extra, strict=False)]])
    return obs, var


def _month_weights(m: np.ndarray, months: int) -> np.ndarray:
    """Weights that count correlated months as fewer independent ones.

    A court's monthly closings follow its backlog, so neighbouring months' deviations are
    correlated (lag-1 correlation ρ, measured per track on the replications' deviations from
    their mean); n such months carry the information of about n(1 − ρ)/(1 + ρ) independent
    ones, and each month's term is weighted by (1 − ρ)/(1 + ρ) so that a loss difference of
    3.84 is a 95 % range again. The pending caseload is a running sum, so its deviations are
    as correlated as a few replications can show at most (ρ = 0.9), whatever they show.
    The first :data:`BURN_IN` months weigh nothing: a run started from a list of open cases has
    empty hearing calendars and desks on its first day, and its first months say more about
    that start than about the court.
    """
    w = np.ones(m.shape[1])
    if m.shape[0] < 2 or months < 3:
        return w
    for k in (0, 1, 2, 3):   # closings, then pending, of each track
        block = m[:, k * months:(k + 1) * months]
        dev = block - block.mean(axis=0)
        a, b = dev[:, :-1].ravel(), dev[:, 1:].ravel()
        den = math.sqrt(float((a * a).sum() * (b * b).sum()))
        rho = float(np.clip((a * b).sum() / den, 0.0, MAX_RHO)) if den > 0 else 0.0
        if k >= 2:
            rho = MAX_RHO
        w[k * months:(k + 1) * months] = (1 - rho) / (1 + rho)
        if months > BURN_IN + 3:
            w[k * months:k * months + BURN_IN] = 0.0
    return w


#: the strongest month-to-month correlation the weights count
MAX_RHO = 0.9
#: months at the start of a run left out of the monthly terms (see :func:`_month_weights`)
BURN_IN = 3


class _Objective:
    """The χ² loss of candidate values (log scale), evaluated in batches on the worker pool."""

    def __init__(self, est: Estimates, tpl: Scenario, t: Targets, names: tuple[str, ...], reps: int, seed: int,
                 workers: Optional[int], progress: Optional[ProgressFn], planned_n: int):
        self.est, self.tpl, self.reps, self.seed, self.workers = est, tpl, reps, seed, workers
        self.names = names
        self.bounds = np.log([[SPECS[k].low, SPECS[k].high] for k in names])
        self.obs, self.var_obs = _observed(t)
        self.use = np.isfinite(self.obs) & np.isfinite(self.var_obs)
        has = np.repeat(t.closed.sum(axis=1) + t.pending.sum(axis=1) > 0, est.months)
        self.use[: 4 * est.months] &= np.concatenate([has, has])  # a track without cases
        # the pending caseloads' variance is the simulation's own, of one replication (the
        # court's months are one realisation), not only of the mean
        self.single = np.zeros(len(self.obs), dtype=bool)
        self.single[2 * est.months: 4 * est.months] = True
        self.var_sim: Optional[np.ndarray] = None
        self.weight = np.ones(len(self.obs))
        self.cache: dict[tuple, np.ndarray] = {}      # candidate -> mean simulated figures
        self.points: dict[tuple, dict[str, float]] = {}
        self.progress, self.planned, self.done = progress, planned_n, 0
        first = self.scenario(np.log([SPECS[k].start for k in names]))
        # with monthly totals only, every team counts in the one series
        self.team_track = np.array([0 if tm.track == "simple" or est.extra.get("aggregate") else 1
                                    for tm in first.teams])

    def scenario(self, x: np.ndarray) -> Scenario:
        mult = {k: float(np.exp(v)) for k, v in zip(self.names, x, strict=False)}
        return build_scenario(self.est, self.tpl, mult, replications=self.reps, seed=self.seed, recorded=True)

    def __call__(self, xs: Sequence[np.ndarray]) -> list[float]:
        keys = [tuple(np.round(x, 6)) for x in xs]
        todo = list({k: (k, x) for k, x in zip(keys, xs, strict=True) if k not in self.cache}.values())
        if todo:
            # the first candidate also runs VAR_REPS replications for the simulation's own spread
            first = self.var_sim is None
            counts = [max(self.reps, VAR_REPS) if first and i == 0 else self.reps for i in range(len(todo))]
            jobs = [(self.scenario(x), self.seed, r) for (_, x), n in zip(todo, counts, strict=True) for r in range(n)]
            figs = map_replications(jobs, self.workers)
            at = 0
            for (k, x), n in zip(todo, counts, strict=False):
                m = _moments(figs[at:at + n], self.est.months, self.team_track)
                at += n
                if self.var_sim is None:
                    self._set_spread(m)
                self.cache[k] = m[:self.reps].mean(axis=0)   # the figures: losses follow from them
                self.points[k] = {n_: round(float(np.exp(v)), 4) for n_, v in zip(self.names, x, strict=False)}
                self.done += 1
                if self.progress:
                    self.progress(min(self.done, self.planned), self.planned)
        return [self._loss(self.cache[k]) for k in keys]

    def _set_spread(self, m: np.ndarray) -> None:
        """The simulation's own variance per figure, and the months' weights, from replications ``m``."""
        v = m.var(axis=0, ddof=1) if m.shape[0] > 1 else np.zeros(m.shape[1])
        self.var_sim = np.where(np.isfinite(v), v, 0.0)
        self.weight = _month_weights(m, self.est.months)

    @property
    def history(self) -> list[tuple[dict, float]]:
        """Every candidate evaluated and its loss (under the current variances)."""
        return [(self.points[k], self._loss(m)) for k, m in self.cache.items()]

    def _loss(self, mean: np.ndarray) -> float:
        ok = self.use & np.isfinite(mean)
        z2 = (mean - self.obs) ** 2 / (self.var_obs + self.var_sim * np.where(self.single, 1 + 1 / self.reps,
                                                                              1 / self.reps))
        # a figure the simulation cannot produce (no case closed) counts as a large miss
        return float((self.weight * z2)[ok].sum() + 1e4 * (self.use & ~np.isfinite(mean)).sum())

    def noise(self, x: np.ndarray, offset: float = PROFILE_OFFSETS[-1], streams: int = NOISE_STREAMS
              ) -> tuple[float, np.ndarray]:
        """At ``x``, the optimum: the simulation's own spread measured again from the fit's random
        stream and ``streams`` others (replication numbers after those the fit uses; the first
        candidate, where it was measured, can be far from here and in another regime, saturated
        or not), every candidate's loss taken under it. Returns the standard deviation of the
        loss at ``x`` over the streams, and for each value and side (k × 2: below, above) that of
        the loss *difference* between ``x`` and the point ``offset`` away along that value (the
        outer ends of the slices :func:`.search.ranges` draws): a range's end is where a
        candidate is worse than the optimum by more than another stream could make it, and
        that varies by value and side (a saturated team's wall is steep and noisy, the other
        side flat and quiet), far more than the loss at one point does."""
        k, n = len(x), self.reps
        ends = [x + side * offset * np.eye(k)[i] for i in range(k) for side in (-1.0, 1.0)]
        self(ends)                                       # the fit's own stream: cached
        others = range(n, n * (streams + 1))
        at = self.scenario(x)
        jobs = [(at, self.seed, r) for r in range(n * (streams + 1))]
        for y in ends:
            scn = self.scenario(y)
            jobs += [(scn, self.seed, r) for r in others]
        figs = map_replications(jobs, self.workers)
        at_x = figs[:n * (streams + 1)]
        self._set_spread(_moments(at_x, self.est.months, self.team_track))

        def losses(block: Sequence) -> list[float]:
            """The loss of each stream's mean figures in ``block`` (``n`` replications per stream)."""
            return [self._loss(_moments(block[s:s + n], self.est.months, self.team_track).mean(axis=0))
                    for s in range(0, len(block), n)]

        loss_x = np.array(losses(at_x))
        spread = np.zeros((k, 2))
        rest = figs[len(at_x):]
        for j, y in enumerate(ends):
            loss_y = [self._loss(self.cache[tuple(np.round(y, 6))])] + losses(rest[j * len(others):(j + 1) * len(others)])
            spread[j // 2, j % 2] = np.std(np.array(loss_y) - loss_x, ddof=1)
        return float(np.std(loss_x, ddof=1)), spread

    @property
    def dof(self) -> int:
        return max(int((self.use & (self.weight > 0)).sum()) - len(self.names), 1)


def _track_hours(scn: Scenario) -> dict[str, float]:
    """Share-weighted mean judge hours per case of each track (at multiplier 1)."""
    out = {}
    for track in TRACKS + ("all",):
        ts = [c for c in scn.case_types if c.track == track or track == "all"]
        w = sum(c.share for c in ts)
        if w > 0:
            out["effort" if track == "all" else f"effort_{track}"] = sum(c.share * c.effort.mean for c in ts) / w
    return out


#: a track counts for the year-end push in a December when its judges were busy this much
PUSH_BUSY = 0.9
PUSH_REPS = 3


def year_end_push(est: Estimates, tpl: Scenario, mult: dict[str, Param], tg: Targets, seed: int,
                  workers: Optional[int]) -> Param:
    """The year-end closing push, from the Decembers in which a track's judges were busy.

    The fitted court (no push) replays the court's own filings; in a December when a track's
    simulated judges (with their judge time pinned by the data) were busy at least
    :data:`PUSH_BUSY` of their hours, it closes what they
    can at the usual pace, so the court's own December closings over the simulated ones are
    its December capacity. Its range (log scale) holds the Poisson spread of both and the
    uncertainty of the usual pace itself (the judge time per case's range: a busy track's
    closings go as one over it). A push is found when the range lies above 1; none when it
    holds 1; with no such December the records cannot say (1 assumed).
    """
    values = {k: p.value for k, p in mult.items()}
    decs = [k for k in range(BURN_IN, est.months) if add_months(est.start, k).month == 12]
    none = Param("fit.push", 1.0, method="template", identified=False, params={"none": True})
    if not decs:
        return none
    scn = build_scenario(est, tpl, {**values, "push": 1.0}, replications=PUSH_REPS, seed=seed, recorded=True)
    figs = map_replications([(scn, seed, r) for r in range(PUSH_REPS)], workers)
    track = np.array([0 if t.track == "simple" or est.extra.get("aggregate") else 1 for t in scn.teams])
    actual = sim = 0.0
    paces: list[tuple[float, float]] = []      # (simulated closings, relative sd of the pace)
    for k in decs:
        for t in (0, 1):
            on = track == t
            if not on.any() or tg.closed[t].sum() == 0:
                continue
            p = mult.get("effort" if est.extra.get("aggregate") else f"effort_{TRACKS[t]}")
            if p is None or not p.identified:
                continue              # its usual pace is not known: it cannot show a push
            busy = np.nanmean([f["teams"]["utilisation_monthly"][on, k].mean() for f in figs])
            if busy >= PUSH_BUSY:
                c = float(np.mean([f["flow_monthly"]["closed_team"][:len(track)][on, k].sum() for f in figs]))
                actual += tg.closed[t, k]
                sim += c
                paces.append((c, math.log(p.high / p.low) / (2 * 1.959964)))
    if actual <= 0 or sim <= 0:
        return none
    ratio = actual / sim
    pace2 = sum((c / sim * sd) ** 2 for c, sd in paces)      # each track's share of the closings
    half = 1.959964 * math.sqrt(1 / actual + 1 / (PUSH_REPS * sim) + pace2)
    low, high = ratio * math.exp(-half), ratio * math.exp(half)
    if low <= 1.0:
        return Param("fit.push", 1.0, max(low, 1.0), max(high, 1.0), "simulation", True, params={"found": False})
    return Param("fit.push", min(ratio, 2.0), min(low, 2.0), min(high, 2.0), "simulation", True,
                 params={"found": True})


def used_value(p: Param) -> float:
    """The value a scenario uses: the fitted one when the data pin it; else the middle (log
    scale) of the range that fits the records — neither end of it is an estimate (one may be a
    search bound), and a range that is the whole search interval gives the template's value."""
    if p.identified:
        return p.value
    return float(math.sqrt(p.low * p.high))


def calibrate(imp: CaseImport, monthly: Optional[MonthlyImport] = None, staffing: Optional[StaffingImport] = None,
              template: Optional[Scenario] = None, start: Optional[Any] = None, reps: int = 1,
              seed: int = 20240101, workers: Optional[int] = None, progress: Optional[ProgressFn] = None) -> Fit:
    """Estimate what the records show and fit what they do not (see the module's description).

    ``progress(done, total)`` counts candidate parameter sets simulated.
    """
    t0 = time.perf_counter()
    if not imp.cases:
        raise CodedError("rec_no_rows")
    tpl = template if template is not None else load_scenario(DEFAULT_TEMPLATE)
    est = estimate(imp, monthly, staffing, start, tpl)
    return fit_estimates(est, targets(imp, est), tpl, imp, reps, seed, workers, progress, t0)


def fit_estimates(est: Estimates, tg: Targets, tpl: Scenario, imp: Optional[CaseImport], reps: int, seed: int,
                  workers: Optional[int], progress: Optional[ProgressFn], t0: float,
                  cases: Optional[Sequence[Any]] = None) -> Fit:
    """The simulation-based fit of ``est`` to the targets ``tg`` (see the module's description);
    ``cases`` (default: ``imp``'s) give the states the capacity probes start from."""
    aggregate = bool(est.extra.get("aggregate"))
    names = FITTED_TOTALS if aggregate else FITTED
    cases = imp.cases if cases is None and imp is not None else cases
    total = planned(len(names))
    obj = _Objective(est, tpl, tg, names, reps, seed, workers, progress, total)
    x, best = search(obj, np.log([SPECS[k].start for k in names]))
    noise, spread = obj.noise(x)
    best = obj([x])[0]          # under the spread measured at the optimum
    base_hours = _track_hours(obj.scenario(np.zeros(len(names))))
    mult, best, x, sampling = ranges(obj, x, best, base_hours, noise, spread)
    for k, p in mult.items():
        v = used_value(p)
        if v != p.value:
            p.value = v
            if k in base_hours:
                p.params["hours"] = round(base_hours[k] * v, 3)
    if cases is not None:  # the capacity the court has now, where its latest months reveal it
        from .probe import capacity_values

        mult = capacity_values(est, tpl, mult, cases, seed, workers)
    mult["push"] = year_end_push(est, tpl, mult, tg, seed, workers)
    if progress:
        progress(total, total)
    keep = [i for i, k in enumerate(names) if mult[k].identified and mult[k].method == "simulation"]
    samp = sampling[np.ix_(keep, keep)] if sampling is not None and keep else None
    scn = build_scenario(est, tpl, {k: p.value for k, p in mult.items()}, seed=seed)
    durs = by_procedure(imp.cases, imp.export_date, since=est.start) if imp is not None else {}
    return Fit(estimates=est, multipliers=mult, scenario=scn, template=tpl, loss=best, degrees_of_freedom=obj.dof,
               evaluations=obj.done, seconds=time.perf_counter() - t0, reps=reps, durations=durs,
               history=obj.history, sampling=samp, sampling_names=tuple(names[i] for i in keep))
