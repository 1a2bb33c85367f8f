"""A group's plan for an exercise, the checker of its limits, and the scenario it runs as.

A plan is the part of the scenario groups may change: staff team by team, the share of
disputes offered pre-filing mediation, a secondment's team and first month, the year-end
freeze. :func:`check_plan` is a pure function: whether a plan is within the exercise's limits,
every problem as a coded :class:`FieldError` (rendered in either language), and what is left
to place per role (the counter the groups see).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Optional

from pydantic import Field

from ..model.errors import FieldError, field_error
from ..model.scenario import (
    MAX_STAFF,
    Scenario,
    StaffChange,
    StrictModel,
    add_months,
    model_from_dict,
    scenario_from_dict,
    scenario_to_dict,
)
from .exercise import ROLES, Exercise

#: a mediation share counts as unchanged within this (slider steps are 0.01)
_SHARE_EPS = 1e-9


class Staff(StrictModel):
    """A team's staff."""

    judges: int = Field(..., ge=0, le=MAX_STAFF)
    assistants: int = Field(..., ge=0, le=MAX_STAFF)
    clerks: int = Field(..., ge=0, le=MAX_STAFF)


class SecondmentChoice(StrictModel):
    """Where and from which month (1 = the horizon's first) the secondment goes."""

    team: str = Field(..., min_length=1, max_length=60)
    start_month: int = Field(..., ge=1, le=120)


class Plan(StrictModel):
    """What a group hands in (see the module docstring)."""

    teams: dict[str, Staff] = Field(..., max_length=30)
    mediation_share: float = Field(..., ge=0, le=1)
    secondment: Optional[SecondmentChoice] = None
    year_end_freeze: Optional[int] = Field(None, ge=1, le=31)

    def key(self) -> str:
        """A stable hash of the plan (identical plans share one evaluation)."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def plan_from_dict(data: Any) -> Plan:
    """Validate plain data into a :class:`Plan`, or raise :class:`ScenarioError`."""
    return model_from_dict(Plan, data)


def starting_plan(ex: Exercise, start: Scenario) -> Plan:
    """The plan of the starting scenario (what a group sees when it joins)."""
    sec = ex.limits.secondment
    teams = [t.name for t in start.teams]
    choice = None
    if sec is not None:
        choice = SecondmentChoice(team=(sec.teams or teams)[0], start_month=sec.first_month)
    return Plan(teams={t.name: Staff(judges=t.judges, assistants=t.assistants, clerks=t.clerks) for t in start.teams},
                mediation_share=start.mediation.share_offered, secondment=choice,
                year_end_freeze=start.demand.year_end_freeze_from_day)


def plan_from_scenario(ex: Exercise, start: Scenario, scn: Scenario) -> Plan:
    """The plan a scenario of the same teams amounts to (the advisor's answer, say)."""
    base = starting_plan(ex, start)
    return base.model_copy(update={
        "teams": {t.name: Staff(judges=t.judges, assistants=t.assistants, clerks=t.clerks) for t in scn.teams},
        "mediation_share": scn.mediation.share_offered})


@dataclass
class PlanCheck:
    """The checker's answer: ``ok`` when within every limit; ``problems``; ``left`` per role
    (and ``pool`` for a shared count): staff still to place (negative = placed too many)."""

    ok: bool
    problems: list[FieldError] = field(default_factory=list)
    left: dict[str, int] = field(default_factory=dict)


def _totals(plan: Plan) -> dict[str, int]:
    return {r: sum(getattr(s, r) for s in plan.teams.values()) for r in ROLES}


def check_plan(ex: Exercise, start: Scenario, plan: Plan) -> PlanCheck:
    """Is ``plan`` within ``ex``'s limits, starting from ``start``? (pure; see :class:`PlanCheck`)"""
    lim = ex.limits
    first = starting_plan(ex, start)
    out: list[FieldError] = []
    names = list(first.teams)
    for name in plan.teams:
        if name not in first.teams:
            out.append(field_error(f"teams.{name}", "ex_team_unknown", name, team=name, allowed=", ".join(names)))
    for name in names:
        if name not in plan.teams:
            out.append(field_error(f"teams.{name}", "ex_team_missing", None, team=name))
    if out:  # the counts below need the same teams
        return PlanCheck(False, out, {})
    for name, s in plan.teams.items():
        for r in ROLES:
            if r not in lim.change and getattr(s, r) != getattr(first.teams[name], r):
                out.append(field_error(f"teams.{name}.{r}", "ex_role_fixed", getattr(s, r), team=name, role=r,
                                       have=getattr(first.teams[name], r)))
    have, was = _totals(plan), _totals(first)
    left: dict[str, int] = {}
    pool = lim.extra_pool
    for r in lim.change:
        if pool and r in pool.roles:
            if have[r] < was[r]:
                out.append(field_error(f"teams.{r}", "ex_pool_negative", have[r], role=r, have=was[r]))
            continue
        n = left[r] = lim.extra.get(r, 0) - (have[r] - was[r])
        if n < 0:
            out.append(field_error(f"teams.{r}", "ex_over", have[r], role=r, n=-n))
        elif n > 0 and (lim.extra_mode == "exactly" or r not in lim.extra):
            out.append(field_error(f"teams.{r}", "ex_left", have[r], role=r, n=n))
    if pool:
        n = left["pool"] = pool.count - sum(have[r] - was[r] for r in pool.roles)
        if n:
            out.append(field_error("teams", "ex_pool_over" if n < 0 else "ex_pool_left", None, n=abs(n)))
    staff_changed = plan.teams != first.teams
    med_changed = abs(plan.mediation_share - first.mediation_share) > _SHARE_EPS
    if med_changed:
        rng = lim.mediation_share
        if rng is None:
            out.append(field_error("mediation_share", "ex_fixed", plan.mediation_share))
        elif not rng.min - _SHARE_EPS <= plan.mediation_share <= rng.max + _SHARE_EPS:
            out.append(field_error("mediation_share", "ex_share_range", plan.mediation_share,
                                   lo=f"{100 * rng.min:.0f}%", hi=f"{100 * rng.max:.0f}%"))
        elif lim.one_lever and staff_changed:
            out.append(field_error("mediation_share", "ex_one_lever", plan.mediation_share))
    out += _date_problems(ex, start, plan, first)
    return PlanCheck(not out, out, left)


def _date_problems(ex: Exercise, start: Scenario, plan: Plan, first: Plan) -> list[FieldError]:
    lim, out = ex.limits, []
    sec = lim.secondment
    if sec is None:
        if plan.secondment is not None:
            out.append(field_error("secondment", "ex_fixed", plan.secondment.team))
    elif plan.secondment is None:
        out.append(field_error("secondment", "missing"))
    else:
        allowed = sec.teams or [t.name for t in start.teams]
        if plan.secondment.team not in allowed:
            out.append(field_error("secondment.team", "ex_team_unknown", plan.secondment.team,
                                   team=plan.secondment.team, allowed=", ".join(allowed)))
        if not sec.first_month <= plan.secondment.start_month <= sec.last_month:
            out.append(field_error("secondment.start_month", "ex_month_range", plan.secondment.start_month,
                                   lo=sec.first_month, hi=sec.last_month))
    fr = lim.year_end_freeze
    if fr is None and plan.year_end_freeze != first.year_end_freeze:
        out.append(field_error("year_end_freeze", "ex_fixed", plan.year_end_freeze))
    elif fr is not None and plan.year_end_freeze not in fr.days:
        out.append(field_error("year_end_freeze", "ex_option", plan.year_end_freeze,
                               allowed=", ".join("—" if d is None else str(d) for d in fr.days)))
    return out


def plan_scenario(ex: Exercise, start: Scenario, plan: Plan) -> Scenario:
    """The scenario ``plan`` runs as: ``start`` with the plan's staff, mediation share,
    secondment (a dated staff change of the chosen team) and freeze. The plan should have
    passed :func:`check_plan`; a team it does not name keeps its staff."""
    data = scenario_to_dict(start)
    for t in data["teams"]:
        s = plan.teams.get(t["name"])
        if s is not None:
            t.update(judges=s.judges, assistants=s.assistants, clerks=s.clerks)
    data["mediation"]["share_offered"] = float(plan.mediation_share)
    data["demand"]["year_end_freeze_from_day"] = plan.year_end_freeze
    sec = ex.limits.secondment
    if sec is not None and plan.secondment is not None:
        begin = add_months(start.start_date, plan.secondment.start_month - 1)
        end = add_months(begin, sec.months) - dt.timedelta(days=1)
        change = StaffChange(start=begin, end=end, judges=sec.judges, assistants=sec.assistants, clerks=sec.clerks,
                             note="secondment")
        for t in data["teams"]:
            if t["name"] == plan.secondment.team:
                t["changes"] = list(t.get("changes") or []) + [change.model_dump(mode="json")]
    return scenario_from_dict(data)


__all__ = ["Plan", "PlanCheck", "SecondmentChoice", "Staff", "check_plan", "plan_from_dict", "plan_from_scenario",
           "plan_scenario", "starting_plan"]
