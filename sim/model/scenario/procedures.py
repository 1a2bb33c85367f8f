"""Statutory time limits by procedure, the periods that do not count against them, and how each
procedure's cases are prepared and heard."""
from __future__ import annotations

from pydantic import Field, model_validator

from .base import Distribution, Name, _PathError, _Strict


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
