"""The scenario: one validated object that holds every parameter of the model.

A scenario is plain data (loaded from YAML with ``yaml.safe_load``), validated by
pydantic models that refuse unknown fields. Every validation problem is reported as a
:class:`FieldError` naming the dotted field path, the offending value and what is allowed,
so the app and the command line can show it next to the right control.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal, Optional

import yaml
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Track = Literal["simple", "complex"]
DistName = Literal["exponential", "lognormal", "gamma", "deterministic"]

MAX_TEAMS = 30


def _no_control_chars(v: str) -> str:
    # YAML cannot round-trip some control characters (NEL, U+0085, reads back as a line break)
    bad = [c for c in v if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029"]
    if bad:
        raise ValueError(f"control characters are not allowed (found {', '.join(f'U+{ord(c):04X}' for c in bad[:3])})")
    return v


Text = Annotated[str, AfterValidator(_no_control_chars)]
MAX_STAFF = 500


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Distribution(_Strict):
    """A positive random quantity given by name, mean and coefficient of variation.

    ``exponential`` ignores ``cv`` (it is always 1); ``deterministic`` always returns the mean.
    """

    dist: DistName = Field("lognormal", description="Distribution family.")
    mean: float = Field(..., ge=0, le=100_000, description="Mean value.")
    cv: float = Field(0.5, ge=0, le=10, description="Coefficient of variation (sd / mean).")


class Demand(_Strict):
    """Disputes brought to the court, before pre-filing mediation."""

    disputes_per_year: float = Field(
        ..., ge=0, le=500_000,
        description="Disputes brought to the court per year (诉至法院纠纷数), before pre-filing "
                    "mediation; formal filings are these minus disputes resolved in mediation.")
    monthly_profile: list[float] = Field(
        default_factory=lambda: [1.0] * 12, min_length=12, max_length=12,
        description="Relative volume by calendar month, January first; normalised to mean 1.")
    annual_growth: float = Field(
        0.0, ge=-0.5, le=1.0, description="Yearly growth of the dispute volume (0.05 = +5 %/year).")
    year_end_freeze_from_day: Optional[int] = Field(
        None, ge=1, le=31,
        description="If set, filings from this day of December to 31 December are held back "
                    "until the first working day of January (年底不收案); null = no freeze.")

    @field_validator("monthly_profile")
    @classmethod
    def _profile_positive(cls, v: list[float]) -> list[float]:
        if any(x < 0 for x in v) or sum(v) <= 0:
            raise ValueError("monthly profile weights must be ≥ 0 with a positive sum")
        return v


class Mediation(_Strict):
    """Pre-filing mediation (诉前调解). Its time never counts against the statutory limit."""

    share_offered: float = Field(0.0, ge=0, le=1, description="Share of disputes sent to pre-filing mediation.")
    success_rate: float = Field(0.5, ge=0, le=1, description="Share of mediations that resolve the dispute.")
    duration: Distribution = Field(
        default_factory=lambda: Distribution(dist="lognormal", mean=18, cv=0.6),
        description="Calendar days a mediation takes.")
    max_days: float = Field(30, ge=1, le=365, description="A mediation ends (success or not) after at most this many days.")
    mediators: Optional[int] = Field(
        None, ge=1, le=2000,
        description="Mediations that can run at once; null = unlimited.")


class CaseType(_Strict):
    """A kind of case with its own effort, waiting and settlement behaviour."""

    name: Text = Field(..., min_length=1, max_length=60)
    share: float = Field(..., ge=0, le=1, description="Share of formal filings of this type.")
    track: Track = Field(..., description="Track the type belongs to when triaged correctly.")
    procedure: str = Field(..., description="Procedure applied when the case is on its own track.")
    effort: Distribution = Field(..., description="Judge hours to close the case without support staff.")
    waiting: Distribution = Field(..., description="Calendar days of procedural waiting (service, answer, evidence, hearing notice).")
    settlement_rate: float = Field(0.0, ge=0, le=1, description="Chance the case ends by settlement or withdrawal (调解/撤诉).")
    settlement_effort_factor: float = Field(0.5, ge=0.01, le=1, description="Effort of a settled case as a share of full effort.")
    public_notice_rate: float = Field(0.0, ge=0, le=1, description="Chance the case needs public-notice service (公告送达).")
    appraisal_rate: float = Field(0.0, ge=0, le=1, description="Chance the case needs an appraisal (鉴定).")

    @field_validator("effort")
    @classmethod
    def _effort_positive(cls, v: Distribution) -> Distribution:
        if v.mean <= 0:
            raise ValueError("judge effort must have a mean above 0 hours")
        return v


class Triage(_Strict):
    """Simple/complex diversion (繁简分流) and conversion (简转普)."""

    accuracy: float = Field(0.95, ge=0, le=1, description="Share of cases sent to their own track.")
    conversion_rate: float = Field(
        0.03, ge=0, le=1,
        description="Share of correctly triaged simple-track cases converted to ordinary procedure (简转普).")
    misrouted_conversion_rate: float = Field(
        0.8, ge=0, le=1,
        description="Share of complex cases wrongly sent to the simple track that are converted.")
    conversion_effort_share: float = Field(
        0.3, ge=0, le=1,
        description="Share of its effort a converted case costs the simple team before it moves to a complex team.")


class Procedure(_Strict):
    """A statutory time limit: months and days from filing, plus an approved extension."""

    label_zh: Text = Field("", max_length=40)
    label_en: Text = Field("", max_length=60)
    limit_months: int = Field(0, ge=0, le=60, description="Limit in calendar months after filing.")
    limit_days: int = Field(0, ge=0, le=3650, description="Limit in days (added to the months).")
    extension_months: int = Field(0, ge=0, le=60, description="Approved extension in months (0 = none).")
    extension_days: int = Field(0, ge=0, le=3650, description="Approved extension in days.")

    @model_validator(mode="after")
    def _positive(self) -> "Procedure":
        if self.limit_months == 0 and self.limit_days == 0:
            raise ValueError("a procedure needs a positive limit (limit_months or limit_days)")
        return self


def default_procedures() -> dict[str, Procedure]:
    """Civil Procedure Law (2023) defaults, articles 152, 164, 168, 183 and enforcement."""
    return {
        "small_claims": Procedure(label_zh="小额诉讼", label_en="Small claims", limit_months=2, extension_months=1),
        "simple": Procedure(label_zh="简易程序", label_en="Simple procedure", limit_months=3, extension_months=1),
        "ordinary": Procedure(label_zh="普通程序", label_en="Ordinary procedure", limit_months=6, extension_months=6),
        "second_instance": Procedure(label_zh="二审", label_en="Second instance", limit_months=3, extension_months=3),
        "enforcement": Procedure(label_zh="执行", label_en="Enforcement", limit_months=6, extension_months=3),
    }


class ExcludedPeriods(_Strict):
    """Periods that do not count against the statutory limit."""

    public_notice_days: float = Field(30, ge=0, le=365, description="Public-notice service completes this many days after notice.")
    appraisal: Distribution = Field(
        default_factory=lambda: Distribution(dist="gamma", mean=60, cv=0.5),
        description="Calendar days an appraisal takes.")


class StaffChange(_Strict):
    """A dated change to a team's staffing (secondment, transfer, new judges)."""

    start: dt.date = Field(..., description="First day the change applies.")
    end: Optional[dt.date] = Field(None, description="Last day it applies; null = to the end.")
    judges: int = Field(0, ge=-MAX_STAFF, le=MAX_STAFF)
    assistants: int = Field(0, ge=-MAX_STAFF, le=MAX_STAFF)
    clerks: int = Field(0, ge=-MAX_STAFF, le=MAX_STAFF)
    ramp_up_months: float = Field(0, ge=0, le=24, description="Months for added judges to reach full productivity.")
    ramp_start_share: float = Field(0.5, gt=0, le=1, description="Productivity of an added judge on the first day, as a share of full.")
    note: Text = Field("", max_length=200)

    @model_validator(mode="after")
    def _order(self) -> "StaffChange":
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Team(_Strict):
    """A trial team (审判团队) serving one track."""

    name: Text = Field(..., min_length=1, max_length=60)
    track: Track
    judges: int = Field(..., ge=0, le=MAX_STAFF, description="Quota judges (员额法官).")
    assistants: int = Field(0, ge=0, le=MAX_STAFF, description="Judge assistants (法官助理).")
    clerks: int = Field(0, ge=0, le=MAX_STAFF, description="Clerks (书记员).")
    changes: list[StaffChange] = Field(default_factory=list, max_length=50)


class Docket(_Strict):
    """How a team's cases reach its judges (分案).

    ``pooled``: the team is one queue and the next free judge takes the next ready case (the
    reduced model that is an M/M/c queue). Otherwise each case is assigned at filing (or when
    it moves team) to one presiding judge (承办法官), who keeps it to the end: ``rotation``
    (轮案, in turn among the judges present), ``random`` (随机分案) or ``lightest`` (轮案填充, the
    judge with the fewest open cases). ``specialised`` (专业分案): each judge of a team takes
    one case type of the team's track (in turn over the types), and a case goes to the judges
    of its type when there are any. A judge who leaves hands each open case to the remaining
    judge chosen by ``hand_over``; a judge who arrives receives cases from the arrival date.
    """

    mode: Literal["pooled", "rotation", "random", "lightest"] = Field(
        "pooled", description="Assignment of cases to judges within a team.")
    specialised: bool = Field(False, description="Judges specialise by case type (专业分案).")
    hand_over: Literal["lightest", "rotation"] = Field(
        "lightest", description="Where a leaving judge's open cases go: the lightest remaining docket, or in turn.")


class ProcedureHearing(_Strict):
    """Preparation and hearings of one procedure (calendar days, hearing slots)."""

    service_days: Distribution = Field(
        default_factory=lambda: Distribution(dist="lognormal", mean=10, cv=0.6),
        description="Calendar days to serve the papers (送达); clerks shorten it.")
    answer_days: float = Field(15, ge=0, le=365, description="Answer period (答辩期), calendar days; not shortened.")
    evidence_days: float = Field(15, ge=0, le=365, description="Evidence period and exchange (举证期), calendar days; assistants shorten it.")
    cases_per_slot: int = Field(1, ge=1, le=50, description="Cases heard in one hearing slot (集中开庭: several short cases at once).")
    adjournment_rate: float = Field(0.15, ge=0, le=0.9, description="Chance a hearing is adjourned (延期开庭) and the case needs another.")
    max_hearings: int = Field(3, ge=1, le=4, description="At most this many hearings per case.")
    panel: bool = Field(False, description="Sits as a collegial panel (合议庭): each hearing also takes other members' time.")


class Hearings(_Strict):
    """Preparation, the hearing calendar (排期), adjournments and panels.

    A case is prepared (service, answer and evidence periods by procedure), then heard in its
    judge's first free hearing slot at least ``notice_days`` later; an adjourned case goes back to
    the calendar ``adjournment_gap_days`` later. Settlements and withdrawals end a case during
    preparation or at its first hearing. After the last hearing the judgment (the case type's
    ``effort`` in judge hours) is drafted on the judge's desk time, which is what is left of the
    working day after hearing slots. Null (no ``hearings`` section): a case waits its
    ``waiting`` days and then takes ``effort`` hours of judge work in one block.
    """

    procedures: dict[str, ProcedureHearing] = Field(
        default_factory=dict, description="Per procedure; a procedure not listed uses the defaults.")
    slots_per_week: int = Field(4, ge=1, le=20, description="Hearing slots per judge per week (half-day sessions).")
    slot_hours: float = Field(3.0, gt=0, le=8, description="Judge hours one hearing slot takes from the desk.")
    notice_days: float = Field(3, ge=0, le=60, description="Summons at least this many days before the hearing (传票).")
    adjournment_gap_days: Distribution = Field(
        default_factory=lambda: Distribution(dist="lognormal", mean=21, cv=0.5),
        description="Calendar days from an adjourned hearing to the earliest next slot.")
    settle_before_hearing: float = Field(
        0.5, ge=0, le=1, description="Share of settlements and withdrawals that happen during preparation (the rest at the first hearing).")
    panel_hours: float = Field(3.0, ge=0, le=40, description="Other panel members' judge hours per panel hearing.")
    clerk_extra_slots: float = Field(
        1.0, ge=0, le=10, description="Extra slots per judge-week for each clerk per judge (up to 2 clerks per judge).")
    clerk_service_cut: float = Field(
        0.3, ge=0, le=0.9, description="Share of service time saved with one clerk per judge (pro rata).")
    assistant_evidence_cut: float = Field(
        0.3, ge=0, le=0.9, description="Share of the evidence period saved with one assistant per judge (pro rata).")

    def for_procedure(self, name: str) -> ProcedureHearing:
        """The procedure's hearing parameters (defaults when not listed)."""
        return self.procedures.get(name) or ProcedureHearing()


class Support(_Strict):
    """How assistants and clerks reduce judge effort, with diminishing returns.

    reduction = max_reduction × (1 − exp(−(assistant_weight·A + clerk_weight·C) / (J · scale)))
    judge effort = base effort × (1 − reduction)
    """

    max_reduction: float = Field(0.5, ge=0, le=0.9)
    assistant_weight: float = Field(1.0, ge=0, le=5)
    clerk_weight: float = Field(0.5, ge=0, le=5)
    scale: float = Field(1.0, gt=0, le=20, description="Support staff per judge at which 63 % of the maximum reduction is reached.")


class Calendar(_Strict):
    """Working calendar: judges work only on working days."""

    hours_per_day: float = Field(6.5, gt=0, le=16, description="Judge hours of case work per working day.")
    working_weekdays: list[int] = Field(default_factory=lambda: [1, 2, 3, 4, 5], min_length=1, max_length=7,
                                        description="ISO weekdays worked: 1 = Monday … 7 = Sunday.")
    public_holidays: Literal["china", "none"] = Field(
        "china", description="Public holidays and working-day swaps: 'china' from the chinese-calendar package "
                             "(for the years it knows), 'none' = working weekdays only.")
    holidays: list[dt.date] = Field(default_factory=list, description="Further days off (added to the public holidays).")
    extra_working_days: list[dt.date] = Field(default_factory=list, description="Further days worked, e.g. weekend days worked in exchange for holidays (调休).")
    push_months: list[int] = Field(default_factory=list, description="Calendar months with a closing push (e.g. [12]).")
    push_factor: float = Field(1.0, ge=1, le=2, description="Capacity multiplier in push months.")

    @field_validator("working_weekdays")
    @classmethod
    def _weekdays(cls, v: list[int]) -> list[int]:
        bad = [d for d in v if d < 1 or d > 7]
        if bad:
            raise ValueError(f"weekdays must be 1 (Monday) to 7 (Sunday), got {bad}")
        return sorted(set(v))

    @field_validator("push_months")
    @classmethod
    def _months(cls, v: list[int]) -> list[int]:
        bad = [m for m in v if m < 1 or m > 12]
        if bad:
            raise ValueError(f"months must be 1 to 12, got {bad}")
        return sorted(set(v))


class AgeBand(_Strict):
    max_months: float = Field(..., gt=0, le=120, description="Upper age of the band in months.")
    share: float = Field(..., ge=0, le=1)


def _default_age_profile() -> list["AgeBand"]:
    return [AgeBand(max_months=3, share=0.6), AgeBand(max_months=6, share=0.25),
            AgeBand(max_months=12, share=0.12), AgeBand(max_months=24, share=0.03)]


def _check_bands(bands: list["AgeBand"]) -> None:
    edges = [b.max_months for b in bands]
    if edges != sorted(edges) or len(set(edges)) != len(edges):
        raise ValueError("age bands must be in strictly increasing order of max_months")
    if abs(sum(b.share for b in bands) - 1) > 1e-6:
        raise ValueError(f"age band shares must sum to 1, they sum to {sum(b.share for b in bands):.4f}")


class PendingGroup(_Strict):
    """Part of one track's carried-over caseload under one procedure, with its own ages.

    Ages are drawn from the group's age profile, but only ``overdue`` of the group's cases
    may be past their time limit (with extension) on the first day: the others have ages
    drawn from the profile cut at the limit, so that no case starts overdue by accident.
    """

    track: Track = Field(..., description="Track whose carried-over count this group is a share of.")
    procedure: str = Field(..., description="Procedure of the group's cases.")
    share: float = Field(..., ge=0, le=1, description="Share of the track's carried-over cases in this group.")
    overdue: int = Field(0, ge=0, le=200_000, description="How many of the group's cases are already past their limit on the first day.")
    age_profile: Optional[list[AgeBand]] = Field(
        None, min_length=1, max_length=20,
        description="Ages of the group's cases; null = the caseload's age_profile.")

    @field_validator("age_profile")
    @classmethod
    def _bands(cls, v: Optional[list[AgeBand]]) -> Optional[list[AgeBand]]:
        if v is not None:
            _check_bands(v)
        return v


class InitialPending(_Strict):
    """Pending caseload carried over (旧存) at the start of the simulation.

    ``simple`` and ``complex`` count each track's carried-over cases. ``groups`` splits a
    track's count by procedure, each group with its own age profile and an explicit number of
    cases already overdue. A track without groups (every scenario written before groups
    existed) is split by the shares of its case types, with ``age_profile`` and no case overdue.
    """

    simple: int = Field(0, ge=0, le=200_000)
    complex: int = Field(0, ge=0, le=200_000)
    age_profile: list[AgeBand] = Field(
        default_factory=_default_age_profile,
        min_length=1, max_length=20,
        description="Ages spread uniformly within bands; bands in increasing order.")
    groups: list[PendingGroup] = Field(default_factory=list, max_length=40,
                                       description="Carried-over cases by track and procedure.")

    @model_validator(mode="after")
    def _bands(self) -> "InitialPending":
        _check_bands(self.age_profile)
        for track in ("simple", "complex"):
            gs = [g for g in self.groups if g.track == track]
            if not gs:
                continue
            total = sum(g.share for g in gs)
            if abs(total - 1) > 1e-6:
                raise _PathError(("groups",), [g.share for g in gs],
                                 f"the {track} track's group shares must sum to 1, they sum to {total:.4f}")
        for i, (g, n) in enumerate(zip(self.groups, self.group_counts())):
            if g.overdue > n:
                raise _PathError(("groups", i, "overdue"), g.overdue,
                                 f"at most the group's {n} cases ({g.share:g} of {getattr(self, g.track)}) can be overdue")
        return self

    def group_counts(self) -> list[int]:
        """Cases in each group: the track's count split by share, remainders to the largest."""
        out = [0] * len(self.groups)
        for track in ("simple", "complex"):
            idx = [i for i, g in enumerate(self.groups) if g.track == track]
            if not idx:
                continue
            n = getattr(self, track)
            exact = [n * self.groups[i].share for i in idx]
            base = [int(x) for x in exact]
            left = n - sum(base)
            for k in sorted(range(len(idx)), key=lambda k: base[k] - exact[k])[:left]:
                base[k] += 1
            for i, b in zip(idx, base):
                out[i] = b
        return out


class Targets(_Strict):
    """Targets shown as met or missed; null = no target."""

    within_limit_rate: Optional[float] = Field(0.95, ge=0, le=1)
    clearance_rate: Optional[float] = Field(1.0, ge=0, le=5)
    long_pending_end: Optional[float] = Field(0, ge=0)
    overdue_pending_end: Optional[float] = Field(None, ge=0)
    pending_end: Optional[float] = Field(None, ge=0)
    disposition_days_mean: Optional[float] = Field(None, ge=0)
    mediation_resolution_share: Optional[float] = Field(None, ge=0, le=1)


class Scenario(_Strict):
    """Every parameter of one what-if run (see ``shared/design/model.md``)."""

    name: Text = Field("scenario", min_length=1, max_length=120)
    description: Text = Field("", max_length=4000)
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
        total = sum(c.share for c in self.case_types)
        if abs(total - 1) > 1e-6:
            raise _PathError(("case_types",), [c.share for c in self.case_types],
                             f"case type shares must sum to 1, they sum to {total:.4f}")
        for i, c in enumerate(self.case_types):
            if c.procedure not in self.procedures:
                raise _PathError(("case_types", i, "procedure"), c.procedure,
                                 f"unknown procedure; allowed: {', '.join(sorted(self.procedures))}")
        if "ordinary" not in self.procedures:
            raise _PathError(("procedures",), sorted(self.procedures),
                             "an 'ordinary' procedure is required: converted and complex-track cases use it")
        if "simple" not in self.procedures:
            raise _PathError(("procedures",), sorted(self.procedures),
                             "a 'simple' procedure is required: complex cases sent to the simple track use it")
        names = [t.name for t in self.teams]
        for i, n in enumerate(names):
            if names.index(n) != i:
                raise _PathError(("teams", i, "name"), n, "team names must be unique")
        for track in ("simple", "complex"):
            needs = any(c.track == track and c.share > 0 for c in self.case_types) or (
                track == "complex" and self.triage.conversion_rate > 0)
            if track == "simple" and self.triage.accuracy < 1:
                needs = needs or any(c.track == "complex" and c.share > 0 for c in self.case_types)
            if track == "complex" and self.triage.accuracy < 1:
                needs = needs or any(c.track == "simple" and c.share > 0 for c in self.case_types)
            if needs and not any(t.track == track for t in self.teams):
                raise _PathError(("teams",), names, f"cases reach the {track} track but no team serves it; add a {track} team")
            for j, g in enumerate(self.initial_pending.groups):
                if g.procedure not in self.procedures:
                    raise _PathError(("initial_pending", "groups", j, "procedure"), g.procedure,
                                     f"unknown procedure; allowed: {', '.join(sorted(self.procedures))}")
            pend = getattr(self.initial_pending, track)
            if pend > 0 and not any(t.track == track for t in self.teams):
                raise _PathError(("initial_pending", track), pend, f"no team serves the {track} track")
        if self.hearings is not None:
            for name in self.hearings.procedures:
                if name not in self.procedures:
                    raise _PathError(("hearings", "procedures", name), name,
                                     f"unknown procedure; allowed: {', '.join(sorted(self.procedures))}")
            week = self.calendar.hours_per_day * len(self.calendar.working_weekdays)
            most = self.hearings.slots_per_week + 2 * self.hearings.clerk_extra_slots
            if most * self.hearings.slot_hours > 0.8 * week:
                raise _PathError(("hearings", "slots_per_week"), self.hearings.slots_per_week,
                                 f"hearing slots (with clerks' extra slots, up to {most:g} a week of "
                                 f"{self.hearings.slot_hours:g} h) must leave at least 20 % of the {week:g} "
                                 f"working hours a week for the desk")
        for i, t in enumerate(self.teams):
            for j, ch in enumerate(t.changes):
                for field in ("judges", "assistants", "clerks"):
                    base = getattr(t, field)
                    if base + getattr(ch, field) < 0:
                        raise _PathError(("teams", i, "changes", j, field), getattr(ch, field),
                                         f"would leave the team with fewer than 0 {field} (it has {base})")
        return self

    @property
    def end_date(self) -> dt.date:
        """First day after the reported horizon."""
        return add_months(self.start_date, self.horizon_months)


def add_months(d: dt.date, months: int) -> dt.date:
    """Calendar-month arithmetic; a day that does not exist becomes the month's last day."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    import calendar as _cal

    day = min(d.day, _cal.monthrange(year, month)[1])
    return dt.date(year, month, day)


class _PathError(ValueError):
    """A cross-field error that knows the field it belongs to."""

    def __init__(self, loc: tuple, value: Any, message: str):
        super().__init__(message)
        self.loc = loc
        self.value = value
        self.message = message


class FieldError(BaseModel):
    """One validation problem: where, what was given, what is allowed."""

    path: str
    value: Any = None
    message: str

    def __str__(self) -> str:
        v = json.dumps(self.value, ensure_ascii=False, default=str)
        if len(v) > 80:
            v = v[:77] + "..."
        return f"{self.path or '(scenario)'}: {self.message} (got {v})"


class ScenarioError(ValueError):
    """Raised for an invalid scenario; ``errors`` lists every field-level problem."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def _dotted(loc: tuple) -> str:
    return ".".join(str(p) for p in loc)


def _lookup(data: Any, loc: tuple) -> Any:
    cur = data
    for p in loc:
        try:
            cur = cur[p]
        except (KeyError, IndexError, TypeError):
            return None
    return cur


def _errors_from_validation(exc: ValidationError, data: Any) -> list[FieldError]:
    out: list[FieldError] = []
    for e in exc.errors():
        loc = tuple(e.get("loc", ()))
        ctx = e.get("ctx") or {}
        err = ctx.get("error")
        if isinstance(err, _PathError):
            loc = loc + tuple(err.loc) if loc else tuple(err.loc)
            out.append(FieldError(path=_dotted(loc), value=err.value, message=err.message))
            continue
        msg = e.get("msg", "invalid value")
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        if e.get("type") == "extra_forbidden":
            msg = "unknown field (not part of the scenario schema)"
        out.append(FieldError(path=_dotted(loc), value=e.get("input", _lookup(data, loc)), message=msg))
    return out


def scenario_from_dict(data: Any) -> Scenario:
    """Validate plain data into a :class:`Scenario`, or raise :class:`ScenarioError`."""
    if not isinstance(data, dict):
        raise ScenarioError([FieldError(path="", value=type(data).__name__, message="a scenario must be a mapping of fields")])
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_errors_from_validation(exc, data)) from None


def scenario_to_dict(scn: Scenario) -> dict:
    """Plain, YAML/JSON-safe data (dates as ISO strings)."""
    return scn.model_dump(mode="json")


def load_yaml_text(text: str) -> Scenario:
    """Parse YAML text (safe loader only) and validate it."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError([FieldError(path="", value=None, message=f"not valid YAML: {exc}")]) from None
    return scenario_from_dict(data)


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario YAML file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError([FieldError(path="", value=str(p), message=f"cannot read file: {exc.strerror or exc}")]) from None
    except UnicodeDecodeError:
        raise ScenarioError([FieldError(path="", value=str(p), message="file is not UTF-8 text")]) from None
    return load_yaml_text(text)


def dump_yaml(scn: Scenario) -> str:
    """The scenario as YAML text, readable and round-trippable."""
    return yaml.safe_dump(scenario_to_dict(scn), allow_unicode=True, sort_keys=False, width=100)


def save_scenario(scn: Scenario, path: str | Path) -> None:
    """Write a scenario as YAML, atomically (a crash never leaves a half-written file)."""
    import os
    import tempfile

    p = Path(path)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(dump_yaml(scn))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def json_schema() -> dict:
    """The JSON Schema of a scenario file."""
    return Scenario.model_json_schema()


def _parse_value(raw: str) -> Any:
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw


def apply_overrides(data: dict, overrides: list[str]) -> dict:
    """Apply ``FIELD=VALUE`` overrides (dotted paths, list indices as numbers) to plain data.

    Values are parsed as YAML scalars or flow collections (``9``, ``0.3``, ``null``, ``[1,2]``).
    Raises :class:`ScenarioError` naming the path when it does not exist.
    """
    import copy

    out = copy.deepcopy(data)
    for item in overrides:
        if "=" not in item:
            raise ScenarioError([FieldError(path=item, value=item, message="override must look like FIELD=VALUE, e.g. teams.0.judges=9")])
        path, raw = item.split("=", 1)
        parts = [p for p in path.strip().split(".") if p != ""]
        if not parts:
            raise ScenarioError([FieldError(path=path, value=item, message="empty field path")])
        cur: Any = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if isinstance(cur, list):
                try:
                    idx = int(part)
                except ValueError:
                    raise ScenarioError([FieldError(path=".".join(parts[: i + 1]), value=part,
                                                    message="this field is a list: use a number index")]) from None
                if not 0 <= idx < len(cur):
                    raise ScenarioError([FieldError(path=".".join(parts[: i + 1]), value=idx,
                                                    message=f"index out of range: 0 to {len(cur) - 1}")])
                if last:
                    cur[idx] = _parse_value(raw)
                else:
                    cur = cur[idx]
            elif isinstance(cur, dict):
                if last:
                    cur[part] = _parse_value(raw)
                else:
                    if part not in cur or cur[part] is None:
                        cur[part] = {}
                    cur = cur[part]
            else:
                raise ScenarioError([FieldError(path=".".join(parts[:i]), value=cur,
                                                message="this field has no sub-fields")])
    return out
