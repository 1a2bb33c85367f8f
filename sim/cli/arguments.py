"""What the subcommands share: option types, ``--lang``, the scenario argument and where output goes.

Kept apart from :mod:`sim.cli.main` so that every subcommand module (``advise``, ``scenarios``)
imports it, and the entry point imports them, without a circle.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Optional, Sequence

from ..model.errors import FieldError, ScenarioError, short_repr
from ..model.scenario import Scenario, apply_overrides, scenario_from_dict, scenario_to_dict
from ..vocabulary.messages import os_reason, render
from .errors import UserError
from .text import default_lang, lang_choice, say


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


def add_lang(parser: argparse.ArgumentParser) -> None:
    """``--lang zh|en``: the language of the human output (JSON keys stay the same)."""
    parser.add_argument("--lang", type=lang_choice, default=default_lang(), metavar="zh|en",
                        help=say("en", "lang.help"))


def load_input(path: str, overrides: Sequence[str] = ()) -> Scenario:
    """The scenario named on the command line (a file, or else a saved scenario's name), with
    ``--set`` overrides applied; an override's errors say they came from ``--set``."""
    from ..store.scenario_store import (
        load_scenario_arg,  # a file, or else the name of a saved scenario
    )

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


def write_output(path: Optional[str], text: str) -> None:
    """Write ``text`` to ``path`` (``-`` = stdout; None = nowhere), a failure as a :class:`UserError`."""
    if path is None:
        return
    if path == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        Path(path).write_text(text, encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise UserError("write_failed", path=short_repr(path), reason=os_reason(exc)) from None


def write_binary(path: Optional[str], data: bytes) -> None:
    """Write a file's bytes (an XLSX workbook, a Word brief) to ``path`` (``-`` = stdout; None =
    nowhere), a failure as a :class:`UserError`."""
    if path is None:
        return
    if path == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        return
    try:
        Path(path).write_bytes(data)
    except (OSError, ValueError) as exc:
        raise UserError("write_failed", path=short_repr(path), reason=os_reason(exc)) from None
