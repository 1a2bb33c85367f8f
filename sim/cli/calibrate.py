"""``python -m sim calibrate``: fit the model to a court's records, forecast from the export, write the scenario.

Prints the data-quality summary of each file (case types found, the monthly table against the
records), then the staffing timeline the fit will use (read from the records or the staffing
table) for the user to check: ``--staffing-out FILE`` writes it as a staffing table to correct
and give back with ``--staffing``, and ``--check-only`` stops there. Then (with a progress bar
on stderr) the fit: every parameter with its 95 % range and how it was obtained, what the data
cannot pin, the months that reveal capacity, the replay of the recorded months, the forecast
from the export with its bands, the out-of-sample check against four naive forecasts and the
quality gate, in plain words. Writes the calibrated court (the court as it stood at the export)
to ``--out`` as a scenario YAML, and optionally saves it to the scenario store (``--save``; a
fit that fails the quality gate needs ``--accept-poor-fit``), writes the HTML fit report
(``--report``) and everything as JSON (``--json``). A court with only monthly totals is
calibrated from ``--monthly`` alone (aggregate mode). Exit status 0 on success, 2 for a file
that cannot be used (one line per problem, naming the field and what is allowed), records too
short to fit, or a poor fit saved without confirmation.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable

from ..model.errors import CodedError, ScenarioError
from ..vocabulary import catalogue
from ..vocabulary.calibration_text import (
    fit_summary,
    gate_text,
    open_values_text,
    param_row,
    push_text,
    saturation_text,
    score_text,
    staffing_notes,
    state_text,
    step_text,
    unidentified_text,
    verdict_text,
    word,
)
from ..vocabulary.figure_format import figure_name, figure_value
from .arguments import add_lang, int_range, write_binary, write_output
from .errors import EXIT_BAD_INPUT, EXIT_OK
from .records import _date, _file_head, _issues, _mapping
from .text import table

HEAD = {"zh": ("参数", "估计值", "95% 范围", "来源"), "en": ("Parameter", "Estimate", "95 % range", "How")}
SAY: dict[str, dict[str, str]] = catalogue.by_lang("cli_calibrate")
#: the forecast table's columns, in order (words under "fc.col.<column>")
FORECAST_COLUMNS = ("month", "pending", "pending_band", "closed", "closed_band")


def add_calibrate_command(subparsers: Any) -> None:
    """Register ``calibrate`` on the ``python -m sim`` sub-command parser."""
    p = subparsers.add_parser(
        "calibrate", help="fit the model to a court's records and write the court as it stands at the export",
        description="Import a court's case records (CSV UTF-8/GBK or XLSX), read its judges and staffing month by "
                    "month, estimate demand and mix, fit judge time and preparation by simulation (capacity from "
                    "the months that reveal it), replay the recorded months and forecast from the export with bands "
                    "that hold the estimate's uncertainty, check it out of sample against four naive forecasts, and "
                    "write the court as it stands at the export as a scenario. With --monthly and no case records: "
                    "monthly totals only (aggregate mode).")
    p.add_argument("records", nargs="?", help="case-level records (CSV/XLSX, gzipped or not)")
    p.add_argument("--monthly", metavar="FILE", help="the monthly statistical table (收案数/结案数/未结数 ...)")
    p.add_argument("--staffing", metavar="FILE", help="staffing by month (and team): it wins over the records")
    p.add_argument("--out", metavar="SCENARIO.yaml", help="where to write the calibrated scenario")
    p.add_argument("--staffing-out", metavar="FILE.csv", help="write the staffing timeline as a staffing table")
    p.add_argument("--check-only", action="store_true", help="stop after the data check and the staffing timeline")
    p.add_argument("--report", metavar="fit.html", help="also write the fit report as one HTML page")
    p.add_argument("--xlsx", metavar="PATH", help="also write the estimates and the replay as an Excel workbook (XLSX)")
    p.add_argument("--save", metavar="NAME", help="also save the calibrated scenario to the scenario store")
    p.add_argument("--overwrite", action="store_true", help="with --save: replace a saved scenario of that name")
    p.add_argument("--accept-poor-fit", action="store_true",
                   help="with --save: save a fit that fails the quality gate all the same")
    p.add_argument("--template", metavar="FILE", help="scenario whose hearings, calendar and support are used "
                                                     "(default scenarios/baseline.yaml)")
    p.add_argument("--months", type=int_range("--months", 1, 120), default=24,
                   help="months the calibrated scenario runs for (default 24)")
    p.add_argument("--forecast", type=int_range("--forecast", 0, 24), default=6,
                   help="months forecast from the export with bands (default 6; 0 = none)")
    p.add_argument("--holdout", type=int_range("--holdout", 0, 24), default=6,
                   help="months held out for the out-of-sample check (default 6; 0 = none)")
    p.add_argument("--replications", type=int_range("--replications", 2, 200), default=10,
                   help="replications of the replay and the forecasts (default 10)")
    p.add_argument("--export-date", type=_date, metavar="YYYY-MM-DD",
                   help="day the records were exported (default: inferred from the dates)")
    p.add_argument("--mapping", metavar="JSON", help='your headers of the case records to fields, e.g. '
                                                     '\'{"我的列名": "filing_date"}\'')
    p.add_argument("--monthly-mapping", metavar="JSON", help="the same for the monthly table")
    p.add_argument("--staffing-mapping", metavar="JSON", help="the same for the staffing table")
    p.add_argument("--types", default="民初", metavar="CODES",
                   help="case-type codes to keep, comma-separated (default 民初); 'all' keeps every type")
    p.add_argument("--json", metavar="PATH|-", help="write the fit, replay, forecast and checks as JSON to PATH, or "
                                                   "stdout with -")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    add_lang(p)
    p.set_defaults(func=cmd_calibrate)


def _bar(quiet: bool, desc: str):
    if quiet:
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=1, desc=desc, file=sys.stderr, leave=False)

    def cb(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()
    return bar, cb


def _under_bar(quiet: bool, desc: str, step: Callable[[Any], Any]) -> Any:
    """``step(progress)`` under a progress bar named ``desc`` (none when quiet), the bar closed
    whatever happens."""
    bar, cb = _bar(quiet, desc)
    try:
        return step(cb)
    finally:
        if bar:
            bar.close()


def _load(name: str, fn: Any) -> Any:
    try:
        return fn()
    except (ScenarioError, CodedError) as exc:
        exc.source = name  # type: ignore[attr-defined]
        raise


def type_lines(lang: str, facts: dict) -> list[str]:
    """The case types a file holds, each counted under its own code."""
    found = facts.get("case_types_found") or {}
    if len(found) <= 1:
        return []
    s = SAY[lang]
    out = [s["types.head"]]
    for code, t in sorted(found.items(), key=lambda kv: -kv[1]["rows"]):
        out.append(s["type.line"].format(code=code, category=SAY[lang].get(f"category.{t['category']}", t["category"]),
                                         rows=t["rows"], open=t["open"], first=t["first_month"] or "—",
                                         last=t["last_month"] or "—", first_row=t["first_row"],
                                         last_row=t["last_row"], kept=s["type.kept" if t["kept"] else "type.not_kept"]))
    return out


def mismatch_lines(lang: str, mismatches: list[dict]) -> list[str]:
    """Months where the monthly table and the case records disagree."""
    if not mismatches:
        return []
    s = SAY[lang]
    return [s["mismatch.head"]] + [s["mismatch"].format(month=m["month"], figure=figure_name(lang, {
        "pending": "pending_end"}.get(m["figure"], m["figure"])), table=m["table"], row=m["row"],
        records=m["records"]) for m in mismatches[:40]]


def staffing_lines(lang: str, staffing: Any, start: Any, months: int) -> list[str]:
    """The staffing timeline: judges of each team on each month's first day, who joined and left."""
    rows = staffing.monthly(start, months)
    teams = [t.name for t in staffing.teams]
    by_month: dict[str, dict[str, dict]] = {}
    for r in rows:
        by_month.setdefault(r["month"], {})[r["team"]] = r
    s = SAY[lang]
    body = []
    for month, per in by_month.items():
        changes = []
        for r in per.values():
            changes += [f"+{j}" for j in r["joined"]] + [f"−{j}" for j in r["left"]]
        body.append([month] + [str(per[t]["judges"]) for t in teams] + [" ".join(changes)])
    out = [s["staffing.head"]] + ["  " + x for x in staffing_notes(lang, staffing)]
    out += ["  " + x for x in table([s["col.month"]] + teams + [s["col.changes"]], body,
                                    right=tuple(range(1, len(teams) + 1)))]
    return out


def forecast_lines(lang: str, fc: Any) -> list[str]:
    """The forecast from the export: pending and closings per month with their bands."""
    pe, cl = fc.series["pending_end"], fc.series["closed"]

    def band(s: Any, k: int, fig: str) -> str:
        return f"{figure_value(lang, fig, s.low[k])} – {figure_value(lang, fig, s.high[k])}"

    body = [[m, figure_value(lang, "pending_end", pe.mean[k]), band(pe, k, "pending_end"),
             figure_value(lang, "closed", cl.mean[k]), band(cl, k, "closed")] for k, m in enumerate(pe.months)]
    return ["  " + x for x in table([SAY[lang][f"fc.col.{c}"] for c in FORECAST_COLUMNS], body, right=(1, 2, 3, 4))]


def fit_lines(lang: str, fit: Any) -> list[str]:
    """The fit in words: parameters, what the data cannot pin, capacity, push, step, starting state."""
    rows = [param_row(lang, p) for p in fit.params()]
    out = table(HEAD[lang], [[r["name"], r["value"], r["range"], r["method"]] for r in rows], right=(1, 2))
    out += [fit_summary(lang, fit), unidentified_text(lang, fit.unidentified())]
    extra = [open_values_text(lang, fit), *saturation_text(lang, fit), push_text(lang, fit), step_text(lang, fit),
             state_text(lang, fit.estimates.state)]
    if fit.estimates.extra.get("assumed_support"):
        extra.append(word(lang, "assumed"))
    if fit.estimates.extra.get("assumed_age"):
        extra.append(word(lang, "assumed.age"))
    return out + [x for x in extra if x]


def _read_files(a: argparse.Namespace, lang: str) -> tuple[Any, Any, Any, list[str]]:
    from ..calibration.monthly import compare_with_table, derive_monthly
    from ..calibration.records import import_cases
    from ..calibration.totals import import_monthly, import_staffing

    types = None if a.types.strip().lower() == "all" else tuple(t.strip() for t in a.types.split(",") if t.strip())
    imp = mon = stf = None
    lines: list[str] = []
    if a.records:
        imp = _load(a.records, lambda: import_cases(a.records, _mapping(a.mapping), a.export_date, types))
        lines += _file_head(lang, "cases", a.records, imp.report) + _issues(lang, imp.report)
        lines += type_lines(lang, imp.report.facts)
    if a.monthly:
        mon = _load(a.monthly, lambda: import_monthly(a.monthly, _mapping(a.monthly_mapping)))
        lines += [""] + _file_head(lang, "monthly", a.monthly, mon.report) + _issues(lang, mon.report)
        if imp is not None and imp.cases:
            lines += mismatch_lines(lang, compare_with_table(derive_monthly(imp.cases, imp.export_date), mon.rows))
    if a.staffing:
        stf = _load(a.staffing, lambda: import_staffing(a.staffing, _mapping(a.staffing_mapping)))
        lines += [""] + _file_head(lang, "staffing", a.staffing, stf.report) + _issues(lang, stf.report)
    return imp, mon, stf, lines


def _save(a: argparse.Namespace, s: dict[str, str], scn: Any, gate: Any, out: list[str]) -> int:
    """``--save NAME``: into the scenario store when the fit passed the quality gate or the user
    accepted a poor one (said in ``out``); the exit status."""
    if not a.save:
        return EXIT_OK
    if not (gate.ok or a.accept_poor_fit):
        print("error: " + s["poor.refused"], file=sys.stderr)
        return EXIT_BAD_INPUT
    from ..store.scenario_store import ScenarioStore

    saved = ScenarioStore().save(scn, a.save, overwrite=a.overwrite)
    out.append(s["saved"].format(name=saved.name))
    return EXIT_OK


def _write_files(a: argparse.Namespace, lang: str, s: dict[str, str], out: list[str], *, fit: Any, rp: Any, fc: Any,
                 oos: Any, gate: Any, imp: Any, mon: Any, cases: list) -> None:
    """The files asked for: the fit report (``--report``), the workbook (``--xlsx``) and the
    JSON (``--json``); each report written is said in ``out``."""
    if a.report:
        from ..report.calibration_report import render_report

        write_output(a.report, render_report(fit, rp, len(cases), lang, oos, fc, gate))
        out.append(s["report"].format(path=a.report))
    if a.xlsx:
        from ..report.tables_studies import calibration_xlsx

        write_binary(a.xlsx, calibration_xlsx(fit, rp, lang, fc=fc, oos=oos))
    if a.json:
        data = {"fit": fit.to_dict(), "replay": rp.to_dict(), "forecast": fc.to_dict() if fc else None,
                "out_of_sample": oos.to_dict() if oos else None, "gate": gate.to_dict(),
                "quality": imp.report.to_dict() if imp else None,
                "monthly_quality": mon.report.to_dict() if mon else None}
        write_output(a.json, json.dumps(data, ensure_ascii=False, indent=1, default=str))


def cmd_calibrate(a: argparse.Namespace) -> int:
    """Run ``calibrate``; returns the exit status."""
    from ..calibration.aggregate import calibrate_totals
    from ..calibration.calibrated import forecast_scenario, origin_after
    from ..calibration.direct import estimate
    from ..calibration.fit import calibrate
    from ..calibration.gate import judge
    from ..calibration.replay import forecast, out_of_sample, replay
    from ..model.scenario import dump_yaml, load_scenario
    from ..vocabulary.messages import render

    lang = a.lang
    s = SAY[lang]
    if not a.records and not a.monthly:
        raise CodedError("option_usage", detail="give the case records, or --monthly FILE for monthly totals only")
    if not a.out and not a.check_only:
        raise CodedError("option_usage", detail="--out SCENARIO.yaml is needed (or --check-only)")
    template = _load(a.template, lambda: load_scenario(a.template)) if a.template else None
    imp, mon, stf, lines = _read_files(a, lang)
    if imp is not None and not imp.cases:
        print("\n".join(lines), file=sys.stderr)
        print("error: " + f"{a.records}: " + render("rec_no_rows", {}, lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    aggregate = imp is None
    if aggregate:
        from ..calibration.aggregate import estimate_totals

        est = estimate_totals(mon, stf, template)
    else:
        est = estimate(imp, mon, stf, template=template)
    lines += [""] + staffing_lines(lang, est.staffing, est.start, est.months)
    if a.staffing_out:
        from ..report.tables_studies import staffing_timeline_csv

        write_binary(a.staffing_out, staffing_timeline_csv(est.staffing, est.start, est.months, lang).encode("utf-8"))
        lines.append(s["staffing.wrote"].format(path=a.staffing_out))
    if a.json != "-":
        sys.stdout.write("\n".join(lines) + "\n\n")
        sys.stdout.flush()
    if a.check_only:
        if a.json:
            write_output(a.json, json.dumps({"staffing": est.staffing.to_dict(est.start, est.months),
                                             "quality": imp.report.to_dict() if imp else None},
                                            ensure_ascii=False, indent=1, default=str))
        return EXIT_OK

    def fitted(cb: Any) -> Any:
        if aggregate:
            return calibrate_totals(mon, stf, template, progress=cb, estimates=est)
        return calibrate(imp, mon, stf, template=template, progress=cb)
    fit = _under_bar(a.quiet, s["fitting"], fitted)
    rp = replay(fit, fit.estimates.extra["monthly"].rows, a.replications)
    cases = [] if aggregate else imp.cases
    fc = None
    if a.forecast:
        fc = _under_bar(a.quiet, s["forecast"], lambda cb: forecast(
            fit, cases, origin_after(fit.estimates.extra["export_date"]), a.forecast, max(a.replications, 20),
            progress=cb))
    oos, why = None, ""
    if a.holdout:
        try:
            oos = _under_bar(a.quiet, s["oos"], lambda cb: out_of_sample(
                imp, fit, mon, stf, holdout=a.holdout, replications=a.replications, progress=cb,
                aggregate=aggregate))
        except CodedError as exc:
            why = exc.text(lang)
    gate = judge(fit, oos)

    out = fit_lines(lang, fit) + ["", s["replay"].format(n=rp.replications)]
    out += ["  " + score_text(lang, f, x.coverage, x.mape) for f, x in rp.series.items()]
    if fc is not None:
        out += ["", word(lang, "forecast.head", months=a.forecast, reps=fc.replications)] + forecast_lines(lang, fc)
    if oos is not None:
        out += ["", word(lang, "oos.head", fit=fit.estimates.months - oos.holdout, holdout=oos.holdout)]
        out += ["  " + verdict_text(lang, f, d) for f, d in oos.naive.items()]
    elif why:
        out += ["", s["oos.skip"].format(why=why)]
    out += ["", gate_text(lang, gate, with_oos=oos is not None)]

    scn = forecast_scenario(fit, imp, months=a.months, gate=gate)
    write_output(a.out, dump_yaml(scn))
    out += ["", s["wrote"].format(path=a.out, start=scn.start_date.isoformat(), months=scn.horizon_months)]
    status = _save(a, s, scn, gate, out)
    _write_files(a, lang, s, out, fit=fit, rp=rp, fc=fc, oos=oos, gate=gate, imp=imp, mon=mon, cases=cases)
    if a.json != "-":
        sys.stdout.write("\n".join(out) + "\n")
    return status
