"""``benchmarks/province_cluster.py``: a cluster started by hand as docs/deployment.md starts one.

The script starts ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1 with the
``dask`` command, runs ``python -m sim allocate-posts`` against them and with the local runner,
and says whether the answers are identical. Here on the three-court province (the example's
12 courts take minutes), so it runs in CI with the other tests.
"""
from __future__ import annotations

import subprocess
import sys

from helpers import ROOT

SCRIPT = ROOT / "benchmarks" / "province_cluster.py"
THREE = ROOT / "scenarios" / "provinces" / "three-courts.yaml"


def test_allocate_posts_on_a_hand_started_cluster_equals_the_local_runner():
    done = subprocess.run([sys.executable, str(SCRIPT), "--province", str(THREE)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    out = done.stdout
    assert done.returncode == 0, out + done.stderr[-3000:]
    assert out.count("started: PYTHONPATH=$PWD dask worker tcp://127.0.0.1:") == 2
    assert "started: PYTHONPATH=$PWD dask scheduler --host 127.0.0.1" in out
    assert "allocate-posts --scheduler tcp://127.0.0.1:" in out and "allocate-posts --runner local" in out
    assert out.strip().splitlines()[-1].startswith("identical: yes")


def test_the_comparison_ignores_only_the_run_time_and_place(tmp_path):
    import importlib.util
    import json

    spec = importlib.util.spec_from_file_location("province_cluster", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    base = {"seconds": 1.0, "where": "local", "allocations": {"recommended": [{"judges": 2}]}, "cases": 10.0}
    variants = {"a": base, "b": {**base, "seconds": 9.0, "where": "tcp://127.0.0.1:1"},
                "c": {**base, "allocations": {"recommended": [{"judges": 3}]}}}
    for name, data in variants.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
        (tmp_path / f"{name}.csv").write_text("court,figure\nA,x\n", encoding="utf-8")
    (tmp_path / "d.json").write_text(json.dumps(base), encoding="utf-8")
    (tmp_path / "d.csv").write_text("court,figure\nA,y\n", encoding="utf-8")
    assert mod.answer(tmp_path / "a") == mod.answer(tmp_path / "b")
    assert mod.answer(tmp_path / "a") != mod.answer(tmp_path / "c")
    assert mod.answer(tmp_path / "a") != mod.answer(tmp_path / "d")
