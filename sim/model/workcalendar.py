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


def hours_per_day(cal: Calendar, origin: dt.date, n_days: int) -> np.ndarray:
    """Judge hours available on each calendar day ``origin + k``."""
    holidays = set(cal.holidays)
    extra = set(cal.extra_working_days)
    weekdays = set(cal.working_weekdays)
    push = set(cal.push_months)
    out = np.zeros(n_days, dtype=float)
    for k in range(n_days):
        d = origin + dt.timedelta(days=k)
        works = (d.isoweekday() in weekdays and d not in holidays) or d in extra
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
