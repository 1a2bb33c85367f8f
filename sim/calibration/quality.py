"""The data-quality report of an import: what was refused or doubted, by row, and why.

The importer never stops at the first problem: every row is checked, and each problem becomes
an :class:`Issue` naming the spreadsheet row (as Excel numbers it, header = row 1), the column
as the file names it, a stable ``code`` (its words are in :mod:`sim.vocabulary.messages`, so the report
reads the same in Chinese and English on every surface) and, for a value the model would have
kept, the offending value. Party names are never in a report: their columns are never read,
and the judge column's text is never quoted.

Batch filings (批量案件: a bank or a utility filing hundreds of cases on one day) are detected
here too: a day whose filings are far above what a Poisson process at the month's usual daily
rate would give.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

import numpy as np

from ..model.errors import short_repr
from ..vocabulary.messages import render

#: issues listed one by one per code; beyond this only the count grows (a file of 500,000 bad
#: rows must not make a report of 500,000 lines)
MAX_DETAIL = 200
#: a day is a batch when P(X >= its filings) under Poisson(usual daily rate) is below this
BATCH_P = 1e-6
#: ... and it holds at least this many times the usual daily rate
BATCH_FACTOR = 3.0


@dataclass
class Issue:
    """One problem in one row (``row`` None = the whole file)."""

    code: str
    row: Optional[int] = None
    column: str = ""
    value: Optional[str] = None
    refused: bool = True            # False: a warning, the row was kept
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        """The reason in ``lang``."""
        return render(self.code, {"column": self.column, **self.params}, lang)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "row": self.row, "column": self.column, "value": self.value,
                "refused": self.refused, "params": {k: str(v) if isinstance(v, dt.date) else v
                                                    for k, v in self.params.items()}}


@dataclass
class BatchDay:
    """A day with far more filings than the month's usual daily rate."""

    date: dt.date
    filed: int
    expected: float

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "filed": self.filed, "expected": round(self.expected, 2)}


@dataclass
class QualityReport:
    """What an import read, kept and refused, and why."""

    kind: str                                   # cases / monthly / staffing
    format: str = ""
    encoding: str = ""
    compressed: bool = False
    rows_read: int = 0
    rows_kept: int = 0
    columns: dict[str, str] = field(default_factory=dict)   # field -> the file's header
    ignored_columns: list[str] = field(default_factory=list)
    party_columns: list[str] = field(default_factory=list)  # dropped unread
    issues: list[Issue] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)        # code -> issues (refused and warnings)
    refused_rows: set = field(default_factory=set)
    batches: list[BatchDay] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)      # period, export date, censored, filtered...

    def add(self, code: str, row: Optional[int] = None, column: str = "", value: Any = None,
            refused: bool = True, **params: Any) -> None:
        """Record a problem; the detail list is capped at :data:`MAX_DETAIL` per code."""
        self.counts[code] += 1
        if refused and row is not None:
            self.refused_rows.add(row)
        if self.counts[code] <= MAX_DETAIL:
            shown = None if value is None else short_repr(value if isinstance(value, str) else str(value), 40)
            self.issues.append(Issue(code, row, column, shown, refused, params))

    @property
    def rows_refused(self) -> int:
        return len(self.refused_rows)

    def by_code(self) -> list[tuple[str, int, bool]]:
        """(code, count, refused) for every code, most frequent first."""
        refused = {i.code: i.refused for i in self.issues}
        return sorted(((c, n, refused.get(c, True)) for c, n in self.counts.items()), key=lambda t: (-t[1], t[0]))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (no party text, no judge names)."""
        return {
            "kind": self.kind, "format": self.format, "encoding": self.encoding, "compressed": self.compressed,
            "rows_read": self.rows_read, "rows_kept": self.rows_kept, "rows_refused": self.rows_refused,
            "columns": dict(self.columns), "ignored_columns": list(self.ignored_columns),
            "party_columns_dropped": len(self.party_columns),
            "counts": dict(self.counts), "issues": [i.to_dict() for i in self.issues],
            "issues_listed_per_code": MAX_DETAIL,
            "batches": [b.to_dict() for b in self.batches],
            "facts": {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in self.facts.items()},
        }


def start_report(kind: str, table: Any, cols: Any) -> QualityReport:
    """A report for ``kind`` with what the reader and the column matcher found."""
    return QualityReport(kind, format=table.format, encoding=table.encoding, compressed=table.compressed,
                         rows_read=len(table.rows), columns=dict(cols.header), ignored_columns=list(cols.ignored),
                         party_columns=list(cols.party))


def poisson_tail(n: int, rate: float) -> float:
    """P(X >= n) for X ~ Poisson(rate), for n above the rate (summed upwards from n, so a tail of
    1e-12 is accurate, unlike 1 minus the lower sum)."""
    if n <= 0:
        return 1.0
    term = math.exp(n * math.log(rate) - rate - math.lgamma(n + 1))
    total, k = term, n
    while term > total * 1e-15 and k < n + 10_000:
        k += 1
        term *= rate / k
        total += term
    return min(total, 1.0)


def detect_batches(filing_dates: Iterable[dt.date]) -> list[BatchDay]:
    """Days whose filings are far above the month's usual daily rate (likely batch filings).

    The usual rate of a month is the median of its daily filings over the days that had any
    (courts file on working days; the median is not moved by the batches themselves). A day is
    flagged when Poisson(rate) gives its count or more with probability below :data:`BATCH_P`
    and the count is at least :data:`BATCH_FACTOR` times the rate.
    """
    per_day = Counter(filing_dates)
    by_month: dict[tuple[int, int], list[tuple[dt.date, int]]] = defaultdict(list)
    for d, n in per_day.items():
        by_month[(d.year, d.month)].append((d, n))
    out: list[BatchDay] = []
    for days in by_month.values():
        counts = np.array([n for _, n in days], dtype=float)
        if len(counts) < 5:  # too few filing days to say what is usual
            continue
        rate = max(float(np.median(counts)), 1.0)
        for d, n in days:
            if n >= BATCH_FACTOR * rate and poisson_tail(n, rate) < BATCH_P:
                out.append(BatchDay(d, n, rate))
    return sorted(out, key=lambda b: b.date)
