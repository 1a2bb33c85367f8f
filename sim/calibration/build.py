"""The calibrated court as a scenario: the template's structure with the court's own numbers.

The records do not show hearing calendars, support-staff effects or the working calendar, so
these come from a template scenario (``scenarios/baseline.yaml`` by default): its hearings
section, support, calendar, docket and targets. Everything the records do show replaces the
template's: demand (level, growth, profile), pre-filing mediation where the monthly table has
it, one case type per procedure with its share, settlement and excluded-period rates, the
conversion rate, the carried-over caseload, and the teams with their dated staffing. The
simulation-fitted multipliers (:mod:`.fit`) scale the template's judge effort per track and its
service and adjournment times.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

from ..model.scenario import Scenario, add_months, load_scenario, scenario_from_dict, scenario_to_dict
from .estimate import CarriedOver, Param, track_of

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TEMPLATE = ROOT / "scenarios" / "baseline.yaml"
#: the simulation-fitted multipliers and their search interval (relative to the template)
FITTED = ("effort_simple", "effort_complex", "preparation")
BOUNDS = (0.2, 5.0)


@dataclass
class TeamPlan:
    """A team with its track, staff on the first day and dated changes (from the staffing table)."""

    name: str
    track: str
    judges: int
    assistants: int
    clerks: int
    changes: list[dict[str, Any]] = field(default_factory=list)
    assumed_support: bool = False     # assistants and clerks not in the data (set equal to judges)


@dataclass
class Estimates:
    """Everything estimated directly from the records (see :mod:`.estimate`)."""

    start: dt.date
    months: int
    filings_per_year: Param
    growth: Param
    profile: list[Param]
    mediation_offered: Param
    mediation_success: Param
    shares: dict[str, Param]
    settlement: dict[str, Param]
    public_notice: dict[str, Param]
    appraisal: dict[str, Param]
    conversion: Param
    carried: CarriedOver
    teams: list[TeamPlan]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def disputes_per_year(self) -> float:
        """Disputes before mediation: filings grossed up by the share resolved in mediation."""
        kept = 1.0 - self.mediation_offered.value * self.mediation_success.value
        return self.filings_per_year.value / max(kept, 1e-6)


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


def build_scenario(est: Estimates, template: Optional[Scenario] = None, multipliers: Optional[dict] = None,
                   name: str = "本院校准方案 (calibrated court)", start: Optional[dt.date] = None,
                   months: Optional[int] = None, carried: Optional[CarriedOver] = None,
                   staffing_from: Optional[dt.date] = None, replications: int = 20, seed: int = 20240101,
                   description: str = "") -> Scenario:
    """The scenario of the calibrated court.

    By default it covers the recorded months from the recorded start (the replay); ``start``,
    ``months`` and ``carried`` give a forecast from another date (demand continues with its
    growth, staffing stays as in the month ``staffing_from`` or the last recorded one).
    """
    tpl = scenario_to_dict(template if template is not None else load_scenario(DEFAULT_TEMPLATE))
    mult = {k: 1.0 for k in FITTED}
    mult.update(multipliers or {})
    start = est.start if start is None else start
    months = est.months if months is None else months
    carried = est.carried if carried is None else carried
    years = (start - est.start).days / 365.25
    d: dict[str, Any] = {k: v for k, v in tpl.items() if k not in ("name", "name_zh", "name_en", "description",
                                                                    "description_zh", "description_en")}
    d.update(name=name, description=description, start_date=start.isoformat(), horizon_months=months, warmup_days=0,
             seed=seed, replications=replications)
    d["demand"] = {"disputes_per_year": min(est.disputes_per_year * (1 + est.growth.value) ** years, 500_000.0),
                   "monthly_profile": [max(p.value, 1e-3) for p in est.profile],
                   "annual_growth": min(max(est.growth.value, -0.5), 1.0), "year_end_freeze_from_day": None}
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
    if d.get("hearings"):
        h = d["hearings"]
        h["adjournment_gap_days"] = dict(h["adjournment_gap_days"],
                                         mean=h["adjournment_gap_days"]["mean"] * mult["preparation"])
        procs = h.setdefault("procedures", {})
        for p in {t["procedure"] for t in types} | set(procs):
            ph = dict(procs.get(p) or {"service_days": {"dist": "lognormal", "mean": 10, "cv": 0.6}})
            sd = ph.get("service_days") or {"dist": "lognormal", "mean": 10, "cv": 0.6}
            ph["service_days"] = dict(sd, mean=sd["mean"] * mult["preparation"])
            procs[p] = ph
    else:
        for t in types:
            t["waiting"] = dict(t["waiting"], mean=t["waiting"]["mean"] * mult["preparation"])
    d["teams"] = _teams(est.teams, start, staffing_from)
    d["initial_pending"] = {"simple": carried.by_track.get("simple", 0), "complex": carried.by_track.get("complex", 0),
                            "age_profile": [{"max_months": 120.0, "share": 1.0}], "groups": carried.groups}
    return scenario_from_dict(d)


def _teams(plans: Sequence[TeamPlan], start: dt.date, staffing_from: Optional[dt.date]) -> list[dict]:
    """Teams on ``start``. Each change of a :class:`TeamPlan` is the difference from its first
    month's staff over a dated span, so the replay keeps them as they are; a forecast (from
    ``staffing_from``, a recorded month) starts with that month's staff and no change."""
    out = []
    for tp in plans:
        base = {"judges": tp.judges, "assistants": tp.assistants, "clerks": tp.clerks}
        changes = list(tp.changes)
        if staffing_from is not None:
            for ch in tp.changes:
                end = ch.get("end")
                if dt.date.fromisoformat(ch["start"]) <= staffing_from and (end is None or
                                                                             dt.date.fromisoformat(end) >= staffing_from):
                    for k in base:
                        base[k] += ch.get(k, 0)
            changes = []
        out.append({"name": tp.name, "track": tp.track, **{k: max(v, 0) for k, v in base.items()}, "changes": changes})
    return out


def last_month_start(est: Estimates) -> dt.date:
    """First day of the last recorded month."""
    return add_months(est.start, est.months - 1)
