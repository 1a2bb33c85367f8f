"""Glue between the page and ``sim.analysis.runner``: a results cache, progress, a warm worker pool.

Why not a plain ``st.cache_data`` around ``sim.analysis.runner.run``: the progress bar must be
updated while replications run, and Streamlit forbids (and would replay) element calls made
inside a cached function on elements created outside it. So the cache is checked first and the
run, when needed, happens outside any cached function with a live progress bar. The cache is
one per server process (``st.cache_resource``), shared by every session: the engine is
deterministic for (scenario, replications, seed), so one session's result is every session's.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Optional

import streamlit as st

from sim.analysis.results import Results
from sim.analysis.runner import run, scenario_key
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


RUN_LOCK = threading.Lock()  # one engine run at a time: the worker pool is shared


@st.cache_resource(show_spinner=False)
def warm_pool(_scn: Scenario) -> bool:
    """Start the engine's worker pool once per server process (a two-replication, one-month run).

    Starting worker processes costs more than a replication; doing it once up front means the
    first slider move pays only for the simulation.
    """
    tiny = _scn.model_copy(update={"horizon_months": 1})
    with RUN_LOCK:
        run(tiny, replications=2, seed=0)
    return True


@dataclass
class Outcome:
    """Results plus how they were obtained (for the status line)."""

    results: Results
    cached: bool
    seconds: float


def cache_key(scn: Scenario, replications: int, seed: int) -> tuple:
    """Every parameter (the scenario's hash) plus the run's replications and seed."""
    return (scenario_key(scn), int(replications), int(seed))


def get_results(scn: Scenario, replications: int, seed: int,
                progress: Optional[ProgressFn] = None) -> Outcome:
    """Results of ``scn`` from the cache, or from a fresh engine run reporting ``progress``."""
    cache = results_cache()
    key = cache_key(scn, replications, seed)
    hit = cache.get(key)
    if hit is not None:
        return Outcome(hit, True, 0.0)
    t0 = time.perf_counter()
    with RUN_LOCK:
        hit = cache.get(key)  # another session may have finished it while we waited
        if hit is not None:
            return Outcome(hit, True, 0.0)
        res = run(scn, replications=replications, seed=seed, progress=progress)
    cache.put(key, res)
    return Outcome(res, False, time.perf_counter() - t0)
