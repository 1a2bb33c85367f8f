"""Glue between the page and ``sim.analysis.runner``: a results cache, shared progressive runs, a warm pool.

Why not a plain ``st.cache_data`` around ``sim.analysis.runner.run``: the progress bar must be
updated while replications run, and Streamlit forbids (and would replay) element calls made
inside a cached function on elements created outside it. So the cache is checked first and the
run, when needed, happens outside any cached function with a live progress bar. The cache is
one per server process (``st.cache_resource``), shared by every session: the engine is
deterministic for (scenario, replications, seed), so one session's result is every session's.

Runs that are not cached go through one :class:`sim.analysis.scheduler.Scheduler` per server process: a
second session asking for a setting that is already running attaches to that run, every new
setting's first replications go ahead of older runs' remainders, and the page can show the
first replications as preliminary figures while the rest finish (:func:`attach`).

Finished runs are also kept on disk (:mod:`sim.analysis.result_files`), so a server started
afresh finds them: its first visitor sees the default scenario's figures at once instead of
waiting for its twenty replications. A run is looked for there when it is neither in the
cache nor known to the scheduler, and written there from a background thread when it finishes.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Optional

import streamlit as st

from sim.analysis import result_files
from sim.analysis.results import Results
from sim.analysis.runner import scenario_key
from sim.analysis.scheduler import RunJob, Scheduler
from sim.model.scenario import Scenario

ProgressFn = Callable[[int, int], None]
MAX_ENTRIES = 64


class LRUCache:
    """A small thread-safe least-recently-used cache (results, advice) keyed on tuples."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self._d: "OrderedDict[tuple, Any]" = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def get(self, key: tuple) -> Optional[Any]:
        with self._lock:
            r = self._d.get(key)
            if r is not None:
                self._d.move_to_end(key)
            return r

    def __contains__(self, key: object) -> bool:
        """Whether ``key`` is cached (without making it the most recently used)."""
        with self._lock:
            return key in self._d

    def put(self, key: tuple, res: Any) -> None:
        with self._lock:
            self._d[key] = res
            self._d.move_to_end(key)
            while len(self._d) > self.max_entries:
                self._d.popitem(last=False)


@st.cache_resource(show_spinner=False)
def results_cache() -> LRUCache:
    """The process-wide results cache, keyed on (scenario key, replications, seed)."""
    return LRUCache()


RUN_LOCK = threading.Lock()  # the advisor's searches, one at a time (they use the CLI's pool)
PRELIMINARY = 1  # replications before figures are shown (the first, without an interval; the second adds one)


@st.cache_resource(show_spinner=False)
def scheduler() -> Scheduler:
    """The process-wide job registry and scheduler shared by every session."""
    return Scheduler()


@st.cache_resource(show_spinner=False)
def warm_pool(_scn: Scenario) -> bool:
    """Start the scheduler's worker processes once per server process (one-month runs).

    Starting worker processes costs more than a replication; doing it once up front means the
    first slider move pays only for the simulation. The pools start a process only when every
    one they have is busy, so the warm-up keeps them all busy at once: one job per express
    worker (a job's first replication goes there), each with a replication per bulk worker.
    It does not wait for them: a first visitor whose figures were kept on disk gets the page
    while the workers start.
    """
    tiny = _scn.model_copy(update={"horizon_months": 1})
    sched = scheduler()
    n = sched.workers + 1
    for seed in range(max(1, sched.express)):
        sched.submit(("warm-up",) + cache_key(tiny, n, seed), tiny, n, seed)
    return True


@st.cache_resource(show_spinner=False)
def _writer() -> ThreadPoolExecutor:
    """One thread that writes finished runs to disk (a page run or the scheduler never waits for it)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="result-files")


def _finished(key: tuple) -> Callable[[Results], None]:
    """What a finished run does: into the cache, and onto disk (see the module docstring)."""
    def done(res: Results) -> None:
        results_cache().put(key, res)
        _writer().submit(result_files.save, key[0], res)
    return done


def _kept(scn: Scenario, key: tuple) -> Optional[Results]:
    """The run kept on disk (into the cache when there), if the scheduler does not know it."""
    if scheduler().job(key) is not None:
        return None
    res = result_files.load(key[0], scn, key[1], key[2])
    if res is not None:
        results_cache().put(key, res)
    return res


@dataclass
class Outcome:
    """Results plus how they were obtained (for the status line)."""

    results: Results
    cached: bool
    seconds: float


def cache_key(scn: Scenario, replications: int, seed: int) -> tuple:
    """Every parameter (the scenario's hash) plus the run's replications and seed."""
    return (scenario_key(scn), int(replications), int(seed))


@dataclass
class Live:
    """A setting's results as far as they go: final (``job`` None or finished) or preliminary."""

    results: Optional[Results]    # None while fewer than PRELIMINARY replications have finished
    replications: int             # asked for
    job: Optional[RunJob]         # None when served from the cache
    cached: bool

    @property
    def final(self) -> bool:
        return self.results is not None and self.results.replications >= self.replications

    @property
    def done(self) -> int:
        """Replications finished so far."""
        return self.replications if self.job is None else self.job.done

    @property
    def seconds(self) -> float:
        return 0.0 if self.job is None else self.job.seconds


def attach(scn: Scenario, replications: int, seed: int) -> Live:
    """The setting's results from the cache, or its (shared) job's finished replications so far
    (it does not wait: the page waits in short steps, see ``ui.page._first_results``). Raises
    the engine's error if the run failed.
    """
    key = cache_key(scn, replications, seed)
    hit = results_cache().get(key) or _kept(scn, key)
    if hit is not None:
        return Live(hit, int(replications), None, True)
    job = scheduler().submit(key, scn, replications, seed, on_done=_finished(key))
    return Live(job.snapshot(PRELIMINARY), int(replications), job, False)


def run_ahead(scn: Scenario, replications: int, seed: int) -> bool:
    """Queue the first replication of a setting nobody has asked for yet, to run while the
    workers have nothing else to do (see :class:`sim.analysis.scheduler.Scheduler`); a later
    :func:`attach` to it finds its first figures there. False if it is cached or known already."""
    key = cache_key(scn, replications, seed)
    sched = scheduler()
    if key in results_cache() or sched.job(key) is not None or _kept(scn, key) is not None:
        return False
    sched.submit(key, scn, replications, seed, on_done=_finished(key), ahead=PRELIMINARY)
    return True


def get_results(scn: Scenario, replications: int, seed: int,
                progress: Optional[ProgressFn] = None) -> Outcome:
    """Results of ``scn`` from the cache, or from its (shared) job, reporting ``progress``."""
    key = cache_key(scn, replications, seed)
    hit = results_cache().get(key) or _kept(scn, key)
    if hit is not None:
        return Outcome(hit, True, 0.0)
    t0 = time.perf_counter()
    job = scheduler().submit(key, scn, replications, seed, on_done=_finished(key))
    while not job.finished:
        job.wait(job.prefix + 1, 1.0)
        if progress:
            progress(job.done, job.replications)
    res = job.result()
    return Outcome(res, False, time.perf_counter() - t0)
