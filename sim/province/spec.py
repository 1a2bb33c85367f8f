"""The province file: its courts, the pool of new posts to hand out, limits and the objective.

Read through the same safe loader as a scenario (:mod:`sim.model.loader`: regular files of at
most 1 MB, no aliases bombs, no tags, no repeated keys) and validated strictly: unknown fields
are refused, ``'8'`` or ``true`` is not a number, and every problem names its field.

Each court is a scenario (a file, relative to the province file, or a saved scenario's name)
with optional ``set`` overrides in the command line's ``--set`` form, so twelve courts of
different sizes can be made from the few built-in ones without copying files.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..model.errors import FieldError, ScenarioError, field_error
from ..model.loader import read_yaml_file
from ..model.scenario import (
    Name,
    Scenario,
    apply_overrides,
    errors_from_validation,
    scenario_from_dict,
    scenario_to_dict,
)

ROLES = ("judges", "assistants", "clerks")
OBJECTIVES = ("most_courts_meeting_targets", "highest_lowest_within_limit_rate", "fewest_long_pending")
Objective = Literal["most_courts_meeting_targets", "highest_lowest_within_limit_rate", "fewest_long_pending"]
MAX_COURTS = 200
MAX_POOL = 1000


class _Strict(BaseModel):
    # strict: a number written as text or true/false is refused, as in scenario files
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class Posts(_Strict):
    """A number of judges (员额法官), assistants (法官助理) and clerks (书记员)."""

    judges: int = Field(0, ge=0, le=MAX_POOL)
    assistants: int = Field(0, ge=0, le=MAX_POOL)
    clerks: int = Field(0, ge=0, le=MAX_POOL)

    def get(self, role: str) -> int:
        """The number for ``role`` (judges | assistants | clerks)."""
        return int(getattr(self, role))


class Court(_Strict):
    """One basic court of the province: a scenario with overrides and its limits."""

    name: Name = Field(..., min_length=1, max_length=60)
    scenario: str = Field(..., min_length=1, max_length=500,
                          description="Scenario file (relative to the province file) or saved scenario name.")
    set: list[str] = Field(default_factory=list, max_length=200,
                           description="FIELD=VALUE overrides, as the command line's --set.")
    min: Posts = Field(default_factory=Posts, description="New posts this court receives at least.")
    max: Optional[Posts] = Field(None, description="New posts this court may receive at most (null = the whole pool).")


class Province(_Strict):
    """A province (or an intermediate court's district) and the posts it hands out."""

    name: Name = Field(..., min_length=1, max_length=120)
    description_zh: str = Field("", max_length=4000)
    description_en: str = Field("", max_length=4000)
    seed: int = Field(20250101, ge=0, le=2**63 - 1)
    replications: int = Field(10, ge=1, le=1000)
    horizon_months: Optional[int] = Field(None, ge=1, le=120,
                                          description="Months simulated for every court (null = each scenario's own).")
    pool: Posts = Field(default_factory=Posts, description="New posts to hand out.")
    objective: Objective = "most_courts_meeting_targets"
    courts: list[Court] = Field(..., min_length=1, max_length=MAX_COURTS)


@dataclass
class LoadedProvince:
    """A validated province with each court's scenario loaded, overrides applied."""

    spec: Province
    scenarios: list[Scenario]
    path: str = ""

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.spec.courts]

    def limit(self, i: int, role: str) -> int:
        """Most posts of ``role`` court ``i`` may receive."""
        c = self.spec.courts[i]
        return self.spec.pool.get(role) if c.max is None else min(c.max.get(role), self.spec.pool.get(role))


def province_from_dict(data: object) -> Province:
    """Validate plain data into a :class:`Province`, or raise :class:`ScenarioError` (coded, per field)."""
    if not isinstance(data, dict):
        raise ScenarioError.one("", "mapping_expected", type(data).__name__)
    try:
        spec = Province.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(errors_from_validation(exc, data)) from None
    problems = _consistency(spec)
    if problems:
        raise ScenarioError(problems)
    return spec


def _consistency(spec: Province) -> list[FieldError]:
    """What the fields allow one by one but not together: names used twice, limits that cross."""
    out: list[FieldError] = []
    names = [c.name for c in spec.courts]
    for i, n in enumerate(names):
        if names.index(n) != i:
            out.append(field_error(f"courts.{i}.name", "province_court_twice", n, first=names.index(n)))
    for r in ROLES:
        for i, c in enumerate(spec.courts):
            if c.max is not None and c.min.get(r) > c.max.get(r):
                out.append(field_error(f"courts.{i}.min.{r}", "province_min_above_max", c.min.get(r),
                                       max=c.max.get(r)))
        need = sum(c.min.get(r) for c in spec.courts)
        if need > spec.pool.get(r):
            out.append(field_error(f"pool.{r}", "province_min_over_pool", spec.pool.get(r), need=need, role=r))
    return out


def _court_scenario(court: Court, index: int, folder: Path, horizon: Optional[int]) -> Scenario:
    from ..store.scenario_store import load_scenario_arg

    where = f"courts.{index}"
    ref = court.scenario
    path = ref if os.path.isabs(ref) else str(folder / ref)
    try:
        base = load_scenario_arg(path if os.path.isfile(path) else ref)
        data = scenario_to_dict(base)
        data["name"] = court.name
        if horizon is not None:
            data["horizon_months"] = horizon
        return scenario_from_dict(apply_overrides(data, list(court.set)))
    except ScenarioError as exc:
        # every problem names the court it belongs to: "courts.3.set: teams.0.judges: ..."
        raise ScenarioError([FieldError(path=f"{where}.{'set' if court.set else 'scenario'}"
                                        + (f": {e.path}" if e.path else ""), value=e.value, code=e.code,
                                        params=e.params, message=e.message) for e in exc.errors]) from None


def load_province(path: "str | os.PathLike[str]") -> LoadedProvince:
    """Read, validate and load a province file and every court's scenario (errors name the field)."""
    return province_from_data(read_yaml_file(path), Path(path).resolve().parent, str(path))


def province_from_data(data: object, folder: "str | os.PathLike[str]", path: str = "") -> LoadedProvince:
    """A province from parsed YAML (an upload): court scenario files are looked up in ``folder``."""
    spec = province_from_dict(data)
    scns = [_court_scenario(c, i, Path(folder), spec.horizon_months) for i, c in enumerate(spec.courts)]
    return LoadedProvince(spec, scns, path)
