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
import os
import re
import threading
from typing import Callable, Optional, Sequence

from ..model.errors import CodedError, short_repr

#: the environment variable naming an existing scheduler (the app and the command line read it)
SCHEDULER_ENV = "COURT_SIM_DASK_SCHEDULER"
DEFAULT_TIMEOUT = 10.0

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
    futs = {}
    for (_sid, seed), idx in groups.items():
        data = scenario_to_dict(jobs[idx[0]][0])
        reps = [int(jobs[i][2]) for i in idx]
        futs[client.submit(batch, data, seed, reps, pure=False, retries=2)] = idx
    out: dict[int, dict] = {}
    try:
        for fut in as_completed(list(futs)):
            for i, fig in zip(futs[fut], result(fut)):
                out[i] = fig
                if on_result:
                    on_result(i, fig)
    finally:
        for f in futs:
            f.release()
    return [out[i] for i in range(len(jobs))]
