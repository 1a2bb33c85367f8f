"""``python -m sim plausibility``: the built-in courts against published figures.

Exit status: 0 when every figure is in its range, 1 when one is out of range
(:data:`EXIT_OUT_OF_RANGE`), 2 on bad input as everywhere in :mod:`sim.cli.main`.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

from .arguments import add_lang, int_range, load_input
from .errors import EXIT_OK
from .progress import with_bar

EXIT_OUT_OF_RANGE = 1  # a figure outside its published range


def cmd_plausibility(a: argparse.Namespace) -> int:
    """Run the scenarios (default: the built-in courts) and print each check."""
    from ..analysis.plausibility import all_ok, checks_text, default_paths, run_checks
    paths = a.scenarios or default_paths()
    for p in paths:
        load_input(p)  # bad files are reported before anything runs
    checks = with_bar(a.quiet, len(paths), lambda cb: run_checks(paths, a.replications, a.workers, cb))
    sys.stdout.write(checks_text(checks))
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
