"""Replications on a Dask cluster: the connection, and the local runner's jobs run there.

When ``COURT_SIM_DASK_SCHEDULER`` names a running ``dask scheduler``,
:func:`sim.analysis.runner.map_replications` (behind ``run``, ``compare``, the advisor and the
app's comparison and advisor pages) sends its jobs here instead of to the local process pool:
the jobs of one scenario become one Dask task with their replications inside (few tasks, so
the scheduler's overhead stays small), and replication *r* is computed exactly as locally
(:func:`sim.analysis.runner.run_replication`, streams from ``SeedSequence(seed, r)``), so the
figures are identical. The province commands (:mod:`sim.province.cluster`) use the same
connection.
"""
from __future__ import annotations

import atexit
import math
import os
import re
import threading
from itertools import pairwise
from typing import Any, Callable, Mapping, Optional, Sequence

from ..model.errors import CodedError, short_repr

#: the environment variable naming an existing scheduler (the app and the command line read it)
SCHEDULER_ENV = "COURT_SIM_DASK_SCHEDULER"
DEFAULT_TIMEOUT = 10.0

#: Dask settings for the local cluster the commands start. Dask's defaults suit interactive
#: diagnostics, not two CPU-bound workers on two cores: every server checks its event loop 50
#: times a second, each worker samples its running task's stack 100 times a second for the
#: dashboard's profile and reads its memory 10 times a second. Measured idle on a 2-core machine
#: with 2 workers, that is about 120 ms of CPU per second (6 % of the machine) taken from the
#: simulation; with these, about 18 ms. Nothing here changes what a task computes.
LEAN_CONFIG: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
}
#: pieces per worker thread a call is cut into when it has fewer tasks than that: the last
#: piece to finish is then small, so the workers finish nearly together. With this many whole
#: tasks per thread, largest first already balances them (the example's 12 courts on 2 workers:
#: within 1 % of an even split), and cutting would only prepare each court on both workers
#: (measured +3 % worker CPU); a call of one court, as most allocation rounds are, is cut.
PIECES_PER_THREAD = 4

_ADDRESS = re.compile(r"^(tcp|tls|inproc|ws|wss|ucx)://[^\s/]+$|^[A-Za-z0-9_.\-\[\]:]+:\d{1,5}$")
_CLIENTS: dict[str, object] = {}
_LOCK = threading.Lock()


class ClusterError(CodedError):
    """The Dask scheduler cannot be used: ``dask_unreachable`` or ``dask_bad_address``."""


def scheduler_from_env(env: Optional[dict] = None) -> Optional[str]:
    """The scheduler address configured in the environment, or None (no cluster configured)."""
    value = (os.environ if env is None else env).get(SCHEDULER_ENV, "").strip()
    return value or None


def check_address(address: str) -> str:
    """``address`` if it looks like a scheduler address (``tcp://HOST:PORT`` or ``HOST:PORT``)."""
    if not _ADDRESS.match(address):
        raise ClusterError("dask_bad_address", address=short_repr(address))
    return address


def connect(address: str, timeout: float = DEFAULT_TIMEOUT):
    """A new Dask client of the scheduler at ``address``; :class:`ClusterError` within ``timeout``."""
    from distributed import Client

    check_address(address)
    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError("dask_unreachable", address=address, seconds=f"{timeout:g}",
                           reason=type(exc).__name__) from None


def shared_client(address: str, timeout: float = DEFAULT_TIMEOUT):
    """One client per address for this process (the app's sessions share it)."""
    with _LOCK:
        client = _CLIENTS.get(address)
        if client is None or getattr(client, "status", "") in ("closed", "closing"):
            client = _CLIENTS[address] = connect(address, timeout)
        return client


def result(fut):
    """A Dask future's result; a scheduler or worker that cannot import the simulator (started
    outside the repository, without it on PYTHONPATH) is a :class:`ClusterError`, not a traceback."""
    try:
        return fut.result()
    except Exception as exc:
        missing = exc if isinstance(exc, ImportError) else exc.__cause__
        if isinstance(missing, ImportError):
            raise ClusterError("dask_environment", module=getattr(missing, "name", None) or "sim") from None
        raise


def close_clients() -> None:
    """Disconnect the shared clients (at exit, or before their scheduler is stopped)."""
    with _LOCK:
        clients = list(_CLIENTS.values())
        _CLIENTS.clear()
    for c in clients:
        try:
            c.close()
        except Exception:  # pragma: no cover - closing a client of a scheduler that is gone
            pass


atexit.register(close_clients)


def work_estimate(data: Mapping[str, Any]) -> float:
    """A rough cost of one replication of the scenario ``data``: the cases it moves (disputes over
    the horizon plus the pending cases it starts with). Only used to order and cut work."""
    demand = data.get("demand") or {}
    pending = data.get("initial_pending") or {}
    months = float(data.get("horizon_months") or 12)
    return 1.0 + float(demand.get("disputes_per_year") or 0) * months / 12.0 \
        + float(pending.get("simple") or 0) + float(pending.get("complex") or 0)


def plan_pieces(costs: Sequence[float], counts: Sequence[int], threads: int) -> list[tuple[int, int, int]]:
    """How to cut tasks into pieces for ``threads`` worker threads: ``(task, start, stop)``, largest first.

    Task *i* has ``counts[i]`` replications of estimated cost ``costs[i]`` each. With at least
    :data:`PIECES_PER_THREAD` tasks per thread every task stays whole (one Dask task per court ×
    plan); with fewer, the tasks are cut into runs of consecutive replications of about equal
    cost so that there are about that many pieces. Largest first (longest processing time
    first), so the pieces that finish last are small and the workers finish nearly together.
    A replication's figures do not depend on the piece it runs in.
    """
    n = sum(1 for c in counts if c > 0)
    target = PIECES_PER_THREAD * max(1, int(threads))
    total = sum(float(c) * k for c, k in zip(costs, counts, strict=True))
    size = total / target if n < target and total > 0 else math.inf
    pieces = []
    for i, (cost, k) in enumerate(zip(costs, counts, strict=True)):
        if k <= 0:
            continue
        parts = min(k, max(1, math.ceil(cost * k / size))) if size < math.inf else 1
        edges = [round(j * k / parts) for j in range(parts + 1)]
        pieces += [(i, a, b) for a, b in pairwise(edges)]
    return sorted(pieces, key=lambda p: (-costs[p[0]] * (p[2] - p[1]), p))


def total_threads(client) -> int:
    """Worker threads connected to ``client``'s scheduler now (at least 1)."""
    workers = client.scheduler_info(n_workers=-1).get("workers", {})
    return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))


def dask_map_replications(jobs: Sequence[tuple], address: str, batch: Callable[[dict, int, list], list],
                          on_result: Optional[Callable[[int, dict], None]] = None) -> list[dict]:
    """:func:`sim.analysis.runner.map_replications` on the cluster: figures in job order.

    ``batch(data, seed, replications)`` runs on a worker (imported there by name):
    :func:`sim.analysis.runner.replication_batch`.
    """
    from distributed import as_completed

    from ..model.scenario import scenario_to_dict

    client = shared_client(address)
    groups: dict[tuple[int, int], list[int]] = {}
    for i, (scn, seed, _r) in enumerate(jobs):
        groups.setdefault((id(scn), int(seed)), []).append(i)
    keys = list(groups)
    datas = [scenario_to_dict(jobs[groups[k][0]][0]) for k in keys]
    pieces = plan_pieces([work_estimate(d) for d in datas], [len(groups[k]) for k in keys], total_threads(client))
    futs = {}
    for rank, (g, a, b) in enumerate(pieces):  # one scenario's replications, cut when the call is small
        idx = groups[keys[g]][a:b]
        reps = [int(jobs[i][2]) for i in idx]
        futs[client.submit(batch, datas[g], keys[g][1], reps, pure=False, retries=2, priority=-rank)] = idx
    out: dict[int, dict] = {}
    try:
        for fut in as_completed(list(futs)):
            for i, fig in zip(futs[fut], result(fut), strict=True):
                out[i] = fig
                if on_result:
                    on_result(i, fig)
    finally:
        for f in futs:
            f.release()
    return [out[i] for i in range(len(jobs))]
