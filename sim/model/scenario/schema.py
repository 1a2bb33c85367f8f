"""The scenario itself: every section together, the checks across sections, and the targets."""
from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from pydantic import Field, model_validator

from .base import MAX_TEAMS, Name, Text, _PathError, _Strict, add_months
from .demand import CaseType, Demand, Mediation, Triage
from .pending import SIMPLE_PROCEDURES, InitialPending
from .procedures import ExcludedPeriods, Hearings, Procedure, default_procedures
from .teams import Calendar, Docket, Support, Team


class Targets(_Strict):
    """Targets shown as met or missed; null = no target."""

    within_limit_rate: Optional[float] = Field(0.95, ge=0, le=1)
    # per track (sim.model.tracks); none by default, so a file written before they existed
    # judges what it judged then
    within_limit_rate_simple: Optional[float] = Field(None, ge=0, le=1)
    within_limit_rate_complex: Optional[float] = Field(None, ge=0, le=1)
    clearance_rate: Optional[float] = Field(1.0, ge=0, le=5)
    long_pending_end: Optional[float] = Field(0, ge=0)
    overdue_pending_end: Optional[float] = Field(None, ge=0)
    overdue_pending_end_simple: Optional[float] = Field(None, ge=0)
    overdue_pending_end_complex: Optional[float] = Field(None, ge=0)
    pending_end: Optional[float] = Field(None, ge=0)
    disposition_days_mean: Optional[float] = Field(None, ge=0)
    mediation_resolution_share: Optional[float] = Field(None, ge=0, le=1)


class Scenario(_Strict):
    """Every parameter of one what-if run (see ``shared/design/model.md``)."""

    name: Name = Field("scenario", min_length=1, max_length=120)
    name_zh: Name = Field("", max_length=120, description="The name in Chinese (optional; a saved copy drops it).")
    name_en: Name = Field("", max_length=120, description="The name in English (optional; a saved copy drops it).")
    description: Text = Field("", max_length=4000)
    description_zh: Text = Field("", max_length=4000, description="The description in Chinese (optional).")
    description_en: Text = Field("", max_length=4000, description="The description in English (optional).")
    start_date: dt.date = Field(dt.date(2025, 1, 1), description="First day of the reported horizon.")
    horizon_months: int = Field(24, ge=1, le=120, description="Reported months.")
    warmup_days: int = Field(0, ge=0, le=3650, description="Days simulated before the horizon and not reported.")
    seed: int = Field(12345, ge=0, le=2**63 - 1)
    replications: int = Field(20, ge=1, le=1000)
    demand: Demand
    mediation: Mediation = Field(default_factory=Mediation)
    case_types: list[CaseType] = Field(..., min_length=1, max_length=30)
    triage: Triage = Field(default_factory=Triage)
    procedures: dict[str, Procedure] = Field(default_factory=default_procedures)
    excluded: ExcludedPeriods = Field(default_factory=ExcludedPeriods)
    teams: list[Team] = Field(..., min_length=1, max_length=MAX_TEAMS)
    support: Support = Field(default_factory=Support)
    calendar: Calendar = Field(default_factory=Calendar)
    assignment: Literal["rotation", "least_loaded"] = Field("rotation", description="How cases are shared among a track's teams (轮案 / 均衡).")
    queue_discipline: Literal["fifo", "edf"] = Field("fifo", description="Order in which a team takes ready cases: first come or earliest deadline.")
    docket: Docket = Field(default_factory=Docket, description="Assignment of cases to judges within a team (分案).")
    hearings: Optional[Hearings] = Field(None, description="Preparation, hearing calendar and judgments; null = one block of judge work per case.")
    initial_pending: InitialPending = Field(default_factory=InitialPending)
    long_pending_months: int = Field(12, ge=1, le=60, description="Age in months above which a pending case is long-pending.")
    targets: Targets = Field(default_factory=Targets)

    @model_validator(mode="after")
    def _consistency(self) -> "Scenario":
        """Checks across sections, in this order (the first problem found is the one reported)."""
        self._check_case_types()
        self._check_teams()
        self._check_pending_and_hearings()
        self._check_changes()
        return self

    def _check_case_types(self) -> None:
        """The case types' shares add up to 1, each names a procedure the scenario has, and the
        procedures of both tracks (ordinary, simple) are there."""
        total = sum(c.share for c in self.case_types)
        if abs(total - 1) > 1e-6:
            raise _PathError(("case_types",), [c.share for c in self.case_types], "shares_sum", total=total)
        for i, c in enumerate(self.case_types):
            if c.procedure not in self.procedures:
                raise _PathError(("case_types", i, "procedure"), c.procedure, "unknown_procedure",
                                 allowed=", ".join(sorted(self.procedures)))
        for proc, track in (("ordinary", "complex"), ("simple", "simple")):
            if proc not in self.procedures:
                raise _PathError(("procedures",), sorted(self.procedures), "procedure_required",
                                 procedure=proc, track=track)

    def _check_teams(self) -> None:
        """Team names are unique, and a track that gets cases (shares, conversion, misrouting by
        triage, cases pending at the start) has a team."""
        names = [t.name for t in self.teams]
        for i, n in enumerate(names):
            if names.index(n) != i:
                raise _PathError(("teams", i, "name"), n, "team_names_unique", name=n)
        for track in ("simple", "complex"):
            needs = any(c.track == track and c.share > 0 for c in self.case_types) or (
                track == "complex" and self.triage.conversion_rate > 0)
            if track == "simple" and self.triage.accuracy < 1:
                needs = needs or any(c.track == "complex" and c.share > 0 for c in self.case_types)
            if track == "complex" and self.triage.accuracy < 1:
                needs = needs or any(c.track == "simple" and c.share > 0 for c in self.case_types)
            if needs and not any(t.track == track for t in self.teams):
                raise _PathError(("teams",), names, "track_no_team", track=track)
            pend = getattr(self.initial_pending, track)
            if pend > 0 and not any(t.track == track for t in self.teams):
                raise _PathError(("initial_pending", track), pend, "pending_no_team", track=track)

    def _check_pending_and_hearings(self) -> None:
        """Pending groups and hearing settings name procedures the scenario has, and a week's
        hearing slots leave the judges desk time; the open cases' table and the recorded filings
        (when given) name procedures the scenario has."""
        allowed = ", ".join(sorted(self.procedures))
        self._check_listed(allowed)
        for j, g in enumerate(self.demand.filings):
            if g.procedure not in self.procedures:
                raise _PathError(("demand", "filings", j, "procedure"), g.procedure, "unknown_procedure",
                                 allowed=allowed)
        for j, g in enumerate(self.initial_pending.groups):
            if g.procedure not in self.procedures:
                raise _PathError(("initial_pending", "groups", j, "procedure"), g.procedure, "unknown_procedure",
                                 allowed=allowed)
        if self.hearings is not None:
            for name in self.hearings.procedures:
                if name not in self.procedures:
                    raise _PathError(("hearings", "procedures", name), name, "unknown_procedure", allowed=allowed)
            week = self.calendar.hours_per_day * len(self.calendar.working_weekdays)
            most = self.hearings.slots_per_week + 2 * self.hearings.clerk_extra_slots
            if most * self.hearings.slot_hours > 0.8 * week:
                raise _PathError(("hearings", "slots_per_week"), self.hearings.slots_per_week, "hearing_slots_desk",
                                 slots=most, slot_hours=self.hearings.slot_hours, week=week)

    def _check_changes(self) -> None:
        """No planned staff change takes a team's staff below zero."""
        for i, t in enumerate(self.teams):
            for j, ch in enumerate(t.changes):
                for field in ("judges", "assistants", "clerks"):
                    base = getattr(t, field)
                    if base + getattr(ch, field) < 0:
                        raise _PathError(("teams", i, "changes", j, field), getattr(ch, field),
                                         "change_negative", role=field, have=base)

    def _check_listed(self, allowed: str) -> None:
        """The table of open cases: known procedures, filed before the start, one team per judge,
        and the tracks' counts equal to the table's."""
        ip = self.initial_pending
        if not ip.cases:
            return
        counts = {"simple": 0, "complex": 0}
        judge_team: dict[str, str] = {}
        for j, g in enumerate(ip.cases):
            loc = ("initial_pending", "cases", j)
            if g.procedure not in self.procedures:
                raise _PathError(loc + ("procedure",), g.procedure, "unknown_procedure", allowed=allowed)
            late = [i for i, d in enumerate(g.filed) if d >= self.start_date]
            if late:
                raise _PathError(loc + ("filed", late[0]), g.filed[late[0]].isoformat(), "open_case_after_start",
                                 start=self.start_date.isoformat())
            if g.judge is not None:
                other = judge_team.setdefault(g.judge, g.team)
                if other != g.team:
                    raise _PathError(loc + ("judge",), g.judge, "open_cases_judge_two_teams", judge=g.judge,
                                     team=g.team, other=other)
            counts[self.procedure_track(g.procedure)] += len(g.filed)
        for track, n in counts.items():
            if getattr(ip, track) != n:
                raise _PathError(("initial_pending", track), getattr(ip, track), "open_cases_count", n=n,
                                 track=track)

    def procedure_track(self, procedure: str) -> str:
        """The track of a procedure: that of the case types under it (the largest share), else
        simple for simple procedure and small claims and complex for the others."""
        types = [c for c in self.case_types if c.procedure == procedure]
        if types:
            return max(types, key=lambda c: c.share).track
        return "simple" if procedure in SIMPLE_PROCEDURES else "complex"

    @property
    def end_date(self) -> dt.date:
        """First day after the reported horizon."""
        return add_months(self.start_date, self.horizon_months)

    def name_in(self, lang: str) -> str:
        """The name in ``lang`` ("zh" or "en"): its own field if set, else ``name``."""
        return (self.name_zh if lang == "zh" else self.name_en) or self.name

    def description_in(self, lang: str) -> str:
        """The description in ``lang`` ("zh" or "en"): its own field if set, else ``description``."""
        own = self.description_zh if lang == "zh" else self.description_en
        return own or self.description
