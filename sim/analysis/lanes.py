"""The scheduler's kinds of worker (lanes), each a :class:`sim.analysis.pool.WorkerPool`.

*Express* workers, at normal priority, take only new settings' first replications (someone is
looking at a spinner for them); *bulk* workers take everything else at a lower priority, so
the rest of an older setting's replications never delays a new setting's first figures nor
the page that shows them. Work run *ahead* of any request (the plans one slider step away)
goes to the express workers, only while they have nothing else to do. Which replication goes
to which lane is the scheduler's choice (:mod:`sim.analysis.scheduler`); this module only
keeps the pools, starts them on first use and starts one afresh when a worker died.
"""
from __future__ import annotations

from concurrent.futures import Future
from typing import Any, Callable

from .pool import WorkerPool

EXPRESS, BULK, AHEAD = "express", "bulk", "ahead"  # kinds of worker, and work run ahead (on express ones)


def pool_of(lane: str) -> str:
    """The pool that runs ``lane``'s work (work run ahead runs on the express workers)."""
    return EXPRESS if lane == AHEAD else lane


class Lanes:
    """``express`` express workers and ``workers`` bulk workers ``bulk_nice`` steps lower in priority."""

    def __init__(self, express: int, workers: int, bulk_nice: int):
        self._pools = {EXPRESS: WorkerPool(max(1, express)), BULK: WorkerPool(workers, nice=bulk_nice)}

    def submit(self, lane: str, fn: Callable[..., Any], *args: Any) -> Future:
        """Run ``fn(*args)`` on ``lane``'s pool (raises ``BrokenProcessPool`` if it broke)."""
        return self._pools[pool_of(lane)].submit(fn, *args)

    def restart(self, lane: str) -> None:
        """A worker of ``lane``'s pool died: stop that pool; its next work starts a new one."""
        self._pools[pool_of(lane)].restart()

    def close(self) -> None:
        """Stop every lane's workers (what waits is cancelled)."""
        for pool in self._pools.values():
            pool.shutdown()
