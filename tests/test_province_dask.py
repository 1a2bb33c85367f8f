"""Province sweeps on a real Dask cluster: a ``dask scheduler`` and two ``dask worker`` processes
started here on 127.0.0.1 (free ports), as a court's IT department would start them elsewhere.

Checked: the sweep's rows equal the local runner's figure for figure (same seed, same
SeedSequence per replication); a worker killed mid-sweep changes nothing and loses no row;
an interrupted sweep started again runs only what was not done.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from helpers import ROOT
from sim.province.cluster import DaskRunner, LocalRunner
from sim.province.spec import load_province
from sim.province.sweep import grid_plans, read_rows, run_sweep, sweep_tasks

WEAK = str(ROOT / "scenarios" / "weak-court.yaml")
PROVINCE = f"""
name: dask test
seed: 11
replications: 2
horizon_months: 2
pool: {{judges: 2}}
courts:
  - {{name: A, scenario: {WEAK}}}
  - {{name: B, scenario: {WEAK}, set: [demand.disputes_per_year=2000]}}
  - {{name: C, scenario: {WEAK}, set: [demand.disputes_per_year=4000]}}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(pred, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Cluster:
    """A scheduler and workers as separate processes (``python -m distributed.cli.*``)."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.procs: list[subprocess.Popen] = []
        self.workers: list[subprocess.Popen] = []
        self.by_name: dict[str, subprocess.Popen] = {}

    def _start(self, args: list[str]) -> subprocess.Popen:
        p = subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, env=self.env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs.append(p)
        return p

    def start(self, workers: int = 2) -> "Cluster":
        self._start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(self.port),
                     "--dashboard-address", ":0", "--no-show"])
        for k in range(workers):
            self.add_worker(f"w{k}")
        _wait_for(lambda: self.n_workers() >= workers, 120, "the workers to join")
        return self

    def add_worker(self, name: str) -> subprocess.Popen:
        # --no-nanny: the worker is this process, so killing it really takes the worker away
        p = self._start(["distributed.cli.dask_worker", self.address, "--name", name, "--nthreads", "1",
                         "--no-nanny", "--no-dashboard"])
        self.workers.append(p)
        self.by_name[name] = p
        return p

    def n_workers(self) -> int:
        try:
            from distributed import Client

            with Client(self.address, timeout=5) as c:
                return len(c.scheduler_info(n_workers=-1)["workers"])
        except OSError:
            return 0

    def stop(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)


@pytest.fixture(scope="module")
def cluster():
    from sim.analysis.dask_runner import close_clients

    c = Cluster().start(2)
    try:
        yield c
    finally:
        close_clients()   # the shared client of run/map_replications, before its scheduler goes
        c.stop()


@pytest.fixture()
def tasks(tmp_path):
    p = tmp_path / "province.yaml"
    p.write_text(PROVINCE, encoding="utf-8")
    prov = load_province(p)
    return sweep_tasks(prov, grid_plans(["posts.judges=0,1"]))


@pytest.fixture()
def local_rows(tasks, tmp_path):
    run_sweep(tasks, tmp_path / "local", LocalRunner(workers=1))
    return read_rows(tmp_path / "local")


def test_a_sweep_on_the_cluster_equals_the_local_runner(cluster, tasks, local_rows, tmp_path):
    with DaskRunner(scheduler=cluster.address, timeout=20) as runner:
        assert runner.n_workers() == 2
        rep = run_sweep(tasks, tmp_path / "dask", runner)
    assert len(rep.ran) == len(tasks) == 6
    rows = read_rows(tmp_path / "dask")
    assert len(rows) == 6 * 2 * len(set(local_rows["figure"]))
    assert rows.equals(local_rows)   # identical, not close: same streams per replication


def test_the_environment_variable_points_the_runner_at_the_cluster(cluster, monkeypatch):
    monkeypatch.setenv("COURT_SIM_DASK_SCHEDULER", cluster.address)
    assert DaskRunner().scheduler == cluster.address


def test_a_worker_killed_mid_sweep_changes_nothing_and_loses_no_row(cluster, tasks, local_rows, tmp_path):
    """A worker killed (SIGKILL) while it holds work: the sweep still writes every part, equal to
    the local runner's. The kill is checked to matter: when it happens, parts are still to be
    written and the killed worker is processing some of the sweep's pieces (the old test killed a
    worker after the first part without checking that any work was left, or on that worker)."""
    out = tmp_path / "killed"
    at_kill: dict = {}
    runner = DaskRunner(scheduler=cluster.address, timeout=20)

    def kill_once(_task, _path) -> None:
        if at_kill:
            return
        # after the first part, while the other tasks are running: a worker that holds work dies
        client = runner.client()
        names = {addr: w["name"] for addr, w in client.scheduler_info(n_workers=-1)["workers"].items()}
        busy = {names[addr]: keys for addr, keys in client.processing().items() if keys and addr in names}
        at_kill["parts"] = len(list(out.glob("part-*.parquet")))
        at_kill["busy"] = busy
        if busy:
            name = sorted(busy)[0]
            at_kill["victim"], at_kill["keys"] = cluster.by_name[name], list(busy[name])
            at_kill["victim"].send_signal(signal.SIGKILL)
    try:
        with runner:
            rep = run_sweep(tasks, out, runner, on_part=kill_once)
    finally:
        victim = at_kill.get("victim")
        if victim is not None and victim.poll() is None:
            victim.kill()
        if victim is not None:
            cluster.workers.remove(victim)
            cluster.add_worker(f"w-replacement-{len(cluster.workers)}")   # the next test finds two workers again
            _wait_for(lambda: cluster.n_workers() >= 2, 120, "the replacement worker")
    assert at_kill.get("victim") is not None, f"no worker held work when the first part was written: {at_kill}"
    assert at_kill["parts"] < len(tasks), "parts were still to be written when the worker died"
    assert at_kill["keys"] and all(str(k).startswith("court-sim-") for k in at_kill["keys"]), at_kill["keys"]
    assert at_kill["victim"].wait(10) == -signal.SIGKILL
    assert len(rep.ran) == len(tasks)
    assert read_rows(out).equals(local_rows)


def test_an_interrupted_sweep_started_again_runs_only_what_is_left(cluster, tasks, local_rows, tmp_path):
    out = tmp_path / "resumed"

    def stop_after_two(_task, _path) -> None:
        if len(list(out.glob("part-*.parquet"))) >= 2:
            raise KeyboardInterrupt
    with DaskRunner(scheduler=cluster.address, timeout=20) as runner:
        with pytest.raises(KeyboardInterrupt):
            run_sweep(tasks, out, runner, on_part=stop_after_two)
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.parquet")}
    assert len(before) >= 2
    with DaskRunner(scheduler=cluster.address, timeout=20) as runner:
        rep = run_sweep(tasks, out, runner)
    assert len(rep.skipped) == len(before) and len(rep.ran) == len(tasks) - len(before)
    assert not set(rep.ran) & set(rep.skipped)
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.parquet") if p.name in before} == before
    assert read_rows(out).equals(local_rows)


def test_the_default_local_cluster_gives_the_same_rows(tasks, local_rows, tmp_path):
    with DaskRunner(workers=2) as runner:
        run_sweep(tasks, tmp_path / "localcluster", runner)
    assert read_rows(tmp_path / "localcluster").equals(local_rows)


def test_with_the_scheduler_configured_run_and_the_advisor_s_jobs_go_to_the_cluster(cluster, monkeypatch):
    # the app's comparison and advisor reach the engine through run/map_replications
    import numpy as np

    from sim.analysis import dask_runner
    from sim.analysis.runner import map_replications, run
    from sim.model.scenario import load_scenario

    scn = load_scenario(WEAK).model_copy(update={"horizon_months": 2})
    local = run(scn, replications=3, seed=5, workers=1)
    monkeypatch.setenv("COURT_SIM_DASK_SCHEDULER", cluster.address)
    calls = []
    real = dask_runner.dask_map_replications
    monkeypatch.setattr(dask_runner, "dask_map_replications", lambda *a, **k: calls.append(1) or real(*a, **k))
    on_cluster = run(scn, replications=3, seed=5)
    assert calls, "run went to the cluster"
    for k, v in local.summary_reps.items():
        np.testing.assert_array_equal(on_cluster.summary_reps[k], v)
    for k, v in local.monthly_reps.items():
        np.testing.assert_array_equal(on_cluster.monthly_reps[k], v)
    # a mix of scenarios in one call (as the advisor sends them) comes back in job order
    other = scn.model_copy(update={"seed": 9})
    jobs = [(scn, 5, 2), (other, 6, 0), (scn, 5, 0)]
    assert [f["summary"] for f in map_replications(jobs)] == \
        [f["summary"] for f in map_replications(jobs, workers=1, cluster=False)]


def test_a_scheduler_that_cannot_import_the_simulator_is_a_clear_message(tasks, tmp_path):
    from sim.analysis.dask_runner import ClusterError

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    sched = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                              "--port", str(port), "--dashboard-address", ":0", "--no-show"],
                             cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        runner = DaskRunner(scheduler=f"tcp://127.0.0.1:{port}", timeout=20)
        _wait_for(lambda: _reachable(port), 60, "the scheduler")
        with pytest.raises(ClusterError) as exc:
            runner.run(tasks[:1])
        runner.close()
        assert exc.value.code == "dask_environment" and "PYTHONPATH" in exc.value.text("en")
    finally:
        sched.terminate()
        sched.wait(15)


def _reachable(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
