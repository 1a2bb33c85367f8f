"""Replications: serial or on a pool of worker processes, with identical results.

Replication *r* of a scenario with seed *s* always uses the random streams spawned from
``SeedSequence(s, spawn_key=(r,))`` and computes its figures where it ran, so the order in
which workers finish does not matter: results are sorted by replication. The pool is kept
alive between runs (starting workers costs more than a replication), and each worker keeps
the per-scenario tables of the last scenarios it saw.
"""
from __future__ import annotations

import atexit
import hashlib
import multiprocessing as mp
import os
import threading
import time
import warnings
from collections import OrderedDict
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Optional, Sequence, Tuple

from ..model.figures import replication_figures
from ..model.caseflow import simulate
from ..model.prepared import Prepared, month_labels, prepare
from ..model.staffing import monthly_staff
from .results import Results
from ..model.scenario import Scenario, scenario_from_dict, scenario_to_dict

ProgressFn = Callable[[int, int], None]

_PREPARED: "OrderedDict[str, Prepared]" = OrderedDict()
_POOL: Optional[ProcessPoolExecutor] = None
_POOL_WORKERS = 0


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


def _pool(workers: int) -> ProcessPoolExecutor:
    global _POOL, _POOL_WORKERS
    if _POOL is None or _POOL_WORKERS != workers:
        shutdown_pool()
        ctx = mp.get_context("forkserver")
        try:
            ctx.set_forkserver_preload(["sim.analysis.runner"])
        except Exception:  # pragma: no cover - preload is only an optimisation
            pass
        _POOL = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
        _POOL_WORKERS = workers
    return _POOL


def shutdown_pool() -> None:
    """Stop the worker pool (it is restarted on the next parallel run)."""
    global _POOL, _POOL_WORKERS
    if _POOL is not None:
        _POOL.shutdown(wait=False, cancel_futures=True)
    _POOL, _POOL_WORKERS = None, 0


atexit.register(shutdown_pool)


def default_workers() -> int:
    """All cores."""
    return max(1, os.cpu_count() or 1)


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
            pool = _pool(w)
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
            shutdown_pool()
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


# --- shared, progressive runs (the app) ------------------------------------------------------

FIRST_REPLICATIONS = 4   # replications of every new job that go ahead of older jobs' remainders
QUICK_REPLICATIONS = 1   # of those, the ones every new job gets before any job gets more
IDLE_AFTER = 15.0        # seconds without anyone asking: the job then runs only when nothing else waits


class RunJob:
    """The replications of one (scenario, replications, seed), run by a :class:`Scheduler`.

    Everyone who asks for the same setting gets the same job. Replication *r* is exactly the
    replication *r* of :func:`run`, so :meth:`snapshot` of a finished job equals ``run(...)``
    figure for figure; before that it gives the first replications that have finished
    (a contiguous prefix 0..k-1, so paired differences against another scenario stay paired).
    """

    def __init__(self, key: object, scn: Scenario, replications: int, seed: int, order: int):
        self.key = key
        self.scenario = scn
        self.replications = int(replications)
        self.seed = int(seed)
        self.order = order              # arrival order: the first replications of new jobs go first
        self.data = scenario_to_dict(scn)
        self.labels = month_labels(scn)
        self.started = time.perf_counter()
        self.seconds = 0.0              # wall time from submission to the last replication
        self.error: Optional[BaseException] = None
        self.dispatched = 0             # replications handed to the pool (always 0..dispatched-1)
        self.retry: list[int] = []      # replications to hand out again (their worker died)
        self.last_asked = time.monotonic()
        self._figs: dict[int, dict] = {}
        self._prefix = 0
        self._snap: Optional[Results] = None
        self._staffing: Optional[list[dict]] = None
        self._cond = threading.Condition()
        self._callbacks: list[Callable[[Results], None]] = []

    # --- read by any thread ---------------------------------------------------------------
    @property
    def done(self) -> int:
        """Replications finished so far (any order)."""
        return len(self._figs)

    @property
    def prefix(self) -> int:
        """Replications 0..prefix-1 have all finished."""
        return self._prefix

    @property
    def finished(self) -> bool:
        """Every replication finished, or the job failed."""
        return self.error is not None or self._prefix >= self.replications

    def touch(self) -> None:
        """Someone still wants this job (jobs nobody asked about for a while yield to the rest)."""
        self.last_asked = time.monotonic()

    def snapshot(self, minimum: int = 1) -> Optional[Results]:
        """Results of the finished prefix of replications (None when fewer than ``minimum``)."""
        self.touch()
        with self._cond:
            if self.error is not None:
                raise self.error
            k = self._prefix
            if k < max(1, minimum):
                return None
            if self._snap is None or self._snap.replications != k:
                reps = [self._figs[r] for r in range(k)]
                if self._staffing is None:  # the same for every snapshot; computed on the first
                    self._staffing = staffing_for(self.scenario)
                self._snap = Results.from_replications(self.scenario, self.seed, self.labels, reps,
                                                       self.seconds if k >= self.replications else
                                                       time.perf_counter() - self.started,
                                                       staffing=self._staffing)
            return self._snap

    def wait(self, prefix: int, timeout: Optional[float] = None) -> bool:
        """Wait until ``prefix`` replications have finished (or the job ended); True if they have."""
        self.touch()
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while not self.finished and self._prefix < prefix:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    break
                self._cond.wait(1.0 if left is None else min(left, 1.0))
                self.touch()
            return self._prefix >= min(prefix, self.replications)

    def result(self, timeout: Optional[float] = None) -> Results:
        """The final results (waits); raises the engine's error if the job failed."""
        self.wait(self.replications, timeout)
        snap = self.snapshot(self.replications)
        if snap is None:
            raise TimeoutError(f"{self.replications - self._prefix} replications still running")
        return snap

    # --- written by the scheduler ---------------------------------------------------------
    def _record(self, r: int, fig: dict) -> list[Callable[[Results], None]]:
        with self._cond:
            self._figs[r] = fig
            while self._prefix in self._figs:
                self._prefix += 1
            if self._prefix >= self.replications:
                self.seconds = time.perf_counter() - self.started
            self._cond.notify_all()
            return list(self._callbacks) if self._prefix >= self.replications else []

    def _fail(self, exc: BaseException) -> None:
        with self._cond:
            self.error = exc
            self._cond.notify_all()

    def _wants(self) -> bool:
        return self.error is None and (bool(self.retry) or self.dispatched < self.replications)

    def _take(self) -> int:
        if self.retry:
            return self.retry.pop(0)
        self.dispatched += 1
        return self.dispatched - 1


class Scheduler:
    """Runs many sessions' jobs on one pool of worker processes, shared and fairly.

    - One job per key: a second request for a running (or recently finished) setting attaches
      to it instead of running it again.
    - Only as many replications are in flight as there are workers, so a new job never queues
      behind another job's twenty replications.
    - Which replication goes next: first the first ``quick`` replications of every job (oldest
      job first), then their first ``first`` (so every new setting gets preliminary figures
      quickly, even with several sessions asking at once); then the remaining replications of
      jobs someone is still asking about, one at a time round-robin; then jobs nobody asked
      about for ``idle_after`` seconds.

    ``dispatch_log`` records (key, replication) in the order they were handed out.
    """

    def __init__(self, workers: Optional[int] = None, first: int = FIRST_REPLICATIONS,
                 quick: int = QUICK_REPLICATIONS, idle_after: float = IDLE_AFTER, keep_finished: int = 32,
                 autostart: bool = True):
        self.workers = default_workers() if workers is None else max(1, int(workers))
        self.first = max(1, int(first))
        self.quick = max(1, min(int(quick), self.first))
        self.idle_after = idle_after
        self.keep_finished = keep_finished
        self.dispatch_log: list[tuple[object, int]] = []
        self._jobs: "OrderedDict[object, RunJob]" = OrderedDict()
        self._order = 0
        self._rr = 0                    # round-robin position (a job order number)
        self._in_flight = 0
        self._breaks = 0                # consecutive pool failures
        self._pool: Optional[ProcessPoolExecutor] = None
        self._lock = threading.Condition()
        self._stop = False
        self._thread: Optional[threading.Thread] = None
        if autostart:
            self.start()
        atexit.register(self.close)  # stop quietly at exit rather than as a broken pool

    # --- public ---------------------------------------------------------------------------
    def submit(self, key: object, scn: Scenario, replications: int, seed: int,
               on_done: Optional[Callable[[Results], None]] = None) -> RunJob:
        """The job for ``key``: the running or finished one, else a new one queued now."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job.error is None:
                self._jobs.move_to_end(key)
                job.touch()
                return job
            self._order += 1
            job = RunJob(key, scn, replications, seed, self._order)
            if on_done is not None:
                job._callbacks.append(on_done)
            self._jobs[key] = job
            self._evict()
            self._lock.notify_all()
            return job

    def job(self, key: object) -> Optional[RunJob]:
        """The job for ``key`` if one is known."""
        with self._lock:
            return self._jobs.get(key)

    def busy(self) -> bool:
        """Whether any known job still has replications to run."""
        with self._lock:
            return any(not j.finished for j in self._jobs.values())

    def wait_idle(self, timeout: Optional[float] = None) -> bool:
        """Wait until every known job has finished; True if they have."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                running = [j for j in self._jobs.values() if not j.finished]
            if not running:
                return True
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            running[0].wait(running[0].replications, 1.0 if left is None else min(left, 1.0))

    def start(self) -> None:
        """Start handing out replications (done by the constructor unless ``autostart=False``)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="sim-scheduler", daemon=True)
            self._thread.start()

    def close(self) -> None:
        """Stop the dispatcher and the scheduler's worker processes."""
        with self._lock:
            self._stop = True
            self._lock.notify_all()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    # --- dispatching ----------------------------------------------------------------------
    def _evict(self) -> None:
        done = [k for k, j in self._jobs.items() if j.finished]
        for k in done[:max(0, len(done) - self.keep_finished)]:
            del self._jobs[k]

    def pick(self) -> Optional[RunJob]:
        """The job whose replication goes next (see the class docstring); None when all wait."""
        wanting = [j for j in self._jobs.values() if j._wants()]
        if not wanting:
            return None
        retry = [j for j in wanting if j.retry]
        if retry:
            return min(retry, key=lambda j: j.order)
        for limit in sorted({self.quick, self.first}):
            early = [j for j in wanting if j.dispatched < min(limit, j.replications)]
            if early:
                return min(early, key=lambda j: j.order)
        now = time.monotonic()
        active = [j for j in wanting if now - j.last_asked < self.idle_after] or wanting
        active.sort(key=lambda j: j.order)
        nxt = next((j for j in active if j.order > self._rr), active[0])
        self._rr = nxt.order
        return nxt

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = mp.get_context("forkserver")
            try:
                ctx.set_forkserver_preload(["sim.analysis.runner"])
            except Exception:  # pragma: no cover - preload is only an optimisation
                pass
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx)
        return self._pool

    def _loop(self) -> None:
        while True:
            with self._lock:
                while not self._stop and (self._in_flight >= self.workers or self.pick_peek() is None):
                    self._lock.wait()
                if self._stop:
                    return
                job = self.pick()
                assert job is not None
                r = job._take()
                self.dispatch_log.append((job.key, r))
                self._in_flight += 1
                local = self._breaks >= 2   # the pool keeps dying: finish here, slowly but surely
                pool = None if local else self._executor()
            if local:
                self._run_here(job, r)
                continue
            try:
                fut = pool.submit(_worker, job.data, job.seed, r)
            except (BrokenProcessPool, RuntimeError):
                self._broken(job, r)
                continue
            fut.add_done_callback(lambda f, job=job, r=r: self._finished(job, r, f))

    def pick_peek(self) -> Optional[RunJob]:
        """Whether any replication is waiting to be handed out (without moving the rotation)."""
        return next((j for j in self._jobs.values() if j._wants()), None)

    def _run_here(self, job: RunJob, r: int) -> None:
        try:
            fig = run_replication(job.scenario, job.seed, r)
        except Exception as exc:
            self._done_one(job, exc=exc)
            return
        self._done_one(job, r=r, fig=fig)

    def _finished(self, job: RunJob, r: int, fut: Future) -> None:
        try:
            _r, fig = fut.result()
        except BrokenProcessPool:
            self._broken(job, r)
            return
        except BaseException as exc:  # the engine's own error: the job fails, the others go on
            self._done_one(job, exc=exc)
            return
        with self._lock:
            self._breaks = 0
        self._done_one(job, r=r, fig=fig)

    def _broken(self, job: RunJob, r: int) -> None:
        if self._stop:  # closing: the pool was shut down on purpose
            return
        warnings.warn("simulation worker pool broke; restarting it", RuntimeWarning, stacklevel=2)
        with self._lock:
            self._breaks += 1
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            job.retry.append(r)
            self._in_flight -= 1
            self._lock.notify_all()

    def _done_one(self, job: RunJob, r: int = -1, fig: Optional[dict] = None,
                  exc: Optional[BaseException] = None) -> None:
        callbacks: list = []
        if exc is not None:
            job._fail(exc)
        else:
            callbacks = job._record(r, fig or {})
        with self._lock:
            self._in_flight -= 1
            if exc is not None and self._jobs.get(job.key) is job:
                del self._jobs[job.key]   # a later request tries again
            self._lock.notify_all()
        if callbacks:
            res = job.snapshot(job.replications)
            for cb in callbacks:
                cb(res)
