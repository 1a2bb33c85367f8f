"""Case-level records: a court's export read, checked and normalised into :class:`Case` rows.

Only the columns the model needs are read (case number, filing and closing dates, procedure,
team, presiding judge, how the case closed, extension, excluded days, conversion, hearings);
each row is cut down to them before any cell is parsed, so party names and every other column
never leave the file. Presiding judges are replaced by pseudonyms (J01, J02, ...) numbered in
the order of each judge's first case (filing date, then case number), so the same file gives
the same pseudonyms whatever its row order; the names themselves are not kept.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional, Sequence

from ..model.errors import ScenarioError
from .columns import match_columns, project
from .parse import (CaseNumber, CellError, blank, parse_case_number, parse_closing_method, parse_count,
                    parse_date, parse_flag, parse_procedure, text)
from .quality import QualityReport, detect_batches, start_report
from .readers import Source, Table, read_table

#: earliest date accepted in a record (a court's electronic records do not go further back)
MIN_DATE = dt.date(2000, 1, 1)
#: the case-type codes kept by default: civil first instance, what the model represents
DEFAULT_TYPES: tuple[str, ...] = ("民初",)
#: most excluded days and hearings a case can plausibly carry
MAX_EXCLUDED_DAYS = 3650
MAX_HEARINGS = 100


@dataclass(slots=True)
class Case:
    """One case as the model needs it (no party, no judge name)."""

    row: int                          # spreadsheet row it came from
    filing: dt.date
    closing: Optional[dt.date]        # None while pending at the export date (censored)
    procedure: str                    # the engine's key: small_claims, simple, ordinary, ...
    converted: bool = False           # 简转普: governed by ordinary procedure from the original filing
    case_number: Optional[str] = None  # canonical （2024）豫0403民初1234号
    type_code: Optional[str] = None
    team: Optional[str] = None
    judge: Optional[str] = None       # pseudonym J01, J02, ...
    closing_method: Optional[str] = None
    extended: Optional[bool] = None   # None: not recorded
    excluded_days: int = 0
    hearings: Optional[int] = None

    @property
    def governing_procedure(self) -> str:
        """The procedure whose limit applies (ordinary after conversion)."""
        return "ordinary" if self.converted else self.procedure

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "case_number": self.case_number, "type_code": self.type_code,
                "filing": self.filing.isoformat(), "closing": self.closing.isoformat() if self.closing else None,
                "procedure": self.procedure, "converted": self.converted, "team": self.team, "judge": self.judge,
                "closing_method": self.closing_method, "extended": self.extended,
                "excluded_days": self.excluded_days, "hearings": self.hearings}


@dataclass
class CaseImport:
    """The kept cases, the quality report, and the export date used for censoring."""

    cases: list[Case]
    report: QualityReport
    export_date: dt.date
    judges: int = 0                   # distinct presiding judges (pseudonymised)
    extra: dict[str, Any] = field(default_factory=dict)


def import_cases(source: Source | Table, mapping: Optional[Mapping[str, Optional[str]]] = None,
                 export_date: Optional[dt.date] = None, case_types: Optional[Sequence[str]] = DEFAULT_TYPES,
                 min_date: dt.date = MIN_DATE) -> CaseImport:
    """Read and check a court's case-level export.

    ``mapping`` names the file's own headers that the synonyms do not know
    (``{"我的列名": "filing_date"}``). ``export_date`` is the day the data were pulled: cases
    with no closing date were pending then (right-censored), and no date may lie after it; by
    default it is the latest date in the file. ``case_types`` keeps only those case-type codes
    (read from the case number; ``None`` or empty keeps every type). Dates before ``min_date``
    are refused as out of range.

    Raises :class:`~sim.calibration.readers.RecordsFileError` for an unusable file and
    :class:`~sim.model.errors.ScenarioError` (one problem per column or mapping entry) when the
    columns cannot be matched; every row-level problem goes into the report instead.
    """
    table = source if isinstance(source, Table) else read_table(source)
    cols, errors = match_columns("cases", table.header, mapping)
    if errors:
        raise ScenarioError(errors)
    rep = start_report("cases", table, cols)
    h = cols.header
    wanted = set(case_types or ())
    pending_rows: list[tuple[Case, Optional[str]]] = []
    for n, row in project(table.rows, table.row_numbers, cols):
        case, judge_name = _parse_row(n, row, h, rep, wanted, min_date)
        if case is not None:
            pending_rows.append((case, judge_name))

    # export date: given, or the latest date in the file; no kept date may lie after it
    if export_date is None:
        export_date = infer_export_date(pending_rows)
        rep.facts["export_date_inferred"] = True
    rep.facts["export_date"] = export_date
    kept: list[tuple[Case, Optional[str]]] = []
    for c, j in pending_rows:
        for fld, d in (("filing_date", c.filing), ("closing_date", c.closing)):
            if d is not None and d > export_date:
                rep.add("rec_date_after_export", c.row, h[fld], d.isoformat(), hi=export_date.isoformat())
                break
        else:
            kept.append((c, j))

    kept = _drop_duplicates(kept, rep, h.get("case_number", ""))
    cases = [c for c, _ in kept]
    n_judges = _pseudonymise(kept)
    rep.rows_kept = len(cases)
    rep.facts["pending_at_export"] = sum(c.closing is None for c in cases)
    rep.facts["case_types"] = sorted(wanted) if wanted and "case_number" in h else []
    if wanted and "case_number" not in h:
        rep.facts["type_filter_skipped"] = True  # no case numbers: the category cannot be read
    rep.batches = detect_batches(c.filing for c in cases)
    return CaseImport(cases=cases, report=rep, export_date=export_date, judges=n_judges)


#: closing dates more than this many days after the latest filing are not taken as the export date
EXPORT_GAP_DAYS = 31
#: distinct filing days needed before a late closing date is doubted
MIN_FILING_DAYS = 60


def infer_export_date(rows: Sequence[tuple[Case, Optional[str]]]) -> dt.date:
    """The day the data were pulled, when not given: the latest date in the file, except that
    closings more than :data:`EXPORT_GAP_DAYS` after the latest filing are not believed (a
    court files cases every working day up to the export, so such a date is a typing error,
    and it is refused as after the export date rather than allowed to move the export date).
    The rule needs filings on at least :data:`MIN_FILING_DAYS` days to say what "every working
    day" is; a smaller file's export date is simply its latest date."""
    if not rows:
        return dt.date.today()
    last_filing = max(c.filing for c, _ in rows)
    ceiling = last_filing + dt.timedelta(days=EXPORT_GAP_DAYS)
    if len({c.filing for c, _ in rows}) < MIN_FILING_DAYS:
        ceiling = dt.date.max
    return max([last_filing] + [c.closing for c, _ in rows if c.closing is not None and c.closing <= ceiling])


_Refuse = Callable[..., None]


def _row_case_number(row: dict[str, Any], wanted: set[str], refuse: _Refuse) -> Optional[CaseNumber]:
    """The row's case number (None when absent or refused); a number of a case type not wanted
    is refused, naming the wanted types."""
    number: Optional[CaseNumber] = None
    if "case_number" in row:
        try:
            number = parse_case_number(row["case_number"])
            if number is None:
                refuse("case_number", "rec_case_number_missing")
            elif wanted and number.type_code not in wanted:
                refuse("case_number", "rec_case_type", str(number), type_code=number.type_code,
                     allowed="、".join(sorted(wanted)))
        except CellError as e:
            refuse("case_number", e.code, text(row["case_number"]))
    return number


def _row_dates(row: dict[str, Any], min_date: dt.date, refuse: _Refuse
               ) -> tuple[Optional[dt.date], Optional[dt.date]]:
    """The row's filing and closing dates (None when absent or refused): each readable and not
    before ``min_date``, the filing date present when its column is, closing not before filing."""
    dates: dict[str, Optional[dt.date]] = {}
    for fld in ("filing_date", "closing_date"):
        try:
            d = parse_date(row.get(fld))
        except CellError as e:
            refuse(fld, e.code, text(row.get(fld)))
            continue
        if d is not None and d < min_date:
            refuse(fld, "rec_date_too_early", d.isoformat(), lo=min_date.isoformat())
            continue
        dates[fld] = d
    if "filing_date" in dates and dates["filing_date"] is None:
        refuse("filing_date", "rec_filing_missing")
    filing, closing = dates.get("filing_date"), dates.get("closing_date")
    if filing and closing and closing < filing:
        refuse("closing_date", "rec_closing_before_filing", closing.isoformat(), filing=filing.isoformat())
    return filing, closing


def _parse_row(n: int, row: dict[str, Any], h: dict[str, str], rep: QualityReport, wanted: set[str],
               min_date: dt.date) -> tuple[Optional[Case], Optional[str]]:
    """One row: a Case and the judge's name (kept only until pseudonyms are assigned), or None
    when refused; every problem of the row is reported, not only the first."""
    bad = False

    def refuse(fld: str, code: str, value: Any = None, **params: Any) -> None:
        nonlocal bad
        bad = True
        rep.add(code, n, h.get(fld, fld), value, **params)

    number = _row_case_number(row, wanted, refuse)
    filing, closing = _row_dates(row, min_date, refuse)

    procedure, converted = "", False
    try:
        procedure, converted = parse_procedure(row.get("procedure"))
    except CellError as e:
        refuse("procedure", e.code, text(row.get("procedure")) or None)

    flags: dict[str, Optional[bool]] = {}
    for fld in ("extended", "converted"):
        if fld in row:
            try:
                flags[fld] = parse_flag(row[fld])
            except CellError as e:
                refuse(fld, e.code, text(row[fld]))
    counts: dict[str, Optional[int]] = {}
    for fld, hi in (("excluded_days", MAX_EXCLUDED_DAYS), ("hearings", MAX_HEARINGS)):
        if fld in row:
            try:
                counts[fld] = parse_count(row[fld], hi)
            except CellError as e:
                refuse(fld, e.code, text(row[fld]), hi=hi)
    excluded = counts.get("excluded_days") or 0
    if filing and closing and closing >= filing and excluded > (closing - filing).days:
        refuse("excluded_days", "rec_excluded_too_long", excluded, days=(closing - filing).days)

    method = None
    if "closing_method" in row:
        try:
            method = parse_closing_method(row["closing_method"])
        except CellError as e:
            rep.add(e.code, n, h["closing_method"], text(row["closing_method"]), refused=False)
            method = "other"
    if bad or filing is None:
        return None, None
    team = text(row.get("team")) or None
    judge = None if blank(row.get("judge")) else text(row.get("judge"))
    return Case(row=n, filing=filing, closing=closing, procedure=procedure,
                converted=converted or bool(flags.get("converted")),
                case_number=str(number) if number else None, type_code=number.type_code if number else None,
                team=team, closing_method=method, extended=flags.get("extended"),
                excluded_days=excluded, hearings=counts.get("hearings")), judge


def _drop_duplicates(kept: list[tuple[Case, Optional[str]]], rep: QualityReport, column: str
                     ) -> list[tuple[Case, Optional[str]]]:
    """Keep the first row of each case number; refuse the later ones, naming the first row."""
    first: dict[str, int] = {}
    out = []
    for c, j in kept:
        if c.case_number is not None:
            if c.case_number in first:
                rep.add("rec_duplicate", c.row, column, c.case_number, first_row=first[c.case_number])
                continue
            first[c.case_number] = c.row
        out.append((c, j))
    return out


def _pseudonymise(kept: list[tuple[Case, Optional[str]]]) -> int:
    """Replace judges' names by J01, J02, ... in the order of each judge's first case."""
    firsts: dict[str, tuple] = {}
    for c, name in kept:
        if name is None:
            continue
        key = (c.filing, c.case_number or "", c.row)
        if name not in firsts or key < firsts[name]:
            firsts[name] = key
    order = sorted(firsts, key=lambda nm: firsts[nm])
    width = max(2, len(str(len(order))))
    alias = {nm: f"J{i + 1:0{width}d}" for i, nm in enumerate(order)}
    for c, name in kept:
        c.judge = alias.get(name) if name is not None else None
    return len(alias)
