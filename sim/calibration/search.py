"""The optimiser of the simulation-based fit and the ranges of its multipliers.

See :mod:`sim.calibration.fit` for the method and why; here is how. ``obj`` is any callable
that takes a list of candidate points (log multipliers) and returns their losses, with a
``history`` of (multipliers, loss) pairs, ``dof``, the loss's degrees of freedom, ``names``,
the fitted values' names, and ``bounds``, their search intervals (log scale).
"""
from __future__ import annotations

import math
from itertools import pairwise
from typing import Any, Optional, Protocol, Sequence

import numpy as np

from .estimate import Param

#: the coordinate search's steps (log scale), one sweep over the multipliers each
SWEEPS = (0.3, 0.1)
#: further steps in one direction per multiplier and sweep
MAX_STEPS = 4
#: offsets (log scale) of each multiplier's slice around the optimum
PROFILE_OFFSETS = (-0.25, -0.08, 0.08, 0.25)
#: designs around the optimum at most (each may move it, by a better point or the surface's jump)
DESIGNS = 1
CHI2_95 = 3.841
#: width (log scale) of the neighbourhood the response surface is fitted to
SURFACE_WIDTH = 0.3
#: offsets of the diagonal points that give the surface its cross terms
DIAGONAL = 0.1


class Objective(Protocol):
    history: list
    dof: int
    names: tuple[str, ...]
    bounds: np.ndarray                   # (k, 2): low and high of each value, log scale

    def __call__(self, xs: Sequence[np.ndarray]) -> list[float]: ...


def search(obj: Objective, x0: np.ndarray) -> tuple[np.ndarray, float]:
    """Coordinate line search in log space (see :mod:`sim.calibration.fit`).

    For each multiplier in turn: the loss at ×e^±h; in the better direction, further steps of h
    while the loss keeps falling (a saturated team's loss is a steep wall on one side and flat
    on the other, so a parabola through three points would often point the wrong way); then a
    parabola through the last three points gives one more trial inside the bracket. A
    Hooke–Jeeves pattern move after each sweep follows a valley where multipliers trade off.
    """
    lo_b, hi_b = obj.bounds[:, 0], obj.bounds[:, 1]
    x, best = x0.copy(), obj([x0])[0]

    def at(i: int, v: float) -> np.ndarray:
        y = x.copy()
        y[i] = min(max(v, lo_b[i]), hi_b[i])
        return y

    for h in SWEEPS:
        before = x.copy()
        for i in range(len(x)):
            fm, fp = obj([at(i, x[i] - h), at(i, x[i] + h)])
            if min(fm, fp) >= best - 1e-9:
                pts = [(x[i] - h, fm), (x[i], best), (x[i] + h, fp)]
            else:
                s = -h if fm < fp else h
                pts = [(x[i], best), (x[i] + s, min(fm, fp))]
                for _ in range(MAX_STEPS):
                    v = pts[-1][0] + s
                    if not lo_b[i] <= v <= hi_b[i]:
                        break
                    f = obj([at(i, v)])[0]
                    pts.append((v, f))
                    if f >= pts[-2][1]:
                        break
                pts = sorted(pts[-3:])
            j = min(range(len(pts)), key=lambda k: pts[k][1])
            if len(pts) == 3 and j == 1:  # bracketed: one parabolic trial inside it
                (x0_, f0), (x1, f1), (x2, f2) = pts
                den = (x1 - x0_) * (f1 - f2) - (x1 - x2) * (f1 - f0)
                if abs(den) > 1e-12:
                    v = x1 - 0.5 * ((x1 - x0_) ** 2 * (f1 - f2) - (x1 - x2) ** 2 * (f1 - f0)) / den
                    if x0_ < v < x2 and abs(v - x1) > 1e-3:
                        pts.append((v, obj([at(i, v)])[0]))
            v, f = min(pts, key=lambda p: p[1])
            if f < best - 1e-9:
                x, best = at(i, v), f
        if np.any(x != before):  # pattern move
            y = np.clip(2 * x - before, lo_b, hi_b)
            f = obj([y])[0]
            if f < best - 1e-9:
                x, best = y, f
    return x, best


def _surface(obj: Objective, centre: np.ndarray, best: float, thr: float
             ) -> Optional[tuple[np.ndarray, np.ndarray]]:
    """A quadratic response surface fitted to the candidates near ``centre`` (Gaussian weights
    of width :data:`SURFACE_WIDTH` in log space; losses capped at ``best`` + 50 × ``thr`` so that
    a saturated team's steep wall does not dictate the curvature), as (gradient at ``centre``,
    Hessian); None when it is not positive definite."""
    xs = np.array([np.log([h[0][k] for k in obj.names]) for h in obj.history])
    ys = np.minimum(np.array([h[1] for h in obj.history]), best + 50 * thr)
    k = len(obj.names)
    d = xs - centre
    cols = [np.ones(len(d))] + [d[:, i] for i in range(k)] + \
        [d[:, i] * d[:, j] * (0.5 if i == j else 1.0) for i in range(k) for j in range(i, k)]
    A = np.column_stack(cols)
    if len(ys) < A.shape[1] + 2:
        return None
    w = np.exp(-(d ** 2).sum(axis=1) / (2 * SURFACE_WIDTH ** 2))
    coef = np.linalg.lstsq(A * w[:, None], ys * w, rcond=None)[0]
    g = coef[1:1 + k]
    H = np.zeros((k, k))
    n = 1 + k
    for i in range(k):
        for j in range(i, k):
            H[i, j] = H[j, i] = coef[n]
            n += 1
    if not np.all(np.linalg.eigvalsh(H) > 1e-9):
        return None
    return g, H


def _slice_range(points: Sequence[tuple[float, float]], level: float | tuple[float, float]
                 ) -> tuple[float, float, bool]:
    """Where a slice's loss (piecewise linear between its points, sorted by offset) first rises
    above ``level`` on each side of 0 (one level, or one below and one above); beyond the
    outermost point it is extrapolated linearly. ``flat``: it stays below the level at both
    outermost points."""
    below, above = level if isinstance(level, tuple) else (level, level)
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    c = xs.index(0.0)

    def cross(order: list[int], level: float) -> Optional[float]:
        for j0, j1 in pairwise(order):
            if ys[j1] > level:
                t = (level - ys[j0]) / (ys[j1] - ys[j0]) if ys[j1] != ys[j0] else 1.0
                return xs[j0] + max(0.0, min(1.0, t)) * (xs[j1] - xs[j0])
        j0, j1 = order[-2], order[-1]
        slope = (ys[j1] - ys[j0]) / (xs[j1] - xs[j0]) if xs[j1] != xs[j0] else 0.0
        if abs(slope) < 1e-12:
            return None
        return xs[j1] + (level - ys[j1]) / slope if (level - ys[j1]) / slope * (xs[j1] - xs[j0]) > 0 else None

    up, down = cross(list(range(c, len(xs))), above), cross(list(range(c, -1, -1)), below)
    flat = up is None and down is None
    return (down if down is not None else xs[0] * 3), (up if up is not None else xs[-1] * 3), flat


def _design(x: np.ndarray) -> list[np.ndarray]:
    """Points around ``x``: each multiplier's slice (:data:`PROFILE_OFFSETS`), then pairs of
    multipliers moved together and against each other (:data:`DIAGONAL`), for the cross terms."""
    trials = []
    for i in range(len(x)):
        for o in PROFILE_OFFSETS:
            y = x.copy()
            y[i] += o
            trials.append(y)
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            for sj in (+1, -1):
                y = x.copy()
                y[i] += DIAGONAL
                y[j] += sj * DIAGONAL
                trials.append(y)
    return trials


def ranges(obj: Objective, x: np.ndarray, best: float, base_hours: dict[str, float], noise: float = 0.0,
           spread: Optional[np.ndarray] = None, again: bool = True) -> tuple[dict[str, Param], float, np.ndarray, Optional[np.ndarray]]:
    """Polish the optimum with local designs and the response surface's jumps, then the 95 %
    ranges: where the loss along each multiplier's slice (piecewise linear) rises by the threshold,
    widened to every candidate evaluated whose loss is within the threshold, widened to the response surface's profile
    range where that surface is positive definite (so multipliers that trade off against each
    other widen each other's range). When a candidate evaluated on the way (a range's end, a
    design point) is better than the optimum, everything is done once more around it. Returns
    the ranges, the best loss, the best point and the covariance of the surface's 95 % region
    (log scale; None without a surface).

    The threshold is each value's own below and above the optimum: 3.84 × the overdispersion,
    plus twice ``spread`` (k × 2), the standard deviation over random streams of the loss
    difference between the optimum and a point on that side, at least ``noise``, that of the
    loss at the optimum. The fit sees one stream of the simulation, and a court's months are one
    realisation, so their pending caseloads drift apart persistently and the optimum would move
    with another stream; candidates closer than that are not told apart. How far differs by
    value and side: a saturated team's side is steep and noisy, the other flat and quiet, so one
    level for all either misses the truth on the noisy side or loses what the quiet one pins."""
    base = CHI2_95 * max(1.0, best / obj.dof)
    thr = base + 2.0 * noise
    # each value's own threshold below and above the optimum (k × 2)
    side_thr = base + 2.0 * np.maximum(noise, spread if spread is not None else np.zeros((len(x), 2)))
    lo, hi = obj.bounds[:, 0], obj.bounds[:, 1]
    for _attempt in range(DESIGNS):
        trials = _design(x)
        losses = obj(trials)
        j = int(np.argmin(losses))
        if losses[j] < best - 1e-9:  # a design point is better: centre the next design there
            x, best = trials[j], losses[j]
            continue
        surf = _surface(obj, x, best, thr)
        if surf is None:
            break
        step = -np.linalg.solve(surf[1], surf[0])
        step *= min(1.0, 0.5 / max(np.abs(step).max(), 1e-12))
        y = np.clip(x + step, lo, hi)
        f = obj([y])[0]
        if f >= best - 1e-9:  # the surface's minimum is no better: x is the optimum
            break
        x, best = y, f        # along the valley the surface found: design around the new point
    trials = _design(x)
    losses = obj(trials)      # cached: the last design around x
    surf = _surface(obj, x, best, thr)
    cov = np.linalg.inv(surf[1]) if surf is not None else None
    k = len(PROFILE_OFFSETS)
    levels = best + side_thr
    spans: list[list[float]] = []
    flats = []
    for i, name in enumerate(obj.names):
        lo_b, hi_b = obj.bounds[i]
        sl = sorted(zip([0.0, *PROFILE_OFFSETS], [best, *losses[i * k:(i + 1) * k]], strict=False))
        s_low, s_high, flat = _slice_range(sl, (float(levels[i, 0]), float(levels[i, 1])))
        a = 1.0 / (2.0 * cov[i, i]) if cov is not None else 0.0
        if cov is not None:  # the profile's range, never narrower than the slice's
            low, high = min(-math.sqrt(side_thr[i, 0] / a), s_low), max(math.sqrt(side_thr[i, 1] / a), s_high)
        else:
            low, high = s_low, s_high
        # every candidate within the threshold belongs to the range too: the points along a
        # valley (search path, diagonals) carry the profile that a slice cuts across
        offsets = [(math.log(h[0][name]) - x[i], h[1]) for h in obj.history]
        near = [d for d, f in offsets if f <= levels[i, int(d > 0)]]
        if near:
            low, high = min(low, min(near)), max(high, max(near))
        if flat:
            low, high = min(low, lo_b - x[i]), max(high, hi_b - x[i])
        spans.append([max(low, lo_b - x[i]), min(high, hi_b - x[i])])
        flats.append(flat)
    spans = _check_ends(obj, x, spans, levels)
    found = min(obj.history, key=lambda h: h[1])
    if again and found[1] < best - 1e-6:
        return ranges(obj, np.log([found[0][n] for n in obj.names]), found[1], base_hours, noise, spread, again=False)
    out = {}
    for i, name in enumerate(obj.names):
        lo_b, hi_b = obj.bounds[i]
        low, high = x[i] + spans[i][0], x[i] + spans[i][1]
        flat = flats[i] and low <= lo_b + 1e-9 and high >= hi_b - 1e-9
        # at a search bound the data did not pin the value on that side: not an estimate
        open_low, open_high = low <= lo_b + 1e-9 and lo_b < 0, high >= hi_b - 1e-9
        identified = not flat and not open_low and not open_high and high - low < 2 * math.log(2.0)
        v = float(np.exp(x[i]))
        extra: dict[str, Any] = {"range_from": "surface" if cov is not None else "slice", "best": v,
                                 "open_low": bool(open_low), "open_high": bool(open_high), "flat": bool(flat)}
        if name in base_hours:
            extra.update(hours=round(base_hours[name] * v, 3), hours_low=round(base_hours[name] * math.exp(low), 3),
                         hours_high=round(base_hours[name] * math.exp(high), 3))
        out[name] = Param(f"fit.{name}", v, float(math.exp(low)), float(math.exp(high)), "simulation", bool(identified),
                          params=extra)
    # for drawing parameter sets: the covariance whose ±1.96 standard deviations are the
    # surface's ranges (loss ≈ best + ½ dᵀHd reaches best + thr at d² = 2·thr·H⁻¹ᵢᵢ), each
    # value's scaled by its wider side's threshold
    scale = np.sqrt(2.0 * side_thr.max(axis=1) / CHI2_95)
    sampling = cov * np.outer(scale, scale) if cov is not None else None
    return out, best, x, sampling


#: halvings of a range's end that the loss there shows to be too far out
END_HALVINGS = 2


def _check_ends(obj: Objective, x: np.ndarray, spans: list[list[float]], levels: np.ndarray) -> list[list[float]]:
    """Each range's ends (offsets from ``x``, log scale) checked by the loss there, the other
    values at the optimum: an end whose loss is above its side's level (``levels``, k × 2:
    below and above) lies beyond the range (a slice
    extrapolated from the flat side of a steep wall, a surface too shallow), so the end is moved
    in by halving the step between it and the optimum, :data:`END_HALVINGS` times, and set
    where the loss crosses the level between the last point inside and the first outside."""
    def point(i: int, off: float) -> np.ndarray:
        y = x.copy()
        y[i] = x[i] + off
        return y

    sides = [(i, j) for i in range(len(spans)) for j in (0, 1) if abs(spans[i][j]) > 1e-9]
    losses = obj([point(i, spans[i][j]) for i, j in sides])
    todo = {(i, j): [0.0, obj([x])[0], spans[i][j], f] for (i, j), f in zip(sides, losses, strict=False)
            if f > levels[i, j]}
    for _ in range(END_HALVINGS):
        if not todo:
            break
        keys = list(todo)
        mids = [(todo[key][0] + todo[key][2]) / 2 for key in keys]
        got = obj([point(i, m) for (i, _), m in zip(keys, mids, strict=False)])
        for key, m, f in zip(keys, mids, got, strict=False):
            if f > levels[key]:
                todo[key][2:] = [m, f]
            else:
                todo[key][:2] = [m, f]
    for (i, j), (inner, f_in, outer, f_out) in todo.items():
        t = (levels[i, j] - f_in) / (f_out - f_in) if f_out > f_in else 0.0
        spans[i][j] = inner + max(0.0, min(1.0, t)) * (outer - inner)
    return spans


def planned(k: int) -> int:
    """Candidates a fit of ``k`` values plans for (for the progress bar)."""
    return 1 + len(SWEEPS) * (4 * k + 1) + DESIGNS * (k * len(PROFILE_OFFSETS) + k * (k - 1) + 1) + 2 * k
