"""Staff over time: who is in each team on each day, from its staffing and its dated changes.

The one place where dated changes (secondments, transfers, new judges) become staff per day.
The model's tables (:mod:`sim.model.prepared`), the advisor's capacity estimate and the staffing
output that the app charts (:func:`monthly_staff`) all use it, so they cannot disagree.
"""
from __future__ import annotations

import datetime as dt
from typing import Sequence

import numpy as np

from .scenario import StaffChange, Team

ROLES = ("judges", "assistants", "clerks")  # the rows of every staff table, in this order
DAYS_PER_MONTH = 30.4375                     # a ramp-up of n months lasts n × this many days


def change_days(ch: StaffChange, origin: dt.date, n_days: int) -> tuple[int, int]:
    """The days ``[a, b)`` (counted from ``origin``, clipped to ``n_days``) on which a dated
    change holds; ``b <= a`` when it falls outside them. The end date is the change's last day."""
    a = max(0, (ch.start - origin).days)
    b = n_days if ch.end is None else min(n_days, (ch.end - origin).days + 1)
    return a, b


def staff_deltas(team: Team, origin: dt.date, n_days: int) -> np.ndarray:
    """(3, n_days): judges, assistants and clerks that the team's dated changes add (negative:
    take away) on each day."""
    d = np.zeros((len(ROLES), n_days))
    for ch in team.changes:
        a, b = change_days(ch, origin, n_days)
        if b > a:
            d[:, a:b] += np.array([[getattr(ch, r)] for r in ROLES], dtype=float)
    return d


def staff_present(team: Team, origin: dt.date, n_days: int) -> np.ndarray:
    """(3, n_days): judges, assistants and clerks present in the team on each day (never below 0)."""
    base = np.array([[float(getattr(team, r))] for r in ROLES])
    return np.maximum(base + staff_deltas(team, origin, n_days), 0.0)


def judge_capacity(team: Team, origin: dt.date, n_days: int) -> np.ndarray:
    """(n_days,): judges present, each new judge counted at the speed of their ramp-up.

    A judge who joins with a ramp-up works at ``ramp_start_share`` of full speed on the first
    day, rising linearly to full speed at the end of the ramp (as in the case-flow model), so
    two new judges halfway through a ramp from 50 % count as 1.5.
    """
    cap = staff_present(team, origin, n_days)[0]
    for ch in team.changes:
        a, b = change_days(ch, origin, n_days)
        ramp = ch.ramp_up_months * DAYS_PER_MONTH
        if ch.judges <= 0 or ramp <= 0 or b <= a:
            continue
        days = np.arange(a, min(b, a + int(np.ceil(ramp))))
        age = days - a + 0.5                       # the middle of each day
        shortfall = (1.0 - ch.ramp_start_share) * np.clip(1.0 - age / ramp, 0.0, 1.0)
        cap[days] -= ch.judges * shortfall
    return np.maximum(cap, 0.0)


def monthly_staff(teams: Sequence[Team], origin: dt.date, n_days: int, month_edges: Sequence[float],
                  month_labels: Sequence[str]) -> list[dict]:
    """Staff present per team per reported month, averaged over the month's days.

    One row per (team, month): ``team``, ``month`` ("YYYY-MM"), ``judges``, ``judge_capacity``
    (judges with new judges counted by their ramp-up speed), ``assistants``, ``clerks``.
    """
    edges = np.asarray(month_edges, dtype=float).round().astype(int)
    rows = []
    for tm in teams:
        staff = staff_present(tm, origin, n_days)
        cap = judge_capacity(tm, origin, n_days)
        for m, label in enumerate(month_labels):
            a, b = edges[m], max(edges[m] + 1, edges[m + 1])
            rows.append({"team": tm.name, "month": label,
                         "judges": float(np.mean(staff[0, a:b])),
                         "judge_capacity": float(np.mean(cap[a:b])),
                         "assistants": float(np.mean(staff[1, a:b])),
                         "clerks": float(np.mean(staff[2, a:b]))})
    return rows
