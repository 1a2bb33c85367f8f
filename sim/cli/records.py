"""``python -m sim import-records``: import a court's records and print the quality report.

Prints what was read and kept, every reason rows were refused (with the first rows of each),
batch filings, the pending cases at the export date (censored) with disposition times
estimated with them, and the derived monthly table. ``--json`` writes everything as data.
Exit status 0 when the files were usable (even with refused rows), 2 when a file cannot be
used at all, with one line per problem.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any, Optional

from ..model.errors import CodedError, ScenarioError, short_repr
from ..vocabulary import catalogue
from ..vocabulary.figure_format import counted, figure_name, figure_value
from ..vocabulary.messages import os_reason, render
from .text import table

#: refused rows shown one by one per reason on the screen (the JSON has up to MAX_DETAIL)
SHOWN_PER_CODE = 5

TEXT: dict[str, dict[str, str]] = catalogue.by_lang("cli_records")


def say(lang: str, key: str, **kw: Any) -> str:
    """The sentence ``key`` of this command in ``lang``."""
    s = TEXT[lang][key]
    return s.format(**kw) if kw else s


def _mapping(text: Optional[str]) -> Optional[dict]:
    """``--mapping``: a JSON object inline, or the path of a JSON file holding one."""
    if text is None:
        return None
    from pathlib import Path

    raw = text
    if not text.lstrip().startswith("{"):
        try:
            raw = Path(text).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CodedError("rec_mapping_json", reason="bad_text" if isinstance(exc, UnicodeDecodeError)
                             else os_reason(exc)) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CodedError("rec_mapping_json_at", line=exc.lineno, column=exc.colno) from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and (v is None or isinstance(v, str))
                                             for k, v in data.items()):
        raise CodedError("rec_mapping_json", reason=short_repr(data))
    return data


def _date(text: str) -> dt.date:
    from ..calibration.parse import CellError, parse_date

    try:
        d = parse_date(text)
    except CellError:
        d = None
    if d is None:
        raise argparse.ArgumentTypeError(render("date_invalid", {}, "en"))
    return d


def _month(text: str) -> dt.date:
    from ..calibration.parse import CellError, parse_month

    try:
        ym = parse_month(text)
    except CellError:
        ym = None
    if ym is None:
        raise argparse.ArgumentTypeError(render("rec_month_unparseable", {}, "en"))
    return dt.date(ym[0], ym[1], 1)


def add_import_command(subparsers: Any) -> None:
    """Register ``import-records`` on the ``python -m sim`` sub-command parser."""
    from .arguments import add_lang

    p = subparsers.add_parser(
        "import-records", help="import a court's case records (or monthly table) and check their quality",
        description="Read a court's export (CSV in UTF-8 or GBK, XLSX; gzipped or not), keep only the "
                    "columns the model needs, report every row refused and why, and derive the monthly "
                    "table (carried over, filed, closed, pending, within-limit closures).")
    p.add_argument("records", nargs="?", help="case-level records (CSV/XLSX)")
    p.add_argument("--monthly", metavar="FILE", help="a monthly statistical table (旧存/新收/结案/未结...)")
    p.add_argument("--staffing", metavar="FILE", help="staffing by month and team (法官/法官助理/书记员)")
    p.add_argument("--mapping", metavar="JSON", help='your headers to fields, e.g. \'{"我的列名": "filing_date"}\' '
                                                     "(inline JSON or a JSON file)")
    p.add_argument("--from", dest="start", type=_month, metavar="YYYY-MM",
                   help="first month of the derived table (default: from the earliest closing date)")
    p.add_argument("--export-date", type=_date, metavar="YYYY-MM-DD",
                   help="day the records were exported (default: inferred from the dates)")
    p.add_argument("--types", default="民初", metavar="CODES",
                   help="case-type codes to keep, comma-separated (default 民初); 'all' keeps every type")
    p.add_argument("--json", metavar="PATH|-", help="write the report and tables as JSON to PATH, or stdout with -")
    add_lang(p)
    p.set_defaults(func=cmd_import)


def _file_head(lang: str, kind: str, name: str, rep: Any) -> list[str]:
    enc = f", {rep.encoding}" if rep.encoding else ""
    lines = [say(lang, "file", kind=say(lang, f"kind.{kind}"), file=name, format=rep.format.upper(), encoding=enc,
                 gz=say(lang, "gz") if rep.compressed else "", read=rep.rows_read, kept=rep.rows_kept,
                 refused=rep.rows_refused)]
    lines.append(say(lang, "columns", cols=", ".join(f"{f}←{h}" for f, h in rep.columns.items())))
    if rep.ignored_columns:
        lines.append(say(lang, "ignored", n=len(rep.ignored_columns)))
    if rep.party_columns:
        lines.append(say(lang, "party", n=len(rep.party_columns)))
    return lines


def _issues(lang: str, rep: Any) -> list[str]:
    if not rep.counts:
        return [say(lang, "no_issues")]
    lines = [say(lang, "issues")]
    rows = [[render(code, _sample_params(rep, code), lang),
             str(n), say(lang, "refused" if refused else "warning")] for code, n, refused in rep.by_code()]
    lines += ["  " + r for r in table([say(lang, "col.reason"), say(lang, "col.rows"), say(lang, "col.kind")],
                                       rows, right=(1,))]
    for code, n, _ in rep.by_code():
        shown = [i for i in rep.issues if i.code == code][:SHOWN_PER_CODE]
        for i in shown:
            value = f" {i.value}" if i.value is not None else ""
            lines.append(say(lang, "row", row=i.row, column=i.column, value=value, text=i.text(lang)))
        if n > len(shown):
            lines.append(say(lang, "more", n=n - len(shown)))
    return lines


def _sample_params(rep: Any, code: str) -> dict:
    """The parameters of the first issue of ``code``, so the reason line reads in full."""
    for i in rep.issues:
        if i.code == code:
            return {"column": i.column, **i.params}
    return {}


def _proc_name(lang: str, p: str) -> str:
    return say(lang, "group.all") if p == "all" else TEXT[lang].get(f"proc.{p}", p)


def _cases_text(lang: str, name: str, imp: Any, mt: Any, durs: dict) -> list[str]:
    rep = imp.report
    lines = _file_head(lang, "cases", name, rep)
    if imp.judges:
        lines.append(say(lang, "judges", n=imp.judges))
    if rep.facts.get("case_types"):
        lines.append(say(lang, "types", types="、".join(rep.facts["case_types"])))
    elif rep.facts.get("type_filter_skipped"):
        lines.append(say(lang, "types.skipped"))
    lines.append(say(lang, "export", date=imp.export_date.isoformat(),
                     how=say(lang, "export.inferred") if rep.facts.get("export_date_inferred") else "",
                     pending=counted(lang, mt.pending_at_export, "case")))
    lines += _issues(lang, rep)
    if rep.batches:
        lines.append(say(lang, "batches"))
        lines += [say(lang, "batch", date=b.date.isoformat(), filed=counted(lang, b.filed, "case"),
                      expected=f"{b.expected:.0f}") for b in rep.batches[:20]]
    else:
        lines.append(say(lang, "batches.none"))
    lines.append(say(lang, "durations"))
    head = [say(lang, k) for k in ("col.group", "col.cases", "col.closed", "col.censored", "col.naive",
                                   "col.median", "col.p90")]
    rows = [[_proc_name(lang, p), str(d.cases), str(d.closed), str(d.censored),
             figure_value(lang, "disposition_days_mean", d.closed_mean),
             figure_value(lang, "disposition_days_median", d.km_median),
             figure_value(lang, "disposition_days_p90", d.km_p90)] for p, d in durs.items()]
    lines += ["  " + r for r in table(head, rows, right=(1, 2, 3, 4, 5, 6))]
    if mt.rows:
        lines.append(say(lang, "period", start=mt.rows[0].month, end=mt.rows[-1].month,
                         how=say(lang, "period.inferred") if mt.start_inferred else ""))
        if mt.closed_before_start:
            lines.append(say(lang, "closed_before", n=mt.closed_before_start))
        head = [say(lang, "col.month"), say(lang, "col.carried"), figure_name(lang, "filed"),
                figure_name(lang, "closed"), figure_name(lang, "pending_end"), say(lang, "col.within"),
                figure_name(lang, "within_limit_rate"), say(lang, "col.still")]
        rows = [[r.month + (say(lang, "partial") if r.partial else ""), str(r.carried_over), str(r.filed),
                 str(r.closed), str(r.pending), str(r.within_limit),
                 figure_value(lang, "within_limit_rate", r.within_limit_rate if r.closed else None),
                 str(r.filed_still_pending)] for r in mt.rows]
        lines += ["  " + r for r in table(head, rows, right=(1, 2, 3, 4, 5, 6, 7))]
    return lines


def cmd_import(a: argparse.Namespace) -> int:
    """Run ``import-records``; returns the exit status."""
    from ..calibration.durations import by_procedure
    from ..calibration.monthly import derive_monthly
    from ..calibration.records import import_cases
    from ..calibration.totals import import_monthly, import_staffing
    from .errors import EXIT_BAD_INPUT, EXIT_OK, print_errors

    if not (a.records or a.monthly or a.staffing):
        raise CodedError("option_usage", detail="give a records file, --monthly FILE or --staffing FILE")
    mapping = _mapping(a.mapping)
    types = None if a.types.strip().lower() == "all" else tuple(t.strip() for t in a.types.split(",") if t.strip())
    lines: list[str] = []
    out: dict[str, Any] = {}
    unusable: list[str] = []

    def run(name: str, fn: Any) -> Any:
        try:
            return fn()
        except (ScenarioError, CodedError) as exc:
            exc.source = name  # type: ignore[attr-defined]
            print_errors(exc, a.lang)
            unusable.append(name)
            return None

    if a.records:
        imp = run(a.records, lambda: import_cases(a.records, mapping, a.export_date, types))
        if imp is not None:
            mt = derive_monthly(imp.cases, imp.export_date, a.start)
            durs = by_procedure(imp.cases, imp.export_date, since=mt.start)
            lines += _cases_text(a.lang, a.records, imp, mt, durs)
            out["cases"] = {"report": imp.report.to_dict(), "judges": imp.judges, "monthly": mt.to_dict(),
                            "durations": {p: d.to_dict() for p, d in durs.items()}}
            if not imp.cases:
                print("error: " + f"{a.records}: " + render("rec_no_rows", {}, a.lang), file=sys.stderr)
                unusable.append(a.records)
    if a.monthly:
        mon = run(a.monthly, lambda: import_monthly(a.monthly, mapping))
        if mon is not None:
            lines += [""] + _file_head(a.lang, "monthly", a.monthly, mon.report) + _issues(a.lang, mon.report)
            if mon.rows:
                lines.append(say(a.lang, "monthly.rows", n=len(mon.rows), first=mon.rows[0].month,
                                 last=mon.rows[-1].month))
            out["monthly_table"] = {"report": mon.report.to_dict(), **mon.to_dict()}
    if a.staffing:
        st = run(a.staffing, lambda: import_staffing(a.staffing, mapping))
        if st is not None:
            lines += [""] + _file_head(a.lang, "staffing", a.staffing, st.report) + _issues(a.lang, st.report)
            lines.append(say(a.lang, "staffing.rows", months=len({r.month for r in st.rows}),
                             teams=len({r.team for r in st.rows})))
            out["staffing"] = {"report": st.report.to_dict(), **st.to_dict()}
    if a.json:
        from .arguments import write_output

        write_output(a.json, json.dumps(out, ensure_ascii=False, indent=1))
    if a.json != "-" and lines:
        sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_BAD_INPUT if unusable else EXIT_OK
