"""Everything the records show directly, assembled for the fit: :func:`estimate`.

Demand (:func:`.estimate.fit_demand`), pre-filing mediation from the monthly table, the
procedure mix, conversion, early endings and excluded periods (:mod:`.estimate`), the staffing
day by day (:mod:`.teams`, :mod:`.roster`), the open cases at the records' start (:mod:`.state`)
and the tracks month by month with their saturated months (:mod:`.capacity`).
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from ..model.errors import CodedError
from ..model.scenario import Scenario, add_months, load_scenario
from .build import DEFAULT_TEMPLATE, Estimates, settles_in_preparation
from .capacity import track_months
from .estimate import (
    SIMPLE_TRACK,
    Param,
    conversion,
    early_endings,
    excluded_rates,
    fit_demand,
    original_procedure,
    procedure_mix,
    share_param,
)
from .monthly import derive_monthly
from .records import CaseImport
from .state import start_state
from .teams import infer_staffing
from .totals import MonthlyImport, StaffingImport

#: fewest full months a calibration needs
MIN_MONTHS = 3


def full_months(start: dt.date, export_date: dt.date) -> int:
    """Whole calendar months from ``start`` that end on or before ``export_date``."""
    n = 0
    while add_months(start, n + 1) - dt.timedelta(days=1) <= export_date:
        n += 1
    return n


def _mediation(monthly: Optional[MonthlyImport], start: dt.date, end: dt.date) -> tuple[Param, Param]:
    med_o = Param("mediation.share_offered", 0.0, method="template", identified=False)
    med_s = Param("mediation.success_rate", 0.0, method="template", identified=False)
    if monthly is None or not monthly.rows:
        return med_o, med_s
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
    return med_o, med_s


def estimate(imp: CaseImport, monthly: Optional[MonthlyImport] = None, staffing: Optional[StaffingImport] = None,
             start: Optional[dt.date] = None, template: Optional[Scenario] = None) -> Estimates:
    """Everything the records show directly, for the full months from ``start`` (default: the
    first month of the derived monthly table) to the export date."""
    cases, export = imp.cases, imp.export_date
    mt = derive_monthly(cases, export, start)
    start = mt.start
    months = full_months(start, export)
    if months < MIN_MONTHS:
        raise CodedError("cal_too_few_months", months=months, need=MIN_MONTHS)
    end = add_months(start, months) - dt.timedelta(days=1)
    filed = [c for c in cases if start <= c.filing <= end]
    dem = fit_demand(cases, start, end, imp.report.batches)
    med_o, med_s = _mediation(monthly, start, end)
    tpl = template if template is not None else load_scenario(DEFAULT_TEMPLATE)
    ex = excluded_rates(filed, tpl.excluded.public_notice_days, export)
    has_excluded = imp.report.columns.get("excluded_days") is not None
    has_method = imp.report.columns.get("closing_method") is not None
    settlement = early_endings(filed, export) if has_method else {}
    first = {p: settles_in_preparation(settlement, tpl, p) for p in SIMPLE_TRACK}
    stf = infer_staffing(staffing.rows if staffing else None, cases, start, months, export)
    tracks = track_months(cases, start, months, stf)
    by_proc: dict[str, list[str]] = {}
    for c in sorted(filed, key=lambda c: c.filing):
        by_proc.setdefault(original_procedure(c), []).append(c.filing.isoformat())
    return Estimates(
        start=start, months=months, demand=dem, mediation_offered=med_o, mediation_success=med_s,
        shares=procedure_mix(filed), settlement=settlement,
        public_notice={p: v[0] for p, v in ex.items()} if has_excluded else {},
        appraisal={p: v[1] for p, v in ex.items()} if has_excluded else {}, conversion=conversion(filed, export, first),
        state=start_state(cases, start, stf, tpl.procedures), staffing=stf,
        extra={"batches": {"cases": dem.batch_cases, "days": dem.batch_days}, "overdispersion": dem.overdispersion,
               "export_date": export, "monthly": mt, "assumed_support": stf.assumed_support,
               "filings": [{"procedure": p, "filed": d} for p, d in sorted(by_proc.items())],
               "tracks": tracks})
