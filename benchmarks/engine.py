"""Engine speed and memory: prints figures, asserts nothing.

    python benchmarks/engine.py [--quick]

- the baseline: 20 replications, 2 years, wall time on all cores (cold pool and warm; median);
- seconds per replication and simulated cases per second on one core, for the pooled model (one
  queue per team, no hearings) and the docket model (the built-in court: dockets, hearings)
  side by side, in wall time and in CPU time (on a machine whose cores are shared, the CPU time
  says what the engine costs; the wall time what a user waited);
- peak memory of one replication (tracemalloc, Python and NumPy allocations);
- scaling with disputes per year (1k, 10k, 100k) and with the horizon (1, 2, 4 years).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.analysis.pool import shutdown_shared  # noqa: E402
from sim.analysis.runner import run  # noqa: E402
from sim.model.caseflow import simulate  # noqa: E402
from sim.model.figures import replication_figures  # noqa: E402
from sim.model.prepared import prepare  # noqa: E402
from sim.model.scenario import apply_overrides, load_scenario, scenario_from_dict, scenario_to_dict  # noqa: E402


def variant(**changes):
    base = scenario_to_dict(load_scenario(ROOT / "scenarios" / "baseline.yaml"))
    return scenario_from_dict(apply_overrides(base, [f"{k}={v}" for k, v in changes.items()]))


def scaled(disputes: float, months: int = 24):
    """The baseline court scaled so that load stays the same: staff and backlog ∝ disputes."""
    f = disputes / 12200
    base = scenario_to_dict(load_scenario(ROOT / "scenarios" / "baseline.yaml"))
    base["demand"]["disputes_per_year"] = disputes
    base["horizon_months"] = months
    for t in base["teams"]:
        for k in ("judges", "assistants", "clerks"):
            t[k] = max(1, round(t[k] * f))
    base["initial_pending"]["simple"] = round(base["initial_pending"]["simple"] * f)
    base["initial_pending"]["complex"] = round(base["initial_pending"]["complex"] * f)
    return scenario_from_dict(base)


def one_core(scn, reps: int) -> tuple[float, float, int, float]:
    """(median seconds per replication, cases per second, cases per replication, median CPU
    seconds per replication) on this core.

    The median over replications, because these machines share their cores with neighbours
    and a single slow round says more about them than about the engine.
    """
    p = prepare(scn)
    simulate(p, 999)  # warm caches
    times, cpu, cases = [], [], []
    for r in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        rec = simulate(p, r)
        replication_figures(p, rec)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        cases.append(len(rec.file_t))
    med = statistics.median(times)
    n = int(statistics.mean(cases))
    return med, n / med, n, statistics.median(cpu)


def peak_memory_mb(scn) -> float:
    p = prepare(scn)
    tracemalloc.start()
    rec = simulate(p, 0)
    replication_figures(p, rec)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2 ** 20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions, skip the 100k court")
    ap.add_argument("--one-core", action="store_true", help="only the pooled and docket models on one core")
    a = ap.parse_args()
    reps = 3 if a.quick else 6
    cores = os.cpu_count()
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    print(f"machine: {cores} cores, Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f} "
          f"at the start")

    if a.one_core:
        for label, scn in (("pooled", variant(**{"docket.mode": "pooled", "hearings": "null"})), ("docket", base)):
            spr, cps, n, cpu = one_core(scn, reps)
            print(f"{label}: {spr:.3f} s/rep wall, {cpu:.3f} s/rep CPU, {n / cpu:,.0f} cases per CPU second")
        return
    shutdown_shared()
    t0 = time.perf_counter()
    run(base, replications=20)
    cold = time.perf_counter() - t0
    walls = []
    for _ in range(3 if a.quick else 5):
        t0 = time.perf_counter()
        run(base, replications=20)
        walls.append(time.perf_counter() - t0)
    print(f"baseline, 20 replications, 2 years, {cores} workers: {cold:.2f} s cold (starting the pool), "
          f"{statistics.median(walls):.2f} s warm (median of {len(walls)}; best {min(walls):.2f} s)")

    print("baseline on one core (median time of the replications):")
    print(f"{'model':<40}{'s/rep':>8}{'CPU s/rep':>10}{'cases/rep':>11}{'cases/s/core':>14}{'per CPU s':>11}")
    pooled = variant(**{"docket.mode": "pooled", "hearings": "null"})
    for label, scn in (("pooled (team queues, no hearings)", pooled), ("docket (dockets, hearings: built-in)", base)):
        spr, cps, n, cpu = one_core(scn, reps)
        print(f"{label:<40}{spr:>8.3f}{cpu:>10.3f}{n:>11,}{cps:>14,.0f}{n / cpu:>11,.0f}")
    print(f"baseline peak memory of one replication: {peak_memory_mb(base):.1f} MiB")

    print("\nscaling with disputes per year (2 years; staff and carried-over caseload scaled alike):")
    print(f"{'disputes/yr':>12} {'cases/rep':>10} {'s/rep':>8} {'cases/s':>10} {'peak MiB':>9} {'KiB/case':>9}")
    sizes = (1_000, 10_000) if a.quick else (1_000, 10_000, 100_000)
    for d in sizes:
        scn = scaled(d)
        r = 1 if d >= 100_000 else reps
        spr, cps, n, _ = one_core(scn, r)
        mem = peak_memory_mb(scn)
        print(f"{d:>12,} {n:>10,} {spr:>8.3f} {cps:>10,.0f} {mem:>9.1f} {1024 * mem / n:>9.2f}")

    print("\nscaling with the horizon (baseline court):")
    print(f"{'months':>7} {'cases/rep':>10} {'s/rep':>8} {'cases/s':>10}")
    for months in (12, 24, 48):
        spr, cps, n, _ = one_core(variant(horizon_months=months), reps)
        print(f"{months:>7} {n:>10,} {spr:>8.3f} {cps:>10,.0f}")
    shutdown_shared()


if __name__ == "__main__":
    main()
