"""Province studies on Dask: throughput per worker against the local runner, and time to answer.

Measures, on the example province (``scenarios/provinces/example.yaml``, 12 basic courts):

1. simulated disputes per second per worker, like for like: the local runner in this process
   (1 process) and on the app's forkserver pool of 2 processes (one replication per job), and a
   Dask LocalCluster of 1 and of 2 workers (one task per court, replications batched inside, cut
   into runs of replications when there are few tasks), the same tasks and seed. Each is warm
   (pool or workers started, engine imported, one court run) before it is timed; the four run in
   turn, ``--rounds`` times, and the medians are printed, with the CPU seconds of the worker
   processes and of this process (the Dask client and, for a LocalCluster, its scheduler), so a
   busy machine shows as CPU time that did not turn into speed. The issue asks for Dask within
   15 % of the local runner per worker: Dask(1) against local(1), Dask(2) against local(2).
2. the time of a sweep of 12 courts × 10 plans (posts.judges=0..9) × 10 replications;
3. the time of the allocation of the example's 20 posts on 1 and 2 workers;
4. the time until an unreachable scheduler is reported (a coded message), with a 2 s timeout: the
   requirement is an answer within the timeout (tests/test_province.py checks that the timeout is
   the one the connection is made with, and leaves the time to this figure).

``--quick`` runs a smaller version (3 replications, 3 plans, 3 months) for a busy machine;
``--part`` runs one part. Run: ``python benchmarks/province.py [--quick] [--part throughput]``.
The separately started cluster (``dask scheduler`` + ``dask worker``) is
``benchmarks/province_cluster.py``.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.province.allocate import allocate  # noqa: E402
from sim.province.cluster import DaskRunner, LocalRunner  # noqa: E402
from sim.province.spec import load_province  # noqa: E402
from sim.province.sweep import grid_plans, run_sweep, sweep_tasks  # noqa: E402

EXAMPLE = ROOT / "scenarios" / "provinces" / "example.yaml"
RUNNERS = ("local runner, 1 process", "local runner, 2 processes", "Dask LocalCluster(1)", "Dask LocalCluster(2)")


def cpu_seconds() -> tuple[float, float]:
    """(CPU seconds of this process, of all its descendants alive now): the workers are descendants."""
    import psutil

    me = psutil.Process()
    kids = 0.0
    for p in me.children(recursive=True):
        try:
            t = p.cpu_times()
            kids += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return time.process_time(), kids


def timed(runner, tasks) -> dict:
    """One timed run of ``tasks`` on a warm ``runner``: wall, disputes, CPU of this process and the workers."""
    m0, k0 = cpu_seconds()
    t0 = time.perf_counter()
    out = runner.run(tasks)
    wall = time.perf_counter() - t0
    m1, k1 = cpu_seconds()
    return {"wall": wall, "cases": sum(t.cases(r) for t, r in zip(tasks, out)), "main": m1 - m0, "workers": k1 - k0,
            "out": out}


def one_round(name: str, tasks) -> dict:
    """Start the runner ``name``, warm it, time it once on ``tasks``, stop it."""
    if name.startswith("local"):
        from sim.analysis.runner import shutdown_pool

        procs = 1 if "1 process" in name else 2
        runner = LocalRunner(workers=procs)
        runner.run(tasks[:1])   # starts the pool and imports the engine in each process
        try:
            return {**timed(runner, tasks), "procs": procs}
        finally:
            shutdown_pool()
    procs = int(name[-2])
    with DaskRunner(workers=procs) as runner:
        runner.warm()
        runner.run(tasks[:1])
        return {**timed(runner, tasks), "procs": procs}


def throughput(tasks, rounds: int) -> None:
    """Part 1: the four runners in turn, ``rounds`` times; medians; results checked identical."""
    runs: dict[str, list[dict]] = {n: [] for n in RUNNERS}
    for k in range(rounds):
        for name in RUNNERS:
            r = one_round(name, tasks)
            runs[name].append(r)
            print(f"  round {k + 1} {name}: {r['wall']:.2f} s, workers {r['workers']:.2f} CPU s, "
                  f"this process {r['main']:.2f} CPU s  (load {os.getloadavg()[0]:.2f})", flush=True)
    reference = runs[RUNNERS[0]][0]["out"]
    same = all(r["out"] == reference for rs in runs.values() for r in rs)
    med: Callable[[str, str], float] = lambda n, key: statistics.median(r[key] for r in runs[n])
    per: dict[str, float] = {}
    print(f"medians of {rounds} round(s), {runs[RUNNERS[0]][0]['cases']:,.0f} disputes a run:")
    for name in RUNNERS:
        procs = runs[name][0]["procs"]
        rate = statistics.median(r["cases"] / r["wall"] for r in runs[name])
        per[name] = rate / procs
        cpu_rate = statistics.median(r["cases"] / max(r["workers"] + r["main"], 1e-9) for r in runs[name])
        print(f"{name + ':':28s}{rate:10,.0f} disputes/s, {rate / procs:8,.0f} per process; "
              f"{med(name, 'wall'):6.2f} s, workers {med(name, 'workers'):5.2f} CPU s, this process "
              f"{med(name, 'main'):4.2f} CPU s ({cpu_rate:,.0f} disputes per CPU second)")
    for dask_name, local_name in ((RUNNERS[2], RUNNERS[0]), (RUNNERS[3], RUNNERS[1]), (RUNNERS[3], RUNNERS[0])):
        print(f"{dask_name} per worker against {local_name} per process: "
              f"{100 * (per[dask_name] / per[local_name] - 1):+.0f} %")
    print(f"figures identical in every run: {'yes' if same else 'NO'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="3 replications, 3 plans, 3 months")
    ap.add_argument("--part", choices=("all", "throughput", "sweep", "allocation", "unreachable"), default="all")
    ap.add_argument("--rounds", type=int, default=3, help="timed runs of each runner in part 1 (medians)")
    a = ap.parse_args()
    reps, plans, months = (3, 3, 3) if a.quick else (10, 10, None)
    prov = load_province(EXAMPLE)
    if months:
        prov.scenarios = [s.model_copy(update={"horizon_months": months}) for s in prov.scenarios]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; example province, 12 courts, "
          f"{reps} replications, {prov.scenarios[0].horizon_months} months; load {os.getloadavg()}")
    tasks = sweep_tasks(prov, [], replications=reps)
    if a.part in ("all", "throughput"):
        throughput(tasks, max(1, a.rounds))
    if a.part in ("all", "sweep"):
        grid = [f"posts.judges={','.join(str(k) for k in range(plans))}"]
        all_tasks = sweep_tasks(prov, grid_plans(grid), replications=reps)
        with DaskRunner(workers=2) as d, tempfile.TemporaryDirectory() as out:
            d.warm()
            rep = run_sweep(all_tasks, out, d)
        print(f"sweep 12 courts × {plans} plans × {reps} replications on 2 workers: {rep.seconds:.1f} s "
              f"({len(rep.ran)} tasks, {rep.cases / rep.seconds:,.0f} disputes/s)")
    if a.part in ("all", "allocation"):
        for w in (1, 2):
            with DaskRunner(workers=w) as d:
                d.warm()
                t0 = time.perf_counter()
                al = allocate(prov, d, replications=reps)
            print(f"allocation of {prov.spec.pool.judges} posts on {w} worker(s): {time.perf_counter() - t0:.1f} s "
                  f"({al.tasks_run} tasks)")
    if a.part in ("all", "unreachable"):
        unreachable()
    print(f"load at the end: {os.getloadavg()}")


def unreachable(timeout: float = 2.0) -> None:
    """Seconds until a scheduler on a port nobody listens on is reported, against ``timeout``."""
    import socket

    from sim.analysis.dask_runner import ClusterError

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.perf_counter()
    try:
        DaskRunner(scheduler=f"tcp://127.0.0.1:{port}", timeout=timeout).client()
        code = "connected?"
    except ClusterError as exc:
        code = exc.code
    print(f"unreachable scheduler reported ({code}) in {time.perf_counter() - t0:.1f} s (timeout {timeout:g} s)")


if __name__ == "__main__":
    main()
