"""Statutory time-limit rules (审限): pure functions on dates and day counts.

The clock runs from the day after filing, in calendar days, minus excluded periods
(public-notice service, appraisal, ...). A limit of *m* months and *d* days ends on the
date *m* calendar months after the filing date (the month's last day when that day does
not exist) plus *d* days. A case converted from simple to ordinary procedure (简转普)
keeps its filing date: the ordinary limit is counted from the original filing.

The engine uses the vectorised :func:`allowed_days_table` so that every case's test is a
table look-up; the scalar functions define the rule and are what the tests check by hand.
"""
from __future__ import annotations

import datetime as dt
import functools
from typing import Iterable

import numpy as np

from .scenario import Procedure, add_months


def limit_deadline(filing: dt.date, proc: Procedure, extended: bool = False) -> dt.date:
    """Last day of the limit (excluded periods not yet added).

    >>> from sim.model.scenario import Procedure
    >>> limit_deadline(dt.date(2025, 1, 31), Procedure(limit_months=3))
    datetime.date(2025, 4, 30)
    """
    months = proc.limit_months + (proc.extension_months if extended else 0)
    days = proc.limit_days + (proc.extension_days if extended else 0)
    return add_months(filing, months) + dt.timedelta(days=days)


def allowed_days(filing: dt.date, proc: Procedure, extended: bool = False) -> int:
    """Clock days allowed for a case filed on ``filing`` (limit, with extension if ``extended``)."""
    return (limit_deadline(filing, proc, extended) - filing).days


def has_extension(proc: Procedure) -> bool:
    """Whether the procedure allows an extension by the court president."""
    return proc.extension_months > 0 or proc.extension_days > 0


def clock_days(filing: dt.date, on: dt.date, excluded_days: float = 0) -> float:
    """Days counted against the limit on date ``on``: calendar days since filing minus excluded days."""
    return (on - filing).days - excluded_days


def deadline(filing: dt.date, proc: Procedure, excluded_days: int = 0, extended: bool = False) -> dt.date:
    """The date by which the case must close: the limit's last day pushed back by excluded days."""
    return limit_deadline(filing, proc, extended) + dt.timedelta(days=int(excluded_days))


def needs_extension(filing: dt.date, closing: dt.date, proc: Procedure, excluded_days: float = 0) -> bool:
    """True when the case's clock at closing exceeds the base limit."""
    return clock_days(filing, closing, excluded_days) > allowed_days(filing, proc, False)


def within_limit(filing: dt.date, closing: dt.date, proc: Procedure, excluded_days: float = 0) -> bool:
    """Closed within the limit, counting the approved extension where the procedure has one."""
    allowed = allowed_days(filing, proc, has_extension(proc))
    return clock_days(filing, closing, excluded_days) <= allowed


def converted_procedure(original: str, converted: bool) -> str:
    """The procedure that governs a case: conversion (简转普) switches it to ordinary."""
    return "ordinary" if converted else original


def allowed_days_table(origin: dt.date, n_days: int, first_day: int,
                       procs: Iterable[Procedure], extended: bool) -> np.ndarray:
    """Allowed clock days for every procedure and filing day.

    Row *p*, column *k* is :func:`allowed_days` for procedure *p* and filing date
    ``origin + (first_day + k)`` days; ``first_day`` may be negative (cases filed before the
    simulation started). Rows are memoised per (limits, dates): the calibration prepares dozens
    of candidate scenarios that differ in everything but their statutory limits.
    """
    procs = list(procs)
    out = np.empty((len(procs), n_days), dtype=np.int32)
    for i, p in enumerate(procs):
        key = (p.limit_months, p.limit_days, p.extension_months, p.extension_days)
        out[i] = _allowed_row(origin, n_days, first_day, key, extended)
    return out


@functools.lru_cache(maxsize=64)
def _allowed_row(origin: dt.date, n_days: int, first_day: int, limits: tuple[int, int, int, int],
                 extended: bool) -> np.ndarray:
    p = Procedure(limit_months=limits[0], limit_days=limits[1], extension_months=limits[2],
                  extension_days=limits[3])
    row = np.array([allowed_days(origin + dt.timedelta(days=first_day + k), p, extended) for k in range(n_days)],
                   dtype=np.int32)
    row.setflags(write=False)
    return row
