"""Every reported figure of one replication, computed vectorised from its records.

Definitions follow ``shared/design/model.md`` exactly; :mod:`sim.vocabulary.figure_registry` repeats
them with each figure's names and unit. A period runs from day boundary *a* to day boundary *b*, in days from the simulation origin.
A case is filed in it when ``a <= file_t < b``; it is closed in it when ``a < end_t <= b``
(work that ends at midnight belongs to the day it was done on), and pending at its end when
``file_t < b < end_t``. Dates are whole days: the filing date is ``floor(file_t)``, the
closing date ``ceil(end_t) - 1``.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..vocabulary.figure_registry import REGISTRY
from .caseflow import Records
from .flow import monthly_flow
from .periods import CaseTimes, in_months
from .prepared import Prepared

# every reported figure, in report order; names, units and definitions live in the registry
FIGURES = REGISTRY

# upper edges in months of the age bands reported for the pending caseload at the end
AGE_BANDS = (3, 6, 12, 18, 24, np.inf)


def _mean(x: np.ndarray) -> float:
    return float(x.mean()) if len(x) else float("nan")


def _div(a: float, b: float) -> float:
    return a / b if b else float("nan")


def _share_of(flags: np.ndarray, sel: np.ndarray) -> float:
    """The share of ``flags`` that are true among the entries ``sel`` picks (NaN for none)."""
    n = int(sel.sum())
    return float(np.count_nonzero(flags & sel)) / n if n else float("nan")


def _limit_status(c: CaseTimes, m0: int, m1: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(closed, within, pending, overdue) of months ``m0`` to ``m1 - 1``: the cases closed in the
    period, and for each of them whether its clock stayed within its limit (with the extension);
    the cases pending at its end, and for each whether it is past its limit on the last day."""
    closed = in_months(c.end_m, m0, m1)
    pend = c.pending(m1)
    within = c.clock[closed] <= c.ext[closed]
    b = float(c.edges[m1])
    # at the end of the period's last day (date b - 1)
    excl_elapsed = np.clip(b - c.file_t[pend], 0, c.excluded[pend])
    clock_p = (b - 1) - c.fday[pend] - excl_elapsed
    return closed, within, pend, clock_p > c.ext[pend]


def _period(p: Prepared, r: Records, c: CaseTimes, m0: int, m1: int,
            status: Optional[list] = None) -> dict[str, float]:
    """Figures that are defined for any period [a, b) on their own: months ``m0`` to ``m1 - 1``.

    ``status``, when given, receives the period's :func:`_limit_status` (the by-procedure counts
    reuse the horizon's rather than computing it again)."""
    out: dict[str, float] = {}
    a, b = float(c.edges[m0]), float(c.edges[m1])
    filed = in_months(c.file_m, m0, m1)
    closed, within, pend, overdue = _limit_status(c, m0, m1)
    if status is not None:
        status.extend((closed, within, pend, overdue))
    n_filed, n_closed, n_pend = int(filed.sum()), int(closed.sum()), int(pend.sum())
    out["filed"] = n_filed
    out["closed"] = n_closed
    out["pending_end"] = n_pend
    lo, hi = np.maximum(c.file_t, a), np.minimum(c.end_t, b)
    out["pending_avg"] = float(np.clip(hi - lo, 0, None).sum() / (b - a))
    out["clearance_rate"] = _div(n_closed, n_filed)
    clock = c.clock[closed]
    out["within_limit_rate"] = _mean(within.astype(float))
    # per track (sim.model.tracks): the same cases split by the track of their procedure
    simple = c.simple[closed]
    out["within_limit_rate_simple"] = _share_of(within, simple)
    out["within_limit_rate_complex"] = _share_of(within, ~simple)
    out["extension_rate"] = _mean(((clock > c.base[closed]) & c.has_ext[closed]).astype(float))
    n_overdue = int(overdue.sum())
    out["overdue_pending_end"] = n_overdue
    out["overdue_pending_end_simple"] = int(np.count_nonzero(overdue & c.simple[pend]))
    out["overdue_pending_end_complex"] = n_overdue - out["overdue_pending_end_simple"]
    disp = c.disp[closed]
    out["disposition_days_mean"] = _mean(disp)
    out["disposition_days_median"] = float(np.median(disp)) if n_closed else float("nan")
    out["disposition_days_p90"] = float(np.percentile(disp, 90)) if n_closed else float("nan")
    started = in_months(c.start_m, m0, m1)
    out["wait_days_mean"] = _mean(r.job_start_t[started] - r.job_ready_t[started])
    qlo, qhi = np.maximum(r.job_ready_t, a), np.minimum(r.job_start_t, b)
    out["queue_avg"] = float(np.clip(qhi - qlo, 0, None).sum() / (b - a))
    arr = in_months(c.arrival_m, m0, m1)
    n_disp = int(arr.sum())
    out["disputes"] = n_disp
    out["mediation_diversion_rate"] = _div(int((arr & r.mediated).sum()), n_disp)
    med_end = r.mediated & in_months(c.mediation_end_m, m0, m1)
    n_res = int((med_end & r.resolved).sum())
    out["mediation_success_rate"] = _div(n_res, int(med_end.sum()))
    out["mediation_resolution_share"] = _div(n_res, n_disp)
    return out


def _busy_hours(p: Prepared, r: Records, edges: np.ndarray) -> np.ndarray:
    """(teams, periods) judge working hours spent on jobs inside each period."""
    n_teams = len(p.scenario.teams)
    started = np.isfinite(r.job_start_t)
    s = r.job_start_t[started]
    e = np.minimum(r.job_end_t[started], p.end)
    team = r.job_team[started]
    out = np.zeros((n_teams, len(edges) - 1))
    for k in range(len(edges) - 1):
        a, b = edges[k], edges[k + 1]
        # only jobs that overlap the period: any other adds exactly 0 hours, so the sums are
        # the same as over every job, at a fraction of the cost
        on = np.flatnonzero((s < b) & (e > a))
        w = p.clock.work_between(np.clip(s[on], a, b), np.clip(e[on], a, b))
        out[:, k] = np.bincount(team[on], weights=w, minlength=n_teams)
    return out


def _available_hours(p: Prepared, edges: np.ndarray) -> np.ndarray:
    """(teams, periods) judge working hours available (judges present × hours of each day)."""
    day_hours = p.team_judges_day * p.clock.hours[None, :]
    cum = np.concatenate([np.zeros((day_hours.shape[0], 1)), np.cumsum(day_hours, axis=1)], axis=1)
    idx = np.clip(edges.astype(np.int64), 0, p.n_days)
    return cum[:, idx[1:]] - cum[:, idx[:-1]]


def _avg_judges(p: Prepared, a: float, b: float) -> float:
    lo, hi = int(a), min(int(b), p.n_days)
    return float(p.team_judges_day[:, lo:hi].sum(axis=0).mean()) if hi > lo else float("nan")


def replication_figures(p: Prepared, r: Records) -> dict:
    """All figures of one replication: summary, monthly series, teams, age profile."""
    c = CaseTimes(p, r)
    edges = p.month_edges
    a0, aN = float(edges[0]), float(edges[-1])
    n_m = len(edges) - 1
    months = [_period(p, r, c, k, k + 1) for k in range(n_m)]
    horizon_status: list = []
    summary = _period(p, r, c, 0, n_m, horizon_status)

    # closure rate: cumulative within each calendar year (from the report start in the first year)
    pend_start = int(c.pending(0).sum())
    cum_closed = cum_filed = 0
    closure = []
    for k, lab in enumerate(p.month_labels):
        if lab.endswith("-01") and k > 0:
            pend_start = int(c.pending(k).sum())
            cum_closed = cum_filed = 0
        cum_closed += months[k]["closed"]
        cum_filed += months[k]["filed"]
        closure.append(_div(cum_closed, pend_start + cum_filed))
    for k, m in enumerate(months):
        m["closure_rate"] = closure[k]
    summary["closure_rate"] = _div(summary["closed"], int(c.pending(0).sum()) + summary["filed"])

    # long-pending at each month end
    for k, m in enumerate(months):
        b = float(edges[k + 1])
        pend = c.pending(k + 1)
        age = (b - 1) - c.fday[pend]
        m["long_pending_end"] = int((age > p.long_pending_days[k]).sum())
        m["long_pending_share"] = _div(m["long_pending_end"], m["pending_end"])
    summary["long_pending_end"] = months[-1]["long_pending_end"]
    summary["long_pending_share"] = months[-1]["long_pending_share"]

    avail = _available_hours(p, edges)
    # a team cannot work more hours than it has: any excess is rounding in the clock arithmetic
    busy = np.minimum(_busy_hours(p, r, edges), avail)
    for k, m in enumerate(months):
        m["judge_utilisation"] = _div(busy[:, k].sum(), avail[:, k].sum())
        days = float(edges[k + 1] - edges[k])
        m["closures_per_judge"] = _div(m["closed"], _avg_judges(p, edges[k], edges[k + 1])) * 365.25 / days
    summary["judge_utilisation"] = _div(busy.sum(), avail.sum())
    summary["closures_per_judge"] = _div(summary["closed"], _avg_judges(p, a0, aN)) * 365.25 / (aN - a0)

    n_teams = len(p.scenario.teams)
    closed_h = (c.end_t > a0) & (c.end_t <= aN)
    team_closed = np.bincount(r.team[closed_h & (r.team >= 0)], minlength=n_teams).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        team_util = busy.sum(axis=1) / avail.sum(axis=1)
        team_util_m = busy / avail
    team_judges = np.array([p.team_judges_day[i, int(a0):int(aN)].mean() for i in range(n_teams)])

    pend = c.pending(n_m)
    age_m = ((aN - 1) - c.fday[pend]) / 30.4375
    lower = np.array((0,) + AGE_BANDS[:-1], dtype=float)
    upper = np.array(AGE_BANDS, dtype=float)
    age_profile = np.array([((age_m >= lo) & (age_m < hi)).sum() for lo, hi in zip(lower, upper)], dtype=float)

    monthly = {name: np.array([m[name] for m in months], dtype=float) for name in FIGURES}
    # the horizon's time-limit counts per procedure (the results' by-procedure table)
    h_closed, h_within, h_pend, h_overdue = horizon_status
    n_proc = len(p.proc_names)
    proc_closed, proc_pend = r.proc[h_closed], r.proc[h_pend]
    procedures = {"closed": np.bincount(proc_closed, minlength=n_proc),
                  "within": np.bincount(proc_closed[h_within], minlength=n_proc),
                  "pending_end": np.bincount(proc_pend, minlength=n_proc),
                  "overdue_pending_end": np.bincount(proc_pend[h_overdue], minlength=n_proc)}
    return {
        "summary": {name: float(summary[name]) for name in FIGURES},
        "monthly": monthly,
        "teams": {"utilisation": team_util, "closed": team_closed, "judges": team_judges,
                  "utilisation_monthly": team_util_m},
        "age_profile": age_profile,
        "procedures": {k: v.astype(float) for k, v in procedures.items()},
        "flow": {"pending_start": int(c.pending(0).sum())},
        "warnings": list(p.warnings),
        "detail": _detail(p, r, c, a0, aN),
        # counts along each path of the case flow, month by month (the moving picture)
        "flow_monthly": monthly_flow(p, r, c),
    }


# procedures heard under simple procedure (简易程序适用率 counts small claims as simple procedure)
SIMPLE_PROCEDURES = ("small_claims", "simple")


def _detail(p: Prepared, r: Records, c: CaseTimes, a: float, b: float) -> dict[str, float]:
    """Figures for checking plausibility against published data (not headline figures).

    Over the cases closed in the horizon: the share closed under simple procedure or small
    claims, mean disposition days under those and under ordinary procedure, and the mean number
    of hearings per case (0 without a hearings section).
    """
    closed = (c.end_t > a) & (c.end_t <= b)
    simple_ids = [k for k, n in enumerate(p.proc_names) if n in SIMPLE_PROCEDURES]
    is_simple = np.isin(r.proc, simple_ids)
    is_ord = r.proc == p.proc_names.index("ordinary")
    return {
        "simple_procedure_share": _div(float((closed & is_simple).sum()), float(closed.sum())),
        "disposition_days_simple": _mean(c.disp[closed & is_simple]),
        "disposition_days_ordinary": _mean(c.disp[closed & is_ord]),
        "hearings_per_case": _mean(r.hearings[closed].astype(float)),
    }
