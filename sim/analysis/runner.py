"""Replications: serial or on a pool of worker processes, with identical results.

Replication *r* of a scenario with seed *s* always uses the random streams spawned from
``SeedSequence(s, spawn_key=(r,))`` and computes its figures where it ran, so the order in
which workers finish does not matter: results are sorted by replication. The workers are
:func:`sim.analysis.pool.shared`'s, kept alive between runs (starting workers costs more than a
replication), and each worker keeps the per-scenario tables of the last scenarios it saw.
"""
from __future__ import annotations

import hashlib
import time
import warnings
from collections import OrderedDict
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Optional, Sequence, Tuple

from ..model.caseflow import simulate
from ..model.figures import replication_figures
from ..model.prepared import Prepared, month_labels, prepare
from ..model.scenario import Scenario, scenario_from_dict, scenario_to_dict
from ..model.staffing import monthly_staff
from . import pool as _pools
from .pool import default_workers
from .results import Results

ProgressFn = Callable[[int, int], None]

_PREPARED: "OrderedDict[str, Prepared]" = OrderedDict()


def scenario_key(scn: Scenario) -> str:
    """A stable hash of every parameter (used for caches)."""
    import json

    blob = json.dumps(scenario_to_dict(scn), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def prepared_for(scn: Scenario) -> Prepared:
    """Per-scenario tables, cached for the last few scenarios in this process."""
    key = scenario_key(scn)
    p = _PREPARED.get(key)
    if p is None:
        p = prepare(scn)
        _PREPARED[key] = p
        while len(_PREPARED) > 8:
            _PREPARED.popitem(last=False)
    else:
        _PREPARED.move_to_end(key)
    return p


def staffing_for(scn: Scenario) -> list[dict]:
    """Staff present per team per reported month (a model output: see :mod:`sim.model.staffing`)."""
    p = prepared_for(scn)
    return monthly_staff(scn.teams, p.origin, p.n_days, p.month_edges, p.month_labels)


def run_replication(scn: Scenario, seed: int, replication: int) -> dict:
    """Simulate one replication and return its figures."""
    p = prepared_for(scn)
    return replication_figures(p, simulate(p, replication, seed))


def replication_batch(data: dict, seed: int, replications: Sequence[int]) -> list[dict]:
    """Replications of the scenario ``data`` in one call (a Dask task: few tasks, small overhead)."""
    scn = scenario_from_dict(data)
    return [run_replication(scn, seed, r) for r in replications]


def _worker(data: dict, seed: int, replication: int) -> tuple[int, dict]:
    scn = scenario_from_dict(data)
    return replication, run_replication(scn, seed, replication)


Job = Tuple[Scenario, int, int]  # (scenario, seed, replication)


def map_replications(jobs: Sequence[Job], workers: Optional[int] = None,
                     on_result: Optional[Callable[[int, dict], None]] = None, cluster: bool = True) -> list[dict]:
    """Run (scenario, seed, replication) jobs and return their figures in job order.

    Parallel on the persistent pool when ``workers`` > 1 (default: all cores), serial in this
    process otherwise or when a worker dies; on the Dask cluster named by
    ``COURT_SIM_DASK_SCHEDULER`` when that is set (:mod:`sim.analysis.dask_runner`), unless
    ``cluster`` is False. ``on_result(index, figures)`` is called as each
    job finishes, in completion order. Any mix of scenarios may share one call, so callers
    that run many candidates (the advisor) keep both cores busy.
    """
    from .dask_runner import dask_map_replications, scheduler_from_env

    address = scheduler_from_env() if cluster else None
    if address and len(jobs) > 1:  # a Dask cluster is configured: the same jobs, run there
        return dask_map_replications(jobs, address, replication_batch, on_result)
    out: dict[int, dict] = {}

    def record(i: int, fig: dict) -> None:
        out[i] = fig
        if on_result:
            on_result(i, fig)

    w = default_workers() if workers is None else max(1, int(workers))
    w = min(w, len(jobs))
    if w > 1:
        try:
            pool = _pools.shared(w)
            datas: dict[int, dict] = {}
            futs = {}
            for i, (scn, seed, r) in enumerate(jobs):
                d = datas.setdefault(id(scn), scenario_to_dict(scn))
                futs[pool.submit(_worker, d, seed, r)] = i
            pending: set[Future] = set(futs)
            try:
                while pending:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for f in done:
                        record(futs[f], f.result()[1])
            finally:
                for f in pending:
                    f.cancel()
        except BrokenProcessPool:
            # a worker died (killed, or a script without a __main__ guard re-ran itself in it):
            # finish what is left here, and say so, since it is much slower
            pool.restart()
            warnings.warn("simulation worker pool broke; finishing the replications in this process "
                          "(a script that runs the engine needs an `if __name__ == \"__main__\":` guard)",
                          RuntimeWarning, stacklevel=2)
    for i, (scn, seed, r) in enumerate(jobs):
        if i not in out:
            record(i, run_replication(scn, seed, r))
    return [out[i] for i in range(len(jobs))]


def run(scn: Scenario, replications: Optional[int] = None, seed: Optional[int] = None,
        workers: Optional[int] = None, progress: Optional[ProgressFn] = None) -> Results:
    """Run ``replications`` of ``scn`` (defaults from the scenario) and aggregate the figures.

    ``workers``: processes to use (default all cores; 1 runs in this process).
    ``progress(done, total)`` is called after each finished replication.
    """
    n = scn.replications if replications is None else int(replications)
    s = scn.seed if seed is None else int(seed)
    if n < 1:
        raise ValueError("replications must be at least 1")
    t0 = time.perf_counter()
    done = [0]

    def tick(_i: int, _fig: dict) -> None:
        done[0] += 1
        if progress:
            progress(done[0], n)

    reps = map_replications([(scn, s, r) for r in range(n)], workers, tick)
    return Results.from_replications(scn, s, month_labels(scn), reps, time.perf_counter() - t0,
                                     staffing=staffing_for(scn))
