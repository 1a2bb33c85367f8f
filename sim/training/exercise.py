"""Training exercises as data: a validated YAML format, read with the engine's safe loader.

An exercise names a built-in starting scenario (a file of ``scenarios/``), what groups may
change and within which limits ("exactly 3 extra quota judges", "move staff only, totals
fixed", "pre-filing mediation share between 15 % and 60 %", "when and where a six-month
secondment goes", "the year-end filing freeze"), the figure that decides and its target, the
seed and replications every group's plan runs with (common random numbers: the same disputes
for every group), and a bilingual title, brief and debrief.

Unknown fields are refused (a typo in a trainer's file is named, not ignored); a file that
cannot be used is listed by :func:`list_exercises` with its reasons and never hides the others.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

from pydantic import AfterValidator, Field, field_validator, model_validator

from ..model.errors import FieldError, ScenarioError, field_error
from ..model.loader import read_yaml_file
from ..model.scenario import (
    MAX_STAFF,
    Name,
    PathError,
    Scenario,
    StrictModel,
    load_scenario,
    model_from_dict,
    scenario_from_dict,
    scenario_to_dict,
)
from ..vocabulary.figure_registry import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
#: the built-in exercises and the scenarios they start from
EXERCISE_FOLDER = ROOT / "scenarios" / "exercises"
SCENARIO_FOLDER = ROOT / "scenarios"
ROLES = ("judges", "assistants", "clerks")
Role = Literal["judges", "assistants", "clerks"]
#: figures an exercise can be decided on: those with a direction of improvement
DECIDING = tuple(k for k, f in REGISTRY.items() if f.better is not None)
_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}\.ya?ml$")


def _text(v: str) -> str:
    if not v.strip():
        raise PathError((), v, "text_expected")
    return v


Text = Annotated[str, AfterValidator(_text)]


class Bilingual(StrictModel):
    """A text in Chinese and English (both required: a session runs in either language)."""

    zh: Text = Field(..., max_length=4000)
    en: Text = Field(..., max_length=4000)

    def get(self, lang: str) -> str:
        """The text in ``lang``."""
        return self.zh if lang == "zh" else self.en


class BilingualName(Bilingual):
    """An exercise's title: a name in both languages, without control or format characters."""

    zh: Annotated[Name, AfterValidator(_text)] = Field(..., max_length=200)
    en: Annotated[Name, AfterValidator(_text)] = Field(..., max_length=200)


class Range(StrictModel):
    """A closed range of shares."""

    min: float = Field(..., ge=0, le=1)
    max: float = Field(..., ge=0, le=1)


class ExtraPool(StrictModel):
    """``count`` new staff to be placed in any of ``roles`` (e.g. 5 administrative staff who
    join the teams as assistants or as clerks)."""

    roles: list[Role] = Field(..., min_length=1, max_length=3)
    count: int = Field(..., ge=1, le=200)


class SecondmentLimit(StrictModel):
    """Staff seconded to the court for ``months`` months: groups choose the team and the first
    month (1 = the first month of the horizon, between ``first_month`` and ``last_month``)."""

    judges: int = Field(0, ge=0, le=50)
    assistants: int = Field(0, ge=0, le=50)
    clerks: int = Field(0, ge=0, le=50)
    months: int = Field(..., ge=1, le=24)
    first_month: int = Field(1, ge=1, le=120)
    last_month: int = Field(..., ge=1, le=120)
    teams: list[str] = Field(default_factory=list, max_length=30,
                             description="Teams it may go to; empty = any team.")


class FreezeLimit(StrictModel):
    """The year-end filing freeze (年底不收案): groups pick one of ``days`` (the day of December
    from which filings are held back; null = no freeze)."""

    days: list[Optional[int]] = Field(..., min_length=2, max_length=32)

    @field_validator("days")
    @classmethod
    def _days(cls, v: list[Optional[int]]) -> list[Optional[int]]:
        for i, d in enumerate(v):
            if d is not None and (isinstance(d, bool) or not 1 <= d <= 31):
                raise PathError((i,), d, "ex_freeze_day", lo=1, hi=31)
        for i, d in enumerate(v):
            if d in v[:i]:
                raise PathError((i,), d, "ex_freeze_repeat")
        return v


class Limits(StrictModel):
    """What groups may change, and the limits the checker holds a plan to.

    ``change``: roles groups may place team by team. Without ``extra`` or ``extra_pool`` the
    totals of those roles are fixed (staff are moved, not added). ``extra``: exactly (or, with
    ``extra_mode: at_most``, at most) this many more of a role than at the start.
    ``one_lever``: the plan changes either the staff or the mediation share, not both.
    Date levers (``secondment``, ``year_end_freeze``) are not mixed with staff levers: the best
    answer for a date is found by trying every date, for staff by the allocation advisor.
    """

    change: list[Role] = Field(default_factory=list, max_length=3)
    extra: dict[Role, int] = Field(default_factory=dict)
    extra_mode: Literal["exactly", "at_most"] = "exactly"
    extra_pool: Optional[ExtraPool] = None
    mediation_share: Optional[Range] = None
    one_lever: bool = False
    secondment: Optional[SecondmentLimit] = None
    year_end_freeze: Optional[FreezeLimit] = None

    @model_validator(mode="after")
    def _consistent(self) -> "Limits":
        # each problem names the field at fault and what it may be (coded: read in zh or en)
        listed = ", ".join(self.change) or "—"
        for role, n in self.extra.items():
            if role not in self.change:
                raise PathError(("extra", role), n, "ex_extra_not_changed", role=role, key=role,
                                allowed=listed)
            if isinstance(n, bool) or not 0 <= n <= 200:
                raise PathError(("extra", role), n, "ex_count_range", lo=0, hi=200)
        pool = self.extra_pool
        for i, r in enumerate(pool.roles if pool else []):
            if r not in self.change:
                raise PathError(("extra_pool", "roles", i), r, "ex_pool_not_changed", key=r, allowed=listed)
            if r in self.extra:
                raise PathError(("extra_pool", "roles", i), r, "ex_pool_and_extra", key=r)
        share = self.mediation_share
        if share and share.min > share.max:
            raise PathError(("mediation_share", "min"), share.min, "ex_min_over_max", hi=share.max)
        staff = bool(self.change) or share is not None
        dates = self.secondment is not None or self.year_end_freeze is not None
        if not staff and not dates:
            raise PathError((), None, "ex_nothing_to_change")
        if staff and dates or (self.secondment is not None and self.year_end_freeze is not None):
            raise PathError((), None, "ex_lever_kinds")
        if self.one_lever and not (self.change and share):
            raise PathError(("one_lever",), True, "ex_one_lever_needs")
        sec = self.secondment
        if sec and sec.last_month < sec.first_month:
            raise PathError(("secondment", "last_month"), sec.last_month, "ex_last_before_first",
                            first=sec.first_month)
        return self


class Deciding(StrictModel):
    """The figure the groups are ranked on, and its target (shown as met or missed)."""

    figure: str
    target: Optional[float] = Field(None, ge=0, le=1_000_000)

    @field_validator("figure")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in DECIDING:
            raise PathError((), v, "ex_figure_unknown", allowed=", ".join(DECIDING))
        return v


class Exercise(StrictModel):
    """One training exercise (see the module docstring)."""

    title: BilingualName
    brief: Bilingual
    debrief: Bilingual
    scenario: str = Field(..., description="File name of the starting scenario in scenarios/.")
    scenario_changes: dict[str, Any] = Field(
        default_factory=dict, description="Scenario fields set for the exercise (merged into the file).")
    horizon_months: int = Field(12, ge=1, le=60)
    seed: int = Field(..., ge=0, le=2**63 - 1)
    replications: int = Field(8, ge=2, le=50)
    limits: Limits
    deciding: Deciding
    advisor_objective: Optional[Literal["within_limit_rate", "pending_end"]] = Field(
        None, description="What the allocation advisor optimises for the best answer (default: the "
                          "deciding figure if the advisor can, else pending at the end).")

    @field_validator("scenario")
    @classmethod
    def _file(cls, v: str) -> str:
        if not _FILE.match(v):
            raise PathError((), v, "ex_scenario_name")
        return v

    @property
    def objective(self) -> str:
        """The advisor's objective for the best answer."""
        if self.advisor_objective:
            return self.advisor_objective
        return self.deciding.figure if self.deciding.figure in ("within_limit_rate", "pending_end") else "pending_end"


def exercise_from_dict(data: Any) -> Exercise:
    """Validate plain data into an :class:`Exercise`, or raise :class:`ScenarioError`."""
    return model_from_dict(Exercise, data)


def _merge(base: dict, changes: dict) -> dict:
    out = dict(base)
    for k, v in changes.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def starting_scenario(ex: Exercise, folder: Optional[Path] = None) -> Scenario:
    """The scenario every group starts from: the named file with the exercise's changes, its
    horizon, seed and replications. Raises :class:`ScenarioError` naming the field."""
    path = (SCENARIO_FOLDER if folder is None else Path(folder)) / ex.scenario
    try:
        base = load_scenario(path)
    except ScenarioError as exc:
        # the first problem in English: a file's reason reads the same as the command line's
        reason = str(exc.errors[0]) if exc.errors else "?"
        raise ScenarioError([field_error("scenario", "ex_scenario_unusable", ex.scenario, file=ex.scenario,
                                         reason=reason)]) from None
    data = _merge(scenario_to_dict(base), ex.scenario_changes)
    data.update(horizon_months=ex.horizon_months, seed=ex.seed, replications=ex.replications)
    try:
        scn = scenario_from_dict(data)
    except ScenarioError as exc:
        raise ScenarioError([e.model_copy(update={"path": f"scenario_changes.{e.path}" if e.path else "scenario_changes"})
                             for e in exc.errors]) from None
    problems = _limit_problems(ex, scn)
    if problems:
        raise ScenarioError(problems)
    return scn


def _limit_problems(ex: Exercise, scn: Scenario) -> list[FieldError]:
    """Limits that name teams the scenario does not have."""
    names = [t.name for t in scn.teams]
    sec = ex.limits.secondment
    out = []
    for i, team in enumerate(sec.teams if sec else []):
        if team not in names:
            out.append(field_error(f"limits.secondment.teams.{i}", "ex_team_unknown", team, team=team,
                                   allowed=", ".join(names)))
    if sec and sec.last_month > ex.horizon_months:
        out.append(field_error("limits.secondment.last_month", "le", sec.last_month, limit=ex.horizon_months))
    return out


def load_exercise(path: "str | Path", scenario_folder: Optional[Path] = None) -> tuple[Exercise, Scenario]:
    """An exercise file and its starting scenario, read safely; raises :class:`ScenarioError`."""
    ex = exercise_from_dict(read_yaml_file(path))
    return ex, starting_scenario(ex, scenario_folder)


@dataclass
class ExerciseEntry:
    """One exercise file: its id (the file's stem), and the exercise or the reasons it cannot be used."""

    id: str
    file: Path
    exercise: Optional[Exercise] = None
    start: Optional[Scenario] = None
    problems: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file can be used."""
        return self.exercise is not None and self.start is not None

    def title(self, lang: str) -> str:
        """The exercise's title, or its file name when it cannot be read."""
        return self.exercise.title.get(lang) if self.exercise else self.file.name


def exercise_folder() -> Path:
    """Where the exercises are: ``COURT_SIM_EXERCISE_DIR`` (a trainer's own folder) or the
    built-in ``scenarios/exercises``."""
    env = os.environ.get("COURT_SIM_EXERCISE_DIR", "").strip()
    return Path(env) if env else EXERCISE_FOLDER


def list_exercises(folder: Optional[Path] = None, scenario_folder: Optional[Path] = None) -> list[ExerciseEntry]:
    """Every ``*.yaml`` exercise in ``folder`` (default: :func:`exercise_folder`), sorted by file
    name; a file that cannot be used is listed with its problems and never breaks the list."""
    folder = exercise_folder() if folder is None else Path(folder)
    try:
        files = sorted(p for p in folder.iterdir() if _FILE.match(p.name) and not p.name.startswith("."))
    except OSError:
        return []
    return [_entry(p, scenario_folder) for p in files]


def _entry(p: Path, scenario_folder: Optional[Path]) -> ExerciseEntry:
    entry = ExerciseEntry(p.stem, p)
    try:
        entry.exercise, entry.start = load_exercise(p, scenario_folder)
    except ScenarioError as exc:
        entry.exercise, entry.start = None, None
        entry.problems = list(exc.errors)
    return entry


def find_exercise(exercise_id: str, folder: Optional[Path] = None,
                  scenario_folder: Optional[Path] = None) -> ExerciseEntry:
    """The entry of ``exercise_id``; raises :class:`ScenarioError` when there is none.

    Reads that one file, not the whole folder: a group's page asks on every run.
    """
    folder = exercise_folder() if folder is None else Path(folder)
    for name in (f"{exercise_id}.yaml", f"{exercise_id}.yml"):  # the order list_exercises sorts them in
        if isinstance(exercise_id, str) and _FILE.match(name) and (folder / name).exists():
            return _entry(folder / name, scenario_folder)
    raise ScenarioError.one("exercise", "ex_not_found", exercise_id, name=exercise_id)


__all__ = ["DECIDING", "EXERCISE_FOLDER", "MAX_STAFF", "ROLES", "Exercise", "ExerciseEntry", "Limits",
           "exercise_folder", "exercise_from_dict", "find_exercise", "list_exercises", "load_exercise", "starting_scenario"]
