"""The capacity the court has now, from the months that reveal it.

When a track was short of judges over the last recorded months (:func:`.capacity.latest_window`:
its pending caseload grew beyond chance while it closed fewer cases than were filed), its
closings in those months are what its judges could do under the staffing of those months
(the window's first month and December left out: a replay starts with empty calendars and
desks, and a year-end push is not the usual pace). The whole-history fit
(:mod:`.fit`) balances every month and every disposition figure, so where the template's
hearing calendar and dockets queue differently from the court's, its judge time per case can
miss the capacity that binds now, which is what a forecast from the export needs.

So for such a track the judge time per case is found that makes the simulated court,
replaying those months from the state at their start (the cases open then, the court's own
filings, its staffing), close as many of the track's cases as the court did: a secant search
in log scale (closings fall about as one over the judge time), at most four probes of
:data:`PROBE_REPS` replications, its range from the Poisson spread of the court's closings in
the window and of the probes'. It is the value used — the capacity the court has now, which
the forecast starts from — and the whole-history fit's value and range stay in the
parameter's notes for comparison. The replay's closings must answer to the judge time (a
secant slope steeper than −0.5), and where the whole-history fit pins the value, the window's
must lie within :data:`FAR` times its range (a month of chance can look like a shortfall);
otherwise the whole-history fit stands.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any, Callable, Optional, Sequence

import numpy as np

from ..analysis.runner import map_replications
from ..model.scenario import Scenario, add_months
from .build import SPECS, Estimates, build_scenario
from .capacity import judge_hours, latest_window
from .estimate import Param
from .state import StartState

PROBE_REPS = 3
PROBES = 4
#: the probes stop when the simulated closings are this close to the court's (a share)
CONVERGED = 0.015
#: months of the window (its first and December left out) needed to set the pace from it
MIN_COUNTED = 1
#: the latest months' pace is taken only within this factor of the whole-history fit's range
#: (when that fit pins the value): further out it is a month of chance, not the court's pace
FAR = 1.5


def _probe(est: Estimates, tpl: Scenario, values: dict[str, float], track: str, state: StartState, months: int,
           counted: Sequence[int], seed: int, workers: Optional[int]) -> float:
    """The track's closings in the ``counted`` months (mean over replications) replaying
    ``months`` from ``state``."""
    scn = build_scenario(est, tpl, values, start=state.date, months=months, state=state, replications=PROBE_REPS,
                         seed=seed, recorded=True)
    figs = map_replications([(scn, seed, r) for r in range(PROBE_REPS)], workers)
    on = np.array([t.track == track or track == "all" for t in scn.teams])
    return float(np.mean([f["flow_monthly"]["closed_team"][:len(on)][on][:, list(counted)].sum() for f in figs]))


def revealed(est: Estimates, tpl: Scenario, track: str) -> Optional[dict[str, Any]]:
    """The court's closings in the track's latest saturated window, leaving out December (a
    year-end push closes more than the judges' usual pace, and one December cannot say how
    much), with the judge-hours of the counted months; None without such a window."""
    w = latest_window(est.extra.get("tracks", []), track)
    # the window's first month is left out too: a replay's first days start with empty
    # calendars and desks, and the judges' pace shows only once their work has built up
    counted = [k for k, r in enumerate(w) if k > 0 and not r.month.endswith("-12")]
    if not counted:
        return None
    first = dt.date(int(w[0].month[:4]), int(w[0].month[5:]), 1)
    hours = sum(judge_hours(est.staffing, track, add_months(first, k), 1, tpl.calendar) for k in counted)
    closed = sum(w[k].closed for k in counted)
    return {"first": first, "window": len(w), "counted": counted, "months": [w[k].month for k in counted],
            "closed": closed, "hours": hours, "rate": closed / max(hours, 1e-9)}


def capacity_values(est: Estimates, tpl: Scenario, mult: dict[str, Param], cases: Sequence[Any], seed: int,
                    workers: Optional[int], progress: Optional[Callable[[], None]] = None) -> dict[str, Param]:
    """The judge time per case of each track saturated in its latest months, from its closings
    in them (see the module); the other tracks keep the fitted value."""
    from .state import state_on

    values = {k: p.value for k, p in mult.items()}
    out = dict(mult)
    for track in ("simple", "complex", "all"):
        name = "effort" if track == "all" else f"effort_{track}"
        obs = revealed(est, tpl, track)
        if obs is None or name not in mult:
            continue
        if len(obs["counted"]) < MIN_COUNTED:
            continue   # one month is too little to set the pace from
        state = state_on(est, cases, obs["first"], tpl.procedures)
        spec = SPECS[name]
        e, trials, slope = values[name], [], -1.0
        for _ in range(PROBES):
            c = _probe(est, tpl, {**values, name: e}, track, state, obs["window"], obs["counted"], seed, workers)
            trials.append((e, c))
            if progress:
                progress()
            if abs(c - obs["closed"]) <= CONVERGED * obs["closed"]:
                break
            if len(trials) > 1:
                (e0, c0), (e1, c1) = trials[-2], trials[-1]
                if e1 != e0 and c1 > 0 and c0 > 0:
                    slope = min(math.log(c1 / c0) / math.log(e1 / e0), -0.2)  # closings fall with judge time
            e = float(np.clip(e * (obs["closed"] / max(c, 1.0)) ** (1.0 / slope), spec.low, spec.high))
        if slope > -0.5:
            continue   # the replay's closings hardly move with the judge time: they cannot set it
        old = mult[name]
        if old.identified and not old.low / FAR <= e <= old.high * FAR:
            # a pace far outside what the whole history allows: a month of chance, not a change
            old.params.update(window_value=round(e, 4))
            continue
        # the range: the Poisson spread of the court's closings in the window and of the probe's,
        # through the closings' response to judge time (a saturated track's closings fall as one
        # over it)
        rel = 1.959964 * math.sqrt(1.0 / max(obs["closed"], 1) + 1.0 / max(trials[-1][1] * PROBE_REPS, 1)) / \
            abs(slope)
        low, high = max(e * math.exp(-rel), spec.low), min(e * math.exp(rel), spec.high)
        out[name] = Param(old.key, e, low, high, "capacity", True,
                          params={**old.params, "months": obs["months"], "closed": obs["closed"],
                                  "per_judge_hour": round(obs["rate"], 4), "history_fit": round(old.value, 4),
                                  "history_low": round(old.low, 4), "history_high": round(old.high, 4),
                                  "history_identified": old.identified, "open_low": False, "open_high": False})
        if "hours" in old.params:
            base = old.params["hours"] / old.value
            out[name].params.update(hours=round(base * e, 3), hours_low=round(base * out[name].low, 3),
                                    hours_high=round(base * out[name].high, 3))
    return out
