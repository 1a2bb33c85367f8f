"""Warnings that a result may mislead, produced by the engine as data.

Each warning is a dict ``{"code": ..., "params": {...}}``: the app and the command line render
it in the user's language next to the headline figures; ``--json`` output carries it as is.
The words are in the engine's message catalogues (``caveat_<code>``, rendered with
:func:`sim.vocabulary.messages.render_warning`). Codes:

- ``team_without_judges`` {team, date}: a team has no judge from ``date``; cases assigned to it
  wait, so a within-limit rate computed over the few cases that do close says nothing.
- ``horizon_past_calendar`` {year}: the public-holiday calendar stops before ``year``; from
  then on the model uses working weekdays only (plus the scenario's own holidays), which gives
  about 13 more working days a year than a real Chinese court has.
- ``listed_cases_unplaced`` {team, n}: ``n`` open cases of the starting state are listed under a
  team the scenario does not have (renamed or removed in a what-if): they are assigned on the
  first day like new filings.
- ``team_over_capacity`` {team, load}: the team's judges are busy in every reported month
  (``load`` is its lowest monthly utilisation): its work exceeds its capacity, there is no
  steady state, and figures depend on the horizon's length.
"""
from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import numpy as np

# a team busy at least this share of its hours in every reported month is treated as saturated
OVER_CAPACITY_UTILISATION = 0.98

# warnings under which a target shown as met cannot be taken at face value
UNDERMINE_TARGETS = ("team_without_judges", "team_over_capacity")


def warning(code: str, **params: Any) -> dict[str, Any]:
    """One warning as data."""
    return {"code": code, "params": params}


def static_warnings(team_names: list[str], judges_day: np.ndarray, origin: dt.date,
                    uncovered_years: list[int]) -> list[dict[str, Any]]:
    """Warnings that follow from the scenario alone (before any replication runs)."""
    out = []
    for i, name in enumerate(team_names):
        zero = np.flatnonzero(judges_day[i] <= 0)
        if len(zero):
            out.append(warning("team_without_judges", team=name,
                               date=(origin + dt.timedelta(days=int(zero[0]))).isoformat()))
    if uncovered_years:
        out.append(warning("horizon_past_calendar", year=int(uncovered_years[0])))
    return out


def unplaced_warnings(team_names: list[str], listed: list[tuple[str, int]]) -> list[dict[str, Any]]:
    """Warnings for listed open cases (team, number of cases) whose team the scenario lacks."""
    missing: dict[str, int] = {}
    for team, n in listed:
        if team not in team_names:
            missing[team] = missing.get(team, 0) + n
    return [warning("listed_cases_unplaced", team=t, n=n) for t, n in missing.items()]


def result_warnings(team_names: list[str], util_monthly_reps: np.ndarray) -> list[dict[str, Any]]:
    """Warnings read off the results: teams saturated in every month (mean over replications)."""
    out = []
    if util_monthly_reps.size == 0:
        return out
    with warnings.catch_warnings():  # a team without judges has no utilisation: NaN, not a warning
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(util_monthly_reps, axis=0)  # (teams, months)
    for i, name in enumerate(team_names):
        row = mean[i]
        if np.all(np.isfinite(row)) and row.min() >= OVER_CAPACITY_UTILISATION:
            out.append(warning("team_over_capacity", team=name, load=round(float(row.min()), 4)))
    return out

