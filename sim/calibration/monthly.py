"""The monthly table derived from case records, with the engine's own definitions.

For a calendar month [a, b): carried over (旧存) = filed before a and not closed before a;
filed (新收) = filed in [a, b); closed (结案) = closing date in [a, b); pending (未结) = filed
before b and not closed before b; within-limit closures (审限内结案) = closed in the month with
the clock (calendar days minus excluded days) inside the statutory limit of the governing
procedure (ordinary after 简转普), counting the extension when it was granted or, where the
file does not record extensions, whenever the procedure allows one, as the engine does
(:mod:`sim.model.rules`, ``shared/design/model.md``). So carried over + filed − closed = pending in
every month, by construction and by test, and the table equals the engine's monthly figures
for records written from a simulation.

Censoring is explicit: a case without a closing date was pending at the export date; it counts
as pending in every month up to that date, the last month is marked partial when the export
date is not its last day, and each month says how many of its filings were still pending at
export (the later the month, the more of its cases have no disposition time yet).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

import numpy as np

from ..model.rules import allowed_days, has_extension
from ..model.scenario import Procedure, add_months, default_procedures
from .records import Case

COUNTS = ("carried_over", "filed", "closed", "pending", "within_limit")


@dataclass
class MonthRow:
    """One month's counts (for all cases or for one procedure)."""

    month: str                       # YYYY-MM
    carried_over: int
    filed: int
    closed: int
    pending: int
    within_limit: int
    filed_still_pending: int = 0     # of this month's filings, pending at the export date
    partial: bool = False            # the export date falls inside this month

    @property
    def within_limit_rate(self) -> float:
        return self.within_limit / self.closed if self.closed else float("nan")

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in ("month", *COUNTS, "filed_still_pending", "partial")}
        d["within_limit_rate"] = None if not self.closed else round(self.within_limit_rate, 6)
        return d


@dataclass
class MonthlyTable:
    """Monthly totals, the same split by governing procedure, and the censoring facts."""

    rows: list[MonthRow]
    by_procedure: dict[str, list[MonthRow]] = field(default_factory=dict)
    start: dt.date = dt.date(2000, 1, 1)
    export_date: dt.date = dt.date(2000, 1, 1)
    start_inferred: bool = False
    pending_at_export: int = 0
    closed_before_start: int = 0     # in the file but closed before the first month: not counted

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "export_date": self.export_date.isoformat(),
                "start_inferred": self.start_inferred, "pending_at_export": self.pending_at_export,
                "closed_before_start": self.closed_before_start,
                "months": [r.to_dict() for r in self.rows],
                "by_procedure": {p: [r.to_dict() for r in rows] for p, rows in self.by_procedure.items()}}


def infer_start(cases: Sequence[Case]) -> dt.date:
    """First day of the first month the export covers.

    A court's export holds the cases filed in its period plus those pending when it began, so
    the cases filed before the period are all still open at its start: no case closes before
    the period. The month of the earliest closing date is therefore the first month (the
    earliest filing's month if nothing has closed, or if that is later).
    """
    closings = [c.closing for c in cases if c.closing is not None]
    filings = [c.filing for c in cases]
    first = min(closings) if closings else min(filings)
    first = max(first, min(filings))
    return dt.date(first.year, first.month, 1)


def within_limit_flags(cases: Sequence[Case], procedures: Optional[Mapping[str, Procedure]] = None) -> np.ndarray:
    """For each closed case, whether it closed within the limit (False for pending cases)."""
    procs = dict(procedures or default_procedures())
    cache: dict[tuple, int] = {}
    out = np.zeros(len(cases), dtype=bool)
    for i, c in enumerate(cases):
        if c.closing is None:
            continue
        proc = procs.get(c.governing_procedure)
        if proc is None:
            continue
        ext = has_extension(proc) and c.extended is not False
        key = (c.filing, c.governing_procedure, ext)
        allowed = cache.get(key)
        if allowed is None:
            allowed = cache[key] = allowed_days(c.filing, proc, ext)
        out[i] = (c.closing - c.filing).days - c.excluded_days <= allowed
    return out


def _rows(f: np.ndarray, e: np.ndarray, wl: np.ndarray, edges: list[int], labels: list[str],
          export_ord: int) -> list[MonthRow]:
    rows = []
    for k, lab in enumerate(labels):
        a, b = edges[k], edges[k + 1]
        closed = (e >= a) & (e < b)
        filed = (f >= a) & (f < b)
        rows.append(MonthRow(
            month=lab,
            carried_over=int(((f < a) & (e >= a)).sum()),
            filed=int(filed.sum()),
            closed=int(closed.sum()),
            pending=int(((f < b) & (e >= b)).sum()),
            within_limit=int((closed & wl).sum()),
            filed_still_pending=int((filed & (e > export_ord)).sum()),
            partial=b - 1 > export_ord,
        ))
    return rows


def derive_monthly(cases: Sequence[Case], export_date: dt.date, start: Optional[dt.date] = None,
                   procedures: Optional[Mapping[str, Procedure]] = None) -> MonthlyTable:
    """Monthly totals from case records, from ``start`` (a month's first day; inferred when
    None, see :func:`infer_start`) to the month of ``export_date``, in total and by governing
    procedure. ``procedures`` are the statutory limits (the engine's defaults when None)."""
    if not cases:
        return MonthlyTable(rows=[], export_date=export_date, start=start or export_date.replace(day=1))
    inferred = start is None
    start = infer_start(cases) if start is None else start.replace(day=1)
    o0 = start.toordinal()
    export_ord = export_date.toordinal()
    never = np.iinfo(np.int64).max // 2
    f = np.array([c.filing.toordinal() for c in cases], dtype=np.int64)
    e = np.array([c.closing.toordinal() if c.closing else never for c in cases], dtype=np.int64)
    wl = within_limit_flags(cases, procedures)
    keep = e >= o0  # closed before the period: outside it
    edges, labels = [o0], []
    m = 0
    while True:
        a = add_months(start, m)
        if a > export_date:
            break
        labels.append(f"{a.year:04d}-{a.month:02d}")
        edges.append(add_months(start, m + 1).toordinal())
        m += 1
    rows = _rows(f[keep], e[keep], wl[keep], edges, labels, export_ord)
    procs = np.array([c.governing_procedure for c in cases])
    by_proc = {p: _rows(f[keep & (procs == p)], e[keep & (procs == p)], wl[keep & (procs == p)], edges, labels,
                        export_ord)
               for p in sorted(set(procs[keep].tolist()))}
    return MonthlyTable(rows=rows, by_procedure=by_proc, start=start, export_date=export_date,
                        start_inferred=inferred, pending_at_export=int((e[keep] > export_ord).sum()),
                        closed_before_start=int((~keep).sum()))


#: the monthly table's columns compared with the records' derived table
COMPARED = ("filed", "closed", "pending")


def compare_with_table(mt: MonthlyTable, table_rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Months where the court's own monthly table and the table derived from its case records
    disagree (filed, closed, pending): the month, the figure, the table's row and both numbers.
    Partial months are left out. Two exports of one court should agree; where they do not, one
    of them is missing cases (another case type counted, a batch dropped) and the user should
    know which months before trusting either."""
    derived = {r.month: r for r in mt.rows if not r.partial}
    out = []
    for t in table_rows:
        d = derived.get(t.month)
        if d is None:
            continue
        for f in COMPARED:
            v = getattr(t, f)
            if v is not None and v != getattr(d, f):
                out.append({"month": t.month, "figure": f, "row": t.row, "table": v, "records": getattr(d, f)})
    return out
