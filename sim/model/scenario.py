"""The scenario: one validated object that holds every parameter of the model.

A scenario is plain data (loaded from YAML with ``yaml.safe_load``), validated by
pydantic models that refuse unknown fields. Every validation problem is reported as a
:class:`FieldError` naming the dotted field path, the offending value and what is allowed,
so the app and the command line can show it next to the right control.
"""
from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import yaml
from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator,
                      model_validator)

from ..vocabulary.safe_text import describe_chars, refused_in_name
from .errors import FieldError, ScenarioError, field_error
from .loader import parse_yaml, parse_yaml_here, read_yaml_file

__all__ = ["FieldError", "Scenario", "ScenarioError", "add_months", "apply_overrides", "dump_yaml", "json_schema",
           "load_scenario", "load_yaml_text", "save_scenario", "scenario_from_dict", "scenario_to_dict"]

Track = Literal["simple", "complex"]
DistName = Literal["exponential", "lognormal", "gamma", "deterministic"]

MAX_TEAMS = 30


def _no_control_chars(v: str) -> str:
    # YAML cannot round-trip some control characters (NEL, U+0085, reads back as a line break)
    bad = [c for c in v if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029"]
    if bad:
        raise _PathError((), None, "control_chars", chars=", ".join(f"U+{ord(c):04X}" for c in bad[:3]))
    return v


def _name_chars(v: str) -> str:
    # a name is what it looks like: no control character, no right-to-left override (U+202E)
    # or other invisible format character that reorders or hides what follows it
    bad = refused_in_name(v)
    if bad:
        raise _PathError((), None, "name_chars", chars=describe_chars(bad))
    return v


Text = Annotated[str, AfterValidator(_no_control_chars)]
#: the name of a scenario, a team, a case type or a procedure's label
Name = Annotated[str, AfterValidator(_name_chars)]
MAX_STAFF = 500


#: years a scenario's dates may fall in: the working calendar and statutory clocks are modelled
#: for present-day courts; a date far outside would only be a typing mistake (9999-06-01)
MIN_YEAR, MAX_YEAR = 2000, 2100


@functools.lru_cache(maxsize=None)
def _field_kind(cls: type, name: str) -> Optional[tuple[bool, type]]:
    """(is a list, scalar type) for number and date fields, else None."""
    ann = cls.model_fields[name].annotation if name in cls.model_fields else None
    if typing.get_origin(ann) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        ann = args[0] if len(args) == 1 else None
    many = typing.get_origin(ann) is list
    if many:
        ann = (typing.get_args(ann) or (None,))[0]
    return (many, ann) if ann in (int, float, dt.date) else None


def _strict_scalar(kind: type, v: Any, loc: tuple) -> Any:
    """Refuse what pydantic's lax mode would coerce: true as 1, '8' as 8, 0 as 1970-01-01."""
    if kind is dt.date:
        if isinstance(v, str):
            try:
                v = dt.date.fromisoformat(v.strip())
            except ValueError:
                raise _PathError(loc, v, "date_invalid") from None
        if isinstance(v, dt.date):
            if not MIN_YEAR <= v.year <= MAX_YEAR:
                raise _PathError(loc, v, "date_range", min_year=MIN_YEAR, max_year=MAX_YEAR)
            return v
        if v is not None:
            raise _PathError(loc, v, "date_invalid")
        return v
    word = "integer" if kind is int else "number"
    if isinstance(v, bool):
        raise _PathError(loc, v, "bool_not_number", kind=word)
    if isinstance(v, str):
        raise _PathError(loc, v, "text_not_number", kind=word)
    return v


class _Strict(BaseModel):
    # inf/nan are refused everywhere: no figure or target of the model can be infinite, and
    # JSON has no way to write them
    model_config = ConfigDict(extra="forbid", validate_assignment=False, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _strict_types(cls, v: Any, info: ValidationInfo) -> Any:
        kind = _field_kind(cls, info.field_name) if info.field_name else None
        if kind is None:
            return v
        many, base = kind
        if many:
            return [_strict_scalar(base, x, (i,)) for i, x in enumerate(v)] if isinstance(v, list) else v
        return _strict_scalar(base, v, ())


class Distribution(_Strict):
    """A positive random quantity given by name, mean and coefficient of variation.

    ``exponential`` ignores ``cv`` (it is always 1); ``deterministic`` always returns the mean.
    """

    dist: DistName = Field("lognormal", description="Distribution family.")
    mean: float = Field(..., ge=0, le=100_000, description="Mean value.")
    cv: float = Field(0.5, ge=0, le=10, description="Coefficient of variation (sd / mean).")


#: the most filings a scenario may replay from a court's records
MAX_RECORDED_FILINGS = 500_000


class RecordedFilings(_Strict):
    """A court's own filings under one procedure, one date per case (replayed, not drawn)."""

    procedure: str = Field(..., description="Procedure the cases were filed under (before any 简转普).")
    filed: list[dt.date] = Field(..., min_length=1, max_length=MAX_RECORDED_FILINGS, description="Filing dates.")


class Demand(_Strict):
    """Disputes brought to the court, before pre-filing mediation.

    ``filings`` instead replays a court's recorded filings (checking a calibration against its
    own history): each recorded case is filed on its date, under its procedure, and the dispute
    volume, profile, growth and pre-filing mediation are not used.
    """

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
    filings: list[RecordedFilings] = Field(
        default_factory=list, max_length=40,
        description="A court's recorded filings by procedure, replayed instead of drawn; empty = drawn.")

    @field_validator("monthly_profile")
    @classmethod
    def _profile_positive(cls, v: list[float]) -> list[float]:
        if any(x < 0 for x in v) or sum(v) <= 0:
            raise _PathError((), v, "profile_weights")
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

    name: Name = Field(..., min_length=1, max_length=60)
    label_zh: Name = Field("", max_length=60, description="The name in Chinese, for a page in Chinese (optional).")
    label_en: Name = Field("", max_length=60, description="The name in English, for a page in English (optional).")
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
            raise _PathError(("mean",), v.mean, "effort_positive")
        return v

    def label_in(self, lang: str) -> str:
        """The name in ``lang`` ("zh" or "en"): its own label if set, else ``name``."""
        return (self.label_zh if lang == "zh" else self.label_en) or self.name


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

    label_zh: Name = Field("", max_length=40)
    label_en: Name = Field("", max_length=60)
    limit_months: int = Field(0, ge=0, le=60, description="Limit in calendar months after filing.")
    limit_days: int = Field(0, ge=0, le=3650, description="Limit in days (added to the months).")
    extension_months: int = Field(0, ge=0, le=60, description="Approved extension in months (0 = none).")
    extension_days: int = Field(0, ge=0, le=3650, description="Approved extension in days.")

    @model_validator(mode="after")
    def _positive(self) -> "Procedure":
        if self.limit_months == 0 and self.limit_days == 0:
            raise _PathError((), 0, "positive_limit")
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
            raise _PathError(("end",), self.end.isoformat(), "change_order", end=self.end.isoformat(),
                             start=self.start.isoformat())
        return self


class Team(_Strict):
    """A trial team (审判团队) serving one track."""

    name: Name = Field(..., min_length=1, max_length=60)
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
    cases_per_slot: float = Field(1, ge=1, le=50, description="Cases heard in one hearing slot, on average (集中开庭: several short cases at once; 1.5 = a slot holds one or two).")
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
            raise _PathError((), bad, "weekdays_range", bad=bad)
        return sorted(set(v))

    @field_validator("push_months")
    @classmethod
    def _months(cls, v: list[int]) -> list[int]:
        bad = [m for m in v if m < 1 or m > 12]
        if bad:
            raise _PathError((), bad, "months_range", bad=bad)
        return sorted(set(v))


class AgeBand(_Strict):
    max_months: float = Field(..., gt=0, le=120, description="Upper age of the band in months.")
    share: float = Field(..., ge=0, le=1)


def _default_age_profile() -> list["AgeBand"]:
    return [AgeBand(max_months=3, share=0.6), AgeBand(max_months=6, share=0.25),
            AgeBand(max_months=12, share=0.12), AgeBand(max_months=24, share=0.03)]


def _check_bands(bands: list["AgeBand"], loc: tuple) -> None:
    """Age bands in strictly increasing order whose shares sum to 1 (``loc``: the list's field)."""
    edges = [b.max_months for b in bands]
    if edges != sorted(edges) or len(set(edges)) != len(edges):
        raise _PathError(loc, edges, "age_bands_order")
    total = sum(b.share for b in bands)
    if abs(total - 1) > 1e-6:
        raise _PathError(loc, [b.share for b in bands], "age_bands_sum", total=total)


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
            _check_bands(v, ())
        return v


#: procedures of the simple track when no case type says otherwise (简易程序, 小额诉讼)
SIMPLE_PROCEDURES = ("small_claims", "simple")
#: the most cases a table of open cases may list (a scenario file is at most 1 MB, and a listed
#: case takes about 20 bytes of it)
MAX_LISTED_CASES = 30_000


class OpenCases(_Strict):
    """Open cases at the start, listed one by one: those of one presiding judge (or of one
    team, judge unknown) under one procedure, as a court's records show them at a date.

    Each case keeps its own filing date (its age and statutory clock) and the days already
    excluded from its clock. It starts on ``judge``'s docket in ``team``: named judges take
    the team's first seats in the order of their names (J01 before J02), so a team with fewer
    judges than named ones hands the extra dockets on by its hand-over rule on the first day;
    a case without a judge, or in a team the scenario does not have, is assigned on the first
    day like a new filing (``sim.model.caveats``: ``listed_cases_unplaced``).
    """

    team: Text = Field(..., min_length=1, max_length=60, description="Team that holds the cases (its name).")
    judge: Optional[Text] = Field(None, min_length=1, max_length=20,
                                  description="Pseudonym of the presiding judge (J01, ...); null = assigned on the "
                                              "first day by the team's docket rule.")
    procedure: str = Field(..., description="Procedure whose limit governs the cases (ordinary after 简转普).")
    filed: list[dt.date] = Field(..., min_length=1, max_length=MAX_LISTED_CASES,
                                 description="Filing date of each case (before the start date).")
    excluded_days: list[float] = Field(
        default_factory=list, max_length=MAX_LISTED_CASES,
        description="Days already excluded from each case's clock (公告, 鉴定...), in the order of ``filed``; "
                    "empty = none.")

    @model_validator(mode="after")
    def _excluded(self) -> "OpenCases":
        if self.excluded_days and len(self.excluded_days) != len(self.filed):
            raise _PathError(("excluded_days",), len(self.excluded_days), "open_cases_excluded_length",
                             n=len(self.filed))
        bad = [i for i, x in enumerate(self.excluded_days) if not 0 <= x <= 3650]
        if bad:
            raise _PathError(("excluded_days", bad[0]), self.excluded_days[bad[0]], "open_cases_excluded_range")
        return self


class InitialPending(_Strict):
    """Pending caseload carried over (旧存) at the start of the simulation.

    ``simple`` and ``complex`` count each track's carried-over cases. ``groups`` splits a
    track's count by procedure, each group with its own age profile and an explicit number of
    cases already overdue. A track without groups (every scenario written before groups
    existed) is split by the shares of its case types, with ``age_profile`` and no case overdue.
    ``cases`` instead lists the open cases one by one (a court's own state at a date, from its
    records): then the counts are the table's, and there are no groups.
    """

    simple: int = Field(0, ge=0, le=200_000)
    complex: int = Field(0, ge=0, le=200_000)
    age_profile: list[AgeBand] = Field(
        default_factory=_default_age_profile,
        min_length=1, max_length=20,
        description="Ages spread uniformly within bands; bands in increasing order.")
    groups: list[PendingGroup] = Field(default_factory=list, max_length=40,
                                       description="Carried-over cases by track and procedure.")
    cases: list[OpenCases] = Field(default_factory=list, max_length=5000,
                                   description="The open cases one by one, by team, judge and procedure.")

    @model_validator(mode="after")
    def _bands(self) -> "InitialPending":
        _check_bands(self.age_profile, ("age_profile",))
        if self.cases and self.groups:
            raise _PathError(("groups",), len(self.groups), "open_cases_and_groups")
        listed = sum(len(g.filed) for g in self.cases)
        if listed > MAX_LISTED_CASES:
            raise _PathError(("cases",), listed, "open_cases_too_many", limit=MAX_LISTED_CASES, n=listed)
        for track in ("simple", "complex"):
            gs = [g for g in self.groups if g.track == track]
            if not gs:
                continue
            total = sum(g.share for g in gs)
            if abs(total - 1) > 1e-6:
                raise _PathError(("groups",), [g.share for g in gs], "group_shares_sum", track=track, total=total)
        for i, (g, n) in enumerate(zip(self.groups, self.group_counts())):
            if g.overdue > n:
                raise _PathError(("groups", i, "overdue"), g.overdue, "group_overdue", n=n, share=g.share,
                                 total=getattr(self, g.track))
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
        for i, t in enumerate(self.teams):
            for j, ch in enumerate(t.changes):
                for field in ("judges", "assistants", "clerks"):
                    base = getattr(t, field)
                    if base + getattr(ch, field) < 0:
                        raise _PathError(("teams", i, "changes", j, field), getattr(ch, field),
                                         "change_negative", role=field, have=base)
        return self

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


def add_months(d: dt.date, months: int) -> dt.date:
    """Calendar-month arithmetic; a day that does not exist becomes the month's last day."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    import calendar as _cal

    day = min(d.day, _cal.monthrange(year, month)[1])
    return dt.date(year, month, day)


class _PathError(ValueError):
    """A validator's error with its code and parameters, and the field (below the one being
    validated) it belongs to."""

    def __init__(self, loc: tuple, value: Any, code: str, **params: Any):
        from ..vocabulary.messages import render

        self.loc = tuple(loc)
        self.value = value
        self.code = code
        self.params = params
        self.message = render(code, params, "en")
        super().__init__(self.message)


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


# pydantic's error types -> (our code, {our parameter: pydantic's context key})
_PYDANTIC_CODES: dict[str, tuple[str, dict[str, str]]] = {
    "missing": ("missing", {}),
    "extra_forbidden": ("extra_forbidden", {}),
    "greater_than_equal": ("ge", {"limit": "ge"}),
    "greater_than": ("gt", {"limit": "gt"}),
    "less_than_equal": ("le", {"limit": "le"}),
    "less_than": ("lt", {"limit": "lt"}),
    "string_too_short": ("string_too_short", {"min_length": "min_length"}),
    "string_too_long": ("string_too_long", {"max_length": "max_length"}),
    "too_short": ("list_too_short", {"min_length": "min_length"}),
    "too_long": ("list_too_long", {"max_length": "max_length"}),
    "literal_error": ("literal_error", {"expected": "expected"}),
    "int_type": ("integer_expected", {}),
    "int_parsing": ("integer_expected", {}),
    "int_from_float": ("integer_expected", {}),
    "int_parsing_size": ("integer_expected", {}),
    "float_type": ("number_expected", {}),
    "float_parsing": ("number_expected", {}),
    "finite_number": ("finite_number", {}),
    "date_type": ("date_invalid", {}),
    "date_parsing": ("date_invalid", {}),
    "date_from_datetime_parsing": ("date_invalid", {}),
    "date_from_datetime_inexact": ("date_invalid", {}),
    "dict_type": ("mapping_expected", {}),
    "model_type": ("mapping_expected", {}),
    "model_attributes_type": ("mapping_expected", {}),
    "list_type": ("list_expected", {}),
    "string_type": ("text_expected", {}),
    "bool_type": ("bool_expected", {}),
    "bool_parsing": ("bool_expected", {}),
}


def _errors_from_validation(exc: ValidationError, data: Any) -> list[FieldError]:
    """pydantic's errors as coded :class:`FieldError` (include_input=False: nothing is serialised)."""
    out: list[FieldError] = []
    for e in exc.errors(include_url=False):
        loc = tuple(e.get("loc", ()))
        ctx = e.get("ctx") or {}
        err = ctx.get("error")
        if isinstance(err, _PathError):
            loc = loc + err.loc
            out.append(FieldError(path=_dotted(loc), value=err.value, code=err.code, params=err.params,
                                  message=err.message))
            continue
        kind = e.get("type", "")
        value = e.get("input", _lookup(data, loc))
        if kind in _PYDANTIC_CODES:
            code, keys = _PYDANTIC_CODES[kind]
            params = {ours: ctx.get(theirs) for ours, theirs in keys.items()}
            if kind == "extra_forbidden":
                value = _lookup(data, loc)
            out.append(field_error(_dotted(loc), code, None if kind == "missing" else value, **params))
            continue
        msg = str(e.get("msg", "invalid value"))
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        out.append(FieldError(path=_dotted(loc), value=value, code="invalid", params={"detail": msg}))
    return out


#: public names for other input files validated the same way (the province file, training exercises)
errors_from_validation = _errors_from_validation
PathError = _PathError


def scenario_from_dict(data: Any) -> Scenario:
    """Validate plain data into a :class:`Scenario`, or raise :class:`ScenarioError`."""
    return model_from_dict(Scenario, data)


_M = typing.TypeVar("_M", bound=BaseModel)


def model_from_dict(cls: type[_M], data: Any) -> _M:
    """Validate plain data into ``cls`` (a scenario or another input of the engine, such as a
    training exercise), or raise :class:`ScenarioError` with every problem coded."""
    if not isinstance(data, dict):
        raise ScenarioError.one("", "scenario_not_mapping", type=type(data).__name__)
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_errors_from_validation(exc, data)) from None
    except RecursionError:  # pragma: no cover - the loader bounds nesting; data built in code might not
        raise ScenarioError.one("", "yaml_depth", limit=50, line=0, column=0) from None


def scenario_to_dict(scn: Scenario) -> dict:
    """Plain, YAML/JSON-safe data (dates as ISO strings)."""
    return scn.model_dump(mode="json")


def load_yaml_text(text: str, *, own: bool = False) -> Scenario:
    """Parse YAML text with the safe, bounded loader (:mod:`sim.model.loader`) and validate it.

    The parse runs in a child process under a memory and a time limit; ``own=True`` is for text
    this program has just written itself (a saved file read back to check it loads exactly),
    which is parsed here, bounded as ever, without a child.
    """
    return scenario_from_dict(parse_yaml_here(text) if own else parse_yaml(text))


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario YAML file (regular files of at most 1 MB only)."""
    return scenario_from_dict(read_yaml_file(path))


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


def _parse_value(raw: str, path: str) -> Any:
    """A ``--set`` value, parsed by the same bounded loader as a file.

    Text that is not YAML at all (``a: b: c``) is taken as the string itself, and validation
    then says what the field wants; the loader's limits (depth, aliases, duplicate keys) apply.
    """
    try:
        return parse_yaml(raw, path)
    except ScenarioError as exc:
        if exc.errors and exc.errors[0].code in ("yaml_syntax", "yaml_tag"):
            return raw
        raise


def apply_overrides(data: dict, overrides: list[str]) -> dict:
    """Apply ``FIELD=VALUE`` overrides (dotted paths, list indices as numbers) to plain data.

    Values are parsed as YAML scalars or flow collections (``9``, ``0.3``, ``null``, ``[1,2]``).
    Raises :class:`ScenarioError` naming the path when it does not exist.
    """
    import copy

    out = copy.deepcopy(data)
    for item in overrides:
        if "=" not in item:
            raise ScenarioError.one(item, "override_format", item)
        path, raw = item.split("=", 1)
        parts = [p for p in path.strip().split(".") if p != ""]
        if not parts:
            raise ScenarioError.one(path, "override_empty_path", item)
        cur: Any = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            here = ".".join(parts[: i + 1])
            if isinstance(cur, list):
                if not (part.isascii() and part.isdigit()):
                    raise ScenarioError.one(here, "override_list_index", part)
                idx = int(part)
                if not 0 <= idx < len(cur):
                    raise ScenarioError.one(here, "override_index_range", idx, max=len(cur) - 1)
                if last:
                    cur[idx] = _parse_value(raw, here)
                else:
                    cur = cur[idx]
            elif isinstance(cur, dict):
                if last:
                    cur[part] = _parse_value(raw, here)
                else:
                    if part not in cur or cur[part] is None:
                        cur[part] = {}
                    cur = cur[part]
            else:
                raise ScenarioError.one(".".join(parts[:i]), "override_no_subfields", cur)
    return out


# public names for other input schemas of the engine (training exercises): the same strict
# number handling and the same coded field errors as a scenario
StrictModel = _Strict
