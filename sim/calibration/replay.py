"""Replaying a court's recorded months: simulated against actual, and whether it beats naive forecasts.

The calibrated scenario is run over the recorded months from the recorded starting caseload
under the recorded staffing. For each month and figure (filed, closed, pending at the month's
end, within-limit rate) the simulated mean and a 95 % **prediction** band are set against the
actual figure. The band is where a single month of the court would fall, not where the mean
would: mean ± 1.96 · sd · √(1 + 1/R) over R replications (the spread of one replication plus
the uncertainty of the mean), cut at 0 (and at 1 for the rate).

- **coverage**: the share of months whose actual figure lies inside the band;
- **MAPE**: the mean of |simulated mean − actual| / actual over the months with an actual
  figure above 0.

**Out of sample.** The records are cut at the end of the earlier months (as if exported
then: later filings dropped, later closings unknown), the court is fitted on them alone, and
the last ``holdout`` months are simulated under their recorded staffing. Its MAPE there is
compared with two naive forecasts of the same months: *same month last year* (the actual
figure twelve months before) and *last month carried forward* (the last fitted month's actual
figure, for every held-out month). The verdict says plainly which of them the model does not
beat.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

import numpy as np

from ..analysis.runner import run
from ..model.errors import CodedError
from ..model.scenario import Scenario, add_months
from .estimate import truncate
from .fit import Fit, calibrate
from .monthly import MonthRow
from .records import CaseImport
from .totals import MonthlyImport, StaffingImport

#: the figures replayed: the engine's monthly figure and the monthly table's column
FIGURES = {"filed": "filed", "closed": "closed", "pending_end": "pending", "within_limit_rate": "within_limit_rate"}
Z = 1.959964
HOLDOUT = 6


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

    def rows(self) -> list[dict[str, Any]]:
        return [{"month": m, "figure": self.figure, "actual": _finite6(a), "simulated": _finite6(s),
                 "low": _finite6(lo), "high": _finite6(hi)}
                for m, a, s, lo, hi in zip(self.months, self.actual, self.mean, self.low, self.high, strict=True)]


def mape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Mean absolute percentage error over the months with an actual figure above 0 (a share, 0.1 = 10 %)."""
    a, f = np.asarray(actual, float), np.asarray(forecast, float)
    ok = np.isfinite(a) & np.isfinite(f) & (a > 0)
    return float(np.mean(np.abs(f[ok] - a[ok]) / a[ok])) if ok.any() else float("nan")


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


def naive_same_month_last_year(actual: np.ndarray, targets: Sequence[int]) -> np.ndarray:
    """Forecast of month k = actual of month k − 12 (NaN when there is none)."""
    return np.array([actual[k - 12] if k >= 12 else np.nan for k in targets], dtype=float)


def naive_last_month(actual: np.ndarray, targets: Sequence[int], last: int) -> np.ndarray:
    """Forecast of every target month = the actual of month ``last`` (the last one known)."""
    return np.full(len(targets), actual[last], dtype=float)


@dataclass
class Replay:
    """Simulated against actual over the recorded months, with the scores."""

    series: dict[str, Series]
    replications: int
    seconds: float = 0.0

    def scores(self) -> dict[str, dict[str, float]]:
        return {f: {"coverage": s.coverage, "mape": s.mape} for f, s in self.series.items()}

    def to_dict(self) -> dict[str, Any]:
        return {"replications": self.replications, "seconds": round(self.seconds, 2),
                "scores": {f: {k: _finite6(v) for k, v in d.items()} for f, d in self.scores().items()},
                "months": [r for s in self.series.values() for r in s.rows()]}


def replay(scn: Scenario, rows: Sequence[MonthRow], replications: int = 10, workers: Optional[int] = None,
           progress: Optional[Callable[[int, int], None]] = None) -> Replay:
    """Run ``scn`` (the recorded months) and set each figure against the recorded ``rows``."""
    res = run(scn, replications=replications, workers=workers, progress=progress)
    n = min(len(rows), len(res.month_labels))
    out = {}
    for fig in FIGURES:
        reps = res.monthly_reps[fig][:, :n]
        cap = 1.0 if fig == "within_limit_rate" else math.inf
        mean, lo, hi = prediction_band(reps, 0.0, cap)
        out[fig] = Series(fig, res.month_labels[:n], actual_series(rows[:n], fig), mean, lo, hi)
    return Replay(out, replications, res.elapsed_seconds)


@dataclass
class OutOfSample:
    """The fit on the earlier months, the held-out months' replay, and the naive forecasts' errors."""

    holdout: int
    fit: Fit
    replay: Replay                         # the held-out months only
    naive: dict[str, dict[str, float]]     # figure -> {"same_month_last_year": mape, "last_month": mape}
    verdicts: dict[str, str] = field(default_factory=dict)   # figure -> beats_both / not_<naive> / not_both

    def to_dict(self) -> dict[str, Any]:
        return {"holdout_months": self.holdout, "replay": self.replay.to_dict(),
                "naive_mape": {f: {k: _finite6(v) for k, v in d.items()} for f, d in self.naive.items()},
                "verdicts": self.verdicts, "fit": {k: p.to_dict() for k, p in self.fit.multipliers.items()}}


def verdict(model: float, naive: dict[str, float]) -> str:
    """beats_both, not_same_month_last_year, not_last_month, or not_both (a naive forecast that
    cannot be made, e.g. with less than a year of records, is not counted against the model)."""
    lost = [k for k, v in naive.items() if np.isfinite(v) and not (np.isfinite(model) and model < v)]
    if not lost:
        return "beats_both"
    return "not_both" if len(lost) == 2 else f"not_{lost[0]}"


def out_of_sample(imp: CaseImport, full_fit: Fit, monthly: Optional[MonthlyImport] = None,
                  staffing: Optional[StaffingImport] = None, holdout: int = HOLDOUT, replications: int = 10,
                  workers: Optional[int] = None, progress: Optional[Callable[[int, int], None]] = None) -> OutOfSample:
    """Fit on all but the last ``holdout`` months, replay those, compare with the naive forecasts."""
    est = full_fit.estimates
    n = est.months
    if n - holdout < 6:
        raise CodedError("cal_out_of_sample", need=holdout + 6, months=n)
    cut = add_months(est.start, n - holdout)
    early = CaseImport(cases=truncate(imp.cases, cut - dt.timedelta(days=1)), report=imp.report,
                       export_date=cut - dt.timedelta(days=1), judges=imp.judges)
    fit_early = calibrate(early, monthly, staffing, template=full_fit.template, start=est.start, workers=workers,
                          progress=progress)
    # the early fit's court run over every recorded month, under the recorded staffing of all of them
    from .build import build_scenario

    scn = build_scenario(fit_early.estimates, full_fit.template, {k: p.value for k, p in fit_early.multipliers.items()},
                         months=n, seed=full_fit.scenario.seed)
    scn = scn.model_copy(update={"teams": full_fit.scenario.teams})
    rows = est.extra["monthly"].rows[:n]
    rp = replay(scn, rows, replications, workers)
    targets = list(range(n - holdout, n))
    held = {}
    naive: dict[str, dict[str, float]] = {}
    verdicts = {}
    for fig, s in rp.series.items():
        sl = slice(n - holdout, n)
        held[fig] = Series(fig, s.months[sl], s.actual[sl], s.mean[sl], s.low[sl], s.high[sl])
        naive[fig] = {"same_month_last_year": mape(s.actual[sl], naive_same_month_last_year(s.actual, targets)),
                      "last_month": mape(s.actual[sl], naive_last_month(s.actual, targets, n - holdout - 1))}
        verdicts[fig] = verdict(held[fig].mape, naive[fig])
    return OutOfSample(holdout, fit_early, Replay(held, replications, rp.seconds), naive, verdicts)
