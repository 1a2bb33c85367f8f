"""A separately started Dask cluster, as docs/deployment.md starts one, running ``allocate-posts``.

Starts ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1 (a free port, one
thread each, ``PYTHONPATH`` the repository, as docs/deployment.md's cluster section does on other
machines), runs ``python -m sim allocate-posts PROVINCE --scheduler tcp://127.0.0.1:PORT`` and
the same command with ``--runner local`` (this machine's process pool, no Dask, same seed), and
prints the timings and whether the two answers are identical: every figure, interval, post and
reason of the JSON output (all but the run time and where it ran) and the CSV byte for byte.
Exit status 0 when identical, 1 when not, 2 when the cluster did not start.

Run: ``python benchmarks/province_cluster.py [--province scenarios/provinces/example.yaml]``
(the example's 20 posts take a few minutes on two cores; ``three-courts.yaml`` seconds).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "provinces" / "example.yaml"
VARYING = ("seconds", "where")   # the only JSON fields that depend on where and how fast it ran


def dask_command() -> list[str]:
    """The ``dask`` command of this Python's environment (as ``.venv/bin/dask`` in docs/deployment.md)."""
    beside = Path(sys.executable).parent / "dask"
    found = str(beside) if beside.exists() else shutil.which("dask")
    return [found] if found else [sys.executable, "-m", "dask"]


def free_port() -> int:
    """A TCP port nobody listens on now (parallel runs do not collide on 8786)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HandStartedCluster:
    """``dask scheduler`` and ``dask worker`` as separate processes, each in its own process group."""

    def __init__(self, workers: int = 2) -> None:
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.n = workers
        self.env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.env.pop("COURT_SIM_DASK_SCHEDULER", None)
        self.procs: list[subprocess.Popen] = []
        self.commands: list[list[str]] = []

    def _start(self, args: list[str]) -> None:
        cmd = dask_command() + args
        self.commands.append(cmd)
        self.procs.append(subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL, start_new_session=True))

    def start(self, timeout: float = 120.0) -> float:
        """Start the scheduler and the workers; seconds until every worker has joined."""
        from distributed import Client

        t0 = time.perf_counter()
        self._start(["scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--dashboard-address", ":0"])
        for _ in range(self.n):
            self._start(["worker", self.address, "--nworkers", "1", "--nthreads", "1"])
        with Client(self.address, timeout=timeout) as c:
            c.wait_for_workers(self.n, timeout=timeout)
        return time.perf_counter() - t0

    def stop(self) -> None:
        """Stop the workers, then the scheduler (each with what it started)."""
        for p in reversed(self.procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(5)


def allocate_posts(province: Path, out: Path, extra: list[str], env: dict) -> float:
    """``python -m sim allocate-posts`` with JSON and CSV written to ``out``; its wall seconds."""
    cmd = [sys.executable, "-m", "sim", "allocate-posts", str(province), "--quiet", "--lang", "en",
           "--json", str(out.with_suffix(".json")), "--csv", str(out.with_suffix(".csv")), *extra]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    return time.perf_counter() - t0


def answer(out: Path) -> tuple[dict, str]:
    """The JSON answer without the fields that depend on where it ran, and the CSV text."""
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if k not in VARYING}, out.with_suffix(".csv").read_text(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--province", type=Path, default=EXAMPLE, help="province file (default: the 12-court example)")
    ap.add_argument("--workers", type=int, default=2, help="dask worker processes to start (default 2)")
    a = ap.parse_args(argv)
    province = a.province.resolve()
    print(f"province {province.relative_to(ROOT) if province.is_relative_to(ROOT) else province}; "
          f"{os.cpu_count()} cores; load {os.getloadavg()[0]:.2f}", flush=True)
    cluster = HandStartedCluster(a.workers)
    try:
        try:
            started = cluster.start()
        except (OSError, TimeoutError) as exc:
            print(f"the cluster did not start: {type(exc).__name__}: {exc}")
            return 2
        for cmd in cluster.commands:
            print("started: PYTHONPATH=$PWD " + " ".join(Path(cmd[0]).name if i == 0 else c for i, c in enumerate(cmd)))
        print(f"scheduler and {a.workers} workers ready in {started:.1f} s", flush=True)
        env = {k: v for k, v in os.environ.items() if k != "COURT_SIM_DASK_SCHEDULER"}
        with tempfile.TemporaryDirectory() as tmp:
            on_cluster = allocate_posts(province, Path(tmp) / "cluster", ["--scheduler", cluster.address], env)
            print(f"allocate-posts --scheduler {cluster.address}: {on_cluster:.1f} s", flush=True)
            local = allocate_posts(province, Path(tmp) / "local", ["--runner", "local"], env)
            print(f"allocate-posts --runner local (2 processes): {local:.1f} s", flush=True)
            same = answer(Path(tmp) / "cluster") == answer(Path(tmp) / "local")
    finally:
        cluster.stop()
    print(f"identical: {'yes' if same else 'no'}; load {os.getloadavg()[0]:.2f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
