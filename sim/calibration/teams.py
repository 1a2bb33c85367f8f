"""The court's teams and their staffing day by day, as the scenario's teams from any date.

Staffing comes from one of three places, in this order:

1. **the staffing table** with a team column: each team's staff in each month (a month
   missing from the table keeps the month before's staff);
2. **the staffing table without a team column** (court totals by month): each month's totals
   are split over the teams found in the records in proportion to the judges the records show
   in each of them that month (largest remainders), and said so;
3. **the records alone**: the judges in post day by day (:mod:`.roster`), each counted once in
   the team that holds most of their new cases; assistants and clerks are not in the records
   and are assumed equal to the judges (said so).

A team's track is the track of most of the cases it holds in the records (by its name, 速裁/简
for the simple track, when it holds none). :meth:`Staffing.scenario_teams` writes the teams of
a scenario starting on any day: the staff of that day, and every later change as a dated
change over the span it holds, so that a replay has exactly the staffing of each month; a
forecast holds the staff of its first day.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from ..model.scenario import MAX_TEAMS, add_months
from .estimate import original_procedure, track_of
from .records import Case
from .roster import DEFAULT_TEAMS, JudgeSpan, infer_roster
from .totals import StaffRow

SIMPLE_WORDS = ("速裁", "简案", "简易", "快审", "小额", "speedy", "simple", "fast")
#: the most dated changes a scenario's team may have
MAX_CHANGES = 50
Staff = tuple[int, int, int]


@dataclass
class TeamLine:
    """One team: its track and its staff (judges, assistants, clerks) from each date on."""

    name: str
    track: str
    steps: list[tuple[dt.date, Staff]]          # in date order; the first holds before it too
    assumed_support: bool = False               # assistants and clerks not in the data

    def at(self, d: dt.date) -> Staff:
        """Staff on day ``d``."""
        staff = self.steps[0][1]
        for since, s in self.steps:
            if since <= d:
                staff = s
        return staff


@dataclass
class Staffing:
    """Every team's staffing over the records, the roster it was read from, and what was assumed."""

    teams: list[TeamLine]
    source: str                                  # "table", "table_split" or "records"
    roster: list[JudgeSpan] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # codes of what the user should know

    @property
    def assumed_support(self) -> bool:
        return any(t.assumed_support for t in self.teams)

    def judges_on(self, d: dt.date) -> dict[str, int]:
        """Judges of each team on day ``d``."""
        return {t.name: t.at(d)[0] for t in self.teams}

    def scenario_teams(self, start: dt.date, end: Optional[dt.date] = None) -> list[dict]:
        """The scenario's teams from ``start``: staff of that day and, up to ``end`` (None: the
        staff of ``start`` held), each later change as a dated change over the span it holds."""
        out = []
        for t in self.teams:
            base = t.at(start)
            changes: list[dict[str, Any]] = []
            if end is not None:
                spans = _spans(t, start, end)
                if len(spans) > MAX_CHANGES:
                    spans = _spans(t, start, end, monthly=True)[-MAX_CHANGES:]
                for a, b, s in spans:
                    diff = [x - y for x, y in zip(s, base, strict=False)]
                    if any(diff):
                        changes.append({"start": a.isoformat(), "end": None if b is None else
                                        (b - dt.timedelta(days=1)).isoformat(), "judges": diff[0],
                                        "assistants": diff[1], "clerks": diff[2],
                                        "note": "staffing table" if self.source != "records" else "records"})
            out.append({"name": t.name[:60], "track": t.track, "judges": base[0], "assistants": base[1],
                        "clerks": base[2], "changes": changes})
        return out

    def monthly(self, start: dt.date, months: int) -> list[dict[str, Any]]:
        """The timeline to check: per month and team, the judges on the month's first day and
        the judges who joined or left in the month (from the roster)."""
        rows = []
        for m in range(months):
            a, b = add_months(start, m), add_months(start, m + 1)
            for t in self.teams:
                j, asst, clerks = t.at(a)
                joined = [s.judge for s in self.roster if a <= s.first < b and s.first > start
                          and s.team_on(s.first) == t.name]
                left = [s.judge for s in self.roster if s.left is not None and a <= s.left < b
                        and s.team_on(s.left - dt.timedelta(days=1)) == t.name]
                rows.append({"month": f"{a.year:04d}-{a.month:02d}", "team": t.name, "track": t.track, "judges": j,
                             "assistants": asst, "clerks": clerks, "joined": joined, "left": left})
        return rows

    def to_dict(self, start: dt.date, months: int) -> dict[str, Any]:
        return {"source": self.source, "notes": list(self.notes), "assumed_support": self.assumed_support,
                "teams": [{"name": t.name, "track": t.track} for t in self.teams],
                "months": self.monthly(start, months), "judges": [s.to_dict() for s in self.roster]}


def _spans(t: TeamLine, start: dt.date, end: dt.date, monthly: bool = False) -> list[tuple[dt.date, Optional[dt.date], Staff]]:
    """[from, to) spans after ``start`` with the staff of each (to None: to the end of any horizon)."""
    points = sorted({d for d, _ in t.steps if start < d < end})
    if monthly:
        points = sorted({d if d.day == 1 else add_months(d, 1) for d in points} - {start})
        points = [d for d in points if start < d < end]
    out = []
    for k, a in enumerate(points):
        b = points[k + 1] if k + 1 < len(points) else None
        out.append((a, b, t.at(a)))
    return out


def team_tracks(cases: Sequence[Case]) -> dict[str, str]:
    """Each team of the records and the track of most of its cases."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for c in cases:
        if c.team:
            votes[c.team][track_of(original_procedure(c))] += 1
    return {t: v.most_common(1)[0][0] for t, v in votes.items()}


def track_by_name(name: str) -> str:
    """The simple track for a team named 速裁/简案/小额 ..., else complex."""
    n = name.lower()
    return "simple" if any(w in n for w in SIMPLE_WORDS) else "complex"


def _filled(rows: Sequence[StaffRow], labels: list[str]) -> Optional[list[StaffRow]]:
    per_month = {r.month: r for r in rows}
    have = [m for m in labels if m in per_month]
    if not have:
        return None
    last = per_month[have[0]]
    out = []
    for m in labels:  # a month missing from the table keeps the month before's staff
        last = per_month.get(m, last)
        out.append(last)
    return out


def _staff(r: StaffRow) -> Staff:
    return (r.judges, r.judges if r.assistants is None else r.assistants, r.judges if r.clerks is None else r.clerks)


def from_table(rows: Sequence[StaffRow], cases: Sequence[Case], start: dt.date, months: int) -> list[TeamLine]:
    """Team lines from a staffing table with a team column (months in [start, start + months))."""
    labels = [f"{d.year:04d}-{d.month:02d}" for d in (add_months(start, m) for m in range(months))]
    tracks = team_tracks(cases)
    by_team: dict[str, list[StaffRow]] = defaultdict(list)
    for r in rows:
        if r.team is not None:
            by_team[r.team].append(r)
    lines = []
    for name, mine in list(by_team.items())[:MAX_TEAMS]:
        filled = _filled(mine, labels)
        if filled is None:
            continue
        steps = []
        for k, r in enumerate(filled):
            s = _staff(r)
            if not steps or steps[-1][1] != s:
                steps.append((add_months(start, k), s))
        lines.append(TeamLine(name=name[:60], track=tracks.get(name) or track_by_name(name), steps=steps,
                              assumed_support=filled[0].assistants is None or filled[0].clerks is None))
    return lines


def from_roster(roster: Sequence[JudgeSpan], start: dt.date, end: dt.date, tracks: dict[str, str]
                ) -> list[TeamLine]:
    """Team lines from the judges in post day by day (assistants and clerks equal to judges)."""
    names: list[str] = []
    for s in roster:
        for _, team in s.teams:
            if team not in names:
                names.append(team)
    points = {start}
    for s in roster:
        points |= {s.first, *(d for d, _ in s.teams), *(a for a, _ in s.away), *(b for _, b in s.away)}
        if s.left is not None:
            points.add(s.left)
    points = sorted(d for d in points if start <= d <= end)
    lines = []
    for name in names[:MAX_TEAMS]:
        steps: list[tuple[dt.date, Staff]] = []
        for d in points:
            n = sum(1 for s in roster if s.present(d) and s.team_on(d) == name)
            if not steps or steps[-1][1][0] != n:
                steps.append((d, (n, n, n)))
        track = tracks.get(name) or next((s.track for s in roster if s.teams[0][1] == name), None) or \
            track_by_name(name)
        lines.append(TeamLine(name=name[:60], track=track, steps=steps, assumed_support=True))
    return lines


def split_totals(rows: Sequence[StaffRow], lines: Sequence[TeamLine], start: dt.date, months: int,
                 fixed: Optional[Sequence[float]] = None) -> list[TeamLine]:
    """A staffing table of court totals (no team column) split over ``lines`` month by month in
    proportion to their judges on the month's first day (or to ``fixed`` weights), by largest
    remainders."""
    labels = [f"{d.year:04d}-{d.month:02d}" for d in (add_months(start, m) for m in range(months))]
    filled = _filled([r for r in rows if r.team is None], labels)
    if filled is None or not lines:
        return list(lines)
    steps: list[list[tuple[dt.date, Staff]]] = [[] for _ in lines]
    for k, r in enumerate(filled):
        a = add_months(start, k)
        weights = list(fixed) if fixed is not None else [max(t.at(a)[0], 0) for t in lines]
        if sum(weights) == 0:
            weights = [1] * len(lines)
        parts = [_largest_remainder(x, weights) for x in _staff(r)]
        for i in range(len(lines)):
            s = (parts[0][i], parts[1][i], parts[2][i])
            if not steps[i] or steps[i][-1][1] != s:
                steps[i].append((a, s))
    return [TeamLine(name=t.name, track=t.track, steps=st,
                     assumed_support=filled[0].assistants is None or filled[0].clerks is None)
            for t, st in zip(lines, steps, strict=False)]


def _largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    w = sum(weights)
    exact = [total * x / w for x in weights]
    base = [int(x) for x in exact]
    for k in sorted(range(len(exact)), key=lambda k: base[k] - exact[k])[: total - sum(base)]:
        base[k] += 1
    return base


def _ensure_tracks(lines: list[TeamLine], cases: Sequence[Case], start: dt.date) -> list[str]:
    """A track that has cases but no team gets a one-judge team, so the scenario is valid; the
    note says so (the fit's closings of that track will not match)."""
    needed = {track_of(original_procedure(c)) for c in cases}
    notes = []
    for track in ("simple", "complex"):
        if track in needed and not any(t.track == track for t in lines):
            lines.append(TeamLine(name=DEFAULT_TEAMS[track], track=track, steps=[(start, (1, 1, 1))],
                                  assumed_support=True))
            notes.append(f"staff_invented_{track}")
    return notes


def infer_staffing(staffing: Optional[Sequence[StaffRow]], cases: Sequence[Case], start: dt.date, months: int,
                   export: dt.date) -> Staffing:
    """The court's staffing (see the module's description for which source wins)."""
    end = add_months(start, months)
    roster = infer_roster(cases, start, export)
    tracks = team_tracks(cases)
    inferred = from_roster(roster, start, end, tracks) if roster else []
    notes: list[str] = []
    if staffing and any(r.team is not None for r in staffing):
        lines, source = from_table(staffing, cases, start, months), "table"
    elif staffing:
        if inferred:
            lines, source = split_totals(staffing, inferred, start, months), "table_split"
            notes.append("staff_table_split")
        else:
            # no judges in the records either: split by the tracks' shares of the cases
            load = Counter(track_of(original_procedure(c)) for c in cases)
            per_track = [TeamLine(DEFAULT_TEAMS[k], k, [(start, (1, 1, 1))]) for k in ("simple", "complex") if load[k]]
            lines = split_totals(staffing, per_track, start, months, fixed=[load[t.track] for t in per_track])
            source = "table_split"
            notes.append("staff_table_split_tracks")
    else:
        lines, source = inferred, "records"
        if not roster:
            notes.append("staff_no_judges")
    notes += _ensure_tracks(lines, cases, start)
    return Staffing(teams=lines, source=source, roster=roster, notes=notes)
