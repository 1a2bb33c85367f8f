"""Command line: ``python -m sim run|compare|validate|schema|scenarios``.

Exit status: 0 on success, 2 on bad input (with one line per field-level problem on stderr),
never a traceback for a user's mistake.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, NoReturn, Optional, Sequence

from ..model.errors import CodedError, ScenarioError, short_repr
from ..model.scenario import json_schema
from ..vocabulary.figure_format import figure_name
from ..vocabulary.figure_registry import COMPARED
from ..vocabulary.messages import render
from .arguments import add_lang, int_range, load_input, write_binary, write_output
from .errors import EXIT_BAD_INPUT, EXIT_OK, UserError, cli_lang, print_errors
from .progress import with_bar
from .text import say, table, verdict_notes

__all__ = ["build_parser", "main"]


class Parser(argparse.ArgumentParser):
    """argparse with a one-line error (no usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        print("error: " + render("option_usage", {"detail": f"{self.prog}: {message}"}, cli_lang()),
              file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def _emit(a: argparse.Namespace, obj: Any, text: Callable[[], str], csv: Callable[[Any, str], str],
          xlsx: Callable[[Any, str], bytes]) -> None:
    """Write ``--json``/``--csv``/``--xlsx`` output (``csv`` and ``xlsx``: the export layer's
    writers of ``obj``, :mod:`sim.report.tables_run`, in ``--lang``), and the human summary
    unless one of them went to stdout."""
    if a.json:
        write_output(a.json, obj.to_json())
    if a.csv:
        write_output(a.csv, csv(obj, a.lang))
    if a.xlsx:
        write_binary(a.xlsx, xlsx(obj, a.lang))
    if "-" not in (a.json, a.csv, a.xlsx):
        out = text()
        sys.stdout.write(out if out.endswith("\n") else out + "\n")


def _summary_text(res, lang: str) -> str:
    """Every figure of a run: name, mean, interval, target and verdict, in ``lang``."""
    from ..vocabulary.figure_format import (
        counted,
        figure_interval,
        figure_value,
        target_text,
        verdict_word,
    )
    from ..vocabulary.figure_registry import REGISTRY

    s = res.summary()
    tg = res.targets()
    rows = []
    for k in REGISTRY:
        t = tg.get(k)
        tt = "" if t is None else f"{target_text(lang, k, t['target'])} {verdict_word(lang, t['verdict'])}"
        if t is not None and t["verdict"] == "met" and t.get("doubtful"):  # never shown plainly under a warning
            tt += say(lang, "doubtful")
        rows.append([figure_name(lang, k), figure_value(lang, k, s[k].mean),
                     figure_interval(lang, k, s[k].ci_low, s[k].ci_high), tt])
    head = say(lang, "run.head", name=res.scenario.name, reps=counted(lang, res.replications, "replication"),
               seed=res.seed, start=res.month_labels[0], end=res.month_labels[-1], sec=f"{res.elapsed_seconds:.1f}")
    header = [say(lang, k) for k in ("col.figure", "col.mean", "col.ci", "col.target")]
    lines = [head, *table(header, rows, right=(1, 2))]
    if res.replications == 1:
        lines.append(say(lang, "run.single"))
    return "\n".join(lines + verdict_notes(lang, tg) + _procedure_lines(res, lang)) + "\n"


def _procedure_lines(res, lang: str) -> list[str]:
    """The by-procedure table: track, cases closed, within-limit rate with its interval and
    verdict (against the track's target), overdue pending at the end."""
    from ..report.tables_run import procedure_label
    from ..vocabulary.figure_format import figure_interval, figure_value, verdict_word
    from ..vocabulary.messages import WORDS

    rows = []
    for p in res.procedures():
        w, o, tgt = p["within_limit_rate"], p["overdue_pending_end"], p["targets"].get("within_limit_rate")
        rows.append([procedure_label(lang, res, p["procedure"]), WORDS[lang]["track"][p["track"]],
                     figure_value(lang, "closed", p["closed"]["mean"]), figure_value(lang, "within_limit_rate", w["mean"]),
                     figure_interval(lang, "within_limit_rate", w["ci_low"], w["ci_high"]),
                     "" if tgt is None else verdict_word(lang, tgt["verdict"]),
                     figure_value(lang, "overdue_pending_end", o["mean"])])
    if not rows:
        return []
    header = [say(lang, k) for k in ("col.procedure", "col.track", "col.closed")] + [
        figure_name(lang, "within_limit_rate"), say(lang, "col.ci"), say(lang, "col.verdict"), say(lang, "col.overdue")]
    return ["", say(lang, "run.procedures"), *table(header, rows, right=(2, 3, 4, 6))]


def _print_warnings(groups: list[tuple[str, list[dict]]], lang: str) -> None:
    """Warnings that the figures may mislead, on stderr (``--json`` output carries them as data)."""
    from ..vocabulary.messages import render_warning

    for prefix, warns in groups:
        for w in warns:
            print(say(lang, "warning", text=prefix + render_warning(w, lang)), file=sys.stderr)


def cmd_run(a: argparse.Namespace) -> int:
    from ..analysis.runner import run

    scn = load_input(a.scenario, a.set)
    n = a.replications or scn.replications
    res = with_bar(a.quiet, n, lambda cb: run(scn, replications=n, seed=a.seed, workers=a.workers, progress=cb))
    from ..report.tables_run import run_csv, run_xlsx

    _emit(a, res, lambda: _summary_text(res, a.lang), run_csv, run_xlsx)
    _print_warnings([("", res.warnings)], a.lang)
    return EXIT_OK


def cmd_compare(a: argparse.Namespace) -> int:
    from ..analysis.compare import compare

    if len(a.scenarios) < 2:  # a comparison of one plan with itself says nothing
        raise UserError("compare_needs_two", n=len(a.scenarios))
    scns = [load_input(p, a.set) for p in a.scenarios]
    ref = 0
    if a.reference is not None:
        keys = [str(Path(p)) for p in a.scenarios]
        names = [s.name for s in scns]
        if a.reference in keys:
            ref = keys.index(a.reference)
        elif a.reference in names:
            ref = names.index(a.reference)
        elif a.reference.isascii() and a.reference.isdigit() and int(a.reference) < len(scns):
            ref = int(a.reference)
        else:
            raise UserError("option_reference", value=short_repr(a.reference), max=len(scns) - 1)
    n = a.replications or scns[ref].replications
    cmp = with_bar(a.quiet, n * len(scns), lambda cb: compare(scns, reference=ref, replications=n, seed=a.seed,
                                                                workers=a.workers, progress=cb))
    from ..report.tables_run import comparison_csv, comparison_xlsx

    _emit(a, cmp, lambda: _compare_text(cmp, ref, a.lang), comparison_csv, comparison_xlsx)
    _print_warnings([(f"[{i + 1}] ", r.warnings) for i, r in enumerate(cmp.results)], a.lang)
    if a.html:
        from ..report.html_report import comparison_html

        write_output(a.html, comparison_html(cmp, lang=a.lang))
    if a.docx:
        from ..report.brief import comparison_brief, docx_bytes

        write_binary(a.docx, docx_bytes(comparison_brief(cmp, a.lang)))
    return EXIT_OK


def _compare_text(cmp, ref: int, lang: str) -> str:
    """The figures set side by side (the registry's :data:`COMPARED`) of every scenario and their
    paired difference from the reference."""
    from ..vocabulary.figure_format import (
        change_interval,
        counted,
        figure_change,
        figure_name,
        figure_value,
        verdict_word,
    )

    # scenarios are numbered, so long names that differ only at the end stay apart in the table
    lines = [say(lang, "cmp.head", seed=cmp.seed, reps=counted(lang, cmp.replications, "replication"))]
    lines += [f"  [{i + 1}] {name}{say(lang, 'cmp.reference') if i == ref else ''}" for i, name in enumerate(cmp.names)]
    number = {name: f"[{i + 1}]" for i, name in enumerate(cmp.names)}
    rows, last = [], None
    for row in cmp.rows(COMPARED):
        f = row["figure"]
        is_ref = row["scenario"] == cmp.names[ref]
        rows.append([figure_name(lang, f) if f != last else "", number[row["scenario"]],
                     figure_value(lang, f, row["mean"]),
                     "" if is_ref else figure_change(lang, f, row["diff_mean"]),
                     "" if is_ref else change_interval(lang, f, row["diff_ci_low"], row["diff_ci_high"]),
                     "" if row["verdict"] is None else verdict_word(lang, row["verdict"])])
        last = f
    header = [say(lang, k) for k in ("col.figure", "col.scenario", "col.mean", "col.diff", "col.diff_ci", "col.verdict")]
    lines += table(header, rows, right=(2, 3, 4))
    if cmp.replications == 1:
        lines.append(say(lang, "run.single"))
    for i, res in enumerate(cmp.results):
        lines += verdict_notes(lang, {k: v for k, v in res.targets().items() if k in COMPARED}, f"[{i + 1}] ")
    groups = cmp.what_differs(lang)  # every difference, in words, grouped by team: none left out
    lines.append(say(lang, "cmp.differs") if groups else say(lang, "cmp.no_differences"))
    for g in groups:
        lines.append("  " + g.title)
        for it in g.items:
            lines.append("    " + say(lang, "cmp.differs.item", label=it.label, values=" | ".join(
                f"{number[name]} {v}" for name, v in zip(cmp.names, it.values, strict=True))))
    return "\n".join(lines)


def cmd_sensitivity(a: argparse.Namespace) -> int:
    from ..analysis.sensitivity import ASSUMPTIONS, sensitivity

    scn = load_input(a.scenario, a.set)
    if not 0 < a.delta < 1:  # false for nan too
        raise UserError("option_delta", value=a.delta)
    n = a.replications or scn.replications
    sens = with_bar(a.quiet, n * (1 + 2 * len(ASSUMPTIONS)),
                     lambda cb: sensitivity(scn, delta=a.delta, replications=n, seed=a.seed, workers=a.workers,
                                            progress=cb))
    from ..report.tables_studies import sensitivity_table
    from ..report.writers import csv_text, xlsx_bytes

    def table(s: Any, lang: str):
        return sensitivity_table(s, lang, lambda k: say(lang, f"assumption.{k}"))
    _emit(a, sens, lambda: _sensitivity_text(sens, a.delta, a.lang), lambda s, lang: csv_text(table(s, lang)),
          lambda s, lang: xlsx_bytes([table(s, lang)]))
    return EXIT_OK


def _sensitivity_text(sens, delta: float, lang: str) -> str:
    """Per assumption, the paired change of the within-limit rate and the pending caseload."""
    from ..vocabulary.figure_format import counted, figure_change, figure_name

    pct = round(100 * delta)
    base = sens.base
    lines = [say(lang, "sens.head", name=base.scenario.name, pct=pct, seed=base.seed,
                 reps=counted(lang, base.replications, "replication"))]
    figs = ("within_limit_rate", "pending_end")
    header = [say(lang, "col.assumption")]
    for f in figs:
        header += [say(lang, "sens.down", figure=figure_name(lang, f), pct=pct), say(lang, "sens.up", pct=pct)]
    rows = []
    all_rows = sens.rows()
    for name in dict.fromkeys(r["assumption"] for r in all_rows):
        get = {(r["direction"], r["figure"]): r["diff_mean"] for r in all_rows if r["assumption"] == name}
        rows.append([say(lang, f"assumption.{name}")] +
                    [figure_change(lang, f, get[(d, f)]) for f in figs for d in ("down", "up")])
    lines += table(header, rows, right=(1, 2, 3, 4))
    return "\n".join(lines)


def cmd_validate(a: argparse.Namespace) -> int:
    """Validate each scenario given: an ``ok`` line per good one, and one ``error: FILE: ...`` line
    per problem of a bad one; exit status 2 when any is bad."""
    from ..model.errors import printable
    from ..vocabulary.figure_format import counted
    from .errors import error_lines

    status = EXIT_OK
    for path in a.scenario:
        try:
            scn = load_input(path, a.set)
        except (ScenarioError, CodedError) as exc:
            for line in error_lines(exc, a.lang):
                print("error: " + " ".join(printable(f"{path}: {line}").split("\n")), file=sys.stderr)
            status = EXIT_BAD_INPUT
            continue
        print(say(a.lang, "validate.ok", path=path, name=scn.name, teams=counted(a.lang, len(scn.teams), "team"),
                  judges=counted(a.lang, sum(t.judges for t in scn.teams), "judge")))
    return status


def cmd_schema(a: argparse.Namespace) -> int:
    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="python -m sim", description="Court caseload what-if simulator: run, compare and check scenarios.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--replications", "-n", type=int_range("--replications", 1, 1000),
                        help="replications (default: the scenario's)")
        sp.add_argument("--seed", type=int_range("--seed", 0, 2**63 - 1), help="random seed (default: the scenario's)")
        sp.add_argument("--workers", "-w", type=int_range("--workers", 1, 256), help="worker processes (default: all cores)")
        sp.add_argument("--json", metavar="PATH|-", help="write results as JSON to PATH, or stdout with -")
        sp.add_argument("--csv", metavar="PATH|-", help="write results as CSV (UTF-8 with a byte-order mark, "
                                                          "headers in --lang) to PATH, or stdout with -")
        sp.add_argument("--xlsx", metavar="PATH", help="write results as an Excel workbook (XLSX) to PATH")
        sp.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                        help="override a field for this run, e.g. teams.0.judges=9 (repeatable)")
        sp.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
        add_lang(sp)

    r = sub.add_parser("run", help="run one scenario", description="Run a scenario's replications and print its figures.")
    r.add_argument("scenario", help="scenario file or saved name")
    common(r)
    r.set_defaults(func=cmd_run)

    c = sub.add_parser("compare", help="compare scenarios with common random numbers",
                       description="Run scenarios with the same seed and replications; report each figure and its paired difference from the reference.")
    c.add_argument("scenarios", nargs="+", metavar="scenario",
                   help="scenario file or saved name (at least two; built-in ones: scenarios list)")
    c.add_argument("--reference", help="reference scenario: file, name or index (default: the first)")
    c.add_argument("--html", metavar="PATH",
                   help="also write the one-page HTML report (table and charts, prints on one A4 landscape sheet) to PATH")
    c.add_argument("--docx", metavar="PATH",
                   help="also write a one-page Word brief (plans, headline and per-track figures, what differs) to PATH")
    common(c)
    c.set_defaults(func=cmd_compare)

    se = sub.add_parser("sensitivity", help="how much each assumption moves the figures",
                        description="Move each assumption (effort, waiting, demand, mediation success, hours, "
                                    "settlement, support) down and up by --delta with the same seed and report the "
                                    "paired change in the headline figures, largest first.")
    se.add_argument("scenario", help="scenario file or saved name")
    se.add_argument("--delta", type=float, default=0.1, help="relative step, 0.1 = ±10 %% (default)")
    common(se)
    se.set_defaults(func=cmd_sensitivity)

    v = sub.add_parser("validate", help="check scenario files",
                       description="Validate each scenario file (or saved name) and report every problem, one "
                                   "line each, prefixed by the file; exit status 2 if any is bad.")
    v.add_argument("scenario", nargs="+", help="scenario file or saved name (one or more)")
    v.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", help="override a field (repeatable)")
    add_lang(v)
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("schema", help="print the scenario JSON Schema", description="Print the JSON Schema of scenario files.")
    add_lang(s)  # the schema is JSON, the same in both languages; accepted so every command takes --lang
    s.set_defaults(func=cmd_schema)

    from .scenarios import add_store_commands

    add_store_commands(sub)
    from .advise import add_advise_command

    add_advise_command(sub)
    from .records import add_import_command

    add_import_command(sub)
    from .calibrate import add_calibrate_command

    add_calibrate_command(sub)
    from .plausibility import add_plausibility_command

    add_plausibility_command(sub)
    from .province import add_province_commands

    add_province_commands(sub)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = cli_lang(args)
    try:
        status = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below
        return status
    except (ScenarioError, CodedError) as exc:  # bad input: scenario, store, advisor, options
        return print_errors(exc, lang)
    except BrokenPipeError:
        # the reader went away (``... | head``): stop quietly, like any Unix tool on SIGPIPE
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
