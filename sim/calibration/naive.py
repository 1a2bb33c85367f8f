"""Naive forecasts, the floor a model's forecast has to beat, and the scores that compare them.

From the months known at the origin (``actual[:origin]``), each forecasts the next months:

- ``last_month``: the last known month's figure, carried forward;
- ``same_month_last_year``: the figure of the same calendar month a year before;
- ``mean_12``: the mean of the last twelve known months (fewer when fewer are known);
- ``drift``: the last known figure plus the mean change of the last three months, per month
  ahead (a straight line through the recent trend).

Scores, per figure, over the forecast months with an actual figure:

- **MAPE**: the mean of |forecast − actual| / actual (months with actual 0 left out);
- **MASE**: the mean absolute error divided by the in-sample mean absolute error of the
  seasonal naive forecast (|y_t − y_{t−12}| over the known months); with fewer than 13 known
  months, of the last-month forecast (|y_t − y_{t−1}|), and said so. Scale-free, so courts of
  different sizes compare, and below 1 means better than the seasonal naive forecast did in
  sample.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

NAIVE = ("last_month", "same_month_last_year", "mean_12", "drift")


def naive_forecasts(actual: np.ndarray, origin: int, horizon: int) -> dict[str, np.ndarray]:
    """Each naive forecast of months ``origin`` .. ``origin + horizon - 1`` from ``actual[:origin]``
    (NaN where it cannot be made: no month a year before, no known month at all)."""
    y = np.asarray(actual, dtype=float)[:origin]
    known = np.flatnonzero(np.isfinite(y))
    out = {k: np.full(horizon, np.nan) for k in NAIVE}
    if not len(known):
        return out
    last = int(known[-1])
    out["last_month"][:] = y[last]
    recent = y[max(0, origin - 12):origin]
    recent = recent[np.isfinite(recent)]
    out["mean_12"][:] = recent.mean() if len(recent) else np.nan
    if last >= 3 and np.isfinite(y[last - 3]):
        slope = (y[last] - y[last - 3]) / 3.0
        out["drift"][:] = y[last] + slope * (np.arange(horizon) + 1 + (origin - 1 - last))
    for h in range(horizon):
        k = origin + h - 12
        if 0 <= k < origin:
            out["same_month_last_year"][h] = y[k]
    return out


def mape(actual: Sequence[float], forecast: Sequence[float]) -> float:
    """Mean absolute percentage error over the months with an actual figure above 0 (a share)."""
    a, f = np.asarray(actual, float), np.asarray(forecast, float)
    ok = np.isfinite(a) & np.isfinite(f) & (a > 0)
    return float(np.mean(np.abs(f[ok] - a[ok]) / a[ok])) if ok.any() else float("nan")


def mase_scale(history: Sequence[float]) -> tuple[float, str]:
    """The in-sample mean absolute error of the seasonal naive forecast (lag 12), or of the
    last-month forecast (lag 1) with fewer than 13 months; and which lag it is."""
    y = np.asarray(history, float)
    lag = 12 if len(y) >= 13 else 1
    d = np.abs(y[lag:] - y[:-lag]) if len(y) > lag else np.array([])
    d = d[np.isfinite(d)]
    return (float(d.mean()) if len(d) and d.mean() > 0 else float("nan")), ("seasonal" if lag == 12 else "last_month")


def mase(actual: Sequence[float], forecast: Sequence[float], scale: float) -> float:
    """Mean absolute error over the months with an actual figure, divided by ``scale``."""
    a, f = np.asarray(actual, float), np.asarray(forecast, float)
    ok = np.isfinite(a) & np.isfinite(f)
    if not ok.any() or not math.isfinite(scale) or scale <= 0:
        return float("nan")
    return float(np.mean(np.abs(f[ok] - a[ok])) / scale)


def compare(actual: np.ndarray, model: np.ndarray, origin: int, horizon: int) -> dict:
    """The model's forecast of months ``origin`` .. ``origin + horizon - 1`` against every
    naive forecast: each one's MAPE and MASE, and which naive forecasts the model beats (a
    lower MAPE; a naive forecast that cannot be made is neither beaten nor lost to)."""
    a = np.asarray(actual, float)[origin:origin + horizon]
    scale, lag = mase_scale(np.asarray(actual, float)[:origin])
    naive = naive_forecasts(actual, origin, horizon)
    scores = {"model": {"mape": mape(a, model), "mase": mase(a, model, scale)}}
    for k, f in naive.items():
        scores[k] = {"mape": mape(a, f), "mase": mase(a, f, scale)}
    m = scores["model"]["mape"]
    beats = [k for k in NAIVE if math.isfinite(scores[k]["mape"]) and math.isfinite(m) and m < scores[k]["mape"]]
    loses = [k for k in NAIVE if math.isfinite(scores[k]["mape"]) and k not in beats]
    best = min((k for k in NAIVE if math.isfinite(scores[k]["mape"])), key=lambda k: scores[k]["mape"], default=None)
    return {"scores": scores, "beats": beats, "loses_to": loses, "best_naive": best, "mase_scale": lag,
            "forecasts": {k: v.tolist() for k, v in naive.items()}}
