"""The court as it stands on a day: its open cases, each on its judge's docket.

Every forecast (the calibrated court from the export, the out-of-sample check from its origin,
a replay from any month) starts from the cases open on its first day, read from the records:
filed before that day and not closed before it. Each keeps its filing date, its governing
procedure (ordinary after 简转普: the clock runs from the original filing) and the days
excluded from its clock so far (the records give a case's excluded days at its closing or at
the export; before that day at most its age in days is counted). Each starts on its presiding
judge's docket in the judge's team on that day (:mod:`.roster`); a case whose judge had left
by then, or is not known, goes to its team (or, with teams from a staffing table that the
records' teams do not match, to the largest team of its track) and is assigned there by the
team's docket rule on the first day, as the court reassigned it.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Optional, Sequence

import numpy as np

from ..model.scenario import MAX_LISTED_CASES, add_months
from .estimate import CarriedOver, carried_over, track_of
from .records import Case
from .teams import Staffing


@dataclass
class StartState:
    """The open cases on ``date``: the summary (ages, overdue) and the table for the scenario
    (None when there are more than a scenario can list: then the summary's groups are used)."""

    date: dt.date
    carried: CarriedOver
    table: Optional[list[dict[str, Any]]]
    unplaced_judges: int = 0          # open cases whose judge was not in post that day

    def initial_pending(self) -> dict[str, Any]:
        """The scenario's ``initial_pending`` section."""
        by = self.carried.by_track
        out: dict[str, Any] = {"simple": by.get("simple", 0), "complex": by.get("complex", 0),
                               "age_profile": [{"max_months": 120.0, "share": 1.0}]}
        if self.table is not None:
            out["cases"] = self.table
        else:
            out["groups"] = self.carried.groups
        return out

    def to_dict(self) -> dict[str, Any]:
        c = self.carried
        return {"date": self.date.isoformat(), **c.by_track, "groups": c.groups, "listed": self.table is not None,
                "dockets": len(self.table or ()), "without_judge": self.unplaced_judges}


def open_on(cases: Sequence[Case], on: dt.date) -> list[Case]:
    """Cases filed before ``on`` and not closed before it."""
    return [c for c in cases if c.filing < on and (c.closing is None or c.closing >= on)]


def start_state(cases: Sequence[Case], on: dt.date, staffing: Staffing, procedures: Any = None) -> StartState:
    """The open cases on ``on`` with their teams and judges (see the module's description)."""
    carried = carried_over(cases, on, procedures)
    open_ = open_on(cases, on)
    if len(open_) > MAX_LISTED_CASES:
        return StartState(on, carried, None)
    names = {t.name for t in staffing.teams}
    largest = {}
    for track in ("simple", "complex"):
        mine = [t for t in staffing.teams if t.track == track] or list(staffing.teams)
        largest[track] = max(mine, key=lambda t: t.at(on)[0]).name
    roster = {s.judge: s for s in staffing.roster}
    groups: dict[tuple, list[Case]] = defaultdict(list)
    unplaced = 0
    for c in open_:
        span = roster.get(c.judge) if c.judge else None
        judge = c.judge if span is not None and span.present(on) else None
        team = span.team_on(on) if judge is not None else None
        if team not in names:
            team = c.team if c.team in names else largest[track_of(c.governing_procedure)]
            judge = None                  # the judge's team is not one of the scenario's
        unplaced += judge is None
        groups[(team, judge or "", c.governing_procedure)].append(c)
    table = []
    for (team, judge, proc), cs in sorted(groups.items()):
        cs = sorted(cs, key=lambda c: (c.filing, c.case_number or "", c.row))
        row: dict[str, Any] = {"team": team, "judge": judge or None, "procedure": proc,
                               "filed": [c.filing.isoformat() for c in cs]}
        excluded = [float(min(c.excluded_days, (on - c.filing).days)) for c in cs]
        if any(excluded):
            row["excluded_days"] = excluded
        table.append(row)
    return StartState(on, carried, table, unplaced)


def totals_state(est: Any, on: dt.date) -> StartState:
    """The carried-over caseload on ``on`` (a month's first day) from the pending count at the end
    of the month before (or the first month's carried over), split by the procedure mix, with the
    template's age profile (assumed: monthly totals do not show ages): listed one by one with
    filing dates spread over those ages, in the largest team of their track, judge unknown (so
    that a run starts from them as from a court's own open cases)."""
    rows = est.extra["table"]
    label = f"{add_months(on, -1).year:04d}-{add_months(on, -1).month:02d}"
    before = next((r.pending for r in rows if r.month == label), None)
    if before is None:
        first = rows[0]
        before = first.carried_over if first.carried_over is not None else first.pending - first.filed + first.closed
    tpl = est.extra["template"]
    profile = [{"max_months": b.max_months, "share": b.share} for b in tpl.initial_pending.age_profile]
    by_track = {"simple": 0, "complex": 0}
    shares = {p: s.value for p, s in est.shares.items() if s.value > 0}
    total = sum(shares.values()) or 1.0
    for track in by_track:
        by_track[track] = int(round(before * sum(v for p, v in shares.items() if track_of(p) == track) / total))
    by_track["simple"] = max(before - by_track["complex"], 0)
    groups, table = [], []
    for track in ("simple", "complex"):
        mine = {p: v for p, v in shares.items() if track_of(p) == track}
        t = sum(mine.values())
        if not t or not by_track[track]:
            continue
        sh = [v / t for v in mine.values()]
        sh[-1] = 1.0 - sum(sh[:-1])
        groups += [{"track": track, "procedure": p, "share": x, "overdue": 0, "age_profile": profile}
                   for p, x in zip(mine, sh, strict=False)]
        counts = [int(by_track[track] * x) for x in sh]
        counts[-1] += by_track[track] - sum(counts)
        teams = [tm for tm in est.staffing.teams if tm.track == track] or list(est.staffing.teams)
        team = max(teams, key=lambda tm: tm.at(on)[0]).name
        for p, n in zip(mine, counts, strict=False):
            if n:   # listed one by one, their filing dates spread over the assumed ages
                table.append({"team": team, "judge": None, "procedure": p,
                              "filed": [(on - dt.timedelta(days=max(1, int(a)))).isoformat()
                                        for a in _ages(profile, n)]})
    return StartState(on, CarriedOver(date=on, by_track=by_track, groups=groups, total=before), table or None)


def _ages(profile: list[dict], n: int) -> list[float]:
    """``n`` ages (days) at the quantiles (k + ½)/n of a piecewise-uniform age profile."""
    edges = [0.0] + [b["max_months"] * 30.4375 for b in profile]
    cum = np.cumsum([0.0] + [b["share"] for b in profile])
    q = (np.arange(n) + 0.5) / n * cum[-1]
    return list(np.interp(q, cum, edges))


def state_on(est: Any, cases: Sequence[Case], on: dt.date, procedures: Any = None) -> StartState:
    """The state on ``on`` for the estimates ``est``: read from the case records, or, for a court
    with monthly totals only, from its monthly table (:func:`totals_state`)."""
    if est.extra.get("aggregate"):
        return totals_state(est, on)
    return start_state(cases, on, est.staffing, procedures)
