"""The initial state: the caseload carried over (旧存) with its ages, by track and procedure."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from pydantic import Field, field_validator, model_validator

from .base import Text, Track, _PathError, _Strict


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
        for i, (g, n) in enumerate(zip(self.groups, self.group_counts(), strict=True)):
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
            for i, b in zip(idx, base, strict=True):
                out[i] = b
        return out
