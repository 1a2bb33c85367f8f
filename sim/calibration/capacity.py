"""What reveals the court's capacity: its tracks month by month, and the months they were saturated.

A team that keeps up with its filings closes what is filed, whatever its judges' hours per
case: those months say nothing about effort. A month reveals capacity when the track was
**saturated**: its pending caseload grew by more than chance allows (more than twice the
Poisson spread of the month's filings and closings) while it closed fewer cases than were
filed. For each track and month this gives filed, closed, pending at the end, the judges in
post on the month's first day, the closings per judge and whether the month was saturated;
the fit uses every month, but only the saturated ones can pin the judges' hours, and the
page and the report say which months those were.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Sequence

from ..model.scenario import add_months
from .estimate import track_of
from .records import Case
from .teams import Staffing

#: growth of the pending caseload beyond this many standard deviations of chance is saturation
SATURATION_Z = 2.0


@dataclass
class TrackMonth:
    """One track in one month."""

    month: str
    track: str
    filed: int
    closed: int
    pending: int
    judges: int
    saturated: bool

    @property
    def per_judge(self) -> float:
        return self.closed / self.judges if self.judges else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {"month": self.month, "track": self.track, "filed": self.filed, "closed": self.closed,
                "pending": self.pending, "judges": self.judges, "saturated": self.saturated,
                "closed_per_judge": None if not self.judges else round(self.per_judge, 2)}


def track_months(cases: Sequence[Case], start: dt.date, months: int, staffing: Staffing) -> list[TrackMonth]:
    """Filed, closed, pending, judges and saturation per track and full month (see the module)."""
    out = []
    for track in ("simple", "complex"):
        mine = [c for c in cases if track_of(c.governing_procedure) == track]
        if not mine:
            continue
        teams = [t for t in staffing.teams if t.track == track]
        for m in range(months):
            a, b = add_months(start, m), add_months(start, m + 1)
            filed = sum(a <= c.filing < b for c in mine)
            closed = sum(c.closing is not None and a <= c.closing < b for c in mine)
            before = sum(c.filing < a and (c.closing is None or c.closing >= a) for c in mine)
            pending = before + filed - closed
            z = (pending - before) / math.sqrt(max(filed + closed, 1))
            out.append(TrackMonth(month=f"{a.year:04d}-{a.month:02d}", track=track, filed=filed, closed=closed,
                                  pending=pending, judges=sum(t.at(a)[0] for t in teams),
                                  saturated=z > SATURATION_Z and closed < filed))
    return out


def saturated_months(rows: Sequence[TrackMonth], track: str) -> list[str]:
    """The months in which ``track`` was saturated."""
    return [r.month for r in rows if r.track == track and r.saturated]


#: the last months looked at for the capacity the court has now (the shortest first)
WINDOWS = (2, 3)


def latest_window(rows: Sequence[TrackMonth], track: str, windows: Sequence[int] = WINDOWS) -> list[TrackMonth]:
    """The track's last months when the track was short of judges over them: its pending
    caseload grew by more than chance allows (more than twice the Poisson spread of the
    window's filings: when the judges are the limit, their closings vary less) while it closed
    fewer cases than were filed: the last three months if they show it, else the last two (a
    month of staff leaving, when dockets are handed on, can hide it in the longer one); empty
    when neither does."""
    mine = [r for r in rows if r.track == track]
    for window in sorted(windows, reverse=True):   # the longest window that shows it
        if len(mine) < window + 1:
            continue
        w = mine[-window:]
        filed, closed = sum(r.filed for r in w), sum(r.closed for r in w)
        z = (w[-1].pending - mine[-window - 1].pending) / math.sqrt(max(filed, 1))
        if z > SATURATION_Z and closed < filed and all(r.judges > 0 for r in w):
            return w
    return []


def judge_hours(staffing: Staffing, track: str, first: dt.date, months: int, calendar: Any) -> float:
    """Judge working hours of the track's teams over ``months`` months from ``first``: judges in
    post each day × that day's working hours under ``calendar`` (no push)."""
    from ..model.workcalendar import hours_per_day

    cal = calendar.model_copy(update={"push_months": [], "push_factor": 1.0})
    n = (add_months(first, months) - first).days
    hours = hours_per_day(cal, first, n)
    total = 0.0
    for t in staffing.teams:
        if t.track != track and track != "all":
            continue
        for k in range(n):
            if hours[k] > 0:
                total += t.at(first + dt.timedelta(days=k))[0] * hours[k]
    return total
