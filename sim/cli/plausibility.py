"""``python -m sim plausibility``: the built-in courts against published figures.

Exit status: 0 when every figure is in its range, 1 when one is out of range
(:data:`EXIT_OUT_OF_RANGE`), 2 on bad input as everywhere in :mod:`sim.cli.main`.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

from ..analysis.plausibility import Check
from ..vocabulary.figure_format import (
    change_interval,
    figure_change,
    figure_interval,
    figure_name,
    figure_value,
)
from .arguments import add_lang, int_range, load_input
from .errors import EXIT_OK
from .progress import with_bar
from .text import say, table

EXIT_OUT_OF_RANGE = 1  # a figure outside its published range


def _name(lang: str, c: Check) -> str:
    """What is checked: the figure's name, and how it is measured when not its plain mean."""
    name = say(lang, f"plaus.name.{c.figure}") if c.figure != c.registry_key else figure_name(lang, c.figure)
    return name if c.measure == "value" else say(lang, f"plaus.{c.measure}", figure=name)


def _value(lang: str, c: Check) -> str:
    """Mean [interval], a value or a change, formatted through the figure registry."""
    key, v = c.registry_key, c.value
    if c.measure == "value":
        return f"{figure_value(lang, key, v.mean)} [{figure_interval(lang, key, v.ci_low, v.ci_high)}]"
    return f"{figure_change(lang, key, v.mean)} [{change_interval(lang, key, v.ci_low, v.ci_high)}]"


def _expected(lang: str, c: Check) -> str:
    """The range the check wants, its numbers formatted through the figure registry."""
    key = c.registry_key
    if c.expect == "between":
        return figure_interval(lang, key, c.low, c.high)
    if c.expect == "at_most":
        return f"≤ {figure_value(lang, key, c.high)}"
    if c.expect == "at_least":
        return f"≥ {figure_value(lang, key, c.low)}"
    return say(lang, f"plaus.{c.expect}.{c.measure}")


def checks_text(checks: list[Check], lang: str) -> str:
    """The checks as a table: scenario, what is checked, mean [95 % interval], expected, result."""
    header = [say(lang, f"plaus.col.{k}") for k in ("scenario", "check", "value", "expected", "result")]
    rows = [[c.scenario, _name(lang, c), _value(lang, c), _expected(lang, c),
             say(lang, "plaus.ok" if c.ok else "plaus.out")] for c in checks]
    return "\n".join(table(header, rows, right=(2,))) + "\n"


def cmd_plausibility(a: argparse.Namespace) -> int:
    """Run the scenarios (default: the built-in courts) and print each check."""
    from ..analysis.plausibility import all_ok, default_paths, run_checks
    paths = a.scenarios or default_paths()
    for p in paths:
        load_input(p)  # bad files are reported before anything runs
    checks = with_bar(a.quiet, len(paths), lambda cb: run_checks(paths, a.replications, a.workers, cb))
    sys.stdout.write(checks_text(checks, a.lang))
    return EXIT_OK if all_ok(checks) else EXIT_OUT_OF_RANGE


def add_plausibility_command(subparsers: Any) -> None:
    """Register ``plausibility`` on the ``python -m sim`` sub-command parser."""
    pl = subparsers.add_parser(
        "plausibility", help="built-in courts against published figures",
        description="Run scenarios and print their figures against the ranges published for courts of their kind "
                    "(default: the built-in courts). Exit status 1 if any is out of range.")
    pl.add_argument("scenarios", nargs="*", help="scenario YAML files (default: the built-in courts)")
    pl.add_argument("--replications", "-n", type=int_range("--replications", 2, 1000), default=10,
                    help="replications per scenario (default 10)")
    pl.add_argument("--workers", "-w", type=int_range("--workers", 1, 256), help="worker processes (default: all cores)")
    pl.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    add_lang(pl)
    pl.set_defaults(func=cmd_plausibility)
