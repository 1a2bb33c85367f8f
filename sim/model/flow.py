"""The case flow month by month, for the moving picture of it (one replication's counts).

Counts along each path of the flow in ``shared/design/model.md`` for each reported month
(period [a, b) of :mod:`sim.model.figures`), and the pending caseload of each team at the
month's end split by its statutory-limit status:

- ``disputes``: disputes brought to the court (arrived in the month);
- ``to_mediation``: of those, sent to pre-filing mediation;
- ``resolved``: mediations that ended in the month with the dispute resolved (never filed);
- ``filed_simple`` / ``filed_complex``: formal filings of the month by the track triage
  (繁简分流) first sent them to;
- ``converted``: filings of the month converted to ordinary procedure (简转普) by the end of
  the run, counted by filing month (the case then moves to a complex-case team; one drawn to
  convert that settled before its hearing never did);
- ``closed_team``: cases closed in the month, per team (the team that closed them);
- ``pending_team``, ``extended_team``, ``overdue_team``: per team at the month's end, cases
  pending, of which past their basic limit but within an approved extension, and of which past
  the limit with any extension (as ``overdue_pending_end``). Cases not yet assigned to a team
  are counted in an extra last column (waiting for assignment).

So, summed over teams, ``pending_team`` is ``pending_end`` and ``overdue_team`` is
``overdue_pending_end`` of the same month (checked in the tests).
"""
from __future__ import annotations

import numpy as np

from .caseflow import Records, converted_cases
from .periods import CaseTimes
from .prepared import Prepared

#: the per-month series (months,) and per-team series (teams + 1, months)
SERIES = ("disputes", "to_mediation", "resolved", "filed_simple", "filed_complex", "converted")
TEAM_SERIES = ("closed_team", "pending_team", "extended_team", "overdue_team")


def monthly_flow(p: Prepared, r: Records, c: CaseTimes) -> dict[str, np.ndarray]:
    """The month-by-month counts of one replication (see the module docstring).

    ``c`` holds what :mod:`sim.model.figures` derived per case (filing day, allowed clock days
    without and with extension, the month each time falls in), so the limit status and the
    months here are the same as in the figures.
    """
    edges = p.month_edges
    n_m = len(edges) - 1
    n_t = len(p.scenario.teams)
    team = np.where(r.team >= 0, r.team, n_t)   # not yet assigned: the extra column
    out = {k: np.zeros(n_m) for k in SERIES} | {k: np.zeros((n_t + 1, n_m)) for k in TEAM_SERIES}
    simple = r.first_track == 0
    new = ~r.initial
    resolved = r.mediated & r.resolved
    converted = converted_cases(p, r)
    for k in range(n_m):
        b = float(edges[k + 1])
        arr = c.arrival_m == k
        out["disputes"][k] = arr.sum()
        out["to_mediation"][k] = (arr & r.mediated).sum()
        out["resolved"][k] = (resolved & (c.mediation_end_m == k)).sum()
        filed = (c.file_m == k) & new
        out["filed_simple"][k] = (filed & simple).sum()
        out["filed_complex"][k] = (filed & ~simple).sum()
        out["converted"][k] = (filed & converted).sum()
        out["closed_team"][:, k] = np.bincount(team[c.end_m == k], minlength=n_t + 1)
        pend = c.pending(k + 1)
        clock = (b - 1) - c.fday[pend] - np.clip(b - r.file_t[pend], 0, c.excluded[pend])
        t = team[pend]
        out["pending_team"][:, k] = np.bincount(t, minlength=n_t + 1)
        over = clock > c.ext[pend]
        out["overdue_team"][:, k] = np.bincount(t[over], minlength=n_t + 1)
        out["extended_team"][:, k] = np.bincount(t[(clock > c.base[pend]) & ~over], minlength=n_t + 1)
    return out
