"""Calibrating a court that has only monthly totals: 收案数 / 结案数 / 未结数 by month, and staffing.

Many courts can give only their monthly statistics. They still show what matters most:

- **demand and season** from the monthly filings (the same Poisson regression as for case
  records, :func:`sim.calibration.estimate.demand_from_counts`);
- **capacity** from the closings, which say how much the judges could do in the months when
  they were short of them (pending growing while closings lag the filings): the court's filings
  are replayed month by month (spread over each month's working days), and one judge time per
  case (both tracks alike: the totals do not split them) and the preparation time are fitted
  to the monthly closings and pending caseloads (:mod:`.fit`), then the judge time is set from
  the latest saturated months (:mod:`.probe`), as for case records;
- **the carried-over caseload** from the pending count at the start of a run: its *ages* are
  not in monthly totals, so the template's age profile is assumed and every surface says so
  (``assumed.age``).

The procedure mix comes from the table's per-procedure rows where it has them (适用程序), else
from the template (assumed). Staffing must be given (the totals do not show judges): a table
without teams is split over the template's tracks in the template's proportions. The replay,
the forecast from the last month and the out-of-sample check against the naive forecasts are
the same as for case records.
"""
from __future__ import annotations

import datetime as dt
import math
import time
from typing import Any, Callable, Optional

import numpy as np

from ..model.errors import CodedError
from ..model.scenario import Scenario, add_months, load_scenario
from ..model.workcalendar import hours_per_day
from .build import DEFAULT_TEMPLATE, Estimates
from .capacity import TrackMonth
from .direct import MIN_MONTHS, _mediation
from .estimate import CarriedOver, Param, demand_from_counts, share_param
from .monthly import MonthlyTable, MonthRow
from .state import StartState, totals_state
from .teams import DEFAULT_TEAMS, Staffing, TeamLine, from_table, split_totals
from .totals import MonthlyImport, MonthTotals, StaffingImport


def _months(rows: list[MonthTotals]) -> list[MonthTotals]:
    """The table's contiguous run of months with filed, closed and pending, from its first."""
    out: list[MonthTotals] = []
    for r in rows:
        if r.filed is None or r.closed is None or r.pending is None:
            break
        if out and r.month != _next(out[-1].month):
            break
        out.append(r)
    return out


def _next(month: str) -> str:
    y, m = int(month[:4]), int(month[5:])
    return f"{y + m // 12:04d}-{m % 12 + 1:02d}"


def _date(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:]), 1)


def _shares(mon: MonthlyImport, tpl: Scenario) -> tuple[dict[str, Param], bool]:
    """Procedure mix from the per-procedure rows (filings), or the template's (assumed)."""
    counts = {p: sum(r.filed or 0 for r in rows) for p, rows in mon.by_procedure.items()}
    n = sum(counts.values())
    if n > 0:
        return {p: share_param(f"case_types.{p}.share", k, n) for p, k in sorted(counts.items()) if k}, False
    mix: dict[str, float] = {}
    for c in tpl.case_types:
        mix[c.procedure] = mix.get(c.procedure, 0.0) + c.share
    return {p: Param(f"case_types.{p}.share", v, method="template", identified=False)
            for p, v in sorted(mix.items())}, True


def _staffing(stf: Optional[StaffingImport], tpl: Scenario, start: dt.date, months: int) -> Staffing:
    if stf is None or not stf.rows:
        raise CodedError("cal_totals_staffing")
    if any(r.team is not None for r in stf.rows):
        return Staffing(teams=from_table(stf.rows, [], start, months), source="table")
    weights = {k: sum(t.judges for t in tpl.teams if t.track == k) for k in ("simple", "complex")}
    lines = [TeamLine(DEFAULT_TEAMS[k], k, [(start, (1, 1, 1))]) for k in ("simple", "complex") if weights[k]]
    return Staffing(teams=split_totals(stf.rows, lines, start, months, fixed=[weights[t.track] for t in lines]),
                    source="table_split", notes=["staff_table_split_template"])


def _spread(rows: list[MonthTotals], shares: dict[str, Param], calendar: Any) -> list[dict[str, Any]]:
    """Each month's filings as dates spread over its working days, split by procedure (largest
    remainders), for replaying them."""
    procs = list(shares)
    w = np.array([max(shares[p].value, 0.0) for p in procs])
    w = w / w.sum() if w.sum() > 0 else np.full(len(procs), 1 / len(procs))
    out: dict[str, list[str]] = {p: [] for p in procs}
    for r in rows:
        a = _date(r.month)
        n_days = (add_months(a, 1) - a).days
        hours = hours_per_day(calendar.model_copy(update={"push_months": []}), a, n_days)
        days = [a + dt.timedelta(days=k) for k in range(n_days) if hours[k] > 0] or [a]
        exact = w * r.filed
        base = np.floor(exact).astype(int)
        for k in np.argsort(base - exact)[: r.filed - int(base.sum())]:
            base[k] += 1
        seq = [p for p, n in zip(procs, base, strict=False) for _ in range(n)]
        for i, p in enumerate(seq):
            out[p].append(days[i * len(days) // max(len(seq), 1)].isoformat())
    return [{"procedure": p, "filed": d} for p, d in out.items() if d]


def estimate_totals(mon: Optional[MonthlyImport], stf: Optional[StaffingImport], template: Optional[Scenario] = None,
                    months: Optional[int] = None) -> Estimates:
    """What monthly totals show directly (see the module); ``months`` keeps only the first months."""
    if mon is None:
        raise CodedError("cal_totals_staffing")
    tpl = template if template is not None else load_scenario(DEFAULT_TEMPLATE)
    rows = _months(mon.rows)[:months] if months else _months(mon.rows)
    if len(rows) < MIN_MONTHS:
        raise CodedError("cal_too_few_months", months=len(rows), need=MIN_MONTHS)
    start, n = _date(rows[0].month), len(rows)
    end = add_months(start, n) - dt.timedelta(days=1)
    dem = demand_from_counts([_date(r.month) for r in rows], np.array([r.filed for r in rows], float), start, end)
    shares, assumed_mix = _shares(mon, tpl)
    staffing = _staffing(stf, tpl, start, n)
    carried = rows[0].carried_over if rows[0].carried_over is not None else \
        rows[0].pending - rows[0].filed + rows[0].closed
    table = [MonthRow(month=r.month, carried_over=(rows[k - 1].pending if k else carried), filed=r.filed,
                      closed=r.closed, pending=r.pending, within_limit=r.within_limit or 0)
             for k, r in enumerate(rows)]
    tracks = [TrackMonth(month=r.month, track="all", filed=r.filed, closed=r.closed, pending=r.pending,
                         judges=sum(t.at(_date(r.month))[0] for t in staffing.teams),
                         saturated=(r.pending - tr.carried_over) / math.sqrt(max(r.filed + r.closed, 1)) > 2.0
                         and r.closed < r.filed) for r, tr in zip(rows, table, strict=False)]
    med_o, med_s = _mediation(mon, start, end)
    conv = Param("triage.conversion_rate", tpl.triage.conversion_rate, method="template", identified=False)
    est = Estimates(start=start, months=n, demand=dem, mediation_offered=med_o, mediation_success=med_s,
                    shares=shares, settlement={}, public_notice={}, appraisal={}, conversion=conv,
                    state=StartState(start, CarriedOver(start, {}, [], 0), None), staffing=staffing,
                    extra={"aggregate": True, "table": rows, "template": tpl, "export_date": end,
                           "monthly": MonthlyTable(rows=table, start=start, export_date=end),
                           "assumed_support": staffing.assumed_support, "assumed_age": True,
                           "assumed_mix": assumed_mix, "batches": {}, "overdispersion": dem.overdispersion,
                           "tracks": tracks})
    est.extra["filings"] = _spread(rows, shares, tpl.calendar)
    est.state = totals_state(est, start)
    return est


def calibrate_totals(mon: Optional[MonthlyImport], stf: Optional[StaffingImport], template: Optional[Scenario] = None,
                     reps: int = 1, seed: int = 20240101, workers: Optional[int] = None,
                     progress: Optional[Callable[[int, int], None]] = None, estimates: Optional[Estimates] = None,
                     months: Optional[int] = None) -> Any:
    """The aggregate-mode fit (see the module): a :class:`sim.calibration.fit.Fit`."""
    from .fit import Targets, fit_estimates

    t0 = time.perf_counter()
    est = estimates if estimates is not None else estimate_totals(mon, stf, template, months)
    tpl = est.extra["template"]
    table = est.extra["monthly"].rows
    closed = np.zeros((2, est.months))
    pending = np.zeros((2, est.months))
    closed[0] = [r.closed for r in table]
    pending[0] = [r.pending for r in table]
    nan = (float("nan"), float("nan"))
    wl = [r for r in est.extra["table"] if r.within_limit is not None]
    within = nan
    if wl:
        n = max(sum(r.closed for r in wl), 1)
        p = sum(r.within_limit for r in wl) / n
        within = (p, max(p * (1 - p), 0.25 / n) / n)
    tg = Targets(closed=closed, pending=pending, disp_simple=nan, disp_ordinary=nan, within=within)
    return fit_estimates(est, tg, tpl, None, reps, seed, workers, progress, t0, cases=[])
