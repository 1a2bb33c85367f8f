"""Running province tasks: on a Dask cluster (a local one by default) or in the local pool.

:class:`DaskRunner` submits one Dask task per court × plan (its replications run inside the
task, so the scheduler handles tens of tasks, not thousands of replications; when there are
too few tasks to keep every worker busy to the end, large ones are cut into runs of
replications). With no address
it starts a :class:`distributed.LocalCluster` of worker processes on this machine; with
``scheduler`` (or ``COURT_SIM_DASK_SCHEDULER`` in the environment) it connects to a running
``dask scheduler``. A worker that dies is Dask's to handle: its tasks are run again on another
worker, and since a task's figures depend only on its data and seed, the results are the same.
A scheduler that cannot be reached within ``timeout`` seconds is a :class:`ClusterError`.

:class:`LocalRunner` runs the same tasks with the local runner's process pool
(:func:`sim.analysis.runner.map_replications`), replication by replication: the reference the
Dask results are checked against.
"""
from __future__ import annotations

from typing import Callable, Optional, Protocol, Sequence

from ..analysis.dask_runner import (
    DEFAULT_TIMEOUT,
    LEAN_CONFIG,
    SCHEDULER_ENV,
    ClusterError,
    check_address,
    connect,
    plan_pieces,
    result,
    scheduler_from_env,
    total_threads,
    work_estimate,
)
from .tasks import Task, run_piece, warm_worker

DoneFn = Callable[[int, list], None]
__all__ = ["ClusterError", "DaskRunner", "LocalRunner", "Runner", "SCHEDULER_ENV", "check_address",
           "scheduler_from_env"]


class Runner(Protocol):
    """Runs tasks; ``on_done(index, replications)`` as each finishes (any order)."""

    def run(self, tasks: Sequence[Task], on_done: Optional[DoneFn] = None) -> list[list[dict]]: ...


class LocalRunner:
    """The local runner's process pool, one replication per job (the reference)."""

    def __init__(self, workers: Optional[int] = None):
        self.workers = workers
        self.description = "local"

    def run(self, tasks: Sequence[Task], on_done: Optional[DoneFn] = None) -> list[list[dict]]:
        from ..analysis.runner import map_replications
        from ..model.scenario import scenario_from_dict

        scns = [scenario_from_dict(dict(t.data)) for t in tasks]
        owner = [i for i, t in enumerate(tasks) for _ in range(t.replications)]
        jobs = [(scns[i], tasks[i].seed, r) for i, t in enumerate(tasks) for r in range(t.replications)]
        first = {i: owner.index(i) for i in range(len(tasks))}
        left = [t.replications for t in tasks]
        figs: dict[int, dict] = {}

        def one(j: int, fig: dict) -> None:
            # a task is done when its last replication is in: report it then (a sweep writes its part)
            figs[j] = fig
            i = owner[j]
            left[i] -= 1
            if left[i] == 0 and on_done:
                on_done(i, [dict(figs[first[i] + r]["summary"]) for r in range(tasks[i].replications)])
        all_figs = map_replications(jobs, self.workers, one, cluster=False)  # this machine, even with a scheduler set
        return [[dict(all_figs[first[i] + r]["summary"]) for r in range(t.replications)] for i, t in enumerate(tasks)]

    def close(self) -> None:
        """Nothing to stop (the local pool is shared with the rest of the process)."""


class DaskRunner:
    """Tasks on a Dask cluster: a local one (``workers`` processes) or the one at ``scheduler``."""

    def __init__(self, scheduler: Optional[str] = None, workers: int = 2, timeout: float = DEFAULT_TIMEOUT):
        self.scheduler = scheduler if scheduler is not None else scheduler_from_env()
        if self.scheduler is not None:
            check_address(self.scheduler)
        self.workers = max(1, int(workers))
        self.timeout = float(timeout)
        self._client = None
        self._cluster = None

    @property
    def description(self) -> str:
        """Where the tasks run, for the output's head line."""
        return self.scheduler or f"LocalCluster({self.workers})"

    def client(self):
        """The Dask client, connecting (or starting the local cluster) on first use."""
        if self._client is None:
            import dask
            from distributed import Client

            from ..analysis.pool import local_cluster

            if self.scheduler is None:
                self._cluster = local_cluster(self.workers)
                # the client in the same settings as the workers (see LEAN_CONFIG)
                with dask.config.set(LEAN_CONFIG):
                    self._client = Client(self._cluster)
            else:
                self._client = connect(self.scheduler, self.timeout)
        return self._client

    def n_workers(self) -> int:
        """Workers connected now."""
        return len(self.client().scheduler_info(n_workers=-1).get("workers", {}))

    def run(self, tasks: Sequence[Task], on_done: Optional[DoneFn] = None) -> list[list[dict]]:
        """Every task's replications, in task order; ``on_done`` as each task finishes.

        Each court × plan is one Dask task; when there are fewer than a few per worker thread,
        large ones are cut into runs of consecutive replications (:func:`plan_pieces`), largest
        first, so that the workers finish together rather than one waiting for the biggest court.
        A task is reported when its last piece is in, its replications in order.
        """
        from distributed import as_completed

        if not tasks:
            return []
        client = self.client()
        plan = plan_pieces([work_estimate(t.data) for t in tasks], [t.replications for t in tasks],
                           total_threads(client))
        # the key is the piece's content: resubmitting the same work reuses it, and a piece run
        # again after a worker died gives the same figures
        futs, index = [], {}
        for rank, (i, a, b) in enumerate(plan):
            key = f"court-sim-{tasks[i].key}-{a}-{b}"
            if key not in index:   # the same work twice in one call is one key: both get its result
                futs.append(client.submit(run_piece, tasks[i], a, b, key=key, pure=True, retries=2,
                                          priority=-rank))
            index.setdefault(key, []).append((i, a))
        parts: dict[int, dict[int, list]] = {i: {} for i in range(len(tasks))}
        left = [sum(1 for p in plan if p[0] == i) for i in range(len(tasks))]
        out: dict[int, list] = {}
        try:
            for fut in as_completed(futs):
                reps = result(fut)
                for i, a in index[fut.key]:
                    parts[i][a] = reps
                    left[i] -= 1
                    if left[i] == 0:
                        out[i] = [r for start in sorted(parts[i]) for r in parts[i][start]]
                        if on_done:
                            on_done(i, out[i])
        finally:
            for f in futs:
                f.release()
        return [out[i] for i in range(len(tasks))]

    def warm(self) -> None:
        """Import the engine on every worker now (a benchmark's timing then leaves out start-up)."""
        self.client().run(warm_worker)

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this runner started it."""
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> "DaskRunner":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
