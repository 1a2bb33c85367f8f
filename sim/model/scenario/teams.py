"""Who does the work and when: teams and their staff changes, how cases reach judges (分案), what
support staff save, and the working calendar."""
from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from pydantic import Field, field_validator, model_validator

from .base import MAX_STAFF, Name, Text, Track, _PathError, _Strict


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
