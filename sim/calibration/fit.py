"""Fitting the model to a court's records: direct estimates, then simulation-based fitting.

What the records show is estimated directly (:mod:`.estimate`, :mod:`.teams`). What they do not
show — how many judge hours a case takes and how long service and adjournments take — is
chosen so that the simulated court, under the recorded staffing and from the recorded starting
caseload, closes as many cases each month as the court did and takes as long to do it.

**Method.** Three multipliers on the template's values: judge effort of the simple track,
judge effort of the complex track, and preparation (service days and the gap after an
adjournment). The loss is a Pearson χ²: the sum of squared differences between the mean of
``reps`` simulated replications and the record, each divided by its variance (the record's
own sampling variance — Poisson for a month's closings, s²/n for a mean disposition time,
binomial for the within-limit rate — plus the simulation's variance of the mean), over

- the closings of every full recorded month,
- the mean disposition time of cases closed in the period under simple procedure / small
  claims and under ordinary procedure,
- the median and 90th percentile of all their disposition times (preparation moves the whole
  distribution, a team short of judge hours mostly its tail; variances by bootstrap), and
- the within-limit rate of the period.

Simulated and recorded figures are taken over the same cases (those closed inside the
recorded period), so the censoring at the export date applies to both alike. Every candidate
runs with the same seed and replication numbers (common random numbers), so the loss moves
smoothly with the parameters rather than with the dice. The search is a **parabolic
coordinate search in log space**: for each multiplier in turn the loss is taken at ×e^±h, a
parabola through those and the current point gives a jump (at most 2h), and the best of the
points is kept; two sweeps, h = 0.4 then 0.15. It needs no gradient, uses the loss's smoothness
under common random numbers, runs its paired trials on both cores, and needs 19 candidates,
which is what keeps the whole fit within a minute. Nelder–Mead would need more evaluations for
three parameters, and a full grid (e.g. 7³) far more.

**Ranges.** For each multiplier the loss is evaluated at two more points around the optimum
(×e^±0.3, the others fixed), a parabola in log space is drawn through the three, and
the range is where it stays within 3.84 × max(1, χ²_min / degrees of freedom) of its minimum
(a likelihood-ratio-style 95 % range, widened by the overdispersion the fit leaves). A
multiplier whose parabola is flat, or whose range spans more than ×/÷2, is listed as not
pinned down by the data. These are slices, not full profiles: where two multipliers trade off
against each other the ranges are too narrow, and the replay's coverage is the check.
"""
from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

import numpy as np

from ..analysis.runner import map_replications
from ..model.scenario import Scenario, add_months, load_scenario
from .build import DEFAULT_TEMPLATE, FITTED, Estimates, build_scenario
from .durations import by_procedure
from .estimate import (Param, carried_over, conversion, early_endings, excluded_rates, fit_demand, procedure_mix,
                       share_param)
from .monthly import derive_monthly
from .records import CaseImport
from .search import DESIGNS, DIAGONAL_POINTS, PROFILE_OFFSETS, SWEEPS, search, ranges
from .teams import team_plans
from .totals import MonthlyImport, StaffingImport

ProgressFn = Callable[[int, int], None]
#: replications of the first candidate, for the simulation's own variance
VAR_REPS = 3
#: other random streams the loss is taken on at the optimum, for its noise
NOISE_STREAMS = 3
#: parameters the records never show, kept at the template's values
NOT_IN_RECORDS = ("calendar.hours_per_day", "support", "hearings.slots_per_week", "hearings.procedures.*.cases_per_slot",
                  "hearings.procedures.*.adjournment_rate", "hearings.settle_before_hearing", "triage.accuracy",
                  "case_types.*.settlement_effort_factor", "docket.mode")


@dataclass
class Targets:
    """The recorded figures the simulation is fitted to."""

    closed: np.ndarray                  # per full month
    disp_simple: tuple[float, float]    # (mean, variance of the mean) of closed cases' days
    disp_ordinary: tuple[float, float]
    within: tuple[float, float]         # (rate, variance)
    median: tuple[float, float] = (float("nan"), float("nan"))   # (days, bootstrap variance), all closed
    p90: tuple[float, float] = (float("nan"), float("nan"))


@dataclass
class Fit:
    """The calibrated court: estimates, fitted multipliers with ranges, and the replay scenario."""

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

    def params(self) -> list[Param]:
        """Every estimated and fitted parameter, in reading order."""
        e = self.estimates
        out = [e.filings_per_year, e.growth, *e.profile, e.mediation_offered, e.mediation_success, e.conversion]
        for d in (e.shares, e.settlement, e.public_notice, e.appraisal):
            out += list(d.values())
        return out + list(self.multipliers.values())

    def unidentified(self) -> list[str]:
        """Parameters the data could not pin down, and those the records never show."""
        return [p.key for p in self.params() if not p.identified] + list(NOT_IN_RECORDS)

    def to_dict(self) -> dict[str, Any]:
        e = self.estimates
        return {"start": e.start.isoformat(), "months": e.months, "params": [p.to_dict() for p in self.params()],
                "unidentified": self.unidentified(), "loss": round(self.loss, 3),
                "degrees_of_freedom": self.degrees_of_freedom, "evaluations": self.evaluations,
                "replications_per_candidate": self.reps, "seconds": round(self.seconds, 2),
                "carried_over": {"date": e.carried.date.isoformat(), **e.carried.by_track, "groups": e.carried.groups},
                "batch_filings": e.extra.get("batches", {}),
                "durations": {p: d.to_dict() for p, d in self.durations.items()}}


def _full_months(start: dt.date, export_date: dt.date) -> int:
    n = 0
    while add_months(start, n + 1) - dt.timedelta(days=1) <= export_date:
        n += 1
    return n


def estimate(imp: CaseImport, monthly: Optional[MonthlyImport] = None, staffing: Optional[StaffingImport] = None,
             start: Optional[dt.date] = None, template: Optional[Scenario] = None) -> Estimates:
    """Everything the records show directly (see :mod:`.estimate`), for the full months from
    ``start`` (default: the first month of the derived monthly table) to the export date."""
    from ..model.errors import CodedError

    cases, export = imp.cases, imp.export_date
    mt = derive_monthly(cases, export, start)
    start = mt.start
    months = _full_months(start, export)
    if months < 3:
        raise CodedError("cal_too_few_months", months=months, need=3)
    end = add_months(start, months) - dt.timedelta(days=1)
    filed = [c for c in cases if start <= c.filing <= end]
    dem = fit_demand(cases, start, end, imp.report.batches)
    med_o = Param("mediation.share_offered", 0.0, method="template", identified=False)
    med_s = Param("mediation.success_rate", 0.0, method="template", identified=False)
    if monthly is not None and monthly.rows:
        rows = [r for r in monthly.rows if r.mediation_received is not None and r.filed is not None
                and start.isoformat()[:7] <= r.month <= end.isoformat()[:7]]
        # a mediation takes up to a month (its settlement is counted when it ends), so the
        # success rate matches each month's settlements with the month before's receipts
        rec = sum(r.mediation_received for r in rows[:-1]) if len(rows) > 2 else 0
        ok = sum(r.mediation_settled or 0 for r in rows[1:]) if len(rows) > 2 else 0
        fil = sum(r.filed for r in rows[1:]) if len(rows) > 2 else 0
        if rec > 0:
            med_o = share_param("mediation.share_offered", rec, fil + ok)
            med_s = share_param("mediation.success_rate", min(ok, rec), rec)
    tpl = template if template is not None else load_scenario(DEFAULT_TEMPLATE)
    ex = excluded_rates(filed, tpl.excluded.public_notice_days)
    has_excluded = imp.report.columns.get("excluded_days") is not None
    has_method = imp.report.columns.get("closing_method") is not None
    settlement = early_endings(filed, export) if has_method else {}
    teams = team_plans(staffing.rows if staffing else None, cases, start, months)
    return Estimates(
        start=start, months=months, filings_per_year=dem.filings_per_year, growth=dem.growth, profile=dem.profile,
        mediation_offered=med_o, mediation_success=med_s, shares=procedure_mix(filed),
        settlement=settlement, public_notice={p: v[0] for p, v in ex.items()} if has_excluded else {},
        appraisal={p: v[1] for p, v in ex.items()} if has_excluded else {}, conversion=conversion(filed),
        carried=carried_over(cases, start, tpl.procedures), teams=teams,
        extra={"batches": {"cases": dem.batch_cases, "days": dem.batch_days}, "overdispersion": dem.overdispersion,
               "export_date": export, "monthly": mt, "assumed_support": any(t.assumed_support for t in teams)})


def targets(imp: CaseImport, est: Estimates) -> Targets:
    """The recorded figures over the full months of the estimates."""
    end = add_months(est.start, est.months)
    rows = est.extra["monthly"].rows[:est.months]
    closed = np.array([r.closed for r in rows], dtype=float)
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
    return Targets(closed=closed, disp_simple=mean_var(simple), disp_ordinary=mean_var(ordinary),
                   within=(p, max(p * (1 - p), 0.25 / n) / n), median=med, p90=p90)


def _moments(figs: Sequence[dict], months: int) -> np.ndarray:
    """(reps, k) simulated figures in the order of :func:`_observed`."""
    return np.array([np.concatenate([f["monthly"]["closed"][:months],
                                     [f["detail"]["disposition_days_simple"], f["detail"]["disposition_days_ordinary"],
                                      f["summary"]["within_limit_rate"], f["summary"]["disposition_days_median"],
                                      f["summary"]["disposition_days_p90"]]]) for f in figs])


def _observed(t: Targets) -> tuple[np.ndarray, np.ndarray]:
    obs = np.concatenate([t.closed, [t.disp_simple[0], t.disp_ordinary[0], t.within[0], t.median[0], t.p90[0]]])
    var = np.concatenate([np.maximum(t.closed, 1.0), [t.disp_simple[1], t.disp_ordinary[1], t.within[1], t.median[1],
                                                      t.p90[1]]])
    return obs, var


def _month_weights(m: np.ndarray, months: int) -> np.ndarray:
    """Weights that count correlated months as fewer independent ones.

    A court's monthly closings follow its backlog, so neighbouring months' deviations are
    correlated (lag-1 correlation ρ, measured on the replications' deviations from their
    mean); n such months carry the information of about n(1 − ρ)/(1 + ρ) independent ones,
    and each month's term is weighted by (1 − ρ)/(1 + ρ) so that a loss difference of 3.84 is
    a 95 % range again.
    """
    w = np.ones(m.shape[1])
    if m.shape[0] < 2 or months < 3:
        return w
    dev = m[:, :months] - m[:, :months].mean(axis=0)
    a, b = dev[:, :-1].ravel(), dev[:, 1:].ravel()
    den = math.sqrt(float((a * a).sum() * (b * b).sum()))
    rho = float(np.clip((a * b).sum() / den, 0.0, 0.9)) if den > 0 else 0.0
    w[:months] = (1 - rho) / (1 + rho)
    return w


class _Objective:
    """The χ² loss of candidate multipliers, evaluated in batches on the worker pool."""

    def __init__(self, est: Estimates, tpl: Scenario, t: Targets, reps: int, seed: int, workers: Optional[int],
                 progress: Optional[ProgressFn], planned: int):
        self.est, self.tpl, self.reps, self.seed, self.workers = est, tpl, reps, seed, workers
        self.obs, self.var_obs = _observed(t)
        self.use = np.isfinite(self.obs) & np.isfinite(self.var_obs)
        self.var_sim: Optional[np.ndarray] = None
        self.weight = np.ones(len(self.obs))
        self.cache: dict[tuple, float] = {}
        self.progress, self.planned, self.done = progress, planned, 0
        self.history: list[tuple[dict, float]] = []

    def scenario(self, x: np.ndarray) -> Scenario:
        mult = {k: float(np.exp(v)) for k, v in zip(FITTED, x, strict=True)}
        return build_scenario(self.est, self.tpl, mult, replications=self.reps, seed=self.seed)

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
            for (k, x), n in zip(todo, counts, strict=True):
                m = _moments(figs[at:at + n], self.est.months)
                at += n
                if self.var_sim is None:
                    v = m.var(axis=0, ddof=1) if n > 1 else np.zeros(m.shape[1])
                    self.var_sim = np.where(np.isfinite(v), v, 0.0)
                    self.weight = _month_weights(m, self.est.months)
                loss = self._loss(m[:self.reps].mean(axis=0))
                self.cache[k] = loss
                self.history.append(({n_: round(float(np.exp(v)), 4) for n_, v in zip(FITTED, x, strict=True)}, loss))
                self.done += 1
                if self.progress:
                    self.progress(min(self.done, self.planned), self.planned)
        return [self.cache[k] for k in keys]

    def _loss(self, mean: np.ndarray) -> float:
        ok = self.use & np.isfinite(mean)
        z2 = (mean - self.obs) ** 2 / (self.var_obs + self.var_sim / self.reps)
        # a figure the simulation cannot produce (no case closed) counts as a large miss
        return float((self.weight * z2)[ok].sum() + 1e4 * (self.use & ~np.isfinite(mean)).sum())

    def noise(self, x: np.ndarray, streams: int = NOISE_STREAMS) -> float:
        """Standard deviation of the loss at ``x`` over other random streams (replication numbers
        after those the fit uses): how far apart two equally good candidates' losses can be."""
        scn = self.scenario(x)
        reps = list(range(self.reps, self.reps * (streams + 1)))
        figs = map_replications([(scn, self.seed, r) for r in reps], self.workers)
        losses = [self._loss(_moments(figs[i * self.reps:(i + 1) * self.reps], self.est.months).mean(axis=0))
                  for i in range(streams)]
        return float(np.std(losses + [self([x])[0]], ddof=1))

    @property
    def dof(self) -> int:
        return max(int(self.use.sum()) - len(FITTED), 1)


def _track_hours(scn: Scenario) -> dict[str, float]:
    """Share-weighted mean judge hours per case of each track (at multiplier 1)."""
    out = {}
    for track in ("simple", "complex"):
        ts = [c for c in scn.case_types if c.track == track]
        w = sum(c.share for c in ts)
        if w > 0:
            out[f"effort_{track}"] = sum(c.share * c.effort.mean for c in ts) / w
    return out


def calibrate(imp: CaseImport, monthly: Optional[MonthlyImport] = None, staffing: Optional[StaffingImport] = None,
              template: Optional[Scenario] = None, start: Optional[dt.date] = None, reps: int = 1,
              seed: int = 20240101, workers: Optional[int] = None, progress: Optional[ProgressFn] = None) -> Fit:
    """Estimate what the records show and fit what they do not (see the module's description).

    ``progress(done, total)`` counts candidate parameter sets simulated.
    """
    from ..model.errors import CodedError

    t0 = time.perf_counter()
    if not imp.cases:
        raise CodedError("rec_no_rows")
    tpl = template if template is not None else load_scenario(DEFAULT_TEMPLATE)
    est = estimate(imp, monthly, staffing, start, tpl)
    tg = targets(imp, est)
    planned = 1 + len(SWEEPS) * (4 * len(FITTED) + 1) + DESIGNS * (len(FITTED) * len(PROFILE_OFFSETS) + DIAGONAL_POINTS + 1)
    obj = _Objective(est, tpl, tg, reps, seed, workers, progress, planned)
    x, best = search(obj, np.zeros(len(FITTED)))
    noise = obj.noise(x)
    base_hours = _track_hours(obj.scenario(np.zeros(len(FITTED))))
    mult, best = ranges(obj, x, best, base_hours, noise)
    if progress:
        progress(planned, planned)
    scn = build_scenario(est, tpl, {k: p.value for k, p in mult.items()}, seed=seed)
    durs = by_procedure(imp.cases, imp.export_date, since=est.start)
    return Fit(estimates=est, multipliers=mult, scenario=scn, template=tpl, loss=best, degrees_of_freedom=obj.dof,
               evaluations=obj.done, seconds=time.perf_counter() - t0, reps=reps, durations=durs,
               history=obj.history)
