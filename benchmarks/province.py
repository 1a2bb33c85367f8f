"""Province studies on Dask: throughput per worker against the local runner, and time to answer.

Measures, on the example province (``scenarios/provinces/example.yaml``, 12 basic courts):

1. simulated disputes per second per worker: the local runner (this machine's process pool,
   one replication per job) and a Dask LocalCluster of 1 and of 2 workers (one task per court,
   replications batched inside), the same tasks and seed; warm (workers started and the engine
   imported first). The issue asks for Dask within 15 % of the local runner per worker.
2. the time of a sweep of 12 courts × 10 plans (posts.judges=0..9) × 10 replications;
3. the time of the allocation of the example's 20 posts on 1 and 2 workers.

``--quick`` runs a smaller version (3 replications, 3 plans, 3 months) for a busy machine.
Run: ``python benchmarks/province.py [--quick]``.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.province.allocate import allocate  # noqa: E402
from sim.province.cluster import DaskRunner, LocalRunner  # noqa: E402
from sim.province.spec import load_province  # noqa: E402
from sim.province.sweep import grid_plans, run_sweep, sweep_tasks  # noqa: E402

EXAMPLE = ROOT / "scenarios" / "provinces" / "example.yaml"


def throughput(runner, tasks) -> float:
    """Disputes simulated per second by ``runner`` on ``tasks`` (after a warm-up task)."""
    runner.run(tasks[:1])
    t0 = time.perf_counter()
    out = runner.run(tasks)
    sec = time.perf_counter() - t0
    return sum(t.cases(r) for t, r in zip(tasks, out)) / sec


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="3 replications, 3 plans, 3 months")
    a = ap.parse_args()
    reps, plans, months = (3, 3, 3) if a.quick else (10, 10, None)
    prov = load_province(EXAMPLE)
    if months:
        prov.scenarios = [s.model_copy(update={"horizon_months": months}) for s in prov.scenarios]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; example province, 12 courts, "
          f"{reps} replications, {prov.scenarios[0].horizon_months} months")
    tasks = sweep_tasks(prov, [], replications=reps)
    local1 = throughput(LocalRunner(workers=1), tasks)
    print(f"local runner, 1 process:   {local1:10,.0f} disputes/s")
    for w in (1, 2):
        with DaskRunner(workers=w) as d:
            rate = throughput(d, tasks)
        print(f"Dask LocalCluster({w}):      {rate:10,.0f} disputes/s, {rate / w:,.0f} per worker "
              f"({100 * (rate / w / local1 - 1):+.0f} % against the local runner per process)")
    grid = [f"posts.judges={','.join(str(k) for k in range(plans))}"]
    all_tasks = sweep_tasks(prov, grid_plans(grid), replications=reps)
    with DaskRunner(workers=2) as d, tempfile.TemporaryDirectory() as out:
        d.run(all_tasks[:1])   # warm
        rep = run_sweep(all_tasks, out, d)
    print(f"sweep 12 courts × {plans} plans × {reps} replications on 2 workers: {rep.seconds:.1f} s "
          f"({len(rep.ran)} tasks, {rep.cases / rep.seconds:,.0f} disputes/s)")
    for w in (1, 2):
        with DaskRunner(workers=w) as d:
            d.run(tasks[:1])
            t0 = time.perf_counter()
            al = allocate(prov, d, replications=reps)
        print(f"allocation of {prov.spec.pool.judges} posts on {w} worker(s): {time.perf_counter() - t0:.1f} s "
              f"({al.tasks_run} tasks)")


if __name__ == "__main__":
    main()
