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

from .cli_errors import EXIT_BAD_INPUT, EXIT_OK, cli_lang, print_errors
from .errors import CodedError, FieldError, ScenarioError, short_repr
from .messages import render
from .scenario import Scenario, apply_overrides, json_schema, scenario_from_dict, scenario_to_dict

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "UserError", "build_parser", "int_range", "main"]


class UserError(CodedError):
    """A mistake in the command line's input (``code`` + ``params``), reported without a traceback."""


class Parser(argparse.ArgumentParser):
    """argparse with a one-line error (no usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        print("error: " + render("option_usage", {"detail": f"{self.prog}: {message}"}, cli_lang()),
              file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def int_range(name: str, lo: int, hi: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``lo`` to ``hi``, with a message naming the option."""
    def parse(text: str) -> int:
        try:
            v = int(text) if text.strip().lstrip("+-").isascii() else int("x")
        except ValueError:
            raise argparse.ArgumentTypeError(render("option_integer", {"option": name, "lo": lo, "hi": hi,
                                                                       "value": short_repr(text)})) from None
        if not lo <= v <= hi:
            raise argparse.ArgumentTypeError(render("option_range", {"option": name, "lo": lo, "hi": hi, "value": v}))
        return v
    return parse


def _load(path: str, overrides: Sequence[str] = ()) -> Scenario:
    from .store import load_scenario_arg  # a file, or else the name of a saved scenario

    scn = load_scenario_arg(path)
    if overrides:
        try:
            data = apply_overrides(scenario_to_dict(scn), list(overrides))
            scn = scenario_from_dict(data)
        except ScenarioError as exc:
            raise ScenarioError([FieldError(path=e.path, value=e.value, code=e.code,
                                            params={**e.params, "origin": "set"}, message=e.message)
                                 for e in exc.errors]) from None
    return scn


def _progress(enabled: bool, total: int, desc: str):
    """A tqdm bar on stderr and the callback that advances it."""
    if not enabled:
        return None, (lambda done, tot: None)
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit="rep", file=sys.stderr, leave=False)

    def cb(done: int, tot: int) -> None:
        bar.n = done
        bar.refresh()
    return bar, cb


def _with_bar(quiet: bool, total: int, fn: Callable[[Callable[[int, int], None]], Any]) -> Any:
    """Call ``fn(progress)`` with a progress bar on stderr (unless quiet) that is always closed."""
    bar, cb = _progress(not quiet, total, "replications")
    try:
        return fn(cb)
    finally:
        if bar:
            bar.close()


def _emit(a: argparse.Namespace, obj: Any, text: Callable[[], str]) -> None:
    """Write ``--json``/``--csv`` output, and the human summary unless one of them went to stdout."""
    if a.json:
        _write(a.json, obj.to_json())
    if a.csv:
        _write(a.csv, obj.to_csv())
    if a.json != "-" and a.csv != "-":
        out = text()
        sys.stdout.write(out if out.endswith("\n") else out + "\n")


def _write(path: Optional[str], text: str) -> None:
    if path is None:
        return
    if path == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        Path(path).write_text(text, encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise UserError("write_failed", path=short_repr(path), reason=getattr(exc, "strerror", None) or str(exc)) from None


def _fmt(fig: str, v: Optional[float]) -> str:
    if v is None:
        return "–"
    from .figures import FIGURES

    kind = FIGURES[fig][0]
    if kind in ("count", "rate", "days"):
        v = max(v, 0.0)  # a t-interval can dip below zero; these figures cannot
    if kind == "rate":
        return f"{100 * v:.1f}%"
    if kind == "ratio":
        return f"{v:.3f}" if fig != "closures_per_judge" else f"{v:.0f}"
    if kind == "days":
        return f"{v:.1f}"
    return f"{v:,.0f}"


def _summary_text(res) -> str:
    from .figures import FIGURES

    s = res.to_json_dict()["summary"]
    tg = res.targets()
    lines = [f"{res.scenario.name}: {res.replications} replications, seed {res.seed}, "
             f"{res.month_labels[0]} to {res.month_labels[-1]}, {res.elapsed_seconds:.1f} s",
             f"{'figure':<28}{'mean':>12}{'95% interval':>26}  target"]
    for k in FIGURES:
        st = s[k]
        iv = f"{_fmt(k, st['ci_low'])} – {_fmt(k, st['ci_high'])}"
        t = tg.get(k)
        tt = "" if t is None else f"{t['direction']} {_fmt(k, t['target'])} {'met' if t['met'] else 'MISSED'}"
        lines.append(f"{k:<28}{_fmt(k, st['mean']):>12}{iv:>26}  {tt}")
    return "\n".join(lines) + "\n"


def cmd_run(a: argparse.Namespace) -> int:
    from .runner import run

    scn = _load(a.scenario, a.set)
    n = a.replications or scn.replications
    res = _with_bar(a.quiet, n, lambda cb: run(scn, replications=n, seed=a.seed, workers=a.workers, progress=cb))
    _emit(a, res, lambda: _summary_text(res))
    return EXIT_OK


def cmd_compare(a: argparse.Namespace) -> int:
    from .compare import compare

    scns = [_load(p, a.set) for p in a.scenarios]
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
    cmp = _with_bar(a.quiet, n * len(scns), lambda cb: compare(scns, reference=ref, replications=n, seed=a.seed,
                                                                workers=a.workers, progress=cb))
    _emit(a, cmp, lambda: _compare_text(cmp, ref))
    return EXIT_OK


def _compare_text(cmp, ref: int) -> str:
    from .compare import HEADLINE

    # scenarios are numbered, so long names that differ only at the end stay apart in the table
    lines = [f"seed {cmp.seed}; {cmp.replications} replications (common random numbers); "
             f"Δ = paired difference from the reference [95 % interval]"]
    lines += [f"  [{i + 1}] {name}{'  (reference)' if i == ref else ''}" for i, name in enumerate(cmp.names)]
    number = {name: f"[{i + 1}]" for i, name in enumerate(cmp.names)}
    for row in cmp.rows(HEADLINE):
        f = row["figure"]
        diff = "" if row["scenario"] == cmp.names[ref] else (
            f"  Δ {_fmt_diff(f, row['diff_mean'])} [{_fmt_diff(f, row['diff_ci_low'])}, {_fmt_diff(f, row['diff_ci_high'])}]")
        lines.append(f"{f:<28}{number[row['scenario']]:<6}{_fmt(f, row['mean']):>10}{diff}")
    diffs = cmp.differences()
    if diffs:
        lines.append("what differs:")
        for d in diffs[:40]:
            lines.append("  " + d["field"] + ": " + " | ".join(f"{number[k]} {v}" for k, v in d["values"].items()))
    return "\n".join(lines)


def _fmt_diff(fig: str, v: Optional[float]) -> str:
    if v is None:
        return "–"
    from .figures import FIGURES

    if FIGURES[fig][0] == "rate":
        return f"{100 * v:+.2f} pp"
    return f"{v:+.2f}"


def cmd_sensitivity(a: argparse.Namespace) -> int:
    from .sensitivity import ASSUMPTIONS, sensitivity

    scn = _load(a.scenario, a.set)
    if not 0 < a.delta < 1:  # false for nan too
        raise UserError("option_delta", value=a.delta)
    n = a.replications or scn.replications
    sens = _with_bar(a.quiet, n * (1 + 2 * len(ASSUMPTIONS)),
                     lambda cb: sensitivity(scn, delta=a.delta, replications=n, seed=a.seed, workers=a.workers,
                                            progress=cb))
    _emit(a, sens, lambda: _sensitivity_text(sens, a.delta))
    return EXIT_OK


def _sensitivity_text(sens, delta: float) -> str:
    pct = round(100 * delta)
    lines = [f"{sens.base.scenario.name}: each assumption moved by ±{pct} % (same seed {sens.base.seed}, "
             f"{sens.base.replications} replications); paired change from the base",
             f"{'assumption':<20}{'within-limit −' + str(pct) + '%':>18}{'+' + str(pct) + '%':>10}"
             f"{'pending −' + str(pct) + '%':>16}{'+' + str(pct) + '%':>10}"]
    rows = sens.rows()
    for name in dict.fromkeys(r["assumption"] for r in rows):
        get = {(r["direction"], r["figure"]): r["diff_mean"] for r in rows if r["assumption"] == name}
        lines.append(f"{name:<20}{_fmt_diff('within_limit_rate', get[('down', 'within_limit_rate')]):>18}"
                     f"{_fmt_diff('within_limit_rate', get[('up', 'within_limit_rate')]):>10}"
                     f"{_fmt_diff('pending_end', get[('down', 'pending_end')]):>16}"
                     f"{_fmt_diff('pending_end', get[('up', 'pending_end')]):>10}")
    return "\n".join(lines)


def cmd_validate(a: argparse.Namespace) -> int:
    scn = _load(a.scenario, a.set)
    print(f"ok: {a.scenario} is a valid scenario ({scn.name}; {len(scn.teams)} teams, "
          f"{sum(t.judges for t in scn.teams)} quota judges)")
    return EXIT_OK


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
        sp.add_argument("--csv", metavar="PATH|-", help="write results as CSV to PATH, or stdout with -")
        sp.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                        help="override a field for this run, e.g. teams.0.judges=9 (repeatable)")
        sp.add_argument("--quiet", "-q", action="store_true", help="no progress bar")

    r = sub.add_parser("run", help="run one scenario", description="Run a scenario's replications and print its figures.")
    r.add_argument("scenario", help="scenario YAML file")
    common(r)
    r.set_defaults(func=cmd_run)

    c = sub.add_parser("compare", help="compare scenarios with common random numbers",
                       description="Run scenarios with the same seed and replications; report each figure and its paired difference from the reference.")
    c.add_argument("scenarios", nargs="+", help="scenario YAML files")
    c.add_argument("--reference", help="reference scenario: file, name or index (default: the first)")
    common(c)
    c.set_defaults(func=cmd_compare)

    se = sub.add_parser("sensitivity", help="how much each assumption moves the figures",
                        description="Move each assumption (effort, waiting, demand, mediation success, hours, "
                                    "settlement, support) down and up by --delta with the same seed and report the "
                                    "paired change in the headline figures, largest first.")
    se.add_argument("scenario", help="scenario YAML file or saved name")
    se.add_argument("--delta", type=float, default=0.1, help="relative step, 0.1 = ±10 %% (default)")
    common(se)
    se.set_defaults(func=cmd_sensitivity)

    v = sub.add_parser("validate", help="check a scenario file", description="Validate a scenario file and report every problem.")
    v.add_argument("scenario")
    v.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", help="override a field (repeatable)")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("schema", help="print the scenario JSON Schema", description="Print the JSON Schema of scenario files.")
    s.set_defaults(func=cmd_schema)

    from .store_cli import add_store_commands

    add_store_commands(sub)
    from .advisor_cli import add_advise_command

    add_advise_command(sub)
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
