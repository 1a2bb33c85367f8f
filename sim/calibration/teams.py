"""The court's teams and their staffing month by month, as the scenario's teams.

From the staffing table when there is one: each team's staff in the first recorded month, and
every later month that differs as a dated change (the difference from the first month, over
the months it holds), so that the replay has exactly the recorded staffing. A team's track is
the track of most of the cases it holds in the records (a team with no case in the records:
by its name, 速裁/简 for the simple track, else complex). Without a staffing table the teams
come from the records' team column with one judge per distinct presiding judge, and assistants
and clerks equal to the judges (not in the data: marked as assumed).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any, Optional, Sequence

from ..model.scenario import MAX_TEAMS, add_months
from .build import TeamPlan
from .estimate import original_procedure, track_of
from .records import Case
from .totals import StaffRow

SIMPLE_WORDS = ("速裁", "简案", "简易", "快审", "小额", "speedy", "simple", "fast")
DEFAULT_TEAMS = {"simple": "简案团队 simple-case team", "complex": "繁案团队 complex-case team"}


def _team_tracks(cases: Sequence[Case]) -> dict[str, str]:
    votes: dict[str, Counter] = defaultdict(Counter)
    for c in cases:
        if c.team:
            votes[c.team][track_of(original_procedure(c))] += 1
    return {t: v.most_common(1)[0][0] for t, v in votes.items()}


def _track_by_name(name: str) -> str:
    n = name.lower()
    return "simple" if any(w in n for w in SIMPLE_WORDS) else "complex"


def teams_from_staffing(rows: Sequence[StaffRow], cases: Sequence[Case], start: dt.date, months: int
                        ) -> list[TeamPlan]:
    """Team plans from the staffing table's months in [start, start + months)."""
    labels = [f"{d.year:04d}-{d.month:02d}" for d in (add_months(start, m) for m in range(months))]
    tracks = _team_tracks(cases)
    by_team: dict[str, dict[str, StaffRow]] = defaultdict(dict)
    for r in rows:
        by_team[r.team or DEFAULT_TEAMS["complex"]][r.month] = r
    plans = []
    for name, per_month in list(by_team.items())[:MAX_TEAMS]:
        have = [m for m in labels if m in per_month]
        if not have:
            continue
        filled: list[StaffRow] = []
        last = per_month[have[0]]
        for m in labels:  # a month missing from the table keeps the month before's staff
            last = per_month.get(m, last)
            filled.append(last)
        first = filled[0]
        assumed = first.assistants is None or first.clerks is None

        def staff(r: StaffRow) -> tuple[int, int, int]:
            return (r.judges, r.judges if r.assistants is None else r.assistants,
                    r.judges if r.clerks is None else r.clerks)

        base = staff(first)
        changes: list[dict[str, Any]] = []
        for k, r in enumerate(filled):
            diff = tuple(a - b for a, b in zip(staff(r), base, strict=True))
            month_start = add_months(start, k)
            month_end = add_months(start, k + 1) - dt.timedelta(days=1)
            if not any(diff):
                continue
            prev = changes[-1] if changes else None
            if prev and (prev["judges"], prev["assistants"], prev["clerks"]) == diff and \
                    dt.date.fromisoformat(prev["end"]) + dt.timedelta(days=1) == month_start:
                prev["end"] = month_end.isoformat()
                continue
            changes.append({"start": month_start.isoformat(), "end": month_end.isoformat(), "judges": diff[0],
                            "assistants": diff[1], "clerks": diff[2], "note": "staffing table"})
        if changes and changes[-1]["end"] == (add_months(start, months) - dt.timedelta(days=1)).isoformat():
            changes[-1]["end"] = None  # holds to the end of the records: to the end of any horizon
        plans.append(TeamPlan(name=name[:60], track=tracks.get(name) or _track_by_name(name), judges=base[0],
                              assistants=base[1], clerks=base[2], changes=changes[-50:], assumed_support=assumed))
    return _ensure_tracks(plans, cases)


def teams_from_cases(cases: Sequence[Case]) -> list[TeamPlan]:
    """Team plans from the records alone: one judge per distinct presiding judge of a team."""
    judges: dict[str, set] = defaultdict(set)
    tracks = _team_tracks(cases)
    for c in cases:
        team = c.team or DEFAULT_TEAMS[track_of(original_procedure(c))]
        tracks.setdefault(team, track_of(original_procedure(c)))
        if c.judge:
            judges[team].add(c.judge)
    plans = []
    for name, track in list(tracks.items())[:MAX_TEAMS]:
        n = max(1, len(judges.get(name, ())))
        plans.append(TeamPlan(name=name[:60], track=track, judges=n, assistants=n, clerks=n, assumed_support=True))
    return _ensure_tracks(plans, cases)


def _ensure_tracks(plans: list[TeamPlan], cases: Sequence[Case]) -> list[TeamPlan]:
    """A track that has cases but no team gets a one-judge team, so the scenario is valid (and the
    fit shows it: the closings of that track will not match)."""
    needed = {track_of(original_procedure(c)) for c in cases}
    for track in ("simple", "complex"):
        if track in needed and not any(p.track == track for p in plans):
            plans.append(TeamPlan(name=DEFAULT_TEAMS[track], track=track, judges=1, assistants=1, clerks=1,
                                  assumed_support=True))
    return plans


def team_plans(staffing: Optional[Sequence[StaffRow]], cases: Sequence[Case], start: dt.date, months: int
               ) -> list[TeamPlan]:
    """From the staffing table when given (and it covers the period), else from the records."""
    if staffing:
        plans = teams_from_staffing(staffing, cases, start, months)
        if plans:
            return plans
    return teams_from_cases(cases)
