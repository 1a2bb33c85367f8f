"""The working calendar as a clock of judge hours.

Simulation time is in calendar days from the simulation origin. Judges work only on working
days, ``hours_per_day`` each (times the push factor in push months). ``WorkClock`` maps
calendar time to cumulative working hours of one full-time judge and back, so a case that
needs *h* judge hours and starts at *t* ends at ``finish(t, h)``: weekends and holidays are
skipped exactly, with no event per day.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_left

import numpy as np

from .scenario import Calendar


def public_calendar_years() -> range:
    """Years for which the kept Chinese holiday package knows holidays and working-day swaps."""
    import chinese_calendar

    years = [d.year for d in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def _public_days(cal: Calendar, first: dt.date, last: dt.date) -> tuple[set, set]:
    """(days off, weekend days worked) from the public calendar between two dates."""
    if cal.public_holidays != "china":
        return set(), set()
    import chinese_calendar

    off = {d for d in chinese_calendar.holidays if first <= d <= last}
    on = {d for d in chinese_calendar.workdays if first <= d <= last}
    return off, on


def uncovered_years(cal: Calendar, origin: dt.date, n_days: int) -> list[int]:
    """Years of the simulated span for which the public calendar has no holidays (weekdays only)."""
    if cal.public_holidays != "china":
        return []
    known = public_calendar_years()
    last = origin + dt.timedelta(days=max(n_days - 1, 0))
    return [y for y in range(origin.year, last.year + 1) if y not in known]


def hours_per_day(cal: Calendar, origin: dt.date, n_days: int) -> np.ndarray:
    """Judge hours available on each calendar day ``origin + k``.

    A day is worked when it is one of ``working_weekdays`` and not a public holiday, or when it
    is a weekend day worked in exchange for a holiday (调休). Public holidays and swaps come
    from the ``chinese-calendar`` package when ``public_holidays`` is ``china`` (for the years it
    knows; later years get weekdays only, and the results carry a warning); the scenario's own
    ``holidays`` and ``extra_working_days`` are added on top and win over the package.
    """
    last = origin + dt.timedelta(days=max(n_days - 1, 0))
    pub_off, pub_on = _public_days(cal, origin, last)
    holidays = set(cal.holidays)
    extra = set(cal.extra_working_days)
    weekdays = set(cal.working_weekdays)
    push = set(cal.push_months)
    out = np.zeros(n_days, dtype=float)
    for k in range(n_days):
        d = origin + dt.timedelta(days=k)
        if d in extra:
            works = True
        elif d in holidays:
            works = False
        else:
            works = (d.isoweekday() in weekdays and d not in pub_off) or d in pub_on
        if works:
            out[k] = cal.hours_per_day * (cal.push_factor if d.month in push else 1.0)
    return out


class WorkClock:
    """Cumulative working hours W(t); within a day hours accrue evenly over the day."""

    def __init__(self, hours: np.ndarray):
        self.hours = np.asarray(hours, dtype=float)
        cum = np.concatenate([[0.0], np.cumsum(self.hours)])
        self.cum = cum
        self._cum_list = cum.tolist()
        self._hours_list = self.hours.tolist()
        self.n_days = len(self.hours)
        self.total = float(cum[-1])

    def work_at(self, t: float) -> float:
        """W(t): working hours of one judge from the origin to time ``t``."""
        if t <= 0:
            return 0.0
        d = int(t)
        if d >= self.n_days:
            return self.total
        return self._cum_list[d] + (t - d) * self._hours_list[d]

    def finish(self, t: float, work_hours: float) -> float:
        """Earliest time at which ``work_hours`` of work started at ``t`` is done (inf if beyond the calendar)."""
        target = self.work_at(t) + work_hours
        if target > self.total:
            return float("inf")
        if work_hours <= 0:
            return t
        i = bisect_left(self._cum_list, target)  # first day boundary with W >= target
        d = i - 1
        return d + (target - self._cum_list[d]) / self._hours_list[d]

    def work_between(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Vectorised W(b) − W(a) for arrays of times (clipped to the calendar)."""
        return self._work_vec(b) - self._work_vec(a)

    def _work_vec(self, t: np.ndarray) -> np.ndarray:
        t = np.clip(np.asarray(t, dtype=float), 0, self.n_days)
        d = np.minimum(t.astype(np.int64), self.n_days - 1)
        return self.cum[d] + (t - d) * self.hours[d]
