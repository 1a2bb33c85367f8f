"""Sweeps: every court × plan × replication × figure as a row, in Parquet, resumable.

A plan is a named list of ``--set`` overrides, applied to every court; ``posts.judges=N`` (and
``posts.assistants``, ``posts.clerks``) adds N new posts to the court (see
:func:`sim.province.tasks.with_posts`). A grid (``FIELD=V1,V2,...`` per field) gives the
product of its values. Each finished task is written at once as its own Parquet part, named by
the task's key (its court, plan, every parameter, seed and replications), to a temporary file
renamed into place, so a part is either whole or absent: a sweep started again skips the
parts already there and runs only the rest.
"""
from __future__ import annotations

import itertools
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

from ..model.errors import CodedError, FieldError, ScenarioError
from ..model.scenario import Scenario, apply_overrides, scenario_from_dict, scenario_to_dict
from .cluster import Runner
from .spec import LoadedProvince
from .tasks import ROLES, Task, make_task, with_posts

COLUMNS = ("court", "plan", "replication", "figure", "value")
PART_PREFIX = "part-"
MAX_PLANS = 500


class SweepError(CodedError):
    """A sweep's options or results folder cannot be used (``sweep_*`` codes)."""


@dataclass(frozen=True)
class Plan:
    """A named set of overrides applied to every court (``posts.ROLE=N`` adds new posts)."""

    name: str
    overrides: tuple[str, ...] = ()


AS_IS = Plan("as_is")


def grid_plans(grid: Sequence[str]) -> list[Plan]:
    """The product of ``FIELD=V1,V2,...`` items, one plan per combination (named by its values)."""
    axes = []
    for item in grid:
        path, sep, values = item.partition("=")
        if not sep or not path.strip() or not values.strip():
            raise SweepError("sweep_bad_grid", option="--grid", value=item)
        axes.append([f"{path.strip()}={v.strip()}" for v in values.split(",") if v.strip()])
    count = 1
    for a in axes:
        count *= len(a)
    if count > MAX_PLANS:
        raise SweepError("sweep_too_many_plans", count=count, limit=MAX_PLANS)
    return [Plan(",".join(combo), tuple(combo)) for combo in itertools.product(*axes)] if axes else []


def variant_plan(text: str) -> Plan:
    """``NAME:FIELD=VALUE FIELD=VALUE ...`` (overrides separated by spaces) as a plan."""
    name, sep, rest = text.partition(":")
    if not sep or not name.strip() or "=" not in rest:
        raise SweepError("sweep_bad_grid", option="--plan", value=text)
    return Plan(name.strip(), tuple(rest.split()))


def plan_scenario(scn: Scenario, plan: Plan) -> Scenario:
    """``scn`` under ``plan``: its overrides validated like the file, then its new posts added."""
    posts = {r: 0 for r in ROLES}
    rest = []
    for item in plan.overrides:
        path, _, raw = item.partition("=")
        role = path.strip()[len("posts."):] if path.strip().startswith("posts.") else None
        if role is None:
            rest.append(item)
        elif role in ROLES and raw.strip().isascii() and raw.strip().isdigit():
            posts[role] = int(raw.strip())
        else:
            raise ScenarioError.one(path.strip(), "sweep_posts", raw, roles=", ".join(ROLES))
    out = scenario_from_dict(apply_overrides(scenario_to_dict(scn), rest)) if rest else scn
    return with_posts(out, posts)


def sweep_tasks(province: LoadedProvince, plans: Sequence[Plan], replications: Optional[int] = None,
                seed: Optional[int] = None) -> list[Task]:
    """One task per court × plan, every one checked before anything runs (errors name court and plan)."""
    n = province.spec.replications if replications is None else int(replications)
    s = province.spec.seed if seed is None else int(seed)
    tasks, problems = [], []
    for i, (name, scn) in enumerate(zip(province.names, province.scenarios, strict=True)):
        for plan in plans or [AS_IS]:
            try:
                tasks.append(make_task(name, plan.name, plan_scenario(scn, plan), s, n))
            except ScenarioError as exc:
                problems += [FieldError(path=f"courts.{i} [{plan.name}]: {e.path}", value=e.value, code=e.code,
                                        params=e.params, message=e.message) for e in exc.errors]
    if problems:
        raise ScenarioError(problems)
    return tasks


def part_path(out: Path, task: Task) -> Path:
    """Where a task's rows go."""
    return out / f"{PART_PREFIX}{task.key}.parquet"


def task_rows(task: Task, reps: list[dict]) -> dict[str, list]:
    """The rows of a finished task, as columns (figures in a fixed order: sorted by code)."""
    cols: dict[str, list] = {c: [] for c in COLUMNS}
    for r, figs in enumerate(reps):
        for fig in sorted(figs):
            cols["court"].append(task.court)
            cols["plan"].append(task.plan)
            cols["replication"].append(r)
            cols["figure"].append(fig)
            cols["value"].append(float(figs[fig]))
    return cols


def write_part(out: Path, task: Task, reps: list[dict]) -> Path:
    """Write a task's rows to its part atomically (a temporary file in the folder, then renamed)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = task_rows(task, reps)
    table = pa.table({"court": pa.array(cols["court"], pa.string()), "plan": pa.array(cols["plan"], pa.string()),
                      "replication": pa.array(cols["replication"], pa.int32()),
                      "figure": pa.array(cols["figure"], pa.string()), "value": pa.array(cols["value"], pa.float64())})
    dest = part_path(out, task)
    fd, tmp = tempfile.mkstemp(dir=out, prefix=".tmp-", suffix=".parquet")
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


@dataclass
class SweepReport:
    """What a sweep did: tasks run now, tasks skipped (their parts were there), rows in the folder."""

    out: str
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    cases: float = 0.0
    seconds: float = 0.0


def prepare_out(out: "str | os.PathLike[str]") -> Path:
    """The results folder, made if missing; old temporary files of an interrupted sweep removed."""
    p = Path(out)
    if p.exists() and not p.is_dir():
        raise SweepError("sweep_out_not_folder", path=str(p))
    p.mkdir(parents=True, exist_ok=True)
    for tmp in p.glob(".tmp-*.parquet"):
        tmp.unlink(missing_ok=True)
    return p


def run_sweep(tasks: Sequence[Task], out: "str | os.PathLike[str]", runner: Runner,
              on_part: Optional[Callable[[Task, Path], None]] = None) -> SweepReport:
    """Run the tasks whose parts are not in ``out`` yet, writing each part as its task finishes."""
    import time

    folder = prepare_out(out)
    report = SweepReport(str(folder))
    todo = [t for t in tasks if not part_path(folder, t).exists()]
    report.skipped = [t.key for t in tasks if part_path(folder, t).exists()]
    t0 = time.perf_counter()

    def done(i: int, reps: list) -> None:
        path = write_part(folder, todo[i], reps)
        report.ran.append(todo[i].key)
        report.cases += todo[i].cases(reps)
        if on_part:
            on_part(todo[i], path)

    runner.run(todo, done)
    report.seconds = time.perf_counter() - t0
    return report


def read_rows(out: "str | os.PathLike[str]"):
    """Every row of a sweep's folder as a pandas DataFrame (columns :data:`COLUMNS`), sorted."""
    import pyarrow.parquet as pq

    parts = sorted(Path(out).glob(f"{PART_PREFIX}*.parquet"))
    if not parts:
        import pandas as pd

        return pd.DataFrame({c: [] for c in COLUMNS})
    df = pq.ParquetDataset(parts).read().to_pandas()
    return df.sort_values(["court", "plan", "replication", "figure"]).reset_index(drop=True)
