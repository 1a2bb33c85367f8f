"""Replaying a court's months and forecasting from any day: simulated against actual, with bands
that hold both kinds of uncertainty, and against naive forecasts.

Every run starts from the court as it stood on its first day: the open cases then, each on its
judge's docket (:mod:`.state`), and the staffing recorded from that day (or, for a forecast
from the export, the staff of that day held). For each month and figure (filed, closed,
pending at the month's end, within-limit rate) the simulated mean and a 95 % **prediction**
band are set against the actual figure.

**Bands.** Each replication runs with its own parameter set drawn from the fitted ranges
(:meth:`sim.calibration.fit.Fit.parameter_sets`: the fitted values, the ones the data leave
open over their whole range, and the demand from the filing regression), so the spread of the
replications holds the court's randomness and the estimate's uncertainty together. The band
is mean ± 1.96 · sd · √(1 + 1/R) over the R replications (where one month of the court would
fall, not where the mean would), cut at 0 (and at 1 for the rate).

- **coverage**: the share of months whose actual figure lies inside the band;
- **MAPE** and **MASE**: see :mod:`.naive`.

**Out of sample.** The records are cut at the end of the earlier months (as if exported then:
later filings dropped, later closings unknown), the court is fitted on them alone, and the
last ``holdout`` months are forecast from the state at the cut (the cases open then, on their
judges' dockets) under the staffing recorded for those months. The forecast is compared with
the four naive forecasts of :mod:`.naive` for each figure; the verdict says which it beats.
"""
from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

import numpy as np

from ..analysis.runner import map_replications
from ..model.errors import CodedError
from ..model.scenario import add_months
from .build import build_scenario
from .estimate import truncate
from .fit import Fit, calibrate
from .monthly import MonthRow
from .naive import compare, mape
from .records import Case, CaseImport
from .state import state_on
from .teams import Staffing
from .totals import MonthlyImport, StaffingImport

#: the figures replayed: the engine's monthly figure and the monthly table's column
FIGURES = {"filed": "filed", "closed": "closed", "pending_end": "pending", "within_limit_rate": "within_limit_rate"}
Z = 1.959964
HOLDOUT = 6
ProgressFn = Callable[[int, int], None]


def _finite6(v: float) -> Optional[float]:
    """A number for JSON: rounded to 6 places, None when not finite (JSON has no NaN)."""
    return None if not np.isfinite(v) else round(float(v), 6)


@dataclass
class Series:
    """One figure month by month: actual, simulated mean, 95 % prediction band, and the scores."""

    figure: str
    months: list[str]
    actual: np.ndarray
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray

    @property
    def inside(self) -> np.ndarray:
        ok = np.isfinite(self.actual)
        return ok & (self.actual >= self.low - 1e-9) & (self.actual <= self.high + 1e-9)

    @property
    def coverage(self) -> float:
        """Share of months with an actual figure that lies inside the band."""
        ok = np.isfinite(self.actual)
        return float(self.inside[ok].mean()) if ok.any() else float("nan")

    @property
    def mape(self) -> float:
        return mape(self.actual, self.mean)

    def sliced(self, a: int, b: int) -> "Series":
        return Series(self.figure, self.months[a:b], self.actual[a:b], self.mean[a:b], self.low[a:b], self.high[a:b])

    def rows(self) -> list[dict[str, Any]]:
        return [{"month": m, "figure": self.figure, "actual": _finite6(a), "simulated": _finite6(s),
                 "low": _finite6(lo), "high": _finite6(hi)}
                for m, a, s, lo, hi in zip(self.months, self.actual, self.mean, self.low, self.high, strict=True)]


def prediction_band(reps: np.ndarray, lo: float = 0.0, hi: float = math.inf) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, low, high) per column of a (replications, months) array: mean ± 1.96·sd·√(1 + 1/R)."""
    r = reps.shape[0]
    mean = np.nanmean(reps, axis=0)
    sd = np.nanstd(reps, axis=0, ddof=1) if r > 1 else np.zeros(reps.shape[1])
    half = Z * sd * math.sqrt(1 + 1 / r)
    return mean, np.clip(mean - half, lo, hi), np.clip(mean + half, lo, hi)


def actual_series(rows: Sequence[MonthRow], figure: str) -> np.ndarray:
    """The recorded monthly figure (NaN for a rate in a month without closings)."""
    col = FIGURES[figure]
    if col == "within_limit_rate":
        return np.array([r.within_limit / r.closed if r.closed else np.nan for r in rows], dtype=float)
    return np.array([getattr(r, col) for r in rows], dtype=float)


@dataclass
class Replay:
    """Simulated against actual over some months, with the scores (and, from an origin, the
    comparison with the naive forecasts)."""

    series: dict[str, Series]
    replications: int
    seconds: float = 0.0
    uncertainty: bool = True             # parameter sets drawn per replication
    naive: dict[str, dict] = field(default_factory=dict)   # figure -> naive.compare(...)

    def scores(self) -> dict[str, dict[str, float]]:
        return {f: {"coverage": s.coverage, "mape": s.mape} for f, s in self.series.items()}

    def to_dict(self) -> dict[str, Any]:
        out = {"replications": self.replications, "seconds": round(self.seconds, 2),
               "parameter_uncertainty": self.uncertainty,
               "scores": {f: {k: _finite6(v) for k, v in d.items()} for f, d in self.scores().items()},
               "months": [r for s in self.series.values() for r in s.rows()]}
        if self.naive:
            out["naive"] = {f: _naive_json(d) for f, d in self.naive.items()}
        return out


def _naive_json(d: dict) -> dict:
    def c(v):
        return (None if v is None or not np.isfinite(v) else round(float(v), 6))
    return {"scores": {k: {m: c(v) for m, v in s.items()} for k, s in d["scores"].items()}, "beats": d["beats"],
            "loses_to": d["loses_to"], "best_naive": d["best_naive"], "mase_scale": d["mase_scale"],
            "forecasts": {k: [c(x) for x in v] for k, v in d["forecasts"].items()}}


def run_from(fit: Fit, cases: Sequence[Case], origin: dt.date, months: int, replications: int,
             hold_staffing: bool = False, staffing: Optional[Staffing] = None, uncertainty: bool = True,
             workers: Optional[int] = None, progress: Optional[ProgressFn] = None
             ) -> tuple[list[str], dict[str, np.ndarray], float]:
    """Simulate ``months`` from ``origin`` with the open cases of that day, one parameter set
    per replication (see the module); returns the month labels, each figure's (replications,
    months) array and the seconds it took."""
    est = fit.estimates if staffing is None else _with_staffing(fit.estimates, staffing)
    state = state_on(est, cases, origin, fit.template.procedures)
    return _run(fit, est, origin, months, state, replications, hold_staffing, uncertainty, workers, progress)


def _run(fit: Fit, est: Any, origin: dt.date, months: int, state: Any, replications: int, hold_staffing: bool,
         uncertainty: bool, workers: Optional[int], progress: Optional[ProgressFn]
         ) -> tuple[list[str], dict[str, np.ndarray], float]:
    t0 = time.perf_counter()
    sets = fit.parameter_sets(replications, seed=fit.scenario.seed) if uncertainty else \
        [{"multipliers": {}, "demand": None}] * replications
    jobs = []
    for r, s in enumerate(sets):
        scn = build_scenario(est, fit.template, {**fit.values(), **s["multipliers"]}, start=origin, months=months,
                             state=state, hold_staffing=hold_staffing, replications=1, seed=fit.scenario.seed,
                             demand_draw=s["demand"])
        jobs.append((scn, fit.scenario.seed, r))
    done = [0]

    def tick(_i: int, _f: dict) -> None:
        done[0] += 1
        if progress:
            progress(done[0], len(jobs))

    figs = map_replications(jobs, workers, on_result=tick)
    labels = [f"{add_months(origin, m).year:04d}-{add_months(origin, m).month:02d}" for m in range(months)]
    arrays = {fig: np.array([f["monthly"][fig][:months] for f in figs], dtype=float) for fig in FIGURES}
    return labels, arrays, time.perf_counter() - t0


def _with_staffing(est: Any, staffing: Staffing) -> Any:
    import copy

    out = copy.copy(est)
    out.staffing = staffing
    return out


def _series(labels: list[str], arrays: dict[str, np.ndarray], actual: dict[str, np.ndarray]) -> dict[str, Series]:
    out = {}
    for fig in FIGURES:
        cap = 1.0 if fig == "within_limit_rate" else math.inf
        mean, lo, hi = prediction_band(arrays[fig], 0.0, cap)
        a = actual.get(fig, np.full(len(labels), np.nan))
        out[fig] = Series(fig, labels, np.asarray(a, float)[:len(labels)], mean, lo, hi)
    return out


def replay(fit: Fit, rows: Sequence[MonthRow], replications: int = 10, workers: Optional[int] = None,
           progress: Optional[ProgressFn] = None, uncertainty: bool = True) -> Replay:
    """The recorded months simulated from the records' start (its open cases, the recorded
    staffing month by month) against the recorded ``rows``."""
    est = fit.estimates
    labels, arrays, seconds = _run(fit, est, est.start, est.months, est.state, replications, False, uncertainty,
                                   workers, progress)
    n = min(len(rows), len(labels))
    actual = {fig: actual_series(rows[:n], fig) for fig in FIGURES}
    return Replay(_series(labels[:n], {k: v[:, :n] for k, v in arrays.items()}, actual), replications, seconds,
                  uncertainty)


def forecast(fit: Fit, cases: Sequence[Case], origin: dt.date, months: int = HOLDOUT, replications: int = 20,
             history: Optional[Sequence[MonthRow]] = None, truth: Optional[Sequence[MonthRow]] = None,
             hold_staffing: bool = True, staffing: Optional[Staffing] = None, workers: Optional[int] = None,
             progress: Optional[ProgressFn] = None) -> Replay:
    """The next ``months`` from ``origin`` (the state of that day, the staff of that day held
    unless ``hold_staffing`` is False), with bands; against ``truth`` (the actual months, when
    known) and, given the ``history`` before the origin, against the naive forecasts."""
    labels, arrays, seconds = run_from(fit, cases, origin, months, replications, hold_staffing=hold_staffing,
                                       staffing=staffing, workers=workers, progress=progress)
    hist = list(history or [])
    actual: dict[str, np.ndarray] = {}
    naive: dict[str, dict] = {}
    for fig in FIGURES:
        past = actual_series(hist, fig) if hist else np.zeros(0)
        future = actual_series(list(truth or [])[:months], fig) if truth else np.full(months, np.nan)
        future = np.concatenate([future, np.full(months - len(future), np.nan)])
        actual[fig] = future
        if hist and truth:
            mean = np.nanmean(arrays[fig], axis=0)
            naive[fig] = compare(np.concatenate([past, future]), mean, len(past), months)
    return Replay(_series(labels, arrays, actual), replications, seconds, True, naive)


@dataclass
class OutOfSample:
    """The fit on the earlier months, the held-out months' forecast and its comparison with the
    naive forecasts."""

    holdout: int
    fit: Fit
    replay: Replay                         # the held-out months only, with ``naive``

    @property
    def naive(self) -> dict[str, dict]:
        return self.replay.naive

    def to_dict(self) -> dict[str, Any]:
        return {"holdout_months": self.holdout, "replay": self.replay.to_dict(),
                "fit": {k: p.to_dict() for k, p in self.fit.multipliers.items()}}


def out_of_sample(imp: Optional[CaseImport], full_fit: Fit, monthly: Optional[MonthlyImport] = None,
                  staffing: Optional[StaffingImport] = None, holdout: int = HOLDOUT, replications: int = 10,
                  workers: Optional[int] = None, progress: Optional[ProgressFn] = None,
                  aggregate: bool = False) -> OutOfSample:
    """Fit on all but the last ``holdout`` months, forecast those from the state at the cut,
    compare with the naive forecasts (see the module). ``aggregate``: a court with monthly totals
    only (``imp`` None), cut in its monthly table."""
    est = full_fit.estimates
    n = est.months
    if n - holdout < 6:
        raise CodedError("cal_out_of_sample", need=holdout + 6, months=n)
    cut = add_months(est.start, n - holdout)
    if aggregate:
        from .aggregate import calibrate_totals

        fit_early = calibrate_totals(monthly, staffing, full_fit.template, workers=workers, progress=progress,
                                     months=n - holdout)
        cases: Sequence[Case] = []
    else:
        early = CaseImport(cases=truncate(imp.cases, cut - dt.timedelta(days=1)), report=imp.report,
                           export_date=cut - dt.timedelta(days=1), judges=imp.judges)
        fit_early = calibrate(early, monthly, staffing, template=full_fit.template, start=est.start, workers=workers,
                              progress=progress)
        cases = early.cases
    rows = est.extra["monthly"].rows[:n]
    rp = forecast(fit_early, cases, cut, holdout, replications, history=rows[:n - holdout],
                  truth=rows[n - holdout:], hold_staffing=False, staffing=est.staffing, workers=workers)
    return OutOfSample(holdout, fit_early, rp)
