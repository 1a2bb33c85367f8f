"""The run service's pools (sim/analysis/pool.py): the only place that makes one, and what it does."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from sim.analysis import pool

ROOT = Path(__file__).resolve().parent.parent
#: calls that make worker processes for runs: an executor, a multiprocessing pool, a start-method
#: context (what a pool is made with), a Dask cluster of processes on this machine
MAKERS = {"ProcessPoolExecutor", "Pool", "get_context", "set_forkserver_preload", "LocalCluster"}
THE_POOL_MODULE = "sim/analysis/pool.py"
#: modules allowed to start processes themselves, and why
ALLOWED = {
    # issue 21's parse sandbox: ONE child process per untrusted upload, to be killed if a parse
    # runs away; it is not a pool and runs no replications (it shares the forkserver's preload)
    "sim/model/sandbox.py",
}


def _project_modules() -> list[Path]:
    """Every Python file of the project (app, engine, pages, benchmarks), tests left out."""
    files = [ROOT / "app.py"]
    for top in ("sim", "ui", "benchmarks"):
        files += sorted((ROOT / top).rglob("*.py"))
    return files


def _pool_making(source: str) -> list[str]:
    """The calls in ``source`` that make worker processes (by the called name, however imported),
    and imports of multiprocessing's pools; names in strings and comments do not count."""
    tree = ast.parse(source)
    makers = set(MAKERS) | {a.asname for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                            for a in n.names if a.name in MAKERS and a.asname}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
            if name in makers:
                found.append(f"line {node.lineno}: {name}(...)")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("multiprocessing"):
            if node.module == "multiprocessing.pool" or any(a.name == "Pool" for a in node.names):
                found.append(f"line {node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Import) and any(a.name == "multiprocessing.pool" for a in node.names):
            found.append(f"line {node.lineno}: import multiprocessing.pool")
    return found


def _makers() -> dict[str, list[str]]:
    """Relative path -> where in it a pool is made."""
    out: dict[str, list[str]] = {}
    for f in _project_modules():
        hits = _pool_making(f.read_text(encoding="utf-8"))
        if hits:
            out[f.relative_to(ROOT).as_posix()] = hits
    return out


def test_only_the_pool_module_makes_process_pools():
    makers = _makers()
    assert len(makers.get(THE_POOL_MODULE, [])) >= 4, "the search no longer finds the pool module's own pools"
    others = {k: v for k, v in makers.items() if k != THE_POOL_MODULE and k not in ALLOWED}
    assert not others, f"process pools made outside {THE_POOL_MODULE}: {others}"


@pytest.mark.parametrize("code", [
    "ex = ProcessPoolExecutor(max_workers=2)", "with mp.Pool(4) as p: pass",
    "from multiprocessing import Pool", "import multiprocessing.pool", "from multiprocessing.pool import ThreadPool",
    'ctx = mp.get_context("forkserver")', "ctx.set_forkserver_preload(PRELOAD)",
    "c = distributed.LocalCluster(n_workers=2, processes=True)",
    "from concurrent.futures import ProcessPoolExecutor as P\nP(2)",   # the imported name is found where imported
])
def test_the_search_finds_each_way_of_making_a_pool(code):
    assert _pool_making(code), code


@pytest.mark.parametrize("code", [
    "pool = shared(w)", "from concurrent.futures.process import BrokenProcessPool",
    'name = f"LocalCluster({workers})"', "# a ProcessPoolExecutor( in a comment", "import multiprocessing as mp",
])
def test_the_search_leaves_what_makes_no_pool(code):
    assert not _pool_making(code), code


def _pid() -> int:
    return os.getpid()


def _nice() -> int:
    return os.nice(0)


def test_a_pool_runs_work_in_other_processes_at_the_priority_asked():
    mine = os.nice(0)
    plain, low = pool.WorkerPool(1), pool.WorkerPool(1, nice=5)
    try:
        assert not plain.started
        assert plain.submit(_pid).result(timeout=120) != os.getpid()
        assert plain.started
        assert plain.submit(_nice).result(timeout=120) == mine
        assert low.submit(_nice).result(timeout=120) == min(mine + 5, 19)
    finally:
        plain.shutdown()
        low.shutdown()
    assert not plain.started and not low.started


def test_a_pool_whose_worker_died_works_again_after_a_restart():
    p = pool.WorkerPool(1)
    try:
        first = p.submit(_pid).result(timeout=120)
        with pytest.raises(BrokenProcessPool):
            p.submit(os._exit, 3).result(timeout=120)   # the worker dies
        p.restart()
        second = p.submit(_pid).result(timeout=120)
        assert second != first and second != os.getpid()
    finally:
        p.shutdown()


#: a process that makes a pool of two, hands it work, prints its workers' and their forkserver's
#: pids, and dies without shutting the pool down (as a server killed with SIGKILL does)
_DIES_WITH_A_POOL = """
import os, sys, time
sys.path.insert(0, {root!r})
from sim.analysis import pool
p = pool.WorkerPool(2)
futures = [p.submit(time.sleep, 0.5) for _ in range(4)]
[f.result(timeout=120) for f in futures]
pids = {{p.submit(os.getpid).result(timeout=120) for _ in range(8)}}
pids |= {{p.submit(os.getppid).result(timeout=120)}}
print(" ".join(map(str, sorted(pids))), flush=True)
os._exit(0)
"""


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a running process (a zombie waiting to be reaped counts as gone, where
    /proc tells)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return Path("/proc/self").exists() is False
    return state != "Z"


def test_workers_end_when_the_process_that_made_the_pool_is_killed():
    """The workers and their forkserver do not outlive the pool's maker. Before, they waited on
    their task queue for ever (220 MB each): a mutation-testing session left hundreds behind."""
    # the maker's output read line by line and the maker not reaped until the end: it stays a
    # zombie meanwhile, which a plain "is that pid there" check took for alive
    proc = subprocess.Popen([sys.executable, "-c", _DIES_WITH_A_POOL.format(root=str(ROOT))],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    pids = [int(x) for x in proc.stdout.readline().split()]
    try:
        assert len(pids) >= 2, pids   # at least one worker and the forkserver
        deadline = time.monotonic() + 10 * pool.OWNER_CHECK_S + 20
        while time.monotonic() < deadline and any(_alive(p) for p in pids):
            time.sleep(0.2)
        left = [p for p in pids if _alive(p)]
    finally:
        for p in pids:  # do not leave them to the next test
            if _alive(p):
                os.kill(p, 9)
        proc.communicate(timeout=60)
    assert left == []


def test_the_shared_pool_is_kept_between_runs_and_replaced_for_another_size():
    try:
        two = pool.shared(2)
        assert two.submit(_pid).result(timeout=120) != os.getpid()
        assert pool.shared(2) is two and two.started
        three = pool.shared(3)
        assert three is not two and three.workers == 3 and not two.started
    finally:
        pool.shutdown_shared()
    assert pool.shared(2) is not two
    pool.shutdown_shared()


def test_the_pools_and_the_parse_sandbox_ask_the_forkserver_for_the_same_preload():
    """One forkserver serves both; whichever starts it first sets what it imports, so a
    difference would silently leave the other's children importing the engine themselves."""
    from sim.model import sandbox

    assert pool.PRELOAD == sandbox.PRELOAD == ["sim.analysis.runner"]
