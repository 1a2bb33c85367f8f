"""The simulator's worker processes: the one place in the project that makes a process pool.

Every run that uses more than one core goes through a :class:`WorkerPool`: the command line's
and the advisor's replications (:func:`sim.analysis.runner.map_replications`, on the
:func:`shared` pool), the province sweep's local runner (the same), and the app's scheduler
(:mod:`sim.analysis.scheduler`, one pool per kind of worker: see :mod:`sim.analysis.lanes`).
The province sweep's Dask runner, when no cluster is named, starts Dask's own pool of worker
processes on this machine here too (:func:`local_cluster`). A test (``tests/test_pool.py``)
reads the source and fails if any other module makes one.

Why forkserver, and always the same set-up: under Streamlit the server has threads, and a
``fork`` of a multi-threaded process can deadlock in the child; ``spawn`` would import the
engine afresh in every worker (seconds). The forkserver imports :mod:`sim.analysis.runner`
once (``PRELOAD``) and forks each worker from that single-threaded process, so a worker starts
in milliseconds with the engine already imported. The parse sandbox of issue 21
(:mod:`sim.model.sandbox`) starts single child processes from the same forkserver; it is not
a pool and stays where it is.

A pool starts its processes only when work is handed to it (starting them costs more than a
replication, so a pool is kept between runs), and starts afresh after a worker died
(:meth:`WorkerPool.restart`).
"""
from __future__ import annotations

import atexit
import multiprocessing as mp
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import Any, Callable, Optional

#: what the forkserver imports before it forks a worker: the engine, so no worker imports it again
#: (the same as the parse sandbox's: one forkserver serves both, set up by whichever comes first)
PRELOAD = ["sim.analysis.runner"]


def default_workers() -> int:
    """All cores."""
    return max(1, os.cpu_count() or 1)


def context() -> BaseContext:
    """multiprocessing's forkserver, preloading the engine (see the module docstring)."""
    ctx = mp.get_context("forkserver")
    try:
        ctx.set_forkserver_preload(PRELOAD)
    except Exception:  # pragma: no cover - preload is only an optimisation
        pass
    return ctx


def lower_priority(nice: int) -> None:
    """Worker initialiser: run this worker ``nice`` steps below normal priority (Unix nice)."""
    try:
        os.nice(nice)
    except (AttributeError, OSError):  # pragma: no cover - no nice on this system: same priority
        pass


#: how often a worker checks that the process that made its pool is still there (seconds)
OWNER_CHECK_S = 1.0


def owner_gone(owner: int) -> bool:
    """Whether process ``owner`` has ended: no such process, or a zombie (ended, not yet reaped:
    a parent that reads the owner's output to the end reaps it only after the workers, which
    hold that output too, have gone)."""
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # pragma: no cover - the pid reused by another user's process
        return True
    try:
        stat = open(f"/proc/{owner}/stat", encoding="ascii", errors="replace").read()
    except OSError:  # no /proc (not Linux), or it ended just now
        return not os.path.exists(f"/proc/{owner}") and os.path.isdir("/proc")
    return stat.rsplit(")", 1)[-1].split()[:1] == ["Z"]


def watch_owner(owner: int, every: float = OWNER_CHECK_S) -> None:
    """In a worker: end this process once process ``owner`` (the pool's maker) is gone.

    Why: a worker waits on its task queue, whose other ends its sibling workers hold too, so it
    never hears that the process that made the pool was killed (a server stopped with SIGKILL,
    a test run ended with ``os._exit``). It stayed, 220 MB with the engine loaded, and kept the
    forkserver alive with it: a mutation-testing session left hundreds and filled the memory.
    """
    def watch() -> None:
        while not owner_gone(owner):
            time.sleep(every)
        os._exit(0)

    threading.Thread(target=watch, name="owner-watch", daemon=True).start()


def start_worker(owner: int, nice: int) -> None:
    """Worker initialiser: watch the pool's maker (:func:`watch_owner`); lower the priority by ``nice``."""
    watch_owner(owner)
    if nice > 0:
        lower_priority(nice)


class WorkerPool:
    """``workers`` forkserver processes, started on first use; ``nice`` > 0 lowers their priority.

    Thread-safe: :meth:`submit` from any thread; :meth:`restart` after a worker died makes the
    next :meth:`submit` start a fresh pool; :meth:`shutdown` stops it (cancelling what waits).
    """

    def __init__(self, workers: int, nice: int = 0):
        self.workers = max(1, int(workers))
        self.nice = int(nice)
        self._executor: Optional[ProcessPoolExecutor] = None
        self._lock = threading.Lock()

    @property
    def started(self) -> bool:
        """Whether the pool's executor exists (its processes start as work arrives)."""
        return self._executor is not None

    def executor(self) -> ProcessPoolExecutor:
        """The running executor, made now if there is none."""
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context(),
                                                     initializer=start_worker, initargs=(os.getpid(), self.nice))
            return self._executor

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        """Run ``fn(*args)`` in a worker (raises ``BrokenProcessPool`` if the pool broke)."""
        return self.executor().submit(fn, *args)

    def restart(self) -> None:
        """Drop the (broken) executor; the next :meth:`submit` starts a new one."""
        self.shutdown()

    def shutdown(self) -> None:
        """Stop the workers without waiting; replications not started yet are cancelled."""
        with self._lock:
            ex, self._executor = self._executor, None
        if ex is not None:
            ex.shutdown(wait=False, cancel_futures=True)


_SHARED: Optional[WorkerPool] = None
_SHARED_LOCK = threading.Lock()


def shared(workers: int) -> WorkerPool:
    """The process's pool for batches of replications (command line, advisor, province, calibration).

    Kept alive between runs; a request for another number of workers replaces it (so callers
    that may ask for different sizes at once, as the app's pages could, take turns: see
    ``ui.runs.service.RUN_LOCK``)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None or _SHARED.workers != max(1, int(workers)):
            if _SHARED is not None:
                _SHARED.shutdown()
            _SHARED = WorkerPool(workers)
        return _SHARED


def shutdown_shared() -> None:
    """Stop the shared pool (it starts again on the next parallel run)."""
    global _SHARED
    with _SHARED_LOCK:
        pool, _SHARED = _SHARED, None
    if pool is not None:
        pool.shutdown()


atexit.register(shutdown_shared)


def local_cluster(workers: int) -> Any:
    """A Dask ``LocalCluster`` of ``workers`` single-threaded worker processes on this machine.

    For the province sweep's Dask runner when no running cluster is named (the command line's
    default): Dask schedules its tasks itself, so it gets its own processes rather than a
    :class:`WorkerPool`. The workers take their settings from :data:`sim.analysis.dask_runner.LEAN_CONFIG`
    when they start. Close it with ``.close()``.
    """
    import logging

    import dask
    from distributed import LocalCluster

    from .dask_runner import LEAN_CONFIG

    with dask.config.set(LEAN_CONFIG):
        return LocalCluster(n_workers=max(1, int(workers)), threads_per_worker=1, processes=True,
                            dashboard_address=None, silence_logs=logging.ERROR)
