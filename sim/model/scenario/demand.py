"""Where cases come from: disputes, pre-filing mediation, case types and triage (繁简分流)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from pydantic import Field, field_validator

from .base import Distribution, Name, Track, _PathError, _Strict

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
