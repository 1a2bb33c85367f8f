"""``python -m sim calibrate``: fit the model to a court's records, replay its history, write the scenario.

Prints the data-quality summary of each file, then (with a progress bar on stderr) the fit:
every parameter with its 95 % range and how it was obtained, the parameters the data leave
open, the replay's coverage and error per figure, and the out-of-sample check against two
naive forecasts in plain words. Writes the calibrated court (from the month after the records)
to ``--out`` as a scenario YAML, and optionally saves it to the scenario store (``--save``),
writes the HTML fit report (``--report``) and everything as JSON (``--json``). Exit status 0
on success, 2 for a file that cannot be used (one line per problem, naming the field and what
is allowed) or records too short to fit.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..vocabulary import catalogue
from ..model.errors import CodedError, ScenarioError
from ..vocabulary.calibration_text import (fit_summary, param_row, score_text, unidentified_text, verdict_text,
                                           word)
from .arguments import add_lang, int_range, write_binary, write_output
from .errors import EXIT_BAD_INPUT, EXIT_OK
from .records import _date, _file_head, _issues, _mapping
from .text import table

HEAD = {"zh": ("参数", "估计值", "95% 范围", "来源"), "en": ("Parameter", "Estimate", "95 % range", "How")}
SAY: dict[str, dict[str, str]] = catalogue.by_lang("cli_calibrate")


def add_calibrate_command(subparsers: Any) -> None:
    """Register ``calibrate`` on the ``python -m sim`` sub-command parser."""
    p = subparsers.add_parser(
        "calibrate", help="fit the model to a court's records and write the calibrated scenario",
        description="Import a court's case records (CSV UTF-8/GBK or XLSX), estimate demand, mix and the "
                    "carried-over caseload, fit judge effort and preparation times by simulation, replay the "
                    "recorded months (coverage, error, out of sample against naive forecasts) and write the "
                    "calibrated court as a scenario.")
    p.add_argument("records", help="case-level records (CSV/XLSX, gzipped or not)")
    p.add_argument("--monthly", metavar="FILE", help="the monthly statistical table (for pre-filing mediation)")
    p.add_argument("--staffing", metavar="FILE", help="staffing by month and team")
    p.add_argument("--out", required=True, metavar="SCENARIO.yaml", help="where to write the calibrated scenario")
    p.add_argument("--report", metavar="fit.html", help="also write the fit report as one HTML page")
    p.add_argument("--xlsx", metavar="PATH", help="also write the estimates and the replay as an Excel workbook (XLSX)")
    p.add_argument("--save", metavar="NAME", help="also save the calibrated scenario to the scenario store")
    p.add_argument("--overwrite", action="store_true", help="with --save: replace a saved scenario of that name")
    p.add_argument("--template", metavar="FILE", help="scenario whose hearings, calendar and support are used "
                                                     "(default scenarios/baseline.yaml)")
    p.add_argument("--months", type=int_range("--months", 1, 120), default=24,
                   help="months the calibrated scenario runs for (default 24)")
    p.add_argument("--holdout", type=int_range("--holdout", 0, 24), default=6,
                   help="months held out for the out-of-sample check (default 6; 0 = none)")
    p.add_argument("--replications", type=int_range("--replications", 2, 200), default=10,
                   help="replications of the replay (default 10)")
    p.add_argument("--export-date", type=_date, metavar="YYYY-MM-DD",
                   help="day the records were exported (default: inferred from the dates)")
    p.add_argument("--mapping", metavar="JSON", help='your headers to fields, e.g. \'{"我的列名": "filing_date"}\'')
    p.add_argument("--types", default="民初", metavar="CODES",
                   help="case-type codes to keep, comma-separated (default 民初); 'all' keeps every type")
    p.add_argument("--json", metavar="PATH|-", help="write the fit, replay and check as JSON to PATH, or stdout with -")
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


def _load(name: str, fn: Any) -> Any:
    try:
        return fn()
    except (ScenarioError, CodedError) as exc:
        exc.source = name  # type: ignore[attr-defined]
        raise


def cmd_calibrate(a: argparse.Namespace) -> int:
    """Run ``calibrate``; returns the exit status."""
    from ..calibration.calibrated import forecast_scenario
    from ..calibration.fit import calibrate
    from ..calibration.records import import_cases
    from ..calibration.replay import out_of_sample, replay
    from ..calibration.totals import import_monthly, import_staffing
    from ..model.scenario import dump_yaml, load_scenario
    from ..vocabulary.messages import render

    lang = a.lang
    s = SAY[lang]
    mapping = _mapping(a.mapping)
    types = None if a.types.strip().lower() == "all" else tuple(t.strip() for t in a.types.split(",") if t.strip())
    template = _load(a.template, lambda: load_scenario(a.template)) if a.template else None
    imp = _load(a.records, lambda: import_cases(a.records, mapping, a.export_date, types))
    lines = _file_head(lang, "cases", a.records, imp.report) + _issues(lang, imp.report)
    if not imp.cases:
        print("\n".join(lines), file=sys.stderr)
        print("error: " + f"{a.records}: " + render("rec_no_rows", {}, lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    mon = _load(a.monthly, lambda: import_monthly(a.monthly, mapping)) if a.monthly else None
    stf = _load(a.staffing, lambda: import_staffing(a.staffing, mapping)) if a.staffing else None
    for kind, name, got in (("monthly", a.monthly, mon), ("staffing", a.staffing, stf)):
        if got is not None:
            lines += [""] + _file_head(lang, kind, name, got.report) + _issues(lang, got.report)
    if a.json != "-":
        sys.stdout.write("\n".join(lines) + "\n\n")
        sys.stdout.flush()

    bar, cb = _bar(a.quiet, s["fitting"])
    try:
        fit = calibrate(imp, mon, stf, template=template, progress=cb)
        rp = replay(fit.scenario, fit.estimates.extra["monthly"].rows, a.replications)
    finally:
        if bar:
            bar.close()
    oos, why = None, ""
    if a.holdout:
        bar, cb = _bar(a.quiet, s["oos"])
        try:
            oos = out_of_sample(imp, fit, mon, stf, holdout=a.holdout, replications=a.replications, progress=cb)
        except CodedError as exc:
            why = exc.text(lang)
        finally:
            if bar:
                bar.close()

    out: list[str] = []
    rows = [param_row(lang, p) for p in fit.params()]
    out += table(HEAD[lang], [[r["name"], r["value"], r["range"], r["method"]] for r in rows], right=(1, 2))
    out += [fit_summary(lang, fit), unidentified_text(lang, fit.unidentified())]
    if fit.estimates.extra.get("assumed_support"):
        out.append(word(lang, "assumed"))
    out += ["",
            s["replay"].format(n=rp.replications)]
    out += ["  " + score_text(lang, f, x.coverage, x.mape) for f, x in rp.series.items()]
    if oos is not None:
        out += ["", word(lang, "oos.head", fit=fit.estimates.months - oos.holdout, holdout=oos.holdout)]
        out += ["  " + verdict_text(lang, f, v, oos.replay.series[f].mape, oos.naive[f]) for f, v in oos.verdicts.items()]
    elif why:
        out += ["", s["oos.skip"].format(why=why)]

    scn = forecast_scenario(fit, imp, months=a.months)
    write_output(a.out, dump_yaml(scn))
    out += ["", s["wrote"].format(path=a.out, start=scn.start_date.isoformat(), months=scn.horizon_months)]
    if a.save:
        from ..store.scenario_store import ScenarioStore

        saved = ScenarioStore().save(scn, a.save, overwrite=a.overwrite)
        out.append(s["saved"].format(name=saved.name))
    if a.report:
        from ..report.calibration_report import render_report

        write_output(a.report, render_report(fit, rp, len(imp.cases), lang, oos))
        out.append(s["report"].format(path=a.report))
    if a.xlsx:
        from ..report.tables_studies import calibration_xlsx

        write_binary(a.xlsx, calibration_xlsx(fit, rp, lang))
    if a.json:
        data = {"fit": fit.to_dict(), "replay": rp.to_dict(), "out_of_sample": oos.to_dict() if oos else None,
                "quality": imp.report.to_dict()}
        write_output(a.json, json.dumps(data, ensure_ascii=False, indent=1, default=str))
    if a.json != "-":
        sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK

