"""The app's runs: one job per setting, shared by every session that asks, run fairly.

A :class:`Scheduler` hands the replications of many sessions' jobs to worker processes one at a
time, in an order that gives every new setting its first figures quickly (see the class). Its
replications are exactly :func:`sim.analysis.runner.run_replication`'s, so a finished job equals
``run(...)`` figure for figure.

Two kinds of worker run them, one of each per core (their pools: :mod:`sim.analysis.lanes`). The *express* workers, at normal priority,
take only new settings' first replications: the ones somebody is looking at a spinner for. The
*bulk* workers take everything else at a lower priority (``bulk_nice``, :mod:`sim.analysis.run_settings`), so the rest of an
older setting's twenty replications never delays a new setting's first figures, nor the page
that shows them: the operating system gives the cores to the express workers and to the app's
own page runs first, and the bulk workers use what is left. (One express worker was not
enough: with six sessions moving at once, first replications that spilled over to the bulk
workers ran at their low priority behind the page runs.)

A job may also be submitted *ahead* of anyone asking for it (``submit(..., ahead=1)``): the
settings one slider step away from what a user sees. It runs only its first replication, on
an express worker, and only while no other job has anything to run or running, leaving one
express worker free for a request that comes meanwhile (where there are two or more). The
first request for the same setting promotes it to an ordinary job, whose first figures are
then there or on their way at the express workers' priority. Without express workers nothing
runs ahead.
"""
from __future__ import annotations

import atexit
import threading
import time
import warnings
from collections import OrderedDict
from concurrent.futures import Future
from concurrent.futures import process as _futures_process
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Optional

from ..model.prepared import month_labels
from ..model.scenario import Scenario, scenario_to_dict
from . import runner
from .lanes import AHEAD, BULK, EXPRESS, Lanes
from .pool import default_workers
from .results import Results
from .run_settings import settings
from .runner import _worker, staffing_for


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
        self.ahead = 0                  # > 0: submitted ahead of any request; runs this many replications

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
            if r in self._figs:  # recorded already (same figures): the callbacks must not run twice
                return []
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
        limit = min(self.ahead, self.replications) if self.ahead else self.replications
        return self.error is None and (bool(self.retry) or self.dispatched < limit)

    @property
    def waiting_for_request(self) -> bool:
        """Run ahead, and not asked for yet: it does not keep the scheduler busy."""
        return self.ahead > 0

    def _take(self) -> int:
        if self.retry:
            return self.retry.pop(0)
        self.dispatched += 1
        return self.dispatched - 1


class Scheduler:
    """Runs many sessions' jobs on worker processes, shared and fairly.

    - One job per key: a second request for a running (or recently finished) setting attaches
      to it instead of running it again.
    - Only as many replications are in flight as there are workers, so a new job never queues
      behind another job's twenty replications.
    - Which replication goes next: first the first ``quick`` replications of every job (oldest
      job first), then their first ``first`` (so every new setting gets preliminary figures
      quickly, even with several sessions asking at once); then the remaining replications of
      jobs someone is still asking about, one at a time round-robin; then jobs nobody asked
      about for ``idle_after`` seconds.
    - Where it runs: a job's first ``quick`` replications on an express worker (``express``: how
      many; True: as many as ``workers``, False or 0: none), everything else on the ``workers``
      bulk workers, which run at a lower priority (see the module docstring).
    - Jobs submitted ``ahead`` of any request run their first replication only while nothing
      requested waits or runs, on an express worker, one fewer than there are express workers
      at a time (at least one); a request promotes such a job to an ordinary new one.

    ``dispatch_log`` records (key, replication) in the order they were handed out, and
    ``lane_log`` the kind of worker each went to.
    """

    def __init__(self, workers: Optional[int] = None, first: Optional[int] = None,
                 quick: Optional[int] = None, idle_after: Optional[float] = None,
                 keep_finished: Optional[int] = None, autostart: bool = True, express: int | bool = True,
                 bulk_nice: Optional[int] = None):
        cfg = settings()  # what is not given (see docs/runs.md)
        self.workers = default_workers() if workers is None else max(1, int(workers))
        self.first = max(1, int(cfg.first_replications if first is None else first))
        self.quick = max(1, min(int(cfg.quick_replications if quick is None else quick), self.first))
        self.idle_after = cfg.idle_after if idle_after is None else float(idle_after)
        self.keep_finished = cfg.keep_finished if keep_finished is None else int(keep_finished)
        self.max_ahead = cfg.max_ahead
        self.express = self.workers if express is True else max(0, int(express))
        self.bulk_nice = int(cfg.bulk_nice if bulk_nice is None else bulk_nice)
        self.dispatch_log: list[tuple[object, int]] = []
        self.lane_log: list[str] = []
        self._jobs: "OrderedDict[object, RunJob]" = OrderedDict()
        self._order = 0
        self._rr = 0                    # round-robin position (a job order number)
        self._busy = {EXPRESS: 0, BULK: 0, AHEAD: 0}   # replications in flight per kind of work
        self._breaks = 0                # consecutive pool failures
        self._lanes = Lanes(self.express, self.workers, self.bulk_nice)
        self._lock = threading.Condition()
        self._stop = False
        self._thread: Optional[threading.Thread] = None
        if autostart:
            self.start()
        atexit.register(self.close)  # stop quietly at exit rather than as a broken pool

    # --- public ---------------------------------------------------------------------------
    def submit(self, key: object, scn: Scenario, replications: int, seed: int,
               on_done: Optional[Callable[[Results], None]] = None, ahead: int = 0) -> RunJob:
        """The job for ``key``: the running or finished one, else a new one queued now.

        ``ahead`` > 0: nobody has asked for it yet; run only its first ``ahead`` replications,
        when the workers have nothing else to do (see the module docstring). A later request
        without ``ahead`` promotes it to an ordinary job."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job.error is None:
                if job.ahead and not ahead:
                    self._promote(job)
                self._jobs.move_to_end(key)
                job.touch()
                return job
            self._order += 1
            job = RunJob(key, scn, replications, seed, self._order)
            job.ahead = max(0, int(ahead))
            if on_done is not None:
                job._callbacks.append(on_done)
            self._jobs[key] = job
            self._evict()
            self._lock.notify_all()
            return job

    def _promote(self, job: RunJob) -> None:
        """A job run ahead is asked for: from now on it is an ordinary new job."""
        self._order += 1
        job.ahead, job.order = 0, self._order
        job.started = time.perf_counter()
        self._lock.notify_all()

    def job(self, key: object) -> Optional[RunJob]:
        """The job for ``key`` if one is known."""
        with self._lock:
            return self._jobs.get(key)

    def busy(self) -> bool:
        """Whether any known job still has replications to run."""
        with self._lock:
            return any(not j.finished and not j.waiting_for_request for j in self._jobs.values())

    def wait_idle(self, timeout: Optional[float] = None) -> bool:
        """Wait until every known job has finished; True if they have."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                running = [j for j in self._jobs.values() if not j.finished and not j.waiting_for_request]
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
        self._lanes.close()

    # --- dispatching ----------------------------------------------------------------------
    def _evict(self) -> None:
        done = [k for k, j in self._jobs.items() if j.finished]
        for k in done[:max(0, len(done) - self.keep_finished)]:
            del self._jobs[k]
        ahead = [k for k, j in self._jobs.items() if j.ahead]
        for k in ahead[:max(0, len(ahead) - self.max_ahead)]:
            del self._jobs[k]   # a replication of it still running just finishes unrecorded

    def _is_quick(self, j: RunJob) -> bool:
        """Whether the job's next replication is one of its first ``quick`` (or a retry of one)."""
        if j.retry:
            return j.retry[0] < self.quick
        return j.dispatched < min(self.quick, j.replications)

    def pick(self, bulk: bool = False) -> Optional[RunJob]:
        """The job whose replication goes next (see the class docstring); None when all wait.

        ``bulk``: for a bulk worker while there are express workers, which leaves every first
        replication to them: a bulk worker runs at a low priority, so a first replication it
        took would come long after the express workers' (measured: six sessions at once, two
        of the six first figures 1.3 s later than the rest)."""
        wanting = [j for j in self._jobs.values()
                   if j._wants() and not j.ahead and not (bulk and self._is_quick(j))]
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

    def pick_quick(self) -> Optional[RunJob]:
        """The oldest job waiting for one of its first ``quick`` replications (for the express workers)."""
        quick = [j for j in self._jobs.values() if j._wants() and not j.ahead and self._is_quick(j)]
        return min(quick, key=lambda j: j.order) if quick else None

    def pick_ahead(self) -> Optional[RunJob]:
        """The newest job run ahead of a request that still has a replication to run: the
        latest plan on anyone's screen is the one a move will start from (submit a plan's
        neighbours least likely first)."""
        ahead = [j for j in self._jobs.values() if j.ahead and j._wants()]
        return max(ahead, key=lambda j: j.order) if ahead else None

    def _next(self) -> Optional[tuple[RunJob, str]]:
        """The next (job, kind of work), or None when nothing can be handed out now."""
        local = self._breaks >= 2
        if not local and self._busy[EXPRESS] + self._busy[AHEAD] < self.express:
            job = self.pick_quick()
            if job is not None:
                return job, EXPRESS
        if self._busy[BULK] < self.workers:
            job = self.pick(bulk=self.express > 0 and not local)
            if job is not None:
                return job, BULK
        if (not local and self.express and self._idle_but_for_ahead()
                and self._busy[AHEAD] < max(1, self.express - 1)):
            job = self.pick_ahead()
            if job is not None:
                return job, AHEAD
        return None

    def _idle_but_for_ahead(self) -> bool:
        """No request's replication is running or waiting, so work run ahead takes no one's CPU."""
        return (self._busy[EXPRESS] == 0 and self._busy[BULK] == 0
                and not any(j._wants() for j in self._jobs.values() if not j.ahead))

    def _loop(self) -> None:
        while True:
            with self._lock:
                nxt = None
                while not self._stop and (nxt := self._next()) is None:
                    self._lock.wait()
                if self._stop:
                    return
                job, lane = nxt
                r = job._take()
                self.dispatch_log.append((job.key, r))
                self.lane_log.append(lane)
                self._busy[lane] += 1
                local = self._breaks >= 2   # the pools keep dying: finish here, slowly but surely
            if local:
                self._run_here(job, r, lane)
                continue
            try:
                fut = self._lanes.submit(lane, _worker, job.data, job.seed, r)
            except (BrokenProcessPool, RuntimeError):
                self._broken(job, r, lane)
                continue
            fut.add_done_callback(lambda f, job=job, r=r, lane=lane: self._finished(job, r, lane, f))

    def _run_here(self, job: RunJob, r: int, lane: str) -> None:
        try:
            fig = runner.run_replication(job.scenario, job.seed, r)
        except Exception as exc:
            self._done_one(job, lane, exc=exc)
            return
        self._done_one(job, lane, r=r, fig=fig)

    def _finished(self, job: RunJob, r: int, lane: str, fut: Future) -> None:
        try:
            _r, fig = fut.result()
        except BrokenProcessPool:
            self._broken(job, r, lane)
            return
        except BaseException as exc:  # the engine's own error: the job fails, the others go on
            self._done_one(job, lane, exc=exc)
            return
        with self._lock:
            self._breaks = 0
        self._done_one(job, lane, r=r, fig=fig)

    def _broken(self, job: RunJob, r: int, lane: str) -> None:
        if self._stop or getattr(_futures_process, "_global_shutdown", False):
            return  # closing, or the interpreter is exiting: the pool was shut down on purpose
        warnings.warn("simulation worker pool broke; restarting it", RuntimeWarning, stacklevel=2)
        with self._lock:
            self._breaks += 1
            self._lanes.restart(lane)
            job.retry.append(r)
            self._busy[lane] -= 1
            self._lock.notify_all()

    def _done_one(self, job: RunJob, lane: str, r: int = -1, fig: Optional[dict] = None,
                  exc: Optional[BaseException] = None) -> None:
        callbacks: list = []
        if exc is not None:
            job._fail(exc)
        else:
            callbacks = job._record(r, fig or {})
        with self._lock:
            self._busy[lane] -= 1
            if exc is not None and self._jobs.get(job.key) is job:
                del self._jobs[job.key]   # a later request tries again
            self._lock.notify_all()
        if callbacks:
            res = job.snapshot(job.replications)
            for cb in callbacks:
                cb(res)
