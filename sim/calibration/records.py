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
from .parse import (
    CASE_TYPES,
    CaseNumber,
    CellError,
    blank,
    parse_case_number,
    parse_closing_method,
    parse_count,
    parse_date,
    parse_flag,
    parse_procedure,
    text,
)
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


def _row_case_number(row: dict[str, Any], n: int, rep: QualityReport, wanted: set[str], refuse: _Refuse
                     ) -> Optional[CaseNumber]:
    """The row's case number (None when absent or refused), counted under its case type in
    ``rep``; a number of a case type not wanted is refused, naming the wanted types."""
    number: Optional[CaseNumber] = None
    if "case_number" in row:
        try:
            number = parse_case_number(row["case_number"])
            if number is not None:
                _count_type(rep, number.type_code, n, row.get("filing_date"), row.get("closing_date"), wanted)
            if number is None:
                refuse("case_number", "rec_case_number_missing")
            elif wanted and number.type_code not in wanted:
                refuse("case_number", "rec_case_type", str(number), type_code=number.type_code,
                     allowed="、".join(sorted(wanted)))
        except CellError as e:
            refuse("case_number", e.code, text(row["case_number"]))
    return number


def _row_dates(row: dict[str, Any], min_date: dt.date, refuse: _Refuse
               ) -> tuple[Optional[dt.date], Optional[dt.date], bool]:
    """The row's filing and closing dates (None when absent or refused): each readable and not
    before ``min_date``, the filing date present when its column is, closing not before filing;
    and whether the closing date was read (present and readable, though perhaps empty)."""
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
    return filing, closing, "closing_date" in dates


def _parse_row(n: int, row: dict[str, Any], h: dict[str, str], rep: QualityReport, wanted: set[str],
               min_date: dt.date) -> tuple[Optional[Case], Optional[str]]:
    """One row: a Case and the judge's name (kept only until pseudonyms are assigned), or None
    when refused; every problem of the row is reported, not only the first."""
    bad = False

    def refuse(fld: str, code: str, value: Any = None, **params: Any) -> None:
        nonlocal bad
        bad = True
        rep.add(code, n, h.get(fld, fld), value, **params)

    number = _row_case_number(row, n, rep, wanted, refuse)
    filing, closing, closing_read = _row_dates(row, min_date, refuse)

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
        # closed by its mode but with no closing date: neither a pending case (it would count as
        # open, and soon as overdue) nor a closed one (its month is unknown)
        if method is not None and closing is None and closing_read:
            refuse("closing_method", "rec_method_no_closing", text(row["closing_method"]),
                   mode=text(row["closing_method"]), closing=h.get("closing_date", "closing_date"))
    if bad or filing is None:
        return None, None
    team = text(row.get("team")) or None
    judge = None if blank(row.get("judge")) else text(row.get("judge"))
    return Case(row=n, filing=filing, closing=closing, procedure=procedure,
                converted=converted or bool(flags.get("converted")),
                case_number=str(number) if number else None, type_code=number.type_code if number else None,
                team=team, closing_method=method, extended=flags.get("extended"),
                excluded_days=excluded, hearings=counts.get("hearings")), judge


def _count_type(rep: QualityReport, code: str, row: int, filing: Any, closing: Any, wanted: set[str]) -> None:
    """Count a row under its case-type code (read from the case number), with its rows, months
    and open cases, so that a file mixing 民初, 执, 刑初 ... says how many of each it holds."""
    types = rep.facts.setdefault("case_types_found", {})
    t = types.setdefault(code, {"rows": 0, "open": 0, "first_row": row, "last_row": row, "first_month": None,
                                "last_month": None, "kept": not wanted or code in wanted,
                                "category": CASE_TYPES.get(code, "other")})
    t["rows"] += 1
    t["last_row"] = row
    try:
        d = parse_date(filing)
        c = parse_date(closing)
    except CellError:
        return
    if c is None:
        t["open"] += 1
    if d is not None:
        m = f"{d.year:04d}-{d.month:02d}"
        t["first_month"] = m if t["first_month"] is None else min(t["first_month"], m)
        t["last_month"] = m if t["last_month"] is None else max(t["last_month"], m)


def _completeness(c: Case) -> tuple:
    """Which of two rows of one case to keep: one with a closing date over one without (a case
    pulled open in one export and closed in the next), else the first row."""
    return (c.closing is not None, -c.row)


def _drop_duplicates(kept: list[tuple[Case, Optional[str]]], rep: QualityReport, column: str
                     ) -> list[tuple[Case, Optional[str]]]:
    """One row per case number: the first row, refusing the later ones and naming it — except
    that a row with a closing date wins over an earlier one without (two pulls joined: pending
    in one, closed in the next), refusing the others and naming the row kept."""
    groups: dict[str, list[tuple[Case, Optional[str]]]] = {}
    order: list[Any] = []
    for c, j in kept:
        if c.case_number is None:
            order.append((c, j))
            continue
        if c.case_number not in groups:
            groups[c.case_number] = []
            order.append(c.case_number)
        groups[c.case_number].append((c, j))
    out = []
    for item in order:
        if not isinstance(item, str):
            out.append(item)
            continue
        rows = groups[item]
        if len(rows) == 1:
            out.append(rows[0])
            continue
        best = max(rows, key=lambda cj: _completeness(cj[0]))
        for c, _judge in rows:
            if c is best[0]:
                continue
            if best is rows[0]:
                rep.add("rec_duplicate", c.row, column, c.case_number, first_row=best[0].row)
            else:
                rep.add("rec_duplicate_differs", c.row, column, c.case_number, kept_row=best[0].row)
        out.append(best)
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
