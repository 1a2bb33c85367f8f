"""Warnings that a result may mislead, produced by the engine as data.

Each warning is a dict ``{"code": ..., "params": {...}}``: the app and the command line render
it in the user's language next to the headline figures; ``--json`` output carries it as is.
Codes:

- ``team_without_judges`` {team, date}: a team has no judge from ``date``; cases assigned to it
  wait, so a within-limit rate computed over the few cases that do close says nothing.
- ``horizon_past_calendar`` {year}: the public-holiday calendar stops before ``year``; from
  then on the model uses working weekdays only (plus the scenario's own holidays), which gives
  about 13 more working days a year than a real Chinese court has.
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

MESSAGES_EN = {
    "team_without_judges": "team {team} has no judges from {date}: cases assigned to it wait, and its figures "
                           "cover only the cases that do close",
    "horizon_past_calendar": "the public-holiday calendar stops before {year}: from {year} on the model uses "
                             "working weekdays only, about 13 working days a year more than a real court has",
    "team_over_capacity": "team {team} is busy {load:.0%} or more of its hours in every month: its work exceeds its "
                          "capacity, so the results depend on the horizon (there is no steady state)",
}


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


def warning_text(w: dict[str, Any]) -> str:
    """The warning in English, for the command line and logs."""
    template = MESSAGES_EN.get(w["code"])
    if template is None:
        return f"{w['code']}: {w['params']}"
    return template.format(**w["params"])
