"""The advisor's plans: staff per track, how a plan becomes a scenario, and what it may ask for.

A :class:`Plan` chooses, per track (simple / complex), how many judges, assistants and clerks
it gets (and the share of disputes offered pre-filing mediation). Within a track, judges are
spread over its teams in proportion to the teams' current judges, and assistants and clerks
in proportion to the judges each team receives, both by largest remainder. Equal support per
judge inside a track is the best spread: cases are shared among a track's teams by judges
present (rotation or least-loaded), and the support effect is concave in support staff per
judge, so by Jensen's inequality uneven ratios only lose capacity. Teams keep their names,
tracks and dated changes (secondments, transfers, new judges); a team that loses staff in a
dated change keeps at least that many.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional, Sequence

import numpy as np

from ..model.errors import CodedError, short_repr
from ..model.scenario import Scenario, scenario_from_dict, scenario_to_dict
from ..vocabulary.advisor_text import OBJECTIVES
from ..vocabulary.figure_registry import REGISTRY

TRACKS = ("simple", "complex")
ROLES = ("judges", "assistants", "clerks")


class AdviceInputError(CodedError, ValueError):
    """Totals or options the advisor cannot work with: ``code`` and ``params`` (rendered in any
    language by :mod:`sim.vocabulary.messages`); ``str()`` is the English message."""


@dataclass(frozen=True)
class Plan:
    """Staff per track (simple, complex) and the mediation share offered."""

    judges: tuple[int, int]
    assistants: tuple[int, int]
    clerks: tuple[int, int]
    mediation_share: float
    label: str = ""
    as_is: bool = False   # the scenario's own team-by-team staffing, not a proportional spread

    @property
    def key(self) -> tuple:
        """What makes two plans the same (the label is only where it came from)."""
        return (self.judges, self.assistants, self.clerks, round(self.mediation_share, 6), self.as_is)

    def total(self, role: str) -> int:
        """Staff of ``role`` over both tracks."""
        return sum(getattr(self, role))

    def totals(self) -> dict[str, int]:
        """Staff of every role over both tracks."""
        return {r: self.total(r) for r in ROLES}

    def describe(self) -> str:
        """One line in English (benchmarks and logs; the pages use :mod:`sim.vocabulary.advisor_text`)."""
        s = (f"simple {self.judges[0]}J/{self.assistants[0]}A/{self.clerks[0]}C, "
             f"complex {self.judges[1]}J/{self.assistants[1]}A/{self.clerks[1]}C")
        return s + f", mediation {100 * self.mediation_share:.0f}%"


def _largest_remainder(total: int, weights: Sequence[float], mins: Sequence[int]) -> list[int]:
    """``total`` in proportion to ``weights`` (Hamilton's method), then raised to ``mins``.

    Ties in the remainders go to the larger weight, then to the earlier team, so the spread is
    deterministic. Equal weights are used when all weights are zero. A team below its minimum
    takes one at a time from the team furthest above its own minimum (relative to its weight).
    """
    n = len(weights)
    if n == 0:
        return []
    w = [max(0.0, float(x)) for x in weights]
    if sum(w) <= 0:
        w = [1.0] * n
    quota = [total * x / sum(w) for x in w]
    out = [int(math.floor(q)) for q in quota]
    left = total - sum(out)
    order = sorted(range(n), key=lambda i: (-(quota[i] - out[i]), -w[i], i))
    for i in order[:left]:
        out[i] += 1
    for i in range(n):
        while out[i] < mins[i]:
            donors = [k for k in range(n) if out[k] > mins[k]]
            if not donors:
                break
            d = max(donors, key=lambda k: ((out[k] - quota[k]), out[k] - mins[k], -k))
            out[d] -= 1
            out[i] += 1
    return out


def _team_minimums(team) -> dict[str, int]:
    """Staff a team must keep so that none of its dated changes takes it below zero."""
    return {r: max([0] + [-getattr(ch, r) for ch in team.changes]) for r in ROLES}


def plan_scenario(base: Scenario, plan: Plan, name: Optional[str] = None) -> Scenario:
    """The scenario ``base`` with its teams staffed by ``plan`` (names, tracks, changes kept)."""
    data = scenario_to_dict(base)
    for k, track in enumerate(TRACKS):
        idx = [i for i, t in enumerate(base.teams) if t.track == track]
        if not idx:
            continue
        mins = [_team_minimums(base.teams[i]) for i in idx]
        js = _largest_remainder(plan.judges[k], [base.teams[i].judges for i in idx], [m["judges"] for m in mins])
        # support follows the judges each team receives: equal support per judge in a track
        w = js if sum(js) > 0 else [base.teams[i].judges for i in idx]
        asg = _largest_remainder(plan.assistants[k], w, [m["assistants"] for m in mins])
        cl = _largest_remainder(plan.clerks[k], w, [m["clerks"] for m in mins])
        for n, i in enumerate(idx):
            data["teams"][i]["judges"] = js[n]
            data["teams"][i]["assistants"] = asg[n]
            data["teams"][i]["clerks"] = cl[n]
    data["mediation"]["share_offered"] = float(plan.mediation_share)
    if name:
        data["name"] = name[:120]
    return scenario_from_dict(data)


def current_plan(base: Scenario) -> Plan:
    """The plan the scenario has now (its teams' staff summed by track)."""
    def tot(role: str) -> tuple[int, int]:
        return tuple(sum(getattr(t, role) for t in base.teams if t.track == k) for k in TRACKS)  # type: ignore[return-value]
    return Plan(tot("judges"), tot("assistants"), tot("clerks"), base.mediation.share_offered, "current", True)


def tracks_receiving_cases(base: Scenario) -> list[str]:
    """Tracks that get cases (new filings, misrouting, conversions or the carried-over caseload)."""
    out = []
    for track in TRACKS:
        own = any(c.track == track and c.share > 0 for c in base.case_types)
        other = any(c.track != track and c.share > 0 for c in base.case_types) and base.triage.accuracy < 1
        conv = track == "complex" and base.triage.conversion_rate > 0 and any(
            c.track == "simple" and c.share > 0 for c in base.case_types)
        pend = getattr(base.initial_pending, track) > 0
        if own or other or conv or pend:
            out.append(track)
    return out


def track_minimums(base: Scenario) -> dict[str, list[int]]:
    """Per role, the least staff each track can have (dated changes; one judge if it gets cases)."""
    need = tracks_receiving_cases(base)
    out = {}
    for r in ROLES:
        mins = []
        for track in TRACKS:
            m = sum(_team_minimums(t)[r] for t in base.teams if t.track == track)
            if r == "judges" and track in need and any(t.track == track for t in base.teams):
                m = max(m, 1)
            mins.append(m)
        out[r] = mins
    return out


def tracks_with_teams(base: Scenario) -> list[bool]:
    """Per track, whether the scenario has a team on it (a plan can only staff those)."""
    return [any(t.track == k for t in base.teams) for k in TRACKS]


def _whole(name: str, v: Any, base: Scenario) -> None:
    if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < 0:
        raise AdviceInputError("adv_whole_number", role=name, value=short_repr(v))
    if v > 500 * len(base.teams):
        raise AdviceInputError("adv_too_many", role=name, value=int(v))


def check_inputs(base: Scenario, judges: int, assistants: int, clerks: int, extra_posts: int = 0,
                 mediation_shares: Optional[Sequence[float]] = None,
                 objective: str = "within_limit_rate", extra_assistants: int = 0, extra_clerks: int = 0) -> None:
    """Raise :class:`AdviceInputError` when :func:`sim.analysis.advisor.advise` cannot work with
    these inputs (``extra_posts`` is the extra judge posts offered)."""
    for name, v in (("judges", judges), ("assistants", assistants), ("clerks", clerks), ("extra_posts", extra_posts),
                    ("extra_assistants", extra_assistants), ("extra_clerks", extra_clerks)):
        _whole(name, v, base)
    if objective not in OBJECTIVES or REGISTRY[objective].better is None:
        raise AdviceInputError("adv_objective", value=short_repr(objective))
    for s in mediation_shares or ():
        if isinstance(s, (bool, str)) or not 0 <= float(s) <= 1 or not math.isfinite(float(s)):
            raise AdviceInputError("adv_mediation_share", value=short_repr(s))
    need = tracks_receiving_cases(base)
    for track in need:
        if not any(t.track == track for t in base.teams):
            raise AdviceInputError("adv_no_team", track=track)
    mins = track_minimums(base)
    for r, total in (("judges", judges), ("assistants", assistants), ("clerks", clerks)):
        if total < sum(mins[r]):
            needs = [[track, int(mins[r][k])] for k, track in enumerate(TRACKS) if mins[r][k]]
            raise AdviceInputError("adv_cannot_staff", total=int(total), role=r, needs=needs)


def plan_dict(p: Plan) -> dict[str, Any]:
    """A plan as plain data: per track its staff, the mediation share, a line in English."""
    return {"simple": {"judges": p.judges[0], "assistants": p.assistants[0], "clerks": p.clerks[0]},
            "complex": {"judges": p.judges[1], "assistants": p.assistants[1], "clerks": p.clerks[1]},
            "mediation_share": p.mediation_share, "description": p.describe()}


def teams_of(scn: Scenario) -> list[dict[str, Any]]:
    """Each team's name, track and staff (the plan team by team)."""
    return [{"team": t.name, "track": t.track, "judges": t.judges, "assistants": t.assistants,
             "clerks": t.clerks, "changes": len(t.changes)} for t in scn.teams]


def team_moves(before: Scenario, after: Scenario) -> list[dict[str, Any]]:
    """Per team whose staff differ, its staff before and after and the difference, role by role."""
    out = []
    for now, new in zip(before.teams, after.teams):
        d = {r: getattr(new, r) - getattr(now, r) for r in ROLES}
        if any(d.values()):
            out.append({"team": now.name, "track": now.track, "delta": d,
                        "current": {r: getattr(now, r) for r in ROLES}, "new": {r: getattr(new, r) for r in ROLES}})
    return out
