"""Monthly totals and staffing tables, for a court that has no case-level export (or in addition).

Monthly statistical table: month, carried over (旧存), filed (新收), closed (结案), pending (未结),
within-limit closures (审限内结案), pre-filing mediation received and settled (诉前调解, 诉前调解成功),
optionally one row per procedure (a 适用程序 column; 合计/total rows or an empty cell are the
court's totals, and totals are summed from the procedures when the file has none).
Staffing table: month, team (optional), quota judges, assistants, clerks.

Rows that cannot be used are refused with their reason; what is doubtful but usable (a month
whose carried over + filed − closed is not its pending, a month's pending that is not the next
month's carried over, a missing month) is kept and reported as a warning.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from ..model.errors import ScenarioError
from .columns import match_columns, project
from .parse import CellError, blank, parse_count, parse_month, parse_procedure, text
from .quality import QualityReport, start_report
from .readers import Source, Table, read_table

MONTH_COUNTS = ("carried_over", "filed", "closed", "pending", "within_limit", "mediation_received",
                "mediation_settled")
STAFF_COUNTS = ("judges", "assistants", "clerks")
_TOTAL_WORDS = ("合计", "总计", "全部", "小计", "total", "all")
#: the most staff of one kind a team (or a court) can have in a month
MAX_STAFF = 10_000


@dataclass
class MonthTotals:
    """One month of a court's statistics (None = not in the file)."""

    month: str                                  # YYYY-MM
    row: int
    carried_over: Optional[int] = None
    filed: Optional[int] = None
    closed: Optional[int] = None
    pending: Optional[int] = None
    within_limit: Optional[int] = None
    mediation_received: Optional[int] = None
    mediation_settled: Optional[int] = None

    def to_dict(self) -> dict[str, Any]:
        return {"month": self.month, **{k: getattr(self, k) for k in MONTH_COUNTS}}


@dataclass
class MonthlyImport:
    """The court's monthly totals (and by procedure where given) and the quality report."""

    rows: list[MonthTotals]
    by_procedure: dict[str, list[MonthTotals]] = field(default_factory=dict)
    report: QualityReport = field(default_factory=lambda: QualityReport("monthly"))

    def to_dict(self) -> dict[str, Any]:
        return {"months": [r.to_dict() for r in self.rows],
                "by_procedure": {p: [r.to_dict() for r in rows] for p, rows in self.by_procedure.items()}}


@dataclass
class StaffRow:
    """Staff of one team (or the whole court, team None) in one month."""

    month: str
    team: Optional[str]
    judges: int
    assistants: Optional[int] = None
    clerks: Optional[int] = None

    def to_dict(self) -> dict[str, Any]:
        return {"month": self.month, "team": self.team, "judges": self.judges, "assistants": self.assistants,
                "clerks": self.clerks}


@dataclass
class StaffingImport:
    """Staffing by month and team, and the quality report."""

    rows: list[StaffRow]
    report: QualityReport

    def to_dict(self) -> dict[str, Any]:
        return {"rows": [r.to_dict() for r in self.rows]}


def _open(kind: str, source: Source | Table, mapping: Optional[Mapping[str, Optional[str]]]):
    table = source if isinstance(source, Table) else read_table(source)
    cols, errors = match_columns(kind, table.header, mapping)
    if errors:
        raise ScenarioError(errors)
    return table, cols, start_report(kind, table, cols)


def _month(n: int, row: dict[str, Any], h: dict[str, str], rep: QualityReport) -> Optional[str]:
    try:
        ym = parse_month(row.get("month"))
    except CellError as e:
        rep.add(e.code, n, h["month"], text(row.get("month")))
        return None
    if ym is None:
        rep.add("rec_month_missing", n, h["month"])
        return None
    return f"{ym[0]:04d}-{ym[1]:02d}"


def _counts(n: int, row: dict[str, Any], h: dict[str, str], rep: QualityReport, names: tuple[str, ...],
            hi: int) -> Optional[dict[str, Optional[int]]]:
    out: dict[str, Optional[int]] = {}
    ok = True
    for f in names:
        if f not in row:
            continue
        try:
            out[f] = parse_count(row[f], hi)
        except CellError as e:
            rep.add(e.code, n, h[f], text(row[f]), hi=hi)
            ok = False
    return out if ok else None


def import_monthly(source: Source | Table, mapping: Optional[Mapping[str, Optional[str]]] = None) -> MonthlyImport:
    """Read and check a monthly statistical table (see the module's description)."""
    table, cols, rep = _open("monthly", source, mapping)
    h = cols.header
    seen: dict[tuple[str, str], int] = {}
    groups: dict[str, list[MonthTotals]] = {}
    for n, row in project(table.rows, table.row_numbers, cols):
        month = _month(n, row, h, rep)
        proc = "total"
        if "procedure" in row and not blank(row["procedure"]) and \
                not any(w in text(row["procedure"]).lower() for w in _TOTAL_WORDS):
            try:
                proc = parse_procedure(row["procedure"])[0]
            except CellError as e:
                rep.add(e.code, n, h["procedure"], text(row["procedure"]))
                month = None
        counts = _counts(n, row, h, rep, MONTH_COUNTS, 10**7)
        if month is None or counts is None:
            continue
        wl, closed = counts.get("within_limit"), counts.get("closed")
        if wl is not None and closed is not None and wl > closed:
            rep.add("rec_within_exceeds", n, h["within_limit"], wl, closed=closed)
            continue
        med, ok = counts.get("mediation_received"), counts.get("mediation_settled")
        if med is not None and ok is not None and ok > med:
            rep.add("rec_mediation_exceeds", n, h["mediation_settled"], ok, received=med)
            continue
        if (month, proc) in seen:
            rep.add("rec_month_duplicate", n, h["month"], month, first_row=seen[(month, proc)])
            continue
        seen[(month, proc)] = n
        groups.setdefault(proc, []).append(MonthTotals(month=month, row=n, **counts))
    for rows in groups.values():
        rows.sort(key=lambda r: r.month)
    totals = groups.pop("total", None)
    if totals is None and groups:
        totals = _sum_procedures(groups)
        rep.facts["totals_summed_from_procedures"] = True
    totals = totals or []
    _check_flow(totals, rep, h)
    rep.rows_kept = rep.rows_read - rep.rows_refused
    return MonthlyImport(rows=totals, by_procedure=groups, report=rep)


def _sum_procedures(groups: dict[str, list[MonthTotals]]) -> list[MonthTotals]:
    months: dict[str, MonthTotals] = {}
    for rows in groups.values():
        for r in rows:
            t = months.setdefault(r.month, MonthTotals(month=r.month, row=r.row))
            for f in MONTH_COUNTS:
                v = getattr(r, f)
                if v is not None:
                    setattr(t, f, (getattr(t, f) or 0) + v)
    return [months[m] for m in sorted(months)]


def _last_month(month: str) -> str:
    y, m = int(month[:4]), int(month[5:])
    return f"{y - (m == 1):04d}-{12 if m == 1 else m - 1:02d}"


def _next_month(month: str) -> str:
    y, m = int(month[:4]), int(month[5:])
    return f"{y + m // 12:04d}-{m % 12 + 1:02d}"


def _check_flow(rows: list[MonthTotals], rep: QualityReport, h: dict[str, str]) -> None:
    """Warnings: a month out of balance (carried over, or without that column the month
    before's pending, + filed − closed ≠ pending), pending not carried over, months missing."""
    for k, r in enumerate(rows):
        if None not in (r.carried_over, r.filed, r.closed, r.pending) and \
                r.carried_over + r.filed - r.closed != r.pending:  # type: ignore[operator]
            rep.add("rec_flow_balance", r.row, h.get("pending", ""), r.pending, refused=False, month=r.month,
                    carried=r.carried_over, filed=r.filed, closed=r.closed,
                    expected=r.carried_over + r.filed - r.closed)  # type: ignore[operator]
        prev = rows[k - 1] if k else None
        if r.carried_over is None and prev is not None and prev.month == _last_month(r.month) and \
                None not in (prev.pending, r.filed, r.closed, r.pending) and \
                prev.pending + r.filed - r.closed != r.pending:  # type: ignore[operator]
            rep.add("rec_flow_balance_prev", r.row, h.get("pending", ""), r.pending, refused=False, month=r.month,
                    after=prev.month, carried=prev.pending, filed=r.filed, closed=r.closed,
                    expected=prev.pending + r.filed - r.closed)  # type: ignore[operator]
        if k + 1 < len(rows):
            nxt = rows[k + 1]
            if nxt.month != _next_month(r.month):
                rep.add("rec_month_gap", nxt.row, h["month"], nxt.month, refused=False, after=r.month)
            elif r.pending is not None and nxt.carried_over is not None and r.pending != nxt.carried_over:
                rep.add("rec_carry_mismatch", nxt.row, h.get("carried_over", ""), nxt.carried_over, refused=False,
                        pending=r.pending, after=r.month)


def import_staffing(source: Source | Table, mapping: Optional[Mapping[str, Optional[str]]] = None) -> StaffingImport:
    """Read and check staffing by month (and team): judges, assistants, clerks."""
    table, cols, rep = _open("staffing", source, mapping)
    h = cols.header
    seen: dict[tuple[str, Optional[str]], int] = {}
    rows: list[StaffRow] = []
    for n, row in project(table.rows, table.row_numbers, cols):
        month = _month(n, row, h, rep)
        counts = _counts(n, row, h, rep, STAFF_COUNTS, MAX_STAFF)
        if month is None or counts is None:
            continue
        if counts.get("judges") is None:
            rep.add("rec_count_invalid", n, h["judges"], None, hi=MAX_STAFF)
            continue
        team = None if blank(row.get("team")) else text(row.get("team"))
        if (month, team) in seen:
            rep.add("rec_staff_duplicate", n, h["month"], f"{month} {team or ''}".strip(),
                    first_row=seen[(month, team)])
            continue
        seen[(month, team)] = n
        rows.append(StaffRow(month=month, team=team, judges=counts["judges"],  # type: ignore[arg-type]
                             assistants=counts.get("assistants"), clerks=counts.get("clerks")))
    rows.sort(key=lambda r: (r.month, r.team or ""))
    rep.rows_kept = len(rows)
    return StaffingImport(rows=rows, report=rep)
