"""Who the court's judges were, and when: the roster read from the records' presiding judges.

A court's export names the presiding judge of every case (pseudonymised on import). A judge
receives new cases on almost every working day while in post, so the flow of new assignments
says who was there:

- **from** the first day of a judge's regular assignments (a case reassigned to the judge
  later, filed long before the judge arrived, is not an assignment of that day: the run of
  filing dates is followed back from the judge's first busy month only while consecutive
  dates are no further apart than a judge's usual quiet spell);
- **left** when no case came for more than :data:`LEFT_AFTER_DAYS` days (or five of the
  judge's usual gaps, if longer) before the export: their open cases moved to others, and the
  export shows the new judge, so the cases still visible under a departed judge are those the
  judge closed before leaving. Of the cases filed *t* days before the departure, the share
  the judge closed is the share of the track's cases disposed of within *t* days (its
  Kaplan–Meier curve), so the departure day is where the judge's thinning last assignments are
  most likely under that curve (Poisson likelihood, searched day by day up to
  :data:`DEPARTURE_SEARCH_DAYS` after the last visible case);
- **away** in a month inside that span with far fewer assignments than the judge's usual
  (a Poisson probability under :data:`AWAY_P`: a secondment, long leave);
- **track**: the track that holds most of the judge's cases (each judge is counted once, on
  that track), and **team**, month by month, the team that holds most of the month's new
  cases (a judge moved between teams moves with them).

These are inferences, shown to the user to check and correct (a staffing table always wins).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

import numpy as np
from scipy import stats

from ..model.scenario import add_months
from .estimate import original_procedure, track_of
from .records import Case

#: no new case for this many days before the export: the judge has left (or five usual gaps)
LEFT_AFTER_DAYS = 31
#: how far after a departed judge's last visible case the departure day is looked for
DEPARTURE_SEARCH_DAYS = 150
#: a month inside a judge's span is "away" when so few cases are this improbable at the usual rate
AWAY_P = 1e-3
#: the names of the teams of each track when the records have no team column
DEFAULT_TEAMS = {"simple": "简案团队 simple-case team", "complex": "繁案团队 complex-case team"}


@dataclass
class JudgeSpan:
    """One judge as the records show them (a pseudonym, never a name)."""

    judge: str
    track: str                                   # the track holding most of the judge's cases
    share: float                                 # share of the judge's cases on that track
    first: dt.date                               # present from this day
    left: Optional[dt.date]                      # first day gone (None: present at the export)
    cases: int                                   # new cases assigned in the period
    teams: list[tuple[dt.date, str]] = field(default_factory=list)   # (from, team), in date order
    away: list[tuple[dt.date, dt.date]] = field(default_factory=list)  # [from, to) months away

    def present(self, d: dt.date) -> bool:
        """Whether the judge is in post on day ``d``."""
        if d < self.first or (self.left is not None and d >= self.left):
            return False
        return not any(a <= d < b for a, b in self.away)

    def team_on(self, d: dt.date) -> str:
        """The judge's team on day ``d`` (the first team before the judge's first month)."""
        team = self.teams[0][1]
        for since, name in self.teams:
            if since <= d:
                team = name
        return team

    def to_dict(self) -> dict[str, Any]:
        return {"judge": self.judge, "track": self.track, "share": round(self.share, 4),
                "first": self.first.isoformat(), "left": self.left.isoformat() if self.left else None,
                "cases": self.cases, "teams": [[d.isoformat(), t] for d, t in self.teams],
                "away": [[a.isoformat(), b.isoformat()] for a, b in self.away]}


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    out, m = [], start.replace(day=1)
    while m <= end:
        out.append(m)
        m = add_months(m, 1)
    return out


def _run_bounds(dates: Sequence[dt.date], lo: int, hi: int, gap: float) -> tuple[int, int]:
    """Indices of the first and last dates of the run that contains dates[lo..hi], extended
    outwards while consecutive dates are at most ``gap`` days apart."""
    while lo > 0 and (dates[lo] - dates[lo - 1]).days <= gap:
        lo -= 1
    while hi + 1 < len(dates) and (dates[hi + 1] - dates[hi]).days <= gap:
        hi += 1
    return lo, hi


def closed_within(cases: Sequence[Case], export: dt.date) -> dict[str, np.ndarray]:
    """Per track, the share of cases disposed of within d days, for d = 0, 1, 2, ... (the
    Kaplan–Meier curve, pending cases censored at the export), up to the longest observed."""
    from .durations import kaplan_meier

    out = {}
    for track in ("simple", "complex"):
        mine = [c for c in cases if track_of(original_procedure(c)) == track]
        if not mine:
            continue
        closed = np.array([c.closing is not None for c in mine])
        dur = np.array([((c.closing or export) - c.filing).days for c in mine], dtype=float)
        times, surv = kaplan_meier(dur, closed)
        grid = np.arange(int(dur.max()) + 2)
        k = np.searchsorted(times, grid, side="right")
        out[track] = 1.0 - np.concatenate([[1.0], surv])[k]
    return out


def departure_day(dates: Sequence[dt.date], per_day: float, within: np.ndarray, export: dt.date) -> dt.date:
    """The most likely departure day of a judge whose last visible new cases are ``dates``
    (sorted), who got ``per_day`` new cases a calendar day, when a case filed t days before the
    departure is visible under the judge with probability ``within[t]`` (see the module)."""
    last = dates[-1]
    lo = last - dt.timedelta(days=DEPARTURE_SEARCH_DAYS + len(within))
    counts = Counter(d for d in dates if d >= lo)
    window = np.array([(lo + dt.timedelta(days=k)) for k in range((last - lo).days + 1)])
    n = np.array([counts.get(d, 0) for d in window], dtype=float)
    best, best_ll = last + dt.timedelta(days=1), -np.inf
    for extra in range(1, DEPARTURE_SEARCH_DAYS + 1):
        dep = last + dt.timedelta(days=extra)
        if dep > export:
            break
        age = np.array([(dep - d).days for d in window])
        f = within[np.clip(age, 0, len(within) - 1)]
        mu = per_day * f
        ll = float((n * np.log(mu + 1e-12) - mu).sum())
        if ll > best_ll:
            best, best_ll = dep, ll
    return best


def _one(judge: str, cases: Sequence[Case], start: dt.date, export: dt.date, has_team: bool,
         within: dict[str, np.ndarray]) -> Optional[JudgeSpan]:
    tracks = Counter(track_of(original_procedure(c)) for c in cases)
    track, n_track = max(tracks.items(), key=lambda kv: (kv[1], kv[0] == "simple"))
    new = sorted((c for c in cases if start <= c.filing <= export), key=lambda c: c.filing)
    if not new:
        return None                       # only cases from before the period: gone by its start
    dates = [c.filing for c in new]
    months = _month_starts(start, export)
    days_in = np.array([(min(add_months(m, 1), export + dt.timedelta(days=1)) - m).days for m in months], float)
    counts = np.zeros(len(months))
    idx = {(m.year, m.month): k for k, m in enumerate(months)}
    for d in dates:
        counts[idx[(d.year, d.month)]] += 1
    rate = counts / days_in
    usual = float(np.median(rate[counts > 0]))
    busy = [k for k in range(len(months)) if rate[k] >= 0.25 * usual] or [k for k in range(len(months)) if counts[k]]
    span_days = max((dates[-1] - dates[0]).days, 1)
    gap = max(7.0, 5.0 * span_days / len(dates))
    first_busy = next(i for i, d in enumerate(dates) if (d.year, d.month) == (months[busy[0]].year,
                                                                             months[busy[0]].month))
    last_busy = max(i for i, d in enumerate(dates) if (d.year, d.month) == (months[busy[-1]].year,
                                                                            months[busy[-1]].month))
    lo, hi = _run_bounds(dates, first_busy, last_busy, gap)
    first = start if busy[0] == 0 and (dates[lo] - start).days <= gap else dates[lo]
    last = dates[hi]
    left = None
    if (export - last).days > max(LEFT_AFTER_DAYS, gap):
        per_day = (hi - lo + 1) / max((last - dates[lo]).days + 1, 1)
        left = departure_day(dates[lo:hi + 1], per_day, within[track], export) if track in within else \
            last + dt.timedelta(days=1)
    away = []
    for k in range(busy[0] + 1, busy[-1]):
        expected = usual * days_in[k]
        if stats.poisson.cdf(counts[k], expected) < AWAY_P:
            away.append((months[k], add_months(months[k], 1)))
    teams: list[tuple[dt.date, str]] = []
    if has_team:
        by_month: dict[tuple[int, int], Counter] = defaultdict(Counter)
        for c in new:
            if c.team:
                by_month[(c.filing.year, c.filing.month)][c.team] += 1
        for m in months:
            votes = by_month.get((m.year, m.month))
            if votes:
                team = votes.most_common(1)[0][0]
                if not teams or teams[-1][1] != team:
                    teams.append((max(m, first) if not teams else m, team))
    if not teams:
        teams = [(first, DEFAULT_TEAMS[track])]
    return JudgeSpan(judge=judge, track=track, share=n_track / sum(tracks.values()), first=first, left=left,
                     cases=len(new), teams=teams, away=_merge(away))


def _merge(spans: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    out: list[tuple[dt.date, dt.date]] = []
    for a, b in spans:
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def infer_roster(cases: Sequence[Case], start: dt.date, export: dt.date) -> list[JudgeSpan]:
    """Every presiding judge of the records, with the span they were in post (see the module).

    ``start`` is the first day of the records' period and ``export`` the export date. Judges
    come in the order of their pseudonyms; a judge with no new case in the period is left out
    (in post before it only: their open cases at its start were handed on).
    """
    by_judge: dict[str, list[Case]] = defaultdict(list)
    for c in cases:
        if c.judge:
            by_judge[c.judge].append(c)
    has_team = any(c.team for c in cases)
    within = closed_within(cases, export)
    out = []
    for j in sorted(by_judge):
        span = _one(j, by_judge[j], start, export, has_team, within)
        if span is not None:
            out.append(span)
    return out
