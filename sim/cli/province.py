"""``python -m sim sweep`` and ``python -m sim allocate-posts``: province-wide studies on Dask.

Both read a province file (:mod:`sim.province.spec`) and run one task per court × plan on a
Dask cluster: a local one of ``--workers`` processes unless ``--scheduler ADDRESS`` (or
``COURT_SIM_DASK_SCHEDULER``) names a running scheduler. ``--runner local`` uses the local
process pool instead (no Dask), with identical figures.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any, Callable

from ..vocabulary.province_text import say
from .arguments import add_lang, int_range, write_binary, write_output
from .errors import EXIT_OK, UserError
from .text import table


def _cluster_options(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("province", help="province file (YAML: courts, pool of posts, limits, objective)")
    sp.add_argument("--replications", "-n", type=int_range("--replications", 1, 1000),
                    help="replications per court and plan (default: the province file's)")
    sp.add_argument("--seed", type=int_range("--seed", 0, 2**63 - 1), help="random seed (default: the province file's)")
    sp.add_argument("--scheduler", metavar="ADDRESS",
                    help="a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: $COURT_SIM_DASK_SCHEDULER, "
                         "else a local cluster)")
    sp.add_argument("--workers", "-w", type=int_range("--workers", 1, 256), default=2,
                    help="worker processes of the local cluster (default 2)")
    sp.add_argument("--timeout", type=int_range("--timeout", 1, 600), default=10,
                    help="seconds to wait for the scheduler before giving up (default 10)")
    sp.add_argument("--runner", choices=("dask", "local"), default="dask",
                    help="dask (default) or local: this machine's process pool, without Dask")
    sp.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    add_lang(sp)


def make_runner(a: argparse.Namespace):
    """The runner the options ask for (Dask: local cluster or ``--scheduler``; or the local pool)."""
    from ..province.cluster import DaskRunner, LocalRunner

    if a.runner == "local":
        return LocalRunner(a.workers)
    return DaskRunner(scheduler=a.scheduler, workers=a.workers, timeout=float(a.timeout))


def _progress(quiet: bool, unit: str) -> tuple[Any, Callable[[int, int], None]]:
    if quiet:
        return None, (lambda done, total: None)
    from tqdm import tqdm

    bar = tqdm(total=None, desc=unit, unit=unit, file=sys.stderr, leave=False)

    def cb(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()
    return bar, cb


def cmd_sweep(a: argparse.Namespace) -> int:
    from ..province.spec import load_province
    from ..province.sweep import grid_plans, read_rows, run_sweep, sweep_tasks, variant_plan
    from ..vocabulary.figure_format import counted

    prov = load_province(a.province)
    if a.court:
        unknown = [c for c in a.court if c not in prov.names]
        if unknown:
            raise UserError("sweep_court_unknown", value=unknown[0], names=", ".join(prov.names))
        keep = [i for i, n in enumerate(prov.names) if n in a.court]
        prov.spec = prov.spec.model_copy(update={"courts": [prov.spec.courts[i] for i in keep]})
        prov.scenarios = [prov.scenarios[i] for i in keep]
    plans = grid_plans(a.grid) + [variant_plan(p) for p in a.plan]
    tasks = sweep_tasks(prov, plans, a.replications, a.seed)
    runner = make_runner(a)
    print(say(a.lang, "sweep.head", province=prov.spec.name, tasks=len(tasks), courts=len(prov.names),
               plans=max(1, len(plans)), reps=counted(a.lang, tasks[0].replications, "replication"),
               seed=tasks[0].seed, where=runner.description), flush=True)
    bar, cb = _progress(a.quiet, "tasks")
    count = [0]

    def part(_t, _p) -> None:
        count[0] += 1
        cb(count[0], len(tasks))
    try:
        rep = run_sweep(tasks, a.out, runner, on_part=part)
    finally:
        runner.close()
        if bar is not None:
            bar.close()
    rows = len(read_rows(a.out))
    print(say(a.lang, "sweep.done", ran=len(rep.ran), skipped=len(rep.skipped), rows=rows, out=rep.out))
    if rep.ran:
        print(say(a.lang, "sweep.speed", cases=rep.cases, sec=rep.seconds, rate=rep.cases / max(rep.seconds, 1e-9)))
    print(say(a.lang, "sweep.query", out=rep.out))
    return EXIT_OK


def cmd_allocate(a: argparse.Namespace) -> int:
    from ..province.allocate import allocate
    from ..province.spec import load_province
    from ..vocabulary.province_text import court_table, reason_lines, summary_lines

    prov = load_province(a.province)
    runner = make_runner(a)
    bar, cb = _progress(a.quiet, "tasks")
    try:
        alloc = allocate(prov, runner, a.replications, a.seed, a.objective, progress=cb)
    finally:
        runner.close()
        if bar is not None:
            bar.close()
    if a.json:
        write_output(a.json, alloc.to_json())
    from ..report.tables_studies import allocation_csv, allocation_xlsx

    if a.csv:
        write_output(a.csv, allocation_csv(alloc, a.lang))
    if a.xlsx:
        write_binary(a.xlsx, allocation_xlsx(alloc, a.lang))
    if "-" not in (a.json, a.csv, a.xlsx):
        data = alloc.to_json_dict()
        header, rows = court_table(data, a.lang)
        lines = summary_lines(data, a.lang) + table(header, rows) + reason_lines(data, a.lang)
        sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def add_province_commands(subparsers: Any) -> None:
    """Register ``sweep`` and ``allocate-posts``."""
    from ..province.spec import OBJECTIVES

    sw = subparsers.add_parser(
        "sweep", help="courts × plans × replications to Parquet, on Dask",
        description="Run every court of a province file under every plan (a --grid of --set values, or --plan "
                    "variants; posts.judges=N adds N new judges) and write one Parquet part per court and plan: rows "
                    "(court, plan, replication, figure, value). Started again, it skips the parts already written.")
    _cluster_options(sw)
    sw.add_argument("--out", required=True, metavar="DIR", help="folder of the Parquet parts (made if missing)")
    sw.add_argument("--grid", action="append", default=[], metavar="FIELD=V1,V2,...",
                    help="one axis of the plan grid, e.g. posts.judges=0,1,2 (repeatable: the product is swept)")
    sw.add_argument("--plan", action="append", default=[], metavar="'NAME:FIELD=VALUE ...'",
                    help="a named plan of overrides separated by spaces (repeatable)")
    sw.add_argument("--court", action="append", default=[], metavar="NAME", help="only this court (repeatable)")
    sw.set_defaults(func=cmd_sweep)

    al = subparsers.add_parser(
        "allocate-posts", help="hand out a pool of new posts across courts",
        description="Give the province file's pool of new posts, post by post, to the court where it improves the "
                    "objective most (common random numbers), and compare with spreading evenly and by caseload "
                    "(paired 95 %% intervals), court by court with reasons.")
    _cluster_options(al)
    al.add_argument("--objective", choices=OBJECTIVES, help="default: the province file's")
    al.add_argument("--json", metavar="PATH|-", help="write the allocation as JSON")
    al.add_argument("--csv", metavar="PATH|-", help="write one row per court and figure as CSV (UTF-8 with a byte-order mark)")
    al.add_argument("--xlsx", metavar="PATH", help="write the allocation as an Excel workbook (XLSX) to PATH")
    al.set_defaults(func=cmd_allocate)
