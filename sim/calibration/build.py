"""The calibrated court as a scenario: the template's structure with the court's own numbers.

The records do not show hearing calendars, support-staff effects or the working calendar, so
these come from a template scenario (``scenarios/baseline.yaml`` by default): its hearings
section, support, calendar, docket and targets. Everything the records do show replaces the
template's: demand (level, growth, profile, a step in level), pre-filing mediation where the
monthly table has it, one case type per procedure with its share, settlement and
excluded-period rates, the conversion rate, the open cases on the first day (one by one, on
their judges' dockets: :mod:`.state`), and the teams with their staffing (:mod:`.teams`). The
simulation-fitted values (:mod:`.fit`) scale the template's judge time per case of each track
(the hours at the desk, the share of a hearing slot a case takes and, for panels, the other
members' hours) and its service and adjournment times, and set the December closing push when
the records show one.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

from ..model.scenario import (
    Scenario,
    add_months,
    load_scenario,
    scenario_from_dict,
    scenario_to_dict,
)
from .estimate import Demand, Param, track_of
from .state import StartState
from .teams import Staffing

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TEMPLATE = ROOT / "scenarios" / "baseline.yaml"


@dataclass(frozen=True)
class FitSpec:
    """A simulation-fitted value: its search interval and where the search starts."""

    name: str
    low: float
    high: float
    start: float = 1.0


#: the simulation-fitted values: multiples of the template's judge time per case (per track)
#: and of its service and adjournment times (the December push is read from the records:
#: :func:`sim.calibration.capacity.december_push`)
SPECS = {"effort_simple": FitSpec("effort_simple", 0.2, 5.0), "effort_complex": FitSpec("effort_complex", 0.2, 5.0),
         "preparation": FitSpec("preparation", 0.2, 5.0), "effort": FitSpec("effort", 0.2, 5.0)}
#: the values fitted for a court with monthly totals only: one judge time for both tracks
FITTED_TOTALS = ("effort", "preparation")
FITTED = ("effort_simple", "effort_complex", "preparation")
#: the multipliers' search interval (relative to the template)
BOUNDS = (SPECS["effort_simple"].low, SPECS["effort_simple"].high)


@dataclass
class Estimates:
    """Everything estimated directly from the records (see :mod:`.estimate`)."""

    start: dt.date
    months: int
    demand: Demand
    mediation_offered: Param
    mediation_success: Param
    shares: dict[str, Param]
    settlement: dict[str, Param]
    public_notice: dict[str, Param]
    appraisal: dict[str, Param]
    conversion: Param
    state: StartState
    staffing: Staffing
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def filings_per_year(self) -> Param:
        return self.demand.filings_per_year

    @property
    def growth(self) -> Param:
        return self.demand.growth

    @property
    def profile(self) -> list[Param]:
        return self.demand.profile

    @property
    def carried(self):
        """The open cases at the records' start (summary)."""
        return self.state.carried

    @property
    def kept_share(self) -> float:
        """Share of disputes that become filings (not resolved in pre-filing mediation)."""
        return max(1.0 - self.mediation_offered.value * self.mediation_success.value, 1e-6)

    @property
    def disputes_per_year(self) -> float:
        """Disputes before mediation at the start: filings grossed up by the share resolved in mediation."""
        return self.filings_per_year.value / self.kept_share


def _mixture(types: Sequence[dict], key: str) -> dict:
    """One distribution for several case types merged into one: share-weighted mean, and the cv
    of the mixture (its variance includes the spread between the types' means)."""
    w = [t["share"] for t in types]
    tot = sum(w) or 1.0
    ms = [t[key]["mean"] for t in types]
    vs = [(t[key]["mean"] * t[key].get("cv", 0.5)) ** 2 for t in types]
    mean = sum(wi * m for wi, m in zip(w, ms, strict=True)) / tot
    second = sum(wi * (v + m * m) for wi, v, m in zip(w, vs, ms, strict=True)) / tot
    cv = math.sqrt(max(second - mean * mean, 0.0)) / mean if mean > 0 else 0.5
    return {"dist": types[0][key].get("dist", "lognormal"), "mean": mean, "cv": min(cv, 10.0)}


def settles_in_preparation(est_settlement: dict[str, Param], tpl: Scenario, procedure: str) -> float:
    """The probability that a case of ``procedure`` settles or is withdrawn before its first
    hearing in the scenario built from these estimates: its settlement rate (the records', else
    the template's, as :func:`build_scenario` sets it) × the share of settlements made in
    preparation (none without hearings: every case then reaches the desk)."""
    if tpl.hearings is None:
        return 0.0
    p = est_settlement.get(procedure)
    rate = p.value if p is not None and p.identified else \
        _template_type(tpl.model_dump(mode="json"), procedure)["settlement_rate"]
    return rate * tpl.hearings.settle_before_hearing


def _template_type(template: dict, procedure: str) -> dict:
    """The template's case types of ``procedure`` merged into one (or those of its track)."""
    same = [t for t in template["case_types"] if t["procedure"] == procedure]
    if not same:
        same = [t for t in template["case_types"] if t["track"] == track_of(procedure)] or template["case_types"]
    # the merged type is named after the procedure: the template's own names in each language
    # (label_zh, label_en) would name one of the types it was made of
    out = {k: v for k, v in same[0].items() if k not in ("label_zh", "label_en")}
    out["effort"] = _mixture(same, "effort")
    out["waiting"] = _mixture(same, "waiting")
    return out


def demand_section(est: Estimates, start: dt.date, draw: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """The scenario's demand from ``start``: the fitted level carried forward with its growth
    (and after a step in level, the level after it), or one draw of them (``draw``: from
    :meth:`sim.calibration.estimate.Demand.draw`)."""
    d = est.demand
    level = d.filings_per_year.value if draw is None else draw["filings_per_year"]
    growth = d.growth.value if draw is None else draw["growth"]
    profile = [p.value for p in d.profile] if draw is None else draw["profile"]
    years = (start - est.start).days / 365.25
    filings = level * (1 + growth) ** years
    if d.step is not None and start >= d.step_date:
        filings *= d.step.value if draw is None else draw["step"]
    return {"disputes_per_year": min(filings / est.kept_share, 500_000.0),
            "monthly_profile": [max(p, 1e-3) for p in profile],
            "annual_growth": min(max(growth, -0.5), 1.0), "year_end_freeze_from_day": None}


def build_scenario(est: Estimates, template: Optional[Scenario] = None, multipliers: Optional[dict] = None,
                   name: str = "本院校准方案 (calibrated court)", start: Optional[dt.date] = None,
                   months: Optional[int] = None, state: Optional[StartState] = None, hold_staffing: bool = False,
                   replications: int = 20, seed: int = 20240101, description: str = "",
                   demand_draw: Optional[dict[str, Any]] = None, recorded: bool = False) -> Scenario:
    """The scenario of the calibrated court.

    By default it covers the recorded months from the recorded start (the replay) with the
    recorded staffing month by month. ``start``, ``months`` and ``state`` (the open cases on
    ``start``) give a run from another day: demand continues with its growth; the staffing is
    the recorded one over the run, or with ``hold_staffing`` the staff of ``start`` held.
    ``recorded`` replays the court's own filings instead of drawing them (the fit: the
    simulated court meets the months its judges actually met).
    """
    tpl = scenario_to_dict(template if template is not None else load_scenario(DEFAULT_TEMPLATE))
    mult = {k: 1.0 for k in FITTED}
    mult.update(multipliers or {})
    if "effort" in mult:  # monthly totals only: the tracks alike
        mult["effort_simple"] = mult["effort_complex"] = mult["effort"]
    start = est.start if start is None else start
    months = est.months if months is None else months
    state = est.state if state is None else state
    d: dict[str, Any] = {k: v for k, v in tpl.items() if k not in ("name", "name_zh", "name_en", "description",
                                                                    "description_zh", "description_en")}
    d.update(name=name, description=description, start_date=start.isoformat(), horizon_months=months, warmup_days=0,
             seed=seed, replications=replications)
    d["demand"] = demand_section(est, start, demand_draw)
    if recorded:
        d["demand"]["filings"] = est.extra["filings"]
    med = dict(tpl["mediation"])
    med.update(share_offered=est.mediation_offered.value, success_rate=est.mediation_success.value, mediators=None)
    d["mediation"] = med
    types = []
    for proc, share in est.shares.items():
        if share.value <= 0:
            continue
        t = _template_type(tpl, proc)
        track = track_of(proc)
        t.update(name=proc, share=share.value, track=track, procedure=proc)
        t["effort"] = dict(t["effort"], mean=t["effort"]["mean"] * mult[f"effort_{track}"])
        if proc in est.settlement and est.settlement[proc].identified:
            t["settlement_rate"] = est.settlement[proc].value
        if proc in est.public_notice and est.public_notice[proc].identified:
            t["public_notice_rate"] = est.public_notice[proc].value
            t["appraisal_rate"] = est.appraisal[proc].value
        types.append(t)
    total = sum(t["share"] for t in types)
    for t in types:
        t["share"] = t["share"] / total
    d["case_types"] = types
    d["triage"] = dict(tpl["triage"], accuracy=1.0, conversion_rate=est.conversion.value)
    push = mult.get("push", 1.0)
    if push > 1.0:
        d["calendar"] = dict(d["calendar"], push_months=[12], push_factor=min(push, 2.0))
    if d.get("hearings"):
        h = d["hearings"]
        h["adjournment_gap_days"] = dict(h["adjournment_gap_days"],
                                         mean=h["adjournment_gap_days"]["mean"] * mult["preparation"])
        procs = h.setdefault("procedures", {})
        for p in sorted({t["procedure"] for t in types} | set(procs)):
            ph = dict(procs.get(p) or {"service_days": {"dist": "lognormal", "mean": 10, "cv": 0.6}})
            sd = ph.get("service_days") or {"dist": "lognormal", "mean": 10, "cv": 0.6}
            ph["service_days"] = dict(sd, mean=sd["mean"] * mult["preparation"])
            # judge time per case is at the desk and in the hearing: a quicker judge hears more
            # cases in a slot; a slower one keeps the template's slots (its desk binds first,
            # rather than desk and calendar together, which would queue a case twice)
            cps = float(ph.get("cases_per_slot", 1))
            ph["cases_per_slot"] = min(max(cps / min(mult[f"effort_{track_of(p)}"], 1.0), 1.0), 50.0)
            procs[p] = ph
        h["panel_hours"] = min(h.get("panel_hours", 0.0) * mult["effort_complex"], 40.0)
    else:
        for t in types:
            t["waiting"] = dict(t["waiting"], mean=t["waiting"]["mean"] * mult["preparation"])
    d["teams"] = est.staffing.scenario_teams(start, None if hold_staffing else add_months(start, months))
    d["initial_pending"] = state.initial_pending()
    return scenario_from_dict(d)


def last_month_start(est: Estimates) -> dt.date:
    """First day of the last recorded month."""
    return add_months(est.start, est.months - 1)
